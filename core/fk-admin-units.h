/* fk-admin-units.h: provinces and communes after the 1 July 2025 reform
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  FK_ADMIN_LEVEL_PROVINCE,
  FK_ADMIN_LEVEL_COMMUNE,
} FkAdminLevel;

/**
 * FkAdminUnit:
 * @code: GSO code: 2 digits for a province, 5 for a commune
 * @name: name without its type word, NFC ("Hà Nội", "Ba Đình")
 * @type: type word ("Tỉnh", "Thành phố", "Xã", "Phường", "Đặc khu")
 * @province_code: the province of a commune; the province's own code for a
 *   province
 * @level: province or commune
 *
 * Units belong to the table returned by fk_admin_units_get_default() and
 * live as long as the process: pointers to them never dangle.
 */
typedef struct
{
  const char *code;
  const char *name;
  const char *type;
  const char *province_code;
  FkAdminLevel level;
} FkAdminUnit;

#define FK_TYPE_ADMIN_UNIT (fk_admin_unit_get_type ())
GType fk_admin_unit_get_type (void);
char *fk_admin_unit_dup_full_name (const FkAdminUnit *unit);

typedef struct _FkAdminUnits FkAdminUnits;

FkAdminUnits *fk_admin_units_get_default (GError **error);
guint fk_admin_units_get_n_provinces (FkAdminUnits *self);
guint fk_admin_units_get_n_communes (FkAdminUnits *self);
const FkAdminUnit *fk_admin_units_lookup (FkAdminUnits *self, const char *code);
GPtrArray *fk_admin_units_get_provinces (FkAdminUnits *self);
GPtrArray *fk_admin_units_get_communes (FkAdminUnits *self, const char *province_code);
GPtrArray *fk_admin_units_search (FkAdminUnits *self, const char *query, const char *province_code,
                                  guint limit);

G_END_DECLS
