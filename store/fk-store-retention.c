/* fk-store-retention.c: erasing sealed content: purge, retention, discard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Invariants:
 * - Erasing is a database change first (key, part rows, draft and, when
 *   asked, the citizen link dropped in one transaction with its audit
 *   entry), the part files second: a crash in between leaves orphans that
 *   the next writer open removes, never a row pointing at nothing.
 * - A purge keeps what result handover needs: dossier id, procedure,
 *   dates, the keyed hash of the ID number and the server's receipt.
 * - The retention period counts from delivery; the writer applies it each
 *   time it opens the store.
 */
#include "fk-store-private.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "fk-file-util.h"

gboolean
fk_store_erase_content_locked (FkStore *self, const char *id, gboolean forget_citizen,
                               GPtrArray *removed_parts, GError **error)
{
  g_autofree char *citizen_id = NULL;
  sqlite3_stmt *stmt;

  stmt = fk_store_prepare (self,
                           "SELECT blob_name, citizen_id FROM dossiers WHERE id = ?1 UNION ALL "
                           "SELECT name, NULL FROM attachments WHERE dossier_id = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  for (gboolean first = TRUE; sqlite3_step (stmt) == SQLITE_ROW; first = FALSE)
    {
      if (removed_parts != NULL && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        g_ptr_array_add (removed_parts, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      if (first && sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        citizen_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_finalize (stmt);

  stmt = fk_store_prepare (self, "DELETE FROM attachments WHERE dossier_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (!fk_store_step_done (self, stmt, error))
    return FALSE;
  stmt = fk_store_prepare (self,
                           "UPDATE dossiers SET wrapped_key = NULL, blob_name = NULL, "
                           "blob_size = NULL, blob_sha256 = NULL, draft = NULL, purged = ?1, "
                           "citizen_id = CASE WHEN ?3 THEN NULL ELSE citizen_id END WHERE id = ?2",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, fk_store_now ());
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, forget_citizen ? 1 : 0);
  if (!fk_store_step_done (self, stmt, error))
    return FALSE;
  if (!forget_citizen || citizen_id == NULL)
    return TRUE;
  /* The ID-number hash goes too unless another dossier still needs it. */
  stmt = fk_store_prepare (self,
                           "DELETE FROM citizens WHERE id = ?1 AND NOT EXISTS "
                           "(SELECT 1 FROM dossiers WHERE citizen_id = ?1)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, citizen_id, -1, SQLITE_STATIC);
  return fk_store_step_done (self, stmt, error);
}

gboolean
fk_store_remove_part_files (FkStore *self, GPtrArray *names, GError **error)
{
  g_autoptr (GError) local = NULL;

  /* The rows are gone; a crash before these unlinks leaves orphans that the
   * next writer open removes. */
  for (guint i = 0; names != NULL && i < names->len; i++)
    {
      g_autofree char *path =
        g_build_filename (self->parts_dir, g_ptr_array_index (names, i), NULL);

      g_unlink (path);
    }
  if (names == NULL || names->len == 0 || fk_fsync_dir (self->parts_dir, &local))
    return TRUE;
  fk_store_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

gboolean
fk_store_purge_delivered (FkStore *self, gint64 older_than_seconds, guint *out_purged,
                          GError **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  gint64 now = fk_store_now ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  if (out_purged != NULL)
    *out_purged = 0;
  if (!fk_store_begin (self, error))
    return FALSE;
  stmt = fk_store_prepare (self,
                           "SELECT d.id FROM dossiers d JOIN outbox o ON o.dossier_id "
                           "= d.id WHERE o.state = 'delivered' AND d.purged IS NULL AND o.changed "
                           "<= ?",
                           error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, now - older_than_seconds);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);

      if (!fk_store_erase_content_locked (self, id, FALSE, names, error) ||
          !fk_audit_append (self, id, "purge", "", error))
        goto fail;
    }
  if (!fk_store_commit (self, error) || !fk_store_remove_part_files (self, names, error))
    return FALSE;
  if (out_purged != NULL)
    *out_purged = ids->len;
  return TRUE;

fail:
  fk_store_rollback (self);
  return FALSE;
}

gint64
fk_store_get_retention (FkStore *self)
{
  g_return_val_if_fail (FK_IS_STORE (self), FK_STORE_RETENTION_DEFAULT);
  return fk_store_get_setting_int (self, "retention.seconds", FK_STORE_RETENTION_DEFAULT);
}

gboolean
fk_store_set_retention (FkStore *self, gint64 seconds, GError **error)
{
  g_autofree char *detail = NULL;

  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  if (seconds < 0)
    {
      g_set_error_literal (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                           _ ("The retention period cannot be negative."));
      return FALSE;
    }
  detail = g_strdup_printf ("%lld", (long long) seconds);
  if (!fk_store_begin (self, error))
    return FALSE;
  if (!fk_store_put_setting_int (self, "retention.seconds", seconds, error) ||
      !fk_audit_append (self, NULL, "retention", detail, error))
    {
      fk_store_rollback (self);
      return FALSE;
    }
  return fk_store_commit (self, error);
}

gboolean
fk_store_purge_expired (FkStore *self, guint *out_purged, GError **error)
{
  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  return fk_store_purge_delivered (self, fk_store_get_retention (self), out_purged, error);
}
