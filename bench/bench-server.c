/* bench-server.c: dossiers ingested per second by fieldkit-server on
 * loopback, four client threads each uploading and committing dossiers of
 * two parts (2 kB sealed dossier, 50 kB attachment), on SQLite and, when
 * the PostgreSQL server binaries are there, on PostgreSQL. Prints figures
 * and a JSON line; never fails on a time.
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

#define N_THREADS 4

typedef struct
{
  const char *url;
  FkDeviceKey *key;
  guint total;
  gint next;
  gint failed;
} Load;

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

static gpointer
worker (gpointer data)
{
  Load *load = data;
  g_autoptr (FkSyncClient) client = fk_sync_client_new (load->url, load->key, 30, NULL);
  g_autofree char *device = fk_device_key_get_public_key_base64 (load->key);

  while ((guint) g_atomic_int_add (&load->next, 1) < load->total)
    {
      g_autoptr (GBytes) dossier = random_bytes (2000);
      g_autoptr (GBytes) photo = random_bytes (50 * 1000);
      g_autofree char *uuid = g_uuid_string_random ();
      g_autoptr (FkSyncManifest) m = fk_sync_manifest_new (uuid, device);
      g_autofree char *d_sha = fk_sync_sha256_hex (g_bytes_get_data (dossier, NULL), 2000);
      g_autofree char *p_sha = fk_sync_sha256_hex (g_bytes_get_data (photo, NULL), 50 * 1000);
      g_autoptr (GBytes) body = NULL;
      g_autoptr (FkSyncResponse) r = NULL;
      gsize len = 0;
      char *json;

      fk_sync_manifest_add_part (m, "dossier", NULL, d_sha, 2000);
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

static double
measure (const char *label, const char *db_uri, guint n, FkDeviceKey *key)
{
  g_autofree char *base = g_dir_make_tmp ("fk-bench-server-XXXXXX", NULL);
  g_autofree char *server_dir = g_build_filename (base, "server", NULL);
  g_autoptr (FkTestServer) server = fk_test_server_new (server_dir, db_uri);
  g_autofree char *device = fk_device_key_get_public_key_base64 (key);
  Load load = { 0 };
  GThread *threads[N_THREADS];
  gint64 start;
  double seconds, rate;
  gint64 stored;

  g_free (
    fk_test_server_ctl (server, 0, "device", "add", "--pubkey", device, "--name", "bench", NULL));
  fk_test_server_start (server, "--rate-limit=0", NULL);
  load.url = server->url;
  load.key = key;
  load.total = n;
  start = g_get_monotonic_time ();
  for (guint t = 0; t < N_THREADS; t++)
    threads[t] = g_thread_new ("load", worker, &load);
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  stored = fk_test_server_query_int (server, "SELECT count(*) FROM dossiers");
  rate = stored / seconds;
  printf ("%-10s %" G_GINT64_FORMAT
          " dossiers stored (%d failed requests) in %.2f s: %.1f dossiers/s\n",
          label, stored, load.failed, seconds, rate);
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
  double sqlite_rate, pg_rate = -1;

  g_setenv ("FK_SOURCE_ROOT", FK_SOURCE_ROOT, FALSE);
  g_setenv ("FK_BUILD_ROOT", FK_BENCH_BUILD_ROOT, FALSE);
  g_setenv ("TMPDIR", tmp, TRUE);
  g_assert_cmpint (sodium_init (), >=, 0);
  g_mkdir_with_parents (key_dir, 0700);
  key = fk_device_key_create (key_dir, NULL);
  printf ("bench-server: %u dossiers (2 kB + 50 kB), %d client threads, loopback\n", n, N_THREADS);
  sqlite_rate = measure ("sqlite", NULL, n, key);
  if (fk_test_pg_start (&reason))
    {
      g_autofree char *uri = fk_test_pg_new_database ();

      pg_rate = measure ("postgresql", uri, n, key);
      fk_test_pg_stop ();
    }
  else
    printf ("postgresql skipped: %s\n", reason);
  printf ("{\"bench\":\"server\",\"dossiers\":%u,\"threads\":%d,\"sqlite_per_s\":%.1f,"
          "\"postgresql_per_s\":%.1f}\n",
          n, N_THREADS, sqlite_rate, pg_rate);
  fk_test_rm_rf (tmp);
  return 0;
}
