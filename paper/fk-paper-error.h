/* fk-paper-error.h: the error domain of paper/, what is printed for the citizen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FK_PAPER_ERROR (fk_paper_error_quark ())

typedef enum
{
  FK_PAPER_ERROR_INVALID_PAPER, /* not one of 58mm, 80mm, a5, a4 */
  FK_PAPER_ERROR_WRITE,         /* the PDF could not be written */
} FkPaperError;

GQuark fk_paper_error_quark (void);

G_END_DECLS
