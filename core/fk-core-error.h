/* fk-core-error.h: the error domain of the domain core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FK_CORE_ERROR (fk_core_error_quark ())

typedef enum
{
  FK_CORE_ERROR_INVALID_DATA,
  FK_CORE_ERROR_NOT_FOUND,
  FK_CORE_ERROR_UNSUPPORTED_VERSION,
} FkCoreError;

GQuark fk_core_error_quark (void);

G_END_DECLS
