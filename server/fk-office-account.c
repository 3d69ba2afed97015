/* fk-office-account.c: one's own account: who, what role, which commune,
 * and a new password
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-page.h"

#include <sodium.h>
#include <string.h>

static const char *
role_label (FkOfficeContext *ctx, FkOfficeRole role)
{
  switch (role)
    {
      case FK_OFFICE_ROLE_RECEIVER:
        return _ ("Receiver: the dossiers of one commune, their results and handover");
      case FK_OFFICE_ROLE_SUPERVISOR:
        return _ ("Supervisor: every commune, reports and the audit trail");
      case FK_OFFICE_ROLE_ADMIN:
      default:
        return _ ("Administrator: accounts, devices and the procedure catalog");
    }
}

static FkServerResponse *
account_page (FkOfficeContext *ctx, guint status, const char *message, gboolean error)
{
  g_autoptr (GString) body = g_string_new (NULL);
  FkOfficeUser *u = ctx->user;

  fk_html (body, "<h1>{}</h1>", _ ("My account"), NULL);
  if (message != NULL)
    fk_html (body, "<p class=\"{!}\" role=\"status\">{}</p>", error ? "notice" : "done", message,
             NULL);
  fk_html (body,
           "<dl class=\"facts\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>"
           "<dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl>",
           _ ("Account"), u->name, _ ("Role"), role_label (ctx, u->role), _ ("Commune"),
           *u->commune != '\0' ? u->commune : _ ("all communes"), _ ("Last login"),
           fk_office_time (ctx, u->last_login), NULL);
  fk_html (
    body, "<h2>{}</h2><form class=\"stacked\" method=\"post\" action=\"/office/account/password\">",
    _ ("Change my password"), NULL);
  fk_office_csrf_field (ctx, body);
  fk_html (
    body,
    "<label for=\"current\">{}</label><input id=\"current\" name=\"current\" "
    "type=\"password\" autocomplete=\"current-password\" required>"
    "<label for=\"new\">{}</label><input id=\"new\" name=\"new\" type=\"password\" "
    "autocomplete=\"new-password\" minlength=\"{}\" required>"
    "<label for=\"again\">{}</label><input id=\"again\" name=\"again\" type=\"password\" "
    "autocomplete=\"new-password\" required>"
    "<button class=\"primary\" type=\"submit\">{}</button></form>",
    _ ("Current password"),
    fk_office_printf (ctx, _ ("New password (at least %d characters)"), FK_OFFICE_MIN_PASSWORD),
    fk_office_printf (ctx, "%d", FK_OFFICE_MIN_PASSWORD), _ ("New password again"),
    _ ("Change the password"), NULL);
  return fk_office_page (ctx, status, _ ("My account"), "/office/account", body);
}

FkServerResponse *
fk_office_account_page (FkOfficeContext *ctx)
{
  return account_page (ctx, 200, NULL, FALSE);
}

FkServerResponse *
fk_office_account_password_post (FkOfficeContext *ctx)
{
  g_autoptr (GError) error = NULL;
  const char *current = fk_office_form (ctx, "current");
  const char *fresh = fk_office_form (ctx, "new");
  const char *again = fk_office_form (ctx, "again");
  g_autofree char *hash = NULL;

  if (current == NULL || fresh == NULL || again == NULL)
    return account_page (ctx, 400, _ ("Fill in the three passwords."), TRUE);
  if (strcmp (fresh, again) != 0)
    return account_page (ctx, 400, _ ("The two new passwords differ."), TRUE);
  if (g_utf8_strlen (fresh, -1) < FK_OFFICE_MIN_PASSWORD)
    return account_page (ctx, 400,
                         fk_office_printf (ctx, _ ("A password needs at least %d characters."),
                                           FK_OFFICE_MIN_PASSWORD),
                         TRUE);
  hash = fk_office_user_password_hash (ctx->office->db, ctx->user->name, &error);
  if (hash == NULL)
    return account_page (ctx, 503, _ ("The password cannot be changed right now; try again."),
                         TRUE);
  if (!fk_office_password_verify (ctx->office, hash, current))
    return account_page (ctx, 403, _ ("The current password is wrong; nothing was changed."), TRUE);
  fk_office_kdf_enter (ctx->office);
  if (!fk_office_user_reset_password (ctx->office->db, ctx->user->name, fresh, &error))
    {
      fk_office_kdf_leave (ctx->office);
      g_warning ("office: %s", error->message);
      return account_page (ctx, 503, _ ("The password cannot be changed right now; try again."),
                           TRUE);
    }
  fk_office_kdf_leave (ctx->office);
  /* Setting a password ends every session of the account: this one
   * starts again. */
  fk_office_audit (ctx->office, ctx->user->name, "password", NULL, NULL, NULL);
  return fk_office_redirect (ctx, "/office/login?changed=1");
}
