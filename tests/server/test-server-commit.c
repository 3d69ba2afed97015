/* test-server-commit.c: what the intake server accepts and keeps, against
 * the real fieldkit-server: a commit is answered only for a dossier the
 * server can open, one spelling of a UUID, no control character in a
 * name, a storage quota per device, unfinished uploads removed, rate limits
 * per device and per address, export that skips what it cannot open, an
 * online backup restored, a practice dossier refused
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#include "fk-sync-error.h"
#include "fk-sync-protocol.h"
#include "fk-test-protocol.h"
#include "fk-vault.h"

static const char *const address_limited[] = { "--address-rate-limit=1", "--address-burst=3",
                                               "--rate-limit=0", NULL };
static const char *const quota_1mib[] = { "--device-quota-mib=1", NULL };
/* 1.8 s: stale soon after the test stops touching it. */
static const char *const practice_server[] = { "--practice", NULL };
static const char *const stale_fast[] = { "--stale-upload-hours=0.0005", NULL };

static guint
send_unsigned (FkProtoFixture *f, const char *method, const char *target)
{
  FkProtoRawRequest req = { method, target, NULL, NULL, NULL, 0, NULL, NULL, NULL };

  return fk_proto_send_raw (f, &req, NULL);
}

/* A team behind one carrier NAT: what is not signed shares the address's
 * bucket; an enrolled device has its own and is never held back by it. */
static void
test_address_limit (FkProtoFixture *f, gconstpointer data)
{
  guint limited = 0;

  for (guint i = 0; i < 10; i++)
    if (send_unsigned (f, "GET", "/v1/pull") == 429)
      limited++;
  g_assert_cmpuint (limited, >, 0);
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr (FkSyncResponse) r = fk_proto_send (f, "GET", "/v1/pull", NULL);

      g_assert_cmpuint (r->status, ==, 200);
    }
}

static FkSyncResponse *
commit_manifest (FkProtoFixture *f, const char *manifest)
{
  return fk_proto_send (f, "POST", "/v1/commit", manifest);
}

static gint64
count_dossiers (FkProtoFixture *f)
{
  return fk_test_server_query_int (f->server, "SELECT count(*) FROM dossiers");
}

/* A dossier sealed to another server, and one whose JSON is not a valid
 * dossier, as a faulty device would fk_proto_send them. */
static GBytes *
seal_with (const guint8 *box_key, const char *uuid, const char *json)
{
  g_autoptr (FkVaultKey) key = fk_vault_key_new_random ();
  g_autoptr (GError) error = NULL;
  GBytes *sealed = fk_vault_seal_dossier (key, box_key, uuid, json, strlen (json), &error);

  g_assert_no_error (error);
  return sealed;
}

static void
expect_refused_dossier (FkProtoFixture *f, FkProtoSealed *s, GBytes *dossier_part, const char *code)
{
  gsize len = 0;
  g_autofree char *manifest = NULL;
  g_autoptr (FkSyncResponse) r = NULL;

  g_bytes_unref (s->sealed_dossier);
  s->sealed_dossier = g_bytes_ref (dossier_part);
  fk_proto_upload_blob (f, s->sealed_dossier, 64 * 1024);
  manifest = fk_proto_manifest_for (f, s, &len);
  r = commit_manifest (f, manifest);
  g_assert_cmpuint (r->status, ==, 422);
  g_assert_cmpstr (r->error_code, ==, code);
  g_assert_cmpint (count_dossiers (f), ==, 0);
}

static void
test_commit_unopenable (FkProtoFixture *f, gconstpointer data)
{
  g_autoptr (FkProtoSealed) s = fk_proto_seal (f, 5000);
  g_autoptr (GBytes) good = g_bytes_ref (s->sealed_dossier);
  guint8 random[600], other_pk[32], other_sk[32];
  g_autofree char *no_citizen =
    g_strdup_printf ("{\"id\": \"%s\", \"procedure\": \"birth-registration\"}", s->uuid);
  g_autofree char *other_uuid = g_uuid_string_random ();
  g_autofree char *wrong_id = fk_test_dossier_json (other_uuid);
  g_autoptr (GBytes) random_part = NULL;
  g_autoptr (GBytes) other_server = NULL;
  g_autoptr (GBytes) invalid = NULL;
  g_autoptr (GBytes) renamed = NULL;
  g_autoptr (FkSyncResponse) r = NULL;
  g_autofree char *manifest = NULL;
  g_autofree char *out = NULL;
  g_autofree char *out_dir = g_build_filename (g_get_tmp_dir (), "export", NULL);
  gsize len = 0;

  fk_proto_upload_blob (f, s->sealed_attachment, 64 * 1024);
  /* Random bytes, a dossier sealed to another server, one that is not a
   * dossier, one with another UUID inside: each refused, none stored. */
  randombytes_buf (random, sizeof random);
  random_part = g_bytes_new (random, sizeof random);
  expect_refused_dossier (f, s, random_part, "unopenable-dossier");
  crypto_box_keypair (other_pk, other_sk);
  other_server = seal_with (other_pk, s->uuid, g_bytes_get_data (s->json, NULL));
  expect_refused_dossier (f, s, other_server, "unopenable-dossier");
  invalid = seal_with (f->server->box_key, s->uuid, no_citizen);
  expect_refused_dossier (f, s, invalid, "invalid-dossier");
  renamed = seal_with (f->server->box_key, s->uuid, wrong_id);
  expect_refused_dossier (f, s, renamed, "invalid-dossier");

  /* The same UUID with a dossier that opens: stored, and exported. */
  g_bytes_unref (s->sealed_dossier);
  s->sealed_dossier = g_bytes_ref (good);
  fk_proto_upload_blob (f, s->sealed_dossier, 64 * 1024);
  manifest = fk_proto_manifest_for (f, s, &len);
  r = commit_manifest (f, manifest);
  g_assert_cmpuint (r->status, ==, 200);
  out = fk_test_server_ctl (f->server, 0, "export", "--out", out_dir, NULL);
  g_assert_true (g_str_has_prefix (out, "1 "));
}

/* A practice dossier (the app's practice profile) is marked so in what its
 * device signs: the server refuses its parts and its commit, even from an
 * enrolled device, and keeps nothing of it. */
/* Uploads @bytes as a practice dossier's part. */
static void
upload_practice_blob (FkProtoFixture *f, GBytes *bytes)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autofree char *sha = fk_sync_sha256_hex (data, len);
  g_autofree char *create = fk_sync_blob_request_json (sha, len, TRUE);
  g_autofree char *target = g_strdup_printf ("/v1/blobs/%s", sha);
  g_autoptr (FkSyncResponse) r = fk_proto_send (f, "POST", "/v1/blobs", create);
  g_autoptr (FkSyncResponse) p = NULL;

  g_assert_cmpuint (r->status, ==, 200);
  p = fk_sync_client_send (f->client, "PATCH", target, bytes, "Upload-Offset", "0", NULL);
  g_assert_cmpuint (p->status, ==, 204);
}

/* A practice server (`serve --practice`, what the app starts for its
 * practice profile) is the mirror: a real dossier is refused, not a byte of
 * it kept, and a practice one is taken. */
static void
test_practice_server (FkProtoFixture *f, gconstpointer data)
{
  g_autoptr (FkProtoSealed) s = fk_proto_seal (f, 3000);
  gsize len = 0;
  const guint8 *bytes = g_bytes_get_data (s->sealed_dossier, &len);
  g_autofree char *sha = fk_sync_sha256_hex (bytes, len);
  g_autofree char *create = fk_sync_blob_request_json (sha, len, FALSE);
  g_autofree char *manifest = NULL;
  g_autoptr (FkSyncManifest) m = NULL;
  g_autoptr (FkSyncResponse) r = NULL;
  g_autoptr (GError) error = NULL;

  r = fk_proto_send (f, "POST", "/v1/blobs", create);
  g_assert_cmpuint (r->status, ==, 422);
  g_assert_cmpstr (r->error_code, ==, FK_SYNC_CODE_NOT_PRACTICE);
  g_assert_nonnull (strstr (r->message, "practice server"));
  g_assert_cmpint (fk_test_server_query_int (f->server, "SELECT count(*) FROM blobs"), ==, 0);

  /* Parts marked practice are taken; a manifest without the mark is not. */
  upload_practice_blob (f, s->sealed_dossier);
  upload_practice_blob (f, s->sealed_attachment);
  manifest = fk_proto_manifest_for (f, s, &len);
  m = fk_sync_manifest_parse (manifest, len, &error);
  g_assert_no_error (error);
  g_assert_false (m->practice);
  g_clear_pointer (&r, fk_sync_response_free);
  r = commit_manifest (f, manifest);
  g_assert_cmpuint (r->status, ==, 422);
  g_assert_cmpstr (r->error_code, ==, FK_SYNC_CODE_NOT_PRACTICE);
  g_assert_cmpint (count_dossiers (f), ==, 0);

  m->practice = TRUE;
  g_free (manifest);
  manifest = fk_sync_manifest_to_json (m, &len);
  g_clear_pointer (&r, fk_sync_response_free);
  r = commit_manifest (f, manifest);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpint (count_dossiers (f), ==, 1);
}

static void
test_practice_refused (FkProtoFixture *f, gconstpointer data)
{
  g_autoptr (FkProtoSealed) s = fk_proto_seal (f, 3000);
  gsize len = 0;
  const guint8 *bytes = g_bytes_get_data (s->sealed_dossier, &len);
  g_autofree char *sha = fk_sync_sha256_hex (bytes, len);
  g_autofree char *create = fk_sync_blob_request_json (sha, len, TRUE);
  g_autofree char *manifest = NULL;
  g_autoptr (FkSyncManifest) m = NULL;
  g_autoptr (FkSyncResponse) r = NULL;
  g_autoptr (GError) error = NULL;
  const char *odd[] = { "\"yes\"", "1", "null", "{}" };

  r = fk_proto_send (f, "POST", "/v1/blobs", create);
  g_assert_cmpuint (r->status, ==, 422);
  g_assert_cmpstr (r->error_code, ==, FK_SYNC_CODE_PRACTICE);
  g_assert_nonnull (strstr (r->message, "practice"));
  g_assert_cmpint (fk_test_server_query_int (f->server, "SELECT count(*) FROM blobs"), ==, 0);
  g_assert_cmpint (fk_test_server_query_int (f->server, "SELECT count(*) FROM chunks"), ==, 0);

  /* A device that marks the manifest only: its parts arrive, the commit
   * is refused and no dossier is kept. */
  fk_proto_upload_blob (f, s->sealed_dossier, 64 * 1024);
  fk_proto_upload_blob (f, s->sealed_attachment, 64 * 1024);
  manifest = fk_proto_manifest_for (f, s, &len);
  m = fk_sync_manifest_parse (manifest, len, &error);
  g_assert_no_error (error);
  m->practice = TRUE;
  g_free (manifest);
  manifest = fk_sync_manifest_to_json (m, &len);
  g_assert_nonnull (strstr (manifest, "\"practice\":true"));
  g_clear_pointer (&r, fk_sync_response_free);
  r = commit_manifest (f, manifest);
  g_assert_cmpuint (r->status, ==, 422);
  g_assert_cmpstr (r->error_code, ==, FK_SYNC_CODE_PRACTICE);
  g_assert_cmpint (count_dossiers (f), ==, 0);

  /* Spelled otherwise than true, the mark still counts. */
  for (guint i = 0; i < G_N_ELEMENTS (odd); i++)
    {
      g_autofree char *head = g_strndup (manifest, strlen (manifest) - strlen ("true}"));
      g_autofree char *spelled = g_strdup_printf ("%s%s}", head, odd[i]);

      g_clear_pointer (&r, fk_sync_response_free);
      r = commit_manifest (f, spelled);
      g_assert_cmpuint (r->status, ==, 422);
      g_assert_cmpstr (r->error_code, ==, FK_SYNC_CODE_PRACTICE);
    }
  g_assert_cmpint (count_dossiers (f), ==, 0);

  /* The same parts without the mark: the refusal was the mark's alone. */
  m->practice = FALSE;
  g_free (manifest);
  manifest = fk_sync_manifest_to_json (m, &len);
  g_clear_pointer (&r, fk_sync_response_free);
  r = commit_manifest (f, manifest);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpint (count_dossiers (f), ==, 1);
}

static void
commit_sealed (FkProtoFixture *f, FkProtoSealed *s)
{
  gsize len = 0;
  g_autofree char *manifest = fk_proto_manifest_for (f, s, &len);
  g_autoptr (FkSyncResponse) r = NULL;

  fk_proto_upload_blob (f, s->sealed_dossier, 64 * 1024);
  fk_proto_upload_blob (f, s->sealed_attachment, 64 * 1024);
  r = commit_manifest (f, manifest);
  g_assert_cmpuint (r->status, ==, 200);
}

/* A stored dossier that no longer opens (a damaged disk, an old server's
 * mistake) is reported and skipped; the others are exported. */
static void
test_export_skips_unopenable (FkProtoFixture *f, gconstpointer data)
{
  g_autoptr (FkProtoSealed) a = fk_proto_seal (f, 3000);
  g_autoptr (FkProtoSealed) b = fk_proto_seal (f, 3000);
  g_autofree char *a_sha = fk_sync_sha256_hex (g_bytes_get_data (a->sealed_dossier, NULL),
                                               g_bytes_get_size (a->sealed_dossier));
  g_autofree char *out_dir = g_build_filename (g_get_tmp_dir (), "export", NULL);
  g_autofree char *a_dir = NULL;
  g_autofree char *b_dir = NULL;
  g_autofree char *out = NULL;
  sqlite3 *db = NULL;
  g_autofree char *sql = NULL;

  commit_sealed (f, a);
  commit_sealed (f, b);
  g_assert_cmpint (sqlite3_open (f->server->db_uri, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  sql = g_strdup_printf ("UPDATE chunks SET data = randomblob(length(data)) WHERE sha256 = '%s'",
                         a_sha);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), >, 0);
  sqlite3_close (db);

  /* Exit status 3: something was skipped. */
  out = fk_test_server_ctl (f->server, 3, "export", "--out", out_dir, NULL);
  g_assert_nonnull (strstr (out, "1 dossier exported"));
  g_assert_nonnull (strstr (out, "1 dossier skipped"));
  a_dir = g_build_filename (out_dir, a->uuid, NULL);
  b_dir = g_build_filename (out_dir, b->uuid, "dossier.json", NULL);
  g_assert_false (g_file_test (a_dir, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (b_dir, G_FILE_TEST_IS_REGULAR));
  /* Nothing half-written is left behind. */
  {
    g_autoptr (GDir) dir = g_dir_open (out_dir, 0, NULL);
    const char *name;
    guint n = 0;

    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_assert_false (g_str_has_prefix (name, "."));
        n++;
      }
    g_assert_cmpuint (n, ==, 1);
  }
}

static char *
replace_all (const char *text, const char *from, const char *to)
{
  g_auto (GStrv) parts = g_strsplit (text, from, -1);

  return g_strjoinv (to, parts);
}

/* "ABC…" and "abc…" are one dossier: the first commit stores it under the
 * lower-case spelling, the other spelling gets the same receipt. */
static void
test_uuid_canonical (FkProtoFixture *f, gconstpointer data)
{
  g_autoptr (FkProtoSealed) s = fk_proto_seal (f, 3000);
  g_autofree char *upper = g_ascii_strup (s->uuid, -1);
  gsize len = 0;
  g_autofree char *lower_manifest = fk_proto_manifest_for (f, s, &len);
  g_autofree char *upper_manifest = replace_all (lower_manifest, s->uuid, upper);
  g_autoptr (FkSyncResponse) first = NULL;
  g_autoptr (FkSyncResponse) again = NULL;
  g_autoptr (FkSyncReceipt) receipt = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *out_dir = g_build_filename (g_get_tmp_dir (), "export", NULL);
  g_autofree char *folder = NULL;

  g_assert_cmpstr (upper_manifest, !=, lower_manifest);
  fk_proto_upload_blob (f, s->sealed_dossier, 64 * 1024);
  fk_proto_upload_blob (f, s->sealed_attachment, 64 * 1024);
  first = commit_manifest (f, upper_manifest);
  g_assert_cmpuint (first->status, ==, 200);
  receipt = fk_sync_receipt_parse (g_bytes_get_data (first->body, NULL),
                                   g_bytes_get_size (first->body), NULL);
  g_assert_cmpstr (receipt->dossier, ==, s->uuid);
  again = commit_manifest (f, lower_manifest);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_true (g_bytes_equal (again->body, first->body));
  g_assert_cmpint (count_dossiers (f), ==, 1);
  sql = g_strdup_printf ("SELECT count(*) FROM dossiers WHERE dossier = '%s'", s->uuid);
  g_assert_cmpint (fk_test_server_query_int (f->server, sql), ==, 1);
  /* Results and the export use the same spelling. */
  g_free (fk_test_server_ctl (f->server, 0, "result", "add", "--commune", "00004", "--dossier",
                              upper, NULL));
  g_free (fk_test_server_ctl (f->server, 0, "export", "--out", out_dir, NULL));
  folder = g_build_filename (out_dir, s->uuid, NULL);
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  {
    g_autoptr (FkSyncResponse) r = fk_proto_send (f, "GET", "/v1/pull", NULL);
    g_autofree char *body =
      g_strndup (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body));

    g_assert_nonnull (strstr (body, s->uuid));
  }
}

/* Attachment names become file names: no control character gets in,
 * however it is escaped. */
static void
test_name_control_chars (FkProtoFixture *f, gconstpointer data)
{
  g_autoptr (FkProtoSealed) s = fk_proto_seal (f, 3000);
  const char *names[] = { "p1\\u0000../../evil", "p1\\u0007.jpg", "p1\\n.jpg", "p1\\u001b.jpg" };
  gsize len = 0;
  g_autofree char *manifest = fk_proto_manifest_for (f, s, &len);

  fk_proto_upload_blob (f, s->sealed_dossier, 64 * 1024);
  fk_proto_upload_blob (f, s->sealed_attachment, 64 * 1024);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *bad = replace_all (manifest, "p1.jpg.fkf", names[i]);
      g_autoptr (FkSyncResponse) r = commit_manifest (f, bad);
      g_autoptr (FkSyncManifest) parsed = fk_sync_manifest_parse (bad, strlen (bad), NULL);

      g_assert_null (parsed);
      g_assert_cmpuint (r->status, ==, 422);
      g_assert_cmpstr (r->error_code, ==, "invalid-manifest");
    }
  g_assert_cmpint (count_dossiers (f), ==, 0);
}

static FkSyncResponse *
create_blob (FkProtoFixture *f, char sha_fill, gsize length)
{
  g_autofree char *sha = g_strnfill (64, sha_fill);
  g_autofree char *json = fk_proto_blob_json (sha, length);

  return fk_proto_send (f, "POST", "/v1/blobs", json);
}

static void
test_quota (FkProtoFixture *f, gconstpointer data)
{
  g_autoptr (FkSyncResponse) first = create_blob (f, 'a', 700 * 1000);
  g_autoptr (FkSyncResponse) second = create_blob (f, 'b', 700 * 1000);
  g_autoptr (FkSyncResponse) again = create_blob (f, 'a', 700 * 1000);

  g_assert_cmpuint (first->status, ==, 200);
  /* Over the device's 1 MiB: refused, and retryable once space is given. */
  g_assert_cmpuint (second->status, ==, 507);
  g_assert_cmpstr (second->error_code, ==, FK_SYNC_CODE_QUOTA);
  g_assert_cmpint (fk_sync_response_outcome (second), ==, FK_SYNC_OUTCOME_TRANSIENT);
  /* What it holds already stays reachable. */
  g_assert_cmpuint (again->status, ==, 200);
}

static void
test_stale_uploads (FkProtoFixture *f, gconstpointer data)
{
  guint8 bytes[2000];
  g_autofree char *sha = NULL;
  g_autofree char *target = NULL;
  g_autofree char *done_target = NULL;
  g_autoptr (GBytes) done = NULL;
  guint status = 0;

  randombytes_buf (bytes, sizeof bytes);
  sha = fk_sync_sha256_hex (bytes, sizeof bytes);
  target = g_strdup_printf ("/v1/blobs/%s", sha);
  {
    g_autofree char *json = fk_proto_blob_json (sha, sizeof bytes);
    g_autoptr (FkSyncResponse) r = fk_proto_send (f, "POST", "/v1/blobs", json);
    g_autoptr (GBytes) chunk = g_bytes_new (bytes, 500);
    g_autoptr (FkSyncResponse) p =
      fk_sync_client_send (f->client, "PATCH", target, chunk, "Upload-Offset", "0", NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpuint (p->status, ==, 204);
  }
  /* A finished upload is not the cleaner's business. */
  randombytes_buf (bytes, sizeof bytes);
  done = g_bytes_new (bytes, sizeof bytes);
  fk_proto_upload_blob (f, done, 1000);
  {
    g_autofree char *done_sha = fk_sync_sha256_hex (bytes, sizeof bytes);

    done_target = g_strdup_printf ("/v1/blobs/%s", done_sha);
  }
  for (guint i = 0; i < 100 && status != 404; i++)
    {
      g_autoptr (FkSyncResponse) r = fk_proto_send (f, "HEAD", target, NULL);

      status = r->status;
      if (status != 404)
        g_usleep (200 * 1000);
    }
  g_assert_cmpuint (status, ==, 404);
  {
    g_autoptr (FkSyncResponse) r = fk_proto_send (f, "HEAD", done_target, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
  g_assert_cmpint (
    fk_test_server_query_int (f->server, "SELECT count(*) FROM chunks c WHERE NOT EXISTS (SELECT 1"
                                         " FROM blobs b WHERE b.sha256 = c.sha256)"),
    ==, 0);
}

/* An online copy, made while the server runs, restored on another server:
 * a repeated commit gets the very same receipt. */
static void
test_backup_restore (FkProtoFixture *f, gconstpointer data)
{
  g_autoptr (FkProtoSealed) s = fk_proto_seal (f, 3000);
  gsize len = 0;
  g_autofree char *manifest = fk_proto_manifest_for (f, s, &len);
  g_autofree char *copy = g_build_filename (g_get_tmp_dir (), "backup.sqlite", NULL);
  g_autofree char *out = NULL;
  g_autoptr (FkSyncResponse) first = NULL;
  g_autoptr (FkSyncResponse) again = NULL;
  FkTestServer *restored = g_new0 (FkTestServer, 1);

  fk_proto_upload_blob (f, s->sealed_dossier, 64 * 1024);
  fk_proto_upload_blob (f, s->sealed_attachment, 64 * 1024);
  first = commit_manifest (f, manifest);
  g_assert_cmpuint (first->status, ==, 200);
  out = fk_test_server_ctl (f->server, 0, "backup", "--out", copy, NULL);
  g_assert_true (g_file_test (copy, G_FILE_TEST_IS_REGULAR));

  restored->dir = g_strdup (f->server->dir);
  restored->keys_dir = g_strdup (f->server->keys_dir);
  restored->db_uri = g_strdup (copy);
  fk_test_server_start (restored, NULL);
  fk_sync_client_free (f->client);
  f->client = fk_sync_client_new (restored->url, f->key, 10, NULL);
  again = commit_manifest (f, manifest);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_true (g_bytes_equal (again->body, first->body));
  g_assert_cmpstr (soup_message_headers_get_one (again->headers, FK_SYNC_HEADER_RECEIPT_SIG), ==,
                   soup_message_headers_get_one (first->headers, FK_SYNC_HEADER_RECEIPT_SIG));
  g_assert_cmpint (fk_test_server_query_int (restored, "SELECT count(*) FROM dossiers"), ==, 1);
  fk_test_server_free (restored);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);
  g_test_add ("/server/security/address-limit-spares-devices", FkProtoFixture, address_limited,
              fk_proto_setup, test_address_limit, fk_proto_teardown);
  g_test_add ("/server/commit-unopenable-dossier", FkProtoFixture, NULL, fk_proto_setup,
              test_commit_unopenable, fk_proto_teardown);
  g_test_add ("/server/export-skips-unopenable", FkProtoFixture, NULL, fk_proto_setup,
              test_export_skips_unopenable, fk_proto_teardown);
  g_test_add ("/server/practice-refused", FkProtoFixture, NULL, fk_proto_setup,
              test_practice_refused, fk_proto_teardown);
  g_test_add ("/server/practice-server", FkProtoFixture, practice_server, fk_proto_setup,
              test_practice_server, fk_proto_teardown);
  g_test_add ("/server/uuid-canonical", FkProtoFixture, NULL, fk_proto_setup, test_uuid_canonical,
              fk_proto_teardown);
  g_test_add ("/server/security/attachment-name-control-chars", FkProtoFixture, NULL,
              fk_proto_setup, test_name_control_chars, fk_proto_teardown);
  g_test_add ("/server/quota", FkProtoFixture, quota_1mib, fk_proto_setup, test_quota,
              fk_proto_teardown);
  g_test_add ("/server/stale-uploads-removed", FkProtoFixture, stale_fast, fk_proto_setup,
              test_stale_uploads, fk_proto_teardown);
  g_test_add ("/server/backup-restore", FkProtoFixture, NULL, fk_proto_setup, test_backup_restore,
              fk_proto_teardown);
  return g_test_run ();
}
