/* test-admin-units.c: the 2025 provinces and communes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-core.h"

static FkAdminUnits *
units (void)
{
  g_autoptr (GError) error = NULL;
  FkAdminUnits *u = fk_admin_units_get_default (&error);

  g_assert_no_error (error);
  g_assert_nonnull (u);
  return u;
}

static void
test_counts (void)
{
  FkAdminUnits *u = units ();
  g_autoptr (GPtrArray) provinces = fk_admin_units_get_provinces (u);
  guint total = 0;

  g_assert_cmpuint (fk_admin_units_get_n_provinces (u), ==, 34);
  g_assert_cmpuint (fk_admin_units_get_n_communes (u), ==, 3321);
  g_assert_cmpuint (provinces->len, ==, 34);
  for (guint i = 0; i < provinces->len; i++)
    {
      const FkAdminUnit *p = g_ptr_array_index (provinces, i);
      g_autoptr (GPtrArray) communes = fk_admin_units_get_communes (u, p->code);

      g_assert_cmpint (p->level, ==, FK_ADMIN_LEVEL_PROVINCE);
      g_assert_cmpuint (communes->len, >, 0);
      total += communes->len;
    }
  g_assert_cmpuint (total, ==, 3321);
  /* The same table every time. */
  g_assert_true (fk_admin_units_get_default (NULL) == u);
}

static void
test_lookup (void)
{
  FkAdminUnits *u = units ();
  const FkAdminUnit *hanoi = fk_admin_units_lookup (u, "01");
  const FkAdminUnit *ba_dinh = fk_admin_units_lookup (u, "00004");
  g_autofree char *full = NULL;

  g_assert_nonnull (hanoi);
  g_assert_cmpstr (hanoi->name, ==, "Hà Nội");
  g_assert_cmpstr (hanoi->type, ==, "Thành phố");
  g_assert_cmpint (hanoi->level, ==, FK_ADMIN_LEVEL_PROVINCE);
  g_assert_nonnull (ba_dinh);
  g_assert_cmpstr (ba_dinh->name, ==, "Ba Đình");
  g_assert_cmpstr (ba_dinh->province_code, ==, "01");
  g_assert_cmpint (ba_dinh->level, ==, FK_ADMIN_LEVEL_COMMUNE);
  full = fk_admin_unit_dup_full_name (ba_dinh);
  g_assert_cmpstr (full, ==, "Phường Ba Đình");
  g_assert_null (fk_admin_units_lookup (u, "99"));
  g_assert_null (fk_admin_units_lookup (u, ""));
  g_assert_null (fk_admin_units_lookup (u, NULL));
  {
    g_autoptr (GPtrArray) none = fk_admin_units_get_communes (u, "99");

    g_assert_cmpuint (none->len, ==, 0);
  }
}

static const FkAdminUnit *
first (GPtrArray *hits)
{
  g_assert_cmpuint (hits->len, >, 0);
  return g_ptr_array_index (hits, 0);
}

static void
test_search (void)
{
  FkAdminUnits *u = units ();
  g_autoptr (GPtrArray) lai_chau = fk_admin_units_search (u, "lai chau", NULL, 10);
  g_autoptr (GPtrArray) thanh_hoa = fk_admin_units_search (u, "thanh hoa", NULL, 10);
  g_autoptr (GPtrArray) thanh_hoa_acute = fk_admin_units_search (u, "Thanh Hóa", NULL, 10);
  g_autoptr (GPtrArray) ha_noi = fk_admin_units_search (u, "ha noi", NULL, 5);
  g_autoptr (GPtrArray) chau = fk_admin_units_search (u, "chau", NULL, 0);
  g_autoptr (GPtrArray) limited = fk_admin_units_search (u, "a", NULL, 7);
  g_autoptr (GPtrArray) in_hanoi = fk_admin_units_search (u, "ba", "01", 0);
  g_autoptr (GPtrArray) empty = fk_admin_units_search (u, "   ", NULL, 10);
  g_autoptr (GPtrArray) nothing = fk_admin_units_search (u, "zzqx", NULL, 10);
  g_autoptr (GPtrArray) by_code = fk_admin_units_search (u, "00004", NULL, 10);
  gboolean found_lai_chau_in_chau = FALSE;

  g_assert_cmpstr (first (lai_chau)->name, ==, "Lai Châu");
  g_assert_cmpint (first (lai_chau)->level, ==, FK_ADMIN_LEVEL_PROVINCE);
  g_assert_cmpstr (first (thanh_hoa)->name, ==, "Thanh Hoá");
  g_assert_cmpint (first (thanh_hoa)->level, ==, FK_ADMIN_LEVEL_PROVINCE);
  g_assert_cmpuint (thanh_hoa->len, ==, thanh_hoa_acute->len);
  for (guint i = 0; i < thanh_hoa->len; i++)
    g_assert_true (g_ptr_array_index (thanh_hoa, i) == g_ptr_array_index (thanh_hoa_acute, i));
  g_assert_cmpstr (first (ha_noi)->name, ==, "Hà Nội");
  g_assert_cmpuint (ha_noi->len, <=, 5);

  /* A word start inside the name finds it too, after the names that start with it. */
  for (guint i = 0; i < chau->len; i++)
    {
      const FkAdminUnit *unit = g_ptr_array_index (chau, i);
      g_autofree char *folded = fk_text_fold (unit->name);

      if (g_str_equal (unit->code, "12"))
        found_lai_chau_in_chau = TRUE;
      g_assert_nonnull (strstr (folded, "chau"));
    }
  g_assert_true (found_lai_chau_in_chau);
  {
    g_autofree char *folded = fk_text_fold (first (chau)->name);

    g_assert_true (g_str_has_prefix (folded, "chau"));
  }

  g_assert_cmpuint (limited->len, ==, 7);
  g_assert_cmpuint (in_hanoi->len, >, 0);
  for (guint i = 0; i < in_hanoi->len; i++)
    g_assert_cmpstr (((const FkAdminUnit *) g_ptr_array_index (in_hanoi, i))->province_code, ==,
                     "01");
  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpuint (nothing->len, ==, 0);
  g_assert_cmpstr (first (by_code)->name, ==, "Ba Đình");
}

static void
test_search_with_type_word (void)
{
  FkAdminUnits *u = units ();
  g_autoptr (GPtrArray) hits = fk_admin_units_search (u, "phuong ba dinh", NULL, 5);

  g_assert_cmpstr (first (hits)->code, ==, "00004");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/admin-units/counts", test_counts);
  g_test_add_func ("/admin-units/lookup", test_lookup);
  g_test_add_func ("/admin-units/search", test_search);
  g_test_add_func ("/admin-units/search-type-word", test_search_with_type_word);
  return g_test_run ();
}
