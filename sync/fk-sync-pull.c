/* fk-sync-pull.c: catalog versions and results ready for handover, after
 * the handovers done since the last pull are reported (fk-sync-report.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-sync-pull.h"

#include <glib/gi18n.h>

#include "fk-sync-client.h"
#include "fk-sync-error.h"
#include "fk-json.h"
#include "fk-sync-protocol.h"
#include "fk-sync-report.h"

#define LAST_PULL_KEY "sync.last_pull"

void
fk_sync_pull_summary_free (FkSyncPullSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_pointer (&summary->answer, json_node_unref);
  g_free (summary->catalog_version);
  g_clear_error (&summary->catalog_error);
  g_free (summary);
}

gint64
fk_sync_pull_get_last_success (FkStore *store)
{
  g_autofree char *text = fk_store_get_setting (store, LAST_PULL_KEY);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}

static gboolean
incomplete (GError **error)
{
  g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CORRUPT,
               _ ("The server's answer to a pull is incomplete"));
  return FALSE;
}

static gboolean
get_cursor (JsonObject *obj, const char *member, gint64 *out, GError **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0)
    return incomplete (error);
  *out = json_node_get_int (node);
  return TRUE;
}

static const char *
string_member (JsonObject *obj, const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING
           ? json_node_get_string (node)
           : NULL;
}

/* The results of the answer, kept with their cursor; entries that are not
 * what the protocol allows are skipped. */
static gboolean
keep_results (FkStore *store, JsonObject *root, FkSyncPullSummary *summary, GError **error)
{
  JsonNode *member = json_object_get_member (root, "results");
  g_autoptr (GPtrArray) results =
    g_ptr_array_new_with_free_func ((GDestroyNotify) fk_store_result_free);
  JsonArray *array;
  gint64 next;

  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    return incomplete (error);
  if (!get_cursor (root, "results_next", &next, error))
    return FALSE;
  array = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *r = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      FkStoreResult *result =
        r != NULL ? fk_store_result_new (string_member (r, "dossier"), string_member (r, "status"),
                                         string_member (r, "ready_at"))
                  : NULL;

      if (result != NULL)
        g_ptr_array_add (results, result);
    }
  if (!fk_store_save_results (store, results, next, error))
    return FALSE;
  summary->results = results->len;
  return TRUE;
}

/* The catalog version of the answer, if any, applied by the store; a
 * refusal goes into the summary. */
static gboolean
apply_catalog (FkStore *store, JsonObject *root, FkSyncPullSummary *summary, GError **error)
{
  JsonNode *member = json_object_get_member (root, "catalog");
  JsonArray *array;
  gint64 next;

  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    return incomplete (error);
  if (!get_cursor (root, "catalog_next", &next, error))
    return FALSE;
  array = json_node_get_array (member);
  /* Each version is a whole catalog: the last one listed is the newest. */
  if (json_array_get_length (array) > 0)
    {
      JsonNode *element = json_array_get_element (array, json_array_get_length (array) - 1);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *body = entry != NULL ? string_member (entry, "body") : NULL;
      g_autoptr (GBytes) bytes =
        g_bytes_new (body != NULL ? body : "", body != NULL ? strlen (body) : 0);
      JsonNode *seq = entry != NULL ? json_object_get_member (entry, "seq") : NULL;

      if (seq == NULL || json_node_get_value_type (seq) != G_TYPE_INT64)
        return incomplete (error);
      fk_store_apply_catalog (store, json_node_get_int (seq), bytes,
                              string_member (entry, "signature"), &summary->catalog_applied,
                              &summary->catalog_error);
    }
  return TRUE;
}

static JsonNode *
parse_answer (GBytes *body, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);

  if (data == NULL || !g_utf8_validate (data, len, NULL) ||
      !fk_json_nesting_within (data, len, FK_SYNC_MAX_JSON_DEPTH) ||
      !json_parser_load_from_data (parser, data, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CORRUPT,
                   _ ("The server's answer to a pull is not a JSON object"));
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

/**
 * fk_sync_pull:
 *
 * Returns: (transfer full) (nullable): what came and what was kept
 */
FkSyncPullSummary *
fk_sync_pull (FkStore *store, const char *server_url, const char *ca_file, guint timeout_seconds,
              GCancellable *cancellable, GError **error)
{
  g_autoptr (FkSyncClient) client = fk_sync_client_new (
    server_url, fk_store_get_device_key (store), timeout_seconds > 0 ? timeout_seconds : 30, error);
  g_autoptr (FkSyncPullSummary) summary = g_new0 (FkSyncPullSummary, 1);
  g_autoptr (FkSyncResponse) r = NULL;
  g_autoptr (FkCatalog) catalog = NULL;
  g_autofree char *target = NULL;
  g_autofree char *now = NULL;
  JsonObject *root;
  guint reported = 0;

  if (client == NULL || (ca_file != NULL && !fk_sync_client_set_ca_file (client, ca_file, error)))
    return NULL;
  /* The handovers done since the last pull go first, on the same link. */
  if (!fk_sync_report_pending (store, client, &reported, cancellable, error))
    return NULL;
  target =
    g_strdup_printf ("/v1/pull?catalog_since=%" G_GINT64_FORMAT "&results_since=%" G_GINT64_FORMAT,
                     fk_store_get_catalog_cursor (store), fk_store_get_results_cursor (store));
  r = fk_sync_client_send (client, "GET", target, NULL, NULL, NULL, cancellable);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (fk_sync_response_outcome (r) != FK_SYNC_OUTCOME_OK)
    {
      g_set_error (error, FK_SYNC_ERROR,
                   fk_sync_response_outcome (r) == FK_SYNC_OUTCOME_AUTH ? FK_SYNC_ERROR_AUTH
                                                                        : FK_SYNC_ERROR_TRANSIENT,
                   _ ("The server gave nothing to pull: %s"), r->message != NULL ? r->message : "");
      return NULL;
    }
  summary->answer = parse_answer (r->body, error);
  if (summary->answer == NULL)
    return NULL;
  root = json_node_get_object (summary->answer);
  if (!keep_results (store, root, summary, error) || !apply_catalog (store, root, summary, error))
    return NULL;
  catalog = fk_store_get_catalog (store, error);
  if (catalog == NULL)
    return NULL;
  summary->handovers_reported = reported;
  summary->catalog_version = g_strdup (fk_catalog_get_version (catalog));
  now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  fk_store_set_setting (store, LAST_PULL_KEY, now, NULL);
  return g_steal_pointer (&summary);
}

typedef struct
{
  char *server_url;
  char *ca_file;
  guint timeout_seconds;
} PullData;

static void
pull_data_free (PullData *data)
{
  g_free (data->server_url);
  g_free (data->ca_file);
  g_free (data);
}

static void
pull_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  PullData *data = task_data;
  GError *error = NULL;
  FkSyncPullSummary *summary = fk_sync_pull (source, data->server_url, data->ca_file,
                                             data->timeout_seconds, cancellable, &error);

  if (summary == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, summary, (GDestroyNotify) fk_sync_pull_summary_free);
}

void
fk_sync_pull_async (FkStore *store, const char *server_url, const char *ca_file,
                    guint timeout_seconds, GCancellable *cancellable, GAsyncReadyCallback callback,
                    gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  PullData *data;

  g_return_if_fail (FK_IS_STORE (store));
  g_return_if_fail (server_url != NULL);
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_sync_pull_async);
  data = g_new0 (PullData, 1);
  data->server_url = g_strdup (server_url);
  data->ca_file = g_strdup (ca_file);
  data->timeout_seconds = timeout_seconds;
  g_task_set_task_data (task, data, (GDestroyNotify) pull_data_free);
  g_task_run_in_thread (task, pull_thread);
}

/**
 * fk_sync_pull_finish:
 *
 * Returns: (transfer full) (nullable): what came and what was kept
 */
FkSyncPullSummary *
fk_sync_pull_finish (FkStore *store, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_sync_pull_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
