/* test-server-protocol.c: the intake API against the real fieldkit-server:
 * uploads, commits, receipts, export, and every way a request can be
 * refused without changing the database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <libsoup/soup.h>
#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#include "fk-device-key.h"
#include "fk-sync-client.h"
#include "fk-sync-error.h"
#include "fk-sync-protocol.h"
#include "fk-test-server.h"
#include "fk-vault.h"

typedef struct
{
  FkTestServer *server;
  FkDeviceKey *key;
  char *device;
  FkSyncClient *client;
  SoupSession *session;
  char *last_error; /* FK-Error of the last send_raw() answer */
} Fixture;

static char *
db_snapshot (Fixture *f)
{
  sqlite3 *db = NULL;
  GString *out = g_string_new (NULL);
  const char *tables[] = { "devices", "nonces", "blobs", "chunks", "dossiers", "results" };

  g_assert_cmpint (sqlite3_open_v2 (f->server->db_uri, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1, 2", tables[t]);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      g_string_append_printf (out, "[%s]\n", tables[t]);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              g_autofree char *hex = g_compute_checksum_for_data (
                G_CHECKSUM_SHA256, sqlite3_column_blob (stmt, c), sqlite3_column_bytes (stmt, c));

              g_string_append_printf (out, "%s ", hex);
            }
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = g_build_filename (g_get_tmp_dir (), "server", NULL);
  g_autofree char *key_dir = g_build_filename (g_get_tmp_dir (), "device", NULL);
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;

  f->server = fk_test_server_new (dir, NULL);
  g_mkdir_with_parents (key_dir, 0700);
  f->key = fk_device_key_create (key_dir, &error);
  g_assert_no_error (error);
  f->device = fk_device_key_get_public_key_base64 (f->key);
  out = fk_test_server_ctl (f->server, 0, "device", "add", "--pubkey", f->device, "--name",
                            "tablet-1", "--commune", "00004", NULL);
  /* @data: the server's extra arguments, NULL-terminated. */
  fk_test_server_startv (f->server, data);
  f->client = fk_sync_client_new (f->server->url, f->key, 10, &error);
  g_assert_no_error (error);
  f->session = soup_session_new ();
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->session);
  g_clear_pointer (&f->last_error, g_free);
  fk_sync_client_free (f->client);
  fk_device_key_free (f->key);
  g_free (f->device);
  fk_test_server_free (f->server);
  /* Each test has its own temp dir from fk-test-env; make the next fixture fresh. */
  {
    g_autofree char *dir = g_build_filename (g_get_tmp_dir (), "server", NULL);
    g_autofree char *key_dir = g_build_filename (g_get_tmp_dir (), "device", NULL);
    g_autofree char *export_dir = g_build_filename (g_get_tmp_dir (), "export", NULL);
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s' '%s' '%s'", dir, key_dir, export_dir);

    g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  }
}

static FkSyncResponse *
send (Fixture *f, const char *method, const char *target, const char *body)
{
  g_autoptr (GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;

  return fk_sync_client_send (f->client, method, target, bytes, NULL, NULL, NULL);
}

/* A signed request whose parts the test may spoil before it goes out. */
typedef struct
{
  const char *method;
  const char *target;
  const char *signed_target; /* NULL: target */
  GBytes *body;              /* what is sent */
  GBytes *signed_body;       /* what is hashed into the signature; NULL: body */
  gint64 timestamp;          /* 0: now */
  const char *nonce;         /* NULL: fresh */
  const guint8 *secret;      /* NULL: no signature headers at all */
  const guint8 *public_key;
} RawRequest;

static guint
send_raw (Fixture *f, const RawRequest *req, char **nonce_used)
{
  g_autofree char *url = g_strconcat (f->server->url, req->target + 1, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (req->method, url);
  SoupMessageHeaders *h = soup_message_get_request_headers (msg);
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GError) error = NULL;

  if (req->secret != NULL)
    {
      GBytes *hashed = req->signed_body != NULL ? req->signed_body : req->body;
      gsize len = 0;
      const void *data = hashed != NULL ? g_bytes_get_data (hashed, &len) : "";
      g_autofree char *sha = fk_sync_sha256_hex (data != NULL ? data : "", len);
      g_autofree char *nonce = req->nonce != NULL ? g_strdup (req->nonce) : fk_sync_nonce_new ();
      g_autofree char *device = fk_sync_key_to_base64 (req->public_key);
      gint64 ts = req->timestamp != 0 ? req->timestamp : g_get_real_time () / G_USEC_PER_SEC;
      g_autofree char *ts_text = g_strdup_printf ("%" G_GINT64_FORMAT, ts);
      g_autofree char *signing = fk_sync_signing_string (
        req->method, req->signed_target != NULL ? req->signed_target : req->target, sha, ts, nonce,
        device);
      g_autofree char *sig = fk_sync_sign (req->secret, signing, strlen (signing));

      soup_message_headers_replace (h, FK_SYNC_HEADER_DEVICE, device);
      soup_message_headers_replace (h, FK_SYNC_HEADER_TIMESTAMP, ts_text);
      soup_message_headers_replace (h, FK_SYNC_HEADER_NONCE, nonce);
      soup_message_headers_replace (h, FK_SYNC_HEADER_CONTENT_SHA256, sha);
      soup_message_headers_replace (h, FK_SYNC_HEADER_SIGNATURE, sig);
      if (nonce_used != NULL)
        *nonce_used = g_steal_pointer (&nonce);
    }
  if (req->body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", req->body);
  out = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_free (f->last_error);
  f->last_error =
    g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg), "FK-Error"));
  return soup_message_get_status (msg);
}

static const char *
dev_secret (Fixture *f, guint8 secret[64], guint8 pub[32])
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "device", FK_DEVICE_KEY_FILE, NULL);
  g_autofree char *raw = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &raw, &len, NULL));
  g_assert_cmpuint (len, ==, 64);
  memcpy (secret, raw, 64);
  memcpy (pub, raw + 32, 32);
  return f->device;
}

static char *
blob_create_json (const char *sha, gsize len)
{
  return g_strdup_printf ("{\"sha256\":\"%s\",\"length\":%" G_GSIZE_FORMAT "}", sha, len);
}

static void
upload_blob (Fixture *f, GBytes *bytes, gsize chunk)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autofree char *sha = fk_sync_sha256_hex (data, len);
  g_autofree char *create = blob_create_json (sha, len);
  g_autofree char *target = g_strdup_printf ("/v1/blobs/%s", sha);
  g_autoptr (FkSyncResponse) r = send (f, "POST", "/v1/blobs", create);

  g_assert_cmpuint (r->status, ==, 200);
  for (gsize off = 0; off < len; off += chunk)
    {
      g_autoptr (GBytes) part = g_bytes_new (data + off, MIN (chunk, len - off));
      g_autofree char *off_text = g_strdup_printf ("%" G_GSIZE_FORMAT, off);
      g_autoptr (FkSyncResponse) p =
        fk_sync_client_send (f->client, "PATCH", target, part, "Upload-Offset", off_text, NULL);

      g_assert_cmpuint (p->status, ==, 204);
    }
}

static void
test_resumable_blob (Fixture *f, gconstpointer data)
{
  guint8 bytes[3000];
  g_autofree char *sha = NULL;
  g_autofree char *create = NULL;
  g_autofree char *target = NULL;
  g_autoptr (FkSyncResponse) r = NULL;
  g_autoptr (GBytes) c1 = NULL;
  g_autoptr (GBytes) c2 = NULL;

  randombytes_buf (bytes, sizeof bytes);
  sha = fk_sync_sha256_hex (bytes, sizeof bytes);
  create = blob_create_json (sha, sizeof bytes);
  target = g_strdup_printf ("/v1/blobs/%s", sha);

  r = send (f, "HEAD", target, NULL);
  g_assert_cmpuint (r->status, ==, 404);
  g_clear_pointer (&r, fk_sync_response_free);
  r = send (f, "POST", "/v1/blobs", create);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Upload-Offset"), ==, "0");
  g_clear_pointer (&r, fk_sync_response_free);

  c1 = g_bytes_new (bytes, 1000);
  r = fk_sync_client_send (f->client, "PATCH", target, c1, "Upload-Offset", "0", NULL);
  g_assert_cmpuint (r->status, ==, 204);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Upload-Offset"), ==, "1000");
  g_clear_pointer (&r, fk_sync_response_free);

  /* The same chunk again (its answer was lost): refused, offset unchanged. */
  r = fk_sync_client_send (f->client, "PATCH", target, c1, "Upload-Offset", "0", NULL);
  g_assert_cmpuint (r->status, ==, 409);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Upload-Offset"), ==, "1000");
  g_clear_pointer (&r, fk_sync_response_free);

  /* Creating it again is harmless and tells the offset. */
  r = send (f, "POST", "/v1/blobs", create);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Upload-Offset"), ==, "1000");
  g_clear_pointer (&r, fk_sync_response_free);

  /* Past the announced length: refused. */
  c2 = g_bytes_new (bytes + 1000, 2000);
  {
    g_autoptr (GBytes) big = g_bytes_new (bytes, 2500);

    r = fk_sync_client_send (f->client, "PATCH", target, big, "Upload-Offset", "1000", NULL);
    g_assert_cmpuint (r->status, ==, 409);
    g_clear_pointer (&r, fk_sync_response_free);
  }
  r = fk_sync_client_send (f->client, "PATCH", target, c2, "Upload-Offset", "1000", NULL);
  g_assert_cmpuint (r->status, ==, 204);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "FK-Upload-Complete"), ==, "1");
  g_clear_pointer (&r, fk_sync_response_free);
  r = send (f, "HEAD", target, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Upload-Offset"), ==, "3000");
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "FK-Upload-Complete"), ==, "1");
}

static void
test_wrong_hash_restarts (Fixture *f, gconstpointer data)
{
  guint8 bytes[100];
  g_autofree char *fake = g_strnfill (64, 'a');
  g_autofree char *create = blob_create_json (fake, sizeof bytes);
  g_autofree char *target = g_strdup_printf ("/v1/blobs/%s", fake);
  g_autoptr (FkSyncResponse) r = send (f, "POST", "/v1/blobs", create);
  g_autoptr (GBytes) body = NULL;

  randombytes_buf (bytes, sizeof bytes);
  body = g_bytes_new (bytes, sizeof bytes);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, fk_sync_response_free);
  r = fk_sync_client_send (f->client, "PATCH", target, body, "Upload-Offset", "0", NULL);
  g_assert_cmpuint (r->status, ==, 422);
  g_clear_pointer (&r, fk_sync_response_free);
  r = send (f, "HEAD", target, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Upload-Offset"), ==, "0");
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "FK-Upload-Complete"), ==, "0");
}

/* Seals a dossier and one attachment the way the device store does. */
typedef struct
{
  char *uuid;
  GBytes *json;
  GBytes *sealed_dossier;
  GBytes *attachment;
  GBytes *sealed_attachment;
} Sealed;

static void
sealed_free (Sealed *s)
{
  g_free (s->uuid);
  g_bytes_unref (s->json);
  g_bytes_unref (s->sealed_dossier);
  g_bytes_unref (s->attachment);
  g_bytes_unref (s->sealed_attachment);
  g_free (s);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sealed, sealed_free)

static Sealed *
seal (Fixture *f, gsize attachment_size)
{
  Sealed *s = g_new0 (Sealed, 1);
  g_autoptr (FkVaultKey) key = fk_vault_key_new_random ();
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *att = g_malloc (attachment_size);
  g_autofree char *json = NULL;
  g_autoptr (GInputStream) in = NULL;
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();

  s->uuid = g_uuid_string_random ();
  json = fk_test_dossier_json (s->uuid);
  s->json = g_bytes_new (json, strlen (json));
  s->sealed_dossier =
    fk_vault_seal_dossier (key, f->server->box_key, s->uuid, json, strlen (json), &error);
  g_assert_no_error (error);
  randombytes_buf (att, attachment_size);
  s->attachment = g_bytes_new (att, attachment_size);
  in = g_memory_input_stream_new_from_bytes (s->attachment);
  g_assert_true (fk_vault_seal_stream (key, in, out, NULL, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  s->sealed_attachment = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  return s;
}

static char *
manifest_for (Fixture *f, Sealed *s, gsize *len)
{
  g_autoptr (FkSyncManifest) m = fk_sync_manifest_new (s->uuid, f->device);
  g_autofree char *d_sha = fk_sync_sha256_hex (g_bytes_get_data (s->sealed_dossier, NULL),
                                               g_bytes_get_size (s->sealed_dossier));
  g_autofree char *a_sha = fk_sync_sha256_hex (g_bytes_get_data (s->sealed_attachment, NULL),
                                               g_bytes_get_size (s->sealed_attachment));

  fk_sync_manifest_add_part (m, "dossier", NULL, d_sha, g_bytes_get_size (s->sealed_dossier));
  fk_sync_manifest_add_part (m, "photo", "p1.jpg.fkf", a_sha,
                             g_bytes_get_size (s->sealed_attachment));
  return fk_sync_manifest_to_json (m, len);
}

static void
test_commit_receipt_export (Fixture *f, gconstpointer data)
{
  g_autoptr (Sealed) s = seal (f, 200 * 1000);
  gsize len = 0;
  g_autofree char *manifest = manifest_for (f, s, &len);
  g_autofree char *manifest_sha = fk_sync_sha256_hex (manifest, len);
  g_autoptr (FkSyncResponse) r = NULL;
  g_autoptr (FkSyncResponse) again = NULL;
  g_autoptr (FkSyncReceipt) receipt = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out_dir = g_build_filename (g_get_tmp_dir (), "export", NULL);
  g_autofree char *out = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *att_path = NULL;
  g_autofree char *contents = NULL;
  gsize contents_len = 0;

  /* Committing before the parts are up: refused, nothing stored. */
  r = send (f, "POST", "/v1/commit", manifest);
  g_assert_cmpuint (r->status, ==, 409);
  g_assert_cmpstr (r->error_code, ==, "part-missing");
  g_clear_pointer (&r, fk_sync_response_free);

  upload_blob (f, s->sealed_dossier, 1000);
  upload_blob (f, s->sealed_attachment, 64 * 1024);
  r = send (f, "POST", "/v1/commit", manifest);
  g_assert_cmpuint (r->status, ==, 200);
  receipt =
    fk_sync_receipt_verify (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body),
                            soup_message_headers_get_one (r->headers, FK_SYNC_HEADER_RECEIPT_SIG),
                            f->server->verify_key, s->uuid, f->device, manifest_sha, &error);
  g_assert_no_error (error);
  g_assert_nonnull (receipt);

  /* A receipt checked against another server key does not verify. */
  {
    guint8 other[32];
    g_autoptr (FkSyncReceipt) bad = NULL;
    g_autoptr (GError) bad_error = NULL;

    memcpy (other, f->server->box_key, 32);
    bad =
      fk_sync_receipt_verify (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body),
                              soup_message_headers_get_one (r->headers, FK_SYNC_HEADER_RECEIPT_SIG),
                              other, s->uuid, f->device, manifest_sha, &bad_error);
    g_assert_null (bad);
    g_assert_error (bad_error, FK_SYNC_ERROR, FK_SYNC_ERROR_BAD_RECEIPT);
  }

  /* Repeating the commit returns the very same receipt. */
  again = send (f, "POST", "/v1/commit", manifest);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_true (g_bytes_equal (again->body, r->body));

  /* Another manifest under the same UUID is a conflict, never a second dossier. */
  {
    g_autoptr (FkSyncManifest) m = fk_sync_manifest_parse (manifest, len, NULL);
    g_autofree char *other = NULL;
    g_autoptr (FkSyncResponse) c = NULL;

    g_ptr_array_remove_index (m->parts, 1);
    other = fk_sync_manifest_to_json (m, NULL);
    c = send (f, "POST", "/v1/commit", other);
    g_assert_cmpuint (c->status, ==, 409);
    g_assert_cmpstr (c->error_code, ==, "dossier-conflict");
  }

  out = fk_test_server_ctl (f->server, 0, "export", "--out", out_dir, NULL);
  g_assert_nonnull (strstr (out, "1 "));
  json_path = g_build_filename (out_dir, s->uuid, "dossier.json", NULL);
  /* Attachments are numbered in dossier order; random bytes are ".bin". */
  att_path = g_build_filename (out_dir, s->uuid, "01-photo.bin", NULL);
  g_assert_true (g_file_get_contents (json_path, &contents, &contents_len, NULL));
  g_assert_cmpmem (contents, contents_len, g_bytes_get_data (s->json, NULL),
                   g_bytes_get_size (s->json));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (att_path, &contents, &contents_len, NULL));
  g_assert_cmpmem (contents, contents_len, g_bytes_get_data (s->attachment, NULL),
                   g_bytes_get_size (s->attachment));
  /* Exporting again keeps the folder, and makes no second one. */
  g_free (out);
  out = fk_test_server_ctl (f->server, 0, "export", "--out", out_dir, NULL);
  g_assert_nonnull (strstr (out, "0 "));
}

static void
test_pull (Fixture *f, gconstpointer data)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr (FkSyncResponse) r = NULL;
  g_autofree char *body = NULL;

  g_free (fk_test_server_ctl (f->server, 0, "result", "add", "--commune", "00004", "--dossier",
                              uuid, "--note", "ready", NULL));
  g_free (fk_test_server_ctl (f->server, 0, "result", "add", "--commune", "99999", "--dossier",
                              uuid, NULL));
  r = send (f, "GET", "/v1/pull?catalog_since=0&results_since=0", NULL);

  g_assert_cmpuint (r->status, ==, 200);
  body = g_strndup (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body));
  /* Only this device's commune. */
  g_assert_nonnull (strstr (body, uuid));
  g_assert_nonnull (strstr (body, "\"results_next\":1"));
  g_clear_pointer (&r, fk_sync_response_free);
  r = send (f, "GET", "/v1/pull?catalog_since=0&results_since=1", NULL);
  g_free (body);
  body = g_strndup (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body));
  g_assert_null (strstr (body, uuid));
}

static void
test_rejections_change_nothing (Fixture *f, gconstpointer data)
{
  guint8 secret[64], pub[32], other_secret[64], other_pub[32];
  const char *body_text = "{\"sha256\":\""
                          "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                          "\",\"length\":10}";
  g_autoptr (GBytes) body = g_bytes_new (body_text, strlen (body_text));
  g_autoptr (GBytes) tampered = g_bytes_new ("{\"sha256\":\"ff\",\"length\":11}", 28);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *nonce = NULL;
  RawRequest req = { "POST", "/v1/blobs", NULL, body, NULL, 0, NULL, NULL, NULL };

  dev_secret (f, secret, pub);
  crypto_sign_keypair (other_pub, other_secret);
  before = db_snapshot (f);

  /* Unsigned. */
  g_assert_cmpuint (send_raw (f, &req, NULL), ==, 401);
  /* Unknown device, correctly signed. */
  req.secret = other_secret;
  req.public_key = other_pub;
  g_assert_cmpuint (send_raw (f, &req, NULL), ==, 403);
  /* Signed with another key than the one it names. */
  req.public_key = pub;
  g_assert_cmpuint (send_raw (f, &req, NULL), ==, 401);
  req.secret = secret;
  /* Body changed after signing: damaged on the way, not a refused device. */
  req.signed_body = body;
  req.body = tampered;
  g_assert_cmpuint (send_raw (f, &req, NULL), ==, 400);
  g_assert_cmpstr (f->last_error, ==, FK_SYNC_CODE_BODY_CORRUPTED);
  req.body = body;
  req.signed_body = NULL;
  /* Stale and future timestamps: refused for the clock, with its own code. */
  req.timestamp = g_get_real_time () / G_USEC_PER_SEC - 600;
  g_assert_cmpuint (send_raw (f, &req, NULL), ==, 401);
  g_assert_cmpstr (f->last_error, ==, FK_SYNC_CODE_CLOCK_SKEW);
  req.timestamp = g_get_real_time () / G_USEC_PER_SEC + 600;
  g_assert_cmpuint (send_raw (f, &req, NULL), ==, 401);
  g_assert_cmpstr (f->last_error, ==, FK_SYNC_CODE_CLOCK_SKEW);
  req.timestamp = 0;
  /* Signed for another path. */
  req.signed_target = "/v1/commit";
  g_assert_cmpuint (send_raw (f, &req, NULL), ==, 401);
  req.signed_target = NULL;
  after = db_snapshot (f);
  g_assert_cmpstr (before, ==, after);

  /* A good request changes the database; replaying it changes nothing more. */
  g_assert_cmpuint (send_raw (f, &req, &nonce), ==, 200);
  g_free (before);
  before = db_snapshot (f);
  req.nonce = nonce;
  g_assert_cmpuint (send_raw (f, &req, NULL), ==, 401);
  g_free (after);
  after = db_snapshot (f);
  g_assert_cmpstr (before, ==, after);
  req.nonce = NULL;

  /* Revoked: refused from now on, nothing changes. */
  g_free (fk_test_server_ctl (f->server, 0, "device", "revoke", "--pubkey", f->device, NULL));
  g_free (before);
  before = db_snapshot (f);
  g_assert_cmpuint (send_raw (f, &req, NULL), ==, 403);
  g_free (after);
  after = db_snapshot (f);
  g_assert_cmpstr (before, ==, after);
}

static void
test_malformed (Fixture *f, gconstpointer data)
{
  const char *bad_bodies[] = {
    "",
    "{",
    "[]",
    "null",
    "{\"sha256\":1,\"length\":\"x\"}",
    "{\"sha256\":\"AB\",\"length\":1}",
    ("{\"sha256\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\","
     "\"length\":-5}"),
  };
  const char *bad_manifests[] = {
    "{}",
    "{\"version\":1}",
    "{\"version\":1,\"dossier\":\"x\",\"device\":\"y\",\"parts\":[]}",
    ("{\"version\":1,\"dossier\":\"2b0e7b64-8f3e-4a59-9f7b-6f2a0b1c2d3e\",\"device\":\"AAAA\","
     "\"parts\":[{\"kind\":\"dossier\",\"sha256\":\"00\",\"size\":1}]}"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad_bodies); i++)
    {
      g_autoptr (FkSyncResponse) r = send (f, "POST", "/v1/blobs", bad_bodies[i]);

      g_assert_cmpuint (r->status, ==, 400);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_manifests); i++)
    {
      g_autoptr (FkSyncResponse) r = send (f, "POST", "/v1/commit", bad_manifests[i]);

      g_assert_cmpuint (r->status, ==, 422);
    }
  {
    g_autoptr (FkSyncResponse) r = send (f, "GET", "/v1/nothing", NULL);
    g_autoptr (FkSyncResponse) r2 = send (f, "DELETE", "/v1/commit", NULL);
    g_autoptr (FkSyncResponse) r3 = send (f, "GET", "/v1/pull?results_since=abc", NULL);

    g_assert_cmpuint (r->status, ==, 404);
    g_assert_cmpuint (r2->status, ==, 405);
    g_assert_cmpuint (r3->status, ==, 400);
  }
  /* Too big: refused on the headers. */
  {
    gsize big = FK_SYNC_MAX_CHUNK_BYTES + 1;
    g_autofree guint8 *data_big = g_malloc0 (big);
    g_autoptr (GBytes) body = g_bytes_new_take (g_steal_pointer (&data_big), big);
    g_autofree char *fill = g_strnfill (64, 'b');
    g_autofree char *target = g_strdup_printf ("/v1/blobs/%s", fill);
    g_autoptr (FkSyncResponse) r =
      fk_sync_client_send (f->client, "PATCH", target, body, "Upload-Offset", "0", NULL);

    g_assert_cmpuint (r->status, ==, 413);
  }
  /* Still serving. */
  {
    g_autoptr (FkSyncResponse) r = send (f, "GET", "/v1/pull", NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
}

static void
test_rate_limit (Fixture *f, gconstpointer data)
{
  guint limited = 0, ok = 0;

  for (guint i = 0; i < 30; i++)
    {
      g_autoptr (FkSyncResponse) r = send (f, "GET", "/v1/pull", NULL);

      if (r->status == 429)
        limited++;
      else if (r->status == 200)
        ok++;
    }
  g_assert_cmpuint (ok, >=, 5);
  g_assert_cmpuint (limited, >, 0);
}

static const char *const rate_limited[] = { "--rate-limit=1", "--burst=5", NULL };
static const char *const address_limited[] = { "--address-rate-limit=1", "--address-burst=3",
                                               "--rate-limit=0", NULL };
static const char *const quota_1mib[] = { "--device-quota-mib=1", NULL };
/* 1.8 s: stale soon after the test stops touching it. */
static const char *const stale_fast[] = { "--stale-upload-hours=0.0005", NULL };

static guint
send_unsigned (Fixture *f, const char *method, const char *target)
{
  RawRequest req = { method, target, NULL, NULL, NULL, 0, NULL, NULL, NULL };

  return send_raw (f, &req, NULL);
}

/* A team behind one carrier NAT: what is not signed shares the address's
 * bucket; an enrolled device has its own and is never held back by it. */
static void
test_address_limit (Fixture *f, gconstpointer data)
{
  guint limited = 0;

  for (guint i = 0; i < 10; i++)
    if (send_unsigned (f, "GET", "/v1/pull") == 429)
      limited++;
  g_assert_cmpuint (limited, >, 0);
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr (FkSyncResponse) r = send (f, "GET", "/v1/pull", NULL);

      g_assert_cmpuint (r->status, ==, 200);
    }
}

static FkSyncResponse *
commit_manifest (Fixture *f, const char *manifest)
{
  return send (f, "POST", "/v1/commit", manifest);
}

static gint64
count_dossiers (Fixture *f)
{
  return fk_test_server_query_int (f->server, "SELECT count(*) FROM dossiers");
}

/* A dossier sealed to another server, and one whose JSON is not a valid
 * dossier, as a faulty device would send them. */
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
expect_refused_dossier (Fixture *f, Sealed *s, GBytes *dossier_part, const char *code)
{
  gsize len = 0;
  g_autofree char *manifest = NULL;
  g_autoptr (FkSyncResponse) r = NULL;

  g_bytes_unref (s->sealed_dossier);
  s->sealed_dossier = g_bytes_ref (dossier_part);
  upload_blob (f, s->sealed_dossier, 64 * 1024);
  manifest = manifest_for (f, s, &len);
  r = commit_manifest (f, manifest);
  g_assert_cmpuint (r->status, ==, 422);
  g_assert_cmpstr (r->error_code, ==, code);
  g_assert_cmpint (count_dossiers (f), ==, 0);
}

static void
test_commit_unopenable (Fixture *f, gconstpointer data)
{
  g_autoptr (Sealed) s = seal (f, 5000);
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

  upload_blob (f, s->sealed_attachment, 64 * 1024);
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
  upload_blob (f, s->sealed_dossier, 64 * 1024);
  manifest = manifest_for (f, s, &len);
  r = commit_manifest (f, manifest);
  g_assert_cmpuint (r->status, ==, 200);
  out = fk_test_server_ctl (f->server, 0, "export", "--out", out_dir, NULL);
  g_assert_true (g_str_has_prefix (out, "1 "));
}

static void
commit_sealed (Fixture *f, Sealed *s)
{
  gsize len = 0;
  g_autofree char *manifest = manifest_for (f, s, &len);
  g_autoptr (FkSyncResponse) r = NULL;

  upload_blob (f, s->sealed_dossier, 64 * 1024);
  upload_blob (f, s->sealed_attachment, 64 * 1024);
  r = commit_manifest (f, manifest);
  g_assert_cmpuint (r->status, ==, 200);
}

/* A stored dossier that no longer opens (a damaged disk, an old server's
 * mistake) is reported and skipped; the others are exported. */
static void
test_export_skips_unopenable (Fixture *f, gconstpointer data)
{
  g_autoptr (Sealed) a = seal (f, 3000);
  g_autoptr (Sealed) b = seal (f, 3000);
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
test_uuid_canonical (Fixture *f, gconstpointer data)
{
  g_autoptr (Sealed) s = seal (f, 3000);
  g_autofree char *upper = g_ascii_strup (s->uuid, -1);
  gsize len = 0;
  g_autofree char *lower_manifest = manifest_for (f, s, &len);
  g_autofree char *upper_manifest = replace_all (lower_manifest, s->uuid, upper);
  g_autoptr (FkSyncResponse) first = NULL;
  g_autoptr (FkSyncResponse) again = NULL;
  g_autoptr (FkSyncReceipt) receipt = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *out_dir = g_build_filename (g_get_tmp_dir (), "export", NULL);
  g_autofree char *folder = NULL;

  g_assert_cmpstr (upper_manifest, !=, lower_manifest);
  upload_blob (f, s->sealed_dossier, 64 * 1024);
  upload_blob (f, s->sealed_attachment, 64 * 1024);
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
    g_autoptr (FkSyncResponse) r = send (f, "GET", "/v1/pull", NULL);
    g_autofree char *body =
      g_strndup (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body));

    g_assert_nonnull (strstr (body, s->uuid));
  }
}

/* Attachment names become file names: no control character gets in,
 * however it is escaped. */
static void
test_name_control_chars (Fixture *f, gconstpointer data)
{
  g_autoptr (Sealed) s = seal (f, 3000);
  const char *names[] = { "p1\\u0000../../evil", "p1\\u0007.jpg", "p1\\n.jpg", "p1\\u001b.jpg" };
  gsize len = 0;
  g_autofree char *manifest = manifest_for (f, s, &len);

  upload_blob (f, s->sealed_dossier, 64 * 1024);
  upload_blob (f, s->sealed_attachment, 64 * 1024);
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
create_blob (Fixture *f, char sha_fill, gsize length)
{
  g_autofree char *sha = g_strnfill (64, sha_fill);
  g_autofree char *json = blob_create_json (sha, length);

  return send (f, "POST", "/v1/blobs", json);
}

static void
test_quota (Fixture *f, gconstpointer data)
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
test_stale_uploads (Fixture *f, gconstpointer data)
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
    g_autofree char *json = blob_create_json (sha, sizeof bytes);
    g_autoptr (FkSyncResponse) r = send (f, "POST", "/v1/blobs", json);
    g_autoptr (GBytes) chunk = g_bytes_new (bytes, 500);
    g_autoptr (FkSyncResponse) p =
      fk_sync_client_send (f->client, "PATCH", target, chunk, "Upload-Offset", "0", NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpuint (p->status, ==, 204);
  }
  /* A finished upload is not the cleaner's business. */
  randombytes_buf (bytes, sizeof bytes);
  done = g_bytes_new (bytes, sizeof bytes);
  upload_blob (f, done, 1000);
  {
    g_autofree char *done_sha = fk_sync_sha256_hex (bytes, sizeof bytes);

    done_target = g_strdup_printf ("/v1/blobs/%s", done_sha);
  }
  for (guint i = 0; i < 100 && status != 404; i++)
    {
      g_autoptr (FkSyncResponse) r = send (f, "HEAD", target, NULL);

      status = r->status;
      if (status != 404)
        g_usleep (200 * 1000);
    }
  g_assert_cmpuint (status, ==, 404);
  {
    g_autoptr (FkSyncResponse) r = send (f, "HEAD", done_target, NULL);

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
test_backup_restore (Fixture *f, gconstpointer data)
{
  g_autoptr (Sealed) s = seal (f, 3000);
  gsize len = 0;
  g_autofree char *manifest = manifest_for (f, s, &len);
  g_autofree char *copy = g_build_filename (g_get_tmp_dir (), "backup.sqlite", NULL);
  g_autofree char *out = NULL;
  g_autoptr (FkSyncResponse) first = NULL;
  g_autoptr (FkSyncResponse) again = NULL;
  FkTestServer *restored = g_new0 (FkTestServer, 1);

  upload_blob (f, s->sealed_dossier, 64 * 1024);
  upload_blob (f, s->sealed_attachment, 64 * 1024);
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
  g_test_add ("/server/resumable-blob", Fixture, NULL, fixture_setup, test_resumable_blob,
              fixture_teardown);
  g_test_add ("/server/wrong-hash-restarts", Fixture, NULL, fixture_setup, test_wrong_hash_restarts,
              fixture_teardown);
  g_test_add ("/server/commit-receipt-export", Fixture, NULL, fixture_setup,
              test_commit_receipt_export, fixture_teardown);
  g_test_add ("/server/pull", Fixture, NULL, fixture_setup, test_pull, fixture_teardown);
  g_test_add ("/server/security/rejections-change-nothing", Fixture, NULL, fixture_setup,
              test_rejections_change_nothing, fixture_teardown);
  g_test_add ("/server/security/malformed", Fixture, NULL, fixture_setup, test_malformed,
              fixture_teardown);
  g_test_add ("/server/security/rate-limit", Fixture, rate_limited, fixture_setup, test_rate_limit,
              fixture_teardown);
  g_test_add ("/server/security/address-limit-spares-devices", Fixture, address_limited,
              fixture_setup, test_address_limit, fixture_teardown);
  g_test_add ("/server/commit-unopenable-dossier", Fixture, NULL, fixture_setup,
              test_commit_unopenable, fixture_teardown);
  g_test_add ("/server/export-skips-unopenable", Fixture, NULL, fixture_setup,
              test_export_skips_unopenable, fixture_teardown);
  g_test_add ("/server/uuid-canonical", Fixture, NULL, fixture_setup, test_uuid_canonical,
              fixture_teardown);
  g_test_add ("/server/security/attachment-name-control-chars", Fixture, NULL, fixture_setup,
              test_name_control_chars, fixture_teardown);
  g_test_add ("/server/quota", Fixture, quota_1mib, fixture_setup, test_quota, fixture_teardown);
  g_test_add ("/server/stale-uploads-removed", Fixture, stale_fast, fixture_setup,
              test_stale_uploads, fixture_teardown);
  g_test_add ("/server/backup-restore", Fixture, NULL, fixture_setup, test_backup_restore,
              fixture_teardown);
  return g_test_run ();
}
