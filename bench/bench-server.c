/* bench-server.c: dossiers ingested per second by fieldkit-server on
 * loopback, four client threads each uploading and committing dossiers of
 * two parts (a sealed dossier of about 2 kB, a 50 kB attachment), the same
 * workload on SQLite, on PostgreSQL with one process, and on PostgreSQL
 * with two processes (the threads alternate between them, as devices
 * behind a load balancer would). For each server process, its open fds and
 * RSS before and after. Prints figures and a JSON line; never fails on a
 * time.
 *
 * FK_BENCH_DOSSIERS (default 400) changes the count.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "fk-device-key.h"
#include "fk-sync-client.h"
#include "fk-test-pg.h"
#include "fk-test-server.h"
#include "fk-test-store.h"
#include "fk-vault.h"

#define N_THREADS 4

typedef struct
{
  const char *urls[2];
  guint n_urls;
  const guint8 *box_key;
  FkDeviceKey *key;
  guint total;
  gint next;
  gint failed;
} Load;

typedef struct
{
  Load *load;
  const char *url;
} Worker;

typedef struct
{
  guint fds;
  guint64 rss_kib;
} Usage;

static gboolean
put_blob (FkSyncClient *client, GBytes *bytes)
{
  g_autofree char *sha =
    fk_sync_sha256_hex (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autofree char *json = g_strdup_printf ("{\"sha256\":\"%s\",\"length\":%" G_GSIZE_FORMAT "}",
                                           sha, g_bytes_get_size (bytes));
  g_autoptr (GBytes) create = g_bytes_new (json, strlen (json));
  g_autofree char *target = g_strdup_printf ("/v1/blobs/%s", sha);
  g_autoptr (FkSyncResponse) r =
    fk_sync_client_send (client, "POST", "/v1/blobs", create, NULL, NULL, NULL);
  g_autoptr (FkSyncResponse) p = NULL;

  if (r->status != 200)
    return FALSE;
  p = fk_sync_client_send (client, "PATCH", target, bytes, "Upload-Offset", "0", NULL);
  return p->status == 204;
}

static GBytes *
random_bytes (gsize size)
{
  guint8 *data = g_malloc (size);

  randombytes_buf (data, size);
  return g_bytes_new_take (data, size);
}

/* A dossier the server can open, as a device seals it. */
static GBytes *
sealed_dossier (const guint8 *box_key, const char *uuid)
{
  g_autoptr (FkVaultKey) key = fk_vault_key_new_random ();
  g_autofree char *json = fk_test_dossier_json (uuid);

  return fk_vault_seal_dossier (key, box_key, uuid, json, strlen (json), NULL);
}

static gpointer
worker (gpointer data)
{
  Worker *w = data;
  Load *load = w->load;
  g_autoptr (FkSyncClient) client = fk_sync_client_new (w->url, load->key, 30, NULL);
  g_autofree char *device = fk_device_key_get_public_key_base64 (load->key);
  guint i;

  while ((i = (guint) g_atomic_int_add (&load->next, 1)) < load->total)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autoptr (GBytes) dossier = sealed_dossier (load->box_key, uuid);
      g_autoptr (GBytes) photo = random_bytes (50 * 1000);
      g_autoptr (FkSyncManifest) m = fk_sync_manifest_new (uuid, device);
      g_autofree char *d_sha =
        fk_sync_sha256_hex (g_bytes_get_data (dossier, NULL), g_bytes_get_size (dossier));
      g_autofree char *p_sha = fk_sync_sha256_hex (g_bytes_get_data (photo, NULL), 50 * 1000);
      g_autoptr (GBytes) body = NULL;
      g_autoptr (FkSyncResponse) r = NULL;
      gsize len = 0;
      char *json;

      fk_sync_manifest_add_part (m, "dossier", NULL, d_sha, g_bytes_get_size (dossier));
      fk_sync_manifest_add_part (m, "document", "photo.jpg.fkf", p_sha, 50 * 1000);
      json = fk_sync_manifest_to_json (m, &len);
      body = g_bytes_new_take (json, len);
      if (!put_blob (client, dossier) || !put_blob (client, photo))
        {
          g_atomic_int_inc (&load->failed);
          continue;
        }
      r = fk_sync_client_send (client, "POST", "/v1/commit", body, NULL, NULL, NULL);
      if (r->status != 200)
        g_atomic_int_inc (&load->failed);
    }
  return NULL;
}

static Usage
usage_of (FkTestServer *server)
{
  const char *pid = g_subprocess_get_identifier (server->process);
  g_autofree char *fd_dir = g_strdup_printf ("/proc/%s/fd", pid);
  g_autofree char *status_path = g_strdup_printf ("/proc/%s/status", pid);
  g_autofree char *status = NULL;
  g_autoptr (GDir) dir = g_dir_open (fd_dir, 0, NULL);
  Usage usage = { 0 };
  const char *rss;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    usage.fds++;
  if (g_file_get_contents (status_path, &status, NULL, NULL) &&
      (rss = strstr (status, "VmRSS:")) != NULL)
    usage.rss_kib = g_ascii_strtoull (rss + strlen ("VmRSS:"), NULL, 10);
  return usage;
}

/* @n_processes servers on @db_uri (SQLite when NULL); returns dossiers/s. */
static double
measure (const char *label, const char *db_uri, guint n_processes, guint n, FkDeviceKey *key,
         GString *json)
{
  g_autofree char *base = g_dir_make_tmp ("fk-bench-server-XXXXXX", NULL);
  g_autofree char *server_dir = g_build_filename (base, "server", NULL);
  g_autoptr (FkTestServer) server = fk_test_server_new (server_dir, db_uri);
  FkTestServer *second = NULL;
  g_autofree char *device = fk_device_key_get_public_key_base64 (key);
  FkTestServer *servers[2] = { server, NULL };
  Usage before[2] = { { 0 } }, after[2] = { { 0 } };
  Load load = { 0 };
  Worker workers[N_THREADS];
  GThread *threads[N_THREADS];
  gint64 start;
  double seconds, rate;
  gint64 stored;

  g_free (
    fk_test_server_ctl (server, 0, "device", "add", "--pubkey", device, "--name", "bench", NULL));
  fk_test_server_start (server, "--rate-limit=0", "--log-requests=false", NULL);
  if (n_processes == 2)
    {
      second = g_new0 (FkTestServer, 1);
      second->dir = g_strdup (server->dir);
      second->keys_dir = g_strdup (server->keys_dir);
      second->db_uri = g_strdup (server->db_uri);
      fk_test_server_start (second, "--rate-limit=0", "--log-requests=false", NULL);
      servers[1] = second;
    }
  for (guint s = 0; s < n_processes; s++)
    {
      before[s] = usage_of (servers[s]);
      load.urls[s] = servers[s]->url;
    }
  load.n_urls = n_processes;
  load.box_key = server->box_key;
  load.key = key;
  load.total = n;
  start = g_get_monotonic_time ();
  for (guint t = 0; t < N_THREADS; t++)
    {
      /* Each thread takes the next server in turn. */
      workers[t] = (Worker){ &load, load.urls[t % load.n_urls] };
      threads[t] = g_thread_new ("load", worker, &workers[t]);
    }
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  stored = fk_test_server_query_int (server, "SELECT count(*) FROM dossiers");
  rate = stored / seconds;
  /* The clients are gone: what the servers hold now is what they keep. */
  g_usleep (500 * 1000);
  for (guint s = 0; s < n_processes; s++)
    after[s] = usage_of (servers[s]);
  printf ("%-24s %" G_GINT64_FORMAT
          " dossiers stored (%d failed requests) in %.2f s: %.1f dossiers/s\n",
          label, stored, load.failed, seconds, rate);
  for (guint s = 0; s < n_processes; s++)
    printf ("%-24s   process %u: fds %u before, %u after; RSS %" G_GUINT64_FORMAT
            " KiB before, %" G_GUINT64_FORMAT " KiB after\n",
            "", s + 1, before[s].fds, after[s].fds, before[s].rss_kib, after[s].rss_kib);
  g_string_append_printf (json,
                          "%s\"%s\":{\"per_s\":%.1f,\"processes\":%u,\"fds_before\":%u,"
                          "\"fds_after\":%u,\"rss_kib_before\":%" G_GUINT64_FORMAT
                          ",\"rss_kib_after\":%" G_GUINT64_FORMAT "}",
                          json->len > 1 ? "," : "", label, rate, n_processes,
                          before[0].fds + before[1].fds, after[0].fds + after[1].fds,
                          before[0].rss_kib + before[1].rss_kib,
                          after[0].rss_kib + after[1].rss_kib);
  if (second != NULL)
    {
      fk_test_server_stop (second, FALSE);
      fk_test_server_free (second);
    }
  fk_test_server_stop (server, FALSE);
  fk_test_rm_rf (base);
  return rate;
}

int
main (int argc, char **argv)
{
  const char *n_text = g_getenv ("FK_BENCH_DOSSIERS");
  guint n = n_text != NULL ? (guint) g_ascii_strtoull (n_text, NULL, 10) : 400;
  g_autofree char *tmp = g_dir_make_tmp ("fk-bench-XXXXXX", NULL);
  g_autofree char *key_dir = g_build_filename (tmp, "device", NULL);
  g_autoptr (FkDeviceKey) key = NULL;
  g_autofree char *reason = NULL;
  g_autoptr (GString) json = g_string_new ("{");

  g_setenv ("FK_SOURCE_ROOT", FK_SOURCE_ROOT, FALSE);
  g_setenv ("FK_BUILD_ROOT", FK_BENCH_BUILD_ROOT, FALSE);
  g_setenv ("TMPDIR", tmp, TRUE);
  g_assert_cmpint (sodium_init (), >=, 0);
  g_mkdir_with_parents (key_dir, 0700);
  key = fk_device_key_create (key_dir, NULL);
  printf ("bench-server: %u dossiers (sealed dossier + 50 kB), %d client threads, loopback\n", n,
          N_THREADS);
  measure ("sqlite", NULL, 1, n, key, json);
  if (fk_test_pg_start (&reason))
    {
      g_autofree char *one = fk_test_pg_new_database ();
      g_autofree char *two = fk_test_pg_new_database ();

      measure ("postgresql", one, 1, n, key, json);
      measure ("postgresql-2-processes", two, 2, n, key, json);
      fk_test_pg_stop ();
    }
  else
    printf ("postgresql skipped: %s\n", reason);
  printf ("{\"bench\":\"server\",\"dossiers\":%u,\"threads\":%d,\"setups\":%s}}\n", n, N_THREADS,
          json->str);
  fk_test_rm_rf (tmp);
  return 0;
}
