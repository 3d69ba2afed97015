/* fk-commune-row.h: the commune an address is in since 1 July 2025
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FK_TYPE_COMMUNE_ROW (fk_commune_row_get_type ())

G_DECLARE_FINAL_TYPE (FkCommuneRow, fk_commune_row, FK, COMMUNE_ROW, AdwComboRow)

void fk_commune_row_set_address (FkCommuneRow *self, const char *address);
void fk_commune_row_set_code (FkCommuneRow *self, const char *code);
const char *fk_commune_row_get_code (FkCommuneRow *self);
char *fk_commune_row_dup_title (const char *code);

G_END_DECLS
