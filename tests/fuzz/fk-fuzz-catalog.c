/* fk-fuzz-catalog.c: a procedure catalog (as the server publishes it and
 * the device applies it) on arbitrary bytes
 *
 * A catalog that loads answers every question the app and fieldkit-ctl ask
 * of it, checks an empty form and its own version without crashing; one
 * that does not load says why in the core's error domain.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>

#include "fk-core.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
walk_procedure (FkProcedure *procedure)
{
  g_autoptr (JsonObject) empty = json_object_new ();
  g_autoptr (GError) invalid = NULL;
  g_autoptr (GPtrArray) submitters = fk_procedure_get_submitters (procedure);
  GPtrArray *fields = fk_procedure_get_fields (procedure);
  GPtrArray *documents = fk_procedure_get_documents (procedure);

  if (fk_procedure_get_title (procedure) == NULL)
    abort ();
  fk_procedure_get_description (procedure);
  fk_procedure_get_legal_basis (procedure);
  for (guint i = 0; i < submitters->len; i++)
    if (g_ptr_array_index (submitters, i) == NULL)
      abort ();
  for (guint i = 0; i < fields->len; i++)
    {
      const FkProcedureField *field = g_ptr_array_index (fields, i);
      const char *const *choices = fk_procedure_field_get_choices (field);

      if (fk_procedure_field_get_label (field) == NULL ||
          fk_procedure_find_field (procedure, fk_procedure_field_get_name (field)) != field)
        abort ();
      for (guint k = 0; choices != NULL && choices[k] != NULL; k++)
        if (fk_procedure_field_get_choice_label (field, choices[k]) == NULL)
          abort ();
    }
  for (guint i = 0; i < documents->len; i++)
    if (fk_procedure_document_get_title (g_ptr_array_index (documents, i)) == NULL)
      abort ();
  if (!fk_procedure_validate_fields (procedure, empty, &invalid) &&
      (invalid == NULL || invalid->domain != FK_CORE_ERROR))
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GBytes) bytes = g_bytes_new (data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (FkCatalog) catalog = fk_catalog_new_from_bytes (bytes, &error);
  g_autoptr (GPtrArray) procedures = NULL;

  if (catalog == NULL)
    {
      if (error == NULL || error->domain != FK_CORE_ERROR || error->message == NULL)
        abort ();
      return 0;
    }
  if (error != NULL || !fk_catalog_version_is_valid (fk_catalog_get_version (catalog)) ||
      fk_catalog_version_compare (fk_catalog_get_version (catalog),
                                  fk_catalog_get_version (catalog)) != 0)
    abort ();
  procedures = fk_catalog_get_procedures (catalog);
  for (guint i = 0; i < procedures->len; i++)
    {
      FkProcedure *procedure = g_ptr_array_index (procedures, i);

      if (fk_catalog_lookup (catalog, fk_procedure_get_code (procedure)) != procedure)
        abort ();
      walk_procedure (procedure);
    }
  return 0;
}
