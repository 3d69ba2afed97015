/* fk-store-db.c: the store's SQLite database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One connection, opened in WAL mode with synchronous=FULL: a transaction
 * is on disk when COMMIT returns. Every use of it holds db_mutex; a
 * writing transaction (fk_store_begin()) holds it until its commit or
 * rollback. The schema only grows by appended migrations, run at open in
 * one transaction; a schema newer than this FieldKit is refused untouched.
 * No column holds personal data in clear.
 */
#include "fk-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* WAL pages (4 KiB) after which the checkpoint thread runs: about 50
 * dossier commits. */
#define CHECKPOINT_PAGES 500

/* Versioned migrations: entry N brings user_version from N to N + 1.
 * Never edit a released entry; append a new one. */
static const char *const migrations[] = {
  /* 1: first schema. No column holds personal data in clear: the citizen
   * is known only by a keyed hash of the ID number, everything else is in
   * the sealed parts. */
  "CREATE TABLE settings ("
  "  key TEXT PRIMARY KEY,"
  "  value ANY"
  ") STRICT;"
  "CREATE TABLE visits ("
  "  id TEXT PRIMARY KEY,"
  "  created INTEGER NOT NULL,"
  "  data BLOB NOT NULL" /* wrapped JSON, local key */
  ") STRICT;"
  "CREATE TABLE citizens ("
  "  id TEXT PRIMARY KEY,"
  "  id_hash TEXT UNIQUE," /* keyed BLAKE2b of the ID number */
  "  created INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE dossiers ("
  "  id TEXT PRIMARY KEY,"
  "  visit_id TEXT REFERENCES visits (id),"
  "  citizen_id TEXT REFERENCES citizens (id),"
  "  procedure TEXT NOT NULL,"
  "  created INTEGER NOT NULL,"
  "  wrapped_key BLOB," /* data key under the device wrap key; NULL once purged */
  "  blob_name TEXT UNIQUE,"
  "  blob_size INTEGER,"
  "  blob_sha256 TEXT,"
  "  bytes INTEGER NOT NULL DEFAULT 0,"
  "  purged INTEGER"
  ") STRICT;"
  "CREATE INDEX dossiers_citizen ON dossiers (citizen_id);"
  "CREATE TABLE attachments ("
  "  dossier_id TEXT NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,"
  "  idx INTEGER NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  name TEXT NOT NULL UNIQUE,"
  "  size INTEGER NOT NULL,"
  "  sha256 TEXT NOT NULL,"
  "  PRIMARY KEY (dossier_id, idx)"
  ") STRICT;"
  "CREATE TABLE outbox ("
  "  dossier_id TEXT PRIMARY KEY REFERENCES dossiers (id) ON DELETE CASCADE,"
  "  state TEXT NOT NULL CHECK (state IN ('draft', 'sealed', 'queued', 'uploading',"
  "                                       'delivered', 'quarantined')),"
  "  changed INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  reason TEXT,"
  "  receipt BLOB"
  ") STRICT;"
  "CREATE INDEX outbox_state ON outbox (state, dossier_id);"
  "CREATE TABLE audit ("
  "  seq INTEGER PRIMARY KEY,"
  "  time INTEGER NOT NULL,"
  "  dossier_id TEXT,"
  "  action TEXT NOT NULL,"
  "  detail TEXT NOT NULL,"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL,"
  "  signature BLOB NOT NULL"
  ") STRICT;",
  /* 2: drafts, kept under the dossier's own data key until sealed. */
  "ALTER TABLE dossiers ADD COLUMN draft BLOB;",
  /* 3: the outbox clustered on the dossier id, so that listing the queue
   * walks the dossiers once with one lookup each, and no sort. */
  "CREATE TABLE outbox_new ("
  "  dossier_id TEXT PRIMARY KEY REFERENCES dossiers (id) ON DELETE CASCADE,"
  "  state TEXT NOT NULL CHECK (state IN ('draft', 'sealed', 'queued', 'uploading',"
  "                                       'delivered', 'quarantined')),"
  "  changed INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  reason TEXT,"
  "  receipt BLOB"
  ") STRICT, WITHOUT ROWID;"
  "INSERT INTO outbox_new SELECT dossier_id, state, changed, attempts, reason, receipt FROM outbox;"
  "DROP TABLE outbox;"
  "ALTER TABLE outbox_new RENAME TO outbox;"
  "CREATE INDEX outbox_state ON outbox (state);",
  /* 4: the discarded end state (a quarantined dossier given up, its
   * content erased). Only the outbox is rebuilt: nothing references it. */
  "CREATE TABLE outbox_new ("
  "  dossier_id TEXT PRIMARY KEY REFERENCES dossiers (id) ON DELETE CASCADE,"
  "  state TEXT NOT NULL CHECK (state IN ('draft', 'sealed', 'queued', 'uploading',"
  "                                       'delivered', 'quarantined', 'discarded')),"
  "  changed INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  reason TEXT,"
  "  receipt BLOB"
  ") STRICT, WITHOUT ROWID;"
  "INSERT INTO outbox_new SELECT dossier_id, state, changed, attempts, reason, receipt FROM outbox;"
  "DROP TABLE outbox;"
  "ALTER TABLE outbox_new RENAME TO outbox;"
  "CREATE INDEX outbox_state ON outbox (state);",
  /* 5: what the server sends back. The catalog version in use (one row:
   * the body and the server's signature as received, checked again at
   * every load) and the results ready for handover (dossier id, status,
   * dates: the office's note may name people and is not kept). */
  "CREATE TABLE catalog ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  seq INTEGER NOT NULL,"
  "  version TEXT NOT NULL,"
  "  body BLOB NOT NULL,"
  "  signature TEXT NOT NULL,"
  "  applied INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE results ("
  "  dossier_id TEXT PRIMARY KEY,"
  "  seq INTEGER NOT NULL,"
  "  status TEXT NOT NULL,"
  "  ready_at TEXT NOT NULL,"
  "  received INTEGER NOT NULL,"
  "  handed_over INTEGER"
  ") STRICT, WITHOUT ROWID;",
};

#define SCHEMA_VERSION ((int) G_N_ELEMENTS (migrations))

int
fk_store_get_schema_version (void)
{
  return SCHEMA_VERSION;
}

void
fk_store_set_sqlite_error (FkStore *self, int rc, GError **error)
{
  int primary = rc & 0xff;

  if (primary == SQLITE_FULL)
    fk_store_set_error_from_errno (error, ENOSPC, NULL);
  else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    g_set_error_literal (error, FK_STORE_ERROR, FK_STORE_ERROR_BUSY,
                         _ ("The store is busy in another FieldKit process: try again."));
  else if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    g_set_error_literal (error, FK_STORE_ERROR, FK_STORE_ERROR_CORRUPT,
                         _ ("The store database is damaged."));
  else
    g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_IO, _ ("Store database error: %s"),
                 self != NULL && self->db != NULL ? sqlite3_errmsg (self->db)
                                                  : sqlite3_errstr (rc));
}

gboolean
fk_store_exec (FkStore *self, const char *sql, GError **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      fk_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

sqlite3_stmt *
fk_store_prepare (FkStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      fk_store_set_sqlite_error (self, rc, error);
      return NULL;
    }
  return stmt;
}

gboolean
fk_store_step_done (FkStore *self, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      fk_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
fk_store_begin (FkStore *self, GError **error)
{
  g_rec_mutex_lock (&self->db_mutex);
  if (!fk_store_exec (self, "BEGIN IMMEDIATE", error))
    {
      g_rec_mutex_unlock (&self->db_mutex);
      return FALSE;
    }
  return TRUE;
}

gboolean
fk_store_commit (FkStore *self, GError **error)
{
  gboolean ok = fk_store_exec (self, "COMMIT", error);

  if (!ok)
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_rec_mutex_unlock (&self->db_mutex);
  return ok;
}

void
fk_store_rollback (FkStore *self)
{
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_rec_mutex_unlock (&self->db_mutex);
}

static sqlite3_stmt *
get_setting_stmt (FkStore *self, const char *key)
{
  sqlite3_stmt *stmt = fk_store_prepare (self, "SELECT value FROM settings WHERE key = ?", NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

gint64
fk_store_get_setting_int (FkStore *self, const char *key, gint64 fallback)
{
  sqlite3_stmt *stmt;
  gint64 value = fallback;

  g_rec_mutex_lock (&self->db_mutex);
  stmt = get_setting_stmt (self, key);
  if (stmt != NULL && sqlite3_column_type (stmt, 0) == SQLITE_INTEGER)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  g_rec_mutex_unlock (&self->db_mutex);
  return value;
}

GBytes *
fk_store_get_setting_bytes (FkStore *self, const char *key)
{
  sqlite3_stmt *stmt;
  GBytes *value = NULL;

  g_rec_mutex_lock (&self->db_mutex);
  stmt = get_setting_stmt (self, key);
  if (stmt != NULL && sqlite3_column_type (stmt, 0) == SQLITE_BLOB)
    value = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_finalize (stmt);
  g_rec_mutex_unlock (&self->db_mutex);
  return value;
}

/* The practice profile's store: its setting, written when it was made. */
gboolean
fk_store_is_practice (FkStore *self)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  value = fk_store_get_setting (self, FK_STORE_PRACTICE_SETTING);
  return g_strcmp0 (value, "1") == 0;
}

char *
fk_store_get_setting (FkStore *self, const char *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (FK_IS_STORE (self), NULL);
  g_rec_mutex_lock (&self->db_mutex);
  stmt = get_setting_stmt (self, key);
  if (stmt != NULL && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_rec_mutex_unlock (&self->db_mutex);
  return value;
}

static gboolean
put_setting (FkStore *self, const char *key, int type, gint64 i, const void *data, gsize len,
             GError **error)
{
  sqlite3_stmt *stmt = fk_store_prepare (
    self,
    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
    "value = excluded.value",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (type == SQLITE_INTEGER)
    sqlite3_bind_int64 (stmt, 2, i);
  else if (type == SQLITE_BLOB)
    sqlite3_bind_blob (stmt, 2, data, (int) len, SQLITE_STATIC);
  else
    sqlite3_bind_text (stmt, 2, data, (int) len, SQLITE_STATIC);
  return fk_store_step_done (self, stmt, error);
}

gboolean
fk_store_put_setting_int (FkStore *self, const char *key, gint64 value, GError **error)
{
  return put_setting (self, key, SQLITE_INTEGER, value, NULL, 0, error);
}

gboolean
fk_store_put_setting_bytes (FkStore *self, const char *key, const void *data, gsize len,
                            GError **error)
{
  return put_setting (self, key, SQLITE_BLOB, 0, data, len, error);
}

gboolean
fk_store_set_setting (FkStore *self, const char *key, const char *value, GError **error)
{
  if (!fk_store_begin (self, error))
    return FALSE;
  if (!put_setting (self, key, SQLITE_TEXT, 0, value, strlen (value), error))
    {
      fk_store_rollback (self);
      return FALSE;
    }
  return fk_store_commit (self, error);
}

/**
 * fk_store_list_settings:
 *
 * Returns: (transfer full) (element-type utf8 utf8): the text settings
 *   whose key starts with @prefix
 */
GHashTable *
fk_store_list_settings (FkStore *self, const char *prefix)
{
  GHashTable *found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *pattern = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FK_IS_STORE (self), found);
  pattern = g_strdup_printf ("%s*", prefix);
  g_rec_mutex_lock (&self->db_mutex);
  /* GLOB: case-sensitive, and "_" is not a wildcard as in LIKE. */
  stmt = fk_store_prepare (self, "SELECT key, value FROM settings WHERE key GLOB ?", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        if (sqlite3_column_type (stmt, 1) == SQLITE_TEXT &&
            g_str_has_prefix ((const char *) sqlite3_column_text (stmt, 0), prefix))
          g_hash_table_insert (found, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                               g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      sqlite3_finalize (stmt);
    }
  g_rec_mutex_unlock (&self->db_mutex);
  return found;
}

gboolean
fk_store_delete_setting (FkStore *self, const char *key, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  if (!fk_store_begin (self, error))
    return FALSE;
  stmt = fk_store_prepare (self, "DELETE FROM settings WHERE key = ?", error);
  if (stmt == NULL)
    {
      fk_store_rollback (self);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (!fk_store_step_done (self, stmt, error))
    {
      fk_store_rollback (self);
      return FALSE;
    }
  return fk_store_commit (self, error);
}

int
fk_store_get_user_version (FkStore *self)
{
  sqlite3_stmt *stmt = fk_store_prepare (self, "PRAGMA user_version", NULL);
  int version = -1;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

gboolean
fk_store_migrate (FkStore *self, GError **error)
{
  int version;

  if (!fk_store_begin (self, error))
    return FALSE;
  version = fk_store_get_user_version (self);
  if (version > SCHEMA_VERSION)
    {
      fk_store_rollback (self);
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_VERSION_TOO_NEW,
                   _ ("The store was written by a newer FieldKit (schema %d, this one knows %d): "
                      "update FieldKit."),
                   version, SCHEMA_VERSION);
      return FALSE;
    }
  for (int v = version; v < SCHEMA_VERSION; v++)
    {
      g_autofree char *set = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      if (!fk_store_exec (self, migrations[v], error) || !fk_store_exec (self, set, error))
        {
          fk_store_rollback (self);
          return FALSE;
        }
    }
  return fk_store_commit (self, error);
}

gboolean
fk_store_open_db (FkStore *self, gboolean create, GError **error)
{
  g_autofree char *path = g_build_filename (self->dir, FK_STORE_DB_FILE, NULL);
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc;

  /* SQLite gives the -wal and -shm files the database file's mode. */
  if (create)
    {
      int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

      if (fd < 0)
        {
          fk_store_set_error_from_errno (error, errno, path);
          return FALSE;
        }
      close (fd);
    }
  rc = sqlite3_open_v2 (path, &self->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      if (!create && !g_file_test (path, G_FILE_TEST_EXISTS))
        g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_INITIALIZED,
                     _ ("%s holds no FieldKit store: set the device up with “fieldkit-ctl --data "
                        "%s init”."),
                     self->dir, self->dir);
      else
        fk_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 10000);
  /* synchronous=FULL: a commit is on disk when COMMIT returns. secure_delete
   * overwrites freed pages; temp_store keeps SQLite's temporary files in
   * memory so nothing leaves the sealed files and the database. */
  return fk_store_exec (self,
                        "PRAGMA journal_mode = WAL;"
                        "PRAGMA synchronous = FULL;"
                        "PRAGMA foreign_keys = ON;"
                        "PRAGMA secure_delete = ON;"
                        "PRAGMA temp_store = MEMORY;",
                        error);
}

static gpointer
checkpoint_thread (gpointer data)
{
  FkStore *self = data;
  g_autofree char *path = g_build_filename (self->dir, FK_STORE_DB_FILE, NULL);
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    g_debug ("Checkpoint connection failed: %s", sqlite3_errmsg (db));
  else
    sqlite3_exec (db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
  sqlite3_busy_timeout (db, 1000);
  g_mutex_lock (&self->checkpoint_mutex);
  while (!self->checkpoint_stop)
    {
      if (!self->checkpoint_wanted)
        {
          g_cond_wait (&self->checkpoint_cond, &self->checkpoint_mutex);
          continue;
        }
      self->checkpoint_wanted = FALSE;
      g_mutex_unlock (&self->checkpoint_mutex);
      /* PASSIVE: never blocks the writer; what it cannot copy now waits
       * for the next round. */
      sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
      g_mutex_lock (&self->checkpoint_mutex);
    }
  g_mutex_unlock (&self->checkpoint_mutex);
  sqlite3_close_v2 (db);
  return NULL;
}

static int
wal_hook (gpointer data, sqlite3 *db, const char *name, int pages)
{
  FkStore *self = data;

  if (pages >= CHECKPOINT_PAGES)
    {
      g_mutex_lock (&self->checkpoint_mutex);
      self->checkpoint_wanted = TRUE;
      g_cond_signal (&self->checkpoint_cond);
      g_mutex_unlock (&self->checkpoint_mutex);
    }
  return SQLITE_OK;
}

gboolean
fk_store_start_checkpointer (FkStore *self, GError **error)
{
  if (!fk_store_exec (self, "PRAGMA wal_autocheckpoint = 0", error))
    return FALSE;
  self->checkpointer = g_thread_new ("fk-checkpoint", checkpoint_thread, self);
  sqlite3_wal_hook (self->db, wal_hook, self);
  return TRUE;
}

void
fk_store_stop_checkpointer (FkStore *self)
{
  if (self->checkpointer == NULL)
    return;
  g_mutex_lock (&self->checkpoint_mutex);
  self->checkpoint_stop = TRUE;
  g_cond_signal (&self->checkpoint_cond);
  g_mutex_unlock (&self->checkpoint_mutex);
  g_clear_pointer (&self->checkpointer, g_thread_join);
}
