/* fk-server-private.h: what the server's files share: the server, one
 * request, one answer
 *
 * fk-server.c runs the HTTP side (libmicrohttpd: connections, limits,
 * timeouts, shutdown); a request whose headers pass its checks is handed,
 * with its body, to a worker thread, which runs fk_server_api_process()
 * (fk-server-api.c) and gives back an FkServerResponse. Workers never touch
 * libmicrohttpd except to resume the connection; the HTTP threads never
 * touch the database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "fk-server-config.h"
#include "fk-server-db.h"
#include "fk-server-keys.h"
#include "fk-server-limits.h"
#include "fk-server-metrics.h"
#include "fk-server.h"
#include "fk-dossier.h"
#include "fk-sync-protocol.h"
#include "fk-vault.h"

G_BEGIN_DECLS

/* A photo of a device's key is the largest office upload. */
#define FK_OFFICE_MAX_PHOTO_BYTES (12 * 1024 * 1024)
#define FK_OFFICE_PHOTO_PATH      "/office/devices/enroll"

struct MHD_Connection;

typedef struct
{
  guint status;
  const char *content_type;
  GBytes *body;
  GPtrArray *headers; /* name, value, name, value… (owned) */
  gboolean close;     /* Connection: close */
  char *error_code;   /* for the log and the metrics */
} FkServerResponse;

FkServerResponse *fk_server_response_new (guint status);
void fk_server_response_free (FkServerResponse *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkServerResponse, fk_server_response_free)
void fk_server_response_add_header (FkServerResponse *self, const char *name, const char *value);
/* {"error": code, "message": message} */
FkServerResponse *fk_server_response_error (guint status, const char *code, const char *message);
FkServerResponse *fk_server_response_json (guint status, JsonBuilder *builder);
FkServerResponse *fk_server_response_text (guint status, const char *content_type, char *text);

typedef enum
{
  FK_ROUTE_NONE,
  FK_ROUTE_BLOBS,   /* /v1/blobs */
  FK_ROUTE_BLOB,    /* /v1/blobs/<sha256> */
  FK_ROUTE_COMMIT,  /* /v1/commit */
  FK_ROUTE_PULL,    /* /v1/pull */
  FK_ROUTE_REPORT,  /* /v1/report: handovers */
  FK_ROUTE_ENROLL,  /* /v1/enroll */
  FK_ROUTE_HEALTHZ, /* /healthz */
  FK_ROUTE_METRICS, /* /metrics */
  FK_ROUTE_OFFICE,  /* /office and below: the office's pages (fk-office.c) */
} FkServerRoute;

typedef struct _FkOffice FkOffice;

typedef struct
{
  gint ref;
  FkServer *server;
  struct MHD_Connection *connection;
  char *method;
  char *target; /* path and query exactly as sent: what the device signed */
  char *path;
  char *query;
  FkServerRoute route;
  const char *route_name;
  char *blob;
  char address[FK_SERVER_ADDRESS_KEY_SIZE];
  /* Headers, copied on the HTTP thread for the worker. */
  char *upload_offset;
  /* The office's: session and language cookies, what a form is, where a
   * POST comes from. */
  char *cookie;
  char *content_type;
  char *origin;
  char *fetch_site;
  char *host;
  FkSyncRequestAuth *auth; /* signature verified from the headers; NULL if none */
  char *device_name;       /* enrolled name, for the log */
  char *dossier;           /* for the log */
  GByteArray *body;
  guint64 expected;
  FkServerResponse *response;
  gboolean discard; /* refused: the body is read and dropped */
  gboolean queued;
  gint64 start_us;
} FkServerRequest;

typedef struct
{
  char *name;
  gboolean revoked;
  gint64 last_seen;  /* Unix time */
  gint64 saved_seen; /* what the database holds */
} FkServerDeviceInfo;

struct _FkServer
{
  FkServerDb *db;
  FkServerKeys *keys;
  FkServerConfig *config;
  FkServerMetrics *metrics;
  FkOffice *office;
  FkServerBuckets *device_buckets;
  FkServerBuckets *address_buckets;
  GPtrArray *metrics_allow; /* GInetAddressMask */

  GPtrArray *daemons; /* struct MHD_Daemon */
  GPtrArray *uris;
  GThreadPool *workers;
  GThreadPool *maintenance;
  char *tls_cert_pem;
  char *tls_key_pem;

  GMutex conn_lock;
  GHashTable *conns;       /* FkServerConn set */
  GHashTable *per_address; /* address key → open connections (GUINT_TO_POINTER) */
  guint n_conns;
  guint max_conns;
  guint max_per_address;
  gint in_flight;
  gint stopping;
  guint mhd_log_budget;
  gint64 mhd_log_window;

  GRWLock devices_lock;
  GHashTable *devices; /* pubkey → FkServerDeviceInfo */
  guint sweep_id;
  guint refresh_id;
  guint cleanup_id;
  guint office_id;
};

FkServerRequest *fk_server_request_ref (FkServerRequest *req);
void fk_server_request_unref (FkServerRequest *req);

/* fk-server-admit.c, on the HTTP thread: NULL to read the request, else
 * the answer that refuses it. */
FkServerResponse *fk_server_admit (FkServer *self, FkServerRequest *req, gboolean over_cap,
                                   struct MHD_Connection *connection);
/* The body a refused request announces: 0 for none, G_MAXUINT64 for one
 * of unknown length. */
guint64 fk_server_announced_body (struct MHD_Connection *connection);

/* fk-server-api.c, on a worker thread. */
FkServerResponse *fk_server_api_process (FkServer *self, FkServerRequest *req);
/* 401 clock-skew with the server's time. */
FkServerResponse *fk_server_clock_refused (const GError *error);

/* fk-server-enroll.c, on a worker thread: POST /v1/enroll. */
FkServerResponse *fk_server_enroll (FkServer *self, FkServerRequest *req);

/* A JSON object body (UTF-8, no NUL, bounded nesting), or NULL. */
JsonObject *fk_server_parse_object (GByteArray *body);
/* The answer to a device for a storage error. */
FkServerResponse *fk_server_db_error (const GError *error);
/* fk-server-report.c: POST /v1/report of an enrolled device of @commune. */
FkServerResponse *fk_server_report (FkServer *self, FkServerRequest *req, const char *commune);

/* fk-server-ops.c */
void fk_server_device_info_free (gpointer info);
FkServerResponse *fk_server_healthz (FkServer *self, gboolean head);
FkServerResponse *fk_server_metrics_page (FkServer *self);
gboolean fk_server_metrics_allowed (FkServer *self, const struct sockaddr *addr);
gboolean fk_server_devices_refresh (FkServer *self, GError **error);
/* The enrolled name of an active device, or NULL (unknown or revoked). */
char *fk_server_device_active_name (FkServer *self, const char *pubkey);
void fk_server_device_seen (FkServer *self, const char *pubkey, const char *name);
void fk_server_maintenance_start (FkServer *self);
void fk_server_maintenance_stop (FkServer *self);

/* fk-office.c */
FkOffice *fk_office_new (FkServer *server);
void fk_office_free (FkOffice *office);
FkServerResponse *fk_office_process (FkOffice *office, FkServerRequest *req);
/* The page refusing an office POST larger than the server reads (413),
 * decided from the headers alone. */
FkServerResponse *fk_office_too_large (FkOffice *office, FkServerRequest *req);
/* The Content-Security-Policy and the other headers of every answer
 * under /office/. */
void fk_office_add_security_headers (FkServerResponse *response);
/* fk-office-index.c: what the inbox lists and searches of a delivered
 * dossier (idempotent). */
gboolean fk_office_index_dossier (FkOffice *office, FkDossier *dossier, const char *device,
                                  const char *commune, GError **error);
/* Indexes the delivered dossiers the index lacks (a server that stopped
 * between a commit and its indexing, a database older than the office). */
gboolean fk_office_index_missing (FkOffice *office, guint *n_indexed, GError **error);
/* A device of @commune reports that @dossier's result was handed over
 * at @at (Unix time); @placed (out): it was a dossier of that commune
 * not marked handed over yet. */
gboolean fk_office_record_handover (FkOffice *office, const char *dossier, const char *commune,
                                    const char *device_name, gint64 at, gboolean *placed,
                                    GError **error);
/* The office's periodic work, on the maintenance thread: the index. */
void fk_office_maintain (FkOffice *office);

/* fk-server-check.c: the sealed dossier of a commit opens with the
 * server's key and holds a valid dossier with the manifest's UUID.
 * %FK_SYNC_ERROR_CORRUPT: it does not open; %FK_SYNC_ERROR_INVALID_ARGUMENT:
 * what it holds is not a valid dossier; else a storage error. */
gboolean fk_server_check_dossier (FkServerDb *db, const FkServerKeys *keys,
                                  const FkSyncManifest *manifest, FkDossier **dossier,
                                  GError **error);
FkDossier *fk_server_open_dossier (FkServerDb *db, const FkServerKeys *keys,
                                   const FkSyncManifest *manifest, FkVaultKey **data_key,
                                   GError **error);

G_END_DECLS
