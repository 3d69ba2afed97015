/* fk-sync-pull.c: catalog updates and results ready for handover, after
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

#define CATALOG_CURSOR_KEY "sync.catalog_since"
#define RESULTS_CURSOR_KEY "sync.results_since"

static gint64
cursor (FkStore *store, const char *key)
{
  g_autofree char *text = fk_store_get_setting (store, key);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}

static gboolean
save_cursor (FkStore *store, const char *key, JsonObject *obj, const char *member, GError **error)
{
  JsonNode *node = json_object_get_member (obj, member);
  g_autofree char *text = NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CORRUPT,
                   _ ("The server's answer to a pull is incomplete"));
      return FALSE;
    }
  text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return fk_store_set_setting (store, key, text, error);
}

JsonNode *
fk_sync_pull (FkStore *store, const char *server_url, const char *ca_file, guint timeout_seconds,
              GCancellable *cancellable, GError **error)
{
  g_autoptr (FkSyncClient) client = fk_sync_client_new (
    server_url, fk_store_get_device_key (store), timeout_seconds > 0 ? timeout_seconds : 30, error);
  g_autofree char *target = NULL;
  g_autoptr (FkSyncResponse) r = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;
  gsize len = 0;
  const char *data;
  guint reported = 0;

  if (client == NULL || (ca_file != NULL && !fk_sync_client_set_ca_file (client, ca_file, error)))
    return NULL;
  /* The handovers done since the last pull go first, on the same link. */
  if (!fk_sync_report_pending (store, client, &reported, cancellable, error))
    return NULL;
  target =
    g_strdup_printf ("/v1/pull?catalog_since=%" G_GINT64_FORMAT "&results_since=%" G_GINT64_FORMAT,
                     cursor (store, CATALOG_CURSOR_KEY), cursor (store, RESULTS_CURSOR_KEY));
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
  data = g_bytes_get_data (r->body, &len);
  if (data == NULL || !g_utf8_validate (data, len, NULL) ||
      !fk_json_nesting_within (data, len, FK_SYNC_MAX_JSON_DEPTH) ||
      !json_parser_load_from_data (parser, data, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CORRUPT,
                   _ ("The server's answer to a pull is not a JSON object"));
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (!save_cursor (store, CATALOG_CURSOR_KEY, json_node_get_object (root), "catalog_next",
                    error) ||
      !save_cursor (store, RESULTS_CURSOR_KEY, json_node_get_object (root), "results_next", error))
    return NULL;
  root = json_node_copy (root);
  json_object_set_int_member (json_node_get_object (root), "handovers_reported", reported);
  return root;
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
  JsonNode *node = fk_sync_pull (source, data->server_url, data->ca_file, data->timeout_seconds,
                                 cancellable, &error);

  if (node == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
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
 * Returns: (transfer full) (nullable): the server's JSON object
 */
JsonNode *
fk_sync_pull_finish (FkStore *store, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_sync_pull_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
