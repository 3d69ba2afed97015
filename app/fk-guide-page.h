/* fk-guide-page.h: the offline procedure guide
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FK_TYPE_GUIDE_PAGE (fk_guide_page_get_type ())
G_DECLARE_FINAL_TYPE (FkGuidePage, fk_guide_page, FK, GUIDE_PAGE, AdwBin)

gboolean fk_guide_page_show (FkGuidePage *self, const char *code);

G_END_DECLS
