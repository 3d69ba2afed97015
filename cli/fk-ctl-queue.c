/* fk-ctl-queue.c: fieldkit-ctl queue list, purge, discard: the outbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-ctl.h"
#include "fk-outbox.h"

int
fk_ctl_queue_list (FkCtl *ctl, int argc, char **argv)
{
  gboolean json = FALSE;
  char *state_name = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the queue as JSON"), NULL },
    { "state", 0, 0, G_OPTION_ARG_STRING, &state_name,
      N_ ("Only dossiers in this state (draft, sealed, queued, uploading, delivered, "
          "quarantined, discarded)"),
      N_ ("STATE") },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autofree char *state_owned = NULL;
  FkOutboxState state = FK_OUTBOX_ANY_STATE;

  if (!fk_ctl_parse (ctl, entries, NULL, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  state_owned = state_name;
  if (state_name != NULL && !fk_outbox_state_from_string (state_name, &state))
    return fk_ctl_usage_error (ctl, _ ("“%s” is not an outbox state."), state_name);
  store = fk_ctl_open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail_for (ctl, error);
  list = fk_outbox_list (store, state, &error);
  if (list == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);

  if (json)
    {
      g_autoptr (JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_sized_new (list->len);

      for (guint i = 0; i < list->len; i++)
        {
          FkOutboxEntry *e = g_ptr_array_index (list, i);
          JsonObject *o = json_object_new ();
          g_autoptr (GDateTime) created = g_date_time_new_from_unix_utc (e->created);
          g_autofree char *iso = g_date_time_format_iso8601 (created);

          json_object_set_string_member (o, "id", e->id);
          json_object_set_string_member (o, "state", fk_outbox_state_to_string (e->state));
          json_object_set_string_member (o, "procedure", e->procedure);
          json_object_set_string_member (o, "created", iso);
          json_object_set_int_member (o, "bytes", (gint64) e->bytes);
          if (e->reason != NULL)
            json_object_set_string_member (o, "reason", e->reason);
          json_array_add_object_element (array, o);
        }
      json_node_take_array (root, array);
      fk_ctl_print_json (root);
      return FK_CTL_EXIT_OK;
    }
  for (guint i = 0; i < list->len; i++)
    {
      FkOutboxEntry *e = g_ptr_array_index (list, i);
      g_autoptr (GDateTime) created = g_date_time_new_from_unix_local (e->created);
      g_autofree char *when = g_date_time_format (created, "%Y-%m-%d %H:%M");
      g_autofree char *size = g_format_size (e->bytes);

      g_print ("%s  %-11s  %-24s  %s  %s%s%s\n", e->id, fk_outbox_state_to_string (e->state),
               e->procedure, when, size, e->reason != NULL ? "  " : "",
               e->reason != NULL ? e->reason : "");
    }
  return FK_CTL_EXIT_OK;
}

int
fk_ctl_queue_purge (FkCtl *ctl, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  guint purged = 0;

  if (!fk_ctl_parse (
        ctl, NULL,
        _ ("Keeps what result handover needs (dossier ID, procedure, dates, the keyed hash "
           "of the ID number, the server's receipt). The period is set with “admin "
           "retention”."),
        &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  store = fk_ctl_open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL || !fk_store_purge_expired (store, &purged, &error))
    return fk_ctl_fail_for (ctl, error);
  g_print (g_dngettext (GETTEXT_PACKAGE, "%u delivered dossier purged.\n",
                        "%u delivered dossiers purged.\n", purged),
           purged);
  return FK_CTL_EXIT_OK;
}

/* No PIN: discarding decrypts nothing, like purge, and the GUI that holds
 * the PIN is the officer's way; --yes stands for the GUI's confirmation. */
int
fk_ctl_queue_discard (FkCtl *ctl, int argc, char **argv)
{
  gboolean yes = FALSE;
  const GOptionEntry entries[] = {
    { "yes", 0, 0, G_OPTION_ARG_NONE, &yes, N_ ("Confirm that the dossier is erased for good"),
      NULL },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (FkOutboxEntry) entry = NULL;

  if (!fk_ctl_parse (
        ctl, entries,
        _ ("Only a dossier the server refused (quarantined) can be discarded. Its sealed "
           "content and files are erased; the dossier ID, procedure, dates and the reason "
           "stay for the audit log and the reports."),
        &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (argc != 2)
    return fk_ctl_usage_error (ctl, "%s", _ ("Give one dossier ID."));
  if (!yes)
    return fk_ctl_usage_error (ctl, "%s",
                               _ ("Discarding erases the dossier for good: add --yes to confirm."));
  store = fk_ctl_open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail_for (ctl, error);
  entry = fk_outbox_get (store, argv[1], &error);
  if (entry == NULL ||
      !fk_outbox_transition (store, entry->id, FK_OUTBOX_DISCARDED, NULL, NULL, &error))
    return fk_ctl_fail_for (ctl, error);
  g_print (_ ("Dossier %s discarded.\n"), entry->id);
  return FK_CTL_EXIT_OK;
}
