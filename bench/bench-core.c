/* bench-core.c: how fast the address picker and the card scan respond
 *
 * Prints the time to load the administrative units (first use), a search,
 * a lookup and a CCCD parse; then one JSON line. Never fails on a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include "fk-core.h"

#define CARD_11 \
  "012196001234||Lò Thị Hoa|08031996|Nữ|Bản Nậm Củm, Xã Mường Tè, Tỉnh Lai Châu|15072024||||"

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
  return 0;
}
