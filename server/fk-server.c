/* fk-server.c: the intake API
 *
 * Every request goes through the same gate before it may touch anything:
 * size and rate limits on the headers alone, then the device signature,
 * the clock, enrollment and the nonce. Only then is it dispatched.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "fk-json.h"
#include "fk-sync-error.h"

struct _FkServer
{
  SoupServer *soup;
  FkServerDb *db;
  FkServerKeys *keys;
  double rate; /* requests per second per client address; 0 = no limit */
  double burst;
  GHashTable *buckets; /* remote host → Bucket */
};

typedef struct
{
  double tokens;
  gint64 last_us;
} Bucket;

static void
respond_error (SoupServerMessage *msg, guint status, const char *code, const char *message)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *body = NULL;
  gsize len = 0;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  body = json_generator_to_data (gen, &len);
  soup_server_message_set_status (msg, status, NULL);
  if (strcmp (soup_server_message_get_method (msg), "HEAD") != 0)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, len);
  else
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "FK-Error", code);
}

static void
respond_json (SoupServerMessage *msg, guint status, JsonBuilder *b)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *body = NULL;
  gsize len = 0;

  json_generator_set_root (gen, root);
  body = json_generator_to_data (gen, &len);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, len);
}

static void
respond_db_error (SoupServerMessage *msg, const GError *error)
{
  if (g_error_matches (error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_FOUND))
    respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", error->message);
  else if (g_error_matches (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CONFLICT))
    respond_error (msg, SOUP_STATUS_CONFLICT, "conflict", error->message);
  else if (g_error_matches (error, FK_SYNC_ERROR, FK_SYNC_ERROR_REJECTED))
    respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "sha256-mismatch", error->message);
  else
    {
      g_warning ("storage: %s", error->message);
      respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "storage",
                     _ ("The server cannot store data right now; try again later"));
    }
}

/* Responses go out as headers then body: without TCP_NODELAY each one can
 * wait for the peer's delayed ACK. */
static void
on_request_started (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}

static gboolean
take_token (FkServer *self, const char *host)
{
  Bucket *bucket;
  gint64 now = g_get_monotonic_time ();

  if (self->rate <= 0)
    return TRUE;
  /* Many addresses must not grow the table without bound: start over,
   * which only ever lets a client through sooner. */
  if (g_hash_table_size (self->buckets) > 4096)
    g_hash_table_remove_all (self->buckets);
  bucket = g_hash_table_lookup (self->buckets, host != NULL ? host : "");
  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->tokens = self->burst;
      bucket->last_us = now;
      g_hash_table_insert (self->buckets, g_strdup (host != NULL ? host : ""), bucket);
    }
  bucket->tokens = MIN (self->burst, bucket->tokens + (double) (now - bucket->last_us) /
                                                        G_USEC_PER_SEC * self->rate);
  bucket->last_us = now;
  if (bucket->tokens < 1.0)
    return FALSE;
  bucket->tokens -= 1.0;
  return TRUE;
}

static gsize
body_limit (const char *method, const char *path)
{
  if (strcmp (method, "PATCH") == 0)
    return FK_SYNC_MAX_CHUNK_BYTES;
  if (strcmp (method, "POST") == 0)
    return FK_SYNC_MAX_JSON_BYTES;
  return 0;
}

/* Runs on the headers alone: refuses what is too big or too frequent
 * before the body is read at all. */
static void
early_handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
               gpointer user_data)
{
  FkServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  gsize limit = body_limit (method, path);
  goffset length;

  if (!take_token (self, soup_server_message_get_remote_host (msg)))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                    "1");
      respond_error (msg, 429, "rate-limited", _ ("Too many requests; slow down"));
      return;
    }
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    {
      respond_error (msg, SOUP_STATUS_LENGTH_REQUIRED, "length-required",
                     _ ("The request needs a Content-Length"));
      return;
    }
  length = soup_message_headers_get_content_length (headers);
  if (length < 0 || (gsize) length > limit)
    respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large",
                   _ ("The request body is larger than the server accepts"));
}

static char *
request_target (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);

  if (query != NULL)
    return g_strdup_printf ("%s?%s", g_uri_get_path (uri), query);
  return g_strdup (g_uri_get_path (uri));
}

/* The gate: returns the authenticated device, or answers and returns NULL.
 * Nothing is written to the database before the signature, clock and
 * enrollment check; the nonce is recorded last. */
static FkSyncRequestAuth *
authenticate (FkServer *self, SoupServerMessage *msg, GBytes *body, char **commune)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  g_autofree char *target = request_target (msg);
  g_autoptr (GError) error = NULL;
  g_autoptr (FkSyncRequestAuth) auth = NULL;
  FkServerDeviceState state;
  gboolean fresh = FALSE;
  gsize len = 0;
  const void *data = g_bytes_get_data (body, &len);

  auth = fk_sync_request_verify (soup_server_message_get_method (msg), target,
                                 soup_message_headers_get_one (h, FK_SYNC_HEADER_DEVICE),
                                 soup_message_headers_get_one (h, FK_SYNC_HEADER_TIMESTAMP),
                                 soup_message_headers_get_one (h, FK_SYNC_HEADER_NONCE),
                                 soup_message_headers_get_one (h, FK_SYNC_HEADER_CONTENT_SHA256),
                                 soup_message_headers_get_one (h, FK_SYNC_HEADER_SIGNATURE), data,
                                 len, g_get_real_time () / G_USEC_PER_SEC, &error);
  if (auth == NULL)
    {
      respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", error->message);
      return NULL;
    }
  state = fk_server_db_device_state (self->db, auth->device, commune, &error);
  if (error != NULL)
    {
      respond_db_error (msg, error);
      return NULL;
    }
  if (state != FK_SERVER_DEVICE_ACTIVE)
    {
      respond_error (msg, SOUP_STATUS_FORBIDDEN,
                     state == FK_SERVER_DEVICE_REVOKED ? "revoked" : "unknown-device",
                     state == FK_SERVER_DEVICE_REVOKED
                       ? _ ("This device has been revoked; ask the commune to enroll it again")
                       : _ ("This device is not enrolled on the server; give the commune its "
                            "key (fieldkit-ctl device-key)"));
      return NULL;
    }
  if (!fk_server_db_nonce_use (self->db, auth->device, auth->nonce, auth->timestamp, &fresh,
                               &error))
    {
      respond_db_error (msg, error);
      return NULL;
    }
  if (!fresh)
    {
      respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "replayed",
                     _ ("This request was already received once"));
      return NULL;
    }
  return g_steal_pointer (&auth);
}

static void
set_blob_headers (SoupServerMessage *msg, const FkServerBlobState *state)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);
  char text[32];

  g_snprintf (text, sizeof text, "%" G_GUINT64_FORMAT, state->offset);
  soup_message_headers_replace (h, FK_SYNC_HEADER_OFFSET, text);
  g_snprintf (text, sizeof text, "%" G_GUINT64_FORMAT, state->length);
  soup_message_headers_replace (h, FK_SYNC_HEADER_LENGTH, text);
  soup_message_headers_replace (h, "FK-Upload-Complete", state->complete ? "1" : "0");
}

static void
respond_blob (SoupServerMessage *msg, const char *sha256, const FkServerBlobState *state,
              guint status)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  set_blob_headers (msg, state);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "sha256");
  json_builder_add_string_value (b, sha256);
  json_builder_set_member_name (b, "length");
  json_builder_add_int_value (b, (gint64) state->length);
  json_builder_set_member_name (b, "offset");
  json_builder_add_int_value (b, (gint64) state->offset);
  json_builder_set_member_name (b, "complete");
  json_builder_add_boolean_value (b, state->complete);
  json_builder_end_object (b);
  respond_json (msg, status, b);
}

static void
handle_blob_create (FkServer *self, SoupServerMessage *msg, FkSyncRequestAuth *auth, GBytes *body)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) error = NULL;
  FkServerBlobState state = { 0 };
  JsonObject *obj;
  const char *sha256;
  gint64 length;
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);

  if (len == 0 || memchr (data, '\0', len) != NULL || !g_utf8_validate (data, len, NULL) ||
      !fk_json_nesting_within (data, len, FK_SYNC_MAX_JSON_DEPTH) ||
      !json_parser_load_from_data (parser, data, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                     _ ("The upload request is not a JSON object"));
      return;
    }
  obj = json_node_get_object (json_parser_get_root (parser));
  sha256 = json_object_has_member (obj, "sha256") &&
               json_node_get_value_type (json_object_get_member (obj, "sha256")) == G_TYPE_STRING
             ? json_object_get_string_member (obj, "sha256")
             : NULL;
  length = json_object_has_member (obj, "length") &&
               json_node_get_value_type (json_object_get_member (obj, "length")) == G_TYPE_INT64
             ? json_object_get_int_member (obj, "length")
             : -1;
  if (!fk_sync_is_sha256_hex (sha256) || length <= 0 || (guint64) length > FK_SYNC_MAX_BLOB_BYTES)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                     _ ("An upload needs a SHA-256 (64 lowercase hex digits) and a length "
                        "within the server's limit"));
      return;
    }
  if (!fk_server_db_blob_create (self->db, auth->device, sha256, (guint64) length, &state, &error))
    {
      respond_db_error (msg, error);
      return;
    }
  respond_blob (msg, sha256, &state, SOUP_STATUS_OK);
}

static void
handle_blob_head (FkServer *self, SoupServerMessage *msg, FkSyncRequestAuth *auth,
                  const char *sha256)
{
  g_autoptr (GError) error = NULL;
  FkServerBlobState state = { 0 };

  if (!fk_server_db_blob_state (self->db, auth->device, sha256, &state, &error))
    {
      if (state.length != 0)
        set_blob_headers (msg, &state);
      respond_db_error (msg, error);
      return;
    }
  set_blob_headers (msg, &state);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static void
handle_blob_patch (FkServer *self, SoupServerMessage *msg, FkSyncRequestAuth *auth,
                   const char *sha256, GBytes *body)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *offset_text = soup_message_headers_get_one (h, FK_SYNC_HEADER_OFFSET);
  g_autoptr (GError) error = NULL;
  FkServerBlobState state = { 0 };
  guint64 offset = 0;
  gsize len = 0;
  const void *data = g_bytes_get_data (body, &len);

  if (offset_text == NULL ||
      !g_ascii_string_to_unsigned (offset_text, 10, 0, FK_SYNC_MAX_BLOB_BYTES, &offset, NULL) ||
      len == 0)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                     _ ("A chunk needs an Upload-Offset header and at least one byte"));
      return;
    }
  if (!fk_server_db_blob_append (self->db, auth->device, sha256, offset, data, len, &state, &error))
    {
      if (state.length != 0)
        set_blob_headers (msg, &state);
      respond_db_error (msg, error);
      return;
    }
  set_blob_headers (msg, &state);
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

static void
respond_receipt (SoupServerMessage *msg, const FkServerCommit *commit)
{
  gsize len = 0;
  const void *data = g_bytes_get_data (commit->receipt, &len);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                FK_SYNC_HEADER_RECEIPT_SIG, commit->receipt_signature);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, data, len);
}

static void
respond_existing (SoupServerMessage *msg, const FkServerCommit *existing, const char *device,
                  const char *manifest_sha256)
{
  if (strcmp (existing->device, device) != 0 ||
      strcmp (existing->manifest_sha256, manifest_sha256) != 0)
    respond_error (msg, SOUP_STATUS_CONFLICT, "dossier-conflict",
                   _ ("A dossier with this UUID was already delivered with other contents"));
  else
    respond_receipt (msg, existing);
}

static void
handle_commit (FkServer *self, SoupServerMessage *msg, FkSyncRequestAuth *auth, GBytes *body)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkSyncManifest) manifest = NULL;
  g_autoptr (FkServerCommit) existing = NULL;
  g_autoptr (FkServerCommit) commit = NULL;
  g_autoptr (GDateTime) now = NULL;
  g_autofree char *manifest_sha256 = NULL;
  FkSyncReceipt receipt = { 0 };
  g_autofree char *receipt_id = NULL;
  g_autofree char *received_at = NULL;
  g_autofree char *receipt_json = NULL;
  gsize receipt_len = 0;
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);

  manifest = fk_sync_manifest_parse (data, len, &error);
  if (manifest == NULL)
    {
      respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid-manifest", error->message);
      return;
    }
  if (strcmp (manifest->device, auth->device) != 0)
    {
      respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid-manifest",
                     _ ("The manifest names another device than the one that signed it"));
      return;
    }
  manifest_sha256 = fk_sync_sha256_hex (data, len);

  existing = fk_server_db_commit_get (self->db, manifest->dossier, &error);
  if (existing != NULL)
    {
      respond_existing (msg, existing, auth->device, manifest_sha256);
      return;
    }
  if (!g_error_matches (error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_FOUND))
    {
      respond_db_error (msg, error);
      return;
    }
  g_clear_error (&error);

  for (guint i = 0; i < manifest->parts->len; i++)
    {
      const FkSyncPart *part = manifest->parts->pdata[i];
      FkServerBlobState state = { 0 };

      if (!fk_server_db_blob_state (self->db, auth->device, part->sha256, &state, &error) &&
          !g_error_matches (error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_FOUND))
        {
          respond_db_error (msg, error);
          return;
        }
      g_clear_error (&error);
      if (!state.complete || state.length != part->size)
        {
          respond_error (msg, SOUP_STATUS_CONFLICT, "part-missing",
                         _ ("A part of the dossier has not been uploaded completely"));
          return;
        }
    }

  now = g_date_time_new_now_utc ();
  receipt_id = g_uuid_string_random ();
  received_at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  receipt.receipt = receipt_id;
  receipt.dossier = manifest->dossier;
  receipt.device = auth->device;
  receipt.manifest_sha256 = manifest_sha256;
  receipt.received_at = received_at;
  receipt_json = fk_sync_receipt_to_json (&receipt, &receipt_len);

  commit = g_new0 (FkServerCommit, 1);
  commit->dossier = g_strdup (manifest->dossier);
  commit->device = g_strdup (auth->device);
  commit->manifest = g_bytes_new (data, len);
  commit->manifest_sha256 = g_strdup (manifest_sha256);
  commit->receipt = g_bytes_new (receipt_json, receipt_len);
  commit->receipt_signature = fk_sync_sign (self->keys->sign_secret, receipt_json, receipt_len);
  if (!fk_server_db_commit_insert (self->db, commit, &error))
    {
      respond_db_error (msg, error);
      return;
    }
  /* Whoever won the race on the UUID, every caller answers with its receipt. */
  existing = fk_server_db_commit_get (self->db, manifest->dossier, &error);
  if (existing == NULL)
    {
      respond_db_error (msg, error);
      return;
    }
  respond_existing (msg, existing, auth->device, manifest_sha256);
}

static void
handle_pull (FkServer *self, SoupServerMessage *msg, GHashTable *query, const char *commune)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *body = NULL;
  const char *names[] = { "catalog_since", "results_since" };
  guint64 since[2] = { 0, 0 };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *text = query != NULL ? g_hash_table_lookup (query, names[i]) : NULL;

      if (text != NULL && !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &since[i], NULL))
        {
          respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                         _ ("The pull cursors must be whole numbers"));
          return;
        }
    }
  body = fk_server_db_pull (self->db, commune, (gint64) since[0], (gint64) since[1], &error);
  if (body == NULL)
    {
      respond_db_error (msg, error);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
         gpointer user_data)
{
  FkServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autoptr (GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr (FkSyncRequestAuth) auth = NULL;
  g_autofree char *commune = NULL;
  const char *blob = NULL;

  if (g_str_has_prefix (path, "/v1/blobs/"))
    {
      blob = path + strlen ("/v1/blobs/");
      if (!fk_sync_is_sha256_hex (blob))
        {
          respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", _ ("No such upload"));
          return;
        }
    }
  else if (strcmp (path, "/v1/blobs") != 0 && strcmp (path, "/v1/commit") != 0 &&
           strcmp (path, "/v1/pull") != 0)
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", _ ("No such endpoint"));
      return;
    }

  auth = authenticate (self, msg, body, &commune);
  if (auth == NULL)
    return;

  if (blob != NULL && strcmp (method, "HEAD") == 0)
    handle_blob_head (self, msg, auth, blob);
  else if (blob != NULL && strcmp (method, "PATCH") == 0)
    handle_blob_patch (self, msg, auth, blob, body);
  else if (blob == NULL && strcmp (path, "/v1/blobs") == 0 && strcmp (method, "POST") == 0)
    handle_blob_create (self, msg, auth, body);
  else if (strcmp (path, "/v1/commit") == 0 && strcmp (method, "POST") == 0)
    handle_commit (self, msg, auth, body);
  else if (strcmp (path, "/v1/pull") == 0 && strcmp (method, "GET") == 0)
    handle_pull (self, msg, query, commune != NULL ? commune : "");
  else
    respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method",
                   _ ("This method is not allowed here"));
}

FkServer *
fk_server_new (FkServerDb *db, FkServerKeys *keys, double rate_per_second, double burst)
{
  FkServer *self = g_new0 (FkServer, 1);

  self->db = db;
  self->keys = keys;
  self->rate = rate_per_second;
  self->burst = MAX (burst, 1.0);
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

gboolean
fk_server_listen (FkServer *self, const char *host_port, const char *tls_cert, const char *tls_key,
                  GError **error)
{
  g_autoptr (GTlsCertificate) cert = NULL;
  g_autoptr (GSocketAddress) address = NULL;
  g_autoptr (GSocketConnectable) connectable = NULL;
  g_autoptr (GSocketAddressEnumerator) enumerator = NULL;

  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("Give both --tls-cert and --tls-key, or neither"));
      return FALSE;
    }
  if (tls_cert != NULL)
    {
      cert = g_tls_certificate_new_from_files (tls_cert, tls_key, error);
      if (cert == NULL)
        return FALSE;
    }
  connectable = g_network_address_parse (host_port, 0, error);
  if (connectable == NULL)
    return FALSE;
  enumerator = g_socket_connectable_enumerate (connectable);
  address = g_socket_address_enumerator_next (enumerator, NULL, error);
  if (address == NULL)
    return FALSE;
  self->soup = soup_server_new ("server-header", "fieldkit-server", "tls-certificate", cert, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started), self);
  soup_server_add_early_handler (self->soup, NULL, early_handler, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler, self, NULL);
  return soup_server_listen (self->soup, address, tls_cert != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0,
                             error);
}

void
fk_server_free (FkServer *self)
{
  if (self == NULL)
    return;
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_hash_table_unref (self->buckets);
  g_free (self);
}

/* (transfer full): the first address the server listens on, as a URI. */
char *
fk_server_get_uri (FkServer *self)
{
  GSList *uris = soup_server_get_uris (self->soup);
  char *text = uris != NULL ? g_uri_to_string (uris->data) : g_strdup ("");

  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return text;
}
