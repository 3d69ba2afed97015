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
  if (data != NULL)
    fk_test_server_start (f->server, "--rate-limit=1", "--burst=5", NULL);
  else
    fk_test_server_start (f->server, NULL);
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
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s' '%s'", dir, key_dir);

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
  g_test_add ("/server/security/rate-limit", Fixture, "limited", fixture_setup, test_rate_limit,
              fixture_teardown);
  return g_test_run ();
}
