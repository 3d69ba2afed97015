/* fk-hw-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-hw-error.h"

G_DEFINE_QUARK (fk - hw - error - quark, fk_hw_error)
