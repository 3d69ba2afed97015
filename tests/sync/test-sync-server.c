/* test-sync-server.c: a device and the real fieldkit-server as a service
 * would see them: one kept-alive connection per batch, a commit the server
 * cannot open quarantined with its reason, a proxy that damages request
 * bodies, a restart in the middle of an upload, a tablet clock 10 minutes
 * off, fifty devices behind one address, and (on PostgreSQL) two server
 * processes behind HAProxy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <signal.h>
#include <string.h>

#include "fk-outbox.h"
#include "fk-sync-client.h"
#include "fk-test-pg.h"
#include "fk-test-store.h"
#include "fk-test-sync.h"
#include "fk-uploader.h"
#include "fk-vault.h"

static gboolean postgresql;

static gint64
member_int (JsonObject *obj, const char *name)
{
  return json_object_get_int_member (obj, name);
}

static void
sleep_ms (guint ms)
{
  g_usleep (ms * 1000);
}

/* A device that seals to a key the server does not hold (an old server's
 * key, say): the server cannot open its dossiers, refuses each commit with
 * its reason, and the device quarantines them with it; nothing is stored. */
static void
test_unopenable_quarantined (void)
{
  g_autofree char *base = g_dir_make_tmp ("fk-unopenable-XXXXXX", NULL);
  g_autofree char *server_dir = g_build_filename (base, "server", NULL);
  g_autofree char *device_dir = g_build_filename (base, "device", NULL);
  g_autofree char *uri = postgresql ? fk_test_pg_new_database () : NULL;
  g_autoptr (FkTestServer) server = fk_test_server_new (server_dir, uri);
  g_autofree char *verify = fk_sync_key_to_base64 (server->verify_key);
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (GPtrArray) quarantined = NULL;
  g_autofree char *key = NULL;
  FkUploadSummary summary = { 0 };
  guint8 old_pk[32], old_sk[32];

  fk_vault_server_keypair_new (old_pk, old_sk);
  ids = fk_test_device_new (device_dir, old_pk, 2, 1, 10 * 1000);
  key = fk_test_device_key (device_dir);
  g_free (fk_test_server_ctl (server, 0, "device", "add", "--pubkey", key, "--name", "t", NULL));
  fk_test_server_start (server, NULL);
  store = fk_store_open (device_dir, FK_STORE_OPEN_SHARED, &error);
  g_assert_no_error (error);
  g_assert_true (fk_store_set_setting (store, FK_SYNC_SETTING_SERVER_VERIFY_KEY, verify, &error));
  g_assert_true (fk_uploader_run (store, server->url, NULL, &summary, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.quarantined, ==, 2);
  g_assert_cmpuint (summary.delivered, ==, 0);
  quarantined = fk_outbox_list (store, FK_OUTBOX_QUARANTINED, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (quarantined->len, ==, 2);
  for (guint i = 0; i < quarantined->len; i++)
    {
      const FkOutboxEntry *e = quarantined->pdata[i];

      /* The device's explanation, then the server's own reason. */
      g_assert_nonnull (strstr (e->reason, "cannot open this dossier with its key"));
      g_assert_nonnull (strstr (e->reason, "does not open with this server's key"));
    }
  g_assert_cmpint (fk_test_server_query_int (server, "SELECT count(*) FROM dossiers"), ==, 0);
  fk_test_rm_rf (base);
}

/* One connection carries a whole batch: the server keeps it alive after
 * each answer, 204s included, and the device reuses it. */
static void
test_keep_alive (void)
{
  FkTestSyncFixture f = { 0 };
  g_autoptr (FkTestProxy) proxy = NULL;
  g_autoptr (GSubprocess) p = NULL;
  g_autoptr (JsonObject) summary = NULL;
  int status = -1;

  fk_test_sync_setup (&f, postgresql, 3, 2, 50 * 1000, TRUE);
  proxy = fk_test_proxy_new (f.server->port);
  p = fk_test_sync_start (f.device_dir, proxy->url, f.server_pub, "--chunk-kib", "16", NULL);
  summary = fk_test_sync_finish (p, &status);
  g_assert_cmpint (status, ==, 0);
  /* 3 dossiers of 3 parts, about 20 chunks: dozens of requests. */
  g_assert_cmpfloat (fk_test_server_metric (f.server, "fieldkit_requests_total", "/v1/"), >, 20);
  g_assert_cmpuint (fk_test_proxy_stat (proxy, "conns"), <=, 2);
  fk_test_assert_exactly_once (f.server, f.device_dir, f.ids);
  fk_test_sync_teardown (&f);
}

/* A proxy that damages one request body in every other connection: the
 * server answers "body-corrupted", the device sends it again; nothing is
 * refused for good, nothing arrives damaged or twice. */
static void
test_corrupting_proxy (void)
{
  FkTestSyncFixture f = { 0 };
  g_autoptr (FkTestProxy) proxy = NULL;
  guint runs;

  fk_test_sync_setup (&f, postgresql, 6, 1, 40 * 1000, TRUE);
  proxy = fk_test_proxy_new (f.server->port);
  g_free (fk_test_proxy_command (proxy, "corrupt-every-other"));
  runs = fk_test_sync_until_done (&f, proxy->url, 4, "10");
  g_test_message ("corrupting proxy: delivered in %u runs, %u bodies damaged", runs,
                  fk_test_proxy_stat (proxy, "corrupted"));
  g_assert_cmpuint (fk_test_proxy_stat (proxy, "corrupted"), >=, 1);
  g_assert_cmpfloat (fk_test_server_metric (f.server, "fieldkit_requests_total", "status=\"400\""),
                     >=, 1);
  g_assert_cmpuint (fk_test_count_state (f.device_dir, FK_OUTBOX_QUARANTINED), ==, 0);
  fk_test_assert_exactly_once (f.server, f.device_dir, f.ids);
  fk_test_sync_teardown (&f);
}

/* A restart in the middle of an upload: SIGTERM lets the chunk in flight
 * land, the server exits 0, and the device resumes from the server's
 * offset once it is back. */
static void
test_sigterm_during_upload (void)
{
  FkTestSyncFixture f = { 0 };
  g_autoptr (FkTestProxy) proxy = NULL;
  g_autoptr (GSubprocess) p = NULL;
  g_autoptr (JsonObject) summary = NULL;
  int status = -1;

  fk_test_sync_setup (&f, postgresql, 2, 1, 600 * 1000, TRUE);
  proxy = fk_test_proxy_new (f.server->port);
  g_free (fk_test_proxy_command (proxy, "throttle 300000"));
  p = fk_test_sync_start (f.device_dir, proxy->url, f.server_pub, "--chunk-kib", "32", "--timeout",
                          "5", "--retries", "8", NULL);
  for (guint i = 0; i < 1200 && fk_test_server_partial_bytes (f.server) < 200 * 1000; i++)
    sleep_ms (50);
  g_assert_cmpuint (fk_test_server_partial_bytes (f.server), >=, 200 * 1000);
  g_subprocess_send_signal (f.server->process, SIGTERM);
  g_subprocess_wait (f.server->process, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (f.server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (f.server->process), ==, 0);
  g_clear_object (&f.server->process);
  fk_test_server_start (f.server, "--rate-limit=0", NULL);
  summary = fk_test_sync_finish (p, &status);
  g_free (fk_test_proxy_command (proxy, "throttle 0"));
  if (status != 0)
    fk_test_sync_until_done (&f, proxy->url, 3, "5");
  fk_test_assert_exactly_once (f.server, f.device_dir, f.ids);
  fk_test_sync_teardown (&f);
}

/* A tablet whose clock is 10 minutes behind: the first request is refused
 * for it, the device learns the server's time and goes on, and tells the
 * officer, in Vietnamese, how far off its clock is. */
static void
test_clock_off (void)
{
  const char *prefix[] = { "/usr/bin/faketime", "-f", "-10m", NULL };
  FkTestSyncFixture f = { 0 };
  g_autoptr (GSubprocess) p = NULL;
  g_autoptr (JsonObject) summary = NULL;
  gint64 offset;
  int status = -1;

  if (!g_file_test (prefix[0], G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("faketime is not installed");
      return;
    }
  fk_test_sync_setup (&f, postgresql, 3, 1, 20 * 1000, TRUE);
  g_setenv ("FAKETIME_DONT_FAKE_MONOTONIC", "1", TRUE);
  /* fieldkit-ctl follows the locale: Vietnamese, as on the tablets. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "vi", TRUE);
  fk_test_sync_set_prefix (prefix);
  p = fk_test_sync_start (f.device_dir, f.server->url, f.server_pub, NULL);
  summary = fk_test_sync_finish (p, &status);
  fk_test_sync_set_prefix (NULL);
  g_unsetenv ("FAKETIME_DONT_FAKE_MONOTONIC");
  g_unsetenv ("LANGUAGE");
  g_unsetenv ("LC_ALL");
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (member_int (summary, "delivered"), ==, 3);
  offset = member_int (summary, "clock_offset_seconds");
  g_assert_cmpint (offset, >=, 590);
  g_assert_cmpint (offset, <=, 610);
  g_assert_nonnull (strstr (json_object_get_string_member (summary, "clock_warning"),
                            "Đồng hồ của máy tính bảng này chậm 10 phút"));
  g_assert_cmpfloat (fk_test_server_metric (f.server, "fieldkit_requests_total", "status=\"401\""),
                     >=, 1);
  fk_test_assert_exactly_once (f.server, f.device_dir, f.ids);
  fk_test_sync_teardown (&f);
}

#define TEAM_SIZE 50

typedef struct
{
  const char *url;
  const char *dir;
  const char *verify_key;
  FkUploadSummary summary;
  gboolean ok;
} TeamMember;

static gpointer
team_member_sync (gpointer data)
{
  TeamMember *m = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = fk_store_open (m->dir, FK_STORE_OPEN_SHARED, &error);
  FkUploadOptions options = { 0 };

  g_assert_no_error (error);
  g_assert_true (
    fk_store_set_setting (store, FK_SYNC_SETTING_SERVER_VERIFY_KEY, m->verify_key, &error));
  options.chunk_size = 16 * 1024;
  m->ok = fk_uploader_run (store, m->url, &options, &m->summary, NULL, &error);
  if (!m->ok)
    g_test_message ("%s: %s", m->dir, error->message);
  return NULL;
}

/* Fifty tablets behind one carrier NAT, with the server's default limits:
 * each device has its own rate limit, so the team is never throttled as one
 * client. */
static void
test_team_behind_one_address (void)
{
  g_autofree char *base = g_dir_make_tmp ("fk-team-XXXXXX", NULL);
  g_autofree char *server_dir = g_build_filename (base, "server", NULL);
  g_autofree char *uri = postgresql ? fk_test_pg_new_database () : NULL;
  g_autoptr (FkTestServer) server = fk_test_server_new (server_dir, uri);
  g_autofree char *verify = fk_sync_key_to_base64 (server->verify_key);
  g_autoptr (GPtrArray) dirs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  TeamMember team[TEAM_SIZE];
  GThread *threads[TEAM_SIZE];

  for (guint i = 0; i < TEAM_SIZE; i++)
    {
      char *dir = g_strdup_printf ("%s/tablet-%02u", base, i);
      g_autofree char *key = NULL;
      g_autofree char *name = g_strdup_printf ("tablet-%02u", i);

      g_ptr_array_add (ids, fk_test_device_new (dir, server->box_key, 2, 1, 20 * 1000));
      g_ptr_array_add (dirs, dir);
      key = fk_test_device_key (dir);
      g_free (
        fk_test_server_ctl (server, 0, "device", "add", "--pubkey", key, "--name", name, NULL));
    }
  fk_test_server_start (server, NULL);
  for (guint i = 0; i < TEAM_SIZE; i++)
    {
      team[i] = (TeamMember){ server->url, dirs->pdata[i], verify, { 0 }, FALSE };
      threads[i] = g_thread_new ("tablet", team_member_sync, &team[i]);
    }
  for (guint i = 0; i < TEAM_SIZE; i++)
    {
      g_thread_join (threads[i]);
      g_assert_true (team[i].ok);
      g_assert_cmpuint (team[i].summary.delivered, ==, 2);
    }
  g_assert_cmpfloat (fk_test_server_metric (server, "fieldkit_requests_total", "status=\"429\""),
                     ==, 0);
  g_assert_cmpfloat (fk_test_server_metric (server, "fieldkit_commits_total", NULL), ==,
                     2 * TEAM_SIZE);
  fk_test_assert_exactly_once_all (server, dirs, ids);
  fk_test_rm_rf (base);
}

static GSubprocess *
start_haproxy (const char *dir, guint16 port, guint16 a, guint16 b)
{
  g_autofree char *cfg = g_build_filename (dir, "haproxy.cfg", NULL);
  g_autofree char *text = g_strdup_printf (
    "global\n  maxconn 256\n"
    "defaults\n  mode http\n  timeout connect 5s\n  timeout client 30s\n"
    "  timeout server 30s\n"
    "frontend intake\n  bind 127.0.0.1:%u\n  default_backend fieldkit\n"
    "backend fieldkit\n  balance roundrobin\n  option httpchk GET /healthz\n"
    "  server a 127.0.0.1:%u check inter 1s\n  server b 127.0.0.1:%u check inter 1s\n",
    port, a, b);
  const char *argv[] = { "/usr/sbin/haproxy", "-db", "-f", cfg, NULL };
  g_autoptr (GError) error = NULL;
  GSubprocess *p;

  g_assert_true (g_file_set_contents (cfg, text, -1, NULL));
  p = fk_test_spawn (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr (GSocketClient) client = g_socket_client_new ();
      g_autoptr (GSocketConnection) conn =
        g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);

      if (conn != NULL)
        break;
      sleep_ms (100);
    }
  return p;
}

/* Kills the device's sync once the servers hold @bytes of its uploads. */
static void
sync_until_bytes (FkTestSyncFixture *f, const char *url, guint64 bytes)
{
  g_autoptr (GSubprocess) p =
    fk_test_sync_start (f->device_dir, url, f->server_pub, "--chunk-kib", "32", NULL);

  for (guint i = 0; i < 1200 && fk_test_server_partial_bytes (f->server) < bytes &&
                    g_subprocess_get_identifier (p) != NULL;
       i++)
    sleep_ms (50);
  g_subprocess_force_exit (p);
  g_subprocess_wait (p, NULL, NULL);
}

/* Two server processes on one PostgreSQL: behind HAProxy, which sends each
 * request to either; then one device whose uploads are cut and taken up by
 * the other process, back and forth. Every dossier once, with its bytes. */
static void
test_two_processes (void)
{
  FkTestSyncFixture f = { 0 };
  FkTestServer *second = g_new0 (FkTestServer, 1);
  g_autoptr (GSubprocess) haproxy = NULL;
  g_autoptr (FkTestProxy) to_a = NULL;
  g_autoptr (FkTestProxy) to_b = NULL;
  guint16 lb_port = fk_test_free_port ();
  g_autofree char *lb_url = g_strdup_printf ("http://127.0.0.1:%u/", lb_port);
  g_autofree char *backup = NULL;

  if (!g_file_test ("/usr/sbin/haproxy", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("haproxy is not installed");
      return;
    }
  fk_test_sync_setup (&f, postgresql, 4, 1, 300 * 1000, TRUE);
  second->dir = g_strdup (f.server->dir);
  second->keys_dir = g_strdup (f.server->keys_dir);
  second->db_uri = g_strdup (f.server->db_uri);
  fk_test_server_start (second, "--rate-limit=0", NULL);

  /* Alternating by hand: cut on one process, taken up on the other. */
  to_a = fk_test_proxy_new (f.server->port);
  to_b = fk_test_proxy_new (second->port);
  g_free (fk_test_proxy_command (to_a, "throttle 400000"));
  g_free (fk_test_proxy_command (to_b, "throttle 400000"));
  sync_until_bytes (&f, to_a->url, 150 * 1000);
  sync_until_bytes (&f, to_b->url, 450 * 1000);
  sync_until_bytes (&f, to_a->url, 750 * 1000);

  /* The rest through the load balancer, request by request to either. */
  haproxy = start_haproxy (f.base, lb_port, f.server->port, second->port);
  fk_test_sync_until_done (&f, lb_url, 3, "10");
  g_assert_cmpfloat (fk_test_server_metric (f.server, "fieldkit_requests_total", "/v1/"), >, 0);
  g_assert_cmpfloat (fk_test_server_metric (second, "fieldkit_requests_total", "/v1/"), >, 0);
  fk_test_assert_exactly_once (f.server, f.device_dir, f.ids);

  /* PostgreSQL is backed up with its own tools. */
  backup = g_build_filename (f.base, "backup", NULL);
  g_free (fk_test_server_ctl (f.server, 1, "backup", "--out", backup, NULL));
  g_assert_false (g_file_test (backup, G_FILE_TEST_EXISTS));
  g_subprocess_force_exit (haproxy);
  g_subprocess_wait (haproxy, NULL, NULL);
  fk_test_server_free (second);
  fk_test_sync_teardown (&f);
}

static guint
wait_health (FkTestServer *server, guint want)
{
  guint status = 0;

  for (guint i = 0; i < 100 && status != want; i++)
    {
      status = fk_test_server_get_status (server, "/healthz");
      if (status != want)
        sleep_ms (100);
    }
  return status;
}

/* /healthz follows the database: 503 while PostgreSQL is down, 200 once it
 * is back; a device that syncs meanwhile keeps its dossiers queued and
 * delivers them afterwards, once. */
static void
test_healthz_follows_database (void)
{
  FkTestSyncFixture f = { 0 };
  g_autoptr (GSubprocess) p = NULL;
  g_autoptr (JsonObject) summary = NULL;
  int status = -1;

  fk_test_sync_setup (&f, postgresql, 2, 1, 10 * 1000, TRUE);
  g_assert_cmpuint (wait_health (f.server, 200), ==, 200);
  fk_test_pg_pause ();
  g_assert_cmpuint (wait_health (f.server, 503), ==, 503);
  p = fk_test_sync_start (f.device_dir, f.server->url, f.server_pub, "--retries", "1", NULL);
  summary = fk_test_sync_finish (p, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpint (member_int (summary, "delivered"), ==, 0);
  g_assert_cmpint (member_int (summary, "quarantined"), ==, 0);
  fk_test_pg_resume ();
  g_assert_cmpuint (wait_health (f.server, 200), ==, 200);
  fk_test_sync_until_done (&f, f.server->url, 2, "10");
  fk_test_assert_exactly_once (f.server, f.device_dir, f.ids);
  fk_test_sync_teardown (&f);
}

int
main (int argc, char **argv)
{
  int status;

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
  g_test_add_func ("/sync/server/keep-alive", test_keep_alive);
  g_test_add_func ("/sync/server/unopenable-quarantined", test_unopenable_quarantined);
  g_test_add_func ("/sync/server/corrupting-proxy", test_corrupting_proxy);
  g_test_add_func ("/sync/server/sigterm-during-upload", test_sigterm_during_upload);
  g_test_add_func ("/sync/server/clock-off", test_clock_off);
  g_test_add_func ("/sync/server/team-behind-one-address", test_team_behind_one_address);
  if (postgresql)
    {
      g_test_add_func ("/sync/server/two-processes", test_two_processes);
      g_test_add_func ("/sync/server/healthz-follows-database", test_healthz_follows_database);
    }
  status = g_test_run ();
  if (postgresql)
    fk_test_pg_stop ();
  return status;
}
