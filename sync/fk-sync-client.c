/* fk-sync-client.c: signed requests to the intake server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-sync-client.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "fk-sync-error.h"
#include "fk-json.h"
#include "fk-sync-protocol.h"

/* A clock within this of the server's is left alone: a Date header has
 * whole seconds and the answer takes time to come back. */
#define CLOCK_LEARN_SECONDS 30

struct _FkSyncClient
{
  SoupSession *session;
  char *base; /* without the trailing slash */
  FkDeviceKey *device_key;
  char *device;
  gint64 clock_offset;  /* seconds the server is ahead */
  gboolean clock_known; /* an answer told the server's time */
};

void
fk_sync_response_free (FkSyncResponse *response)
{
  if (response == NULL)
    return;
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_free (response->error_code);
  g_free (response->message);
  g_free (response);
}

FkSyncOutcome
fk_sync_response_outcome (const FkSyncResponse *response)
{
  guint s = response->status;

  if (s >= 200 && s < 300)
    return FK_SYNC_OUTCOME_OK;
  /* The signature proved the device; the body was damaged on the way. */
  if (s == 400 && g_strcmp0 (response->error_code, FK_SYNC_CODE_BODY_CORRUPTED) == 0)
    return FK_SYNC_OUTCOME_TRANSIENT;
  if (s == 401 || s == 403)
    return FK_SYNC_OUTCOME_AUTH;
  if (s == 0 || s == 408 || s == 425 || s == 429 || s >= 500)
    return FK_SYNC_OUTCOME_TRANSIENT;
  return FK_SYNC_OUTCOME_REJECTED;
}

FkSyncClient *
fk_sync_client_new (const char *server_url, FkDeviceKey *device_key, guint timeout_seconds,
                    GError **error)
{
  FkSyncClient *self;
  g_autoptr (GUri) uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
      g_uri_get_host (uri) == NULL)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not a server address; give one like https://host:port"), server_url);
      return NULL;
    }
  self = g_new0 (FkSyncClient, 1);
  self->session = soup_session_new_with_options ("timeout", timeout_seconds, "idle-timeout",
                                                 timeout_seconds, "user-agent", "FieldKit", NULL);
  self->base = g_strdup (server_url);
  while (g_str_has_suffix (self->base, "/"))
    self->base[strlen (self->base) - 1] = '\0';
  self->device_key = device_key;
  self->device = fk_device_key_get_public_key_base64 (device_key);
  return self;
}

void
fk_sync_client_free (FkSyncClient *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->session);
  g_free (self->base);
  g_free (self->device);
  g_free (self);
}

gboolean
fk_sync_client_set_ca_file (FkSyncClient *self, const char *ca_file, GError **error)
{
  g_autoptr (GTlsDatabase) db = g_tls_file_database_new (ca_file, error);

  if (db == NULL)
    return FALSE;
  g_object_set (self->session, "tls-database", db, NULL);
  return TRUE;
}

const char *
fk_sync_client_get_device (FkSyncClient *self)
{
  return self->device;
}

static void
parse_error_body (FkSyncResponse *response)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  gsize len = 0;
  const char *data = response->body != NULL ? g_bytes_get_data (response->body, &len) : NULL;
  JsonObject *obj;

  if (data == NULL || len == 0 || !g_utf8_validate (data, len, NULL) ||
      !fk_json_nesting_within (data, len, FK_SYNC_MAX_JSON_DEPTH) ||
      !json_parser_load_from_data (parser, data, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  obj = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (obj, "error") &&
      json_node_get_value_type (json_object_get_member (obj, "error")) == G_TYPE_STRING)
    response->error_code = g_strdup (json_object_get_string_member (obj, "error"));
  if (json_object_has_member (obj, "message") &&
      json_node_get_value_type (json_object_get_member (obj, "message")) == G_TYPE_STRING)
    response->message = g_strdup (json_object_get_string_member (obj, "message"));
}

/* A request goes out as headers then body: without TCP_NODELAY the body
 * can wait for the server's delayed ACK. */
static void
on_network_event (SoupMessage *msg, GSocketClientEvent event, GIOStream *connection,
                  gpointer user_data)
{
  GSocket *socket;

  if (event != G_SOCKET_CLIENT_CONNECTED || !G_IS_SOCKET_CONNECTION (connection))
    return;
  socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection));
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}

gint64
fk_sync_client_get_clock_offset (FkSyncClient *self)
{
  return self->clock_offset;
}

gboolean
fk_sync_client_get_clock_known (FkSyncClient *self)
{
  return self->clock_known;
}

static char *
clock_amount (gint64 seconds)
{
  gint64 minutes = (seconds + 30) / 60;
  gint64 hours = (seconds + 1800) / 3600;
  gint64 days = (seconds + 43200) / 86400;

  if (minutes < 120)
    return g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", (gulong) minutes), (int) minutes);
  if (hours < 48)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", (gulong) hours),
                            (int) hours);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", (gulong) days),
                          (int) MIN (days, G_MAXINT));
}

char *
fk_sync_clock_warning (gint64 offset)
{
  g_autofree char *amount = NULL;

  if (ABS (offset) < 60)
    return NULL;
  amount = clock_amount (ABS (offset));
  /* The offset is how far the server is ahead: positive, the tablet is behind. */
  if (offset > 0)
    return g_strdup_printf (_ ("This tablet's clock is %s behind the server's. Sending used the "
                               "server's time; set the tablet's date and time."),
                            amount);
  return g_strdup_printf (_ ("This tablet's clock is %s ahead of the server's. Sending used the "
                             "server's time; set the tablet's date and time."),
                          amount);
}

static char *
clock_refusal (gint64 offset)
{
  g_autofree char *amount = clock_amount (ABS (offset));

  if (ABS (offset) < 60)
    return g_strdup (_ ("The server refused this tablet's clock; set its date and time."));
  if (offset > 0)
    return g_strdup_printf (_ ("This tablet's clock is %s behind the server's; set the tablet's "
                               "date and time."),
                            amount);
  return g_strdup_printf (_ ("This tablet's clock is %s ahead of the server's; set the tablet's "
                             "date and time."),
                          amount);
}

static gint64
device_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Any answer's Date tells the server's time. */
static void
learn_clock (FkSyncClient *self, SoupMessage *msg)
{
  const char *date = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Date");
  g_autoptr (GDateTime) when = date != NULL ? soup_date_time_new_from_http_string (date) : NULL;
  gint64 offset;

  if (when == NULL)
    return;
  offset = g_date_time_to_unix (when) - device_now ();
  self->clock_offset = ABS (offset) >= CLOCK_LEARN_SECONDS ? offset : 0;
  self->clock_known = TRUE;
}

/* A refusal for the clock carries the server's time: more precise than
 * Date, and there even behind a proxy that rewrites headers. */
static gboolean
learn_server_time (FkSyncClient *self, FkSyncResponse *response)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  gsize len = 0;
  const char *data = response->body != NULL ? g_bytes_get_data (response->body, &len) : NULL;
  JsonNode *node;

  if (data == NULL || !g_utf8_validate (data, len, NULL) ||
      !fk_json_nesting_within (data, len, FK_SYNC_MAX_JSON_DEPTH) ||
      !json_parser_load_from_data (parser, data, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  node =
    json_object_get_member (json_node_get_object (json_parser_get_root (parser)), "server_time");
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  self->clock_offset = json_node_get_int (node) - device_now ();
  self->clock_known = TRUE;
  return TRUE;
}

/* libsoup 3.2 takes a 204 without Content-Length (as RFC 9110 wants it)
 * for a body ended by the connection's end, and closes the connection: the
 * next chunk would pay a new connection, over HTTPS a TLS handshake. A 204
 * has no body: say so before libsoup decides. */
static void
on_got_headers (SoupMessage *msg, gpointer user_data)
{
  SoupMessageHeaders *h = soup_message_get_response_headers (msg);

  if (soup_message_get_status (msg) == SOUP_STATUS_NO_CONTENT &&
      soup_message_headers_get_encoding (h) == SOUP_ENCODING_EOF)
    soup_message_headers_set_content_length (h, 0);
}

static FkSyncResponse *
send_once (FkSyncClient *self, const char *method, const char *target, GBytes *body,
           const char *extra_header, const char *extra_value, GCancellable *cancellable)
{
  FkSyncResponse *response = g_new0 (FkSyncResponse, 1);
  g_autofree char *url = g_strconcat (self->base, target, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GError) error = NULL;
  g_autofree char *content_sha256 = NULL;
  g_autofree char *nonce = fk_sync_nonce_new ();
  g_autofree char *signing = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *timestamp = NULL;
  guint8 sig[FK_DEVICE_SIGNATURE_BYTES];
  gint64 now = device_now () + self->clock_offset;
  SoupMessageHeaders *h;
  gsize len = 0;
  const void *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;

  if (msg == NULL)
    {
      response->message = g_strdup (_ ("The server address is not valid"));
      return response;
    }
  content_sha256 = fk_sync_sha256_hex (data != NULL ? data : "", len);
  signing = fk_sync_signing_string (method, target, content_sha256, now, nonce, self->device);
  fk_device_key_sign (self->device_key, signing, strlen (signing), sig);
  signature = g_base64_encode (sig, sizeof sig);
  timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, now);

  g_signal_connect (msg, "network-event", G_CALLBACK (on_network_event), NULL);
  /* Every request of the protocol may be repeated (chunks move the offset
   * by compare-and-set, commits are idempotent): libsoup may then send it on
   * a kept-alive connection instead of opening one (and a TLS handshake)
   * per POST and PATCH. */
  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), NULL);
  h = soup_message_get_request_headers (msg);
  soup_message_headers_replace (h, FK_SYNC_HEADER_DEVICE, self->device);
  soup_message_headers_replace (h, FK_SYNC_HEADER_TIMESTAMP, timestamp);
  soup_message_headers_replace (h, FK_SYNC_HEADER_NONCE, nonce);
  soup_message_headers_replace (h, FK_SYNC_HEADER_CONTENT_SHA256, content_sha256);
  soup_message_headers_replace (h, FK_SYNC_HEADER_SIGNATURE, signature);
  if (extra_header != NULL)
    soup_message_headers_replace (h, extra_header, extra_value);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (
      msg, strcmp (method, "PATCH") == 0 ? "application/offset+octet-stream" : "application/json",
      body);
  else if (strcmp (method, "POST") == 0 || strcmp (method, "PATCH") == 0)
    soup_message_headers_set_content_length (h, 0);

  response->body = soup_session_send_and_read (self->session, msg, cancellable, &error);
  if (response->body == NULL)
    {
      response->status = 0;
      response->message = g_strdup (error->message);
      return response;
    }
  response->status = soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  learn_clock (self, msg);
  if (response->status >= 300)
    {
      parse_error_body (response);
      if (response->message == NULL)
        response->message = g_strdup_printf (_ ("The server answered %u %s"), response->status,
                                             soup_message_get_reason_phrase (msg));
    }
  return response;
}

FkSyncResponse *
fk_sync_client_send (FkSyncClient *self, const char *method, const char *target, GBytes *body,
                     const char *extra_header, const char *extra_value, GCancellable *cancellable)
{
  gboolean clock_retried = FALSE;
  guint corrupt_retries = 0;

  for (;;)
    {
      FkSyncResponse *r =
        send_once (self, method, target, body, extra_header, extra_value, cancellable);

      if (g_cancellable_is_cancelled (cancellable))
        return r;
      if (r->status == 401 && g_strcmp0 (r->error_code, FK_SYNC_CODE_CLOCK_SKEW) == 0)
        {
          gint64 before = self->clock_offset;

          if (!clock_retried && (learn_server_time (self, r) || self->clock_offset != before))
            {
              clock_retried = TRUE;
              fk_sync_response_free (r);
              continue;
            }
          /* Still refused: say how far off the clock is, not "refused". */
          g_free (r->message);
          r->message = clock_refusal (self->clock_offset);
          return r;
        }
      if (r->status == 400 && g_strcmp0 (r->error_code, FK_SYNC_CODE_BODY_CORRUPTED) == 0 &&
          corrupt_retries < FK_SYNC_CORRUPT_RETRIES)
        {
          corrupt_retries++;
          fk_sync_response_free (r);
          continue;
        }
      return r;
    }
}
