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
#include "fk-sync-error.h"

static gboolean
add_attachments (JsonObject *dossier, const char *base_dir, GPtrArray *attachments, GError **error)
{
  JsonNode *node = json_object_get_member (dossier, "attachments");
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                           _ ("“attachments” must be a list of {kind, path}."));
      return FALSE;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *a = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *kind =
        a != NULL ? json_object_get_string_member_with_default (a, "kind", NULL) : NULL;
      const char *path =
        a != NULL ? json_object_get_string_member_with_default (a, "path", NULL) : NULL;
      g_autofree char *full = NULL;
      g_autoptr (GFile) file = NULL;

      if (kind == NULL || path == NULL)
        {
          g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                       _ ("Attachment %u needs a “kind” and a “path”."), i + 1);
          return FALSE;
        }
      full = g_canonicalize_filename (path, base_dir);
      if (g_access (full, R_OK) != 0 || g_file_test (full, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                       _ ("Cannot read the attachment %s: %s"), full,
                       g_file_test (full, G_FILE_TEST_IS_DIR) ? _ ("it is a directory")
                                                              : g_strerror (errno));
          return FALSE;
        }
      file = g_file_new_for_path (full);
      g_ptr_array_add (attachments, fk_store_attachment_new (kind, file));
    }
  return TRUE;
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
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GPtrArray) attachments =
    g_ptr_array_new_with_free_func ((GDestroyNotify) fk_store_attachment_free);
  g_autoptr (FkStore) store = NULL;
  g_autofree char *base_dir = NULL;
  g_autofree char *id = NULL;
  JsonNode *root;

  if (!fk_ctl_parse (
        ctl, entries,
        _ ("The JSON holds “procedure”, “citizen”, “fields”, an optional “id” (UUID) and "
           "“attachments”: [{“kind”, “path”}]. The UUID is printed once the dossier is "
           "safely on disk. Adding the same “id” again creates nothing and prints the "
           "existing UUID. Needs the PIN (FIELDKIT_PIN or the terminal)."),
        &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (json_path == NULL)
    return fk_ctl_usage_error (ctl, "%s", _ ("Give the dossier with --json FILE."));
  if (!json_parser_load_from_file (parser, json_path, &error))
    {
      g_autoptr (GError) wrapped =
        g_error_new (FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT, _ ("Cannot read %s: %s"),
                     json_path, error->message);
      return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, wrapped);
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return fk_ctl_usage_error (ctl, _ ("%s does not hold a JSON object."), json_path);
  {
    g_autofree char *dirname = g_path_get_dirname (json_path);

    base_dir = g_canonicalize_filename (dirname, NULL);
  }
  if (!add_attachments (json_node_get_object (root), base_dir, attachments, &error))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);

  store = fk_ctl_open_store (ctl, FK_STORE_OPEN_DEFAULT, &error);
  if (store == NULL || !fk_ctl_unlock_store (store, &error))
    return fk_ctl_fail_for (ctl, error);
  id = fk_store_commit_dossier (store, json_node_get_object (root), attachments, TRUE, NULL, NULL,
                                &error);
  if (id == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  g_print ("%s\n", id);
  return FK_CTL_EXIT_OK;
}
