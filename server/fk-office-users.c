/* fk-office-users.c: the office's staff accounts, for the command line
 * (`fieldkit-server user …`) and the office alike
 *
 * Invariants: a password is stored only as its Argon2id hash; disabling
 * an account or setting its password ends all its sessions in the same
 * call; a receiver always has a commune.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-private.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "fk-server-db-private.h"
#include "fk-server-error.h"

static const struct
{
  FkOfficeRole role;
  const char *name;
} roles[] = {
  { FK_OFFICE_ROLE_RECEIVER, "receiver" },
  { FK_OFFICE_ROLE_SUPERVISOR, "supervisor" },
  { FK_OFFICE_ROLE_ADMIN, "admin" },
};

const char *
fk_office_role_to_string (FkOfficeRole role)
{
  for (gsize i = 0; i < G_N_ELEMENTS (roles); i++)
    if (roles[i].role == role)
      return roles[i].name;
  return "";
}

gboolean
fk_office_role_from_string (const char *text, FkOfficeRole *role)
{
  for (gsize i = 0; text != NULL && i < G_N_ELEMENTS (roles); i++)
    if (strcmp (roles[i].name, text) == 0)
      {
        *role = roles[i].role;
        return TRUE;
      }
  return FALSE;
}

void
fk_office_user_free (FkOfficeUser *user)
{
  if (user == NULL)
    return;
  g_free (user->name);
  g_free (user->commune);
  g_free (user);
}

gboolean
fk_office_name_is_valid (const char *name)
{
  gsize len = name != NULL ? strlen (name) : 0;

  if (len == 0 || len > 64 || !g_ascii_isalnum (name[0]))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!(g_ascii_islower (name[i]) || g_ascii_isdigit (name[i]) || name[i] == '.' ||
          name[i] == '_' || name[i] == '-'))
      return FALSE;
  return TRUE;
}

char *
fk_office_password_hash (const char *password, GError **error)
{
  char hash[crypto_pwhash_STRBYTES];

  if (password == NULL || g_utf8_strlen (password, -1) < FK_OFFICE_MIN_PASSWORD)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_FAILED,
                   _ ("A password needs at least %d characters"), FK_OFFICE_MIN_PASSWORD);
      return NULL;
    }
  if (crypto_pwhash_str_alg (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_FAILED,
                   _ ("Not enough memory to hash the password"));
      return NULL;
    }
  return g_strdup (hash);
}

static gboolean
check_commune (FkOfficeRole role, const char *commune, GError **error)
{
  if (role == FK_OFFICE_ROLE_RECEIVER && (commune == NULL || *commune == '\0'))
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_FAILED,
                   _ ("A receiver works for one commune: give --commune CODE"));
      return FALSE;
    }
  if (commune != NULL && *commune != '\0' &&
      (strlen (commune) > 16 || !fk_office_name_is_valid (commune)))
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_FAILED,
                   _ ("“%s” is not a commune code such as 00004"), commune);
      return FALSE;
    }
  return TRUE;
}

gboolean
fk_office_user_add (FkServerDb *db, const char *name, FkOfficeRole role, const char *commune,
                    const char *password, GError **error)
{
  g_autofree char *hash = NULL;
  g_autoptr (FkDbConn) conn = NULL;
  g_autoptr (FkDbResult) res = NULL;

  if (!fk_office_name_is_valid (name))
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_FAILED,
                   _ ("An account name is 1 to 64 lower-case letters, digits, “.”, “_” or “-”, "
                      "such as tiepnhan.bangthanh"));
      return FALSE;
    }
  if (!check_commune (role, commune, error) ||
      (hash = fk_office_password_hash (password, error)) == NULL)
    return FALSE;
  conn = fk_db_acquire (db, TRUE, error);
  if (conn == NULL)
    return FALSE;
  res = FK_DB_QUERY (conn,
                     "INSERT INTO office_users (name, role, commune, password, created_at)"
                     " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING",
                     error, FK_DB_P_TEXT (name), FK_DB_P_TEXT (fk_office_role_to_string (role)),
                     FK_DB_P_TEXT (role == FK_OFFICE_ROLE_RECEIVER ? commune : ""),
                     FK_DB_P_TEXT (hash), FK_DB_P_INT (g_get_real_time () / G_USEC_PER_SEC));
  if (res == NULL)
    return FALSE;
  if (res->changes == 0)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_EXISTS,
                   _ ("An account named “%s” exists already"), name);
      return FALSE;
    }
  return TRUE;
}

#define USER_COLUMNS "name, role, commune, disabled, created_at, last_login, locked_until, failures"

static FkOfficeUser *
user_from_row (FkDbResult *res, guint i)
{
  FkOfficeUser *u = g_new0 (FkOfficeUser, 1);

  u->name = g_strdup (fk_db_cell_text (res, i, 0));
  if (!fk_office_role_from_string (fk_db_cell_text (res, i, 1), &u->role))
    u->role = 0;
  u->commune = g_strdup (fk_db_cell_text (res, i, 2));
  u->disabled = fk_db_cell_int (res, i, 3) != 0;
  u->created_at = fk_db_cell_int (res, i, 4);
  u->last_login = fk_db_cell_int (res, i, 5);
  u->locked_until = fk_db_cell_int (res, i, 6);
  u->failures = (guint) fk_db_cell_int (res, i, 7);
  return u;
}

GPtrArray *
fk_office_user_list (FkServerDb *db, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (db, FALSE, error);
  g_autoptr (FkDbResult) res = NULL;
  GPtrArray *users;

  if (conn == NULL)
    return NULL;
  res = FK_DB_QUERY0 (conn, "SELECT " USER_COLUMNS " FROM office_users ORDER BY name", error);
  if (res == NULL)
    return NULL;
  users = g_ptr_array_new_with_free_func ((GDestroyNotify) fk_office_user_free);
  for (guint i = 0; i < res->rows->len; i++)
    g_ptr_array_add (users, user_from_row (res, i));
  return users;
}

static void
no_such_user (const char *name, GError **error)
{
  g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_NOT_FOUND, _ ("No account named “%s”"),
               name);
}

FkOfficeUser *
fk_office_user_get (FkServerDb *db, const char *name, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (db, FALSE, error);
  g_autoptr (FkDbResult) res = NULL;

  if (conn == NULL)
    return NULL;
  res = FK_DB_QUERY (conn, "SELECT " USER_COLUMNS " FROM office_users WHERE name = $1", error,
                     FK_DB_P_TEXT (name));
  if (res == NULL)
    return NULL;
  if (res->rows->len == 0)
    {
      no_such_user (name, error);
      return NULL;
    }
  return user_from_row (res, 0);
}

char *
fk_office_user_password_hash (FkServerDb *db, const char *name, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (db, FALSE, error);
  g_autoptr (FkDbResult) res = NULL;

  if (conn == NULL)
    return NULL;
  res = FK_DB_QUERY (conn, "SELECT password FROM office_users WHERE name = $1", error,
                     FK_DB_P_TEXT (name));
  if (res == NULL)
    return NULL;
  if (res->rows->len == 0)
    {
      no_such_user (name, error);
      return NULL;
    }
  return g_strdup (fk_db_cell_text (res, 0, 0));
}

/* One statement on the account, then its sessions ended. */
static gboolean
change_user (FkServerDb *db, const char *name, const char *sql, const char *hash, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (db, TRUE, error);
  g_autoptr (FkDbResult) res = NULL;
  const FkDbParam params[] = { FK_DB_P_TEXT (name), FK_DB_P_TEXT (hash) };

  if (conn == NULL)
    return FALSE;
  /* PostgreSQL wants exactly the parameters the statement uses. */
  res = fk_db_query (conn, sql, params, hash != NULL ? 2 : 1, error);
  if (res == NULL)
    return FALSE;
  if (res->changes == 0)
    {
      no_such_user (name, error);
      return FALSE;
    }
  g_clear_pointer (&conn, fk_db_release);
  return fk_office_sessions_end_for (db, name, NULL, error);
}

gboolean
fk_office_user_disable (FkServerDb *db, const char *name, GError **error)
{
  return change_user (db, name, "UPDATE office_users SET disabled = 1 WHERE name = $1", NULL,
                      error);
}

gboolean
fk_office_user_reset_password (FkServerDb *db, const char *name, const char *password,
                               GError **error)
{
  g_autofree char *hash = fk_office_password_hash (password, error);

  if (hash == NULL)
    return FALSE;
  return change_user (db, name,
                      "UPDATE office_users SET password = $2, failures = 0, last_failure = 0,"
                      " locked_until = 0 WHERE name = $1",
                      hash, error);
}
