/* fk-sync-report.c: reporting handovers, VNeID helps and the queue's
 * state to the server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-sync-report.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "fk-outbox.h"
#include "fk-sync-error.h"
#include "fk-sync-protocol.h"

#define HANDOVER_PREFIX "sync.handover."
#define VNEID_PREFIX    "sync.vneid."

static char *
utc_text (GDateTime *when)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) utc = g_date_time_to_utc (when != NULL ? when : now);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
fk_sync_record_handover (FkStore *store, const char *dossier, GDateTime *when, GError **error)
{
  g_autofree char *canonical = NULL;
  g_autofree char *key = NULL;
  g_autofree char *existing = NULL;
  g_autofree char *text = NULL;

  if (dossier == NULL || !g_uuid_string_is_valid (dossier))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not a dossier number (a UUID)"), dossier != NULL ? dossier : "");
      return FALSE;
    }
  canonical = fk_sync_uuid_canonical (dossier);
  key = g_strconcat (HANDOVER_PREFIX, canonical, NULL);
  existing = fk_store_get_setting (store, key);
  if (existing != NULL)
    return TRUE;
  text = utc_text (when);
  return fk_store_set_setting (store, key, text, error);
}

static gboolean
is_code (const char *s)
{
  if (s == NULL || *s == '\0' || strlen (s) > 32)
    return FALSE;
  for (; *s != '\0'; s++)
    if (!(g_ascii_islower (*s) || g_ascii_isdigit (*s) || *s == '-'))
      return FALSE;
  return TRUE;
}

gboolean
fk_sync_record_vneid (FkStore *store, const char *outcome, const char *date, const char *commune,
                      const char *hamlet, GDateTime *when, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *key = g_strconcat (VNEID_PREFIX, id, NULL);
  g_autofree char *at = utc_text (when);
  g_autofree char *text = NULL;
  GDate parsed;

  g_date_clear (&parsed, 1);
  if (date != NULL)
    g_date_set_parse (&parsed, date);
  if (!is_code (outcome) || date == NULL || strlen (date) != 10 || !g_date_valid (&parsed))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("A VNeID help needs an outcome code and the visit's date (YYYY-MM-DD)"));
      return FALSE;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "outcome");
  json_builder_add_string_value (b, outcome);
  json_builder_set_member_name (b, "date");
  json_builder_add_string_value (b, date);
  json_builder_set_member_name (b, "commune");
  json_builder_add_string_value (b, commune != NULL ? commune : "");
  json_builder_set_member_name (b, "hamlet");
  json_builder_add_string_value (b, hamlet != NULL ? hamlet : "");
  json_builder_set_member_name (b, "at");
  json_builder_add_string_value (b, at);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  return fk_store_set_setting (store, key, text, error);
}

guint
fk_sync_pending_reports (FkStore *store)
{
  g_autoptr (GHashTable) handovers = fk_store_list_settings (store, HANDOVER_PREFIX);
  g_autoptr (GHashTable) helps = fk_store_list_settings (store, VNEID_PREFIX);

  return g_hash_table_size (handovers) + g_hash_table_size (helps);
}

static guint
count_state (FkStore *store, FkOutboxState state)
{
  g_autoptr (GPtrArray) entries = fk_outbox_list (store, state, NULL);

  return entries != NULL ? entries->len : 0;
}

static void
add_queue (JsonBuilder *b, FkStore *store)
{
  json_builder_set_member_name (b, "queue");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "queued");
  json_builder_add_int_value (b, count_state (store, FK_OUTBOX_SEALED) +
                                   count_state (store, FK_OUTBOX_QUEUED) +
                                   count_state (store, FK_OUTBOX_UPLOADING));
  json_builder_set_member_name (b, "quarantined");
  json_builder_add_int_value (b, count_state (store, FK_OUTBOX_QUARANTINED));
  json_builder_end_object (b);
}

/* The pending items of @prefix, at most @room, into @keys. */
static void
add_items (JsonBuilder *b, FkStore *store, const char *prefix, const char *member, GPtrArray *keys,
           guint room)
{
  g_autoptr (GHashTable) pending = fk_store_list_settings (store, prefix);
  g_autoptr (GList) sorted = g_list_sort (g_hash_table_get_keys (pending), (GCompareFunc) strcmp);
  gboolean handover = strcmp (prefix, HANDOVER_PREFIX) == 0;

  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (GList *l = sorted; l != NULL && room > 0; l = l->next, room--)
    {
      const char *key = l->data;
      const char *value = g_hash_table_lookup (pending, key);
      g_autoptr (JsonNode) item = handover ? NULL : json_from_string (value, NULL);

      if (!handover && (item == NULL || !JSON_NODE_HOLDS_OBJECT (item)))
        continue;
      if (handover)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "dossier");
          json_builder_add_string_value (b, key + strlen (prefix));
          json_builder_set_member_name (b, "at");
          json_builder_add_string_value (b, value);
          json_builder_end_object (b);
        }
      else
        {
          json_object_set_string_member (json_node_get_object (item), "id", key + strlen (prefix));
          json_builder_add_value (b, g_steal_pointer (&item));
        }
      g_ptr_array_add (keys, g_strdup (key));
    }
  json_builder_end_array (b);
}

static GBytes *
build_report (FkStore *store, GPtrArray *keys)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  gsize len = 0;
  char *text;

  json_builder_begin_object (b);
  add_queue (b, store);
  add_items (b, store, HANDOVER_PREFIX, "handovers", keys, FK_SYNC_REPORT_MAX_ITEMS);
  add_items (b, store, VNEID_PREFIX, "vneid", keys, FK_SYNC_REPORT_MAX_ITEMS - keys->len);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &len);
  return g_bytes_new_take (text, len);
}

gboolean
fk_sync_report_pending (FkStore *store, FkSyncClient *client, guint *n_handovers,
                        GCancellable *cancellable, GError **error)
{
  *n_handovers = 0;
  /* Once for the queue's state, then as long as items are pending. */
  for (gboolean first = TRUE; first || fk_sync_pending_reports (store) > 0; first = FALSE)
    {
      g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GBytes) body = build_report (store, keys);
      g_autoptr (FkSyncResponse) r = NULL;

      if (!first && keys->len == 0)
        return TRUE;
      r = fk_sync_client_send (client, "POST", "/v1/report", body, NULL, NULL, cancellable);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (fk_sync_response_outcome (r) != FK_SYNC_OUTCOME_OK)
        {
          g_set_error (error, FK_SYNC_ERROR,
                       fk_sync_response_outcome (r) == FK_SYNC_OUTCOME_AUTH
                         ? FK_SYNC_ERROR_AUTH
                         : FK_SYNC_ERROR_TRANSIENT,
                       _ ("The server did not take the device's report: %s"),
                       r->message != NULL ? r->message : "");
          return FALSE;
        }
      /* Taken: what the server could not place (a dossier it does not
       * know) is not sent again either; it says so in its log. */
      for (guint i = 0; i < keys->len; i++)
        {
          if (!fk_store_delete_setting (store, keys->pdata[i], error))
            return FALSE;
          if (g_str_has_prefix (keys->pdata[i], HANDOVER_PREFIX))
            (*n_handovers)++;
        }
    }
  return TRUE;
}
