/* fk-test-sync.c: a server and a device with dossiers to send
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-test-sync.h"

#include "fk-test-pg.h"
#include "fk-test-store.h"

void
fk_test_sync_setup (FkTestSyncFixture *f, gboolean postgresql, guint n, guint photos,
                    gsize photo_size, gboolean enroll)
{
  g_autofree char *server_dir = NULL;

  f->base = g_dir_make_tmp ("fk-e2e-XXXXXX", NULL);
  server_dir = g_build_filename (f->base, "server", NULL);
  {
    g_autofree char *uri = postgresql ? fk_test_pg_new_database () : NULL;

    f->server = fk_test_server_new (server_dir, uri);
  }
  f->device_dir = g_build_filename (f->base, "device", NULL);
  f->server_pub = g_build_filename (f->server->keys_dir, "server.pub", NULL);
  f->ids = fk_test_device_new (f->device_dir, f->server->box_key, n, photos, photo_size);
  if (enroll)
    {
      g_autofree char *key = fk_test_device_key (f->device_dir);
      g_free (fk_test_server_ctl (f->server, 0, "device", "add", "--pubkey", key, "--name",
                                  "tablet", NULL));
    }
  fk_test_server_start (f->server, "--rate-limit=0", NULL);
}

void
fk_test_sync_teardown (FkTestSyncFixture *f)
{
  fk_test_server_free (f->server);
  fk_test_rm_rf (f->base);
  g_free (f->base);
  g_free (f->device_dir);
  g_free (f->server_pub);
  g_ptr_array_unref (f->ids);
}

guint
fk_test_sync_until_done (FkTestSyncFixture *f, const char *url, guint max_runs, const char *timeout)
{
  for (guint run = 1; run <= max_runs; run++)
    {
      g_autoptr (GSubprocess) p = fk_test_sync_start (f->device_dir, url, f->server_pub,
                                                      "--timeout", timeout, "--retries", "6", NULL);
      int status = -1;
      g_autoptr (JsonObject) summary = fk_test_sync_finish (p, &status);

      if (status == 0)
        {
          g_assert_cmpint (json_object_get_int_member (summary, "remaining"), ==, 0);
          return run;
        }
      g_assert_cmpint (status, ==, 1);
    }
  g_assert_not_reached ();
  return 0;
}

guint64
fk_test_server_partial_bytes (FkTestServer *server)
{
  return (guint64) fk_test_server_query_int (server,
                                             "SELECT coalesce(sum(received), 0) FROM blobs");
}
