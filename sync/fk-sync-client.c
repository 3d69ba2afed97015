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
#include "fk-sync-protocol.h"

struct _FkSyncClient
{
  SoupSession *session;
  char *base; /* without the trailing slash */
  FkDeviceKey *device_key;
  char *device;
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
      !fk_sync_json_depth_ok (data, len, FK_SYNC_MAX_JSON_DEPTH) ||
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

FkSyncResponse *
fk_sync_client_send (FkSyncClient *self, const char *method, const char *target, GBytes *body,
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
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
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
  if (response->status >= 300)
    {
      parse_error_body (response);
      if (response->message == NULL)
        response->message = g_strdup_printf (_ ("The server answered %u %s"), response->status,
                                             soup_message_get_reason_phrase (msg));
    }
  return response;
}
