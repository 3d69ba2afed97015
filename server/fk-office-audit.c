/* fk-office-audit.c: the office's audit trail
 *
 * One row per opening of a dossier's personal data (its page, each photo,
 * its fingerprint), per result recorded, and per login, logout and
 * password change: who (the account), when, what, which dossier. Law
 * 91/2025 asks that who saw a citizen's data can be told; supervisors
 * read it in the office. Rows are only ever added, and hold no personal
 * data themselves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-private.h"

#include "fk-server-db-private.h"

gboolean
fk_office_audit (FkOffice *self, const char *user, const char *action, const char *dossier,
                 const char *detail, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self->db, TRUE, error);
  g_autoptr (FkDbResult) res = NULL;

  if (conn == NULL)
    return FALSE;
  res = FK_DB_QUERY (conn,
                     "INSERT INTO office_audit (at, user_name, action, dossier, detail)"
                     " VALUES ($1, $2, $3, $4, $5)",
                     error, FK_DB_P_INT (g_get_real_time () / G_USEC_PER_SEC), FK_DB_P_TEXT (user),
                     FK_DB_P_TEXT (action), FK_DB_P_TEXT (dossier != NULL ? dossier : ""),
                     FK_DB_P_TEXT (detail != NULL ? detail : ""));
  return res != NULL;
}
