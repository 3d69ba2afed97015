/* fk-ctl-intake.c: fieldkit-ctl intake add, a dossier sealed and queued
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "fk-ctl.h"
#include "fk-store-error.h"

/* The script's attachments, [{kind, path, document?}], as files for the
 * store to seal; a photo named by its `document` code records it. */
static gboolean
add_attachments (JsonObject *dossier, const char *base_dir, GPtrArray *attachments, GError **error)
{
  JsonNode *node = json_object_get_member (dossier, "attachments");
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                           _ ("“attachments” must be a list of {kind, path}."));
      return FALSE;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *a = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *kind_name =
        a != NULL ? json_object_get_string_member_with_default (a, "kind", NULL) : NULL;
      const char *path =
        a != NULL ? json_object_get_string_member_with_default (a, "path", NULL) : NULL;
      const char *document =
        a != NULL ? json_object_get_string_member_with_default (a, "document", NULL) : NULL;
      g_autofree char *full = NULL;
      g_autoptr (GFile) file = NULL;
      FkAttachmentKind kind;

      if (kind_name == NULL || path == NULL)
        {
          g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                       _ ("Attachment %u needs a “kind” and a “path”."), i + 1);
          return FALSE;
        }
      if (!fk_attachment_kind_from_string (kind_name, &kind))
        {
          g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                       _ ("Attachment %u has the unknown kind “%s”: use “document”, "
                          "“fingerprint”, “fingerprint-template” or “receipt”."),
                       i + 1, kind_name);
          return FALSE;
        }
      full = g_canonicalize_filename (path, base_dir);
      if (g_access (full, R_OK) != 0 || g_file_test (full, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                       _ ("Cannot read the attachment %s: %s"), full,
                       g_file_test (full, G_FILE_TEST_IS_DIR) ? _ ("it is a directory")
                                                              : g_strerror (errno));
          return FALSE;
        }
      file = g_file_new_for_path (full);
      g_ptr_array_add (attachments, fk_store_attachment_new_for_file (kind, document, file));
    }
  return TRUE;
}

/* The dossier of @json_path: (transfer full) the dossier, its attachments
 * into @attachments. FALSE with an exit code in @out_exit. */
static FkDossier *
load_dossier (const char *json_path, GPtrArray *attachments, int *out_exit, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  g_autofree char *dirname = g_path_get_dirname (json_path);
  g_autofree char *base_dir = g_canonicalize_filename (dirname, NULL);
  JsonNode *root;
  FkDossier *dossier;

  *out_exit = FK_CTL_EXIT_USAGE;
  if (!json_parser_load_from_file (parser, json_path, &local))
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT, _ ("Cannot read %s: %s"),
                   json_path, local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                   _ ("%s does not hold a JSON object."), json_path);
      return NULL;
    }
  if (!add_attachments (json_node_get_object (root), base_dir, attachments, error))
    return NULL;
  /* The files go to the store beside the dossier, not inside it. */
  json_object_remove_member (json_node_get_object (root), "attachments");
  dossier = fk_dossier_new_from_json (root, &local);
  if (dossier == NULL)
    {
      *out_exit = FK_CTL_EXIT_NEGATIVE;
      g_propagate_error (error, g_steal_pointer (&local));
    }
  return dossier;
}

int
fk_ctl_intake_add (FkCtl *ctl, int argc, char **argv)
{
  g_autofree char *json_path = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json_path,
      N_ ("The dossier as JSON; attachment paths are relative to this file"), N_ ("FILE") },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) attachments = fk_store_attachments_new ();
  g_autoptr (FkStore) store = NULL;
  g_autoptr (FkDossier) dossier = NULL;
  g_autofree char *id = NULL;
  int exit_code;

  if (!fk_ctl_parse (
        ctl, entries,
        _ ("The JSON holds “procedure”, “citizen”, “fields”, an optional “id” (UUID) and "
           "“attachments”: [{“kind”, “path”, “document”}] (“document”: the catalog code of the "
           "paper a photo shows). The UUID is printed once the dossier is "
           "safely on disk. Adding the same “id” again creates nothing and prints the "
           "existing UUID. Needs the PIN (FIELDKIT_PIN or the terminal)."),
        &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (json_path == NULL)
    return fk_ctl_usage_error (ctl, "%s", _ ("Give the dossier with --json FILE."));
  dossier = load_dossier (json_path, attachments, &exit_code, &error);
  if (dossier == NULL)
    return fk_ctl_fail (ctl, exit_code, error);

  store = fk_ctl_open_store (ctl, FK_STORE_OPEN_DEFAULT, &error);
  if (store == NULL || !fk_ctl_unlock_store (store, &error))
    return fk_ctl_fail_for (ctl, error);
  id = fk_store_commit_dossier (store, dossier, attachments, TRUE, NULL, NULL, &error);
  if (id == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  g_print ("%s\n", id);
  return FK_CTL_EXIT_OK;
}
