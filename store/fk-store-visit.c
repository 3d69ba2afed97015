/* fk-store-visit.c: the outreach visits (date, commune, hamlet, team)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Invariants: a visit names its team, so it is stored only encrypted: its
 * JSON (core's format) wrapped with the device-local key (AD "FKVI1" ||
 * id), which exists only while unlocked and is used under db_mutex. The
 * plaintext is wiped once wrapped or parsed. Dossiers refer to a visit by
 * its id (dossiers.visit_id).
 */
#include "fk-store-private.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "fk-core.h"

/* Under db_mutex, unlocked: @visit's JSON wrapped with the local key. */
static GBytes *
wrap_visit (FkStore *self, FkVisit *visit)
{
  g_autoptr (JsonNode) json = fk_visit_to_json (visit);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (GBytes) ad = fk_store_ad (FK_STORE_AD_VISIT, fk_visit_get_id (visit));
  g_autofree char *text = NULL;
  GBytes *wrapped;

  json_generator_set_root (gen, json);
  text = json_generator_to_data (gen, NULL);
  wrapped = fk_vault_wrap (self->local_key, text, strlen (text), g_bytes_get_data (ad, NULL),
                           g_bytes_get_size (ad));
  sodium_memzero (text, strlen (text));
  return wrapped;
}

gboolean
fk_store_save_visit (FkStore *self, FkVisit *visit, GError **error)
{
  g_autoptr (GBytes) wrapped = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  g_return_val_if_fail (FK_IS_VISIT (visit), FALSE);
  if (!fk_store_begin (self, error))
    return FALSE;
  if (!fk_store_require_unlocked (self, error))
    goto fail;
  wrapped = wrap_visit (self, visit);
  stmt = fk_store_prepare (self,
                           "INSERT INTO visits (id, created, data) VALUES (?1, ?2, ?3) "
                           "ON CONFLICT (id) DO UPDATE SET data = ?3",
                           error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, fk_visit_get_id (visit), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, fk_store_now ());
  sqlite3_bind_blob (stmt, 3, g_bytes_get_data (wrapped, NULL), (int) g_bytes_get_size (wrapped),
                     SQLITE_STATIC);
  if (!fk_store_step_done (self, stmt, error))
    goto fail;
  return fk_store_commit (self, error);

fail:
  fk_store_rollback (self);
  return FALSE;
}

static FkVisit *
parse_visit (GBytes *plain, const char *id, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  FkVisit *visit = NULL;
  JsonNode *root;

  if (json_parser_load_from_data (parser, g_bytes_get_data (plain, NULL),
                                  (gssize) g_bytes_get_size (plain), NULL) &&
      (root = json_parser_get_root (parser)) != NULL)
    visit = fk_visit_new_from_json (root, &local);
  fk_store_wipe_bytes (plain);
  if (visit == NULL)
    g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_CORRUPT,
                 _ ("Visit %s opened but cannot be read back."), id);
  return visit;
}

/* Under db_mutex: the visit's row decrypted, or NULL. */
static GBytes *
fetch_visit (FkStore *self, const char *id, GError **error)
{
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GBytes) ad = fk_store_ad (FK_STORE_AD_VISIT, id);
  g_autoptr (GError) local = NULL;
  sqlite3_stmt *stmt;
  GBytes *plain;

  if (!fk_store_require_unlocked (self, error))
    return NULL;
  stmt = fk_store_prepare (self, "SELECT data FROM visits WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    data = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_finalize (stmt);
  if (data == NULL)
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_FOUND,
                   _ ("No visit %s in this store."), id);
      return NULL;
    }
  plain = fk_vault_unwrap (self->local_key, g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                           g_bytes_get_data (ad, NULL), g_bytes_get_size (ad), &local);
  if (plain == NULL)
    fk_store_propagate_error (error, g_steal_pointer (&local));
  return plain;
}

/**
 * fk_store_load_visit:
 *
 * Returns: (transfer full) (nullable): the visit
 */
FkVisit *
fk_store_load_visit (FkStore *self, const char *id, GError **error)
{
  g_autoptr (GBytes) plain = NULL;

  g_return_val_if_fail (FK_IS_STORE (self), NULL);
  g_rec_mutex_lock (&self->db_mutex);
  plain = fetch_visit (self, id, error);
  g_rec_mutex_unlock (&self->db_mutex);
  return plain != NULL ? parse_visit (plain, id, error) : NULL;
}

static void
load_visit_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  FkVisit *visit = fk_store_load_visit (source, task_data, &error);

  if (visit == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, visit, g_object_unref);
}

void
fk_store_load_visit_async (FkStore *self, const char *id, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (FK_IS_STORE (self));
  g_return_if_fail (id != NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_store_load_visit_async);
  g_task_set_task_data (task, g_strdup (id), g_free);
  g_task_run_in_thread (task, load_visit_thread);
}

/**
 * fk_store_load_visit_finish:
 *
 * Returns: (transfer full) (nullable): the visit
 */
FkVisit *
fk_store_load_visit_finish (FkStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_store_load_visit_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static int
compare_dates (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (fk_visit_get_date (*(FkVisit **) a), fk_visit_get_date (*(FkVisit **) b));
}

/**
 * fk_store_list_visits:
 *
 * Every visit of the store, planned ones (dated after today) included.
 *
 * Returns: (transfer full) (element-type FkVisit): the visits by date, then
 *   by the order they were first saved
 */
GPtrArray *
fk_store_list_visits (FkStore *self, GError **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) visits = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FK_IS_STORE (self), NULL);
  g_rec_mutex_lock (&self->db_mutex);
  stmt = fk_store_prepare (self, "SELECT id FROM visits ORDER BY created, rowid", error);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (stmt != NULL)
    sqlite3_finalize (stmt);
  g_rec_mutex_unlock (&self->db_mutex);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < ids->len; i++)
    {
      FkVisit *visit = fk_store_load_visit (self, g_ptr_array_index (ids, i), error);

      if (visit == NULL)
        return NULL;
      g_ptr_array_add (visits, visit);
    }
  /* A stable sort: visits of the same day keep the order they were saved in. */
  g_ptr_array_sort (visits, compare_dates);
  return g_steal_pointer (&visits);
}

static void
list_visits_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *visits = fk_store_list_visits (source, &error);

  if (visits == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, visits, (GDestroyNotify) g_ptr_array_unref);
}

void
fk_store_list_visits_async (FkStore *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (FK_IS_STORE (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_store_list_visits_async);
  g_task_run_in_thread (task, list_visits_thread);
}

/**
 * fk_store_list_visits_finish:
 *
 * Returns: (transfer full) (element-type FkVisit): the visits by date
 */
GPtrArray *
fk_store_list_visits_finish (FkStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_store_list_visits_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
