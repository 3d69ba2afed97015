/* fk-intake-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FK_TYPE_INTAKE_PAGE (fk_intake_page_get_type ())

G_DECLARE_FINAL_TYPE (FkIntakePage, fk_intake_page, FK, INTAKE_PAGE, AdwBin)

gboolean fk_intake_page_start_for (FkIntakePage *self, const char *code);
void fk_intake_page_start_tour (FkIntakePage *self);

G_END_DECLS
