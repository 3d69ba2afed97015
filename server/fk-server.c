/* fk-server.c: the HTTP side of the intake API, on libmicrohttpd
 *
 * Each listen address is one libmicrohttpd daemon with a small pool of
 * epoll threads. A request goes through the checks that need its headers
 * only (fk-server-admit.c: connection caps, rate limits, sizes, the
 * signature) on that
 * thread, before any of its body is read; a refused request is answered
 * from its headers and its connection closed. A request that passes is
 * read (at most its announced, bounded length), its connection suspended,
 * and the work handed to a worker thread; the answer goes out when the
 * worker resumes the connection. So a slow database call or a 1 MiB chunk
 * being hashed holds one worker, never the threads that read sockets.
 *
 * Timeouts: libmicrohttpd closes a connection silent for idle-timeout; a
 * sweep once a second closes those whose next request's headers did not
 * arrive within header-timeout (this also ends idle keep-alive) or whose
 * body did not within body-timeout, however slowly they trickle.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-private.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <microhttpd.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fk-server-service.h"
#include "fk-server-error.h"

/* Each connection's memory for its headers and read buffer: ample for the
 * protocol's headers, bounded for thousands of idle connections. */
#define CONNECTION_MEMORY (32 * 1024)
#define LISTEN_BACKLOG    1024
/* A refused request's body up to this size is read and dropped before the
 * answer; a larger one is not read at all. */
#define LINGER_BYTES       (2 * FK_SYNC_MAX_CHUNK_BYTES)
#define MHD_LOG_PER_MINUTE 20

typedef enum
{
  CONN_WAIT_HEADERS, /* since connected, or since the last answer went out */
  CONN_BODY,         /* since the headers */
  CONN_BUSY,         /* a worker has it, or the answer is going out */
} ConnPhase;

typedef struct
{
  struct MHD_Connection *mhd;
  int fd;
  char address[FK_SERVER_ADDRESS_KEY_SIZE];
  gboolean over_cap;
  gboolean cut;
  ConnPhase phase;
  gint64 since_us;
  char *target; /* the request line's target, until the request is made */
} FkServerConn;

static FkServerRequest *
request_new (FkServer *self, struct MHD_Connection *connection, FkServerConn *conn,
             const char *method)
{
  FkServerRequest *req = g_new0 (FkServerRequest, 1);
  char *query;

  req->ref = 1;
  req->server = self;
  req->connection = connection;
  req->method = g_strdup (method);
  req->target =
    conn != NULL && conn->target != NULL ? g_steal_pointer (&conn->target) : g_strdup ("/");
  req->path = g_strdup (req->target);
  query = strchr (req->path, '?');
  if (query != NULL)
    {
      *query = '\0';
      req->query = g_strdup (query + 1);
    }
  if (conn != NULL)
    g_strlcpy (req->address, conn->address, sizeof req->address);
  req->start_us = g_get_monotonic_time ();
  return req;
}

static FkServerConn *
conn_of (struct MHD_Connection *connection)
{
  const union MHD_ConnectionInfo *info =
    MHD_get_connection_info (connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

  return info != NULL ? info->socket_context : NULL;
}

static void
set_phase (FkServer *self, FkServerConn *conn, ConnPhase phase)
{
  if (conn == NULL)
    return;
  g_mutex_lock (&self->conn_lock);
  conn->phase = phase;
  conn->since_us = g_get_monotonic_time ();
  g_mutex_unlock (&self->conn_lock);
}

static void
on_connection (void *cls, struct MHD_Connection *connection, void **socket_context,
               enum MHD_ConnectionNotificationCode code)
{
  FkServer *self = cls;
  FkServerConn *conn;

  if (code == MHD_CONNECTION_NOTIFY_STARTED)
    {
      const union MHD_ConnectionInfo *fd =
        MHD_get_connection_info (connection, MHD_CONNECTION_INFO_CONNECTION_FD);
      const union MHD_ConnectionInfo *addr =
        MHD_get_connection_info (connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
      guint per_address;

      conn = g_new0 (FkServerConn, 1);
      conn->mhd = connection;
      conn->fd = fd != NULL ? fd->connect_fd : -1;
      fk_server_address_key (addr != NULL ? addr->client_addr : NULL, conn->address);
      conn->phase = CONN_WAIT_HEADERS;
      conn->since_us = g_get_monotonic_time ();
      g_mutex_lock (&self->conn_lock);
      per_address = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, conn->address)) + 1;
      g_hash_table_insert (self->per_address, g_strdup (conn->address),
                           GUINT_TO_POINTER (per_address));
      self->n_conns++;
      conn->over_cap = self->n_conns > self->max_conns || per_address > self->max_per_address;
      g_hash_table_add (self->conns, conn);
      g_mutex_unlock (&self->conn_lock);
      *socket_context = conn;
      return;
    }
  conn = *socket_context;
  if (conn == NULL)
    return;
  /* libmicrohttpd closes the socket after this returns: under the lock,
   * the sweep can no longer shut down an fd number that gets reused. */
  g_mutex_lock (&self->conn_lock);
  g_hash_table_remove (self->conns, conn);
  self->n_conns--;
  {
    guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, conn->address));

    if (n <= 1)
      g_hash_table_remove (self->per_address, conn->address);
    else
      g_hash_table_insert (self->per_address, g_strdup (conn->address), GUINT_TO_POINTER (n - 1));
  }
  g_mutex_unlock (&self->conn_lock);
  g_free (conn->target);
  g_free (conn);
  *socket_context = NULL;
}

/* The request line's target exactly as sent: the signature covers it. */
static void *
on_uri (void *cls, const char *uri, struct MHD_Connection *connection)
{
  FkServerConn *conn = conn_of (connection);

  if (conn != NULL)
    {
      g_free (conn->target);
      conn->target = g_strdup (uri);
    }
  return NULL;
}

static void
log_request (FkServer *self, FkServerRequest *req, enum MHD_RequestTerminationCode toe)
{
  guint status = req->response != NULL ? req->response->status : 0;
  FkServerRequestLog entry = {
    .method = req->method,
    .route = req->route_name != NULL ? req->route_name : "other",
    .status = status,
    .error_code = req->response != NULL ? req->response->error_code : NULL,
    .device = req->device_name,
    .dossier = req->dossier,
    .duration_ms = (double) (g_get_monotonic_time () - req->start_us) / 1000.0,
    .bytes_in = req->body != NULL ? req->body->len : 0,
  };

  if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
    entry.error_code = "aborted";
  fk_server_metrics_request (self->metrics, entry.route, req->method, status);
  fk_server_metrics_add_bytes (self->metrics, entry.bytes_in);
  if (self->config->log_requests)
    fk_server_log_request (&entry);
}

static void
on_completed (void *cls, struct MHD_Connection *connection, void **con_cls,
              enum MHD_RequestTerminationCode toe)
{
  FkServer *self = cls;
  FkServerRequest *req = *con_cls;

  set_phase (self, conn_of (connection), CONN_WAIT_HEADERS);
  if (req == NULL)
    return;
  log_request (self, req, toe);
  g_atomic_int_add (&self->in_flight, -1);
  fk_server_request_unref (req);
  *con_cls = NULL;
}

static void on_mhd_log (void *cls, const char *format, va_list ap) G_GNUC_PRINTF (2, 0);

static void
on_mhd_log (void *cls, const char *format, va_list ap)
{
  FkServer *self = cls;
  g_autofree char *text = g_strdup_vprintf (format, ap);
  gint64 now = g_get_monotonic_time ();
  gboolean show;

  /* A flood of broken clients must not flood the journal. */
  g_mutex_lock (&self->conn_lock);
  if (now - self->mhd_log_window > 60 * G_USEC_PER_SEC)
    {
      self->mhd_log_window = now;
      self->mhd_log_budget = MHD_LOG_PER_MINUTE;
    }
  show = self->mhd_log_budget > 0;
  if (show)
    self->mhd_log_budget--;
  g_mutex_unlock (&self->conn_lock);
  if (show)
    g_message ("http: %s", g_strchomp (text));
}

static enum MHD_Result
queue_response (struct MHD_Connection *connection, FkServerRequest *req)
{
  FkServerResponse *r = req->response;
  gsize len = 0;
  const void *data = r->body != NULL ? g_bytes_get_data (r->body, &len) : NULL;
  struct MHD_Response *response =
    MHD_create_response_from_buffer (len, (void *) data, MHD_RESPMEM_MUST_COPY);
  enum MHD_Result ret;

  if (response == NULL)
    return MHD_NO;
  if (strcmp (req->path, "/office") == 0 || g_str_has_prefix (req->path, "/office/"))
    fk_office_add_security_headers (r);
  for (guint i = 0; i + 1 < r->headers->len; i += 2)
    MHD_add_response_header (response, r->headers->pdata[i], r->headers->pdata[i + 1]);
  if (r->content_type != NULL)
    MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
  if (r->close)
    MHD_add_response_header (response, MHD_HTTP_HEADER_CONNECTION, "close");
  ret = MHD_queue_response (connection, r->status, response);
  MHD_destroy_response (response);
  return ret;
}

static enum MHD_Result
answer_now (FkServerRequest *req, struct MHD_Connection *connection)
{
  req->queued = TRUE;
  return queue_response (connection, req);
}

static enum MHD_Result
on_headers (FkServer *self, struct MHD_Connection *connection, const char *method, void **con_cls)
{
  FkServerConn *conn = conn_of (connection);
  FkServerRequest *req = request_new (self, connection, conn, method);

  *con_cls = req;
  g_atomic_int_inc (&self->in_flight);
  req->response = fk_server_admit (self, req, conn != NULL && conn->over_cap, connection);
  if (req->response != NULL)
    {
      guint64 body = fk_server_announced_body (connection);

      /* Refused from the headers. A small body (or none) is let through
       * and dropped unstored, so that a client still sending it reads the
       * answer instead of a reset, and the connection stays usable (an
       * answer queued before the body would close it); anything larger is
       * never read: the answer goes out at once, then the connection is
       * closed. */
      if (body <= LINGER_BYTES)
        {
          req->discard = TRUE;
          if (req->response->status >= 500)
            req->response->close = TRUE;
          set_phase (self, conn, body > 0 ? CONN_BODY : CONN_BUSY);
          return MHD_YES;
        }
      req->response->close = TRUE;
      set_phase (self, conn, CONN_BUSY);
      return answer_now (req, connection);
    }
  set_phase (self, conn, req->expected > 0 ? CONN_BODY : CONN_BUSY);
  return MHD_YES;
}

static void
work (gpointer data, gpointer user_data)
{
  FkServerRequest *req = data;
  FkServerResponse *response = fk_server_api_process (req->server, req);

  req->response = response;
  MHD_resume_connection (req->connection);
  fk_server_request_unref (req);
}

static enum MHD_Result
on_access (void *cls, struct MHD_Connection *connection, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
  FkServer *self = cls;
  FkServerRequest *req = *con_cls;

  if (req == NULL)
    return on_headers (self, connection, method, con_cls);
  if (req->queued || (req->discard && *upload_data_size > 0))
    {
      /* Refused: a body that still comes is dropped unstored. */
      *upload_data_size = 0;
      return MHD_YES;
    }
  if (req->response != NULL)
    return answer_now (req, connection);
  if (*upload_data_size > 0)
    {
      if (req->body->len + *upload_data_size > req->expected)
        return MHD_NO;
      g_byte_array_append (req->body, (const guint8 *) upload_data, (guint) *upload_data_size);
      *upload_data_size = 0;
      return MHD_YES;
    }
  set_phase (self, conn_of (connection), CONN_BUSY);
  if (req->route == FK_ROUTE_METRICS)
    {
      req->response = fk_server_metrics_page (self);
      return answer_now (req, connection);
    }
  MHD_suspend_connection (connection);
  g_thread_pool_push (self->workers, fk_server_request_ref (req), NULL);
  return MHD_YES;
}

/* Closes connections whose headers or body take too long, however slowly
 * they trickle. shutdown() and not close(): libmicrohttpd sees the end of
 * the stream and cleans up the connection itself. */
static gboolean
sweep (gpointer user_data)
{
  FkServer *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 header_limit = (gint64) self->config->header_timeout * G_USEC_PER_SEC;
  gint64 body_limit_us = (gint64) self->config->body_timeout * G_USEC_PER_SEC;
  GHashTableIter iter;
  gpointer key;
  guint headers = 0, bodies = 0;

  g_mutex_lock (&self->conn_lock);
  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      FkServerConn *conn = key;
      gboolean late = (conn->phase == CONN_WAIT_HEADERS && now - conn->since_us > header_limit) ||
                      (conn->phase == CONN_BODY && now - conn->since_us > body_limit_us);

      if (!late || conn->cut || conn->fd < 0)
        continue;
      conn->cut = TRUE;
      if (conn->phase == CONN_BODY)
        bodies++;
      else
        headers++;
      shutdown (conn->fd, SHUT_RDWR);
    }
  g_mutex_unlock (&self->conn_lock);
  for (guint i = 0; i < headers; i++)
    fk_server_metrics_timeout (self->metrics, "header");
  for (guint i = 0; i < bodies; i++)
    fk_server_metrics_timeout (self->metrics, "body");
  return G_SOURCE_CONTINUE;
}

static void
observe_db (double seconds, gpointer user_data)
{
  fk_server_metrics_db_call (user_data, seconds);
}

FkServer *
fk_server_new (FkServerDb *db, FkServerKeys *keys, FkServerConfig *config)
{
  FkServer *self = g_new0 (FkServer, 1);

  self->db = db;
  self->keys = keys;
  self->config = config;
  self->metrics = fk_server_metrics_new ();
  self->device_buckets = fk_server_buckets_new (config->rate_limit, config->burst, 100000);
  self->address_buckets =
    fk_server_buckets_new (config->address_rate_limit, config->address_burst, 100000);
  self->metrics_allow = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; config->metrics_allow != NULL && config->metrics_allow[i] != NULL; i++)
    {
      GInetAddressMask *mask = g_inet_address_mask_new_from_string (config->metrics_allow[i], NULL);

      if (mask != NULL)
        g_ptr_array_add (self->metrics_allow, mask);
    }
  self->daemons = g_ptr_array_new ();
  self->uris = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&self->conn_lock);
  self->conns = g_hash_table_new (NULL, NULL);
  self->per_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_rw_lock_init (&self->devices_lock);
  self->devices =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, fk_server_device_info_free);
  fk_server_db_set_observer (db, observe_db, self->metrics);
  fk_server_db_set_pool_size (db, config->db_connections);
  self->office = fk_office_new (self);
  return self;
}

/* Connections and their fds: every connection costs one, and the caps are
 * kept below what the process may open, so the server answers "busy"
 * rather than failing to accept. */
static guint
fd_budget (FkServer *self, guint n_daemons)
{
  struct rlimit rl;
  guint reserve;
  rlim_t soft;

  if (getrlimit (RLIMIT_NOFILE, &rl) != 0)
    return G_MAXUINT;
  if (rl.rlim_cur < rl.rlim_max)
    {
      rl.rlim_cur = rl.rlim_max;
      setrlimit (RLIMIT_NOFILE, &rl);
      getrlimit (RLIMIT_NOFILE, &rl);
    }
  soft = rl.rlim_cur;
  /* stdio, logs, the key and TLS files, epoll and wake-up fds per thread,
   * three fds per SQLite connection (database, WAL, shared memory). */
  reserve = 24 + 4 * self->config->io_threads * n_daemons + 3 * (self->config->db_connections + 1);
  if (soft == RLIM_INFINITY || soft > G_MAXUINT)
    return G_MAXUINT;
  return (guint) soft > reserve + 32 ? (guint) soft - reserve : 32;
}

static void
set_caps (FkServer *self, guint n_daemons)
{
  guint budget = fd_budget (self, n_daemons);
  guint band;

  self->max_conns = self->config->max_connections;
  self->max_per_address = self->config->max_connections_per_address;
  band = MAX (8, MIN (self->max_conns, budget) / 16);
  if (self->max_conns + band > budget)
    {
      self->max_conns = budget > 2 * band ? budget - band : budget / 2;
      g_message ("at most %u connections: the process may open %u more files (LimitNOFILE)",
                 self->max_conns, budget);
    }
  self->max_per_address = MIN (self->max_per_address, self->max_conns);
}

static gboolean
parse_listen (const char *host_port, GSocketAddress **out, char **uri_host, GError **error)
{
  g_autoptr (GSocketConnectable) connectable = g_network_address_parse (host_port, 0, error);
  g_autoptr (GSocketAddressEnumerator) enumerator = NULL;
  const char *host;

  if (connectable == NULL)
    return FALSE;
  enumerator = g_socket_connectable_enumerate (connectable);
  *out = g_socket_address_enumerator_next (enumerator, NULL, error);
  if (*out == NULL)
    return FALSE;
  host = g_network_address_get_hostname (G_NETWORK_ADDRESS (connectable));
  *uri_host = strchr (host, ':') != NULL ? g_strdup_printf ("[%s]", host) : g_strdup (host);
  return TRUE;
}

static struct MHD_Daemon *
start_daemon (FkServer *self, GSocketAddress *address, guint hard_limit, GError **error)
{
  struct sockaddr_storage sa;
  unsigned int flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
  guint per_ip = MIN (self->max_per_address + MAX (8u, self->max_per_address / 16), hard_limit);
  struct MHD_OptionItem tls[] = {
    { MHD_OPTION_HTTPS_MEM_KEY, 0, self->tls_key_pem },
    { MHD_OPTION_HTTPS_MEM_CERT, 0, self->tls_cert_pem },
    { MHD_OPTION_HTTPS_PRIORITIES, 0, (void *) "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2" },
    { MHD_OPTION_END, 0, NULL },
  };
  struct MHD_OptionItem none[] = { { MHD_OPTION_END, 0, NULL } };
  struct MHD_Daemon *daemon;

  if (!g_socket_address_to_native (address, &sa, sizeof sa, error))
    return NULL;
  if (g_socket_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    flags |= MHD_USE_IPv6;
  if (self->tls_cert_pem != NULL)
    flags |= MHD_USE_TLS;
  daemon = MHD_start_daemon (
    flags, 0, NULL, NULL, on_access, self, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, self,
    MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned int) 1,
    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int) LISTEN_BACKLOG, MHD_OPTION_THREAD_POOL_SIZE,
    (unsigned int) self->config->io_threads, MHD_OPTION_CONNECTION_LIMIT, (unsigned int) hard_limit,
    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int) per_ip, MHD_OPTION_CONNECTION_TIMEOUT,
    (unsigned int) self->config->idle_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
    (size_t) CONNECTION_MEMORY, MHD_OPTION_URI_LOG_CALLBACK, on_uri, self,
    MHD_OPTION_NOTIFY_CONNECTION, on_connection, self, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
    self, MHD_OPTION_ARRAY, self->tls_cert_pem != NULL ? tls : none, MHD_OPTION_END);
  if (daemon == NULL)
    {
      g_autofree char *text = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (address));

      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_LISTEN,
                   _ ("Cannot listen on %s (in use, or not an address of this machine)"), text);
    }
  return daemon;
}

static gboolean
load_tls (FkServer *self, GError **error)
{
  if (self->config->tls_cert == NULL)
    return TRUE;
  if (!MHD_is_feature_supported (MHD_FEATURE_TLS))
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_LISTEN,
                   _ ("This libmicrohttpd was built without TLS"));
      return FALSE;
    }
  return g_file_get_contents (self->config->tls_cert, &self->tls_cert_pem, NULL, error) &&
         g_file_get_contents (self->config->tls_key, &self->tls_key_pem, NULL, error);
}

gboolean
fk_server_start (FkServer *self, GError **error)
{
  guint n = g_strv_length (self->config->listen);
  guint hard_limit;

  if (!load_tls (self, error) || !fk_server_devices_refresh (self, error))
    return FALSE;
  set_caps (self, n);
  /* Above the soft caps, a band of connections that get the 503. */
  hard_limit = (self->max_conns + MAX (8u, self->max_conns / 16)) / n;
  self->workers = g_thread_pool_new (work, self, (int) self->config->workers, FALSE, error);
  if (self->workers == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GSocketAddress) address = NULL;
      g_autofree char *host = NULL;
      struct MHD_Daemon *daemon;
      const union MHD_DaemonInfo *port;

      if (!parse_listen (self->config->listen[i], &address, &host, error))
        return FALSE;
      daemon = start_daemon (self, address, MAX (hard_limit, 16u), error);
      if (daemon == NULL)
        return FALSE;
      g_ptr_array_add (self->daemons, daemon);
      port = MHD_get_daemon_info (daemon, MHD_DAEMON_INFO_BIND_PORT);
      g_ptr_array_add (self->uris, g_strdup_printf ("%s://%s:%u/",
                                                    self->tls_cert_pem != NULL ? "https" : "http",
                                                    host, port != NULL ? port->port : 0));
    }
  g_ptr_array_add (self->uris, NULL);
  self->sweep_id = g_timeout_add_seconds (1, sweep, self);
  fk_server_maintenance_start (self);
  return TRUE;
}

const char *const *
fk_server_get_uris (FkServer *self)
{
  return (const char *const *) self->uris->pdata;
}

void
fk_server_begin_shutdown (FkServer *self)
{
  if (g_atomic_int_exchange (&self->stopping, TRUE))
    return;
  for (guint i = 0; i < self->daemons->len; i++)
    {
      MHD_socket fd = MHD_quiesce_daemon (self->daemons->pdata[i]);

      if (fd != MHD_INVALID_SOCKET)
        close (fd);
    }
  fk_server_maintenance_stop (self);
}

guint
fk_server_in_flight (FkServer *self)
{
  return (guint) MAX (g_atomic_int_get (&self->in_flight), 0);
}

void
fk_server_free (FkServer *self)
{
  if (self == NULL)
    return;
  g_clear_handle_id (&self->sweep_id, g_source_remove);
  fk_server_maintenance_stop (self);
  /* Workers finish what they hold and resume their connections before
   * the daemons stop. */
  if (self->workers != NULL)
    g_thread_pool_free (self->workers, FALSE, TRUE);
  for (guint i = 0; i < self->daemons->len; i++)
    MHD_stop_daemon (self->daemons->pdata[i]);
  g_ptr_array_unref (self->daemons);
  g_ptr_array_unref (self->uris);
  fk_server_metrics_free (self->metrics);
  fk_office_free (self->office);
  fk_server_buckets_free (self->device_buckets);
  fk_server_buckets_free (self->address_buckets);
  g_ptr_array_unref (self->metrics_allow);
  g_hash_table_unref (self->conns);
  g_hash_table_unref (self->per_address);
  g_mutex_clear (&self->conn_lock);
  g_hash_table_unref (self->devices);
  g_rw_lock_clear (&self->devices_lock);
  g_free (self->tls_cert_pem);
  if (self->tls_key_pem != NULL)
    memset (self->tls_key_pem, 0, strlen (self->tls_key_pem));
  g_free (self->tls_key_pem);
  g_free (self);
}
