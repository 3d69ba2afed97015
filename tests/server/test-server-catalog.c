/* test-server-catalog.c: publishing catalog versions with the real
 * fieldkit-server: `catalog add` checks a version with the device's rules,
 * refuses one that is not newer, signs it with the receipt key; a pull
 * hands out the newest signed version only, never a row without a
 * signature. On SQLite, and on PostgreSQL with --postgresql.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#include "fk-sync-protocol.h"
#include "fk-test-pg.h"
#include "fk-test-protocol.h"
#include "fk-test-server.h"

static gboolean postgresql;

static void
setup (FkProtoFixture *f, gconstpointer data)
{
  g_autofree char *dir = g_build_filename (g_get_tmp_dir (), "server", NULL);
  g_autofree char *key_dir = g_build_filename (g_get_tmp_dir (), "device", NULL);
  g_autofree char *uri = postgresql ? fk_test_pg_new_database () : NULL;
  g_autoptr (GError) error = NULL;

  f->server = fk_test_server_new (dir, uri);
  g_mkdir_with_parents (key_dir, 0700);
  f->key = fk_device_key_create (key_dir, &error);
  g_assert_no_error (error);
  f->device = fk_device_key_get_public_key_base64 (f->key);
  g_free (fk_test_server_ctl (f->server, 0, "device", "add", "--pubkey", f->device, "--name",
                              "tablet-1", "--commune", "00004", NULL));
  fk_test_server_start (f->server, NULL);
  f->client = fk_sync_client_new (f->server->url, f->key, 10, &error);
  g_assert_no_error (error);
  f->session = soup_session_new ();
}

/* The shipped catalog with @version, written to a file: its path. */
static char *
catalog_file (const char *name, const char *version, gboolean drop_fields)
{
  g_autofree char *shipped =
    g_build_filename (g_getenv ("FK_SOURCE_ROOT"), "assets", "data", "catalog.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (g_get_tmp_dir (), name, NULL);
  JsonObject *root;

  g_assert_true (json_parser_load_from_file (parser, shipped, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  json_object_set_string_member (root, "version", version);
  if (drop_fields)
    json_object_remove_member (
      json_array_get_object_element (json_object_get_array_member (root, "procedures"), 0),
      "fields");
  json_generator_set_root (gen, json_parser_get_root (parser));
  g_assert_true (json_generator_to_file (gen, path, &error));
  return path;
}

static JsonObject *
pull (FkProtoFixture *f, gint64 since)
{
  g_autofree char *target =
    g_strdup_printf ("/v1/pull?catalog_since=%" G_GINT64_FORMAT "&results_since=0", since);
  g_autoptr (FkSyncResponse) r = fk_proto_send (f, "GET", target, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (r->body, NULL),
                                             g_bytes_get_size (r->body), NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static gint64
n_rows (FkProtoFixture *f)
{
  return fk_test_server_query_int (f->server, "SELECT count(*) FROM catalog");
}

static void
test_publish_and_pull (FkProtoFixture *f, gconstpointer data)
{
  g_autofree char *v1 = catalog_file ("v1.json", "2026.12.1", FALSE);
  g_autofree char *v2 = catalog_file ("v2.json", "2026.12.2", FALSE);
  g_autofree char *out = NULL;
  g_autofree char *v2_text = NULL;
  g_autoptr (JsonObject) answer = NULL;
  g_autoptr (GBytes) body = NULL;
  JsonArray *catalog;
  JsonObject *entry;
  const char *text;
  gint64 next;

  out = fk_test_server_ctl (f->server, 0, "catalog", "add", "--file", v1, NULL);
  g_assert_nonnull (strstr (out, "2026.12.1"));
  g_free (g_steal_pointer (&out));
  out = fk_test_server_ctl (f->server, 0, "catalog", "add", "--file", v2, NULL);

  /* Only the newest: each version is a whole catalog. */
  answer = pull (f, 0);
  catalog = json_object_get_array_member (answer, "catalog");
  g_assert_cmpuint (json_array_get_length (catalog), ==, 1);
  entry = json_array_get_object_element (catalog, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "version"), ==, "2026.12.2");
  next = json_object_get_int_member (answer, "catalog_next");
  g_assert_cmpint (next, ==, json_object_get_int_member (entry, "seq"));
  /* The body is the file byte for byte, signed by the receipt key. */
  text = json_object_get_string_member (entry, "body");
  g_assert_true (g_file_get_contents (v2, &v2_text, NULL, NULL));
  g_assert_cmpstr (text, ==, v2_text);
  body = g_bytes_new (text, strlen (text));
  g_assert_true (fk_sync_catalog_verify (f->server->verify_key, body,
                                         json_object_get_string_member (entry, "signature")));
  /* One changed byte, or another key, and it does not verify. */
  {
    g_autofree char *spoiled = g_strdup (text);
    g_autoptr (GBytes) spoiled_bytes = NULL;
    guint8 other[FK_SYNC_KEY_BYTES];

    spoiled[strlen (spoiled) / 2] ^= 1;
    spoiled_bytes = g_bytes_new (spoiled, strlen (spoiled));
    g_assert_false (fk_sync_catalog_verify (f->server->verify_key, spoiled_bytes,
                                            json_object_get_string_member (entry, "signature")));
    memcpy (other, f->server->verify_key, sizeof other);
    other[0] ^= 1;
    g_assert_false (
      fk_sync_catalog_verify (other, body, json_object_get_string_member (entry, "signature")));
  }

  /* From the cursor on, nothing new. */
  g_clear_pointer (&answer, json_object_unref);
  answer = pull (f, next);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "catalog")), ==,
                    0);
  g_assert_cmpint (json_object_get_int_member (answer, "catalog_next"), ==, next);
}

static void
test_refused (FkProtoFixture *f, gconstpointer data)
{
  g_autofree char *v1 = catalog_file ("v1.json", "2026.12.1", FALSE);
  g_autofree char *same = catalog_file ("same.json", "2026.12.1", FALSE);
  g_autofree char *older = catalog_file ("older.json", "2026.9.30", FALSE);
  g_autofree char *broken = catalog_file ("broken.json", "2027.1.1", TRUE);
  g_autofree char *bad_version = catalog_file ("bad-version.json", "2027-01", FALSE);
  g_autofree char *not_json = g_build_filename (g_get_tmp_dir (), "not.json", NULL);
  g_autofree char *huge = g_build_filename (g_get_tmp_dir (), "huge.json", NULL);
  g_autofree char *huge_text = NULL;
  g_autofree char *out = NULL;
  g_autoptr (JsonObject) answer = NULL;
  const char *without_keys[] = {
    fk_test_server_binary (), "--db", f->server->db_uri, "catalog", "add", "--file", v1, NULL
  };

  g_free (fk_test_server_ctl (f->server, 0, "catalog", "add", "--file", v1, NULL));
  g_assert_cmpint (n_rows (f), ==, 1);

  out = fk_test_server_ctl (f->server, 1, "catalog", "add", "--file", same, NULL);
  g_free (g_steal_pointer (&out));
  out = fk_test_server_ctl (f->server, 1, "catalog", "add", "--file", older, NULL);
  g_free (g_steal_pointer (&out));
  out = fk_test_server_ctl (f->server, 1, "catalog", "add", "--file", broken, NULL);
  g_free (g_steal_pointer (&out));
  out = fk_test_server_ctl (f->server, 1, "catalog", "add", "--file", bad_version, NULL);
  g_free (g_steal_pointer (&out));
  g_assert_true (g_file_set_contents (not_json, "{\"schema\": 1, \"version\": ", -1, NULL));
  out = fk_test_server_ctl (f->server, 1, "catalog", "add", "--file", not_json, NULL);
  g_free (g_steal_pointer (&out));
  /* Larger than a device takes: refused before it is parsed. */
  huge_text = g_strnfill (FK_SYNC_MAX_CATALOG_BYTES + 1, ' ');
  g_assert_true (g_file_set_contents (huge, huge_text, -1, NULL));
  out = fk_test_server_ctl (f->server, 1, "catalog", "add", "--file", huge, NULL);
  g_free (g_steal_pointer (&out));
  /* No key to sign with: nothing is published unsigned. */
  out = fk_test_run (1, without_keys);
  g_assert_cmpint (n_rows (f), ==, 1);

  answer = pull (f, 0);
  g_assert_cmpstr (
    json_object_get_string_member (
      json_array_get_object_element (json_object_get_array_member (answer, "catalog"), 0),
      "version"),
    ==, "2026.12.1");
}

/* Catalog rows written before versions were signed are never sent. */
static void
test_unsigned_rows_not_served (FkProtoFixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) answer = NULL;
  sqlite3 *db = NULL;

  if (postgresql)
    {
      g_test_skip ("the row is written with SQLite");
      return;
    }
  g_assert_cmpint (sqlite3_open (f->server->db_uri, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO catalog (body, created_at) VALUES"
                                 " ('{\"schema\":1}', '2026-11-01T00:00:00Z')",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  answer = pull (f, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "catalog")), ==,
                    0);
  g_assert_cmpint (json_object_get_int_member (answer, "catalog_next"), ==, 0);
}

int
main (int argc, char **argv)
{
  int status;

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
  g_assert_cmpint (sodium_init (), >=, 0);
  g_test_add ("/server/catalog/publish-and-pull", FkProtoFixture, NULL, setup,
              test_publish_and_pull, fk_proto_teardown);
  g_test_add ("/server/catalog/refused", FkProtoFixture, NULL, setup, test_refused,
              fk_proto_teardown);
  g_test_add ("/server/catalog/unsigned-rows-not-served", FkProtoFixture, NULL, setup,
              test_unsigned_rows_not_served, fk_proto_teardown);
  status = g_test_run ();
  if (postgresql)
    fk_test_pg_stop ();
  return status;
}
