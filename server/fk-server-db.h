/* fk-server-db.h: the intake server's storage, one interface over SQLite
 * (a file path) and PostgreSQL (a postgresql:// URI)
 *
 * Every operation that several server processes may race on is a single
 * statement or a transaction whose outcome the database decides (unique
 * keys, compare-and-set on the upload offset), so two processes on one
 * PostgreSQL never store a dossier twice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _FkServerDb FkServerDb;

/* Called after every database call with its duration (for the metrics). */
typedef void (*FkServerDbObserver) (double seconds, gpointer user_data);

typedef enum
{
  FK_SERVER_DEVICE_UNKNOWN,
  FK_SERVER_DEVICE_ACTIVE,
  FK_SERVER_DEVICE_REVOKED,
} FkServerDeviceState;

typedef struct
{
  char *pubkey;
  char *name;
  char *commune;
  char *created_at;
  gboolean revoked;
  gint64 last_seen; /* Unix time; 0: never */
} FkServerDevice;

typedef struct
{
  char *dossier;
  char *device;
  GBytes *manifest;
  char *manifest_sha256;
  GBytes *receipt;
  char *receipt_signature;
} FkServerCommit;

typedef struct
{
  guint64 length;
  guint64 offset;
  gboolean complete;
} FkServerBlobState;

FkServerDb *fk_server_db_open (const char *uri, GError **error);
void fk_server_db_close (FkServerDb *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkServerDb, fk_server_db_close)
/* How many connections the pool may open (SQLite: readers; the writer is
 * one more). Set before the server starts; 1 at first. */
void fk_server_db_set_pool_size (FkServerDb *self, guint size);
void fk_server_db_set_observer (FkServerDb *self, FkServerDbObserver observe, gpointer user_data);
gboolean fk_server_db_is_sqlite (FkServerDb *self);
/* One round trip: does the database answer? */
gboolean fk_server_db_ping (FkServerDb *self, GError **error);
/* A consistent copy of a SQLite database while it is in use. */
gboolean fk_server_db_backup (FkServerDb *self, const char *out_path, GError **error);

gboolean fk_server_db_device_add (FkServerDb *self, const char *pubkey, const char *name,
                                  const char *commune, GError **error);
GPtrArray *fk_server_db_device_list (FkServerDb *self, GError **error);
gboolean fk_server_db_device_revoke (FkServerDb *self, const char *pubkey, GError **error);
/* @commune, @name (out) (optional): the device's commune and enrolled name. */
FkServerDeviceState fk_server_db_device_state (FkServerDb *self, const char *pubkey, char **commune,
                                               char **name, GError **error);
void fk_server_device_free (FkServerDevice *device);
/* Records that @pubkey was seen at @when (only ever moves forward). */
gboolean fk_server_db_device_seen (FkServerDb *self, const char *pubkey, gint64 when,
                                   GError **error);

gboolean fk_server_db_nonce_use (FkServerDb *self, const char *device, const char *nonce,
                                 gint64 timestamp, gboolean *fresh, GError **error);

/* @quota: bytes this device may hold on the server, 0 for no limit; a new
 * upload beyond it fails with %FK_SYNC_ERROR_QUOTA. */
gboolean fk_server_db_blob_create (FkServerDb *self, const char *device, const char *sha256,
                                   guint64 length, guint64 quota, FkServerBlobState *state,
                                   GError **error);
gboolean fk_server_db_blob_state (FkServerDb *self, const char *device, const char *sha256,
                                  FkServerBlobState *state, GError **error);
gboolean fk_server_db_blob_append (FkServerDb *self, const char *device, const char *sha256,
                                   guint64 offset, const void *data, gsize length,
                                   FkServerBlobState *state, GError **error);
/* The whole blob in memory; fails if it is longer than @max_length. */
GBytes *fk_server_db_blob_read (FkServerDb *self, const char *device, const char *sha256,
                                guint64 max_length, GError **error);
/* Calls @func with each stored chunk in order, a few in memory at a time. */
typedef gboolean (*FkServerChunkFunc) (const guint8 *data, gsize length, gpointer user_data,
                                       GError **error);
gboolean fk_server_db_blob_foreach (FkServerDb *self, const char *device, const char *sha256,
                                    FkServerChunkFunc func, gpointer user_data, GError **error);
/* Removes uploads unfinished and untouched since @before (Unix time). */
gboolean fk_server_db_blob_remove_stale (FkServerDb *self, gint64 before, guint *n_removed,
                                         GError **error);

gboolean fk_server_db_commit_insert (FkServerDb *self, const FkServerCommit *commit,
                                     GError **error);
FkServerCommit *fk_server_db_commit_get (FkServerDb *self, const char *dossier, GError **error);
GPtrArray *fk_server_db_commit_list (FkServerDb *self, GError **error);
void fk_server_commit_free (FkServerCommit *commit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkServerCommit, fk_server_commit_free)

gboolean fk_server_db_result_add (FkServerDb *self, const char *commune, const char *dossier,
                                  const char *status, const char *note, const char *user,
                                  GError **error);
/* A published catalog version (fk-server-catalog.h publishes them). */
typedef struct
{
  gint64 seq;
  char *version;
  GBytes *body; /* the catalog as published; NULL in lists */
  char *signature;
  char *published_at;
} FkServerCatalogEntry;

void fk_server_catalog_entry_free (FkServerCatalogEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkServerCatalogEntry, fk_server_catalog_entry_free)
gboolean fk_server_db_catalog_add (FkServerDb *self, const char *version, const char *body,
                                   const char *signature, gint64 *out_seq, GError **error);
gboolean fk_server_db_catalog_latest (FkServerDb *self, gint64 after,
                                      FkServerCatalogEntry **out_entry, GError **error);
GPtrArray *fk_server_db_catalog_list (FkServerDb *self, GError **error);
char *fk_server_db_pull (FkServerDb *self, const char *commune, gint64 catalog_since,
                         gint64 results_since, GError **error);

/* Enrollment codes (fk-server-db-invite.c). */
typedef struct
{
  char *token_sha256;
  char *commune;
  char *name; /* the name the device gets */
  char *created_by;
  char *created_at;  /* ISO 8601, UTC */
  gint64 expires_at; /* Unix time */
  gint64 used_at;    /* Unix time; 0: not used */
  char *device;      /* the key of the device that used it, or "" */
} FkServerInvitation;

void fk_server_invitation_free (FkServerInvitation *invitation);
gboolean fk_server_db_invitation_add (FkServerDb *self, const char *token_sha256,
                                      const char *commune, const char *name, const char *created_by,
                                      gint64 expires_at, GError **error);
/* Newest first; @commune: only this commune's, or NULL for all. */
GPtrArray *fk_server_db_invitation_list (FkServerDb *self, const char *commune, GError **error);
/* In one transaction: marks the invitation used by @device and enrolls
 * @device with its commune and name, or changes nothing. FK_SYNC_ERROR
 * INVITATION_INVALID (no such token), INVITATION_USED, INVITATION_EXPIRED;
 * FK_SERVER_ERROR_EXISTS when the device key is enrolled already. */
gboolean fk_server_db_invitation_use (FkServerDb *self, const char *token_sha256,
                                      const char *device, gint64 now, char **commune, char **name,
                                      GError **error);

G_END_DECLS
