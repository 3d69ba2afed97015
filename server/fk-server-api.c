/* fk-server-api.c: the intake API's answers, on a worker thread
 *
 * The signature was verified from the headers before the body was read;
 * here the body is checked against it, then the clock, enrollment and the
 * nonce, in that order, before anything is written. Only then is the
 * request dispatched.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fk-json.h"
#include "fk-server-service.h"
#include "fk-server-error.h"
#include "fk-sync-error.h"

#define MIB (G_GUINT64_CONSTANT (1024) * 1024)

static gboolean
is_head (FkServerRequest *req)
{
  return strcmp (req->method, "HEAD") == 0;
}

FkServerResponse *
fk_server_db_error (const GError *error)
{
  if (g_error_matches (error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_FOUND))
    return fk_server_response_error (404, "not-found", error->message);
  if (g_error_matches (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CONFLICT))
    return fk_server_response_error (409, "conflict", error->message);
  if (g_error_matches (error, FK_SYNC_ERROR, FK_SYNC_ERROR_REJECTED))
    return fk_server_response_error (422, "sha256-mismatch", error->message);
  if (g_error_matches (error, FK_SYNC_ERROR, FK_SYNC_ERROR_QUOTA))
    return fk_server_response_error (507, FK_SYNC_CODE_QUOTA, error->message);
  g_warning ("storage: %s", error->message);
  {
    FkServerResponse *r = fk_server_response_error (
      503, "storage", _ ("The server cannot store data right now; try again later"));

    fk_server_response_add_header (r, "Retry-After", "5");
    return r;
  }
}

FkServerResponse *
fk_server_clock_refused (const GError *error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  FkServerResponse *r;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, FK_SYNC_CODE_CLOCK_SKEW);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, error->message);
  json_builder_set_member_name (b, "server_time");
  json_builder_add_int_value (b, g_get_real_time () / G_USEC_PER_SEC);
  json_builder_end_object (b);
  r = fk_server_response_json (401, b);
  r->error_code = g_strdup (FK_SYNC_CODE_CLOCK_SKEW);
  fk_server_response_add_header (r, "FK-Error", FK_SYNC_CODE_CLOCK_SKEW);
  return r;
}

/* Returns NULL when the request may go on, else the refusal. */
static FkServerResponse *
authenticate (FkServer *self, FkServerRequest *req, char **commune)
{
  FkSyncRequestAuth *auth = req->auth;
  g_autoptr (GError) error = NULL;
  FkServerDeviceState state;
  g_autofree char *name = NULL;
  gboolean fresh = FALSE;

  if (!fk_sync_request_check_body (auth, req->body->data, req->body->len, &error))
    return fk_server_response_error (400, FK_SYNC_CODE_BODY_CORRUPTED, error->message);
  if (!fk_sync_request_check_clock (auth, g_get_real_time () / G_USEC_PER_SEC, &error))
    return fk_server_clock_refused (error);
  state = fk_server_db_device_state (self->db, auth->device, commune, &name, &error);
  if (error != NULL)
    return fk_server_db_error (error);
  if (state != FK_SERVER_DEVICE_ACTIVE)
    return fk_server_response_error (
      403, state == FK_SERVER_DEVICE_REVOKED ? "revoked" : "unknown-device",
      state == FK_SERVER_DEVICE_REVOKED
        ? _ ("This device has been revoked; ask the commune to enroll it again")
        : _ ("This device is not enrolled on the server; give the commune its key "
             "(fieldkit-ctl device-key)"));
  if (!fk_server_db_nonce_use (self->db, auth->device, auth->nonce, auth->timestamp, &fresh,
                               &error))
    return fk_server_db_error (error);
  if (!fresh)
    return fk_server_response_error (401, "replayed", _ ("This request was already received once"));
  /* Enrolled since the cache was read: named in the log all the same. */
  if (req->device_name == NULL)
    req->device_name = g_strdup (name);
  fk_server_device_seen (self, auth->device, name);
  return NULL;
}

static void
set_blob_headers (FkServerResponse *r, const FkServerBlobState *state)
{
  char text[32];

  g_snprintf (text, sizeof text, "%" G_GUINT64_FORMAT, state->offset);
  fk_server_response_add_header (r, FK_SYNC_HEADER_OFFSET, text);
  g_snprintf (text, sizeof text, "%" G_GUINT64_FORMAT, state->length);
  fk_server_response_add_header (r, FK_SYNC_HEADER_LENGTH, text);
  fk_server_response_add_header (r, "FK-Upload-Complete", state->complete ? "1" : "0");
}

/* An error about an upload still tells where the upload stands. */
static FkServerResponse *
blob_error (const GError *error, const FkServerBlobState *state)
{
  FkServerResponse *r = fk_server_db_error (error);

  if (state->length != 0)
    set_blob_headers (r, state);
  return r;
}

static FkServerResponse *
blob_answer (const char *sha256, const FkServerBlobState *state)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  FkServerResponse *r;

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
  r = fk_server_response_json (200, b);
  set_blob_headers (r, state);
  return r;
}

JsonObject *
fk_server_parse_object (GByteArray *body)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  const char *data = (const char *) body->data;
  gsize len = body->len;

  if (len == 0 || memchr (data, '\0', len) != NULL || !g_utf8_validate (data, len, NULL) ||
      !fk_json_nesting_within (data, len, FK_SYNC_MAX_JSON_DEPTH) ||
      !json_parser_load_from_data (parser, data, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* A practice dossier (the app's practice profile, invented citizens) is
 * marked so in what its device signs; the intake server never takes one,
 * not a byte of its parts, whichever device sent it. */
static FkServerResponse *
practice_refused (void)
{
  return fk_server_response_error (
    422, FK_SYNC_CODE_PRACTICE,
    _ ("This is a practice dossier: the intake server takes no practice dossiers"));
}

/* A practice server (`serve --practice`) is the mirror: it takes practice
 * dossiers only, so a real one never lands among invented citizens. */
static FkServerResponse *
real_refused (void)
{
  return fk_server_response_error (
    422, FK_SYNC_CODE_NOT_PRACTICE,
    _ ("This is a practice server: it takes practice dossiers only, send real dossiers to the "
       "intake server"));
}

/* The refusal for a dossier (or part) marked @practice or not, or NULL. */
static FkServerResponse *
practice_check (FkServer *self, gboolean practice)
{
  if (practice && !self->config->practice)
    return practice_refused ();
  if (!practice && self->config->practice)
    return real_refused ();
  return NULL;
}

static gboolean
marked_practice (JsonObject *obj)
{
  JsonNode *node = json_object_get_member (obj, "practice");

  return node != NULL &&
         !(JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
           !json_node_get_boolean (node));
}

static FkServerResponse *
blob_create (FkServer *self, FkServerRequest *req)
{
  g_autoptr (JsonObject) obj = fk_server_parse_object (req->body);
  g_autoptr (GError) error = NULL;
  FkServerBlobState state = { 0 };
  FkServerResponse *r;
  const char *sha256 = NULL;
  gint64 length = -1;
  JsonNode *node;

  if (obj == NULL)
    return fk_server_response_error (400, "malformed",
                                     _ ("The upload request is not a JSON object"));
  if ((r = practice_check (self, marked_practice (obj))) != NULL)
    return r;
  node = json_object_get_member (obj, "sha256");
  if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING)
    sha256 = json_node_get_string (node);
  node = json_object_get_member (obj, "length");
  if (node != NULL && json_node_get_value_type (node) == G_TYPE_INT64)
    length = json_node_get_int (node);
  if (!fk_sync_is_sha256_hex (sha256) || length <= 0 || (guint64) length > FK_SYNC_MAX_BLOB_BYTES)
    return fk_server_response_error (400, "malformed",
                                     _ ("An upload needs a SHA-256 (64 lowercase hex digits) and "
                                        "a length within the server's limit"));
  if (!fk_server_db_blob_create (self->db, req->auth->device, sha256, (guint64) length,
                                 self->config->device_quota_mib * MIB, &state, &error))
    return blob_error (error, &state);
  return blob_answer (sha256, &state);
}

static FkServerResponse *
blob_head (FkServer *self, FkServerRequest *req)
{
  g_autoptr (GError) error = NULL;
  FkServerBlobState state = { 0 };
  FkServerResponse *r;

  if (!fk_server_db_blob_state (self->db, req->auth->device, req->blob, &state, &error))
    return blob_error (error, &state);
  r = fk_server_response_new (200);
  set_blob_headers (r, &state);
  return r;
}

static FkServerResponse *
blob_patch (FkServer *self, FkServerRequest *req)
{
  g_autoptr (GError) error = NULL;
  FkServerBlobState state = { 0 };
  guint64 offset = 0;
  FkServerResponse *r;

  if (req->upload_offset == NULL ||
      !g_ascii_string_to_unsigned (req->upload_offset, 10, 0, FK_SYNC_MAX_BLOB_BYTES, &offset,
                                   NULL) ||
      req->body->len == 0)
    return fk_server_response_error (
      400, "malformed", _ ("A chunk needs an Upload-Offset header and at least one byte"));
  if (!fk_server_db_blob_append (self->db, req->auth->device, req->blob, offset, req->body->data,
                                 req->body->len, &state, &error))
    return blob_error (error, &state);
  r = fk_server_response_new (204);
  set_blob_headers (r, &state);
  return r;
}

static FkServerResponse *
receipt_answer (const FkServerCommit *commit)
{
  FkServerResponse *r = fk_server_response_new (200);

  r->content_type = "application/json";
  r->body = g_bytes_ref (commit->receipt);
  fk_server_response_add_header (r, FK_SYNC_HEADER_RECEIPT_SIG, commit->receipt_signature);
  return r;
}

/* The same dossier, however its UUID was spelled: same device, same parts. */
static gboolean
same_contents (const FkServerCommit *existing, const FkSyncManifest *manifest,
               const char *manifest_sha256)
{
  g_autoptr (FkSyncManifest) stored = NULL;
  gsize len = 0;
  const char *data;

  if (strcmp (existing->device, manifest->device) != 0)
    return FALSE;
  if (strcmp (existing->manifest_sha256, manifest_sha256) == 0)
    return TRUE;
  data = g_bytes_get_data (existing->manifest, &len);
  stored = fk_sync_manifest_parse (data, len, NULL);
  if (stored == NULL || stored->parts->len != manifest->parts->len)
    return FALSE;
  for (guint i = 0; i < stored->parts->len; i++)
    {
      const FkSyncPart *a = stored->parts->pdata[i];
      const FkSyncPart *b = manifest->parts->pdata[i];

      if (strcmp (a->kind, b->kind) != 0 || g_strcmp0 (a->name, b->name) != 0 ||
          strcmp (a->sha256, b->sha256) != 0 || a->size != b->size)
        return FALSE;
    }
  return TRUE;
}

static FkServerResponse *
existing_answer (FkServer *self, const FkServerCommit *existing, const FkSyncManifest *manifest,
                 const char *manifest_sha256, gboolean duplicate)
{
  if (!same_contents (existing, manifest, manifest_sha256))
    return fk_server_response_error (
      409, "dossier-conflict",
      _ ("A dossier with this UUID was already delivered with other contents"));
  fk_server_metrics_commit (self->metrics, duplicate);
  return receipt_answer (existing);
}

static FkServerResponse *
parts_missing (FkServer *self, const FkSyncManifest *manifest)
{
  for (guint i = 0; i < manifest->parts->len; i++)
    {
      const FkSyncPart *part = manifest->parts->pdata[i];
      g_autoptr (GError) error = NULL;
      FkServerBlobState state = { 0 };

      if (!fk_server_db_blob_state (self->db, manifest->device, part->sha256, &state, &error) &&
          !g_error_matches (error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_FOUND))
        return fk_server_db_error (error);
      if (!state.complete || state.length != part->size)
        return fk_server_response_error (
          409, FK_SYNC_CODE_PART_MISSING,
          _ ("A part of the dossier has not been uploaded completely"));
    }
  return NULL;
}

static FkServerResponse *
unopenable (const GError *error)
{
  if (g_error_matches (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CORRUPT))
    return fk_server_response_error (422, "unopenable-dossier", error->message);
  if (g_error_matches (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT))
    return fk_server_response_error (422, "invalid-dossier", error->message);
  return fk_server_db_error (error);
}

static FkServerCommit *
new_commit (FkServer *self, const FkSyncManifest *manifest, GByteArray *body,
            const char *manifest_sha256)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *receipt_id = g_uuid_string_random ();
  g_autofree char *received_at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  FkSyncReceipt receipt = { 0 };
  gsize receipt_len = 0;
  g_autofree char *receipt_json = NULL;
  FkServerCommit *commit = g_new0 (FkServerCommit, 1);

  receipt.receipt = receipt_id;
  receipt.dossier = manifest->dossier;
  receipt.device = manifest->device;
  receipt.manifest_sha256 = (char *) manifest_sha256;
  receipt.received_at = received_at;
  receipt_json = fk_sync_receipt_to_json (&receipt, &receipt_len);
  commit->dossier = g_strdup (manifest->dossier);
  commit->device = g_strdup (manifest->device);
  commit->manifest = g_bytes_new (body->data, body->len);
  commit->manifest_sha256 = g_strdup (manifest_sha256);
  commit->receipt = g_bytes_new (receipt_json, receipt_len);
  commit->receipt_signature = fk_sync_sign (self->keys->sign_secret, receipt_json, receipt_len);
  return commit;
}

static FkServerResponse *
commit (FkServer *self, FkServerRequest *req, const char *commune)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkSyncManifest) manifest = NULL;
  g_autoptr (FkServerCommit) existing = NULL;
  g_autoptr (FkServerCommit) fresh = NULL;
  g_autoptr (FkDossier) dossier = NULL;
  g_autofree char *manifest_sha256 = NULL;
  FkServerResponse *r;

  manifest = fk_sync_manifest_parse ((const char *) req->body->data, req->body->len, &error);
  if (manifest == NULL)
    return fk_server_response_error (422, "invalid-manifest", error->message);
  if ((r = practice_check (self, manifest->practice)) != NULL)
    return r;
  if (strcmp (manifest->device, req->auth->device) != 0)
    return fk_server_response_error (
      422, "invalid-manifest", _ ("The manifest names another device than the one that signed it"));
  req->dossier = g_strdup (manifest->dossier);
  manifest_sha256 = fk_sync_sha256_hex (req->body->data, req->body->len);

  existing = fk_server_db_commit_get (self->db, manifest->dossier, &error);
  if (existing != NULL)
    return existing_answer (self, existing, manifest, manifest_sha256, TRUE);
  if (!g_error_matches (error, FK_SERVER_ERROR, FK_SERVER_ERROR_NOT_FOUND))
    return fk_server_db_error (error);
  g_clear_error (&error);
  if ((r = parts_missing (self, manifest)) != NULL)
    return r;
  if (!fk_server_check_dossier (self->db, self->keys, manifest, &dossier, &error))
    return unopenable (error);

  fresh = new_commit (self, manifest, req->body, manifest_sha256);
  if (!fk_server_db_commit_insert (self->db, fresh, &error))
    return fk_server_db_error (error);
  /* Whoever won the race on the UUID, every caller answers with its receipt. */
  existing = fk_server_db_commit_get (self->db, manifest->dossier, &error);
  if (existing == NULL)
    return fk_server_db_error (error);
  /* In the office's inbox at once; what fails here the office's
   * maintenance indexes later. */
  if (strcmp (existing->receipt_signature, fresh->receipt_signature) == 0 &&
      !fk_office_index_dossier (self->office, dossier, existing->device, commune, &error))
    {
      g_warning ("office: indexing dossier %s: %s", existing->dossier, error->message);
      g_clear_error (&error);
    }
  return existing_answer (self, existing, manifest, manifest_sha256,
                          strcmp (existing->receipt_signature, fresh->receipt_signature) != 0);
}

static FkServerResponse *
pull (FkServer *self, FkServerRequest *req, const char *commune)
{
  g_autoptr (GHashTable) params = NULL;
  g_autoptr (GError) error = NULL;
  const char *names[] = { "catalog_since", "results_since" };
  guint64 since[2] = { 0, 0 };
  char *body;

  if (req->query != NULL)
    {
      params = g_uri_parse_params (req->query, -1, "&", G_URI_PARAMS_NONE, NULL);
      if (params == NULL)
        return fk_server_response_error (400, "malformed", _ ("The query is malformed"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *text = params != NULL ? g_hash_table_lookup (params, names[i]) : NULL;

      if (text != NULL && !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &since[i], NULL))
        return fk_server_response_error (400, "malformed",
                                         _ ("The pull cursors must be whole numbers"));
    }
  body = fk_server_db_pull (self->db, commune, (gint64) since[0], (gint64) since[1], &error);
  if (body == NULL)
    return fk_server_db_error (error);
  return fk_server_response_text (200, "application/json", body);
}

FkServerResponse *
fk_server_api_process (FkServer *self, FkServerRequest *req)
{
  g_autofree char *commune = NULL;
  FkServerResponse *r;
  const char *m = req->method;

  if (req->route == FK_ROUTE_HEALTHZ)
    return fk_server_healthz (self, is_head (req));
  if (req->route == FK_ROUTE_OFFICE)
    return fk_office_process (self->office, req);
  if (req->route == FK_ROUTE_ENROLL)
    return fk_server_enroll (self, req);
  if ((r = authenticate (self, req, &commune)) != NULL)
    return r;
  if (req->route == FK_ROUTE_BLOB && strcmp (m, "HEAD") == 0)
    return blob_head (self, req);
  if (req->route == FK_ROUTE_BLOB && strcmp (m, "PATCH") == 0)
    return blob_patch (self, req);
  if (req->route == FK_ROUTE_BLOBS && strcmp (m, "POST") == 0)
    return blob_create (self, req);
  if (req->route == FK_ROUTE_COMMIT && strcmp (m, "POST") == 0)
    return commit (self, req, commune != NULL ? commune : "");
  if (req->route == FK_ROUTE_REPORT && strcmp (m, "POST") == 0)
    return fk_server_report (self, req, commune != NULL ? commune : "");
  if (req->route == FK_ROUTE_PULL && strcmp (m, "GET") == 0)
    return pull (self, req, commune != NULL ? commune : "");
  return fk_server_response_error (405, "method", _ ("This method is not allowed here"));
}
