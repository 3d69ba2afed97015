/* fk-fuzz-chip.c: the chip's data groups on arbitrary bytes
 *
 * The first byte picks what the rest is fed to: DG13 with DG1 (split at
 * the second byte's position), a TD1 zone, a DG13 date, or the expiry
 * prediction (dates from the bytes). Beyond not crashing, checks what the
 * app relies on: every text is valid UTF-8 and not empty, dates are valid,
 * the JSON has every member, the candidates are at most the maximum.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>

#include "fk-core.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_data (FkChipData *chip)
{
  g_autoptr (JsonNode) node = fk_chip_data_to_json (chip);
  g_autofree char *text = json_to_string (node, FALSE);
  JsonObject *o = json_node_get_object (node);

  for (int f = 0; f < FK_CHIP_FIELD_LAST; f++)
    {
      const char *s = fk_chip_data_get_text (chip, f);

      if (s != NULL && (*s == '\0' || !g_utf8_validate (s, -1, NULL)))
        abort ();
    }
  if (text == NULL || !json_object_has_member (o, "old_id_number") ||
      (fk_chip_data_get_birth_date (chip) != NULL &&
       !g_date_valid (fk_chip_data_get_birth_date (chip))) ||
      (fk_chip_data_has_no_expiry (chip) && fk_chip_data_get_expiry_date (chip) != NULL &&
       fk_chip_data_get_mrz (chip) == NULL))
    abort ();
}

static void
fuzz_groups (const uint8_t *data, size_t size)
{
  size_t split = size > 0 ? MIN ((size_t) data[0] * 4, size - 1) : 0;
  g_autoptr (GBytes) dg1 = NULL;
  g_autoptr (GBytes) dg13 = NULL;
  g_autoptr (FkChipData) chip = NULL;
  g_autoptr (GError) error = NULL;

  if (size < 2)
    return;
  dg1 = split > 1 ? g_bytes_new (data + 1, split - 1) : NULL;
  dg13 = g_bytes_new (data + split, size - split);
  chip = fk_chip_data_new_from_files (dg1, dg13, &error);
  if ((chip == NULL) == (error == NULL))
    abort ();
  if (chip != NULL)
    check_data (chip);
}

static void
fuzz_zone (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkMrz) mrz = fk_mrz_parse_td1 ((const char *) data, size, &error);

  if ((mrz == NULL) == (error == NULL))
    abort ();
  if (mrz != NULL && (mrz->document_number == NULL || mrz->name == NULL ||
                      strlen (mrz->birth) != 6 || strlen (mrz->expiry) != 6))
    abort ();
}

static void
fuzz_dates (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  GDate date;
  g_autoptr (GArray) list = NULL;
  GDate birth, issued, today;

  if (fk_chip_parse_date (text, &date) && !g_date_valid (&date))
    abort ();
  if (size < 6)
    return;
  g_date_clear (&birth, 1);
  g_date_clear (&issued, 1);
  g_date_clear (&today, 1);
  g_date_set_julian (&birth, 600000 + (data[0] << 8 | data[1]) * 3);
  g_date_set_julian (&issued, 600000 + (data[2] << 8 | data[3]) * 3);
  g_date_set_julian (&today, 600000 + (data[4] << 8 | data[5]) * 3);
  list = fk_card_expiry_candidates (&birth, data[0] & 1 ? &issued : NULL, &today,
                                    FK_CARD_EXPIRY_MAX_TRIES);
  if (list->len > FK_CARD_EXPIRY_MAX_TRIES)
    abort ();
  for (guint i = 0; i < list->len; i++)
    {
      const FkCardExpiry *e = &g_array_index (list, FkCardExpiry, i);

      if (e->none == g_date_valid (&e->date))
        abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  switch (data[0] % 3)
    {
      case 0:
        fuzz_groups (data + 1, size - 1);
        break;
      case 1:
        fuzz_zone ((const uint8_t *) data + 1, size - 1);
        break;
      default:
        fuzz_dates (data + 1, size - 1);
        break;
    }
  return 0;
}
