/* fk-test-protocol.c: what the intake API tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-test-protocol.h"

#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#include "fk-sync-protocol.h"
#include "fk-vault.h"

char *
fk_proto_db_snapshot (FkProtoFixture *f)
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

void
fk_proto_setup (FkProtoFixture *f, gconstpointer data)
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

void
fk_proto_teardown (FkProtoFixture *f, gconstpointer data)
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

FkSyncResponse *
fk_proto_send (FkProtoFixture *f, const char *method, const char *target, const char *body)
{
  g_autoptr (GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;

  return fk_sync_client_send (f->client, method, target, bytes, NULL, NULL, NULL);
}

/* A signed request whose parts the test may spoil before it goes out. */

guint
fk_proto_send_raw (FkProtoFixture *f, const FkProtoRawRequest *req, char **nonce_used)
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

const char *
fk_proto_dev_secret (FkProtoFixture *f, guint8 secret[64], guint8 pub[32])
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

char *
fk_proto_blob_json (const char *sha, gsize len)
{
  return g_strdup_printf ("{\"sha256\":\"%s\",\"length\":%" G_GSIZE_FORMAT "}", sha, len);
}

void
fk_proto_upload_blob (FkProtoFixture *f, GBytes *bytes, gsize chunk)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autofree char *sha = fk_sync_sha256_hex (data, len);
  g_autofree char *create = fk_proto_blob_json (sha, len);
  g_autofree char *target = g_strdup_printf ("/v1/blobs/%s", sha);
  g_autoptr (FkSyncResponse) r = fk_proto_send (f, "POST", "/v1/blobs", create);

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

/* Seals a dossier and one attachment the way the device store does. */

void
fk_proto_sealed_free (FkProtoSealed *s)
{
  g_free (s->uuid);
  g_bytes_unref (s->json);
  g_bytes_unref (s->sealed_dossier);
  g_bytes_unref (s->attachment);
  g_bytes_unref (s->sealed_attachment);
  g_free (s);
}

FkProtoSealed *
fk_proto_seal (FkProtoFixture *f, gsize attachment_size)
{
  FkProtoSealed *s = g_new0 (FkProtoSealed, 1);
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

char *
fk_proto_manifest_for (FkProtoFixture *f, FkProtoSealed *s, gsize *len)
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
