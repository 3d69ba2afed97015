/* fk-store.c: the sealed local store: database, migrations, settings, clean-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "fk-file-util.h"
#include "fk-outbox.h"
#include "fk-sync-error.h"

G_DEFINE_FINAL_TYPE (FkStore, fk_store, G_TYPE_OBJECT)

#define LOCK_FILE    "writer.lock"
#define RESERVE_FILE "reserve"
#define RESERVE_SIZE (512 * 1024)
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
};

#define SCHEMA_VERSION ((int) G_N_ELEMENTS (migrations))

gint64
fk_store_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
fk_store_finalize (GObject *object)
{
  FkStore *self = FK_STORE (object);

  fk_store_lock (self);
  if (self->checkpointer != NULL)
    {
      g_mutex_lock (&self->checkpoint_mutex);
      self->checkpoint_stop = TRUE;
      g_cond_signal (&self->checkpoint_cond);
      g_mutex_unlock (&self->checkpoint_mutex);
      g_thread_join (self->checkpointer);
    }
  g_mutex_clear (&self->checkpoint_mutex);
  g_cond_clear (&self->checkpoint_cond);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_clear_pointer (&self->device_key, fk_device_key_free);
  g_clear_object (&self->catalog);
  g_rec_mutex_clear (&self->db_mutex);
  g_free (self->dir);
  g_free (self->parts_dir);
  G_OBJECT_CLASS (fk_store_parent_class)->finalize (object);
}

static void
fk_store_class_init (FkStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fk_store_finalize;
}

static void
fk_store_init (FkStore *self)
{
  self->lock_fd = -1;
  g_rec_mutex_init (&self->db_mutex);
  g_mutex_init (&self->checkpoint_mutex);
  g_cond_init (&self->checkpoint_cond);
}

void
fk_store_set_sqlite_error (FkStore *self, int rc, GError **error)
{
  int primary = rc & 0xff;

  if (primary == SQLITE_FULL)
    fk_set_error_from_errno (error, ENOSPC, NULL);
  else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    g_set_error_literal (error, FK_SYNC_ERROR, FK_SYNC_ERROR_BUSY,
                         _ ("The store is busy in another FieldKit process: try again."));
  else if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    g_set_error_literal (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CORRUPT,
                         _ ("The store database is damaged."));
  else
    g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_IO, _ ("Store database error: %s"),
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
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (type == SQLITE_INTEGER)
    sqlite3_bind_int64 (stmt, 2, i);
  else if (type == SQLITE_BLOB)
    sqlite3_bind_blob (stmt, 2, data, (int) len, SQLITE_STATIC);
  else
    sqlite3_bind_text (stmt, 2, data, (int) len, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      fk_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
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

static int
get_user_version (FkStore *self)
{
  sqlite3_stmt *stmt = fk_store_prepare (self, "PRAGMA user_version", NULL);
  int version = -1;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static gboolean
migrate (FkStore *self, GError **error)
{
  int version;

  if (!fk_store_begin (self, error))
    return FALSE;
  version = get_user_version (self);
  if (version > SCHEMA_VERSION)
    {
      fk_store_rollback (self);
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_UNSUPPORTED_VERSION,
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

static gboolean
open_db (FkStore *self, gboolean create, GError **error)
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
          fk_set_error_from_errno (error, errno, path);
          return FALSE;
        }
      close (fd);
    }
  rc = sqlite3_open_v2 (path, &self->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      if (!create && !g_file_test (path, G_FILE_TEST_EXISTS))
        g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_INITIALIZED,
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

static gboolean
take_writer_lock (FkStore *self, GError **error)
{
  g_autofree char *path = g_build_filename (self->dir, LOCK_FILE, NULL);

  self->lock_fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (self->lock_fd < 0)
    {
      fk_set_error_from_errno (error, errno, path);
      return FALSE;
    }
  if (flock (self->lock_fd, LOCK_EX | LOCK_NB) != 0)
    {
      g_set_error_literal (error, FK_SYNC_ERROR, FK_SYNC_ERROR_BUSY,
                           _ ("Another FieldKit process is writing to this store: close it and "
                              "try again."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
name_is_referenced (FkStore *self, sqlite3_stmt *stmt, const char *name)
{
  gboolean found;

  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  return found;
}

/* Sealed files that no committed row references were left by a crash
 * between writing them and committing, or by a purge; temp files likewise. */
static gboolean
clean_orphans (FkStore *self, GError **error)
{
  g_autoptr (GDir) dir = g_dir_open (self->parts_dir, 0, error);
  sqlite3_stmt *stmt;
  const char *name;
  guint removed = 0;

  if (dir == NULL)
    return FALSE;
  stmt = fk_store_prepare (self,
                           "SELECT 1 FROM dossiers WHERE blob_name = ?1 "
                           "UNION ALL SELECT 1 FROM attachments WHERE name = ?2",
                           error);
  if (stmt == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (name, FK_TEMP_PREFIX) || !name_is_referenced (self, stmt, name))
        {
          g_autofree char *path = g_build_filename (self->parts_dir, name, NULL);

          if (g_unlink (path) == 0)
            removed++;
        }
    }
  sqlite3_finalize (stmt);
  if (removed > 0)
    {
      g_debug ("Removed %u unreferenced part files", removed);
      return fk_fsync_dir (self->parts_dir, error);
    }
  return TRUE;
}

/* Space kept back for when the disk fills up: without it a full disk would
 * stop the PIN check (each try is written first) and the outbox (the very
 * thing that frees space). Released on the first disk-full error there. */
static void
ensure_reserve (FkStore *self)
{
  g_autofree char *path = g_build_filename (self->dir, RESERVE_FILE, NULL);
  g_autofree char *zeros = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  zeros = g_malloc0 (RESERVE_SIZE);
  if (!fk_file_write_durably (self->dir, RESERVE_FILE, zeros, RESERVE_SIZE, 0600, NULL))
    g_debug ("No room for the reserve file yet");
}

gboolean
fk_store_release_reserve (FkStore *self)
{
  g_autofree char *path = g_build_filename (self->dir, RESERVE_FILE, NULL);

  if (g_unlink (path) != 0)
    return FALSE;
  g_message ("Storage full: released the reserve space of the store");
  return TRUE;
}

static gboolean
load_keys (FkStore *self, GError **error)
{
  g_autoptr (GBytes) server_key = fk_store_get_setting_bytes (self, "server_public_key");

  if (server_key == NULL || g_bytes_get_size (server_key) != FK_VAULT_PUBLIC_KEY_BYTES)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_INITIALIZED,
                   _ ("The store in %s was never fully set up: run “fieldkit-ctl --data %s "
                      "init” again."),
                   self->dir, self->dir);
      return FALSE;
    }
  memcpy (self->server_public_key, g_bytes_get_data (server_key, NULL), FK_VAULT_PUBLIC_KEY_BYTES);
  self->device_key = fk_device_key_load (self->dir, error);
  return self->device_key != NULL;
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

static gboolean
start_checkpointer (FkStore *self, GError **error)
{
  if (!fk_store_exec (self, "PRAGMA wal_autocheckpoint = 0", error))
    return FALSE;
  self->checkpointer = g_thread_new ("fk-checkpoint", checkpoint_thread, self);
  sqlite3_wal_hook (self->db, wal_hook, self);
  return TRUE;
}

static FkStore *
store_new (const char *dir, FkStoreOpenFlags flags)
{
  FkStore *self = g_object_new (FK_TYPE_STORE, NULL);

  self->dir = g_canonicalize_filename (dir, NULL);
  self->parts_dir = g_build_filename (self->dir, FK_STORE_PARTS_DIR, NULL);
  self->flags = flags;
  return self;
}

FkStore *
fk_store_open (const char *dir, FkStoreOpenFlags flags, GError **error)
{
  g_autoptr (FkStore) self = NULL;

  if (!fk_vault_init (error))
    return NULL;
  self = store_new (dir, flags);
  if (!g_file_test (self->dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_INITIALIZED,
                   _ ("%s holds no FieldKit store: set the device up with “fieldkit-ctl --data %s "
                      "init”."),
                   dir, dir);
      return NULL;
    }
  if (!(flags & FK_STORE_OPEN_SHARED) && !take_writer_lock (self, error))
    return NULL;
  if (!open_db (self, FALSE, error) || !migrate (self, error) || !load_keys (self, error))
    return NULL;
  if (!(flags & FK_STORE_OPEN_SHARED))
    {
      g_autoptr (GError) purge_error = NULL;

      if (g_mkdir_with_parents (self->parts_dir, 0700) != 0)
        {
          fk_set_error_from_errno (error, errno, self->parts_dir);
          return NULL;
        }
      if (!clean_orphans (self, error) || !start_checkpointer (self, error))
        return NULL;
      /* Retention applies itself: no sealed copy outlives its period just
       * because nobody asked. A failure here must not stop the day's work. */
      if (!fk_store_purge_expired (self, NULL, &purge_error))
        g_debug ("Retention purge failed: %s", purge_error->message);
      ensure_reserve (self);
    }
  return g_steal_pointer (&self);
}

FkStore *
fk_store_create (const char *dir, const FkStoreInitOptions *options, char **out_recovery_code,
                 GError **error)
{
  g_autoptr (FkStore) self = NULL;
  g_autoptr (FkVaultKey) master = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *key_path = NULL;
  guint64 ops = options->pin_opslimit != 0 ? options->pin_opslimit : FK_STORE_PIN_OPSLIMIT_DEFAULT;
  gsize mem = options->pin_memlimit != 0 ? options->pin_memlimit : FK_STORE_PIN_MEMLIMIT_DEFAULT;

  if (!fk_vault_init (error) || !fk_pin_check_acceptable (options->pin, error))
    return NULL;
  self = store_new (dir, FK_STORE_OPEN_DEFAULT);
  if (g_mkdir_with_parents (self->dir, 0700) != 0 ||
      g_mkdir_with_parents (self->parts_dir, 0700) != 0)
    {
      fk_set_error_from_errno (error, errno, self->dir);
      return NULL;
    }
  if (!take_writer_lock (self, error))
    return NULL;

  db_path = g_build_filename (self->dir, FK_STORE_DB_FILE, NULL);
  key_path = g_build_filename (self->dir, FK_DEVICE_KEY_FILE, NULL);
  if (g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      FkStore *probe = store_new (dir, FK_STORE_OPEN_SHARED);
      g_autoptr (GBytes) key = NULL;
      int version = -1;

      /* Only a set-up cut short before its commit may be redone: anything
       * else, even damaged or from a newer FieldKit, is somebody's data. */
      if (open_db (probe, FALSE, NULL))
        {
          version = get_user_version (probe);
          key = fk_store_get_setting_bytes (probe, "server_public_key");
        }
      g_object_unref (probe);
      if (version < 0 || version > SCHEMA_VERSION || key != NULL)
        {
          g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_FAILED,
                       _ ("%s already holds a FieldKit store: nothing was changed."), self->dir);
          return NULL;
        }
      /* A set-up cut short before its commit: nothing in it was ever used. */
      g_unlink (db_path);
      {
        g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
        g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);

        g_unlink (wal);
        g_unlink (shm);
      }
    }
  g_unlink (key_path);

  self->device_key = fk_device_key_create (self->dir, error);
  if (self->device_key == NULL || !open_db (self, TRUE, error) || !migrate (self, error) ||
      !start_checkpointer (self, error))
    return NULL;

  master = fk_vault_key_new_random ();
  memcpy (self->server_public_key, options->server_public_key, FK_VAULT_PUBLIC_KEY_BYTES);
  if (!fk_store_begin (self, error))
    return NULL;
  if (!fk_store_put_setting_bytes (self, "server_public_key", options->server_public_key,
                                   FK_VAULT_PUBLIC_KEY_BYTES, error) ||
      !fk_store_put_setting_bytes (self, "device_public_key",
                                   fk_device_key_get_public_key (self->device_key),
                                   FK_DEVICE_PUBLIC_KEY_BYTES, error) ||
      !fk_pin_lock_setup (self, master, options->pin, ops, mem, out_recovery_code, error) ||
      !fk_audit_append (self, NULL, "init", "", error))
    {
      fk_store_rollback (self);
      return NULL;
    }
  if (!fk_store_commit (self, error) || !fk_fsync_dir (self->dir, error))
    return NULL;
  ensure_reserve (self);
  return g_steal_pointer (&self);
}

const char *
fk_store_get_dir (FkStore *self)
{
  g_return_val_if_fail (FK_IS_STORE (self), NULL);
  return self->dir;
}

FkDeviceKey *
fk_store_get_device_key (FkStore *self)
{
  g_return_val_if_fail (FK_IS_STORE (self), NULL);
  return self->device_key;
}

const guint8 *
fk_store_get_server_public_key (FkStore *self)
{
  g_return_val_if_fail (FK_IS_STORE (self), NULL);
  return self->server_public_key;
}

static FkVaultKey *
derive_subkey (const FkVaultKey *master, guint64 id)
{
  guint8 sub[FK_VAULT_KEY_BYTES];
  FkVaultKey *key;

  crypto_kdf_derive_from_key (sub, sizeof sub, id, FK_STORE_KDF_CONTEXT,
                              fk_vault_key_get_data (master));
  key = fk_vault_key_new_from_data (sub, sizeof sub, NULL);
  sodium_memzero (sub, sizeof sub);
  return key;
}

void
fk_store_set_master_key (FkStore *self, const FkVaultKey *master)
{
  G_STATIC_ASSERT (FK_VAULT_KEY_BYTES == crypto_kdf_KEYBYTES);
  g_rec_mutex_lock (&self->db_mutex);
  fk_store_lock (self);
  self->wrap_key = derive_subkey (master, FK_STORE_SUBKEY_WRAP);
  self->index_key = derive_subkey (master, FK_STORE_SUBKEY_INDEX);
  self->local_key = derive_subkey (master, FK_STORE_SUBKEY_LOCAL);
  g_rec_mutex_unlock (&self->db_mutex);
}

void
fk_store_lock (FkStore *self)
{
  /* A commit in a worker thread uses the keys under this mutex. */
  g_rec_mutex_lock (&self->db_mutex);
  g_clear_pointer (&self->wrap_key, fk_vault_key_free);
  g_clear_pointer (&self->index_key, fk_vault_key_free);
  g_clear_pointer (&self->local_key, fk_vault_key_free);
  g_rec_mutex_unlock (&self->db_mutex);
}

gboolean
fk_store_is_unlocked (FkStore *self)
{
  return self->wrap_key != NULL;
}

gboolean
fk_store_require_unlocked (FkStore *self, GError **error)
{
  if (self->wrap_key == NULL)
    {
      g_set_error_literal (error, FK_SYNC_ERROR, FK_SYNC_ERROR_VAULT_LOCKED,
                           _ ("The vault is locked: enter the operator PIN first."));
      return FALSE;
    }
  return TRUE;
}
