/* fk-unlock-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FK_TYPE_UNLOCK_PAGE (fk_unlock_page_get_type ())

G_DECLARE_FINAL_TYPE (FkUnlockPage, fk_unlock_page, FK, UNLOCK_PAGE, AdwBin)

void fk_unlock_page_reset (FkUnlockPage *self);

G_END_DECLS
