/* fk-home-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FK_TYPE_HOME_PAGE (fk_home_page_get_type ())

G_DECLARE_FINAL_TYPE (FkHomePage, fk_home_page, FK, HOME_PAGE, AdwBin)

G_END_DECLS
