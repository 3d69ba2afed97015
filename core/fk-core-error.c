/* fk-core-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-core-error.h"

G_DEFINE_QUARK (fk - core - error - quark, fk_core_error)
