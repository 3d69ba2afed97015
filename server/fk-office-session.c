/* fk-office-session.c: logging in, sessions, and failed logins
 *
 * A session is a random 32-byte value in an HttpOnly, SameSite=Strict
 * cookie (Secure, and named __Host-…, under TLS); the database keeps only
 * its SHA-256, so a copy of the database opens no session. It ends after
 * office-session-idle-minutes without a request (30), after 12 hours in
 * any case, at logout, and when its account is disabled or its password
 * set.
 *
 * Failed logins: from the third failure in a row an account answers only
 * after a pause that grows by a second with each failure (at most 30 s;
 * an attempt sooner is refused with Retry-After, its password unread);
 * office-lockout-failures (10) in a row lock it for office-lockout-minutes
 * (15). An address that fails office-address-failures times (30) within
 * that many minutes is refused for as long, whichever names it tried. A
 * name that does not exist takes as long to refuse as a wrong password.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-private.h"

#include <sodium.h>
#include <string.h>

#include "fk-server-db-private.h"

#define SESSION_MAX_SECONDS (12 * 3600)
/* A session's last use is written at most this often. */
#define TOUCH_SECONDS 15
#define SLOW_AFTER    3
#define MAX_PAUSE     30

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

void
fk_office_kdf_enter (FkOffice *self)
{
  g_mutex_lock (&self->kdf_lock);
  while (self->kdf_running >= FK_OFFICE_MAX_KDF)
    g_cond_wait (&self->kdf_cond, &self->kdf_lock);
  self->kdf_running++;
  g_mutex_unlock (&self->kdf_lock);
}

void
fk_office_kdf_leave (FkOffice *self)
{
  g_mutex_lock (&self->kdf_lock);
  self->kdf_running--;
  g_cond_signal (&self->kdf_cond);
  g_mutex_unlock (&self->kdf_lock);
}

gboolean
fk_office_password_verify (FkOffice *self, const char *hash, const char *password)
{
  gboolean ok;

  fk_office_kdf_enter (self);
  ok = crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
  fk_office_kdf_leave (self);
  return ok;
}

static char *
random_token (void)
{
  guint8 bytes[FK_OFFICE_TOKEN_BYTES];
  char *text;

  randombytes_buf (bytes, sizeof bytes);
  text = g_base64_encode (bytes, sizeof bytes);
  sodium_memzero (bytes, sizeof bytes);
  /* base64url without padding: safe in a cookie and a form field. */
  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  *strchr (text, '=') = '\0';
  return text;
}

void
fk_office_session_free (FkOfficeSession *session)
{
  if (session == NULL)
    return;
  g_free (session->token);
  g_free (session->csrf);
  g_free (session);
}

FkOfficeSession *
fk_office_session_create (FkOffice *self, const char *user, char **cookie, GError **error)
{
  g_autoptr (FkOfficeSession) session = g_new0 (FkOfficeSession, 1);
  g_autofree char *value = random_token ();
  g_autoptr (FkDbConn) conn = NULL;
  g_autoptr (FkDbResult) res = NULL;

  session->token = fk_sync_sha256_hex (value, strlen (value));
  session->csrf = random_token ();
  session->created = session->last_seen = now_unix ();
  conn = fk_db_acquire (self->db, TRUE, error);
  if (conn == NULL)
    return NULL;
  res = FK_DB_QUERY (conn,
                     "INSERT INTO office_sessions (token, user_name, csrf, created, last_seen)"
                     " VALUES ($1, $2, $3, $4, $4)",
                     error, FK_DB_P_TEXT (session->token), FK_DB_P_TEXT (user),
                     FK_DB_P_TEXT (session->csrf), FK_DB_P_INT (session->created));
  if (res == NULL)
    return NULL;
  *cookie = g_steal_pointer (&value);
  return g_steal_pointer (&session);
}

gboolean
fk_office_session_end (FkOffice *self, const char *token, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self->db, TRUE, error);
  g_autoptr (FkDbResult) res = NULL;

  if (conn == NULL)
    return FALSE;
  res =
    FK_DB_QUERY (conn, "DELETE FROM office_sessions WHERE token = $1", error, FK_DB_P_TEXT (token));
  return res != NULL;
}

gboolean
fk_office_sessions_end_for (FkServerDb *db, const char *user, const char *keep, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (db, TRUE, error);
  g_autoptr (FkDbResult) res = NULL;

  if (conn == NULL)
    return FALSE;
  res = FK_DB_QUERY (conn, "DELETE FROM office_sessions WHERE user_name = $1 AND token <> $2",
                     error, FK_DB_P_TEXT (user), FK_DB_P_TEXT (keep != NULL ? keep : ""));
  return res != NULL;
}

static gint64
idle_seconds (FkOffice *self)
{
  return MAX ((gint64) (self->config->office_session_idle_minutes * 60), 1);
}

FkOfficeSession *
fk_office_session_resolve (FkOffice *self, const char *cookie, char **user, gboolean *expired,
                           GError **error)
{
  g_autofree char *token = fk_sync_sha256_hex (cookie, strlen (cookie));
  g_autoptr (FkDbConn) conn = fk_db_acquire (self->db, FALSE, error);
  g_autoptr (FkDbResult) res = NULL;
  g_autoptr (FkOfficeSession) session = NULL;
  gint64 now = now_unix ();

  *expired = FALSE;
  if (conn == NULL)
    return NULL;
  res = FK_DB_QUERY (conn,
                     "SELECT s.csrf, s.created, s.last_seen, s.user_name, u.disabled"
                     " FROM office_sessions s JOIN office_users u ON u.name = s.user_name"
                     " WHERE s.token = $1",
                     error, FK_DB_P_TEXT (token));
  g_clear_pointer (&conn, fk_db_release);
  if (res == NULL || res->rows->len == 0)
    return NULL;
  session = g_new0 (FkOfficeSession, 1);
  session->token = g_steal_pointer (&token);
  session->csrf = g_strdup (fk_db_cell_text (res, 0, 0));
  session->created = fk_db_cell_int (res, 0, 1);
  session->last_seen = fk_db_cell_int (res, 0, 2);
  if (fk_db_cell_int (res, 0, 4) != 0 || now - session->last_seen > idle_seconds (self) ||
      now - session->created > SESSION_MAX_SECONDS)
    {
      *expired = fk_db_cell_int (res, 0, 4) == 0;
      if (!fk_office_session_end (self, session->token, error))
        return NULL;
      return NULL;
    }
  if (now - session->last_seen >= TOUCH_SECONDS)
    {
      g_autoptr (FkDbResult) touched = NULL;

      conn = fk_db_acquire (self->db, TRUE, error);
      if (conn == NULL)
        return NULL;
      touched = FK_DB_QUERY (conn, "UPDATE office_sessions SET last_seen = $2 WHERE token = $1",
                             error, FK_DB_P_TEXT (session->token), FK_DB_P_INT (now));
      if (touched == NULL)
        return NULL;
      session->last_seen = now;
    }
  *user = g_strdup (fk_db_cell_text (res, 0, 3));
  return g_steal_pointer (&session);
}

const char *
fk_office_session_cookie_name (FkOffice *self)
{
  return self->tls || self->config->office_secure_cookie ? "__Host-fk_session" : "fk_session";
}

/* The Set-Cookie value; @value NULL clears the cookie. */
char *
fk_office_session_cookie (FkOffice *self, const char *value)
{
  gboolean secure = self->tls || self->config->office_secure_cookie;

  return g_strdup_printf ("%s=%s; Path=%s; HttpOnly; SameSite=Strict%s%s",
                          fk_office_session_cookie_name (self), value != NULL ? value : "",
                          secure ? "/" : FK_OFFICE_PREFIX, secure ? "; Secure" : "",
                          value != NULL ? "" : "; Max-Age=0");
}

typedef struct
{
  gboolean exists;
  gboolean disabled;
  char *hash;
  gint64 failures;
  gint64 last_failure;
  gint64 locked_until;
} LoginRow;

static gboolean
read_login (FkOffice *self, const char *name, const char *address, LoginRow *row,
            gint64 *address_locked, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self->db, FALSE, error);
  g_autoptr (FkDbResult) res = NULL;
  g_autoptr (FkDbResult) addr = NULL;

  if (conn == NULL)
    return FALSE;
  addr = FK_DB_QUERY (conn, "SELECT locked_until FROM office_address_failures WHERE address = $1",
                      error, FK_DB_P_TEXT (address));
  if (addr == NULL)
    return FALSE;
  *address_locked = addr->rows->len > 0 ? fk_db_cell_int (addr, 0, 0) : 0;
  res = FK_DB_QUERY (conn,
                     "SELECT password, disabled, failures, last_failure, locked_until"
                     " FROM office_users WHERE name = $1",
                     error, FK_DB_P_TEXT (name));
  if (res == NULL)
    return FALSE;
  if (res->rows->len == 0)
    return TRUE;
  row->exists = TRUE;
  row->hash = g_strdup (fk_db_cell_text (res, 0, 0));
  row->disabled = fk_db_cell_int (res, 0, 1) != 0;
  row->failures = fk_db_cell_int (res, 0, 2);
  row->last_failure = fk_db_cell_int (res, 0, 3);
  row->locked_until = fk_db_cell_int (res, 0, 4);
  return TRUE;
}

static gint64
lockout_seconds (FkOffice *self)
{
  return MAX ((gint64) (self->config->office_lockout_minutes * 60), 1);
}

/* Counts a failure against the account (if it exists) and the address. */
static gboolean
record_failure (FkOffice *self, const char *name, gboolean exists, const char *address,
                GError **error)
{
  gint64 now = now_unix ();
  g_autoptr (FkDbConn) conn = fk_db_acquire (self->db, TRUE, error);
  g_autoptr (FkDbResult) user = NULL;
  g_autoptr (FkDbResult) addr = NULL;

  if (conn == NULL)
    return FALSE;
  if (exists)
    {
      user = FK_DB_QUERY (conn,
                          "UPDATE office_users SET failures = failures + 1, last_failure = $2,"
                          " locked_until = CASE WHEN failures + 1 >= $3 THEN $4"
                          " ELSE locked_until END WHERE name = $1",
                          error, FK_DB_P_TEXT (name), FK_DB_P_INT (now),
                          FK_DB_P_INT (self->config->office_lockout_failures),
                          FK_DB_P_INT (now + lockout_seconds (self)));
      if (user == NULL)
        return FALSE;
    }
  addr = FK_DB_QUERY (
    conn,
    "INSERT INTO office_address_failures (address, failures, window_start, locked_until)"
    " VALUES ($1, 1, $2, 0) ON CONFLICT (address) DO UPDATE SET"
    " failures = CASE WHEN office_address_failures.window_start < $3 THEN 1"
    " ELSE office_address_failures.failures + 1 END,"
    " window_start = CASE WHEN office_address_failures.window_start < $3 THEN $2"
    " ELSE office_address_failures.window_start END,"
    " locked_until = CASE WHEN office_address_failures.window_start >= $3"
    " AND office_address_failures.failures + 1 >= $4 THEN $5"
    " ELSE office_address_failures.locked_until END",
    error, FK_DB_P_TEXT (address), FK_DB_P_INT (now), FK_DB_P_INT (now - lockout_seconds (self)),
    FK_DB_P_INT (self->config->office_address_failures),
    FK_DB_P_INT (now + lockout_seconds (self)));
  return addr != NULL;
}

static gboolean
record_success (FkOffice *self, const char *name, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self->db, TRUE, error);
  g_autoptr (FkDbResult) res = NULL;

  if (conn == NULL)
    return FALSE;
  res = FK_DB_QUERY (conn,
                     "UPDATE office_users SET failures = 0, last_failure = 0, locked_until = 0,"
                     " last_login = $2 WHERE name = $1",
                     error, FK_DB_P_TEXT (name), FK_DB_P_INT (now_unix ()));
  return res != NULL;
}

/* Refused before the password is read: locked, or too soon after the
 * last failure. */
static FkOfficeLoginResult
refuse_early (const LoginRow *row, gint64 address_locked, gint64 now, gint64 *retry)
{
  if (address_locked > now)
    {
      *retry = address_locked - now;
      return FK_OFFICE_LOGIN_ADDRESS_LOCKED;
    }
  if (!row->exists)
    return FK_OFFICE_LOGIN_OK;
  if (row->locked_until > now)
    {
      *retry = row->locked_until - now;
      return FK_OFFICE_LOGIN_LOCKED;
    }
  if (row->failures >= SLOW_AFTER)
    {
      gint64 pause = MIN (row->failures - SLOW_AFTER + 1, MAX_PAUSE);

      if (now < row->last_failure + pause)
        {
          *retry = row->last_failure + pause - now;
          return FK_OFFICE_LOGIN_TOO_SOON;
        }
    }
  return FK_OFFICE_LOGIN_OK;
}

/* A hash of a random password, made once: an unknown name is checked
 * against it, so that it takes as long to refuse as a wrong password. */
static const char *
dummy_hash (FkOffice *self)
{
  if (g_once_init_enter (&self->dummy_ready))
    {
      g_autofree char *random = random_token ();

      fk_office_kdf_enter (self);
      self->dummy_hash = fk_office_password_hash (random, NULL);
      fk_office_kdf_leave (self);
      g_once_init_leave (&self->dummy_ready, 1);
    }
  return self->dummy_hash;
}

/**
 * fk_office_login:
 * @retry: (out): seconds to wait, for the refusals that have one
 *
 * Checks @name and @password, counting a failure against the account and
 * the address. %FK_OFFICE_LOGIN_WRONG covers an unknown name, a wrong
 * password and a disabled account alike.
 */
FkOfficeLoginResult
fk_office_login (FkOffice *self, const char *name, const char *password, const char *address,
                 gint64 *retry, GError **error)
{
  LoginRow row = { 0 };
  gint64 address_locked = 0;
  FkOfficeLoginResult result;
  gboolean ok;

  *retry = 0;
  if (!read_login (self, name, address, &row, &address_locked, error))
    return FK_OFFICE_LOGIN_WRONG;
  result = refuse_early (&row, address_locked, now_unix (), retry);
  if (result != FK_OFFICE_LOGIN_OK)
    {
      g_free (row.hash);
      return result;
    }
  ok =
    fk_office_password_verify (self, row.hash != NULL ? row.hash : dummy_hash (self), password) &&
    row.exists && !row.disabled;
  g_free (row.hash);
  if (!ok)
    {
      record_failure (self, name, row.exists, address, error);
      return FK_OFFICE_LOGIN_WRONG;
    }
  if (!record_success (self, name, error))
    return FK_OFFICE_LOGIN_WRONG;
  return FK_OFFICE_LOGIN_OK;
}
