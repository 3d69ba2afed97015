/* fk-fuzz-dossier.c: dossier JSON (as `fieldkit-ctl intake add --json` and
 * the store read it) on arbitrary bytes
 *
 * A dossier that loads must write out JSON that loads back to the same
 * dossier; one that does not load must say why in the core's error domain.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>

#include "fk-core.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static FkCatalog *
catalog (void)
{
  static FkCatalog *cat = NULL;

  if (cat == NULL)
    cat = fk_catalog_new_default (NULL);
  return cat;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkDossier) dossier = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (FkDossier) back = NULL;
  g_autoptr (JsonNode) again = NULL;

  dossier = fk_dossier_new_from_data ((const char *) data, (gssize) size, &error);
  if (dossier == NULL)
    {
      if (error == NULL || error->domain != FK_CORE_ERROR || error->message == NULL)
        abort ();
      return 0;
    }
  if (error != NULL)
    abort ();

  node = fk_dossier_to_json (dossier);
  back = fk_dossier_new_from_json (node, &error);
  if (back == NULL)
    abort ();
  again = fk_dossier_to_json (back);
  if (!json_node_equal (node, again))
    abort ();

  {
    g_autoptr (GError) invalid = NULL;

    if (!fk_dossier_validate (dossier, catalog (), &invalid) &&
        (invalid == NULL || invalid->domain != FK_CORE_ERROR))
      abort ();
  }
  return 0;
}
