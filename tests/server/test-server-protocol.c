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
#include "fk-test-protocol.h"
#include "fk-test-server.h"
#include "fk-vault.h"

static void
test_resumable_blob (FkProtoFixture *f, gconstpointer data)
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
  create = fk_proto_blob_json (sha, sizeof bytes);
  target = g_strdup_printf ("/v1/blobs/%s", sha);

  r = fk_proto_send (f, "HEAD", target, NULL);
  g_assert_cmpuint (r->status, ==, 404);
  g_clear_pointer (&r, fk_sync_response_free);
  r = fk_proto_send (f, "POST", "/v1/blobs", create);
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
  r = fk_proto_send (f, "POST", "/v1/blobs", create);
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
  r = fk_proto_send (f, "HEAD", target, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Upload-Offset"), ==, "3000");
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "FK-Upload-Complete"), ==, "1");
}

static void
test_wrong_hash_restarts (FkProtoFixture *f, gconstpointer data)
{
  guint8 bytes[100];
  g_autofree char *fake = g_strnfill (64, 'a');
  g_autofree char *create = fk_proto_blob_json (fake, sizeof bytes);
  g_autofree char *target = g_strdup_printf ("/v1/blobs/%s", fake);
  g_autoptr (FkSyncResponse) r = fk_proto_send (f, "POST", "/v1/blobs", create);
  g_autoptr (GBytes) body = NULL;

  randombytes_buf (bytes, sizeof bytes);
  body = g_bytes_new (bytes, sizeof bytes);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, fk_sync_response_free);
  r = fk_sync_client_send (f->client, "PATCH", target, body, "Upload-Offset", "0", NULL);
  g_assert_cmpuint (r->status, ==, 422);
  g_clear_pointer (&r, fk_sync_response_free);
  r = fk_proto_send (f, "HEAD", target, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Upload-Offset"), ==, "0");
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "FK-Upload-Complete"), ==, "0");
}

static void
test_commit_receipt_export (FkProtoFixture *f, gconstpointer data)
{
  g_autoptr (FkProtoSealed) s = fk_proto_seal (f, 200 * 1000);
  gsize len = 0;
  g_autofree char *manifest = fk_proto_manifest_for (f, s, &len);
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
  r = fk_proto_send (f, "POST", "/v1/commit", manifest);
  g_assert_cmpuint (r->status, ==, 409);
  g_assert_cmpstr (r->error_code, ==, "part-missing");
  g_clear_pointer (&r, fk_sync_response_free);

  fk_proto_upload_blob (f, s->sealed_dossier, 1000);
  fk_proto_upload_blob (f, s->sealed_attachment, 64 * 1024);
  r = fk_proto_send (f, "POST", "/v1/commit", manifest);
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
  again = fk_proto_send (f, "POST", "/v1/commit", manifest);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_true (g_bytes_equal (again->body, r->body));

  /* Another manifest under the same UUID is a conflict, never a second dossier. */
  {
    g_autoptr (FkSyncManifest) m = fk_sync_manifest_parse (manifest, len, NULL);
    g_autofree char *other = NULL;
    g_autoptr (FkSyncResponse) c = NULL;

    g_ptr_array_remove_index (m->parts, 1);
    other = fk_sync_manifest_to_json (m, NULL);
    c = fk_proto_send (f, "POST", "/v1/commit", other);
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
test_pull (FkProtoFixture *f, gconstpointer data)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr (FkSyncResponse) r = NULL;
  g_autofree char *body = NULL;

  g_free (fk_test_server_ctl (f->server, 0, "result", "add", "--commune", "00004", "--dossier",
                              uuid, "--note", "ready", NULL));
  g_free (fk_test_server_ctl (f->server, 0, "result", "add", "--commune", "99999", "--dossier",
                              uuid, NULL));
  r = fk_proto_send (f, "GET", "/v1/pull?catalog_since=0&results_since=0", NULL);

  g_assert_cmpuint (r->status, ==, 200);
  body = g_strndup (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body));
  /* Only this device's commune. */
  g_assert_nonnull (strstr (body, uuid));
  g_assert_nonnull (strstr (body, "\"results_next\":1"));
  g_clear_pointer (&r, fk_sync_response_free);
  r = fk_proto_send (f, "GET", "/v1/pull?catalog_since=0&results_since=1", NULL);
  g_free (body);
  body = g_strndup (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body));
  g_assert_null (strstr (body, uuid));
}

static void
test_rejections_change_nothing (FkProtoFixture *f, gconstpointer data)
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
  FkProtoRawRequest req = { "POST", "/v1/blobs", NULL, body, NULL, 0, NULL, NULL, NULL };

  fk_proto_dev_secret (f, secret, pub);
  crypto_sign_keypair (other_pub, other_secret);
  before = fk_proto_db_snapshot (f);

  /* Unsigned. */
  g_assert_cmpuint (fk_proto_send_raw (f, &req, NULL), ==, 401);
  /* Unknown device, correctly signed. */
  req.secret = other_secret;
  req.public_key = other_pub;
  g_assert_cmpuint (fk_proto_send_raw (f, &req, NULL), ==, 403);
  /* Signed with another key than the one it names. */
  req.public_key = pub;
  g_assert_cmpuint (fk_proto_send_raw (f, &req, NULL), ==, 401);
  req.secret = secret;
  /* Body changed after signing: damaged on the way, not a refused device. */
  req.signed_body = body;
  req.body = tampered;
  g_assert_cmpuint (fk_proto_send_raw (f, &req, NULL), ==, 400);
  g_assert_cmpstr (f->last_error, ==, FK_SYNC_CODE_BODY_CORRUPTED);
  req.body = body;
  req.signed_body = NULL;
  /* Stale and future timestamps: refused for the clock, with its own code. */
  req.timestamp = g_get_real_time () / G_USEC_PER_SEC - 600;
  g_assert_cmpuint (fk_proto_send_raw (f, &req, NULL), ==, 401);
  g_assert_cmpstr (f->last_error, ==, FK_SYNC_CODE_CLOCK_SKEW);
  req.timestamp = g_get_real_time () / G_USEC_PER_SEC + 600;
  g_assert_cmpuint (fk_proto_send_raw (f, &req, NULL), ==, 401);
  g_assert_cmpstr (f->last_error, ==, FK_SYNC_CODE_CLOCK_SKEW);
  req.timestamp = 0;
  /* Signed for another path. */
  req.signed_target = "/v1/commit";
  g_assert_cmpuint (fk_proto_send_raw (f, &req, NULL), ==, 401);
  req.signed_target = NULL;
  after = fk_proto_db_snapshot (f);
  g_assert_cmpstr (before, ==, after);

  /* A good request changes the database; replaying it changes nothing more. */
  g_assert_cmpuint (fk_proto_send_raw (f, &req, &nonce), ==, 200);
  g_free (before);
  before = fk_proto_db_snapshot (f);
  req.nonce = nonce;
  g_assert_cmpuint (fk_proto_send_raw (f, &req, NULL), ==, 401);
  g_free (after);
  after = fk_proto_db_snapshot (f);
  g_assert_cmpstr (before, ==, after);
  req.nonce = NULL;

  /* Revoked: refused from now on, nothing changes. */
  g_free (fk_test_server_ctl (f->server, 0, "device", "revoke", "--pubkey", f->device, NULL));
  g_free (before);
  before = fk_proto_db_snapshot (f);
  g_assert_cmpuint (fk_proto_send_raw (f, &req, NULL), ==, 403);
  g_free (after);
  after = fk_proto_db_snapshot (f);
  g_assert_cmpstr (before, ==, after);
}

static void
test_malformed (FkProtoFixture *f, gconstpointer data)
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
      g_autoptr (FkSyncResponse) r = fk_proto_send (f, "POST", "/v1/blobs", bad_bodies[i]);

      g_assert_cmpuint (r->status, ==, 400);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_manifests); i++)
    {
      g_autoptr (FkSyncResponse) r = fk_proto_send (f, "POST", "/v1/commit", bad_manifests[i]);

      g_assert_cmpuint (r->status, ==, 422);
    }
  {
    g_autoptr (FkSyncResponse) r = fk_proto_send (f, "GET", "/v1/nothing", NULL);
    g_autoptr (FkSyncResponse) r2 = fk_proto_send (f, "DELETE", "/v1/commit", NULL);
    g_autoptr (FkSyncResponse) r3 = fk_proto_send (f, "GET", "/v1/pull?results_since=abc", NULL);

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
    g_autoptr (FkSyncResponse) r = fk_proto_send (f, "GET", "/v1/pull", NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
}

static void
test_rate_limit (FkProtoFixture *f, gconstpointer data)
{
  guint limited = 0, ok = 0;

  for (guint i = 0; i < 30; i++)
    {
      g_autoptr (FkSyncResponse) r = fk_proto_send (f, "GET", "/v1/pull", NULL);

      if (r->status == 429)
        limited++;
      else if (r->status == 200)
        ok++;
    }
  g_assert_cmpuint (ok, >=, 5);
  g_assert_cmpuint (limited, >, 0);
}

static const char *const rate_limited[] = { "--rate-limit=1", "--burst=5", NULL };

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);
  g_test_add ("/server/resumable-blob", FkProtoFixture, NULL, fk_proto_setup, test_resumable_blob,
              fk_proto_teardown);
  g_test_add ("/server/wrong-hash-restarts", FkProtoFixture, NULL, fk_proto_setup,
              test_wrong_hash_restarts, fk_proto_teardown);
  g_test_add ("/server/commit-receipt-export", FkProtoFixture, NULL, fk_proto_setup,
              test_commit_receipt_export, fk_proto_teardown);
  g_test_add ("/server/pull", FkProtoFixture, NULL, fk_proto_setup, test_pull, fk_proto_teardown);
  g_test_add ("/server/security/rejections-change-nothing", FkProtoFixture, NULL, fk_proto_setup,
              test_rejections_change_nothing, fk_proto_teardown);
  g_test_add ("/server/security/malformed", FkProtoFixture, NULL, fk_proto_setup, test_malformed,
              fk_proto_teardown);
  g_test_add ("/server/security/rate-limit", FkProtoFixture, rate_limited, fk_proto_setup,
              test_rate_limit, fk_proto_teardown);
  return g_test_run ();
}
