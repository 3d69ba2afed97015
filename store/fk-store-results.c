/* fk-store-results.c: results ready for handover, as the server sent them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Invariants: a result is kept by its dossier id with the status and the
 * time the office set, never the office's note (free text that may name
 * people); a newer result for the same dossier replaces the status and
 * keeps the handover. The results cursor moves in the same transaction
 * that keeps the results it covers, so a crash in between makes the next
 * pull bring them again. Results of dossiers this device does not hold
 * (another device of the commune took them) are kept all the same: they
 * cost a row each and make no difference to the searches.
 */
#include "fk-store-private.h"

#include <glib/gi18n.h>

#include "fk-sync-protocol.h"
#include "fk-text.h"

#define MAX_STATUS_LENGTH 32
#define MAX_TIME_LENGTH   40

void
fk_store_result_free (FkStoreResult *result)
{
  if (result == NULL)
    return;
  g_free (result->dossier_id);
  g_free (result->status);
  g_free (result->ready_at);
  g_free (result);
}

/**
 * fk_store_result_new:
 * @dossier_id: the dossier's UUID
 * @status: what the office decided: "ready", "rejected", "needs-documents"…
 *   (lowercase ASCII letters and "-")
 * @ready_at: (nullable): when, as the server wrote it (ISO 8601)
 *
 * Returns: (transfer full) (nullable): the result, %NULL when a member is
 *   not what the protocol allows (the caller skips such an entry)
 */
FkStoreResult *
fk_store_result_new (const char *dossier_id, const char *status, const char *ready_at)
{
  g_autofree char *canonical = fk_sync_uuid_canonical (dossier_id);
  FkStoreResult *result;

  if (canonical == NULL || status == NULL || *status == '\0' ||
      strlen (status) > MAX_STATUS_LENGTH ||
      strspn (status, "abcdefghijklmnopqrstuvwxyz-") != strlen (status) ||
      (ready_at != NULL &&
       (strlen (ready_at) > MAX_TIME_LENGTH || !g_utf8_validate (ready_at, -1, NULL))))
    return NULL;
  result = g_new0 (FkStoreResult, 1);
  result->dossier_id = g_steal_pointer (&canonical);
  result->status = g_strdup (status);
  result->ready_at = g_strdup (ready_at != NULL ? ready_at : "");
  return result;
}

/**
 * fk_store_get_results_cursor:
 *
 * Returns: the `results_since` to pull from
 */
gint64
fk_store_get_results_cursor (FkStore *self)
{
  g_return_val_if_fail (FK_IS_STORE (self), 0);
  return fk_store_get_setting_int (self, FK_STORE_SETTING_RESULTS_CURSOR, 0);
}

static gboolean
save_one (FkStore *self, const FkStoreResult *result, gint64 seq, GError **error)
{
  sqlite3_stmt *stmt = fk_store_prepare (
    self,
    "INSERT INTO results (dossier_id, seq, status, ready_at, received) VALUES (?1, ?2, ?3, ?4, "
    "?5) ON CONFLICT (dossier_id) DO UPDATE SET seq = ?2, status = ?3, ready_at = ?4, "
    "received = ?5",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, result->dossier_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, seq);
  sqlite3_bind_text (stmt, 3, result->status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, result->ready_at, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, fk_store_now ());
  return fk_store_step_done (self, stmt, error);
}

/**
 * fk_store_save_results:
 * @self: a store
 * @results: (element-type FkStoreResult): results from a pull, in order
 * @cursor: the `results_next` of that pull
 * @error: return location for an error
 *
 * Keeps @results and moves the results cursor to @cursor, in one
 * transaction. Needs no PIN: nothing of it is personal.
 */
gboolean
fk_store_save_results (FkStore *self, GPtrArray *results, gint64 cursor, GError **error)
{
  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  if (!fk_store_begin (self, error))
    return FALSE;
  for (guint i = 0; results != NULL && i < results->len; i++)
    if (!save_one (self, g_ptr_array_index (results, i), cursor, error))
      {
        fk_store_rollback (self);
        return FALSE;
      }
  if (!fk_store_put_setting_int (self, FK_STORE_SETTING_RESULTS_CURSOR, cursor, error))
    {
      fk_store_rollback (self);
      return FALSE;
    }
  return fk_store_commit (self, error);
}

static FkStoreResult *
result_from_row (sqlite3_stmt *stmt)
{
  FkStoreResult *result = g_new0 (FkStoreResult, 1);

  result->dossier_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  result->status = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  result->ready_at = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  result->received = sqlite3_column_int64 (stmt, 3);
  result->handed_over = sqlite3_column_int64 (stmt, 4);
  return result;
}

/**
 * fk_store_list_results:
 * @self: a store
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type FkStoreResult): every result
 *   kept, newest first
 */
GPtrArray *
fk_store_list_results (FkStore *self, GError **error)
{
  g_autoptr (GPtrArray) out =
    g_ptr_array_new_with_free_func ((GDestroyNotify) fk_store_result_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FK_IS_STORE (self), NULL);
  g_rec_mutex_lock (&self->db_mutex);
  stmt = fk_store_prepare (self,
                           "SELECT dossier_id, status, ready_at, received, coalesce(handed_over, 0)"
                           " FROM results ORDER BY seq DESC, dossier_id",
                           error);
  if (stmt == NULL)
    {
      g_rec_mutex_unlock (&self->db_mutex);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, result_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    fk_store_set_sqlite_error (self, rc, error);
  g_rec_mutex_unlock (&self->db_mutex);
  return rc == SQLITE_DONE ? g_steal_pointer (&out) : NULL;
}

/**
 * fk_store_get_result:
 *
 * Returns: (transfer full) (nullable): the result of dossier @id, if one
 *   came
 */
FkStoreResult *
fk_store_get_result (FkStore *self, const char *id)
{
  g_autofree char *canonical = fk_sync_uuid_canonical (id);
  FkStoreResult *result = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FK_IS_STORE (self), NULL);
  if (canonical == NULL)
    return NULL;
  g_rec_mutex_lock (&self->db_mutex);
  stmt = fk_store_prepare (self,
                           "SELECT dossier_id, status, ready_at, received, coalesce(handed_over, 0)"
                           " FROM results WHERE dossier_id = ?",
                           NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, canonical, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        result = result_from_row (stmt);
    }
  sqlite3_finalize (stmt);
  g_rec_mutex_unlock (&self->db_mutex);
  return result;
}

/**
 * fk_store_record_handover:
 *
 * Records that the result of dossier @id was handed to the citizen now
 * (audited). %FK_STORE_ERROR_NOT_FOUND when no result came for it.
 */
gboolean
fk_store_record_handover (FkStore *self, const char *id, GError **error)
{
  g_autofree char *canonical = fk_sync_uuid_canonical (id);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  if (!fk_store_begin (self, error))
    return FALSE;
  stmt =
    fk_store_prepare (self, "UPDATE results SET handed_over = ?2 WHERE dossier_id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, canonical != NULL ? canonical : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, fk_store_now ());
  if (!fk_store_step_done (self, stmt, error))
    goto fail;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_FOUND,
                   _ ("No result has come from the server for this dossier."));
      goto fail;
    }
  if (!fk_audit_append (self, canonical, "handover", "", error))
    goto fail;
  return fk_store_commit (self, error);

fail:
  fk_store_rollback (self);
  return FALSE;
}

/* Under db_mutex: (visit id → results not yet handed over) for the
 * dossiers of this device that came on a visit; the dossiers without a
 * visit are counted under "". */
static GHashTable *
pending_by_visit (FkStore *self, GError **error)
{
  g_autoptr (GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = fk_store_prepare (
    self,
    "SELECT coalesce(d.visit_id, ''), count(*) FROM results r JOIN dossiers d ON d.id = "
    "r.dossier_id WHERE r.handed_over IS NULL GROUP BY 1",
    error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (counts, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         GINT_TO_POINTER (sqlite3_column_int (stmt, 1)));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      fk_store_set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&counts);
}

/* Whether visit @id went to @commune_code and @hamlet (the hamlet compared
 * without accents or case). */
static gboolean
visit_matches (FkStore *self, const char *id, const char *commune_code, const char *folded_hamlet)
{
  g_autoptr (FkVisit) visit = *id != '\0' ? fk_store_load_visit (self, id, NULL) : NULL;
  g_autofree char *hamlet = NULL;

  if (visit == NULL || g_strcmp0 (fk_visit_get_commune_code (visit), commune_code) != 0)
    return FALSE;
  hamlet = fk_text_fold (fk_visit_get_hamlet (visit) != NULL ? fk_visit_get_hamlet (visit) : "");
  return g_strcmp0 (hamlet, folded_hamlet) == 0;
}

/**
 * fk_store_count_results_to_hand_over:
 * @self: a store
 * @commune_code: (nullable): with @hamlet, only dossiers taken on visits
 *   there; %NULL: every dossier of this device
 * @hamlet: (nullable): the hamlet, compared without accents or case
 * @error: return location for an error
 *
 * How many results that came from the server still wait to be handed over
 * for dossiers this device holds. The visits are encrypted: with a
 * hamlet this needs the PIN (FK_STORE_ERROR_LOCKED). Results of dossiers
 * another device took do not count.
 *
 * Returns: the count (0 with @error set on failure)
 */
guint
fk_store_count_results_to_hand_over (FkStore *self, const char *commune_code, const char *hamlet,
                                     GError **error)
{
  g_autoptr (GHashTable) counts = NULL;
  g_autofree char *folded = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint n = 0;

  g_return_val_if_fail (FK_IS_STORE (self), 0);
  g_rec_mutex_lock (&self->db_mutex);
  if (commune_code != NULL && !fk_store_require_unlocked (self, error))
    {
      g_rec_mutex_unlock (&self->db_mutex);
      return 0;
    }
  counts = pending_by_visit (self, error);
  folded = hamlet != NULL ? fk_text_fold (hamlet) : NULL;
  if (counts != NULL)
    {
      g_hash_table_iter_init (&iter, counts);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (commune_code == NULL || visit_matches (self, key, commune_code, folded))
          n += (guint) GPOINTER_TO_INT (value);
    }
  g_rec_mutex_unlock (&self->db_mutex);
  return n;
}

typedef struct
{
  char *commune_code;
  char *hamlet;
} CountData;

static void
count_data_free (CountData *data)
{
  g_free (data->commune_code);
  g_free (data->hamlet);
  g_free (data);
}

static void
count_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CountData *data = task_data;
  GError *error = NULL;
  guint n = fk_store_count_results_to_hand_over (source, data->commune_code, data->hamlet, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, n);
}

/* The same in a worker thread (it decrypts the visits), for a GUI. */
void
fk_store_count_results_to_hand_over_async (FkStore *self, const char *commune_code,
                                           const char *hamlet, GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  CountData *data = g_new0 (CountData, 1);

  g_return_if_fail (FK_IS_STORE (self));
  data->commune_code = g_strdup (commune_code);
  data->hamlet = g_strdup (hamlet);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_store_count_results_to_hand_over_async);
  g_task_set_task_data (task, data, (GDestroyNotify) count_data_free);
  g_task_run_in_thread (task, count_thread);
}

/* Returns: the count, or -1 with @error */
gint
fk_store_count_results_to_hand_over_finish (FkStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (
    g_task_get_source_tag (G_TASK (result)) == fk_store_count_results_to_hand_over_async, -1);
  return (gint) g_task_propagate_int (G_TASK (result), error);
}
