/* fk-ctl-catalog.c: fieldkit-ctl catalog list and catalog show, the
 * procedures in use and what the guide tells of one
 *
 * With --data DIR the catalog is the store's (the newest version pulled
 * from the server, else the shipped one); without, the shipped one.
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

static void
add_documents (JsonBuilder *builder, FkProcedure *procedure)
{
  GPtrArray *documents = fk_procedure_get_documents (procedure);

  json_builder_set_member_name (builder, "documents");
  json_builder_begin_array (builder);
  for (guint k = 0; k < documents->len; k++)
    {
      const FkProcedureDocument *document = g_ptr_array_index (documents, k);
      FkDocumentHandling handling = fk_procedure_document_get_handling (document);

      json_builder_begin_object (builder);
      fk_ctl_json_string (builder, "code", fk_procedure_document_get_code (document));
      fk_ctl_json_string (builder, "title", fk_procedure_document_get_title (document));
      fk_ctl_json_bool (builder, "required", fk_procedure_document_get_required (document));
      /* true: the original is shown and handed back; false: kept */
      if (handling != FK_DOCUMENT_UNSPECIFIED)
        fk_ctl_json_bool (builder, "original", handling == FK_DOCUMENT_ORIGINAL_SHOWN);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* What the guide tells: fee, time limit, who decides, the portal. */
static void
add_guide (JsonBuilder *builder, FkProcedure *procedure)
{
  const char *const *keywords = fk_procedure_get_keywords (procedure);
  gint64 amount;
  gboolean full;

  fk_ctl_json_string (builder, "authority", fk_procedure_get_authority (procedure));
  json_builder_set_member_name (builder, "fee");
  if (fk_procedure_get_fee (procedure) == NULL)
    json_builder_add_null_value (builder);
  else
    {
      json_builder_begin_object (builder);
      fk_ctl_json_string (builder, "text", fk_procedure_get_fee (procedure));
      if (fk_procedure_get_fee_amount (procedure, &amount))
        fk_ctl_json_int (builder, "amount", amount);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "time_limit_days");
  if (fk_procedure_get_time_limit_days (procedure) < 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, fk_procedure_get_time_limit_days (procedure));
  fk_ctl_json_string (builder, "time_limit_note", fk_procedure_get_time_limit_note (procedure));
  json_builder_set_member_name (builder, "online");
  if (!fk_procedure_has_online_info (procedure))
    json_builder_add_null_value (builder);
  else
    {
      json_builder_begin_object (builder);
      fk_ctl_json_bool (builder, "available", fk_procedure_get_online (procedure, &full));
      fk_ctl_json_bool (builder, "full", full);
      fk_ctl_json_string (builder, "portal_code", fk_procedure_get_portal_code (procedure));
      fk_ctl_json_string (builder, "note", fk_procedure_get_online_note (procedure));
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "keywords");
  json_builder_begin_array (builder);
  for (guint i = 0; keywords != NULL && keywords[i] != NULL; i++)
    json_builder_add_string_value (builder, keywords[i]);
  json_builder_end_array (builder);
}

static void
add_procedure (JsonBuilder *builder, FkProcedure *procedure)
{
  g_autoptr (GPtrArray) submitters = fk_procedure_get_submitters (procedure);
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
  add_documents (builder, procedure);
  add_guide (builder, procedure);
  json_builder_set_member_name (builder, "fields");
  json_builder_begin_array (builder);
  for (guint k = 0; k < fields->len; k++)
    add_field (builder, g_ptr_array_index (fields, k));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
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
    add_procedure (builder, g_ptr_array_index (procedures, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
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

static char *
online_text (FkProcedure *procedure)
{
  gboolean full = FALSE;
  const char *code = fk_procedure_get_portal_code (procedure);

  if (!fk_procedure_has_online_info (procedure))
    return g_strdup (_ ("not stated"));
  if (!fk_procedure_get_online (procedure, &full))
    return g_strdup (_ ("no, in person only"));
  /* Translators: first %s: "entirely" or "in part"; second: the portal's code */
  return g_strdup_printf (_ ("yes, %s, on the national public service portal%s%s"),
                          full ? _ ("entirely") : _ ("in part"), code != NULL ? " · " : "",
                          code != NULL ? code : "");
}

/* One procedure as the officer reads it to a citizen. */
static void
print_procedure (FkProcedure *procedure)
{
  g_autoptr (GPtrArray) submitters = fk_procedure_get_submitters (procedure);
  GPtrArray *documents = fk_procedure_get_documents (procedure);
  g_autofree char *limit = fk_procedure_format_time_limit (procedure);
  g_autofree char *online = online_text (procedure);
  const char *text;

  g_print ("%s (%s)\n", fk_procedure_get_title (procedure), fk_procedure_get_code (procedure));
  if ((text = fk_procedure_get_description (procedure)) != NULL)
    g_print ("%s\n", text);
  g_print ("\n%s\n", _ ("Who may submit:"));
  for (guint i = 0; i < submitters->len; i++)
    g_print ("  - %s\n", (const char *) g_ptr_array_index (submitters, i));
  g_print ("%s\n", _ ("Papers:"));
  for (guint i = 0; i < documents->len; i++)
    {
      const FkProcedureDocument *d = g_ptr_array_index (documents, i);
      FkDocumentHandling handling = fk_procedure_document_get_handling (d);

      g_print ("  [%s] %s\n",
               handling == FK_DOCUMENT_ORIGINAL_SHOWN ? _ ("original to show")
               : handling == FK_DOCUMENT_KEPT         ? _ ("kept in the dossier")
                                                      : "-",
               fk_procedure_document_get_title (d));
    }
  g_print ("%s %s\n", _ ("Fee:"),
           (text = fk_procedure_get_fee (procedure)) != NULL ? text : _ ("not stated"));
  g_print ("%s %s%s%s\n", _ ("Time limit:"), limit,
           fk_procedure_get_time_limit_note (procedure) != NULL ? " — " : "",
           fk_procedure_get_time_limit_note (procedure) != NULL
             ? fk_procedure_get_time_limit_note (procedure)
             : "");
  g_print ("%s %s\n", _ ("Decided by:"),
           (text = fk_procedure_get_authority (procedure)) != NULL ? text : _ ("not stated"));
  g_print ("%s %s\n", _ ("Online:"), online);
  g_print ("%s %s\n", _ ("Legal basis:"),
           (text = fk_procedure_get_legal_basis (procedure)) != NULL ? text : _ ("not stated"));
}

int
fk_ctl_catalog_show (FkCtl *ctl, int argc, char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_ ("Print the procedure as JSON (fee, time_limit_days, online, documents…)"), NULL },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (FkCatalog) catalog = NULL;
  FkProcedure *procedure;

  if (!fk_ctl_parse (ctl, entries, NULL, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (argc != 2)
    return fk_ctl_usage_error (ctl, _ ("Give one procedure code (“catalog list” shows them)."));
  catalog = load_catalog (ctl, &error);
  if (catalog == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  procedure = fk_catalog_lookup (catalog, argv[1]);
  if (procedure == NULL)
    {
      g_printerr ("fieldkit-ctl %s: ", ctl->command);
      /* Translators: %s is a procedure code as typed, %s the catalog's version */
      g_printerr (_ ("No procedure “%s” in catalog version %s; “catalog list” shows them.\n"),
                  argv[1], fk_catalog_get_version (catalog));
      return FK_CTL_EXIT_NEGATIVE;
    }
  if (json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;

      add_procedure (builder, procedure);
      root = json_builder_get_root (builder);
      json_object_set_string_member (json_node_get_object (root), "catalog_version",
                                     fk_catalog_get_version (catalog));
      fk_ctl_print_json (root);
      return FK_CTL_EXIT_OK;
    }
  print_procedure (procedure);
  return FK_CTL_EXIT_OK;
}
