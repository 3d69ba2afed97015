/* fk-reports-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FK_TYPE_REPORTS_PAGE (fk_reports_page_get_type ())

G_DECLARE_FINAL_TYPE (FkReportsPage, fk_reports_page, FK, REPORTS_PAGE, AdwBin)

G_END_DECLS
