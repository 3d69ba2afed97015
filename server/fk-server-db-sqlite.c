/* fk-server-db-sqlite.c: the intake server's storage in one SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-db-private.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "fk-file-util.h"
#include "fk-server-error.h"

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
  g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_STORAGE,
               _ ("The server database failed: %s"), sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
sqlite_exec (FkDbConn *conn, const char *sql, GError **error)
{
  if (sqlite3_exec (conn->handle, sql, NULL, NULL, NULL) != SQLITE_OK)
    return sqlite_fail (conn->handle, error);
  return TRUE;
}

static FkDbResult *
sqlite_query (FkDbConn *conn, const char *sql, const FkDbParam *params, guint n_params,
              GError **error)
{
  sqlite3 *db = conn->handle;
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

static gpointer
sqlite_connect (FkServerDb *db, gboolean writer, GError **error)
{
  sqlite3 *handle = NULL;
  const char *setup =
    writer ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;" : "PRAGMA query_only=1;";

  if (sqlite3_open_v2 (db->location, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
      SQLITE_OK)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_STORAGE,
                   _ ("Cannot open the server database “%s”: %s"), db->location,
                   handle != NULL ? sqlite3_errmsg (handle) : g_strerror (ENOMEM));
      sqlite3_close (handle);
      return NULL;
    }
  /* Several server processes may share the file: wait for the writer. */
  sqlite3_busy_timeout (handle, 30000);
  if (sqlite3_exec (handle, setup, NULL, NULL, NULL) != SQLITE_OK)
    {
      sqlite_fail (handle, error);
      sqlite3_close (handle);
      return NULL;
    }
  return handle;
}

static void
sqlite_disconnect (gpointer handle)
{
  sqlite3_close (handle);
}

static const FkDbBackend sqlite_backend = {
  .query = sqlite_query,
  .exec = sqlite_exec,
  .connect = sqlite_connect,
  .disconnect = sqlite_disconnect,
  .schema_v1 = schema,
  .serial_key = "INTEGER PRIMARY KEY AUTOINCREMENT",
  .blob_type = "BLOB",
  .begin_write = "BEGIN IMMEDIATE",
  .durable_on = "PRAGMA synchronous = FULL",
  .durable_off = "PRAGMA synchronous = NORMAL",
  .single_writer = TRUE,
};

FkServerDb *
fk_server_db_sqlite_open (const char *path, GError **error)
{
  return fk_server_db_new (&sqlite_backend, path, error);
}

/* SQLite's online backup API copies pages from a read connection while
 * the writer goes on; the copy is written beside @out_path, flushed and
 * renamed, so it is either whole or absent. */
gboolean
fk_server_db_sqlite_backup (FkDbConn *conn, const char *out_path, GError **error)
{
  g_autofree char *tmp = g_strconcat (out_path, ".partial", NULL);
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  int rc;

  g_unlink (tmp);
  if (sqlite3_open_v2 (tmp, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_BACKUP, _ ("Cannot create “%s”: %s"),
                   tmp, dest != NULL ? sqlite3_errmsg (dest) : g_strerror (ENOMEM));
      sqlite3_close (dest);
      return FALSE;
    }
  backup = sqlite3_backup_init (dest, "main", conn->handle, "main");
  if (backup == NULL)
    {
      sqlite_fail (dest, error);
      sqlite3_close (dest);
      g_unlink (tmp);
      return FALSE;
    }
  /* All pages in one step, in one read transaction: in WAL mode that is a
   * consistent snapshot and the writer goes on meanwhile (a step that
   * copied part would start over at every write). */
  while ((rc = sqlite3_backup_step (backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
    sqlite3_sleep (20);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE ||
      sqlite3_exec (dest, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
    {
      sqlite_fail (dest, error);
      sqlite3_close (dest);
      g_unlink (tmp);
      return FALSE;
    }
  /* The copy's own commits were flushed (synchronous=FULL, SQLite's
   * default); the rename is made durable with its folder. */
  sqlite3_close (dest);
  if (g_rename (tmp, out_path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _ ("Cannot rename “%s”: %s"), tmp, g_strerror (saved));
      return FALSE;
    }
  {
    g_autofree char *dir = g_path_get_dirname (out_path);

    return fk_fsync_dir (dir, error);
  }
}
