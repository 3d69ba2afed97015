/* fk-server-db-private.h: what the two storage backends implement, and the
 * connection pool both share
 *
 * SQLite: one writer connection (a lease on it is exclusive, so writes are
 * serialised in this process as SQLite serialises them anyway) and a pool
 * of read connections, which WAL lets run beside the writer. PostgreSQL:
 * one pool of equal connections. A lease is taken per operation and given
 * back at its end, never held across a request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-server-db.h"

G_BEGIN_DECLS

typedef enum
{
  FK_DB_TEXT,
  FK_DB_INT,
  FK_DB_BLOB,
} FkDbType;

typedef struct
{
  FkDbType type;
  const char *text;
  gint64 integer;
  const void *data;
  gsize length;
} FkDbParam;

#define FK_DB_P_TEXT(s)             \
  {                                 \
    .type = FK_DB_TEXT, .text = (s) \
  }
#define FK_DB_P_INT(i)                \
  {                                   \
    .type = FK_DB_INT, .integer = (i) \
  }
#define FK_DB_P_BLOB(d, len)                         \
  {                                                  \
    .type = FK_DB_BLOB, .data = (d), .length = (len) \
  }

/* rows: GPtrArray of rows, each a GPtrArray of GBytes (NULL for SQL NULL),
 * NUL-terminated beyond their size so text cells read as strings. */
typedef struct
{
  GPtrArray *rows;
  guint64 changes;
} FkDbResult;

typedef struct _FkDbConn FkDbConn;

struct _FkDbConn
{
  FkServerDb *db;
  gpointer handle;
  gboolean writer;
};

typedef struct
{
  /* SQL uses $1, $2… in both backends */
  FkDbResult *(*query) (FkDbConn *conn, const char *sql, const FkDbParam *params, guint n_params,
                        GError **error);
  gboolean (*exec) (FkDbConn *conn, const char *sql, GError **error);
  gpointer (*connect) (FkServerDb *db, gboolean writer, GError **error);
  void (*disconnect) (gpointer handle);
  /* The tables of schema version 1, as the first server made them. */
  const char *schema_v1;
  /* What later migrations write as @SERIAL@ (an integer key the database
   * numbers) and @BLOB@ (bytes). */
  const char *serial_key;
  const char *blob_type;
  /* Around a migration, so processes starting together take turns (NULL:
   * begin_write is enough). */
  const char *migrate_lock;
  const char *migrate_unlock;
  const char *begin_write;
  /* Chunks and nonces need no flush to disk: a client always asks the
   * offset again, and every request is idempotent. A commit (the receipt)
   * does, between these two statements. */
  const char *durable_on;
  const char *durable_off;
  gboolean single_writer; /* SQLite: writes go through one connection */
} FkDbBackend;

struct _FkServerDb
{
  const FkDbBackend *backend;
  char *location; /* file path or postgresql:// URI */
  GMutex lock;
  GCond cond;
  GQueue idle; /* FkDbConn: readers (SQLite) or every connection (PostgreSQL) */
  guint n_open;
  guint max_open;
  FkDbConn *writer; /* SQLite only */
  GMutex writer_lock;
  FkServerDbObserver observe;
  gpointer observe_data;
};

FkServerDb *fk_server_db_new (const FkDbBackend *backend, const char *location, GError **error);
FkServerDb *fk_server_db_sqlite_open (const char *path, GError **error);
FkServerDb *fk_server_db_pg_open (const char *uri, GError **error);
gboolean fk_server_db_sqlite_backup (FkDbConn *conn, const char *out_path, GError **error);

/* A lease on a connection; @write: one that may write. */
FkDbConn *fk_db_acquire (FkServerDb *db, gboolean write, GError **error);
void fk_db_release (FkDbConn *conn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkDbConn, fk_db_release)

FkDbResult *fk_db_query (FkDbConn *conn, const char *sql, const FkDbParam *params, guint n_params,
                         GError **error);
gboolean fk_db_exec (FkDbConn *conn, const char *sql, GError **error);

FkDbResult *fk_db_result_new (void);
void fk_db_result_free (FkDbResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkDbResult, fk_db_result_free)
GBytes *fk_db_cell_new (const void *data, gsize length);
const char *fk_db_cell_text (FkDbResult *result, guint row, guint col);
gint64 fk_db_cell_int (FkDbResult *result, guint row, guint col);
GBytes *fk_db_cell_bytes (FkDbResult *result, guint row, guint col);

#define FK_DB_QUERY(conn, sql, error, ...)                       \
  ({                                                             \
    const FkDbParam _p[] = { __VA_ARGS__ };                      \
    fk_db_query ((conn), (sql), _p, G_N_ELEMENTS (_p), (error)); \
  })
#define FK_DB_QUERY0(conn, sql, error) fk_db_query ((conn), (sql), NULL, 0, (error))

G_END_DECLS
