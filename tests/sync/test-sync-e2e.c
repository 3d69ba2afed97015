/* test-sync-e2e.c: a real device store, fieldkit-ctl sync and
 * fieldkit-server, through a proxy that cuts, stalls, refuses and answers
 * 500; the server killed and restarted, the client killed mid-upload. In
 * the end the server's export holds every dossier exactly once, with the
 * device's bytes, and the device counts all of them delivered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "fk-outbox.h"
#include "fk-sync-client.h"
#include "fk-uploader.h"
#include "fk-vault.h"
#include "fk-test-device.h"
#include "fk-test-pg.h"
#include "fk-test-server.h"
#include "fk-test-store.h"
#include "fk-test-sync.h"

static gboolean postgresql;
static gboolean slow;

static gint64
member_int (JsonObject *obj, const char *name)
{
  return json_object_get_int_member (obj, name);
}

static void
test_clean (void)
{
  FkTestSyncFixture f = { 0 };
  g_autoptr (GSubprocess) p = NULL;
  g_autoptr (JsonObject) summary = NULL;
  int status = -1;

  fk_test_sync_setup (&f, postgresql, 3, 2, 50 * 1000, TRUE);
  p = fk_test_sync_start (f.device_dir, f.server->url, f.server_pub, NULL);
  summary = fk_test_sync_finish (p, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (member_int (summary, "delivered"), ==, 3);
  g_assert_cmpint (member_int (summary, "remaining"), ==, 0);
  fk_test_assert_exactly_once (f.server, f.device_dir, f.ids);

  /* Nothing left: a second run sends nothing and changes nothing. */
  g_clear_object (&p);
  g_clear_pointer (&summary, json_object_unref);
  p = fk_test_sync_start (f.device_dir, f.server->url, NULL, NULL);
  summary = fk_test_sync_finish (p, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (member_int (summary, "delivered"), ==, 0);
  g_assert_cmpint (member_int (summary, "bytes_sent"), ==, 0);
  fk_test_assert_exactly_once (f.server, f.device_dir, f.ids);
  fk_test_sync_teardown (&f);
}

static void
test_not_enrolled_then_quarantine (void)
{
  FkTestSyncFixture f = { 0 };
  g_autoptr (GSubprocess) p = NULL;
  g_autoptr (JsonObject) summary = NULL;
  g_autoptr (GPtrArray) delivered = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *out = NULL;
  int status = -1;

  fk_test_sync_setup (&f, postgresql, 3, 1, 20 * 1000, FALSE);

  /* Not enrolled: refused, nothing quarantined, everything still queued. */
  p = fk_test_sync_start (f.device_dir, f.server->url, f.server_pub, NULL);
  summary = fk_test_sync_finish (p, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (summary, "error"), "enroll"));
  g_assert_cmpuint (fk_test_count_state (f.device_dir, FK_OUTBOX_QUEUED), ==, 3);
  g_assert_cmpuint (fk_test_count_state (f.device_dir, FK_OUTBOX_QUARANTINED), ==, 0);

  /* The second dossier's photo is damaged on the device: the server sees
   * bytes that do not match the manifest and refuses it for good. */
  {
    g_autoptr (FkStore) store = fk_store_open (f.device_dir, FK_STORE_OPEN_SHARED, &error);
    g_autoptr (GPtrArray) parts = fk_outbox_list_parts (store, f.ids->pdata[1], &error);

    g_assert_no_error (error);
    fk_test_flip_byte (((FkOutboxPart *) parts->pdata[1])->path, 100);
  }
  key = fk_test_device_key (f.device_dir);
  out = fk_test_server_ctl (f.server, 0, "device", "add", "--pubkey", key, "--name", "t", NULL);
  g_clear_object (&p);
  g_clear_pointer (&summary, json_object_unref);
  /* The reason is the device's own explanation, in the officer's language
   * (fieldkit-ctl follows the locale). */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "vi", TRUE);
  p = fk_test_sync_start (f.device_dir, f.server->url, NULL, NULL);
  summary = fk_test_sync_finish (p, &status);
  g_unsetenv ("LANGUAGE");
  g_unsetenv ("LC_ALL");
  /* Quarantine does not block the queue: the others are delivered. */
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (member_int (summary, "delivered"), ==, 2);
  g_assert_cmpint (member_int (summary, "quarantined"), ==, 1);
  {
    JsonArray *q = json_object_get_array_member (summary, "quarantine");
    JsonObject *entry = json_array_get_object_element (q, 0);

    g_assert_cmpuint (json_array_get_length (q), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (entry, "id"), ==, f.ids->pdata[1]);
    g_assert_nonnull (
      strstr (json_object_get_string_member (entry, "reason"), "mã kiểm tra không khớp"));
  }
  g_ptr_array_add (delivered, g_strdup (f.ids->pdata[0]));
  g_ptr_array_add (delivered, g_strdup (f.ids->pdata[2]));
  fk_test_assert_exactly_once (f.server, f.device_dir, delivered);
  fk_test_sync_teardown (&f);
}

/* A practice store's dossiers, even sealed for this server from an
 * enrolled device: the device marks them, the server refuses every part
 * before storing a byte, and they stay on the device, quarantined with the
 * reason in the officer's words. */
static void
test_practice_refused (void)
{
  FkTestSyncFixture f = { 0 };
  g_autoptr (GSubprocess) p = NULL;
  g_autoptr (JsonObject) summary = NULL;
  g_autoptr (GError) error = NULL;
  int status = -1;

  fk_test_sync_setup (&f, postgresql, 2, 1, 5000, TRUE);
  {
    g_autoptr (FkStore) store = fk_store_open (f.device_dir, FK_STORE_OPEN_SHARED, &error);

    g_assert_no_error (error);
    g_assert_true (fk_store_set_setting (store, FK_STORE_PRACTICE_SETTING, "1", &error));
  }
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "vi", TRUE);
  p = fk_test_sync_start (f.device_dir, f.server->url, f.server_pub, NULL);
  summary = fk_test_sync_finish (p, &status);
  g_unsetenv ("LANGUAGE");
  g_unsetenv ("LC_ALL");
  g_assert_cmpint (member_int (summary, "delivered"), ==, 0);
  g_assert_cmpint (member_int (summary, "quarantined"), ==, 2);
  {
    JsonArray *q = json_object_get_array_member (summary, "quarantine");
    JsonObject *entry = json_array_get_object_element (q, 0);

    g_assert_nonnull (strstr (json_object_get_string_member (entry, "reason"), "luyện tập"));
  }
  g_assert_cmpint (fk_test_server_query_int (f.server, "SELECT count(*) FROM dossiers"), ==, 0);
  g_assert_cmpint (fk_test_server_query_int (f.server, "SELECT count(*) FROM blobs"), ==, 0);
  g_assert_cmpint (fk_test_server_query_int (f.server, "SELECT count(*) FROM chunks"), ==, 0);
  fk_test_sync_teardown (&f);
}

static void
sleep_ms (guint ms)
{
  g_usleep (ms * 1000);
}

static void
test_faults (void)
{
  FkTestSyncFixture f = { 0 };
  g_autoptr (FkTestProxy) proxy = NULL;
  g_autoptr (GSubprocess) p = NULL;
  g_autoptr (JsonObject) summary = NULL;
  int status = -1;
  g_autofree char *r = NULL;

  fk_test_sync_setup (&f, postgresql, 4, 2, 120 * 1000, TRUE);
  proxy = fk_test_proxy_new (f.server->port);
  /* About 1 MB at 400 kB/s: time for each fault to land mid-upload. */
  g_free (fk_test_proxy_command (proxy, "throttle 400000"));
  /* Cuts in the middle of 16 KiB chunks, three connections in a row. */
  g_free (fk_test_proxy_command (proxy, "cut 40000 3"));
  p = fk_test_sync_start (f.device_dir, proxy->url, f.server_pub, "--chunk-kib", "16", "--timeout",
                          "2", "--retries", "8", NULL);
  sleep_ms (1500);
  /* The server answers 500 to a few requests. */
  g_free (fk_test_proxy_command (proxy, "fail500 2"));
  g_free (fk_test_proxy_command (proxy, "drop-all"));
  sleep_ms (800);
  /* The server dies and comes back. */
  fk_test_server_stop (f.server, TRUE);
  sleep_ms (700);
  fk_test_server_start (f.server, "--rate-limit=0", NULL);
  sleep_ms (800);
  /* The link goes silent for longer than the client's timeout. */
  g_free (fk_test_proxy_command (proxy, "stall 3"));
  sleep_ms (3500);
  /* The link refuses connections for a while. */
  g_free (fk_test_proxy_command (proxy, "refuse 1.5"));
  g_free (fk_test_proxy_command (proxy, "drop-all"));
  summary = fk_test_sync_finish (p, &status);
  g_assert_cmpuint (fk_test_proxy_cuts (proxy), >=, 1);

  g_free (fk_test_proxy_command (proxy, "clear"));
  if (status != 0)
    fk_test_sync_until_done (&f, proxy->url, 3, "5");
  fk_test_assert_exactly_once (f.server, f.device_dir, f.ids);
  g_assert_cmpuint (fk_test_count_state (f.device_dir, FK_OUTBOX_DELIVERED), ==, 4);
  r = fk_test_proxy_command (proxy, "stats");
  g_test_message ("proxy: %s", r);
  fk_test_sync_teardown (&f);
}

static void
test_client_killed (void)
{
  FkTestSyncFixture f = { 0 };
  g_autoptr (FkTestProxy) proxy = NULL;
  g_autoptr (GSubprocess) p = NULL;
  g_autoptr (JsonObject) summary = NULL;
  guint64 on_server = 0, total = 0;
  int status = -1;

  fk_test_sync_setup (&f, postgresql, 2, 1, 600 * 1000, TRUE);
  proxy = fk_test_proxy_new (f.server->port);
  g_free (fk_test_proxy_command (proxy, "throttle 300000"));
  p = fk_test_sync_start (f.device_dir, proxy->url, f.server_pub, "--chunk-kib", "32", NULL);
  /* Killed while the first dossier is half up. */
  while (fk_test_server_partial_bytes (f.server) < 200 * 1000)
    sleep_ms (50);
  g_subprocess_force_exit (p);
  g_subprocess_wait (p, NULL, NULL);
  g_assert_false (g_subprocess_get_if_exited (p));
  g_clear_object (&p);
  g_assert_cmpuint (fk_test_count_state (f.device_dir, FK_OUTBOX_DELIVERED), <, 2);
  on_server = fk_test_server_partial_bytes (f.server);

  g_free (fk_test_proxy_command (proxy, "throttle 0"));
  p = fk_test_sync_start (f.device_dir, proxy->url, NULL, "--chunk-kib", "32", NULL);
  summary = fk_test_sync_finish (p, &status);
  g_assert_cmpint (status, ==, 0);
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (FkStore) store = fk_store_open (f.device_dir, FK_STORE_OPEN_SHARED, &error);

    for (guint i = 0; i < f.ids->len; i++)
      {
        g_autoptr (FkOutboxEntry) e = fk_outbox_get (store, f.ids->pdata[i], &error);

        total += e->bytes;
      }
  }
  /* Resumed from the server's offset: what was up is not sent again. */
  g_assert_cmpint (member_int (summary, "bytes_sent"), <=, (gint64) (total - on_server));
  g_assert_cmpint (member_int (summary, "bytes_sent"), ==, member_int (summary, "bytes_acked"));
  fk_test_assert_exactly_once (f.server, f.device_dir, f.ids);
  fk_test_sync_teardown (&f);
}

typedef struct
{
  GCancellable *cancellable;
  guint calls;
  guint64 last_done;
  guint64 total;
  guint dossiers_done;
  guint dossiers_total;
  gboolean cancel_early;
} ProgressLog;

static void
on_progress (guint64 done, guint64 total, guint dossiers_done, guint dossiers_total,
             gpointer user_data)
{
  ProgressLog *log = user_data;

  /* Progress only moves forward. */
  g_assert_cmpuint (done, >=, log->last_done);
  log->calls++;
  log->last_done = done;
  log->total = total;
  log->dossiers_done = dossiers_done;
  log->dossiers_total = dossiers_total;
  if (log->cancel_early && done > 0)
    g_cancellable_cancel (log->cancellable);
}

/* The uploader in-process, as the app's scheduler runs it: progress in
 * bytes and dossiers, and cancelling mid-upload leaves the dossier queued
 * and resumable. */
static void
test_progress_and_cancel (void)
{
  FkTestSyncFixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *verify = NULL;
  FkUploadOptions options = { 0 };
  FkUploadSummary summary = { 0 };
  ProgressLog log = { 0 };

  fk_test_sync_setup (&f, postgresql, 3, 1, 100 * 1000, TRUE);
  store = fk_store_open (f.device_dir, FK_STORE_OPEN_SHARED, &error);
  g_assert_no_error (error);
  verify = fk_sync_key_to_base64 (f.server->verify_key);
  g_assert_true (fk_store_set_setting (store, FK_SYNC_SETTING_SERVER_VERIFY_KEY, verify, &error));

  options.chunk_size = 16 * 1024;
  options.progress = on_progress;
  options.progress_data = &log;
  log.cancellable = cancellable;
  log.cancel_early = TRUE;
  g_assert_false (fk_uploader_run (store, f.server->url, &options, &summary, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (fk_test_count_state (f.device_dir, FK_OUTBOX_QUEUED), ==, 3);
  g_assert_cmpuint (fk_test_count_state (f.device_dir, FK_OUTBOX_UPLOADING), ==, 0);

  memset (&log, 0, sizeof log);
  g_assert_true (fk_uploader_run (store, f.server->url, &options, &summary, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.delivered, ==, 3);
  g_assert_cmpuint (log.dossiers_done, ==, 3);
  g_assert_cmpuint (log.dossiers_total, ==, 3);
  g_assert_cmpuint (log.last_done, ==, log.total);
  g_assert_cmpuint (log.calls, >, 3);
  fk_test_assert_exactly_once (f.server, f.device_dir, f.ids);
  fk_test_sync_teardown (&f);
}

/* Long: a link that drops every 1.5 s while the server is killed and
 * restarted every few seconds, until everything is up. */
static void
test_soak (void)
{
  FkTestSyncFixture f = { 0 };
  g_autoptr (FkTestProxy) proxy = NULL;
  guint runs = 0;

  fk_test_sync_setup (&f, postgresql, 10, 2, 150 * 1000, TRUE);
  proxy = fk_test_proxy_new (f.server->port);
  g_free (fk_test_proxy_command (proxy, "throttle 300000"));
  g_free (fk_test_proxy_command (proxy, "drop-every 1.5"));
  for (;;)
    {
      g_autoptr (GSubprocess) p =
        fk_test_sync_start (f.device_dir, proxy->url, runs == 0 ? f.server_pub : NULL,
                            "--chunk-kib", "32", "--timeout", "3", "--retries", "4", NULL);
      int status = -1;
      g_autoptr (JsonObject) summary = NULL;

      runs++;
      for (guint i = 0; i < 6 && g_subprocess_get_identifier (p) != NULL; i++)
        {
          sleep_ms (700);
          if (i == 3)
            {
              fk_test_server_stop (f.server, TRUE);
              sleep_ms (300);
              fk_test_server_start (f.server, "--rate-limit=0", NULL);
            }
        }
      summary = fk_test_sync_finish (p, &status);
      if (status == 0)
        break;
      g_assert_cmpuint (runs, <, 60);
    }
  g_test_message ("soak: %u runs, %u connections cut", runs, fk_test_proxy_cuts (proxy));
  fk_test_assert_exactly_once (f.server, f.device_dir, f.ids);
  fk_test_sync_teardown (&f);
}

/* Two server processes on one database get the same commit at the same
 * moment, again and again: one dossier each time, the same receipt for both. */
typedef struct
{
  const char *url;
  const char *device_dir;
  GBytes *manifest;
  GMutex *lock;
  GCond *cond;
  gboolean *go;
  guint status;
  GBytes *body;
} Committer;

static gpointer
commit_thread (gpointer data)
{
  Committer *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkDeviceKey) key = fk_device_key_load (c->device_dir, &error);
  g_autoptr (FkSyncClient) client = fk_sync_client_new (c->url, key, 30, &error);
  g_autoptr (FkSyncResponse) r = NULL;

  g_assert_no_error (error);
  g_mutex_lock (c->lock);
  while (!*c->go)
    g_cond_wait (c->cond, c->lock);
  g_mutex_unlock (c->lock);
  r = fk_sync_client_send (client, "POST", "/v1/commit", c->manifest, NULL, NULL, NULL);
  c->status = r->status;
  c->body = r->body != NULL ? g_bytes_ref (r->body) : NULL;
  return NULL;
}

static void
upload_parts (FkSyncClient *client, GPtrArray *parts)
{
  for (guint i = 0; i < parts->len; i++)
    {
      const FkOutboxPart *part = parts->pdata[i];
      g_autofree char *create = g_strdup_printf (
        "{\"sha256\":\"%s\",\"length\":%" G_GUINT64_FORMAT "}", part->sha256, part->size);
      g_autoptr (GBytes) create_body = g_bytes_new (create, strlen (create));
      g_autoptr (FkSyncResponse) r =
        fk_sync_client_send (client, "POST", "/v1/blobs", create_body, NULL, NULL, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;
      g_autofree char *target = g_strdup_printf ("/v1/blobs/%s", part->sha256);
      g_autoptr (GBytes) body = NULL;
      g_autoptr (FkSyncResponse) p = NULL;

      g_assert_cmpuint (r->status, ==, 200);
      g_assert_true (g_file_get_contents (part->path, &contents, &len, NULL));
      body = g_bytes_new_take (g_steal_pointer (&contents), len);
      p = fk_sync_client_send (client, "PATCH", target, body, "Upload-Offset", "0", NULL);
      g_assert_cmpuint (p->status, ==, 204);
    }
}

static void
test_concurrent_commits (void)
{
  FkTestSyncFixture f = { 0 };
  g_autoptr (GError) error = NULL;
  FkTestServer *second = g_new0 (FkTestServer, 1);
  g_autoptr (FkDeviceKey) key = NULL;
  g_autoptr (FkSyncClient) client = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *out = NULL;
  g_autofree char *device = NULL;

  fk_test_sync_setup (&f, postgresql, 6, 1, 30 * 1000, TRUE);
  second->dir = g_strdup (f.server->dir);
  second->keys_dir = g_strdup (f.server->keys_dir);
  second->db_uri = g_strdup (f.server->db_uri);
  fk_test_server_start (second, "--rate-limit=0", NULL);

  key = fk_device_key_load (f.device_dir, &error);
  g_assert_no_error (error);
  device = fk_device_key_get_public_key_base64 (key);
  client = fk_sync_client_new (f.server->url, key, 30, &error);
  store = fk_store_open (f.device_dir, FK_STORE_OPEN_SHARED, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < f.ids->len; i++)
    {
      const char *id = f.ids->pdata[i];
      g_autoptr (GPtrArray) parts = fk_outbox_list_parts (store, id, &error);
      g_autoptr (FkSyncManifest) m = fk_sync_manifest_new (id, device);
      g_autoptr (GBytes) manifest = NULL;
      GMutex lock;
      GCond cond;
      gboolean go = FALSE;
      Committer c[2] = { { 0 } };
      GThread *threads[2];
      gsize len = 0;
      char *json;

      g_assert_no_error (error);
      upload_parts (client, parts);
      for (guint p = 0; p < parts->len; p++)
        {
          const FkOutboxPart *part = parts->pdata[p];
          gboolean dossier = strcmp (part->kind, FK_OUTBOX_PART_DOSSIER) == 0;

          fk_sync_manifest_add_part (m, part->kind, dossier ? NULL : part->name, part->sha256,
                                     part->size);
        }
      json = fk_sync_manifest_to_json (m, &len);
      manifest = g_bytes_new_take (json, len);
      g_mutex_init (&lock);
      g_cond_init (&cond);
      for (guint t = 0; t < 2; t++)
        {
          c[t].url = t == 0 ? f.server->url : second->url;
          c[t].device_dir = f.device_dir;
          c[t].manifest = manifest;
          c[t].lock = &lock;
          c[t].cond = &cond;
          c[t].go = &go;
          threads[t] = g_thread_new ("commit", commit_thread, &c[t]);
        }
      g_usleep (100 * 1000);
      g_mutex_lock (&lock);
      go = TRUE;
      g_cond_broadcast (&cond);
      g_mutex_unlock (&lock);
      for (guint t = 0; t < 2; t++)
        g_thread_join (threads[t]);
      g_assert_cmpuint (c[0].status, ==, 200);
      g_assert_cmpuint (c[1].status, ==, 200);
      g_assert_true (g_bytes_equal (c[0].body, c[1].body));
      g_bytes_unref (c[0].body);
      g_bytes_unref (c[1].body);
      g_mutex_clear (&lock);
      g_cond_clear (&cond);
    }
  g_assert_cmpint (fk_test_server_query_int (f.server, "SELECT count(*) FROM dossiers"), ==,
                   f.ids->len);
  out_dir = g_build_filename (f.base, "export", NULL);
  out = fk_test_server_ctl (f.server, 0, "export", "--out", out_dir, NULL);
  g_assert_true (g_str_has_prefix (out, "6 "));
  fk_test_server_free (second);
  fk_test_sync_teardown (&f);
}

int
main (int argc, char **argv)
{
  int status;

  /* --slow: the long soak test only. */
  if (argc > 1 && strcmp (argv[argc - 1], "--slow") == 0)
    {
      argv[--argc] = NULL;
      slow = TRUE;
    }
  /* --postgresql: the same tests on a PostgreSQL cluster of their own. */
  if (argc > 1 && strcmp (argv[argc - 1], "--postgresql") == 0)
    {
      g_autofree char *reason = NULL;

      argv[--argc] = NULL;
      postgresql = TRUE;
      if (!fk_test_pg_start (&reason))
        {
          g_print ("1..0 # SKIP %s\n", reason);
          return 77;
        }
    }
  g_test_init (&argc, &argv, NULL);
  if (slow)
    {
      g_test_add_func ("/sync/e2e/soak", test_soak);
      return g_test_run ();
    }
  g_test_add_func ("/sync/e2e/clean", test_clean);
  g_test_add_func ("/sync/e2e/not-enrolled-then-quarantine", test_not_enrolled_then_quarantine);
  g_test_add_func ("/sync/e2e/faults", test_faults);
  g_test_add_func ("/sync/e2e/practice-refused", test_practice_refused);
  g_test_add_func ("/sync/e2e/client-killed", test_client_killed);
  g_test_add_func ("/sync/e2e/concurrent-commits", test_concurrent_commits);
  g_test_add_func ("/sync/e2e/progress-and-cancel", test_progress_and_cancel);
  status = g_test_run ();
  if (postgresql)
    fk_test_pg_stop ();
  return status;
}
