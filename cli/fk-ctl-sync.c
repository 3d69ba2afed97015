/* fk-ctl-sync.c: fieldkit-ctl sync, every queued dossier uploaded
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
  fk_ctl_json_int (b, "delivered", s->delivered);
  fk_ctl_json_int (b, "quarantined", s->quarantined);
  fk_ctl_json_int (b, "remaining", s->remaining);
  fk_ctl_json_int (b, "bytes_sent", (gint64) s->bytes_sent);
  fk_ctl_json_int (b, "bytes_acked", (gint64) s->bytes_acked);
  fk_ctl_json_string (b, "error", error != NULL ? error->message : NULL);
  fk_ctl_json_int (b, "clock_offset_seconds", s->clock_offset);
  {
    g_autofree char *warning = fk_sync_clock_warning (s->clock_offset);

    fk_ctl_json_string (b, "clock_warning", warning);
  }
  json_builder_set_member_name (b, "quarantine");
  json_builder_begin_array (b);
  for (guint i = 0; quarantined != NULL && i < quarantined->len; i++)
    {
      const FkOutboxEntry *e = quarantined->pdata[i];

      json_builder_begin_object (b);
      fk_ctl_json_string (b, "id", e->id);
      fk_ctl_json_string (b, "reason", e->reason != NULL ? e->reason : "");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
print_summary (FkCtl *ctl, FkStore *store, const FkUploadSummary *summary, const GError *error,
               gboolean json)
{
  if (json)
    {
      g_autoptr (JsonNode) node = summary_json (store, summary, error);

      fk_ctl_print_json (node);
      return;
    }
  g_print (_ ("Delivered: %u, quarantined: %u, still queued: %u\n"), summary->delivered,
           summary->quarantined, summary->remaining);
  {
    g_autofree char *warning = fk_sync_clock_warning (summary->clock_offset);

    if (warning != NULL)
      g_printerr ("fieldkit-ctl %s: %s\n", ctl->command, warning);
  }
  if (error != NULL)
    g_printerr ("fieldkit-ctl %s: %s\n", ctl->command, error->message);
}

int
fk_ctl_sync (FkCtl *ctl, int argc, char **argv)
{
  g_auto (FkCtlServer) server = { 0 };
  g_autofree char *server_key = NULL;
  gboolean json = FALSE;
  int chunk_kib = 0, retries = 0;
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) run_error = NULL;
  g_autoptr (FkStore) store = NULL;
  FkUploadOptions options = { 0 };
  FkUploadSummary summary = { 0 };
  const GOptionEntry entries[] = {
    { "server-key", 0, 0, G_OPTION_ARG_FILENAME, &server_key,
      N_ ("The server's server.pub, to learn its receipt key (once)"), N_ ("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print a JSON summary"), NULL },
    { "chunk-kib", 0, 0, G_OPTION_ARG_INT, &chunk_kib, N_ ("Upload chunk size in KiB"), N_ ("N") },
    { "retries", 0, 0, G_OPTION_ARG_INT, &retries,
      N_ ("Failures in a row before the batch gives up"), N_ ("N") },
    { NULL },
  };

  if (!fk_ctl_parse_with_server (ctl, entries, &server, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (chunk_kib < 0 || chunk_kib > FK_SYNC_MAX_CHUNK_BYTES / 1024 || retries < 0)
    return fk_ctl_usage_error (ctl, _ ("--chunk-kib, --timeout and --retries must be in range"));
  store = fk_ctl_open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail_for (ctl, error);
  if (server_key != NULL && !learn_server_key (store, server_key, &error))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);

  options.chunk_size = (guint) chunk_kib * 1024;
  options.timeout_seconds = (guint) server.timeout;
  options.max_retries = (guint) retries;
  options.ca_file = server.ca_file;
  if (!json && isatty (STDERR_FILENO))
    options.progress = print_progress;
  fk_uploader_run (store, server.url, &options, &summary, NULL, &run_error);
  if (options.progress != NULL)
    g_printerr ("\n");
  if (g_error_matches (run_error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_INITIALIZED))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, run_error);
  print_summary (ctl, store, &summary, run_error, json);
  return summary.remaining == 0 && run_error == NULL ? FK_CTL_EXIT_OK : FK_CTL_EXIT_NEGATIVE;
}
