/* fk-server-admit.c: whether to hear a request, from its headers alone
 *
 * On the HTTP thread, before any of the body is read: the connection caps,
 * a server shutting down, the route, who signed it, the rate limits, the
 * announced size. A request refused here is answered from its headers, and
 * its body is never buffered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-private.h"

#include <glib/gi18n.h>
#include <microhttpd.h>
#include <string.h>

#define RETRY_BUSY "5"

static const char *
header (struct MHD_Connection *connection, const char *name)
{
  return MHD_lookup_connection_value (connection, MHD_HEADER_KIND, name);
}

static void
find_route (FkServerRequest *req)
{
  static const struct
  {
    const char *path;
    FkServerRoute route;
  } routes[] = {
    { "/v1/blobs", FK_ROUTE_BLOBS },   { "/v1/commit", FK_ROUTE_COMMIT },
    { "/v1/pull", FK_ROUTE_PULL },     { "/v1/report", FK_ROUTE_REPORT },
    { "/v1/enroll", FK_ROUTE_ENROLL }, { "/healthz", FK_ROUTE_HEALTHZ },
    { "/metrics", FK_ROUTE_METRICS },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (routes); i++)
    if (strcmp (req->path, routes[i].path) == 0)
      {
        req->route = routes[i].route;
        req->route_name = routes[i].path;
        return;
      }
  if (strcmp (req->path, "/office") == 0 || g_str_has_prefix (req->path, "/office/"))
    {
      req->route = FK_ROUTE_OFFICE;
      req->route_name = "/office";
      return;
    }
  if (g_str_has_prefix (req->path, "/v1/blobs/"))
    {
      req->route = FK_ROUTE_BLOB;
      req->route_name = "/v1/blobs/:sha256";
      req->blob = g_strdup (req->path + strlen ("/v1/blobs/"));
    }
}

static guint64
body_limit (FkServerRequest *req)
{
  /* A phone's photo of a device's key is the largest office upload,
   * a catalog the largest other form. */
  if (req->route == FK_ROUTE_OFFICE && strcmp (req->method, "POST") != 0)
    return 0;
  if (req->route == FK_ROUTE_OFFICE)
    return strcmp (req->path, FK_OFFICE_PHOTO_PATH) == 0 ? FK_OFFICE_MAX_PHOTO_BYTES
                                                         : FK_SYNC_MAX_CHUNK_BYTES;
  if (strcmp (req->method, "PATCH") == 0)
    return FK_SYNC_MAX_CHUNK_BYTES;
  if (strcmp (req->method, "POST") == 0)
    return FK_SYNC_MAX_JSON_BYTES;
  return 0;
}

static FkServerResponse *
refuse (guint status, const char *code, const char *message, const char *retry_after)
{
  FkServerResponse *r = fk_server_response_error (status, code, message);

  if (retry_after != NULL)
    fk_server_response_add_header (r, MHD_HTTP_HEADER_RETRY_AFTER, retry_after);
  return r;
}

/* Who is asking, from the headers alone: an enrolled device whose
 * signature verifies, or nobody yet. The worker checks the rest. */
static GError *
identify (FkServer *self, FkServerRequest *req, struct MHD_Connection *connection)
{
  GError *error = NULL;

  req->auth = fk_sync_request_verify_signature (
    req->method, req->target, header (connection, FK_SYNC_HEADER_DEVICE),
    header (connection, FK_SYNC_HEADER_TIMESTAMP), header (connection, FK_SYNC_HEADER_NONCE),
    header (connection, FK_SYNC_HEADER_CONTENT_SHA256),
    header (connection, FK_SYNC_HEADER_SIGNATURE), &error);
  if (req->auth != NULL)
    req->device_name = fk_server_device_active_name (self, req->auth->device);
  return error;
}

static FkServerResponse *
check_rate (FkServer *self, FkServerRequest *req)
{
  guint wait;
  char retry[16];

  /* A device is limited on its own, whatever address its carrier gives it;
   * everything not (yet) signed by one shares its address's bucket. */
  if (req->device_name != NULL)
    wait = fk_server_buckets_take (self->device_buckets, req->auth->device);
  else
    wait = fk_server_buckets_take (self->address_buckets, req->address);
  if (wait == 0)
    return NULL;
  g_snprintf (retry, sizeof retry, "%u", wait);
  return refuse (429, "rate-limited", _ ("Too many requests; slow down"), retry);
}

static FkServerResponse *
check_body (FkServer *self, FkServerRequest *req, struct MHD_Connection *connection)
{
  const char *te = header (connection, MHD_HTTP_HEADER_TRANSFER_ENCODING);
  const char *cl = header (connection, MHD_HTTP_HEADER_CONTENT_LENGTH);
  guint64 length = 0;

  if (te != NULL && g_ascii_strcasecmp (te, "identity") != 0)
    return refuse (MHD_HTTP_LENGTH_REQUIRED, "length-required",
                   _ ("The request needs a Content-Length"), NULL);
  if (cl != NULL && !g_ascii_string_to_unsigned (cl, 10, 0, G_MAXUINT64, &length, NULL))
    return refuse (MHD_HTTP_BAD_REQUEST, "malformed", _ ("The Content-Length is not a number"),
                   NULL);
  if (length > body_limit (req) && req->route == FK_ROUTE_OFFICE)
    {
      /* An officer's browser: a page in their language, not the API's JSON. */
      req->cookie = g_strdup (header (connection, MHD_HTTP_HEADER_COOKIE));
      return fk_office_too_large (self->office, req);
    }
  if (length > body_limit (req))
    return refuse (MHD_HTTP_CONTENT_TOO_LARGE, "too-large",
                   _ ("The request body is larger than the server accepts"), NULL);
  req->expected = length;
  req->body = g_byte_array_sized_new ((guint) length);
  return NULL;
}

/**
 * fk_server_admit:
 * @over_cap: the connection is over the server's connection caps
 *
 * Everything decided before the body is read: %NULL when the request may
 * be read and handed to a worker, else the answer that refuses it.
 */
FkServerResponse *
fk_server_admit (FkServer *self, FkServerRequest *req, gboolean over_cap,
                 struct MHD_Connection *connection)
{
  g_autoptr (GError) unsigned_error = NULL;
  FkServerResponse *r;

  if (over_cap)
    return refuse (MHD_HTTP_SERVICE_UNAVAILABLE, "busy",
                   _ ("The server has too many connections right now; try again shortly"),
                   RETRY_BUSY);
  if (g_atomic_int_get (&self->stopping))
    return refuse (MHD_HTTP_SERVICE_UNAVAILABLE, "shutting-down",
                   _ ("The server is restarting; try again shortly"), "1");
  find_route (req);
  unsigned_error = identify (self, req, connection);
  if ((r = check_rate (self, req)) != NULL || (r = check_body (self, req, connection)) != NULL)
    return r;
  switch (req->route)
    {
      case FK_ROUTE_NONE:
        return refuse (MHD_HTTP_NOT_FOUND, "not-found", _ ("No such endpoint"), NULL);
      case FK_ROUTE_BLOB:
        if (!fk_sync_is_sha256_hex (req->blob))
          return refuse (MHD_HTTP_NOT_FOUND, "not-found", _ ("No such upload"), NULL);
        break;
      case FK_ROUTE_METRICS:
        {
          const union MHD_ConnectionInfo *addr =
            MHD_get_connection_info (connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

          if (addr == NULL || !fk_server_metrics_allowed (self, addr->client_addr))
            return refuse (MHD_HTTP_FORBIDDEN, "forbidden",
                           _ ("The metrics are not shown to this address"), NULL);
        }
        G_GNUC_FALLTHROUGH;
      case FK_ROUTE_HEALTHZ:
        if (strcmp (req->method, "GET") != 0 && strcmp (req->method, "HEAD") != 0)
          return refuse (MHD_HTTP_METHOD_NOT_ALLOWED, "method",
                         _ ("This method is not allowed here"), NULL);
        return NULL;
      case FK_ROUTE_OFFICE:
        if (strcmp (req->method, "GET") != 0 && strcmp (req->method, "HEAD") != 0 &&
            strcmp (req->method, "POST") != 0)
          return refuse (MHD_HTTP_METHOD_NOT_ALLOWED, "method",
                         _ ("This method is not allowed here"), NULL);
        req->cookie = g_strdup (header (connection, MHD_HTTP_HEADER_COOKIE));
        req->content_type = g_strdup (header (connection, MHD_HTTP_HEADER_CONTENT_TYPE));
        req->origin = g_strdup (header (connection, "Origin"));
        req->fetch_site = g_strdup (header (connection, "Sec-Fetch-Site"));
        req->host = g_strdup (header (connection, MHD_HTTP_HEADER_HOST));
        return NULL;
      case FK_ROUTE_BLOBS:
      case FK_ROUTE_COMMIT:
      case FK_ROUTE_PULL:
      case FK_ROUTE_REPORT:
      case FK_ROUTE_ENROLL:
      default:
        break;
    }
  if (req->auth == NULL)
    return refuse (MHD_HTTP_UNAUTHORIZED, "unauthorized", unsigned_error->message, NULL);
  req->upload_offset = g_strdup (header (connection, FK_SYNC_HEADER_OFFSET));
  return NULL;
}

guint64
fk_server_announced_body (struct MHD_Connection *connection)
{
  const char *cl = header (connection, MHD_HTTP_HEADER_CONTENT_LENGTH);
  guint64 length = 0;

  if (header (connection, MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL)
    return G_MAXUINT64;
  if (cl != NULL && !g_ascii_string_to_unsigned (cl, 10, 0, G_MAXUINT64, &length, NULL))
    return G_MAXUINT64;
  return length;
}
