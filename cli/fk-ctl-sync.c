/* fk-ctl-sync.c: fieldkit-ctl device-key, sync
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fk-ctl.h"
#include "fk-outbox.h"
#include "fk-store.h"
#include "fk-sync-client.h"
#include "fk-sync-error.h"
#include "fk-sync-pull.h"
#include "fk-uploader.h"

int
fk_ctl_run_device_key (FkCtl *ctl, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autofree char *key = NULL;
  const char *dir;

  context = fk_ctl_option_context_new (ctl, NULL);
  if (!fk_ctl_parse_options (ctl, context, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  dir = fk_ctl_require_data_dir (ctl, &error);
  if (dir == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  store = fk_store_open (dir, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  key = fk_device_key_get_public_key_base64 (fk_store_get_device_key (store));
  g_print ("%s\n", key);
  return FK_CTL_EXIT_OK;
}

/* The server's receipt key is learnt once from its server.pub, which must
 * name the same sealing key the store already seals to. */
static gboolean
learn_server_key (FkStore *store, const char *path, GError **error)
{
  g_autofree char *text = NULL;
  guint8 box[FK_SYNC_KEY_BYTES], verify[FK_SYNC_KEY_BYTES];
  g_autofree char *verify_b64 = NULL;

  if (!g_file_get_contents (path, &text, NULL, error) ||
      !fk_sync_server_pub_parse (text, box, verify, error))
    return FALSE;
  if (memcmp (box, fk_store_get_server_public_key (store), FK_SYNC_KEY_BYTES) != 0)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” belongs to another server than the one this device seals its "
                      "dossiers to"),
                   path);
      return FALSE;
    }
  verify_b64 = fk_sync_key_to_base64 (verify);
  return fk_store_set_setting (store, FK_SYNC_SETTING_SERVER_VERIFY_KEY, verify_b64, error);
}

static void
print_progress (guint64 done, guint64 total, guint dossiers_done, guint dossiers_total,
                gpointer user_data)
{
  g_autofree char *done_text = g_format_size (done);
  g_autofree char *total_text = g_format_size (total);

  /* Translators: progress of an upload, e.g. "3/20 dossiers, 2.1 MB of 19.8 MB" */
  g_printerr ("\r");
  g_printerr (_ ("%u/%u dossiers, %s of %s"), dossiers_done, dossiers_total, done_text, total_text);
}

static JsonNode *
summary_json (FkStore *store, const FkUploadSummary *s, const GError *error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GPtrArray) quarantined = fk_outbox_list (store, FK_OUTBOX_QUARANTINED, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "delivered");
  json_builder_add_int_value (b, s->delivered);
  json_builder_set_member_name (b, "quarantined");
  json_builder_add_int_value (b, s->quarantined);
  json_builder_set_member_name (b, "remaining");
  json_builder_add_int_value (b, s->remaining);
  json_builder_set_member_name (b, "bytes_sent");
  json_builder_add_int_value (b, (gint64) s->bytes_sent);
  json_builder_set_member_name (b, "bytes_acked");
  json_builder_add_int_value (b, (gint64) s->bytes_acked);
  json_builder_set_member_name (b, "error");
  if (error != NULL)
    json_builder_add_string_value (b, error->message);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "clock_offset_seconds");
  json_builder_add_int_value (b, s->clock_offset);
  json_builder_set_member_name (b, "clock_warning");
  {
    g_autofree char *warning = fk_sync_clock_warning (s->clock_offset);

    if (warning != NULL)
      json_builder_add_string_value (b, warning);
    else
      json_builder_add_null_value (b);
  }
  json_builder_set_member_name (b, "quarantine");
  json_builder_begin_array (b);
  for (guint i = 0; quarantined != NULL && i < quarantined->len; i++)
    {
      const FkOutboxEntry *e = quarantined->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, e->id);
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, e->reason != NULL ? e->reason : "");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

int
fk_ctl_run_sync (FkCtl *ctl, int argc, char **argv)
{
  g_autofree char *server = NULL;
  g_autofree char *server_key = NULL;
  g_autofree char *ca_file = NULL;
  gboolean json = FALSE;
  int chunk_kib = 0, timeout = 0, retries = 0;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) run_error = NULL;
  g_autoptr (FkStore) store = NULL;
  FkUploadOptions options = { 0 };
  FkUploadSummary summary = { 0 };
  const char *dir;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_ ("Intake server address"), N_ ("URL") },
    { "server-key", 0, 0, G_OPTION_ARG_FILENAME, &server_key,
      N_ ("The server's server.pub, to learn its receipt key (once)"), N_ ("FILE") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_ ("Certificates (PEM) to trust for the server instead of the system's"), N_ ("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print a JSON summary"), NULL },
    { "chunk-kib", 0, 0, G_OPTION_ARG_INT, &chunk_kib, N_ ("Upload chunk size in KiB"), N_ ("N") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_ ("Seconds before a silent request fails"),
      N_ ("S") },
    { "retries", 0, 0, G_OPTION_ARG_INT, &retries,
      N_ ("Failures in a row before the batch gives up"), N_ ("N") },
    { NULL },
  };

  context = fk_ctl_option_context_new (ctl, entries);
  if (!fk_ctl_parse_options (ctl, context, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (server == NULL)
    return fk_ctl_usage_error (ctl, _ ("Give the server with --server URL"));
  if (chunk_kib < 0 || chunk_kib > FK_SYNC_MAX_CHUNK_BYTES / 1024 || timeout < 0 || retries < 0)
    return fk_ctl_usage_error (ctl, _ ("--chunk-kib, --timeout and --retries must be in range"));
  dir = fk_ctl_require_data_dir (ctl, &error);
  if (dir == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  store = fk_store_open (dir, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  if (server_key != NULL && !learn_server_key (store, server_key, &error))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);

  options.chunk_size = (guint) chunk_kib * 1024;
  options.timeout_seconds = (guint) timeout;
  options.max_retries = (guint) retries;
  options.ca_file = ca_file;
  if (!json && isatty (STDERR_FILENO))
    options.progress = print_progress;
  fk_uploader_run (store, server, &options, &summary, NULL, &run_error);
  if (options.progress != NULL)
    g_printerr ("\n");
  if (g_error_matches (run_error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_INITIALIZED))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, run_error);
  if (json)
    {
      g_autoptr (JsonNode) node = summary_json (store, &summary, run_error);

      fk_ctl_print_json (node);
    }
  else
    {
      g_autofree char *warning = fk_sync_clock_warning (summary.clock_offset);

      g_print (_ ("Delivered: %u, quarantined: %u, still queued: %u\n"), summary.delivered,
               summary.quarantined, summary.remaining);
      if (warning != NULL)
        g_printerr ("fieldkit-ctl %s: %s\n", ctl->command, warning);
      if (run_error != NULL)
        g_printerr ("fieldkit-ctl %s: %s\n", ctl->command, run_error->message);
    }
  return summary.remaining == 0 && run_error == NULL ? FK_CTL_EXIT_OK : FK_CTL_EXIT_NEGATIVE;
}

static const char *
member_text (JsonObject *obj, const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING
           ? json_node_get_string (node)
           : "";
}

static JsonArray *
member_array (JsonObject *obj, const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

int
fk_ctl_run_pull (FkCtl *ctl, int argc, char **argv)
{
  g_autofree char *server = NULL;
  g_autofree char *ca_file = NULL;
  gboolean json = FALSE;
  int timeout = 0;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (JsonNode) node = NULL;
  JsonArray *results;
  JsonArray *catalog;
  const char *dir;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_ ("Intake server address"), N_ ("URL") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_ ("Certificates (PEM) to trust for the server instead of the system's"), N_ ("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the server's answer as JSON"), NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_ ("Seconds before a silent request fails"),
      N_ ("S") },
    { NULL },
  };

  context = fk_ctl_option_context_new (ctl, entries);
  if (!fk_ctl_parse_options (ctl, context, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (server == NULL)
    return fk_ctl_usage_error (ctl, _ ("Give the server with --server URL"));
  if (timeout < 0)
    return fk_ctl_usage_error (ctl, _ ("--chunk-kib, --timeout and --retries must be in range"));
  dir = fk_ctl_require_data_dir (ctl, &error);
  if (dir == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  store = fk_store_open (dir, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  node = fk_sync_pull (store, server, ca_file, (guint) timeout, NULL, &error);
  if (node == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  if (json)
    {
      fk_ctl_print_json (node);
      return FK_CTL_EXIT_OK;
    }
  results = member_array (json_node_get_object (node), "results");
  catalog = member_array (json_node_get_object (node), "catalog");
  g_print (_ ("Results ready for handover: %u\n"),
           results != NULL ? json_array_get_length (results) : 0);
  for (guint i = 0; results != NULL && i < json_array_get_length (results); i++)
    {
      JsonNode *element = json_array_get_element (results, i);
      JsonObject *r = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;

      if (r != NULL)
        g_print ("  %s  %s  %s\n", member_text (r, "dossier"), member_text (r, "status"),
                 member_text (r, "note"));
    }
  g_print (_ ("Catalog updates: %u\n"), catalog != NULL ? json_array_get_length (catalog) : 0);
  return FK_CTL_EXIT_OK;
}
