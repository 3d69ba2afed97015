/* fk-hw-error.h: the error domain of the hw layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FK_HW_ERROR (fk_hw_error_quark ())

GQuark fk_hw_error_quark (void);

G_END_DECLS
