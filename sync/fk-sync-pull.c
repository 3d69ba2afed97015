/* fk-sync-pull.c: catalog updates and results ready for handover
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-sync-pull.h"

#include <glib/gi18n.h>

#include "fk-sync-client.h"
#include "fk-sync-error.h"
#include "fk-sync-protocol.h"

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

  if (client == NULL || (ca_file != NULL && !fk_sync_client_set_ca_file (client, ca_file, error)))
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
      !fk_sync_json_depth_ok (data, len, FK_SYNC_MAX_JSON_DEPTH) ||
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
  return json_node_copy (root);
}
