/* fk-sync-protocol.c: request signing, manifest, receipt, server.pub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-json.h"
#include "fk-sync-protocol.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "fk-sync-error.h"

static gboolean
is_lower_hex (const char *text, gsize length)
{
  if (text == NULL || strlen (text) != length)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isxdigit (text[i]) || g_ascii_isupper (text[i]))
      return FALSE;
  return TRUE;
}

gboolean
fk_sync_is_sha256_hex (const char *text)
{
  return is_lower_hex (text, 64);
}

char *
fk_sync_sha256_hex (const void *data, gsize length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, length);
}

gboolean
fk_sync_is_nonce (const char *text)
{
  return is_lower_hex (text, FK_SYNC_NONCE_LENGTH);
}

char *
fk_sync_nonce_new (void)
{
  guint8 bytes[FK_SYNC_NONCE_LENGTH / 2];
  char hex[FK_SYNC_NONCE_LENGTH + 1];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2hex (hex, sizeof hex, bytes, sizeof bytes);
  return g_strdup (hex);
}

char *
fk_sync_key_to_base64 (const guint8 key[FK_SYNC_KEY_BYTES])
{
  return g_base64_encode (key, FK_SYNC_KEY_BYTES);
}

gboolean
fk_sync_key_from_base64 (const char *text, guint8 key[FK_SYNC_KEY_BYTES], GError **error)
{
  guint8 out[FK_SYNC_KEY_BYTES + 3];
  size_t out_len = 0;
  const char *end = NULL;

  if (text == NULL ||
      sodium_base642bin (out, sizeof out, text, strlen (text), NULL, &out_len, &end,
                         sodium_base64_VARIANT_ORIGINAL) != 0 ||
      *end != '\0' || out_len != FK_SYNC_KEY_BYTES)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("Not a key: expected the base64 text of 32 bytes"));
      return FALSE;
    }
  memcpy (key, out, FK_SYNC_KEY_BYTES);
  return TRUE;
}

/**
 * fk_sync_signing_string:
 *
 * The exact text a device signs for one request. Every field is checked
 * for its syntax by the server before it gets here, so none may contain a
 * newline.
 */
char *
fk_sync_signing_string (const char *method, const char *target, const char *content_sha256,
                        gint64 timestamp, const char *nonce, const char *device)
{
  return g_strdup_printf ("FK-SIG-1\n%s\n%s\n%s\n%" G_GINT64_FORMAT "\n%s\n%s", method, target,
                          content_sha256, timestamp, nonce, device);
}

char *
fk_sync_sign (const guint8 secret_key[FK_SYNC_SECRET_BYTES], const void *message, gsize length)
{
  guint8 sig[FK_SYNC_SIGNATURE_BYTES];

  crypto_sign_detached (sig, NULL, message, length, secret_key);
  return g_base64_encode (sig, sizeof sig);
}

gboolean
fk_sync_verify (const guint8 public_key[FK_SYNC_KEY_BYTES], const void *message, gsize length,
                const char *signature_base64)
{
  guint8 sig[FK_SYNC_SIGNATURE_BYTES + 3];
  size_t sig_len = 0;
  const char *end = NULL;

  if (signature_base64 == NULL ||
      sodium_base642bin (sig, sizeof sig, signature_base64, strlen (signature_base64), NULL,
                         &sig_len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      *end != '\0' || sig_len != FK_SYNC_SIGNATURE_BYTES)
    return FALSE;
  return crypto_sign_verify_detached (sig, message, length, public_key) == 0;
}

/* Attachment names become file names in the export: keep them to a plain,
 * portable set so no manifest can write outside its folder. */
gboolean
fk_sync_is_safe_name (const char *name)
{
  gsize len;

  if (name == NULL)
    return FALSE;
  len = strlen (name);
  if (len == 0 || len > FK_SYNC_MAX_NAME_LENGTH || name[0] == '.' || name[0] == '-')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (name[i]) && name[i] != '.' && name[i] != '-' && name[i] != '_')
      return FALSE;
  return g_strcmp0 (name, "dossier.json") != 0;
}

char *
fk_sync_uuid_canonical (const char *text)
{
  if (text == NULL || !g_uuid_string_is_valid (text))
    return NULL;
  return g_ascii_strdown (text, -1);
}

/* Attachment kinds are the store's short codes ("photo", "fingerprint"…). */
static gboolean
is_kind (const char *kind)
{
  gsize len = kind != NULL ? strlen (kind) : 0;

  if (len == 0 || len > 32)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_islower (kind[i]) && !g_ascii_isdigit (kind[i]) && kind[i] != '-' &&
        kind[i] != '_')
      return FALSE;
  return TRUE;
}

FkSyncManifest *
fk_sync_manifest_new (const char *dossier, const char *device)
{
  FkSyncManifest *self = g_new0 (FkSyncManifest, 1);

  /* One spelling of a dossier's UUID everywhere: "ABC…" is "abc…". */
  self->dossier = dossier != NULL && g_uuid_string_is_valid (dossier)
                    ? g_ascii_strdown (dossier, -1)
                    : g_strdup (dossier);
  self->device = g_strdup (device);
  self->parts = g_ptr_array_new ();
  return self;
}

static void
part_free (FkSyncPart *part)
{
  g_free (part->kind);
  g_free (part->name);
  g_free (part->sha256);
  g_free (part);
}

void
fk_sync_manifest_add_part (FkSyncManifest *self, const char *kind, const char *name,
                           const char *sha256, guint64 size)
{
  FkSyncPart *part = g_new0 (FkSyncPart, 1);

  part->kind = g_strdup (kind);
  part->name = g_strdup (name);
  part->sha256 = g_strdup (sha256);
  part->size = size;
  g_ptr_array_add (self->parts, part);
}

void
fk_sync_manifest_free (FkSyncManifest *self)
{
  if (self == NULL)
    return;
  g_free (self->dossier);
  g_free (self->device);
  g_ptr_array_foreach (self->parts, (GFunc) part_free, NULL);
  g_ptr_array_unref (self->parts);
  g_free (self);
}

static char *
builder_to_json (JsonBuilder *builder, gsize *length)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, length);
}

/* Deterministic for the same manifest, so a commit repeated after a crash
 * carries the same bytes and hash as the first one. */
char *
fk_sync_manifest_to_json (const FkSyncManifest *self, gsize *length)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, FK_SYNC_PROTOCOL_VERSION);
  json_builder_set_member_name (b, "dossier");
  json_builder_add_string_value (b, self->dossier);
  json_builder_set_member_name (b, "device");
  json_builder_add_string_value (b, self->device);
  json_builder_set_member_name (b, "parts");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->parts->len; i++)
    {
      const FkSyncPart *part = self->parts->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, part->kind);
      if (part->name != NULL)
        {
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, part->name);
        }
      json_builder_set_member_name (b, "sha256");
      json_builder_add_string_value (b, part->sha256);
      json_builder_set_member_name (b, "size");
      json_builder_add_int_value (b, (gint64) part->size);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  /* Only when set: a real dossier's manifest is the same bytes as before. */
  if (self->practice)
    {
      json_builder_set_member_name (b, "practice");
      json_builder_add_boolean_value (b, TRUE);
    }
  json_builder_end_object (b);
  return builder_to_json (b, length);
}

/**
 * fk_sync_blob_request_json:
 * @practice: the part belongs to a practice dossier
 *
 * The body of `POST /v1/blobs`, signed like every request: the part's
 * SHA-256 and length, and `"practice": true` for a practice store's part,
 * which a server refuses before storing a byte of it.
 *
 * Returns: (transfer full): the JSON text
 */
char *
fk_sync_blob_request_json (const char *sha256, guint64 length, gboolean practice)
{
  return g_strdup_printf ("{\"sha256\":\"%s\",\"length\":%" G_GUINT64_FORMAT "%s}", sha256, length,
                          practice ? ",\"practice\":true" : "");
}

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT, _ ("Invalid manifest: %s"),
               message);
  return FALSE;
}

gboolean
fk_sync_manifest_validate (const FkSyncManifest *self, GError **error)
{
  guint8 key[FK_SYNC_KEY_BYTES];
  guint n_dossier = 0;
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  if (self->dossier == NULL || !g_uuid_string_is_valid (self->dossier))
    return invalid (error, _ ("the dossier is not a UUID"));
  if (!fk_sync_key_from_base64 (self->device, key, NULL))
    return invalid (error, _ ("the device is not a public key"));
  if (self->parts->len == 0 || self->parts->len > FK_SYNC_MAX_PARTS)
    return invalid (error, _ ("wrong number of parts"));
  for (guint i = 0; i < self->parts->len; i++)
    {
      const FkSyncPart *part = self->parts->pdata[i];

      if (!fk_sync_is_sha256_hex (part->sha256))
        return invalid (error, _ ("a part's SHA-256 is not 64 lowercase hex digits"));
      if (part->size == 0 || part->size > FK_SYNC_MAX_BLOB_BYTES)
        return invalid (error, _ ("a part's size is out of range"));
      if (g_strcmp0 (part->kind, "dossier") == 0)
        {
          if (part->name != NULL)
            return invalid (error, _ ("the dossier part has a name"));
          n_dossier++;
        }
      else if (is_kind (part->kind))
        {
          if (!fk_sync_is_safe_name (part->name))
            return invalid (error, _ ("an attachment name is not a plain file name"));
          if (!g_hash_table_add (names, part->name))
            return invalid (error, _ ("two attachments have the same name"));
        }
      else
        return invalid (error, _ ("a part has an unknown kind"));
    }
  if (n_dossier != 1)
    return invalid (error, _ ("there must be exactly one dossier part"));
  return TRUE;
}

/* json-glib cuts a string at an escaped NUL ("\u0000"): what it reads
 * would no longer be what was signed and stored, so such JSON is refused. */
static gboolean
has_nul_escape (const char *data, gsize length)
{
  for (gsize i = 0; i + 1 < length; i++)
    {
      if (data[i] != '\\')
        continue;
      if (data[i + 1] == 'u' && i + 5 < length && memcmp (data + i + 2, "0000", 4) == 0)
        return TRUE;
      i++; /* the escaped character, e.g. the second backslash of "\\" */
    }
  return FALSE;
}

static JsonObject *
parse_object (const char *data, gsize length, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (length > FK_SYNC_MAX_JSON_BYTES)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("The JSON is too large"));
      return NULL;
    }
  /* json-glib wants text: no embedded NUL, valid UTF-8. */
  if (memchr (data, '\0', length) != NULL || !g_utf8_validate (data, length, NULL))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("The JSON is not UTF-8 text"));
      return NULL;
    }
  if (has_nul_escape (data, length))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("The JSON holds a NUL character"));
      return NULL;
    }
  if (!fk_json_nesting_within (data, length, FK_SYNC_MAX_JSON_DEPTH))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("The JSON is nested too deeply"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, error))
    {
      if (error != NULL && *error != NULL)
        {
          (*error)->domain = FK_SYNC_ERROR;
          (*error)->code = FK_SYNC_ERROR_INVALID_ARGUMENT;
        }
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("The JSON is not an object"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static const char *
get_string (JsonObject *obj, const char *member)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_int (JsonObject *obj, const char *member, gint64 *out)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

FkSyncManifest *
fk_sync_manifest_parse (const char *data, gsize length, GError **error)
{
  g_autoptr (JsonObject) obj = parse_object (data, length, error);
  g_autoptr (FkSyncManifest) self = NULL;
  JsonNode *parts_node;
  JsonArray *parts;
  gint64 version = 0;

  if (obj == NULL)
    return NULL;
  if (!get_int (obj, "version", &version) || version != FK_SYNC_PROTOCOL_VERSION)
    {
      invalid (error, _ ("unsupported version"));
      return NULL;
    }
  self = fk_sync_manifest_new (get_string (obj, "dossier"), get_string (obj, "device"));
  parts_node = json_object_get_member (obj, "parts");
  if (parts_node == NULL || !JSON_NODE_HOLDS_ARRAY (parts_node))
    {
      invalid (error, _ ("no list of parts"));
      return NULL;
    }
  parts = json_node_get_array (parts_node);
  if (json_array_get_length (parts) > FK_SYNC_MAX_PARTS)
    {
      invalid (error, _ ("wrong number of parts"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonNode *node = json_array_get_element (parts, i);
      JsonObject *part;
      gint64 size = 0;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          invalid (error, _ ("a part is not an object"));
          return NULL;
        }
      part = json_node_get_object (node);
      if (!get_int (part, "size", &size) || size <= 0)
        {
          invalid (error, _ ("a part's size is out of range"));
          return NULL;
        }
      if (json_object_has_member (part, "name") && get_string (part, "name") == NULL)
        {
          invalid (error, _ ("an attachment name is not a plain file name"));
          return NULL;
        }
      fk_sync_manifest_add_part (self, get_string (part, "kind"), get_string (part, "name"),
                                 get_string (part, "sha256"), (guint64) size);
    }
  /* Any "practice" member other than false counts as practice: a
   * manifest cannot slip past the server's refusal by spelling it oddly. */
  if (json_object_has_member (obj, "practice"))
    {
      JsonNode *node = json_object_get_member (obj, "practice");

      self->practice =
        !(JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
          !json_node_get_boolean (node));
    }
  if (!fk_sync_manifest_validate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

char *
fk_sync_receipt_to_json (const FkSyncReceipt *self, gsize *length)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, FK_SYNC_PROTOCOL_VERSION);
  json_builder_set_member_name (b, "receipt");
  json_builder_add_string_value (b, self->receipt);
  json_builder_set_member_name (b, "dossier");
  json_builder_add_string_value (b, self->dossier);
  json_builder_set_member_name (b, "device");
  json_builder_add_string_value (b, self->device);
  json_builder_set_member_name (b, "manifest_sha256");
  json_builder_add_string_value (b, self->manifest_sha256);
  json_builder_set_member_name (b, "received_at");
  json_builder_add_string_value (b, self->received_at);
  json_builder_end_object (b);
  return builder_to_json (b, length);
}

void
fk_sync_receipt_free (FkSyncReceipt *self)
{
  if (self == NULL)
    return;
  g_free (self->receipt);
  g_free (self->dossier);
  g_free (self->device);
  g_free (self->manifest_sha256);
  g_free (self->received_at);
  g_free (self);
}

FkSyncReceipt *
fk_sync_receipt_parse (const char *data, gsize length, GError **error)
{
  g_autoptr (JsonObject) obj = parse_object (data, length, error);
  g_autoptr (FkSyncReceipt) self = NULL;
  gint64 version = 0;

  if (obj == NULL)
    return NULL;
  self = g_new0 (FkSyncReceipt, 1);
  self->receipt = g_strdup (get_string (obj, "receipt"));
  self->dossier = g_strdup (get_string (obj, "dossier"));
  self->device = g_strdup (get_string (obj, "device"));
  self->manifest_sha256 = g_strdup (get_string (obj, "manifest_sha256"));
  self->received_at = g_strdup (get_string (obj, "received_at"));
  if (!get_int (obj, "version", &version) || version != FK_SYNC_PROTOCOL_VERSION ||
      self->receipt == NULL || !g_uuid_string_is_valid (self->receipt) || self->dossier == NULL ||
      !g_uuid_string_is_valid (self->dossier) || self->device == NULL ||
      !fk_sync_is_sha256_hex (self->manifest_sha256) || self->received_at == NULL)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_BAD_RECEIPT,
                   _ ("The server's receipt is incomplete"));
      return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * fk_sync_receipt_verify:
 *
 * Checks the server's signature over the receipt's exact bytes, then that
 * it speaks of this dossier, this device and this manifest. Only then may
 * the device count the dossier as delivered.
 */
FkSyncReceipt *
fk_sync_receipt_verify (const char *data, gsize length, const char *signature,
                        const guint8 server_verify_key[FK_SYNC_KEY_BYTES], const char *dossier,
                        const char *device, const char *manifest_sha256, GError **error)
{
  g_autoptr (FkSyncReceipt) receipt = NULL;

  if (!fk_sync_verify (server_verify_key, data, length, signature))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_BAD_RECEIPT,
                   _ ("The server's receipt is not signed by the server this device knows"));
      return NULL;
    }
  receipt = fk_sync_receipt_parse (data, length, error);
  if (receipt == NULL)
    return NULL;
  if (dossier == NULL || g_ascii_strcasecmp (receipt->dossier, dossier) != 0 ||
      g_strcmp0 (receipt->device, device) != 0 ||
      g_strcmp0 (receipt->manifest_sha256, manifest_sha256) != 0)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_BAD_RECEIPT,
                   _ ("The server's receipt is for another dossier or other contents"));
      return NULL;
    }
  return g_steal_pointer (&receipt);
}

char *
fk_sync_server_pub_format (const guint8 box_key[FK_SYNC_KEY_BYTES],
                           const guint8 verify_key[FK_SYNC_KEY_BYTES])
{
  g_autofree char *box = fk_sync_key_to_base64 (box_key);
  g_autofree char *verify = fk_sync_key_to_base64 (verify_key);

  return g_strdup_printf ("%s\n%s\n", box, verify);
}

gboolean
fk_sync_server_pub_parse (const char *text, guint8 box_key[FK_SYNC_KEY_BYTES],
                          guint8 verify_key[FK_SYNC_KEY_BYTES], GError **error)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GPtrArray) fields = g_ptr_array_new ();

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] != '\0')
        g_ptr_array_add (fields, lines[i]);
    }
  if (fields->len != 2 || !fk_sync_key_from_base64 (fields->pdata[0], box_key, NULL) ||
      !fk_sync_key_from_base64 (fields->pdata[1], verify_key, NULL))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("Not a server key file: expected two lines, the sealing key and the "
                      "receipt key, each the base64 text of 32 bytes (fieldkit-server keygen "
                      "writes it as server.pub)"));
      return FALSE;
    }
  return TRUE;
}

void
fk_sync_request_auth_free (FkSyncRequestAuth *self)
{
  if (self == NULL)
    return;
  g_free (self->device);
  g_free (self->nonce);
  g_free (self->content_sha256);
  g_free (self);
}

static FkSyncRequestAuth *
auth_error (GError **error, const char *message)
{
  g_set_error_literal (error, FK_SYNC_ERROR, FK_SYNC_ERROR_AUTH, message);
  return NULL;
}

/**
 * fk_sync_request_verify_signature:
 *
 * Checks what the headers alone can tell: their syntax and the signature
 * over the signing string. A server can do this before it reads the body,
 * to know which device a request claims to come from.
 */
FkSyncRequestAuth *
fk_sync_request_verify_signature (const char *method, const char *target, const char *device,
                                  const char *timestamp, const char *nonce,
                                  const char *content_sha256, const char *signature, GError **error)
{
  g_autoptr (FkSyncRequestAuth) auth = g_new0 (FkSyncRequestAuth, 1);
  g_autofree char *signing = NULL;
  char *end = NULL;

  if (device == NULL || timestamp == NULL || nonce == NULL || content_sha256 == NULL ||
      signature == NULL)
    return auth_error (error, _ ("The request is not signed"));
  if (!fk_sync_key_from_base64 (device, auth->device_key, NULL))
    return auth_error (error, _ ("The device key in the request is malformed"));
  if (!fk_sync_is_nonce (nonce) || !fk_sync_is_sha256_hex (content_sha256))
    return auth_error (error, _ ("The request's signature headers are malformed"));
  if (!g_ascii_isdigit (timestamp[0]) || strlen (timestamp) > 12)
    return auth_error (error, _ ("The request's timestamp is malformed"));
  auth->timestamp = g_ascii_strtoll (timestamp, &end, 10);
  if (*end != '\0')
    return auth_error (error, _ ("The request's timestamp is malformed"));
  if (strchr (method, '\n') != NULL || strchr (target, '\n') != NULL)
    return auth_error (error, _ ("The request line is malformed"));

  signing = fk_sync_signing_string (method, target, content_sha256, auth->timestamp, nonce, device);
  if (!fk_sync_verify (auth->device_key, signing, strlen (signing), signature))
    return auth_error (error, _ ("The request's signature does not verify"));
  auth->device = g_strdup (device);
  auth->nonce = g_strdup (nonce);
  auth->content_sha256 = g_strdup (content_sha256);
  return g_steal_pointer (&auth);
}

/* The signature proved who sent the request; a body that does not hash to
 * the signed value was damaged on the way, which is worth sending again. */
gboolean
fk_sync_request_check_body (const FkSyncRequestAuth *auth, const void *body, gsize body_length,
                            GError **error)
{
  g_autofree char *body_sha256 = fk_sync_sha256_hex (body != NULL ? body : "", body_length);

  if (strcmp (body_sha256, auth->content_sha256) != 0)
    {
      g_set_error_literal (error, FK_SYNC_ERROR, FK_SYNC_ERROR_BODY_MISMATCH,
                           _ ("The request's body arrived damaged (it is not the one that was "
                              "signed); send it again"));
      return FALSE;
    }
  return TRUE;
}

gboolean
fk_sync_request_check_clock (const FkSyncRequestAuth *auth, gint64 now, GError **error)
{
  if (auth->timestamp < now - FK_SYNC_CLOCK_SKEW_SECONDS ||
      auth->timestamp > now + FK_SYNC_CLOCK_SKEW_SECONDS)
    {
      g_set_error_literal (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CLOCK,
                           _ ("The request's timestamp is too far from the server's clock; "
                              "check the device's date and time"));
      return FALSE;
    }
  return TRUE;
}

/**
 * fk_sync_request_verify:
 *
 * Checks everything about a request's signature that needs no database:
 * the headers' syntax, the signature over the signing string, that the
 * body is the one that was signed (%FK_SYNC_ERROR_BODY_MISMATCH), and the
 * clock (%FK_SYNC_ERROR_CLOCK). Enrollment and replay are the caller's part.
 */
FkSyncRequestAuth *
fk_sync_request_verify (const char *method, const char *target, const char *device,
                        const char *timestamp, const char *nonce, const char *content_sha256,
                        const char *signature, const void *body, gsize body_length, gint64 now,
                        GError **error)
{
  g_autoptr (FkSyncRequestAuth) auth = fk_sync_request_verify_signature (
    method, target, device, timestamp, nonce, content_sha256, signature, error);

  if (auth == NULL || !fk_sync_request_check_body (auth, body, body_length, error) ||
      !fk_sync_request_check_clock (auth, now, error))
    return NULL;
  return g_steal_pointer (&auth);
}
