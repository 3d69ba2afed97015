/* fk-fuzz-reform.c: the 2025 commune suggestion on arbitrary bytes
 *
 * Beyond not crashing, checks what the app relies on: a suggestion always
 * comes back with a list, of 2025 communes only, with no commune twice;
 * "whole" and "current" only with a commune to point at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>

#include "fk-core.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *address = g_strndup ((const char *) data, size);
  g_autoptr (FkReformSuggestion) s = fk_address_reform_suggest (address, NULL);
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);

  if (s == NULL || s->communes == NULL)
    abort ();
  if ((s->whole || s->current) && s->communes->len == 0)
    abort ();
  for (guint i = 0; i < s->communes->len; i++)
    {
      const FkAdminUnit *unit = g_ptr_array_index (s->communes, i);

      if (unit == NULL || unit->level != FK_ADMIN_LEVEL_COMMUNE ||
          !g_hash_table_add (seen, (gpointer) unit))
        abort ();
    }
  return 0;
}
