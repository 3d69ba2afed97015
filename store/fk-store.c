/* fk-store.c: the sealed local store: create, open, keys, clean-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Invariants:
 * - One writing process per data directory (flock on writer.lock); only
 *   it migrates, removes orphans and creates part files. Shared openers
 *   read, move the outbox and check PINs.
 * - The keys derived from the master key (wrap, index, local) exist only
 *   while unlocked, in guarded memory, and are used and dropped under
 *   db_mutex.
 * - A set-up is one transaction: a directory either holds a whole store or
 *   a database without keys that init may redo.
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

G_DEFINE_FINAL_TYPE (FkStore, fk_store, G_TYPE_OBJECT)

#define LOCK_FILE    "writer.lock"
#define RESERVE_FILE "reserve"
#define RESERVE_SIZE (512 * 1024)

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
  fk_store_stop_checkpointer (self);
  g_mutex_clear (&self->checkpoint_mutex);
  g_cond_clear (&self->checkpoint_cond);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_clear_pointer (&self->device_key, fk_device_key_free);
  g_clear_object (&self->catalog);
  g_free (self->catalog_problem);
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

static gboolean
take_writer_lock (FkStore *self, GError **error)
{
  g_autofree char *path = g_build_filename (self->dir, LOCK_FILE, NULL);

  self->lock_fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (self->lock_fd < 0)
    {
      fk_store_set_error_from_errno (error, errno, path);
      return FALSE;
    }
  if (flock (self->lock_fd, LOCK_EX | LOCK_NB) != 0)
    {
      g_set_error_literal (error, FK_STORE_ERROR, FK_STORE_ERROR_BUSY,
                           _ ("Another FieldKit process is writing to this store: close it and "
                              "try again."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
name_is_referenced (sqlite3_stmt *stmt, const char *name)
{
  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* Sealed files that no committed row references were left by a crash
 * between writing them and committing, or by a purge; temp files likewise. */
static gboolean
clean_orphans (FkStore *self, GError **error)
{
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GError) local = NULL;
  sqlite3_stmt *stmt;
  const char *name;
  guint removed = 0;

  dir = g_dir_open (self->parts_dir, 0, &local);
  if (dir == NULL)
    {
      fk_store_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  stmt = fk_store_prepare (self,
                           "SELECT 1 FROM dossiers WHERE blob_name = ?1 "
                           "UNION ALL SELECT 1 FROM attachments WHERE name = ?2",
                           error);
  if (stmt == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (name, FK_TEMP_PREFIX) || !name_is_referenced (stmt, name))
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
      if (!fk_fsync_dir (self->parts_dir, &local))
        {
          fk_store_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
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
  g_autoptr (GError) local = NULL;

  if (server_key == NULL || g_bytes_get_size (server_key) != FK_VAULT_PUBLIC_KEY_BYTES)
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_INITIALIZED,
                   _ ("The store in %s was never fully set up: run “fieldkit-ctl --data %s "
                      "init” again."),
                   self->dir, self->dir);
      return FALSE;
    }
  memcpy (self->server_public_key, g_bytes_get_data (server_key, NULL), FK_VAULT_PUBLIC_KEY_BYTES);
  self->device_key = fk_device_key_load (self->dir, &local);
  if (self->device_key == NULL)
    fk_store_propagate_error (error, g_steal_pointer (&local));
  return self->device_key != NULL;
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

static gboolean
vault_init (GError **error)
{
  g_autoptr (GError) local = NULL;

  if (fk_vault_init (&local))
    return TRUE;
  fk_store_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

/* The writer's duties at open: parts/, orphans, checkpoints, retention. */
static gboolean
open_as_writer (FkStore *self, GError **error)
{
  g_autoptr (GError) purge_error = NULL;

  if (g_mkdir_with_parents (self->parts_dir, 0700) != 0)
    {
      fk_store_set_error_from_errno (error, errno, self->parts_dir);
      return FALSE;
    }
  if (!clean_orphans (self, error) || !fk_store_start_checkpointer (self, error))
    return FALSE;
  /* Retention applies itself: no sealed copy outlives its period just
   * because nobody asked. A failure here must not stop the day's work. */
  if (!fk_store_purge_expired (self, NULL, &purge_error))
    g_debug ("Retention purge failed: %s", purge_error->message);
  ensure_reserve (self);
  return TRUE;
}

FkStore *
fk_store_open (const char *dir, FkStoreOpenFlags flags, GError **error)
{
  g_autoptr (FkStore) self = NULL;

  if (!vault_init (error))
    return NULL;
  self = store_new (dir, flags);
  if (!g_file_test (self->dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_INITIALIZED,
                   _ ("%s holds no FieldKit store: set the device up with “fieldkit-ctl --data %s "
                      "init”."),
                   dir, dir);
      return NULL;
    }
  if (!(flags & FK_STORE_OPEN_SHARED) && !take_writer_lock (self, error))
    return NULL;
  if (!fk_store_open_db (self, FALSE, error) || !fk_store_migrate (self, error) ||
      !load_keys (self, error))
    return NULL;
  if (!(flags & FK_STORE_OPEN_SHARED) && !open_as_writer (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* Only a set-up cut short before its commit may be redone: anything else,
 * even damaged or from a newer FieldKit, is somebody's data. */
static gboolean
clear_cut_setup (FkStore *self, const char *dir, GError **error)
{
  g_autofree char *db_path = g_build_filename (self->dir, FK_STORE_DB_FILE, NULL);
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);
  g_autofree char *key_path = g_build_filename (self->dir, FK_DEVICE_KEY_FILE, NULL);

  if (g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      FkStore *probe = store_new (dir, FK_STORE_OPEN_SHARED);
      g_autoptr (GBytes) key = NULL;
      int version = -1;

      if (fk_store_open_db (probe, FALSE, NULL))
        {
          version = fk_store_get_user_version (probe);
          key = fk_store_get_setting_bytes (probe, "server_public_key");
        }
      g_object_unref (probe);
      if (version < 0 || version > fk_store_get_schema_version () || key != NULL)
        {
          g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_FAILED,
                       _ ("%s already holds a FieldKit store: nothing was changed."), self->dir);
          return FALSE;
        }
      /* A set-up cut short before its commit: nothing in it was ever used. */
      g_unlink (db_path);
      g_unlink (wal);
      g_unlink (shm);
    }
  g_unlink (key_path);
  return TRUE;
}

/* The settings, the PIN wrapping and the first audit entry, in one
 * transaction; then the store is unlocked with the new master key. */
static gboolean
write_setup (FkStore *self, const FkStoreInitOptions *options, char **out_recovery_code,
             GError **error)
{
  g_autoptr (FkVaultKey) master = fk_vault_key_new_random ();
  guint64 ops = options->pin_opslimit != 0 ? options->pin_opslimit : FK_STORE_PIN_OPSLIMIT_DEFAULT;
  gsize mem = options->pin_memlimit != 0 ? options->pin_memlimit : FK_STORE_PIN_MEMLIMIT_DEFAULT;

  memcpy (self->server_public_key, options->server_public_key, FK_VAULT_PUBLIC_KEY_BYTES);
  if (!fk_store_begin (self, error))
    return FALSE;
  if (!fk_store_put_setting_bytes (self, "server_public_key", options->server_public_key,
                                   FK_VAULT_PUBLIC_KEY_BYTES, error) ||
      !fk_store_put_setting_bytes (self, "device_public_key",
                                   fk_device_key_get_public_key (self->device_key),
                                   FK_DEVICE_PUBLIC_KEY_BYTES, error) ||
      !fk_pin_lock_setup (self, master, options->pin, ops, mem, out_recovery_code, error) ||
      !fk_audit_append (self, NULL, "init", "", error))
    {
      fk_store_rollback (self);
      return FALSE;
    }
  if (!fk_store_commit (self, error))
    return FALSE;
  fk_store_set_master_key (self, master);
  return TRUE;
}

FkStore *
fk_store_create (const char *dir, const FkStoreInitOptions *options, char **out_recovery_code,
                 GError **error)
{
  g_autoptr (FkStore) self = NULL;
  g_autoptr (GError) local = NULL;

  if (!vault_init (error) || !fk_pin_check_acceptable (options->pin, error))
    return NULL;
  self = store_new (dir, FK_STORE_OPEN_DEFAULT);
  if (g_mkdir_with_parents (self->dir, 0700) != 0 ||
      g_mkdir_with_parents (self->parts_dir, 0700) != 0)
    {
      fk_store_set_error_from_errno (error, errno, self->dir);
      return NULL;
    }
  if (!take_writer_lock (self, error) || !clear_cut_setup (self, dir, error))
    return NULL;
  self->device_key = fk_device_key_create (self->dir, &local);
  if (self->device_key == NULL)
    {
      fk_store_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (!fk_store_open_db (self, TRUE, error) || !fk_store_migrate (self, error) ||
      !fk_store_start_checkpointer (self, error) ||
      !write_setup (self, options, out_recovery_code, error))
    return NULL;
  if (!fk_fsync_dir (self->dir, &local))
    {
      fk_store_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  ensure_reserve (self);
  return g_steal_pointer (&self);
}

typedef struct
{
  char *dir;
  char *pin; /* fk_secret_dup() */
  guint8 server_public_key[FK_VAULT_PUBLIC_KEY_BYTES];
  guint64 opslimit;
  gsize memlimit;
  char *recovery_code; /* fk_secret_dup() */
} CreateData;

static void
create_data_free (CreateData *data)
{
  g_free (data->dir);
  fk_secret_free (data->pin);
  fk_secret_free (data->recovery_code);
  g_free (data);
}

static void
create_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CreateData *data = task_data;
  FkStoreInitOptions options = { data->server_public_key, data->pin, data->opslimit,
                                 data->memlimit };
  g_autofree char *code = NULL;
  GError *error = NULL;
  FkStore *store = fk_store_create (data->dir, &options, &code, &error);

  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data->recovery_code = fk_secret_dup (code);
  sodium_memzero (code, strlen (code));
  g_task_return_pointer (task, store, g_object_unref);
}

void
fk_store_create_async (const char *dir, const FkStoreInitOptions *options,
                       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  CreateData *data = g_new0 (CreateData, 1);

  g_return_if_fail (dir != NULL && options != NULL && options->server_public_key != NULL);
  g_task_set_source_tag (task, fk_store_create_async);
  data->dir = g_strdup (dir);
  data->pin = fk_secret_dup (options->pin);
  memcpy (data->server_public_key, options->server_public_key, FK_VAULT_PUBLIC_KEY_BYTES);
  data->opslimit = options->pin_opslimit;
  data->memlimit = options->pin_memlimit;
  g_task_set_task_data (task, data, (GDestroyNotify) create_data_free);
  g_task_run_in_thread (task, create_thread);
}

/**
 * fk_store_create_finish:
 * @out_recovery_code: (out) (optional): the recovery code; wipe it before
 *   freeing it
 *
 * Returns: (transfer full) (nullable): the new store, unlocked
 */
FkStore *
fk_store_create_finish (GAsyncResult *result, char **out_recovery_code, GError **error)
{
  CreateData *data;
  FkStore *store;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_store_create_async, NULL);
  store = g_task_propagate_pointer (G_TASK (result), error);
  data = g_task_get_task_data (G_TASK (result));
  if (store != NULL && out_recovery_code != NULL)
    *out_recovery_code = g_strdup (data->recovery_code);
  return store;
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
  g_return_if_fail (FK_IS_STORE (self));
  /* Work in a worker thread uses the keys under this mutex. */
  g_rec_mutex_lock (&self->db_mutex);
  g_clear_pointer (&self->wrap_key, fk_vault_key_free);
  g_clear_pointer (&self->index_key, fk_vault_key_free);
  g_clear_pointer (&self->local_key, fk_vault_key_free);
  g_rec_mutex_unlock (&self->db_mutex);
}

gboolean
fk_store_is_unlocked (FkStore *self)
{
  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  return self->wrap_key != NULL;
}

gboolean
fk_store_require_unlocked (FkStore *self, GError **error)
{
  if (self->wrap_key == NULL)
    {
      g_set_error_literal (error, FK_STORE_ERROR, FK_STORE_ERROR_LOCKED,
                           _ ("The vault is locked: enter the operator PIN first."));
      return FALSE;
    }
  return TRUE;
}

gboolean
fk_store_require_writer (FkStore *self, GError **error)
{
  if (self->flags & FK_STORE_OPEN_SHARED)
    {
      g_set_error_literal (error, FK_STORE_ERROR, FK_STORE_ERROR_BUSY,
                           _ ("Dossiers are saved only by the process that opened the store for "
                              "writing."));
      return FALSE;
    }
  return TRUE;
}

GBytes *
fk_store_ad (const char *prefix, const char *id)
{
  char *ad = g_strconcat (prefix, id, NULL);
  gsize len = strlen (ad);

  return g_bytes_new_take (ad, len);
}

char *
fk_store_hash_id_number (FkStore *self, const char *id_number)
{
  GString *normal = g_string_new (NULL);
  char *hash;

  /* The ID number as hashed for the index: digits only. */
  for (const char *p = id_number; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (normal, *p);
  hash = fk_vault_keyed_hash (self->index_key, normal->str, normal->len);
  g_string_free (normal, TRUE);
  return hash;
}

GBytes *
fk_store_wrap_data_key (FkStore *self, const char *id, const FkVaultKey *data_key)
{
  g_autoptr (GBytes) ad = fk_store_ad (FK_STORE_AD_DATA_KEY, id);

  return fk_vault_wrap (self->wrap_key, fk_vault_key_get_data (data_key), FK_VAULT_KEY_BYTES,
                        g_bytes_get_data (ad, NULL), g_bytes_get_size (ad));
}

void
fk_store_wipe_bytes (GBytes *bytes)
{
  gsize len;
  gconstpointer data;

  if (bytes == NULL)
    return;
  data = g_bytes_get_data (bytes, &len);
  if (data != NULL)
    sodium_memzero ((void *) data, len);
}
