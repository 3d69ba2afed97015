/* fk-office-login.c: logging in and out, and the office's language
 *
 * POST /office/login takes a form with exactly the fields name and
 * password, so that a script can log in as a browser does; it answers 303
 * with the session cookie, 401 for a wrong name or password, 429 with
 * Retry-After while the account or the address is slowed down or locked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-page.h"

#include <string.h>

static void
login_form (FkOfficeContext *ctx, GString *body, const char *message, const char *name)
{
  const char *next = fk_office_query (ctx, "next");
  g_autofree char *action = NULL;

  if (next != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (fk_office_local_target (next), NULL, FALSE);

      action = g_strdup_printf ("/office/login?next=%s", escaped);
    }
  fk_html (body, "<section class=\"login\"><h1>{}</h1>", _ ("Log in to the office"), NULL);
  if (message != NULL)
    fk_html (body, "<p class=\"notice\" role=\"alert\">{}</p>", message, NULL);
  fk_html (body,
           "<form method=\"post\" action=\"{}\">"
           "<label for=\"name\">{}</label>"
           "<input id=\"name\" name=\"name\" autocomplete=\"username\" autocapitalize=\"none\" "
           "spellcheck=\"false\" required value=\"{}\">"
           "<label for=\"password\">{}</label>"
           "<input id=\"password\" name=\"password\" type=\"password\" "
           "autocomplete=\"current-password\" required>"
           "<button class=\"primary\" type=\"submit\">{}</button></form></section>",
           action != NULL ? action : "/office/login", _ ("Account name"), name != NULL ? name : "",
           _ ("Password"), _ ("Log in"), NULL);
}

FkServerResponse *
fk_office_login_page (FkOfficeContext *ctx)
{
  g_autoptr (GString) body = g_string_new (NULL);
  const char *message = NULL;

  if (ctx->user != NULL)
    return fk_office_redirect (ctx, fk_office_local_target (fk_office_query (ctx, "next")));
  if (fk_office_query (ctx, "expired") != NULL)
    message = _ ("Your session ended after a time without use. Log in again.");
  else if (fk_office_query (ctx, "out") != NULL)
    message = _ ("You have logged out.");
  else if (fk_office_query (ctx, "changed") != NULL)
    message = _ ("Your password has been changed. Log in with the new one.");
  login_form (ctx, body, message, NULL);
  return fk_office_page (ctx, 200, _ ("Log in"), NULL, body);
}

static FkServerResponse *
login_refused (FkOfficeContext *ctx, guint status, const char *message, const char *name,
               gint64 retry)
{
  g_autoptr (GString) body = g_string_new (NULL);
  FkServerResponse *r;

  login_form (ctx, body, message, name);
  r = fk_office_page (ctx, status, _ ("Log in"), NULL, body);
  if (retry > 0)
    fk_server_response_add_header (r, "Retry-After",
                                   fk_office_printf (ctx, "%" G_GINT64_FORMAT, retry));
  return r;
}

/* Exactly name and password, both given. */
static gboolean
form_is_login (FkOfficeContext *ctx, const char **name, const char **password)
{
  *name = fk_office_form (ctx, "name");
  *password = fk_office_form (ctx, "password");
  return g_hash_table_size (ctx->form) == 2 && *name != NULL && *password != NULL &&
         strlen (*name) <= 64 && strlen (*password) <= 1024;
}

static const char *
minutes (FkOfficeContext *ctx, gint64 seconds)
{
  return fk_office_printf (ctx, "%" G_GINT64_FORMAT, (seconds + 59) / 60);
}

static FkServerResponse *
logged_in (FkOfficeContext *ctx, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *set_cookie = NULL;
  g_autoptr (FkOfficeSession) session =
    fk_office_session_create (ctx->office, name, &value, &error);
  FkServerResponse *r;

  if (session == NULL || !fk_office_audit (ctx->office, name, "login", NULL, NULL, &error))
    {
      g_warning ("office: %s", error->message);
      return login_refused (ctx, 503, _ ("The server cannot log you in right now; try again."),
                            name, 5);
    }
  r = fk_office_redirect (ctx, fk_office_local_target (fk_office_query (ctx, "next")));
  set_cookie = fk_office_session_cookie (ctx->office, value);
  fk_server_response_add_header (r, "Set-Cookie", set_cookie);
  return r;
}

FkServerResponse *
fk_office_login_post (FkOfficeContext *ctx)
{
  g_autoptr (GError) error = NULL;
  const char *name, *password;
  gint64 retry = 0;
  FkOfficeLoginResult result;

  if (!form_is_login (ctx, &name, &password))
    return login_refused (ctx, 400, _ ("Give the account name and the password."), NULL, 0);
  result = fk_office_login (ctx->office, name, password, ctx->req->address, &retry, &error);
  if (error != NULL)
    {
      g_warning ("office: %s", error->message);
      return login_refused (ctx, 503, _ ("The server cannot log you in right now; try again."),
                            name, 5);
    }
  switch (result)
    {
      case FK_OFFICE_LOGIN_OK:
        return logged_in (ctx, name);
      case FK_OFFICE_LOGIN_TOO_SOON:
        return login_refused (
          ctx, 429,
          fk_office_printf (ctx, _ ("Too many wrong passwords: wait %s seconds, then try again."),
                            fk_office_printf (ctx, "%" G_GINT64_FORMAT, retry)),
          name, retry);
      case FK_OFFICE_LOGIN_LOCKED:
        return login_refused (
          ctx, 429,
          fk_office_printf (ctx,
                            _ ("This account is locked after too many wrong passwords. Try again "
                               "in %s minutes, or ask an administrator to set a new password."),
                            minutes (ctx, retry)),
          name, retry);
      case FK_OFFICE_LOGIN_ADDRESS_LOCKED:
        return login_refused (
          ctx, 429,
          fk_office_printf (ctx,
                            _ ("Too many wrong passwords from this computer. Try again in %s "
                               "minutes."),
                            minutes (ctx, retry)),
          name, retry);
      case FK_OFFICE_LOGIN_WRONG:
      default:
        return login_refused (ctx, 401, _ ("Wrong account name or password."), name, 0);
    }
}

FkServerResponse *
fk_office_logout_post (FkOfficeContext *ctx)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *set_cookie = fk_office_session_cookie (ctx->office, NULL);
  FkServerResponse *r;

  if (!fk_office_session_end (ctx->office, ctx->session->token, &error) ||
      !fk_office_audit (ctx->office, ctx->user->name, "logout", NULL, NULL, &error))
    {
      g_warning ("office: %s", error->message);
      return fk_office_message_page (ctx, 503, _ ("Not logged out"),
                                     _ ("The server cannot log you out right now; try again."));
    }
  r = fk_office_redirect (ctx, "/office/login?out=1");
  fk_server_response_add_header (r, "Set-Cookie", set_cookie);
  return r;
}

/* GET /office/lang?to=vi|en&back=PATH: a preference kept in the browser
 * only, so a link may set it. */
FkServerResponse *
fk_office_language (FkOfficeContext *ctx)
{
  const char *to = fk_office_query (ctx, "to");
  FkServerResponse *r =
    fk_office_redirect (ctx, fk_office_local_target (fk_office_query (ctx, "back")));

  fk_server_response_add_header (
    r, "Set-Cookie",
    fk_office_printf (ctx, "fk_lang=%s; Path=/office; HttpOnly; SameSite=Strict; Max-Age=31536000",
                      g_strcmp0 (to, "en") == 0 ? "en" : "vi"));
  return r;
}
