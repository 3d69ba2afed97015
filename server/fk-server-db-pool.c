/* fk-server-db-pool.c: connections, leases, result cells and the schema's
 * migrations, for both backends
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-db-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fk-server-error.h"

/* A pool that has every connection out waits this long for one back
 * before the request is answered 503. */
#define ACQUIRE_WAIT_SECONDS 15

/* Each step brings the schema from the version before it; a database made
 * by any earlier server is brought up to date when it is opened. */
static const char *const migrations[] = {
  NULL, /* 1: the backend's schema_v1 */
  "ALTER TABLE blobs ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;"
  "ALTER TABLE devices ADD COLUMN last_seen BIGINT NOT NULL DEFAULT 0;"
  "CREATE INDEX IF NOT EXISTS blobs_unfinished ON blobs (complete, updated_at);",
  /* 3: the office's staff accounts, their sessions, failed logins per
   * address, and the audit trail (docs/office.md). */
  "CREATE TABLE office_users (name TEXT PRIMARY KEY, role TEXT NOT NULL,"
  " commune TEXT NOT NULL DEFAULT '', password TEXT NOT NULL,"
  " disabled INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0,"
  " last_failure BIGINT NOT NULL DEFAULT 0, locked_until BIGINT NOT NULL DEFAULT 0,"
  " created_at BIGINT NOT NULL, last_login BIGINT NOT NULL DEFAULT 0);"
  "CREATE TABLE office_sessions (token TEXT PRIMARY KEY, user_name TEXT NOT NULL,"
  " csrf TEXT NOT NULL, created BIGINT NOT NULL, last_seen BIGINT NOT NULL);"
  "CREATE INDEX office_sessions_user ON office_sessions (user_name);"
  "CREATE TABLE office_address_failures (address TEXT PRIMARY KEY,"
  " failures INTEGER NOT NULL, window_start BIGINT NOT NULL,"
  " locked_until BIGINT NOT NULL DEFAULT 0);"
  "CREATE TABLE office_audit (id @SERIAL@, at BIGINT NOT NULL, user_name TEXT NOT NULL,"
  " action TEXT NOT NULL, dossier TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"
  "CREATE INDEX office_audit_dossier ON office_audit (dossier, at);"
  "CREATE INDEX office_audit_at ON office_audit (at);",
  /* 4: the office's inbox: what it lists and searches of each delivered
   * dossier, without personal data in clear (docs/office.md), and each
   * dossier's history there. */
  "CREATE TABLE office_dossiers (dossier TEXT PRIMARY KEY, commune TEXT NOT NULL,"
  " device TEXT NOT NULL, procedure TEXT NOT NULL, visit_id TEXT NOT NULL DEFAULT '',"
  " visit_date TEXT NOT NULL DEFAULT '', hamlet TEXT NOT NULL DEFAULT '',"
  " created_at BIGINT NOT NULL, received_at BIGINT NOT NULL, state TEXT NOT NULL,"
  " state_at BIGINT NOT NULL, id_hash TEXT NOT NULL DEFAULT '', name_sealed @BLOB@,"
  " purged_at BIGINT NOT NULL DEFAULT 0, handed_over_at BIGINT NOT NULL DEFAULT 0,"
  " handed_over_by TEXT NOT NULL DEFAULT '');"
  "CREATE INDEX office_dossiers_inbox ON office_dossiers (commune, received_at);"
  "CREATE INDEX office_dossiers_received ON office_dossiers (received_at);"
  "CREATE INDEX office_dossiers_id ON office_dossiers (id_hash);"
  "CREATE TABLE office_name_tokens (token TEXT NOT NULL, dossier TEXT NOT NULL,"
  " PRIMARY KEY (token, dossier));"
  "CREATE TABLE office_history (id @SERIAL@, dossier TEXT NOT NULL, at BIGINT NOT NULL,"
  " user_name TEXT NOT NULL, event TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '');"
  "CREATE INDEX office_history_dossier ON office_history (dossier, at);",
  /* 5: what devices report besides dossiers (POST /v1/report): the state
   * of their queue, and the VNeID helps (outcome and visit, no person). */
  "ALTER TABLE devices ADD COLUMN queue_queued BIGINT NOT NULL DEFAULT -1;"
  "ALTER TABLE devices ADD COLUMN queue_quarantined BIGINT NOT NULL DEFAULT -1;"
  "ALTER TABLE devices ADD COLUMN queue_at BIGINT NOT NULL DEFAULT 0;"
  "CREATE TABLE office_vneid (id TEXT PRIMARY KEY, device TEXT NOT NULL, commune TEXT NOT NULL,"
  " visit_date TEXT NOT NULL, hamlet TEXT NOT NULL, outcome TEXT NOT NULL, at BIGINT NOT NULL);"
  "CREATE INDEX office_vneid_at ON office_vneid (at);",
  /* 6: catalog versions are whole catalogs, signed by the server; rows
   * written before (no signature) are never sent to a device again. */
  "ALTER TABLE catalog ADD COLUMN version TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE catalog ADD COLUMN signature TEXT NOT NULL DEFAULT '';"
  "CREATE UNIQUE INDEX IF NOT EXISTS catalog_versions ON catalog (version) WHERE version <> '';",
  /* 7: enrollment codes: only the token's hash is kept; used_at 0 until used */
  "CREATE TABLE IF NOT EXISTS invitations (token_sha256 TEXT PRIMARY KEY,"
  " commune TEXT NOT NULL, name TEXT NOT NULL, created_by TEXT NOT NULL,"
  " created_at TEXT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT NOT NULL DEFAULT 0,"
  " device TEXT NOT NULL DEFAULT '');",
};

/* A migration's SQL with the backend's words for @SERIAL@ and @BLOB@. */
static char *
migration_sql (const FkDbBackend *backend, guint version)
{
  g_autoptr (GString) sql = NULL;

  if (version == 1)
    return g_strdup (backend->schema_v1);
  sql = g_string_new (migrations[version - 1]);
  g_string_replace (sql, "@SERIAL@", backend->serial_key, 0);
  g_string_replace (sql, "@BLOB@", backend->blob_type, 0);
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

GBytes *
fk_db_cell_new (const void *data, gsize length)
{
  char *copy = g_malloc (length + 1);

  if (length > 0)
    memcpy (copy, data, length);
  copy[length] = '\0';
  return g_bytes_new_take (copy, length);
}

FkDbResult *
fk_db_result_new (void)
{
  FkDbResult *result = g_new0 (FkDbResult, 1);

  result->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  return result;
}

void
fk_db_result_free (FkDbResult *result)
{
  if (result == NULL)
    return;
  g_ptr_array_unref (result->rows);
  g_free (result);
}

const char *
fk_db_cell_text (FkDbResult *result, guint row, guint col)
{
  GPtrArray *r = result->rows->pdata[row];
  GBytes *cell = r->pdata[col];

  return cell != NULL ? g_bytes_get_data (cell, NULL) : NULL;
}

gint64
fk_db_cell_int (FkDbResult *result, guint row, guint col)
{
  const char *text = fk_db_cell_text (result, row, col);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}

GBytes *
fk_db_cell_bytes (FkDbResult *result, guint row, guint col)
{
  GPtrArray *r = result->rows->pdata[row];

  return r->pdata[col] != NULL ? g_bytes_ref (r->pdata[col]) : NULL;
}

static void
observe (FkDbConn *conn, gint64 start)
{
  FkServerDb *db = conn->db;

  if (db->observe != NULL)
    db->observe ((double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC, db->observe_data);
}

FkDbResult *
fk_db_query (FkDbConn *conn, const char *sql, const FkDbParam *params, guint n_params,
             GError **error)
{
  gint64 start = g_get_monotonic_time ();
  FkDbResult *result = conn->db->backend->query (conn, sql, params, n_params, error);

  observe (conn, start);
  return result;
}

gboolean
fk_db_exec (FkDbConn *conn, const char *sql, GError **error)
{
  gint64 start = g_get_monotonic_time ();
  gboolean ok = conn->db->backend->exec (conn, sql, error);

  observe (conn, start);
  return ok;
}

static FkDbConn *
conn_new (FkServerDb *db, gboolean writer, GError **error)
{
  gpointer handle = db->backend->connect (db, writer, error);
  FkDbConn *conn;

  if (handle == NULL)
    return NULL;
  conn = g_new0 (FkDbConn, 1);
  conn->db = db;
  conn->handle = handle;
  conn->writer = writer;
  return conn;
}

static void
conn_free (FkDbConn *conn)
{
  conn->db->backend->disconnect (conn->handle);
  g_free (conn);
}

FkDbConn *
fk_db_acquire (FkServerDb *db, gboolean write, GError **error)
{
  gint64 deadline = g_get_monotonic_time () + ACQUIRE_WAIT_SECONDS * G_TIME_SPAN_SECOND;
  FkDbConn *conn = NULL;

  if (write && db->backend->single_writer)
    {
      g_mutex_lock (&db->writer_lock);
      return db->writer;
    }
  g_mutex_lock (&db->lock);
  while ((conn = g_queue_pop_head (&db->idle)) == NULL && db->n_open >= db->max_open)
    if (!g_cond_wait_until (&db->cond, &db->lock, deadline))
      {
        g_mutex_unlock (&db->lock);
        g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_STORAGE,
                     _ ("Every connection to the server database is busy"));
        return NULL;
      }
  if (conn == NULL)
    db->n_open++;
  g_mutex_unlock (&db->lock);
  if (conn != NULL)
    return conn;
  /* Connecting takes time: not under the pool's lock. */
  conn = conn_new (db, FALSE, error);
  if (conn == NULL)
    {
      g_mutex_lock (&db->lock);
      db->n_open--;
      g_cond_signal (&db->cond);
      g_mutex_unlock (&db->lock);
    }
  return conn;
}

void
fk_db_release (FkDbConn *conn)
{
  FkServerDb *db;

  if (conn == NULL)
    return;
  db = conn->db;
  if (conn->writer)
    {
      g_mutex_unlock (&db->writer_lock);
      return;
    }
  g_mutex_lock (&db->lock);
  if (db->n_open > db->max_open)
    {
      db->n_open--;
      g_mutex_unlock (&db->lock);
      conn_free (conn);
      return;
    }
  g_queue_push_head (&db->idle, conn);
  g_cond_signal (&db->cond);
  g_mutex_unlock (&db->lock);
}

static gint64
schema_version (FkDbConn *conn, GError **error)
{
  g_autoptr (FkDbResult) res = NULL;

  if (!fk_db_exec (conn, "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)",
                   error))
    return -1;
  res = FK_DB_QUERY0 (conn, "SELECT coalesce(max(version), 0) FROM schema_version", error);
  return res != NULL ? fk_db_cell_int (res, 0, 0) : -1;
}

/* Runs on a fresh connection that may write, inside the caller's guard
 * against another process migrating at the same time. */
static gboolean
migrate (FkDbConn *conn, GError **error)
{
  const FkDbBackend *backend = conn->db->backend;
  gint64 version;
  gboolean ok = TRUE;

  if (backend->migrate_lock != NULL && !fk_db_exec (conn, backend->migrate_lock, error))
    return FALSE;
  if (!fk_db_exec (conn, backend->begin_write, error))
    return FALSE;
  version = schema_version (conn, error);
  if (version < 0)
    ok = FALSE;
  for (gint64 v = MAX (version, 0) + 1; ok && v <= (gint64) G_N_ELEMENTS (migrations); v++)
    {
      g_autoptr (FkDbResult) res = NULL;
      g_autofree char *sql = migration_sql (backend, (guint) v);

      ok = fk_db_exec (conn, sql, error);
      if (ok)
        res = FK_DB_QUERY (conn, "INSERT INTO schema_version (version) VALUES ($1)", error,
                           FK_DB_P_INT (v));
      ok = ok && res != NULL;
    }
  if (!ok || !fk_db_exec (conn, "COMMIT", error))
    {
      fk_db_exec (conn, "ROLLBACK", NULL);
      ok = FALSE;
    }
  if (backend->migrate_unlock != NULL)
    fk_db_exec (conn, backend->migrate_unlock, NULL);
  return ok;
}

/* (transfer full): a pool whose first connection (SQLite: the writer) is
 * open and whose schema is current. */
FkServerDb *
fk_server_db_new (const FkDbBackend *backend, const char *location, GError **error)
{
  FkServerDb *self = g_new0 (FkServerDb, 1);
  FkDbConn *first;

  self->backend = backend;
  self->location = g_strdup (location);
  self->max_open = 1;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_mutex_init (&self->writer_lock);
  first = conn_new (self, backend->single_writer, error);
  if (first == NULL || !migrate (first, error))
    {
      if (first != NULL)
        conn_free (first);
      fk_server_db_close (self);
      return NULL;
    }
  if (backend->single_writer)
    self->writer = first;
  else
    {
      self->n_open = 1;
      g_queue_push_head (&self->idle, first);
    }
  return self;
}

void
fk_server_db_close (FkServerDb *self)
{
  FkDbConn *conn;

  if (self == NULL)
    return;
  while ((conn = g_queue_pop_head (&self->idle)) != NULL)
    conn_free (conn);
  if (self->writer != NULL)
    conn_free (self->writer);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_mutex_clear (&self->writer_lock);
  g_free (self->location);
  g_free (self);
}

void
fk_server_db_set_pool_size (FkServerDb *self, guint size)
{
  g_mutex_lock (&self->lock);
  self->max_open = MAX (size, 1);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

void
fk_server_db_set_observer (FkServerDb *self, FkServerDbObserver func, gpointer user_data)
{
  self->observe = func;
  self->observe_data = user_data;
}

gboolean
fk_server_db_is_sqlite (FkServerDb *self)
{
  return self->backend->single_writer;
}

FkServerDb *
fk_server_db_open (const char *uri, GError **error)
{
  if (g_str_has_prefix (uri, "postgresql://") || g_str_has_prefix (uri, "postgres://"))
    return fk_server_db_pg_open (uri, error);
  if (g_str_has_prefix (uri, "file:"))
    {
      g_autofree char *path = g_filename_from_uri (uri, NULL, error);

      return path != NULL ? fk_server_db_sqlite_open (path, error) : NULL;
    }
  return fk_server_db_sqlite_open (uri, error);
}

gboolean
fk_server_db_ping (FkServerDb *self, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, FALSE, error);
  g_autoptr (FkDbResult) res = NULL;

  if (conn == NULL)
    return FALSE;
  res = FK_DB_QUERY0 (conn, "SELECT count(*) FROM schema_version", error);
  return res != NULL;
}

gboolean
fk_server_db_backup (FkServerDb *self, const char *out_path, GError **error)
{
  g_autoptr (FkDbConn) conn = NULL;

  if (!self->backend->single_writer)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_BACKUP,
                   _ ("“backup” copies a SQLite database; back PostgreSQL up with pg_dump or "
                      "pg_basebackup (see docs/server.md)"));
      return FALSE;
    }
  conn = fk_db_acquire (self, FALSE, error);
  return conn != NULL && fk_server_db_sqlite_backup (conn, out_path, error);
}
