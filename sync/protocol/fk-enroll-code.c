/* fk-enroll-code.c: the enrollment code, and the request and answer of
 * POST /v1/enroll
 *
 * Everything read here comes from outside (a QR code, a pasted text, a
 * server's answer): sizes are bounded before decoding, JSON is parsed only
 * after its signature verifies, and every member is checked for its type.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-enroll-code.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "fk-json.h"
#include "fk-sync-error.h"

/* A code fits a QR code a camera reads at arm's length. */
#define MAX_CODE_CHARS 1200
#define MAX_URL_CHARS  256

void
fk_enroll_code_free (FkEnrollCode *self)
{
  if (self == NULL)
    return;
  g_free (self->url);
  if (self->token != NULL)
    sodium_memzero (self->token, strlen (self->token));
  g_free (self->token);
  g_free (self->commune);
  g_free (self->name);
  g_free (self);
}

FkEnrollCode *
fk_enroll_code_copy (const FkEnrollCode *self)
{
  FkEnrollCode *copy = g_memdup2 (self, sizeof *self);

  copy->url = g_strdup (self->url);
  copy->token = g_strdup (self->token);
  copy->commune = g_strdup (self->commune);
  copy->name = g_strdup (self->name);
  return copy;
}

static char *
to_base64url (const void *data, gsize length)
{
  gsize size = sodium_base64_ENCODED_LEN (length, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  char *out = g_malloc (size);

  sodium_bin2base64 (out, size, data, length, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

static GBytes *
from_base64url (const char *text, gsize max)
{
  gsize len = strlen (text);
  g_autofree guint8 *out = g_malloc (len + 1);
  size_t out_len = 0;
  const char *end = NULL;

  if (len == 0 ||
      sodium_base642bin (out, len + 1, text, len, NULL, &out_len, &end,
                         sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      *end != '\0' || out_len > max)
    return NULL;
  return g_bytes_new (out, out_len);
}

char *
fk_enroll_token_new (void)
{
  guint8 bytes[FK_ENROLL_TOKEN_BYTES];
  char *token;

  randombytes_buf (bytes, sizeof bytes);
  token = to_base64url (bytes, sizeof bytes);
  sodium_memzero (bytes, sizeof bytes);
  return token;
}

gboolean
fk_enroll_is_token (const char *token)
{
  g_autoptr (GBytes) bytes = NULL;

  if (token == NULL || strlen (token) > 64)
    return FALSE;
  bytes = from_base64url (token, FK_ENROLL_TOKEN_BYTES);
  return bytes != NULL && g_bytes_get_size (bytes) == FK_ENROLL_TOKEN_BYTES;
}

char *
fk_enroll_token_hash (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

static gboolean
is_commune_code (const char *text)
{
  gsize len = strlen (text);

  if (len == 0 || len > FK_ENROLL_MAX_COMMUNE)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (text[i]))
      return FALSE;
  return TRUE;
}

static gboolean
is_device_name (const char *text)
{
  glong chars;

  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  chars = g_utf8_strlen (text, -1);
  if (chars == 0 || chars > FK_ENROLL_MAX_NAME)
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT ||
          g_unichar_type (c) == G_UNICODE_LINE_SEPARATOR ||
          g_unichar_type (c) == G_UNICODE_PARAGRAPH_SEPARATOR)
        return FALSE;
    }
  return TRUE;
}

gboolean
fk_enroll_check_names (const char *commune, const char *name, GError **error)
{
  if (commune == NULL || !is_commune_code (commune))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("A commune code is 1 to %d letters and digits"), FK_ENROLL_MAX_COMMUNE);
      return FALSE;
    }
  if (name == NULL || !is_device_name (name))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("A device name is 1 to %d characters, without control characters"),
                   FK_ENROLL_MAX_NAME);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_server_url (const char *url)
{
  g_autoptr (GUri) uri = NULL;

  if (url == NULL || strlen (url) > MAX_URL_CHARS)
    return FALSE;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  return uri != NULL && g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0' &&
         (g_strcmp0 (g_uri_get_scheme (uri), "https") == 0 ||
          g_strcmp0 (g_uri_get_scheme (uri), "http") == 0) &&
         g_uri_get_userinfo (uri) == NULL && g_uri_get_query (uri) == NULL &&
         g_uri_get_fragment (uri) == NULL;
}

/* The code's bytes, before base64url: version, flags, the two server
 * keys, the token, the expiry (big-endian Unix time), then the URL, the
 * commune and the name each after a one-byte length, then the Ed25519
 * signature of all that. Binary rather than JSON keeps the QR code small
 * enough for a tablet camera at arm's length. */
#define CODE_VERSION    1
#define FLAG_ALLOW_HTTP 1
#define FIXED_BYTES     (2 + 2 * FK_SYNC_KEY_BYTES + FK_ENROLL_TOKEN_BYTES + 8)

static void
append_field (GByteArray *out, const char *text)
{
  guint8 len = (guint8) MIN (strlen (text), 255);

  g_byte_array_append (out, &len, 1);
  g_byte_array_append (out, (const guint8 *) text, len);
}

char *
fk_enroll_code_format (const FkEnrollCode *self, const guint8 sign_secret[FK_SYNC_SECRET_BYTES])
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (GBytes) token = from_base64url (self->token, FK_ENROLL_TOKEN_BYTES);
  guint8 head[2] = { CODE_VERSION, self->allow_http ? FLAG_ALLOW_HTTP : 0 };
  guint8 expires[8];
  guint8 sig[crypto_sign_BYTES];
  g_autofree char *text = NULL;

  g_return_val_if_fail (token != NULL && g_bytes_get_size (token) == FK_ENROLL_TOKEN_BYTES, NULL);
  for (int i = 0; i < 8; i++)
    expires[i] = (guint8) (((guint64) self->expires) >> (56 - 8 * i));
  g_byte_array_append (out, head, sizeof head);
  g_byte_array_append (out, self->box_key, FK_SYNC_KEY_BYTES);
  g_byte_array_append (out, self->verify_key, FK_SYNC_KEY_BYTES);
  g_byte_array_append (out, g_bytes_get_data (token, NULL), FK_ENROLL_TOKEN_BYTES);
  g_byte_array_append (out, expires, sizeof expires);
  append_field (out, self->url);
  append_field (out, self->commune);
  append_field (out, self->name);
  crypto_sign_detached (sig, NULL, out->data, out->len, sign_secret);
  g_byte_array_append (out, sig, sizeof sig);
  text = to_base64url (out->data, out->len);
  sodium_memzero (out->data, out->len);
  return g_strconcat (FK_ENROLL_CODE_PREFIX, text, NULL);
}

static gboolean
invalid (GError **error)
{
  g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVITATION_INVALID,
               _ ("This is not a whole FieldKit enrollment code, or it was changed: scan it "
                  "again or ask for a new one"));
  return FALSE;
}

static gpointer
invalid_code (GError **error)
{
  invalid (error);
  return NULL;
}

static const char *
member_string (JsonObject *obj, const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING
           ? json_node_get_string (node)
           : NULL;
}

static JsonObject *
parse_object (const char *data, gsize len)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();

  if (len == 0 || memchr (data, '\0', len) != NULL || !g_utf8_validate (data, len, NULL) ||
      !fk_json_nesting_within (data, len, FK_SYNC_MAX_JSON_DEPTH) ||
      !json_parser_load_from_data (parser, data, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* (transfer full) (nullable): the next length-prefixed field, NUL-free. */
static char *
read_field (const guint8 *data, gsize len, gsize *pos)
{
  gsize n;

  if (*pos >= len)
    return NULL;
  n = data[*pos];
  if (*pos + 1 + n > len || memchr (data + *pos + 1, '\0', n) != NULL)
    return NULL;
  *pos += 1 + n;
  return g_strndup ((const char *) data + *pos - n, n);
}

static FkEnrollCode *
code_from_bytes (const guint8 *data, gsize len, GError **error)
{
  g_autoptr (FkEnrollCode) code = g_new0 (FkEnrollCode, 1);
  guint64 expires = 0;
  gsize pos = FIXED_BYTES;

  if (len < FIXED_BYTES + crypto_sign_BYTES)
    return invalid_code (error);
  if (data[0] != CODE_VERSION)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVITATION_INVALID,
                   _ ("This enrollment code is of a newer kind: update FieldKit first"));
      return NULL;
    }
  len -= crypto_sign_BYTES;
  code->allow_http = (data[1] & FLAG_ALLOW_HTTP) != 0;
  memcpy (code->box_key, data + 2, FK_SYNC_KEY_BYTES);
  memcpy (code->verify_key, data + 2 + FK_SYNC_KEY_BYTES, FK_SYNC_KEY_BYTES);
  code->token = to_base64url (data + 2 + 2 * FK_SYNC_KEY_BYTES, FK_ENROLL_TOKEN_BYTES);
  for (int i = 0; i < 8; i++)
    expires = (expires << 8) | data[2 + 2 * FK_SYNC_KEY_BYTES + FK_ENROLL_TOKEN_BYTES + i];
  code->expires = (gint64) MIN (expires, (guint64) G_MAXINT64);
  code->url = read_field (data, len, &pos);
  code->commune = read_field (data, len, &pos);
  code->name = read_field (data, len, &pos);
  if (pos != len || !is_server_url (code->url) || code->commune == NULL || code->name == NULL ||
      !fk_enroll_check_names (code->commune, code->name, NULL) || code->expires <= 0)
    return invalid_code (error);
  /* Signed by the key it carries: a code changed on the way (or a
   * character misread) does not verify. */
  if (crypto_sign_verify_detached (data + len, data, len, code->verify_key) != 0)
    return invalid_code (error);
  return g_steal_pointer (&code);
}

FkEnrollCode *
fk_enroll_code_parse (const char *text, GError **error)
{
  g_autoptr (GString) compact = g_string_new (NULL);
  g_autoptr (GBytes) bytes = NULL;
  gsize len = 0;
  const guint8 *data;

  if (text == NULL || strlen (text) > 4 * MAX_CODE_CHARS)
    return invalid_code (error);
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (compact, *p);
  if (!g_str_has_prefix (compact->str, FK_ENROLL_CODE_PREFIX) || compact->len > MAX_CODE_CHARS ||
      (bytes = from_base64url (compact->str + strlen (FK_ENROLL_CODE_PREFIX), MAX_CODE_CHARS)) ==
        NULL)
    return invalid_code (error);
  data = g_bytes_get_data (bytes, &len);
  return code_from_bytes (data, len, error);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr (GInetAddress) addr = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  addr = g_inet_address_new_from_string (host);
  return addr != NULL && g_inet_address_get_is_loopback (addr);
}

gboolean
fk_enroll_code_check_transport (const FkEnrollCode *self, gboolean allow_http, char **warning,
                                GError **error)
{
  g_autoptr (GUri) uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL);

  if (warning != NULL)
    *warning = NULL;
  if (uri == NULL)
    return invalid (error);
  if (g_strcmp0 (g_uri_get_scheme (uri), "https") == 0)
    return TRUE;
  if (host_is_loopback (g_uri_get_host (uri)))
    return TRUE;
  if (!self->allow_http && !allow_http)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INSECURE,
                   _ ("The server %s is reached over plain HTTP: the link is not encrypted. "
                      "Ask the administrator for a code with an https:// address."),
                   self->url);
      return FALSE;
    }
  if (warning != NULL)
    *warning = g_strdup_printf (_ ("The link to %s is not encrypted (plain HTTP); the "
                                   "administrator allowed it."),
                                self->url);
  return TRUE;
}

char *
fk_enroll_request_to_json (const FkEnrollCode *code, gsize *length)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *server = fk_sync_key_to_base64 (code->verify_key);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, code->token);
  json_builder_set_member_name (b, "server");
  json_builder_add_string_value (b, server);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, length);
}

gboolean
fk_enroll_request_parse (const char *data, gsize length, char **token, char **server_key,
                         GError **error)
{
  g_autoptr (JsonObject) obj = parse_object (data, length);
  guint8 key[FK_SYNC_KEY_BYTES];

  if (obj == NULL || !fk_enroll_is_token (member_string (obj, "token")) ||
      !fk_sync_key_from_base64 (member_string (obj, "server"), key, NULL))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("An enrollment needs the code's token and the server key it names"));
      return FALSE;
    }
  *token = g_strdup (member_string (obj, "token"));
  *server_key = g_strdup (member_string (obj, "server"));
  return TRUE;
}

void
fk_enroll_answer_free (FkEnrollAnswer *self)
{
  if (self == NULL)
    return;
  g_free (self->device);
  g_free (self->commune);
  g_free (self->name);
  g_free (self->enrolled_at);
  g_free (self);
}

char *
fk_enroll_answer_to_json (const FkEnrollAnswer *self, gsize *length)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "device");
  json_builder_add_string_value (b, self->device);
  json_builder_set_member_name (b, "commune");
  json_builder_add_string_value (b, self->commune);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, self->name);
  json_builder_set_member_name (b, "enrolled_at");
  json_builder_add_string_value (b, self->enrolled_at);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, length);
}

FkEnrollAnswer *
fk_enroll_answer_verify (const char *data, gsize length, const char *signature,
                         const guint8 verify_key[FK_SYNC_KEY_BYTES], const char *device,
                         GError **error)
{
  g_autoptr (JsonObject) obj = NULL;
  g_autoptr (FkEnrollAnswer) answer = NULL;

  if (signature == NULL || !fk_sync_verify (verify_key, data, length, signature))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_OTHER_SERVER,
                   _ ("The server that answered is not the one the enrollment code names"));
      return NULL;
    }
  obj = parse_object (data, length);
  answer = g_new0 (FkEnrollAnswer, 1);
  if (obj != NULL)
    {
      answer->device = g_strdup (member_string (obj, "device"));
      answer->commune = g_strdup (member_string (obj, "commune"));
      answer->name = g_strdup (member_string (obj, "name"));
      answer->enrolled_at = g_strdup (member_string (obj, "enrolled_at"));
    }
  if (obj == NULL || g_strcmp0 (answer->device, device) != 0 || answer->commune == NULL ||
      answer->name == NULL || answer->enrolled_at == NULL)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_BAD_RECEIPT,
                   _ ("The server's enrollment answer is for another device"));
      return NULL;
    }
  return g_steal_pointer (&answer);
}
