/* fk-settings-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FK_TYPE_SETTINGS_PAGE (fk_settings_page_get_type ())

G_DECLARE_FINAL_TYPE (FkSettingsPage, fk_settings_page, FK, SETTINGS_PAGE, AdwBin)

void fk_settings_page_bind (FkSettingsPage *self, GSettings *settings);

G_END_DECLS
