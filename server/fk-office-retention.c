/* fk-office-retention.c: a dossier's photos and fingerprint leave the
 * server office-retention-days after its result was handed over
 *
 * Law 91/2025 limits how long biometric data and ID-card images are kept.
 * Once the citizen has the result, the sealed attachments (document
 * photos, fingerprint image and template) are deleted from the database;
 * the dossier itself (who, which procedure), its result, its history and
 * the audit trail stay, and the office says when the files were removed.
 * Run by the server's maintenance thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-private.h"

#include <string.h>

static gboolean
purge_one (FkOffice *self, const char *dossier, const char *device, GBytes *manifest_bytes,
           GError **error)
{
  gsize len = 0;
  const char *data = manifest_bytes != NULL ? g_bytes_get_data (manifest_bytes, &len) : NULL;
  g_autoptr (FkSyncManifest) manifest =
    data != NULL ? fk_sync_manifest_parse (data, len, NULL) : NULL;
  g_autoptr (FkDbConn) conn = fk_db_acquire (self->db, TRUE, error);
  g_autoptr (FkDbResult) done = NULL;
  gboolean ok;

  if (conn == NULL || !fk_db_exec (conn, self->db->backend->begin_write, error))
    return FALSE;
  ok = TRUE;
  for (guint i = 0; ok && manifest != NULL && i < manifest->parts->len; i++)
    {
      const FkSyncPart *part = manifest->parts->pdata[i];
      g_autoptr (FkDbResult) chunks = NULL;
      g_autoptr (FkDbResult) blob = NULL;

      /* The dossier itself stays: the record that it existed. */
      if (strcmp (part->kind, "dossier") == 0 || strcmp (part->kind, "receipt") == 0)
        continue;
      chunks = FK_DB_QUERY (conn, "DELETE FROM chunks WHERE device = $1 AND sha256 = $2", error,
                            FK_DB_P_TEXT (device), FK_DB_P_TEXT (part->sha256));
      if (chunks != NULL)
        blob = FK_DB_QUERY (conn, "DELETE FROM blobs WHERE device = $1 AND sha256 = $2", error,
                            FK_DB_P_TEXT (device), FK_DB_P_TEXT (part->sha256));
      ok = blob != NULL;
    }
  if (ok)
    done = FK_DB_QUERY (conn, "UPDATE office_dossiers SET purged_at = $2 WHERE dossier = $1", error,
                        FK_DB_P_TEXT (dossier), FK_DB_P_INT (g_get_real_time () / G_USEC_PER_SEC));
  if (done == NULL ||
      !fk_office_history_add (self, conn, dossier, "fieldkit-server", "purged", NULL, error) ||
      !fk_db_exec (conn, "COMMIT", error))
    {
      fk_db_exec (conn, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

gboolean
fk_office_purge_handed_over (FkOffice *self, guint *n_purged, GError **error)
{
  double days = self->config->office_retention_days;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC - (gint64) (days * 86400);

  *n_purged = 0;
  if (days <= 0)
    return TRUE;
  for (;;)
    {
      g_autoptr (FkDbConn) conn = fk_db_acquire (self->db, FALSE, error);
      g_autoptr (FkDbResult) res = NULL;

      if (conn == NULL)
        return FALSE;
      res = FK_DB_QUERY (conn,
                         "SELECT o.dossier, d.device, d.manifest FROM office_dossiers o"
                         " JOIN dossiers d ON d.dossier = o.dossier"
                         " WHERE o.state = 'handed-over' AND o.purged_at = 0"
                         " AND o.handed_over_at < $1 LIMIT 50",
                         error, FK_DB_P_INT (before));
      g_clear_pointer (&conn, fk_db_release);
      if (res == NULL)
        return FALSE;
      for (guint i = 0; i < res->rows->len; i++)
        {
          g_autoptr (GBytes) manifest = fk_db_cell_bytes (res, i, 2);

          if (!purge_one (self, fk_db_cell_text (res, i, 0), fk_db_cell_text (res, i, 1), manifest,
                          error))
            return FALSE;
          (*n_purged)++;
        }
      if (res->rows->len < 50)
        return TRUE;
    }
}
