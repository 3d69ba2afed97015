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
