/* fk-visit-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FK_TYPE_VISIT_PAGE (fk_visit_page_get_type ())

G_DECLARE_FINAL_TYPE (FkVisitPage, fk_visit_page, FK, VISIT_PAGE, AdwBin)

void fk_visit_page_refresh (FkVisitPage *self);

G_END_DECLS
