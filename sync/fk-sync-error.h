/* fk-sync-error.h: the error domain of the sync layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FK_SYNC_ERROR (fk_sync_error_quark ())

GQuark fk_sync_error_quark (void);

G_END_DECLS
