/* fk-store-catalog.c: the procedure catalog in use on this device
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Invariants: the `catalog` table holds at most one version from the
 * server: its bytes and the server's signature exactly as received, put
 * there only after the signature verified with the server's receipt key
 * (setting FK_STORE_SETTING_SERVER_VERIFY_KEY) and core accepted the
 * catalog, in the same transaction that moves the catalog cursor. The
 * signature is checked again every time the version is loaded: a row that
 * does not pass is dropped (with its cursor, so the next pull brings the
 * newest again) and the catalog shipped with FieldKit is used meanwhile.
 * Of the stored and the shipped catalog, the newer version is the one in
 * use, so updating FieldKit itself never goes back to an older catalog.
 * The catalog holds no personal data and is kept in clear.
 */
#include "fk-store-private.h"

#include <glib/gi18n.h>

#include "fk-sync-protocol.h"

/* Under db_mutex: the seq of the stored version, 0 when there is none. */
static gint64
stored_seq (FkStore *self)
{
  sqlite3_stmt *stmt = fk_store_prepare (self, "SELECT seq FROM catalog WHERE id = 1", NULL);
  gint64 seq = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return seq;
}

static gboolean
get_verify_key (FkStore *self, guint8 key[FK_SYNC_KEY_BYTES])
{
  g_autofree char *text = fk_store_get_setting (self, FK_STORE_SETTING_SERVER_VERIFY_KEY);

  return text != NULL && fk_sync_key_from_base64 (text, key, NULL);
}

/* Under db_mutex: the stored version, its signature checked again; NULL
 * with @problem set when it does not pass. */
static FkCatalog *
load_stored (FkStore *self, char **problem)
{
  sqlite3_stmt *stmt =
    fk_store_prepare (self, "SELECT version, body, signature FROM catalog WHERE id = 1", NULL);
  g_autofree char *version = NULL;
  g_autofree char *signature = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  guint8 key[FK_SYNC_KEY_BYTES];
  FkCatalog *catalog = NULL;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      version = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      body = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
      signature = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_finalize (stmt);
  if (body == NULL)
    return NULL;
  if (!get_verify_key (self, key) || !fk_sync_catalog_verify (key, body, signature))
    *problem = g_strdup_printf (_ ("The procedure catalog version %s kept on this device does not "
                                   "match the server's signature any more: the catalog shipped "
                                   "with FieldKit is used until the next pull brings the newest "
                                   "version again."),
                                version);
  else if ((catalog = fk_catalog_new_from_bytes (body, &error)) == NULL)
    *problem = g_strdup_printf (_ ("The procedure catalog version %s kept on this device cannot "
                                   "be used (%s): the catalog shipped with FieldKit is used until "
                                   "the next pull brings the newest version again."),
                                version, error->message);
  return catalog;
}

/* Under db_mutex: drops a stored version that failed its check, and its
 * cursor, so that the next pull asks for the newest version again. A busy
 * store leaves it for the next load. */
static void
drop_stored (FkStore *self)
{
  if (!fk_store_begin (self, NULL))
    return;
  if (!fk_store_exec (self, "DELETE FROM catalog", NULL) ||
      !fk_store_put_setting_int (self, FK_STORE_SETTING_CATALOG_CURSOR, 0, NULL) ||
      !fk_audit_append (self, NULL, "catalog-dropped", "", NULL))
    {
      fk_store_rollback (self);
      return;
    }
  fk_store_commit (self, NULL);
}

/* Under db_mutex: loads what is in use now into self->catalog. */
static gboolean
reload (FkStore *self, gint64 seq, GError **error)
{
  g_autoptr (FkCatalog) shipped = NULL;
  g_autoptr (FkCatalog) stored = NULL;
  g_autofree char *problem = NULL;
  g_autoptr (GError) local = NULL;

  shipped = fk_catalog_new_default (&local);
  if (shipped == NULL)
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_FAILED, "%s", local->message);
      return FALSE;
    }
  if (seq > 0)
    {
      stored = load_stored (self, &problem);
      if (stored == NULL)
        {
          drop_stored (self);
          seq = 0;
        }
    }
  g_clear_object (&self->catalog);
  if (stored != NULL && fk_catalog_version_compare (fk_catalog_get_version (stored),
                                                    fk_catalog_get_version (shipped)) > 0)
    self->catalog = g_steal_pointer (&stored);
  else
    self->catalog = g_steal_pointer (&shipped);
  self->catalog_seq = seq;
  if (problem != NULL)
    {
      g_free (self->catalog_problem);
      self->catalog_problem = g_steal_pointer (&problem);
    }
  return TRUE;
}

/**
 * fk_store_get_catalog:
 * @self: a store
 * @error: return location for an error
 *
 * The procedure catalog in use: the newest version applied from the
 * server (its signature checked again when it is loaded), or the one
 * shipped with FieldKit when that is newer or none was applied. Cheap
 * when nothing changed: another process applying a version is seen at
 * the next call.
 *
 * Returns: (transfer full) (nullable): the catalog
 */
FkCatalog *
fk_store_get_catalog (FkStore *self, GError **error)
{
  FkCatalog *catalog = NULL;
  gint64 seq;

  g_return_val_if_fail (FK_IS_STORE (self), NULL);
  g_rec_mutex_lock (&self->db_mutex);
  seq = stored_seq (self);
  if (self->catalog != NULL && seq == self->catalog_seq)
    catalog = g_object_ref (self->catalog);
  else if (reload (self, seq, error))
    catalog = g_object_ref (self->catalog);
  g_rec_mutex_unlock (&self->db_mutex);
  return catalog;
}

/**
 * fk_store_get_catalog_problem:
 *
 * Returns: (transfer full) (nullable): why the version kept on this device
 *   could not be used when it was last loaded, translated; %NULL when it
 *   could
 */
char *
fk_store_get_catalog_problem (FkStore *self)
{
  char *problem;

  g_return_val_if_fail (FK_IS_STORE (self), NULL);
  g_rec_mutex_lock (&self->db_mutex);
  problem = g_strdup (self->catalog_problem);
  g_rec_mutex_unlock (&self->db_mutex);
  return problem;
}

/**
 * fk_store_get_catalog_cursor:
 *
 * Returns: the `catalog_since` to pull from: the last catalog version
 *   the device applied or passed over
 */
gint64
fk_store_get_catalog_cursor (FkStore *self)
{
  g_return_val_if_fail (FK_IS_STORE (self), 0);
  return fk_store_get_setting_int (self, FK_STORE_SETTING_CATALOG_CURSOR, 0);
}

/* The checks a version from the server passes before it is kept: size,
 * signature, core's rules. @current is the version in use, for the
 * messages. */
static FkCatalog *
check_update (FkStore *self, GBytes *body, const char *signature, const char *current,
              GError **error)
{
  g_autoptr (GError) local = NULL;
  guint8 key[FK_SYNC_KEY_BYTES];
  FkCatalog *catalog;

  if (g_bytes_get_size (body) > FK_SYNC_MAX_CATALOG_BYTES)
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_UNTRUSTED,
                   _ ("The catalog update from the server is refused: it is larger than a "
                      "catalog may be. The device keeps catalog version %s."),
                   current);
      return NULL;
    }
  if (!get_verify_key (self, key))
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_UNTRUSTED,
                   _ ("The catalog update from the server is refused: this device has no server "
                      "key to check it with (set the device up with the server's server.pub). "
                      "The device keeps catalog version %s."),
                   current);
      return NULL;
    }
  if (!fk_sync_catalog_verify (key, body, signature))
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_UNTRUSTED,
                   _ ("The catalog update from the server is refused: it is not signed by the "
                      "commune's server, or was changed on the way. The device keeps catalog "
                      "version %s."),
                   current);
      return NULL;
    }
  catalog = fk_catalog_new_from_bytes (body, &local);
  if (catalog == NULL)
    g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                 _ ("The catalog update from the server is refused (%s). The device keeps catalog "
                    "version %s."),
                 local->message, current);
  return catalog;
}

/* Inside a transaction: keeps @catalog's bytes and signature as seq @seq. */
static gboolean
store_version (FkStore *self, gint64 seq, FkCatalog *catalog, GBytes *body, const char *signature,
               GError **error)
{
  sqlite3_stmt *stmt = fk_store_prepare (
    self,
    "INSERT INTO catalog (id, seq, version, body, signature, applied) VALUES (1, ?1, ?2, ?3, ?4, "
    "?5) ON CONFLICT (id) DO UPDATE SET seq = ?1, version = ?2, body = ?3, signature = ?4, "
    "applied = ?5",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_text (stmt, 2, fk_catalog_get_version (catalog), -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 3, g_bytes_get_data (body, NULL), (int) g_bytes_get_size (body),
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, signature, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, fk_store_now ());
  return fk_store_step_done (self, stmt, error) &&
         fk_audit_append (self, NULL, "catalog-applied", fk_catalog_get_version (catalog), error);
}

/**
 * fk_store_apply_catalog:
 * @self: a store
 * @seq: the version's place in the server's sequence (`seq` of the pull)
 * @body: the catalog's bytes as received
 * @signature: (nullable): the server's signature that came with them
 * @out_applied: (out) (optional): whether it is the catalog in use now
 *   (%FALSE: not newer than the one in use, passed over)
 * @error: return location for an error
 *
 * Applies a catalog version from the server: it must be signed with the
 * server's receipt key and pass the checks of the shipped catalog. Once
 * kept (or passed over, when not newer than the one in use), the catalog
 * cursor moves to @seq in the same transaction. A version that fails is
 * refused with %FK_STORE_ERROR_UNTRUSTED (no signature, a wrong one, no
 * key to check it, too large) or %FK_STORE_ERROR_INVALID_ARGUMENT (core's
 * message saying what is wrong), the message naming the version kept;
 * then nothing changes, the cursor included.
 *
 * Returns: %TRUE when the version was applied or passed over
 */
gboolean
fk_store_apply_catalog (FkStore *self, gint64 seq, GBytes *body, const char *signature,
                        gboolean *out_applied, GError **error)
{
  g_autoptr (FkCatalog) current = NULL;
  g_autoptr (FkCatalog) update = NULL;
  gboolean newer;

  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  g_return_val_if_fail (body != NULL, FALSE);
  if (out_applied != NULL)
    *out_applied = FALSE;
  current = fk_store_get_catalog (self, error);
  if (current == NULL)
    return FALSE;
  update = check_update (self, body, signature, fk_catalog_get_version (current), error);
  if (update == NULL)
    return FALSE;
  newer = fk_catalog_version_compare (fk_catalog_get_version (update),
                                      fk_catalog_get_version (current)) > 0;
  if (!fk_store_begin (self, error))
    return FALSE;
  if ((newer && !store_version (self, seq, update, body, signature, error)) ||
      !fk_store_put_setting_int (self, FK_STORE_SETTING_CATALOG_CURSOR, seq, error))
    {
      fk_store_rollback (self);
      return FALSE;
    }
  g_rec_mutex_lock (&self->db_mutex);
  if (!fk_store_commit (self, error))
    {
      g_rec_mutex_unlock (&self->db_mutex);
      return FALSE;
    }
  if (newer)
    {
      g_set_object (&self->catalog, update);
      self->catalog_seq = seq;
      g_clear_pointer (&self->catalog_problem, g_free);
    }
  g_rec_mutex_unlock (&self->db_mutex);
  if (out_applied != NULL)
    *out_applied = newer;
  return TRUE;
}
