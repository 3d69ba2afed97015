/* fk-settings.h: the app's GSettings, found installed or in the build tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fk-core-init.h"
#include "fk-sync-scheduler.h"

G_BEGIN_DECLS

GSettings *fk_settings_new (void);
char *fk_settings_get_data_dir (void);
void fk_settings_bind_sync_policy (GSettings *settings, FkSyncScheduler *scheduler);

G_END_DECLS
