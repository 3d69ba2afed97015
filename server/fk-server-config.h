/* fk-server-config.h: what `fieldkit-server serve` runs with
 *
 * Read from a key file (--config FILE, by default
 * /etc/fieldkit/server.conf when it exists), group [server]; every key has
 * a command-line option of the same name that overrides it. docs/server.md
 * lists the keys.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FK_SERVER_DEFAULT_CONFIG "/etc/fieldkit/server.conf"
#define FK_SERVER_CONFIG_GROUP   "server"

typedef struct
{
  char *db_uri;   /* "database" */
  char *keys_dir; /* "keys" */
  char **listen;  /* HOST:PORT, one daemon each */
  char *tls_cert;
  char *tls_key;
  char *public_url; /* "public-url": the address devices reach, put in enrollment codes */

  guint io_threads;     /* threads reading and writing sockets (epoll each) */
  guint workers;        /* threads that verify, hash and talk to the database */
  guint db_connections; /* PostgreSQL pool; SQLite: readers (one writer besides) */

  guint max_connections;             /* above: 503 with Retry-After */
  guint max_connections_per_address; /* above: 503 with Retry-After */
  guint idle_timeout;                /* seconds without a byte either way */
  guint header_timeout;              /* seconds for a request's headers, from the end of the last */
  guint body_timeout;                /* seconds for a request's body, from its headers */
  guint shutdown_timeout;            /* seconds SIGTERM waits for requests in flight */

  double rate_limit; /* requests per second per enrolled device; 0: none */
  double burst;
  double address_rate_limit; /* per address, requests not signed by an enrolled device */
  double address_burst;

  guint64 device_quota_mib;  /* bytes a device may store on the server; 0: no limit */
  double stale_upload_hours; /* unfinished uploads older than this are removed; 0: never */
  char **metrics_allow;      /* addresses or networks (CIDR) that may read /metrics */
  gboolean log_requests;     /* one log entry per request */
  gboolean practice;         /* a practice server: only dossiers marked practice */

  /* The office (docs/office.md). */
  double office_session_idle_minutes; /* a session ends after this long unused */
  guint office_lockout_failures;      /* wrong passwords in a row that lock an account */
  double office_lockout_minutes;      /* how long a lockout lasts */
  guint office_address_failures;      /* wrong passwords from one address that lock it */
  gboolean office_secure_cookie;      /* Secure cookies without TLS here (behind a TLS proxy) */
  double office_retention_days;       /* photos and fingerprint go this long after handover */
} FkServerConfig;

FkServerConfig *fk_server_config_new (void);
/* Fills @self from @path; a missing file is an error only if @required. */
gboolean fk_server_config_load (FkServerConfig *self, const char *path, gboolean required,
                                GError **error);
gboolean fk_server_config_check (FkServerConfig *self, GError **error);
void fk_server_config_free (FkServerConfig *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkServerConfig, fk_server_config_free)

G_END_DECLS
