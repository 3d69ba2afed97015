/* fk-office-users-page.c: the staff accounts, for administrators: add
 * one, disable one, set a new password
 *
 * The same calls as `fieldkit-server user add/list/disable/reset-password`
 * (fk-office-users.c). Disabling an account or setting its password ends
 * its sessions at once; an administrator cannot disable their own account
 * (the server would be left without one to undo it). Each change goes to
 * the audit trail, with the account's name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-page.h"

#include <string.h>

#include "fk-server-error.h"
#include "fk-text.h"

static const char *
role_name (FkOfficeContext *ctx, FkOfficeRole role)
{
  switch (role)
    {
      case FK_OFFICE_ROLE_RECEIVER:
        return _ ("Receiver");
      case FK_OFFICE_ROLE_SUPERVISOR:
        return _ ("Supervisor");
      case FK_OFFICE_ROLE_ADMIN:
      default:
        return _ ("Administrator");
    }
}

static const char *
state_text (FkOfficeContext *ctx, const FkOfficeUser *u)
{
  if (u->disabled)
    return _ ("disabled");
  if (u->locked_until > g_get_real_time () / G_USEC_PER_SEC)
    return fk_office_printf (ctx, _ ("locked until %s"), fk_office_time (ctx, u->locked_until));
  return _ ("active");
}

static void
users_table (FkOfficeContext *ctx, GString *out, GPtrArray *users)
{
  fk_html (out,
           "<div class=\"table-wrap\"><table class=\"responsive users\"><thead><tr><th>{}</th>"
           "<th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr></thead><tbody>",
           _ ("Account"), _ ("Role"), _ ("Commune"), _ ("Last login"), _ ("State"), NULL);
  for (guint i = 0; i < users->len; i++)
    {
      FkOfficeUser *u = users->pdata[i];

      fk_html (out,
               "<tr><td data-label=\"{}\">{}</td><td data-label=\"{}\">{}</td>"
               "<td data-label=\"{}\">{}</td><td data-label=\"{}\">{}</td>"
               "<td data-label=\"{}\">{}</td><td>",
               _ ("Account"), u->name, _ ("Role"), role_name (ctx, u->role), _ ("Commune"),
               *u->commune != '\0' ? fk_office_commune_name (ctx, u->commune) : _ ("all communes"),
               _ ("Last login"),
               u->last_login > 0 ? fk_office_time (ctx, u->last_login) : _ ("never"), _ ("State"),
               state_text (ctx, u), NULL);
      if (!u->disabled && strcmp (u->name, ctx->user->name) != 0)
        {
          fk_html (out,
                   "<form class=\"inline\" method=\"post\" action=\"/office/users/disable\" "
                   "data-confirm=\"{}\">",
                   fk_office_printf (ctx, _ ("Disable the account %s?"), u->name), NULL);
          fk_office_csrf_field (ctx, out);
          fk_html (out,
                   "<input type=\"hidden\" name=\"name\" value=\"{}\"><button class=\"danger\" "
                   "type=\"submit\">{}</button></form>",
                   u->name, _ ("Disable"), NULL);
        }
      g_string_append (out, "</td></tr>");
    }
  g_string_append (out, "</tbody></table></div>");
}

static void
add_form (FkOfficeContext *ctx, GString *out)
{
  fk_html (out,
           "<section><h2>{}</h2><form class=\"stacked\" method=\"post\" "
           "action=\"/office/users/add\">",
           _ ("Add an account"), NULL);
  fk_office_csrf_field (ctx, out);
  fk_html (out,
           "<label for=\"u-name\">{}</label><input id=\"u-name\" name=\"name\" required "
           "autocomplete=\"off\" autocapitalize=\"none\" pattern=\"[a-z0-9][a-z0-9._\\-]{0,63}\">"
           "<p class=\"hint\">{}</p><label for=\"u-role\">{}</label><select id=\"u-role\" "
           "name=\"role\"><option value=\"receiver\">{}</option><option value=\"supervisor\">{}"
           "</option><option value=\"admin\">{}</option></select>"
           "<label for=\"u-commune\">{}</label><input id=\"u-commune\" name=\"commune\" "
           "inputmode=\"numeric\" autocomplete=\"off\">",
           _ ("Account name"),
           _ ("Lower-case letters, digits, “.”, “_” or “-”: tiepnhan.bangthanh"), _ ("Role"),
           _ ("Receiver"), _ ("Supervisor"), _ ("Administrator"),
           _ ("Commune code (receivers only)"), NULL);
  fk_html (out,
           "<label for=\"u-password\">{}</label><input id=\"u-password\" name=\"password\" "
           "type=\"password\" autocomplete=\"new-password\" minlength=\"{}\" required>"
           "<label for=\"u-again\">{}</label><input id=\"u-again\" name=\"again\" "
           "type=\"password\" autocomplete=\"new-password\" required>"
           "<button class=\"primary\" type=\"submit\">{}</button></form></section>",
           fk_office_printf (ctx, _ ("Password (at least %d characters)"), FK_OFFICE_MIN_PASSWORD),
           fk_office_printf (ctx, "%d", FK_OFFICE_MIN_PASSWORD), _ ("Password again"),
           _ ("Add the account"), NULL);
}

static void
password_form (FkOfficeContext *ctx, GString *out, GPtrArray *users)
{
  fk_html (out,
           "<section><h2>{}</h2><form class=\"stacked\" method=\"post\" "
           "action=\"/office/users/password\">",
           _ ("Set a new password"), NULL);
  fk_office_csrf_field (ctx, out);
  fk_html (out, "<label for=\"p-name\">{}</label><select id=\"p-name\" name=\"name\">",
           _ ("Account"), NULL);
  for (guint i = 0; i < users->len; i++)
    fk_html (out, "<option>{}</option>", ((FkOfficeUser *) users->pdata[i])->name, NULL);
  fk_html (
    out,
    "</select><label for=\"p-password\">{}</label><input id=\"p-password\" "
    "name=\"password\" type=\"password\" autocomplete=\"new-password\" minlength=\"{}\" "
    "required><label for=\"p-again\">{}</label><input id=\"p-again\" name=\"again\" "
    "type=\"password\" autocomplete=\"new-password\" required><p class=\"hint\">{}</p>"
    "<button class=\"primary\" type=\"submit\">{}</button></form></section>",
    fk_office_printf (ctx, _ ("New password (at least %d characters)"), FK_OFFICE_MIN_PASSWORD),
    fk_office_printf (ctx, "%d", FK_OFFICE_MIN_PASSWORD), _ ("New password again"),
    _ ("It also unlocks the account and ends its sessions."), _ ("Set the password"), NULL);
}

static FkServerResponse *
users_page (FkOfficeContext *ctx, guint status, const char *message, gboolean error)
{
  g_autoptr (GString) body = g_string_new (NULL);
  g_autoptr (GError) local = NULL;
  g_autoptr (GPtrArray) users = fk_office_user_list (ctx->office->db, &local);

  fk_html (body, "<h1>{}</h1>", _ ("Accounts"), NULL);
  if (message != NULL)
    fk_html (body, "<p class=\"{!}\" role=\"status\">{}</p>", error ? "notice" : "done", message,
             NULL);
  if (users == NULL)
    {
      g_warning ("office: accounts: %s", local->message);
      fk_html (body, "<p class=\"notice\" role=\"alert\">{}</p>",
               _ ("The accounts cannot be read right now; try again in a minute."), NULL);
      return fk_office_page (ctx, 503, _ ("Accounts"), "/office/users", body);
    }
  users_table (ctx, body, users);
  add_form (ctx, body);
  password_form (ctx, body, users);
  return fk_office_page (ctx, status, _ ("Accounts"), "/office/users", body);
}

FkServerResponse *
fk_office_users_page (FkOfficeContext *ctx)
{
  const char *done = fk_office_query (ctx, "done");

  if (g_strcmp0 (done, "add") == 0)
    return users_page (ctx, 200, _ ("The account was added."), FALSE);
  if (g_strcmp0 (done, "disable") == 0)
    return users_page (ctx, 200, _ ("The account was disabled and its sessions ended."), FALSE);
  if (g_strcmp0 (done, "password") == 0)
    return users_page (ctx, 200, _ ("The new password is set; the account's sessions ended."),
                       FALSE);
  return users_page (ctx, 200, NULL, FALSE);
}

/* The two passwords of the form, or why not. */
static const char *
password_problem (FkOfficeContext *ctx, const char *password, const char *again)
{
  if (password == NULL || again == NULL || strcmp (password, again) != 0)
    return _ ("The two passwords differ.");
  if (g_utf8_strlen (password, -1) < FK_OFFICE_MIN_PASSWORD)
    return fk_office_printf (ctx, _ ("A password needs at least %d characters."),
                             FK_OFFICE_MIN_PASSWORD);
  return NULL;
}

static FkServerResponse *
unavailable (FkOfficeContext *ctx, const GError *error)
{
  g_warning ("office: accounts: %s", error->message);
  return users_page (ctx, 503, _ ("The server cannot change accounts right now; try again."), TRUE);
}

/* POST /office/users/add: name, role, commune, password, again */
FkServerResponse *
fk_office_users_add_post (FkOfficeContext *ctx)
{
  g_autoptr (GError) error = NULL;
  const char *name = fk_office_form (ctx, "name");
  const char *commune = fk_office_form (ctx, "commune");
  const char *problem =
    password_problem (ctx, fk_office_form (ctx, "password"), fk_office_form (ctx, "again"));
  FkOfficeRole role = FK_OFFICE_ROLE_RECEIVER;
  gboolean ok;

  if (!fk_office_name_is_valid (name))
    problem = _ ("An account name is 1 to 64 lower-case letters, digits, “.”, “_” or “-”, such as "
                 "tiepnhan.bangthanh.");
  else if (!fk_office_role_from_string (fk_office_form (ctx, "role"), &role))
    problem = _ ("Choose a role.");
  else if (role == FK_OFFICE_ROLE_RECEIVER &&
           (commune == NULL || strlen (commune) != 5 || !fk_text_is_digits (commune, 5)))
    problem = _ ("A receiver works for one commune: give its 5-digit code, such as 01864.");
  if (problem != NULL)
    return users_page (ctx, 400, problem, TRUE);
  fk_office_kdf_enter (ctx->office);
  ok = fk_office_user_add (ctx->office->db, name, role, commune, fk_office_form (ctx, "password"),
                           &error);
  fk_office_kdf_leave (ctx->office);
  if (!ok && g_error_matches (error, FK_SERVER_ERROR, FK_SERVER_ERROR_EXISTS))
    return users_page (
      ctx, 409, fk_office_printf (ctx, _ ("An account named “%s” exists already."), name), TRUE);
  if (!ok)
    return unavailable (ctx, error);
  fk_office_audit (ctx->office, ctx->user->name, "user-add", NULL,
                   fk_office_printf (ctx, "%s (%s)", name, fk_office_role_to_string (role)), NULL);
  return fk_office_redirect (ctx, "/office/users?done=add");
}

/* POST /office/users/disable: name */
FkServerResponse *
fk_office_users_disable_post (FkOfficeContext *ctx)
{
  g_autoptr (GError) error = NULL;
  const char *name = fk_office_form (ctx, "name");

  if (name == NULL || strcmp (name, ctx->user->name) == 0)
    return users_page (ctx, 400, _ ("You cannot disable your own account."), TRUE);
  if (!fk_office_user_disable (ctx->office->db, name, &error))
    return g_error_matches (error, FK_SERVER_ERROR, FK_SERVER_ERROR_NOT_FOUND)
             ? users_page (ctx, 404, _ ("There is no such account."), TRUE)
             : unavailable (ctx, error);
  fk_office_audit (ctx->office, ctx->user->name, "user-disable", NULL, name, NULL);
  return fk_office_redirect (ctx, "/office/users?done=disable");
}

/* POST /office/users/password: name, password, again */
FkServerResponse *
fk_office_users_password_post (FkOfficeContext *ctx)
{
  g_autoptr (GError) error = NULL;
  const char *name = fk_office_form (ctx, "name");
  const char *problem =
    password_problem (ctx, fk_office_form (ctx, "password"), fk_office_form (ctx, "again"));
  gboolean ok;

  if (problem != NULL || name == NULL)
    return users_page (ctx, 400, problem != NULL ? problem : _ ("Choose an account."), TRUE);
  fk_office_kdf_enter (ctx->office);
  ok =
    fk_office_user_reset_password (ctx->office->db, name, fk_office_form (ctx, "password"), &error);
  fk_office_kdf_leave (ctx->office);
  if (!ok)
    return g_error_matches (error, FK_SERVER_ERROR, FK_SERVER_ERROR_NOT_FOUND)
             ? users_page (ctx, 404, _ ("There is no such account."), TRUE)
             : unavailable (ctx, error);
  fk_office_audit (ctx->office, ctx->user->name, "user-password", NULL, name, NULL);
  /* One's own password: this session ended with the others. */
  if (strcmp (name, ctx->user->name) == 0)
    return fk_office_redirect (ctx, "/office/login?changed=1");
  return fk_office_redirect (ctx, "/office/users?done=password");
}
