/* fk-office-invitations.c: enrollment codes for new devices
 *
 * An administrator makes one for any commune, a receiver for their own
 * commune only. The page that made it shows the QR code (an SVG inside the
 * page: no image request, nothing kept) and the same code as text, once:
 * the token is in the code and nowhere else, the database keeps its hash.
 * The list shows every code of the communes one may see: the name the
 * device gets, who made it, until when it is valid, and which device used
 * it. When devices would reach this server over plain HTTP on another
 * machine, the form says so: a device refuses such a code unless an
 * administrator allowed it here (a closed network), as the device's own
 * rule in fk_enroll_code_check_transport() decides. docs/protocol.md
 * describes the code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-page.h"

#include <string.h>

#include "fk-enroll-code.h"
#include "fk-server-invite.h"

static gboolean
is_receiver (FkOfficeContext *ctx)
{
  return ctx->user->role == FK_OFFICE_ROLE_RECEIVER;
}

/* The address devices reach: the configuration's public-url, else the one
 * this browser used (the office is served on the devices' listeners). */
static const char *
server_url (FkOfficeContext *ctx)
{
  const char *host = ctx->req->host;

  if (ctx->office->config->public_url != NULL && *ctx->office->config->public_url != '\0')
    return ctx->office->config->public_url;
  if (host == NULL || *host == '\0')
    return NULL;
  return fk_office_printf (ctx, "%s://%s/", ctx->office->tls ? "https" : "http", host);
}

/* Whether a device would refuse a code with @url unless allowed: plain
 * HTTP to another machine. */
static gboolean
needs_allow_http (const char *url)
{
  FkEnrollCode code = { 0 };

  code.url = (char *) url;
  return url != NULL && !fk_enroll_code_check_transport (&code, FALSE, NULL, NULL);
}

static gint64
iso_to_unix (const char *iso)
{
  g_autoptr (GDateTime) t = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;

  return t != NULL ? g_date_time_to_unix (t) : 0;
}

static const char *
state_label (FkOfficeContext *ctx, const FkServerInvitation *inv, gint64 now)
{
  if (inv->used_at != 0)
    return _ ("used");
  return inv->expires_at <= now ? _ ("expired") : _ ("waiting");
}

static void
list_html (FkOfficeContext *ctx, GString *out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = fk_server_db_invitation_list (
    ctx->office->db, is_receiver (ctx) ? ctx->user->commune : NULL, &error);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  fk_html (out, "<h2>{}</h2>", _ ("Codes made"), NULL);
  if (list == NULL)
    {
      g_warning ("office: %s", error->message);
      fk_html (out, "<p class=\"notice\">{}</p>", _ ("The list cannot be read right now."), NULL);
      return;
    }
  if (list->len == 0)
    {
      fk_html (out, "<p>{}</p>", _ ("No enrollment code yet."), NULL);
      return;
    }
  fk_html (out,
           "<div class=\"table-wrap\"><table id=\"invitations\"><thead><tr><th>{}</th><th>{}</th>"
           "<th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
           _ ("Made"), _ ("Commune"), _ ("Device name"), _ ("State"), _ ("Valid until"),
           _ ("Made by"), _ ("Used by device"), NULL);
  for (guint i = 0; i < list->len; i++)
    {
      const FkServerInvitation *inv = list->pdata[i];
      g_autofree char *key = g_strndup (inv->device, 12);
      const char *state = inv->used_at != 0        ? "used"
                          : inv->expires_at <= now ? "expired"
                                                   : "pending";

      fk_html (
        out,
        "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td class=\"inv-{!}\">{}</td><td>{}</td>"
        "<td>{}</td><td>",
        state, fk_office_time (ctx, iso_to_unix (inv->created_at)), inv->commune, inv->name, state,
        state_label (ctx, inv, now), fk_office_time (ctx, inv->expires_at), inv->created_by, NULL);
      if (inv->used_at != 0)
        fk_html (out, "<span class=\"key\" title=\"{}\">{}…</span> {}", inv->device, key,
                 fk_office_time (ctx, inv->used_at), NULL);
      g_string_append (out, "</td></tr>");
    }
  g_string_append (out, "</tbody></table></div>");
}

static void
form_html (FkOfficeContext *ctx, GString *out, const char *commune, const char *name)
{
  fk_html (out,
           "<h2>{}</h2><form class=\"stacked\" method=\"post\" action=\"/office/invitations\">",
           _ ("New enrollment code"), NULL);
  fk_office_csrf_field (ctx, out);
  if (is_receiver (ctx))
    fk_html (out, "<p>{} <strong>{}</strong></p>", _ ("For the commune"), ctx->user->commune, NULL);
  else
    fk_html (out,
             "<label for=\"commune\">{}</label><input id=\"commune\" name=\"commune\" "
             "value=\"{}\" required maxlength=\"16\" inputmode=\"numeric\">",
             _ ("Commune code"), commune != NULL ? commune : "", NULL);
  fk_html (out,
           "<label for=\"name\">{}</label><input id=\"name\" name=\"name\" value=\"{}\" "
           "required maxlength=\"64\" placeholder=\"tablet-07\">"
           "<label for=\"hours\">{}</label><input id=\"hours\" name=\"hours\" type=\"number\" "
           "min=\"1\" max=\"720\" value=\"24\" required>",
           _ ("Device name (its asset tag, never a person)"), name != NULL ? name : "",
           _ ("Valid for (hours)"), NULL);
  if (needs_allow_http (server_url (ctx)))
    {
      fk_html (out, "<p class=\"notice\" id=\"plain-http\">{}</p>",
               fk_office_printf (ctx,
                                 _ ("Devices reach this server at %s over plain HTTP: the link is "
                                    "not encrypted, and a device refuses such a code unless an "
                                    "administrator allows it. Set the server's public-url to an "
                                    "https:// address."),
                                 server_url (ctx)),
               NULL);
      if (ctx->user->role == FK_OFFICE_ROLE_ADMIN)
        fk_html (out,
                 "<label class=\"check\"><input type=\"checkbox\" id=\"allow-http\" "
                 "name=\"allow-http\" value=\"1\"> {}</label>",
                 _ ("Allow plain HTTP for this code (a closed network only)"), NULL);
    }
  fk_html (out, "<button class=\"primary\" type=\"submit\">{}</button></form>", _ ("Make the code"),
           NULL);
}

static FkServerResponse *
invitations_page (FkOfficeContext *ctx, guint status, const char *message, const char *commune,
                  const char *name, GString *made)
{
  g_autoptr (GString) body = g_string_new (NULL);

  fk_html (body, "<h1>{}</h1><p>{}</p>", _ ("Enrollment codes"),
           _ ("A new device joins its commune by scanning a code at its first start (“Scan "
              "the enrollment code”). Each code works once and for a limited time."),
           NULL);
  if (message != NULL)
    fk_html (body, "<p class=\"notice\" role=\"alert\">{}</p>", message, NULL);
  if (made != NULL)
    g_string_append_len (body, made->str, (gssize) made->len);
  form_html (ctx, body, commune, name);
  list_html (ctx, body);
  return fk_office_page (ctx, status, _ ("Enrollment codes"), "/office/invitations", body);
}

FkServerResponse *
fk_office_invitations_page (FkOfficeContext *ctx)
{
  return invitations_page (ctx, 200, NULL, NULL, NULL, NULL);
}

/* The code just made: its QR code, its text, what it is for. Shown once. */
static GString *
made_html (FkOfficeContext *ctx, const char *code, const char *commune, const char *name,
           gint64 expires_at, GError **error)
{
  g_autofree char *svg = fk_server_qr_svg (code, error);
  GString *out;

  if (svg == NULL)
    return NULL;
  out = g_string_new (NULL);
  fk_html (out,
           "<section class=\"made\" id=\"new-code\"><h2>{}</h2><p role=\"status\">{}</p>"
           "<div class=\"qr\">{!}</div><p>{}</p><pre class=\"code\" id=\"code-text\">{}</pre>"
           "</section>",
           _ ("Scan this code with the new device"),
           fk_office_printf (ctx, _ ("For the device “%s” of commune %s; valid once, until %s."),
                             name, commune, fk_office_time (ctx, expires_at)),
           svg, _ ("For a device without a camera, the same code as text:"), code, NULL);
  return out;
}

FkServerResponse *
fk_office_invitations_post (FkOfficeContext *ctx)
{
  const char *commune = is_receiver (ctx) ? ctx->user->commune : fk_office_form (ctx, "commune");
  const char *name = fk_office_form (ctx, "name");
  const char *hours_text = fk_office_form (ctx, "hours");
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) made = NULL;
  g_autofree char *code = NULL;
  FkServerInviteOptions options = { 0 };
  guint64 hours = FK_ENROLL_DEFAULT_HOURS;
  gint64 expires_at = 0;

  if (commune == NULL || name == NULL || !fk_enroll_check_names (commune, name, NULL))
    return invitations_page (ctx, 400,
                             _ ("Give a commune code (letters and digits) and a device name of "
                                "1 to 64 characters."),
                             commune, name, NULL);
  if (hours_text != NULL && *hours_text != '\0' &&
      !g_ascii_string_to_unsigned (hours_text, 10, 1, FK_SERVER_INVITE_MAX_HOURS, &hours, NULL))
    return invitations_page (ctx, 400, _ ("A code is valid for 1 to 720 hours."), commune, name,
                             NULL);
  options.url = server_url (ctx);
  /* Only an administrator may allow plain HTTP; a receiver's box is not
   * even offered, and is ignored if sent. */
  options.allow_http = ctx->user->role == FK_OFFICE_ROLE_ADMIN &&
                       g_strcmp0 (fk_office_form (ctx, "allow-http"), "1") == 0 &&
                       needs_allow_http (options.url);
  options.commune = commune;
  options.name = name;
  options.hours = (guint) hours;
  options.created_by = ctx->user->name;
  code =
    fk_server_invite_create (ctx->office->db, ctx->office->keys, &options, &expires_at, &error);
  if (code == NULL)
    {
      g_warning ("office: enrollment code: %s", error->message);
      return invitations_page (ctx, 503,
                               _ ("The code cannot be made right now; check the server's "
                                  "public-url and try again."),
                               commune, name, NULL);
    }
  fk_office_audit (
    ctx->office, ctx->user->name, "invitation", NULL,
    fk_office_printf (ctx, "%s %s%s", commune, name, options.allow_http ? " plain-http" : ""),
    NULL);
  made = made_html (ctx, code, commune, name, expires_at, &error);
  if (made == NULL)
    return invitations_page (ctx, 500, error->message, commune, name, NULL);
  return invitations_page (ctx, 200, NULL, NULL, NULL, made);
}
