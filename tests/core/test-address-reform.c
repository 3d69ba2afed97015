/* test-address-reform.c: 2025 communes suggested for addresses written with
 * the old units
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>

#include "fk-core.h"

/* Measured: see whole_data. A regression that loses wards fails here. */
#define MIN_WARDS_PLACED 10010

static FkReformSuggestion *
suggest (const char *address)
{
  g_autoptr (GError) error = NULL;
  FkReformSuggestion *s = fk_address_reform_suggest (address, &error);

  g_assert_no_error (error);
  g_assert_nonnull (s);
  g_assert_nonnull (s->communes);
  return s;
}

static const FkAdminUnit *
commune (FkReformSuggestion *s, guint i)
{
  g_assert_cmpuint (i, <, s->communes->len);
  return g_ptr_array_index (s->communes, i);
}

static gboolean
has_commune (FkReformSuggestion *s, const char *code)
{
  for (guint i = 0; i < s->communes->len; i++)
    if (g_str_equal (commune (s, i)->code, code))
      return TRUE;
  return FALSE;
}

static GBytes *
old_list (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("FK_SOURCE_ROOT"), "assets", "data",
                                            "admin-units", "vn-units-pre2025.csv", NULL);
  g_autoptr (GMappedFile) file = g_mapped_file_new (path, FALSE, &error);

  g_assert_no_error (error);
  return g_mapped_file_get_bytes (file);
}

/* Every old ward, written "Ward, District, Province", gets a suggestion. */
static void
test_whole_data (void)
{
  g_autoptr (GBytes) bytes = old_list ();
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint wards = 0, placed = 0, whole = 0, own_district = 0;

  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
      g_autofree char *address = NULL;
      g_autoptr (FkReformSuggestion) s = NULL;

      if (g_strv_length (f) != 6 || *f[5] == '\0')
        continue;
      wards++;
      address = g_strdup_printf ("%s, %s, %s", f[5], f[3], f[1]);
      s = suggest (address);
      if (s->communes->len > 0)
        placed++;
      else
        g_test_message ("not placed: %s", address);
      whole += s->whole;
      if (g_strcmp0 (s->old_ward, f[5]) == 0 && g_strcmp0 (s->old_district, f[3]) == 0)
        own_district++;
      else
        g_test_message ("read as %s / %s: %s", s->old_ward, s->old_district, address);
    }
  g_test_message ("%u of %u wards placed, %u whole, %u read back exactly", placed, wards, whole,
                  own_district);
  g_assert_cmpuint (wards, ==, 10035);
  g_assert_cmpuint (placed, >=, MIN_WARDS_PLACED);
  g_assert_cmpuint (own_district, ==, wards);
}

static void
test_merged_whole (void)
{
  g_autoptr (FkReformSuggestion) s =
    suggest ("Số 12, Phường Trúc Bạch, Quận Ba Đình, Thành phố Hà Nội");

  g_assert_cmpstr (s->old_ward, ==, "Phường Trúc Bạch");
  g_assert_cmpstr (s->old_district, ==, "Quận Ba Đình");
  g_assert_cmpstr (s->old_province, ==, "Thành phố Hà Nội");
  g_assert_true (has_commune (s, "00004"));
  g_assert_cmpstr (commune (s, 0)->code, ==, "00004"); /* Phường Ba Đình */
  g_assert_true (s->whole);
  g_assert_false (s->current);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/address-reform/merged-whole", test_merged_whole);
  g_test_add_func ("/address-reform/whole-data", test_whole_data);
  return g_test_run ();
}
