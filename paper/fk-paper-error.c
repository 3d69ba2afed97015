/* fk-paper-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-paper-error.h"

G_DEFINE_QUARK (fk - paper - error - quark, fk_paper_error)
