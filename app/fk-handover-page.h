/* fk-handover-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FK_TYPE_HANDOVER_PAGE (fk_handover_page_get_type ())

G_DECLARE_FINAL_TYPE (FkHandoverPage, fk_handover_page, FK, HANDOVER_PAGE, AdwBin)

G_END_DECLS
