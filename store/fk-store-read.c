/* fk-store-read.c: decrypting reads and the searches of the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Invariants:
 * - Reading needs the PIN: a dossier's data key is unwrapped with the
 *   device wrap key, under db_mutex (the keys may be dropped by
 *   fk_store_lock() in another thread).
 * - What comes back is what was sealed (or saved, for a draft), read as
 *   written and not checked again: a catalog or admin-unit update never
 *   makes an old dossier unreadable.
 * - An attachment is checked against the SHA-256 of its sealed file
 *   recorded at commit, and streamed: at most two chunks in memory.
 * - Decrypted JSON is wiped once parsed. The searches look at sealed
 *   dossiers only (drafts have no citizen link), and skip those whose
 *   content is gone.
 */
#include "fk-store-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fk-core.h"

/* The wrapped data key, blob name and draft of dossier @id, read in one
 * statement. */
static gboolean
fetch_key_row (FkStore *self, const char *id, GBytes **wrapped, char **blob_name, GBytes **draft,
               GError **error)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  g_rec_mutex_lock (&self->db_mutex);
  stmt = fk_store_prepare (self, "SELECT wrapped_key, blob_name, draft FROM dossiers WHERE id = ?",
                           error);
  if (stmt == NULL)
    {
      g_rec_mutex_unlock (&self->db_mutex);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      if (sqlite3_column_type (stmt, 0) == SQLITE_BLOB)
        *wrapped = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
      *blob_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      if (sqlite3_column_type (stmt, 2) == SQLITE_BLOB)
        *draft = g_bytes_new (sqlite3_column_blob (stmt, 2), sqlite3_column_bytes (stmt, 2));
    }
  sqlite3_finalize (stmt);
  g_rec_mutex_unlock (&self->db_mutex);
  if (!found)
    fk_store_set_not_found (error, id);
  return found;
}

FkVaultKey *
fk_store_load_data_key (FkStore *self, const char *id, char **out_blob_name, GBytes **out_draft,
                        GError **error)
{
  g_autoptr (GBytes) draft = NULL;
  g_autoptr (GBytes) ad = fk_store_ad (FK_STORE_AD_DATA_KEY, id);
  g_autoptr (GBytes) wrapped = NULL;
  g_autoptr (GBytes) key = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *blob_name = NULL;
  FkVaultKey *result;

  if (!fk_store_require_unlocked (self, error) ||
      !fetch_key_row (self, id, &wrapped, &blob_name, &draft, error))
    return NULL;
  if (wrapped == NULL || (blob_name == NULL && draft == NULL))
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_FOUND,
                   _ ("The content of dossier %s has been removed from this device (delivered "
                      "long enough ago, or discarded)."),
                   id);
      return NULL;
    }
  /* Under the lock: fk_store_lock() may run in another thread. */
  g_rec_mutex_lock (&self->db_mutex);
  if (fk_store_require_unlocked (self, error))
    key =
      fk_vault_unwrap (self->wrap_key, g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped),
                       g_bytes_get_data (ad, NULL), g_bytes_get_size (ad), NULL);
  else
    {
      g_rec_mutex_unlock (&self->db_mutex);
      return NULL;
    }
  g_rec_mutex_unlock (&self->db_mutex);
  if (key == NULL)
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_CORRUPT,
                   _ ("The key of dossier %s does not open: the store was damaged or changed."),
                   id);
      return NULL;
    }
  result =
    fk_vault_key_new_from_data (g_bytes_get_data (key, NULL), g_bytes_get_size (key), &local);
  fk_store_wipe_bytes (key);
  if (result == NULL)
    {
      fk_store_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (out_blob_name != NULL)
    *out_blob_name = g_steal_pointer (&blob_name);
  if (out_draft != NULL)
    *out_draft = g_steal_pointer (&draft);
  return result;
}

/* Parses the decrypted dossier JSON, then wipes it. */
static FkDossier *
parse_sealed (GBytes *plain, const char *id, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  FkDossier *dossier = NULL;
  JsonNode *root;

  if (json_parser_load_from_data (parser, g_bytes_get_data (plain, NULL),
                                  (gssize) g_bytes_get_size (plain), NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    dossier = fk_dossier_new_incomplete_from_json (root, &local);
  fk_store_wipe_bytes (plain);
  if (dossier == NULL)
    g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_CORRUPT,
                 _ ("Dossier %s opened but does not hold a JSON object."), id);
  return dossier;
}

FkDossier *
fk_store_read_dossier (FkStore *self, const char *id, GError **error)
{
  g_autoptr (FkVaultKey) key = NULL;
  g_autofree char *blob_name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (GBytes) blob = NULL;
  g_autoptr (GBytes) plain = NULL;
  g_autoptr (GBytes) draft = NULL;
  g_autoptr (GError) local = NULL;
  gsize len;

  g_return_val_if_fail (FK_IS_STORE (self), NULL);
  key = fk_store_load_data_key (self, id, &blob_name, &draft, error);
  if (key == NULL)
    return NULL;
  if (blob_name == NULL)
    return fk_store_open_draft (self, id, key, draft, NULL, NULL, error);
  path = g_build_filename (self->parts_dir, blob_name, NULL);
  if (!g_file_get_contents (path, &contents, &len, &local))
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_CORRUPT,
                   _ ("The sealed file of dossier %s is missing or unreadable: %s"), id,
                   local->message);
      return NULL;
    }
  blob = g_bytes_new_take (g_steal_pointer (&contents), len);
  plain = fk_vault_open_dossier (blob, key, id, &local);
  if (plain == NULL)
    {
      fk_store_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return parse_sealed (plain, id, error);
}

static void
read_dossier_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  FkDossier *dossier = fk_store_read_dossier (source, task_data, &error);

  if (dossier == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, dossier, g_object_unref);
}

void
fk_store_read_dossier_async (FkStore *self, const char *id, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (FK_IS_STORE (self));
  g_return_if_fail (id != NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_store_read_dossier_async);
  g_task_set_task_data (task, g_strdup (id), g_free);
  g_task_run_in_thread (task, read_dossier_thread);
}

/**
 * fk_store_read_dossier_finish:
 *
 * Returns: (transfer full) (nullable): the dossier
 */
FkDossier *
fk_store_read_dossier_finish (FkStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_store_read_dossier_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The part name and sealed SHA-256 of attachment @index of dossier @id. */
static gboolean
fetch_attachment_row (FkStore *self, const char *id, guint index, char **name, char **sha256,
                      GError **error)
{
  sqlite3_stmt *stmt;

  g_rec_mutex_lock (&self->db_mutex);
  stmt = fk_store_prepare (
    self, "SELECT name, sha256 FROM attachments WHERE dossier_id = ? AND idx = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, (int) index);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          *name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          *sha256 = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        }
      sqlite3_finalize (stmt);
    }
  g_rec_mutex_unlock (&self->db_mutex);
  if (stmt == NULL)
    return FALSE;
  if (*name == NULL)
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_FOUND,
                   _ ("Dossier %s has no attachment %u."), id, index);
      return FALSE;
    }
  return TRUE;
}

gboolean
fk_store_read_attachment (FkStore *self, const char *id, guint index, GOutputStream *out,
                          FkVaultFileInfo *info, GCancellable *cancellable, GError **error)
{
  g_autoptr (FkVaultKey) key = NULL;
  g_autofree char *name = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GFileInputStream) in = NULL;
  g_autoptr (GError) local = NULL;
  FkVaultFileInfo got;

  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  key = fk_store_load_data_key (self, id, NULL, NULL, error);
  if (key == NULL || !fetch_attachment_row (self, id, index, &name, &sha256, error))
    return FALSE;
  path = g_build_filename (self->parts_dir, name, NULL);
  file = g_file_new_for_path (path);
  in = g_file_read (file, cancellable, &local);
  if (in == NULL)
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_CORRUPT,
                   _ ("A sealed attachment of dossier %s is missing or unreadable: %s"), id,
                   local->message);
      return FALSE;
    }
  if (!fk_vault_open_stream (key, G_INPUT_STREAM (in), out, &got, cancellable, &local))
    {
      fk_store_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!g_str_equal (got.sealed_sha256, sha256))
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_CORRUPT,
                   _ ("A sealed attachment of dossier %s is not the one that was committed."), id);
      return FALSE;
    }
  if (info != NULL)
    *info = got;
  return TRUE;
}

typedef struct
{
  char *id;
  guint index;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->id);
  g_free (data);
}

static void
load_attachment_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  GError *error = NULL;

  if (!fk_store_read_attachment (source, data->id, data->index, out, NULL, cancellable, &error) ||
      !g_output_stream_close (out, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out)),
                         (GDestroyNotify) g_bytes_unref);
}

void
fk_store_load_attachment_async (FkStore *self, const char *id, guint index,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (FK_IS_STORE (self));
  g_return_if_fail (id != NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_store_load_attachment_async);
  data = g_new0 (LoadData, 1);
  data->id = g_strdup (id);
  data->index = index;
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_attachment_thread);
}

/**
 * fk_store_load_attachment_finish:
 *
 * Returns: (transfer full) (nullable): the attachment's content
 */
GBytes *
fk_store_load_attachment_finish (FkStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_store_load_attachment_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

GPtrArray *
fk_store_find_by_id_number (FkStore *self, const char *id_number, GError **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *id_hash = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FK_IS_STORE (self), NULL);
  g_rec_mutex_lock (&self->db_mutex);
  if (!fk_store_require_unlocked (self, error))
    {
      g_rec_mutex_unlock (&self->db_mutex);
      return NULL;
    }
  id_hash = fk_store_hash_id_number (self, id_number);
  stmt = fk_store_prepare (self,
                           "SELECT d.id FROM dossiers d JOIN citizens c ON c.id = d.citizen_id "
                           "WHERE c.id_hash = ? ORDER BY d.created, d.rowid",
                           error);
  if (stmt == NULL)
    {
      g_rec_mutex_unlock (&self->db_mutex);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, id_hash, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  g_rec_mutex_unlock (&self->db_mutex);
  return g_steal_pointer (&ids);
}

static gboolean
is_id_number_query (const char *query)
{
  gboolean digits = FALSE;

  for (const char *p = query; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits = TRUE;
      else if (*p != ' ')
        return FALSE;
    }
  return digits;
}

/* Ids of the sealed dossiers, in the order they were first saved. */
static GPtrArray *
list_sealed (FkStore *self, GError **error)
{
  g_autoptr (GPtrArray) entries = fk_outbox_list (self, FK_OUTBOX_ANY_STATE, error);
  GPtrArray *ids;

  if (entries == NULL)
    return NULL;
  ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < entries->len; i++)
    {
      FkOutboxEntry *e = g_ptr_array_index (entries, i);

      if (e->state != FK_OUTBOX_DRAFT)
        g_ptr_array_add (ids, g_strdup (e->id));
    }
  return ids;
}

GPtrArray *
fk_store_find_dossiers (FkStore *self, const char *query, GCancellable *cancellable, GError **error)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) ids = NULL;
  g_autofree char *folded = NULL;
  gboolean by_number;

  g_return_val_if_fail (FK_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  if (!fk_store_require_unlocked (self, error))
    return NULL;
  by_number = is_id_number_query (query);
  ids = by_number ? fk_store_find_by_id_number (self, query, error) : list_sealed (self, error);
  if (ids == NULL)
    return NULL;
  folded = fk_text_fold (query);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (FkDossier) dossier = NULL;
      g_autofree char *name = NULL;
      FkCitizen *citizen;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      /* Purged or discarded: nothing to show. */
      dossier = fk_store_read_dossier (self, g_ptr_array_index (ids, i), NULL);
      citizen = dossier != NULL ? fk_dossier_get_citizen (dossier) : NULL;
      if (citizen == NULL)
        continue;
      name = fk_text_fold (
        fk_citizen_get_full_name (citizen) != NULL ? fk_citizen_get_full_name (citizen) : "");
      if (by_number || strstr (name, folded) != NULL)
        g_ptr_array_add (found, g_steal_pointer (&dossier));
    }
  return g_steal_pointer (&found);
}

static void
find_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *found = fk_store_find_dossiers (source, task_data, cancellable, &error);

  if (found == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, found, (GDestroyNotify) g_ptr_array_unref);
}

void
fk_store_find_dossiers_async (FkStore *self, const char *query, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (FK_IS_STORE (self));
  g_return_if_fail (query != NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_store_find_dossiers_async);
  g_task_set_task_data (task, g_strdup (query), g_free);
  g_task_run_in_thread (task, find_thread);
}

/**
 * fk_store_find_dossiers_finish:
 *
 * Returns: (transfer full) (element-type FkDossier) (nullable): the dossiers
 */
GPtrArray *
fk_store_find_dossiers_finish (FkStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_store_find_dossiers_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
