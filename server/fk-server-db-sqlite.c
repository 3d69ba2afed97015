/* fk-server-db-sqlite.c: the intake server's storage in one SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-db-private.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <sqlite3.h>

#include "fk-sync-error.h"

static const char schema[] =
  "CREATE TABLE IF NOT EXISTS devices (pubkey TEXT PRIMARY KEY, name TEXT NOT NULL,"
  " commune TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL,"
  " revoked INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE IF NOT EXISTS nonces (device TEXT NOT NULL, nonce TEXT NOT NULL,"
  " ts BIGINT NOT NULL, PRIMARY KEY (device, nonce));"
  "CREATE TABLE IF NOT EXISTS blobs (device TEXT NOT NULL, sha256 TEXT NOT NULL,"
  " length BIGINT NOT NULL, received BIGINT NOT NULL DEFAULT 0,"
  " complete INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (device, sha256));"
  "CREATE TABLE IF NOT EXISTS chunks (device TEXT NOT NULL, sha256 TEXT NOT NULL,"
  " off BIGINT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (device, sha256, off));"
  "CREATE TABLE IF NOT EXISTS dossiers (dossier TEXT PRIMARY KEY, device TEXT NOT NULL,"
  " manifest BLOB NOT NULL, manifest_sha256 TEXT NOT NULL, receipt BLOB NOT NULL,"
  " receipt_signature TEXT NOT NULL, created_at TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS results (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  " commune TEXT NOT NULL, dossier TEXT NOT NULL, status TEXT NOT NULL, note TEXT NOT NULL,"
  " created_at TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS catalog (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  " body TEXT NOT NULL, created_at TEXT NOT NULL);";

static gboolean
sqlite_fail (sqlite3 *db, GError **error)
{
  g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_STORAGE, _ ("The server database failed: %s"),
               sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
sqlite_exec (FkServerDb *self, const char *sql, GError **error)
{
  if (sqlite3_exec (self->handle, sql, NULL, NULL, NULL) != SQLITE_OK)
    return sqlite_fail (self->handle, error);
  return TRUE;
}

static FkDbResult *
sqlite_query (FkServerDb *self, const char *sql, const FkDbParam *params, guint n_params,
              GError **error)
{
  sqlite3 *db = self->handle;
  sqlite3_stmt *stmt = NULL;
  g_autoptr (FkDbResult) result = fk_db_result_new ();
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sqlite_fail (db, error);
      return NULL;
    }
  for (guint i = 0; i < n_params; i++)
    {
      char name[16];
      int index;

      g_snprintf (name, sizeof name, "$%u", i + 1);
      index = sqlite3_bind_parameter_index (stmt, name);
      if (index == 0)
        continue;
      switch (params[i].type)
        {
          case FK_DB_TEXT:
            rc = params[i].text == NULL
                   ? sqlite3_bind_null (stmt, index)
                   : sqlite3_bind_text (stmt, index, params[i].text, -1, SQLITE_TRANSIENT);
            break;
          case FK_DB_INT:
            rc = sqlite3_bind_int64 (stmt, index, params[i].integer);
            break;
          case FK_DB_BLOB:
          default:
            rc =
              sqlite3_bind_blob64 (stmt, index, params[i].data, params[i].length, SQLITE_TRANSIENT);
            break;
        }
      if (rc != SQLITE_OK)
        {
          sqlite_fail (db, error);
          sqlite3_finalize (stmt);
          return NULL;
        }
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int n = sqlite3_column_count (stmt);
      GPtrArray *row = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

      for (int c = 0; c < n; c++)
        {
          int type = sqlite3_column_type (stmt, c);

          if (type == SQLITE_NULL)
            g_ptr_array_add (row, NULL);
          else if (type == SQLITE_BLOB)
            g_ptr_array_add (
              row, fk_db_cell_new (sqlite3_column_blob (stmt, c), sqlite3_column_bytes (stmt, c)));
          else
            g_ptr_array_add (
              row, fk_db_cell_new (sqlite3_column_text (stmt, c), sqlite3_column_bytes (stmt, c)));
        }
      g_ptr_array_add (result->rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      sqlite_fail (db, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  result->changes = sqlite3_changes (db);
  sqlite3_finalize (stmt);
  return g_steal_pointer (&result);
}

static void
sqlite_close (FkServerDb *self)
{
  sqlite3_close (self->handle);
}

static const FkDbBackend sqlite_backend = {
  .query = sqlite_query,
  .exec = sqlite_exec,
  .close = sqlite_close,
  .begin_write = "BEGIN IMMEDIATE",
  .durable_on = "PRAGMA synchronous = FULL",
  .durable_off = "PRAGMA synchronous = NORMAL",
};

FkServerDb *
fk_server_db_sqlite_open (const char *path, GError **error)
{
  sqlite3 *db = NULL;
  g_autofree FkServerDb *self = g_new0 (FkServerDb, 1);

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_STORAGE,
                   _ ("Cannot open the server database “%s”: %s"), path,
                   db != NULL ? sqlite3_errmsg (db) : g_strerror (ENOMEM));
      sqlite3_close (db);
      return NULL;
    }
  self->backend = &sqlite_backend;
  self->handle = db;
  /* Several server processes may share the file: wait for the writer. */
  sqlite3_busy_timeout (db, 30000);
  if (!sqlite_exec (self, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", error) ||
      !sqlite_exec (self, schema, error))
    {
      sqlite3_close (db);
      return NULL;
    }
  return g_steal_pointer (&self);
}
