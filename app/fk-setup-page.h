/* fk-setup-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FK_TYPE_SETUP_PAGE (fk_setup_page_get_type ())

G_DECLARE_FINAL_TYPE (FkSetupPage, fk_setup_page, FK, SETUP_PAGE, AdwBin)

void fk_setup_page_bind (FkSetupPage *self, GSettings *settings);

G_END_DECLS
