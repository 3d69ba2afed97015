/* fk-settings.h: the app's GSettings, found installed or in the build tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FK_SETTINGS_SCHEMA_ID "vn.fieldkit.FieldKit"

GSettings *fk_settings_new (void);
gboolean fk_settings_use_simulated_hardware (GSettings *settings);
char *fk_settings_get_data_dir (void);

G_END_DECLS
