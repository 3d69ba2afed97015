/* fk-address-reform.c: the 2025 commune for an address written with the
 * old (pre-July-2025) units
 *
 * Two lists shipped as resources: the old provinces, districts and wards,
 * and, for each 2025 commune, the free text of the resolution saying which
 * old units formed it. The text is read once, on the first suggestion, into
 * links from each old ward to the 2025 communes that took it (whole, the
 * rest of it, or a part). An address is then read from its end: province,
 * district, ward. fk-address-reform-private.h says which file does what.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-address-reform-private.h"

/* Nothing on a card is longer; beyond this only the end of the text, where
 * the units are, is read. */
#define MAX_ADDRESS_BYTES 2048

/**
 * fk_reform_suggestion_free:
 */
void
fk_reform_suggestion_free (FkReformSuggestion *suggestion)
{
  if (suggestion == NULL)
    return;
  g_free (suggestion->old_ward);
  g_free (suggestion->old_district);
  g_free (suggestion->old_province);
  g_clear_pointer (&suggestion->communes, g_ptr_array_unref);
  g_free (suggestion);
}

/**
 * fk_address_reform_suggest:
 * @address: a place of residence as written on a card, old units or new
 * @error: return location for an error
 *
 * Suggests the 2025 commune(s) for @address, for an officer to confirm.
 * The lists are read on the first call (tens of milliseconds) and kept.
 *
 * Returns: (transfer full) (nullable): the suggestion; %NULL with @error
 *   set only when the shipped lists are damaged
 */
FkReformSuggestion *
fk_address_reform_suggest (const char *address, GError **error)
{
  g_autoptr (FkReformSuggestion) suggestion = g_new0 (FkReformSuggestion, 1);
  FkReformTable *table = fk_reform_table_get (error);
  g_autofree char *tail = NULL;
  gsize len;

  if (table == NULL)
    return NULL;
  suggestion->communes = g_ptr_array_new ();
  if (address == NULL)
    return g_steal_pointer (&suggestion);
  len = strlen (address);
  if (!g_utf8_validate_len (address, len, NULL))
    return g_steal_pointer (&suggestion);
  if (len > MAX_ADDRESS_BYTES)
    {
      const char *from = address + len - MAX_ADDRESS_BYTES;

      while ((*from & 0xC0) == 0x80)
        from++;
      address = from;
    }
  tail = g_utf8_normalize (address, -1, G_NORMALIZE_NFC);
  if (tail != NULL)
    fk_reform_match (table, tail, suggestion);
  return g_steal_pointer (&suggestion);
}
