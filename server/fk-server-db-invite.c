/* fk-server-db-invite.c: enrollment codes (invitations), for both backends
 *
 * Only the SHA-256 of a token is stored: the database alone cannot enroll
 * a device. Using one is a single transaction whose first statement is a
 * compare-and-set on used_at, so of two devices (or two server processes)
 * presenting the same token exactly one wins, and a failure after it (the
 * device key enrolled already) rolls the token back to unused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-db-private.h"

#include <glib/gi18n.h>

#include "fk-server-error.h"
#include "fk-sync-error.h"

static char *
now_iso (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

void
fk_server_invitation_free (FkServerInvitation *invitation)
{
  if (invitation == NULL)
    return;
  g_free (invitation->token_sha256);
  g_free (invitation->commune);
  g_free (invitation->name);
  g_free (invitation->created_by);
  g_free (invitation->created_at);
  g_free (invitation->device);
  g_free (invitation);
}

gboolean
fk_server_db_invitation_add (FkServerDb *self, const char *token_sha256, const char *commune,
                             const char *name, const char *created_by, gint64 expires_at,
                             GError **error)
{
  g_autofree char *now = now_iso ();
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, TRUE, error);
  g_autoptr (FkDbResult) res = NULL;

  if (conn == NULL)
    return FALSE;
  res =
    FK_DB_QUERY (conn,
                 "INSERT INTO invitations (token_sha256, commune, name, created_by,"
                 " created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
                 error, FK_DB_P_TEXT (token_sha256), FK_DB_P_TEXT (commune), FK_DB_P_TEXT (name),
                 FK_DB_P_TEXT (created_by), FK_DB_P_TEXT (now), FK_DB_P_INT (expires_at));
  return res != NULL;
}

GPtrArray *
fk_server_db_invitation_list (FkServerDb *self, const char *commune, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, FALSE, error);
  g_autoptr (FkDbResult) res = NULL;
  GPtrArray *list;

  if (conn == NULL)
    return NULL;
  res = FK_DB_QUERY (conn,
                     "SELECT token_sha256, commune, name, created_by, created_at, expires_at,"
                     " used_at, device FROM invitations WHERE $1 = '' OR commune = $1"
                     " ORDER BY created_at DESC, name",
                     error, FK_DB_P_TEXT (commune != NULL ? commune : ""));
  if (res == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) fk_server_invitation_free);
  for (guint i = 0; i < res->rows->len; i++)
    {
      FkServerInvitation *inv = g_new0 (FkServerInvitation, 1);

      inv->token_sha256 = g_strdup (fk_db_cell_text (res, i, 0));
      inv->commune = g_strdup (fk_db_cell_text (res, i, 1));
      inv->name = g_strdup (fk_db_cell_text (res, i, 2));
      inv->created_by = g_strdup (fk_db_cell_text (res, i, 3));
      inv->created_at = g_strdup (fk_db_cell_text (res, i, 4));
      inv->expires_at = fk_db_cell_int (res, i, 5);
      inv->used_at = fk_db_cell_int (res, i, 6);
      inv->device = g_strdup (fk_db_cell_text (res, i, 7));
      g_ptr_array_add (list, inv);
    }
  return list;
}

/* Why the compare-and-set found nothing to take, read inside the same
 * transaction. */
static void
set_refusal (FkDbConn *conn, const char *token_sha256, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (FkDbResult) res =
    FK_DB_QUERY (conn, "SELECT used_at, expires_at FROM invitations WHERE token_sha256 = $1",
                 &local, FK_DB_P_TEXT (token_sha256));

  if (res == NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  else if (res->rows->len == 0)
    g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVITATION_INVALID,
                 _ ("This server made no such enrollment code; it may have been changed"));
  else if (fk_db_cell_int (res, 0, 0) != 0)
    g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVITATION_USED,
                 _ ("This enrollment code was used already; ask for a new one"));
  else
    g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVITATION_EXPIRED,
                 _ ("This enrollment code has expired; ask for a new one"));
}

static gboolean
use_in_transaction (FkDbConn *conn, const char *token_sha256, const char *device, gint64 now,
                    char **commune, char **name, GError **error)
{
  g_autofree char *now_text = now_iso ();
  g_autoptr (FkDbResult) taken = NULL;
  g_autoptr (FkDbResult) enrolled = NULL;

  taken =
    FK_DB_QUERY (conn,
                 "UPDATE invitations SET used_at = $2, device = $3 WHERE token_sha256 = $1"
                 " AND used_at = 0 AND expires_at > $2 RETURNING commune, name",
                 error, FK_DB_P_TEXT (token_sha256), FK_DB_P_INT (now), FK_DB_P_TEXT (device));
  if (taken == NULL)
    return FALSE;
  if (taken->rows->len != 1)
    {
      set_refusal (conn, token_sha256, error);
      return FALSE;
    }
  enrolled =
    FK_DB_QUERY (conn,
                 "INSERT INTO devices (pubkey, name, commune, created_at)"
                 " VALUES ($1, $2, $3, $4) ON CONFLICT (pubkey) DO NOTHING",
                 error, FK_DB_P_TEXT (device), FK_DB_P_TEXT (fk_db_cell_text (taken, 0, 1)),
                 FK_DB_P_TEXT (fk_db_cell_text (taken, 0, 0)), FK_DB_P_TEXT (now_text));
  if (enrolled == NULL)
    return FALSE;
  if (enrolled->changes == 0)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_EXISTS,
                   _ ("This device key is already enrolled"));
      return FALSE;
    }
  *commune = g_strdup (fk_db_cell_text (taken, 0, 0));
  *name = g_strdup (fk_db_cell_text (taken, 0, 1));
  return TRUE;
}

gboolean
fk_server_db_invitation_use (FkServerDb *self, const char *token_sha256, const char *device,
                             gint64 now, char **commune, char **name, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, TRUE, error);
  g_autofree char *c = NULL;
  g_autofree char *n = NULL;

  if (conn == NULL || !fk_db_exec (conn, self->backend->begin_write, error))
    return FALSE;
  if (!use_in_transaction (conn, token_sha256, device, now, &c, &n, error) ||
      !fk_db_exec (conn, "COMMIT", error))
    {
      fk_db_exec (conn, "ROLLBACK", NULL);
      return FALSE;
    }
  *commune = g_steal_pointer (&c);
  *name = g_steal_pointer (&n);
  return TRUE;
}
