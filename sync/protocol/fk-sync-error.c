/* fk-sync-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-sync-error.h"

G_DEFINE_QUARK (fk - sync - error - quark, fk_sync_error)
