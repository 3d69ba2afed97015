/* fk-fuzz-cccd.c: the CCCD QR payload parser on arbitrary bytes
 *
 * Beyond not crashing, checks what the rest of FieldKit relies on: a card
 * reported valid has a well-formed ID and dates, its citizen validates,
 * and the citizen survives a trip through JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>

#include "fk-core.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_valid_card (FkCccdCard *card)
{
  g_autoptr (FkCitizen) citizen = fk_citizen_new_from_cccd (card);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (FkCitizen) back = NULL;
  g_autoptr (JsonNode) again = NULL;
  const char *id = fk_cccd_card_get_id_number (card);

  if (id == NULL || strlen (id) != 12 || !fk_text_is_digits (id, 12) ||
      fk_cccd_card_get_birth_date (card) == NULL || fk_cccd_card_get_issue_date (card) == NULL ||
      fk_cccd_card_get_sex (card) == FK_SEX_UNKNOWN ||
      fk_cccd_card_get_birth_province_name (card) == NULL)
    abort ();
  if (!fk_citizen_validate (citizen, &error))
    abort ();
  node = fk_citizen_to_json (citizen);
  back = fk_citizen_new_from_json (node, &error);
  if (back == NULL)
    abort ();
  again = fk_citizen_to_json (back);
  if (!json_node_equal (node, again))
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GDate) today = g_date_new_dmy (23, G_DATE_NOVEMBER, 2026);
  g_autoptr (FkCccdCard) card = fk_cccd_parse_full (data, size, today);
  g_autoptr (JsonNode) node = fk_cccd_card_to_json (card);
  g_autofree char *text = json_to_string (node, FALSE);
  gboolean valid = fk_cccd_card_is_valid (card);

  if (text == NULL || valid != (fk_cccd_card_get_errors (card)->len == 0))
    abort ();
  if (valid)
    check_valid_card (card);
  else
    {
      /* An invalid card still yields a citizen the officer can correct. */
      g_autoptr (FkCitizen) citizen = fk_citizen_new_from_cccd (card);

      if (citizen == NULL)
        abort ();
    }

  /* The same bytes as a search in the address picker. */
  if (size <= 64 && g_utf8_validate_len ((const char *) data, size, NULL))
    {
      g_autofree char *query = g_strndup ((const char *) data, size);
      g_autofree char *folded = fk_text_fold (query);
      g_autoptr (GPtrArray) hits = NULL;

      if (folded == NULL)
        abort ();
      hits = fk_admin_units_search (fk_admin_units_get_default (NULL), query, NULL, 10);
      if (hits->len > 10)
        abort ();
    }
  return 0;
}
