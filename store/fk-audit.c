/* fk-audit.c: the hash-chained, signed audit log of the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Entry N holds seq, time, dossier id, action, detail, the hash of entry
 * N - 1 and its own hash: SHA-256 (hex) of
 *   "FKA1\n" seq "\n" time "\n" len ":" dossier "\n" len ":" action "\n"
 *   len ":" detail "\n" prev_hash
 * signed (Ed25519, detached) by the device key over the 64 hex characters
 * of the hash. The first entry's prev_hash is 64 zeros.
 */
#include "fk-store-private.h"

#include <glib/gi18n.h>
#include <string.h>

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static char *
entry_hash (gint64 seq, gint64 time, const char *dossier, const char *action, const char *detail,
            const char *prev_hash)
{
  g_autofree char *canon =
    g_strdup_printf ("FKA1\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n%" G_GSIZE_FORMAT
                     ":%s\n%" G_GSIZE_FORMAT ":%s\n%" G_GSIZE_FORMAT ":%s\n%s",
                     seq, time, strlen (dossier), dossier, strlen (action), action, strlen (detail),
                     detail, prev_hash);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, canon, -1);
}

gboolean
fk_audit_append (FkStore *self, const char *dossier_id, const char *action, const char *detail,
                 GError **error)
{
  sqlite3_stmt *stmt;
  gint64 seq = 1;
  gint64 now = fk_store_now ();
  g_autofree char *prev = g_strdup (GENESIS_HASH);
  g_autofree char *hash = NULL;
  guint8 sig[FK_DEVICE_SIGNATURE_BYTES];

  stmt = fk_store_prepare (self, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      seq = sqlite3_column_int64 (stmt, 0) + 1;
      g_free (prev);
      prev = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_finalize (stmt);

  hash = entry_hash (seq, now, dossier_id != NULL ? dossier_id : "", action, detail, prev);
  fk_device_key_sign (self->device_key, hash, strlen (hash), sig);

  stmt = fk_store_prepare (self,
                           "INSERT INTO audit (seq, time, dossier_id, action, detail, prev_hash, "
                           "hash, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_int64 (stmt, 2, now);
  if (dossier_id != NULL)
    sqlite3_bind_text (stmt, 3, dossier_id, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 3);
  sqlite3_bind_text (stmt, 4, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, detail, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, prev, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, hash, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 8, sig, sizeof sig, SQLITE_STATIC);
  if (!fk_store_step_done (self, stmt, error))
    return FALSE;
  return TRUE;
}

static const char *
column_text (sqlite3_stmt *stmt, int col)
{
  const char *s = (const char *) sqlite3_column_text (stmt, col);

  return s != NULL ? s : "";
}

gboolean
fk_store_verify_audit (FkStore *self, gint64 *out_bad_seq, guint64 *out_n_entries, GError **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *prev = g_strdup (GENESIS_HASH);
  const guint8 *public_key;
  gint64 expected = 1;
  gint64 bad = 0;
  const char *why = NULL;
  int rc;

  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  public_key = fk_device_key_get_public_key (self->device_key);
  g_rec_mutex_lock (&self->db_mutex);
  stmt = fk_store_prepare (self,
                           "SELECT seq, time, dossier_id, action, detail, prev_hash, hash, "
                           "signature FROM audit ORDER BY seq",
                           error);
  if (stmt == NULL)
    {
      g_rec_mutex_unlock (&self->db_mutex);
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const char *prev_hash = column_text (stmt, 5);
      const char *hash = column_text (stmt, 6);
      g_autofree char *computed = NULL;

      if (seq != expected)
        {
          bad = expected;
          why = _ ("it is missing");
          break;
        }
      if (!g_str_equal (prev_hash, prev))
        {
          bad = seq;
          why = _ ("it does not follow the entry before it");
          break;
        }
      computed = entry_hash (seq, sqlite3_column_int64 (stmt, 1), column_text (stmt, 2),
                             column_text (stmt, 3), column_text (stmt, 4), prev_hash);
      if (!g_str_equal (computed, hash))
        {
          bad = seq;
          why = _ ("its content was changed");
          break;
        }
      if (!fk_device_key_verify (public_key, hash, strlen (hash), sqlite3_column_blob (stmt, 7),
                                 (gsize) sqlite3_column_bytes (stmt, 7)))
        {
          bad = seq;
          why = _ ("its signature is not this device's");
          break;
        }
      g_free (prev);
      prev = g_strdup (hash);
      expected++;
    }
  sqlite3_finalize (stmt);
  g_rec_mutex_unlock (&self->db_mutex);
  if (out_n_entries != NULL)
    *out_n_entries = (guint64) (expected - 1);
  if (out_bad_seq != NULL)
    *out_bad_seq = bad;
  if (bad != 0)
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_CORRUPT,
                   _ ("The audit log is broken at entry %lld: %s."), (long long) bad, why);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      fk_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}
