/* fk-vneid-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FK_TYPE_VNEID_PAGE (fk_vneid_page_get_type ())

G_DECLARE_FINAL_TYPE (FkVneidPage, fk_vneid_page, FK, VNEID_PAGE, AdwBin)

guint fk_vneid_get_n_outcomes (void);
const char *fk_vneid_get_outcome_code (guint i);
const char *fk_vneid_get_outcome_title (guint i);

G_END_DECLS
