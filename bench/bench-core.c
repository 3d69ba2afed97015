/* bench-core.c: how fast the address picker and the card scan respond
 *
 * Prints the time to load the administrative units (first use), a search,
 * a lookup and a CCCD parse; then one JSON line. Then the 2025 commune
 * suggested for each of the 10,035 old wards: the first call (which reads
 * the lists) and the median per address; another JSON line. Then the
 * procedure catalog: loading and checking the shipped one (as at every
 * start and every applied version) and the guide's accent-insensitive
 * search as the officer types; a third JSON line. Never fails on a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include "fk-core.h"

#define CARD_11 \
  "012196001234||Lò Thị Hoa|08031996|Nữ|Bản Nậm Củm, Xã Mường Tè, Tỉnh Lai Châu|15072024||||"

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static int
bench_reform (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes =
    g_resources_lookup_data ("/vn/fieldkit/core/data/admin-units/vn-units-pre2025.csv",
                             G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  FkReformSuggestion *first;
  gint64 t0, first_us, total_us = 0;
  guint placed = 0;

  if (bytes == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  t0 = g_get_monotonic_time ();
  first = fk_address_reform_suggest ("Phường Trúc Bạch, Quận Ba Đình, Thành phố Hà Nội", &error);
  first_us = g_get_monotonic_time () - t0;
  if (first == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  fk_reform_suggestion_free (first);

  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
      g_autofree char *address = NULL;
      FkReformSuggestion *s;
      gint64 us;

      if (g_strv_length (f) != 6 || *f[5] == '\0')
        continue;
      address = g_strdup_printf ("%s, %s, %s", f[5], f[3], f[1]);
      t0 = g_get_monotonic_time ();
      s = fk_address_reform_suggest (address, NULL);
      us = g_get_monotonic_time () - t0;
      placed += s->communes->len > 0;
      fk_reform_suggestion_free (s);
      g_array_append_val (times, us);
      total_us += us;
    }
  g_array_sort (times, compare_gint64);
  printf ("address reform: first call %.1f ms (reads the lists)\n", first_us / 1000.0);
  printf ("address reform: %u of %u old wards placed; median %" G_GINT64_FORMAT
          " µs, max %" G_GINT64_FORMAT " µs per address, whole pass %.1f ms\n",
          placed, times->len, g_array_index (times, gint64, times->len / 2),
          g_array_index (times, gint64, times->len - 1), total_us / 1000.0);
  printf ("{\"bench\": \"core-reform\", \"reform_first_call_ms\": %.2f, "
          "\"reform_median_us\": %" G_GINT64_FORMAT ", \"reform_pass_ms\": %.1f, "
          "\"wards\": %u, \"placed\": %u}\n",
          first_us / 1000.0, g_array_index (times, gint64, times->len / 2), total_us / 1000.0,
          times->len, placed);
  return 0;
}

/* The median of @times (sorted in place). */
static gint64
median (GArray *times)
{
  g_array_sort (times, compare_gint64);
  return g_array_index (times, gint64, times->len / 2);
}

static int
bench_catalog (void)
{
  /* What an officer types, letter by letter, then a few whole queries. */
  const char *queries[] = {
    "k",         "kh",         "kha",     "khai",     "khai s", "khai sinh", "khai sinh lien thong",
    "KHAI SINH", "cong chung", "tam tru", "1.004222", "ket hon"
  };
  const int load_rounds = 50;
  const int search_rounds = 200;
  g_autoptr (GArray) loads = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) searches = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (FkCatalog) catalog = NULL;
  gint64 load_median, search_median, search_max, first_us, t0;
  guint hits = 0;

  for (int r = 0; r < load_rounds; r++)
    {
      g_autoptr (GError) error = NULL;
      gint64 us;

      t0 = g_get_monotonic_time ();
      g_clear_object (&catalog);
      catalog = fk_catalog_new_default (&error);
      us = g_get_monotonic_time () - t0;
      if (catalog == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_array_append_val (loads, us);
    }
  /* The first search folds every procedure's texts. */
  t0 = g_get_monotonic_time ();
  g_ptr_array_unref (fk_catalog_search (catalog, "khai sinh", NULL));
  first_us = g_get_monotonic_time () - t0;
  for (int r = 0; r < search_rounds; r++)
    for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
      {
        gint64 t1 = g_get_monotonic_time ();
        g_autoptr (GPtrArray) found = fk_catalog_search (catalog, queries[q], NULL);
        gint64 us = g_get_monotonic_time () - t1;

        hits += found->len;
        g_array_append_val (searches, us);
      }
  load_median = median (loads);
  search_median = median (searches);
  search_max = g_array_index (searches, gint64, searches->len - 1);
  printf ("catalog: load and check %.2f ms median (%u procedures, version %s)\n",
          load_median / 1000.0, fk_catalog_get_procedures (catalog)->len,
          fk_catalog_get_version (catalog));
  printf ("catalog: guide search first %" G_GINT64_FORMAT
          " µs (folds the texts), then median %" G_GINT64_FORMAT " µs, max %" G_GINT64_FORMAT
          " µs per query (%u queries)\n",
          first_us, search_median, search_max, searches->len);
  printf ("{\"bench\": \"core-catalog\", \"catalog_load_ms\": %.3f, \"guide_search_first_us\": "
          "%" G_GINT64_FORMAT ", \"guide_search_median_us\": %" G_GINT64_FORMAT
          ", \"guide_search_max_us\": %" G_GINT64_FORMAT ", \"procedures\": %u, "
          "\"checksum\": %u}\n",
          load_median / 1000.0, first_us, search_median, search_max,
          fk_catalog_get_procedures (catalog)->len, hits);
  return 0;
}

int
main (void)
{
  const char *queries[] = { "lai chau", "thanh hoa", "ha noi", "xa muong te", "phuong", "a", "ng" };
  const int search_rounds = 200;
  const int parse_rounds = 20000;
  g_autoptr (GError) error = NULL;
  FkAdminUnits *units;
  gint64 t0, load_us, search_us, lookup_us, parse_us;
  guint hits = 0;

  t0 = g_get_monotonic_time ();
  units = fk_admin_units_get_default (&error);
  load_us = g_get_monotonic_time () - t0;
  if (units == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  t0 = g_get_monotonic_time ();
  for (int r = 0; r < search_rounds; r++)
    for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
      {
        g_autoptr (GPtrArray) found = fk_admin_units_search (units, queries[q], NULL, 20);

        hits += found->len;
      }
  search_us = g_get_monotonic_time () - t0;

  t0 = g_get_monotonic_time ();
  for (int r = 0; r < 100000; r++)
    hits += fk_admin_units_lookup (units, r % 2 ? "00004" : "12") != NULL;
  lookup_us = g_get_monotonic_time () - t0;

  t0 = g_get_monotonic_time ();
  for (int r = 0; r < parse_rounds; r++)
    {
      g_autoptr (FkCccdCard) card = fk_cccd_parse ((const guint8 *) CARD_11, strlen (CARD_11));

      hits += fk_cccd_card_is_valid (card);
    }
  parse_us = g_get_monotonic_time () - t0;

  printf ("admin units: load %.1f ms (%u provinces, %u communes)\n", load_us / 1000.0,
          fk_admin_units_get_n_provinces (units), fk_admin_units_get_n_communes (units));
  printf ("admin units: search %.1f µs per query (limit 20)\n",
          (double) search_us / (search_rounds * G_N_ELEMENTS (queries)));
  printf ("admin units: lookup %.3f µs\n", lookup_us / 100000.0);
  printf ("cccd: parse and check %.1f µs per payload\n", (double) parse_us / parse_rounds);
  printf ("{\"bench\": \"core\", \"units_load_ms\": %.2f, \"units_search_us\": %.2f, "
          "\"units_lookup_us\": %.4f, \"cccd_parse_us\": %.2f, \"checksum\": %u}\n",
          load_us / 1000.0, (double) search_us / (search_rounds * G_N_ELEMENTS (queries)),
          lookup_us / 100000.0, (double) parse_us / parse_rounds, hits);
  if (bench_reform () != 0)
    return 1;
  return bench_catalog ();
}
