/* fk-ctl-catalog.c: fieldkit-ctl catalog list, the procedures in use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-core.h"
#include "fk-ctl.h"

static void
add_field (JsonBuilder *builder, const FkProcedureField *field)
{
  const char *const *choices = fk_procedure_field_get_choices (field);

  json_builder_begin_object (builder);
  fk_ctl_json_string (builder, "name", fk_procedure_field_get_name (field));
  fk_ctl_json_string (builder, "label", fk_procedure_field_get_label (field));
  fk_ctl_json_string (builder, "type",
                      fk_field_type_to_string (fk_procedure_field_get_field_type (field)));
  fk_ctl_json_bool (builder, "required", fk_procedure_field_get_required (field));
  if (fk_procedure_field_get_max_length (field) > 0)
    {
      fk_ctl_json_int (builder, "max_length", fk_procedure_field_get_max_length (field));
    }
  if (fk_procedure_field_get_pattern (field) != NULL)
    fk_ctl_json_string (builder, "pattern", fk_procedure_field_get_pattern (field));
  if (choices != NULL)
    {
      json_builder_set_member_name (builder, "choices");
      json_builder_begin_array (builder);
      for (guint i = 0; choices[i] != NULL; i++)
        {
          json_builder_begin_object (builder);
          fk_ctl_json_string (builder, "value", choices[i]);
          fk_ctl_json_string (builder, "label",
                              fk_procedure_field_get_choice_label (field, choices[i]));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

/* The catalog in use in the store of --data (the newest applied from the
 * server, else the shipped one), or the shipped one without --data. A
 * version kept in the store that fails its check is named on stderr. */
static FkCatalog *
load_catalog (FkCtl *ctl, GError **error)
{
  g_autoptr (FkStore) store = NULL;
  g_autofree char *problem = NULL;
  FkCatalog *catalog;

  if (ctl->data_dir == NULL)
    return fk_catalog_new_default (error);
  store = fk_ctl_open_store (ctl, FK_STORE_OPEN_SHARED, error);
  if (store == NULL)
    return NULL;
  catalog = fk_store_get_catalog (store, error);
  problem = fk_store_get_catalog_problem (store);
  if (problem != NULL)
    g_printerr ("fieldkit-ctl %s: %s\n", ctl->command, problem);
  return catalog;
}

static JsonNode *
catalog_to_json (FkCatalog *catalog, GPtrArray *procedures)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  fk_ctl_json_string (builder, "version", fk_catalog_get_version (catalog));
  json_builder_set_member_name (builder, "procedures");
  json_builder_begin_array (builder);
  for (guint i = 0; i < procedures->len; i++)
    {
      FkProcedure *procedure = g_ptr_array_index (procedures, i);
      g_autoptr (GPtrArray) submitters = fk_procedure_get_submitters (procedure);
      GPtrArray *documents = fk_procedure_get_documents (procedure);
      GPtrArray *fields = fk_procedure_get_fields (procedure);

      json_builder_begin_object (builder);
      fk_ctl_json_string (builder, "code", fk_procedure_get_code (procedure));
      fk_ctl_json_string (builder, "title", fk_procedure_get_title (procedure));
      fk_ctl_json_string (builder, "description", fk_procedure_get_description (procedure));
      fk_ctl_json_string (builder, "legal_basis", fk_procedure_get_legal_basis (procedure));
      json_builder_set_member_name (builder, "submitters");
      json_builder_begin_array (builder);
      for (guint k = 0; k < submitters->len; k++)
        json_builder_add_string_value (builder, g_ptr_array_index (submitters, k));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "documents");
      json_builder_begin_array (builder);
      for (guint k = 0; k < documents->len; k++)
        {
          const FkProcedureDocument *document = g_ptr_array_index (documents, k);

          json_builder_begin_object (builder);
          fk_ctl_json_string (builder, "code", fk_procedure_document_get_code (document));
          fk_ctl_json_string (builder, "title", fk_procedure_document_get_title (document));
          fk_ctl_json_bool (builder, "required", fk_procedure_document_get_required (document));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "fields");
      json_builder_begin_array (builder);
      for (guint k = 0; k < fields->len; k++)
        add_field (builder, g_ptr_array_index (fields, k));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

int
fk_ctl_catalog_list (FkCtl *ctl, int argc, char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_ ("Print the whole catalog (fields, documents, submitters) as JSON"), NULL },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (FkCatalog) catalog = NULL;
  g_autoptr (GPtrArray) procedures = NULL;

  if (!fk_ctl_parse (ctl, entries, NULL, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (argc > 1)
    return fk_ctl_usage_error (ctl, _ ("This command takes no arguments."));

  catalog = load_catalog (ctl, &error);
  if (catalog == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  procedures = fk_catalog_get_procedures (catalog);

  if (json)
    {
      g_autoptr (JsonNode) root = catalog_to_json (catalog, procedures);

      fk_ctl_print_json (root);
      return FK_CTL_EXIT_OK;
    }

  /* Translators: %s is the catalog's version */
  g_print (_ ("Procedure catalog, version %s"), fk_catalog_get_version (catalog));
  g_print ("\n");
  for (guint i = 0; i < procedures->len; i++)
    {
      FkProcedure *procedure = g_ptr_array_index (procedures, i);

      g_print ("  %-34s %s\n", fk_procedure_get_code (procedure),
               fk_procedure_get_title (procedure));
    }
  return FK_CTL_EXIT_OK;
}
