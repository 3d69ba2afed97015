/* fk-core-init.h: one-time set-up of the domain core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The touch app's settings; fieldkit-ctl and hw/ read a few of them too. */
#define FK_SETTINGS_SCHEMA_ID "vn.fieldkit.FieldKit"

void fk_core_ensure_resources (void);
const char *fk_core_localedir (void);
GSettingsSchema *fk_core_lookup_settings_schema (void);
void fk_i18n_init (const char *language);
void fk_i18n_init_from_locale (void);

G_END_DECLS
