/* fk-office.c: the office's routes, who may see which page, and what every
 * answer under /office/ carries
 *
 * A request reaches a page only after: a POST comes from the office's own
 * pages (Origin and Sec-Fetch-Site, when the browser sends them), the
 * session in its cookie is alive, the account's role is one the page is
 * for, and a POST other than the login carries the session's CSRF token.
 * A refused POST changes nothing. A page that is added is a line in
 * routes[] (and in navigation[] if it has an entry in the menu) and a
 * file fk-office-<page>.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-page.h"

#include <sodium.h>
#include <string.h>

#include "fk-office-resources.h"

#define ROLES_DOSSIERS (FK_OFFICE_ROLE_RECEIVER | FK_OFFICE_ROLE_SUPERVISOR)
#define ROLES_MANAGE   (FK_OFFICE_ROLE_SUPERVISOR | FK_OFFICE_ROLE_ADMIN)
/* Administrators for any commune, receivers for their own. */
#define ROLES_INVITE (FK_OFFICE_ROLE_ADMIN | FK_OFFICE_ROLE_RECEIVER)

typedef struct
{
  const char *method;
  const char *path; /* ending in "/": every path below it */
  guint roles;      /* 0: no session needed */
  FkOfficeHandler handler;
} Route;

static FkServerResponse *home (FkOfficeContext *ctx);

static const Route routes[] = {
  { "GET", "/office/", FK_OFFICE_ROLES_ALL, home },
  { "GET", "/office/static/", 0, fk_office_static },
  { "GET", "/office/login", 0, fk_office_login_page },
  { "POST", "/office/login", 0, fk_office_login_post },
  { "POST", "/office/logout", FK_OFFICE_ROLES_ALL, fk_office_logout_post },
  { "GET", "/office/lang", 0, fk_office_language },
  { "GET", "/office/inbox", ROLES_DOSSIERS, fk_office_inbox_page },
  { "GET", "/office/dossier/", ROLES_DOSSIERS, fk_office_dossier_get },
  { "POST", "/office/dossier/", ROLES_DOSSIERS, fk_office_result_post },
  { "GET", "/office/reports", FK_OFFICE_ROLE_SUPERVISOR, fk_office_reports_page },
  { "GET", "/office/reports.csv", FK_OFFICE_ROLE_SUPERVISOR, fk_office_reports_csv },
  { "GET", "/office/audit", FK_OFFICE_ROLE_SUPERVISOR, fk_office_audit_page },
  { "GET", "/office/devices", ROLES_MANAGE, fk_office_devices_page },
  { "GET", "/office/catalog", ROLES_MANAGE, fk_office_catalog_page },
  { "GET", "/office/users", FK_OFFICE_ROLE_ADMIN, fk_office_users_page },
  { "POST", "/office/users/add", FK_OFFICE_ROLE_ADMIN, fk_office_users_add_post },
  { "POST", "/office/users/disable", FK_OFFICE_ROLE_ADMIN, fk_office_users_disable_post },
  { "POST", "/office/users/password", FK_OFFICE_ROLE_ADMIN, fk_office_users_password_post },
  { "POST", "/office/catalog/check", FK_OFFICE_ROLE_ADMIN, fk_office_catalog_check_post },
  { "POST", "/office/catalog/publish", FK_OFFICE_ROLE_ADMIN, fk_office_catalog_publish_post },
  { "POST", "/office/devices/enroll", FK_OFFICE_ROLE_ADMIN, fk_office_devices_enroll_post },
  { "POST", "/office/devices/revoke", FK_OFFICE_ROLE_ADMIN, fk_office_devices_revoke_post },
  { "GET", "/office/account", FK_OFFICE_ROLES_ALL, fk_office_account_page },
  { "POST", "/office/account/password", FK_OFFICE_ROLES_ALL, fk_office_account_password_post },
  { "GET", "/office/invitations", ROLES_INVITE, fk_office_invitations_page },
  { "POST", "/office/invitations", ROLES_INVITE, fk_office_invitations_post },
};

/* The menu, in its order. */
static const struct
{
  const char *path;
  const char *label;
  guint roles;
} navigation[] = {
  { "/office/inbox", N_ ("Dossiers"), ROLES_DOSSIERS },
  { "/office/reports", N_ ("Reports"), FK_OFFICE_ROLE_SUPERVISOR },
  { "/office/audit", N_ ("Audit trail"), FK_OFFICE_ROLE_SUPERVISOR },
  { "/office/devices", N_ ("Devices"), ROLES_MANAGE },
  { "/office/invitations", N_ ("Enrollment codes"), ROLES_INVITE },
  { "/office/catalog", N_ ("Procedure catalog"), ROLES_MANAGE },
  { "/office/users", N_ ("Accounts"), FK_OFFICE_ROLE_ADMIN },
  { "/office/account", N_ ("My account"), FK_OFFICE_ROLES_ALL },
};

FkOffice *
fk_office_new (FkServer *server)
{
  FkOffice *self = g_new0 (FkOffice, 1);

  fk_office_register_resource ();
  self->db = server->db;
  self->keys = server->keys;
  self->config = server->config;
  self->tls = server->config->tls_cert != NULL;
  self->messages = fk_office_messages_load ();
  self->tz = g_time_zone_new_identifier ("Asia/Ho_Chi_Minh");
  if (self->tz == NULL)
    self->tz = g_time_zone_new_offset (7 * 3600);
  g_mutex_init (&self->kdf_lock);
  g_cond_init (&self->kdf_cond);
  fk_office_index_init (self);
  g_mutex_init (&self->catalog_lock);
  return self;
}

void
fk_office_free (FkOffice *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->messages);
  g_time_zone_unref (self->tz);
  g_free (self->dummy_hash);
  g_clear_pointer (&self->search_key, fk_vault_key_free);
  g_clear_pointer (&self->names_key, fk_vault_key_free);
  g_clear_object (&self->catalog);
  g_mutex_clear (&self->catalog_lock);
  g_mutex_clear (&self->kdf_lock);
  g_cond_clear (&self->kdf_cond);
  g_free (self);
}

void
fk_office_maintain (FkOffice *self)
{
  g_autoptr (GError) error = NULL;
  guint n = 0;

  if (!fk_office_index_missing (self, &n, &error))
    g_warning ("office: indexing delivered dossiers: %s", error->message);
  else if (n > 0)
    g_message ("office: indexed %u delivered dossiers", n);
  g_clear_error (&error);
  if (!fk_office_purge_handed_over (self, &n, &error))
    g_warning ("office: removing the photos of handed-over dossiers: %s", error->message);
  else if (n > 0)
    g_message ("office: removed the photos and fingerprints of %u handed-over dossiers", n);
}

/* On every answer under /office/, refusals made before a page ran
 * included. */
void
fk_office_add_security_headers (FkServerResponse *r)
{
  gboolean cached = FALSE;

  for (guint i = 0; i + 1 < r->headers->len; i += 2)
    cached |= g_ascii_strcasecmp (r->headers->pdata[i], "Cache-Control") == 0;
  fk_server_response_add_header (r, "Content-Security-Policy",
                                 "default-src 'none'; script-src 'self'; style-src 'self'; "
                                 "img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                                 "base-uri 'none'");
  fk_server_response_add_header (r, "X-Content-Type-Options", "nosniff");
  fk_server_response_add_header (r, "Referrer-Policy", "no-referrer");
  fk_server_response_add_header (r, "X-Frame-Options", "DENY");
  fk_server_response_add_header (r, "Cross-Origin-Opener-Policy", "same-origin");
  fk_server_response_add_header (r, "Cross-Origin-Resource-Policy", "same-origin");
  fk_server_response_add_header (r, "Permissions-Policy",
                                 "camera=(), microphone=(), geolocation=()");
  if (!cached)
    fk_server_response_add_header (r, "Cache-Control", "no-store");
}

gboolean
fk_office_user_has (FkOfficeContext *ctx, guint roles)
{
  return ctx->user != NULL && (ctx->user->role & roles) != 0;
}

const char *
fk_office_local_target (const char *next)
{
  if (next == NULL || !g_str_has_prefix (next, FK_OFFICE_PREFIX "/") ||
      strstr (next, "//") != NULL || strchr (next, '\\') != NULL)
    return FK_OFFICE_PREFIX "/";
  for (const char *p = next; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FK_OFFICE_PREFIX "/";
  return next;
}

const char *
fk_office_form (FkOfficeContext *ctx, const char *name)
{
  return g_hash_table_lookup (ctx->form, name);
}

const char *
fk_office_query (FkOfficeContext *ctx, const char *name)
{
  return g_hash_table_lookup (ctx->query, name);
}

/* Each role's first page. */
static FkServerResponse *
home (FkOfficeContext *ctx)
{
  return fk_office_redirect (ctx, fk_office_user_has (ctx, ROLES_DOSSIERS) ? "/office/inbox"
                                                                           : "/office/devices");
}

static void
header_user (FkOfficeContext *ctx, GString *out)
{
  const char *role = ctx->user->role == FK_OFFICE_ROLE_RECEIVER     ? _ ("receiver")
                     : ctx->user->role == FK_OFFICE_ROLE_SUPERVISOR ? _ ("supervisor")
                                                                    : _ ("administrator");

  fk_html (out, "<span class=\"user\">{} · {}", ctx->user->name, role, NULL);
  if (*ctx->user->commune != '\0')
    fk_html (out, " · {} {}", _ ("commune"), ctx->user->commune, NULL);
  g_string_append (out, "</span><form class=\"logout\" method=\"post\" action=\"/office/logout\">");
  fk_office_csrf_field (ctx, out);
  fk_html (out, "<button type=\"submit\">{}</button></form>", _ ("Log out"), NULL);
}

void
fk_office_header (FkOfficeContext *ctx, const char *active, GString *out)
{
  g_autofree char *back =
    g_uri_escape_string (fk_office_local_target (ctx->req->target), NULL, FALSE);

  fk_html (out,
           "<header class=\"top\"><a class=\"brand\" href=\"/office/\">{}</a>"
           "<nav class=\"nav\" aria-label=\"{}\">",
           _ ("Commune service centre"), _ ("Menu"), NULL);
  for (gsize i = 0; ctx->user != NULL && i < G_N_ELEMENTS (navigation); i++)
    {
      gboolean on = g_strcmp0 (active, navigation[i].path) == 0;

      if (!fk_office_user_has (ctx, navigation[i].roles))
        continue;
      fk_html (out, "<a href=\"{}\"{!}>{}</a>", navigation[i].path,
               on ? " class=\"active\" aria-current=\"page\"" : "", _ (navigation[i].label), NULL);
    }
  g_string_append (out, "</nav><div class=\"who\">");
  fk_html (out, "<a class=\"lang\" href=\"/office/lang?to={}&amp;back={}\" lang=\"{}\">{}</a>",
           ctx->lang == FK_OFFICE_LANG_VI ? "en" : "vi", back,
           ctx->lang == FK_OFFICE_LANG_VI ? "en" : "vi",
           ctx->lang == FK_OFFICE_LANG_VI ? "English" : "Tiếng Việt", NULL);
  if (ctx->user != NULL)
    header_user (ctx, out);
  g_string_append (out, "</div></header>");
}

static const char *
cookie (FkServerRequest *req, const char *name, GPtrArray *keep)
{
  g_auto (GStrv) pairs = NULL;

  if (req->cookie == NULL)
    return NULL;
  pairs = g_strsplit (req->cookie, ";", 32);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *eq = strchr (pairs[i], '=');

      if (eq == NULL)
        continue;
      *eq = '\0';
      if (strcmp (g_strstrip (pairs[i]), name) == 0)
        {
          char *value = g_strdup (g_strstrip (eq + 1));

          g_ptr_array_add (keep, value);
          return value;
        }
    }
  return NULL;
}

static GHashTable *
parse_params (const char *text, gsize len)
{
  g_autoptr (GHashTable) params = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (text == NULL || len == 0)
    return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  params = g_uri_parse_params (text, (gssize) len, "&", G_URI_PARAMS_WWW_FORM, NULL);
  if (params == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_utf8_validate (key, -1, NULL) || !g_utf8_validate (value, -1, NULL))
      return NULL;
  return g_steal_pointer (&params);
}

static const Route *
find_route (const char *method, const char *path, gboolean *other_method)
{
  gboolean head = strcmp (method, "HEAD") == 0;

  *other_method = FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      const Route *r = &routes[i];
      gboolean below = g_str_has_suffix (r->path, "/") && strcmp (r->path, "/office/") != 0;
      gboolean match = below ? g_str_has_prefix (path, r->path) : strcmp (path, r->path) == 0;

      if (!match)
        continue;
      if (strcmp (r->method, method) == 0 || (head && strcmp (r->method, "GET") == 0))
        return r;
      *other_method = TRUE;
    }
  return NULL;
}

/* A POST must come from the office's own pages. Browsers say where a
 * request comes from (Sec-Fetch-Site, Origin); a script that sends
 * neither is not a browser another site can drive. */
static gboolean
same_origin (FkServerRequest *req)
{
  const char *origin = req->origin;

  if (req->fetch_site != NULL && strcmp (req->fetch_site, "same-origin") != 0 &&
      strcmp (req->fetch_site, "none") != 0)
    return FALSE;
  /* Under Referrer-Policy: no-referrer a browser sends "Origin: null"
   * for the office's own forms; Sec-Fetch-Site decided above. */
  if (origin == NULL || strcmp (origin, "null") == 0)
    return TRUE;
  if (req->host == NULL)
    return FALSE;
  if (g_str_has_prefix (origin, "https://"))
    origin += strlen ("https://");
  else if (g_str_has_prefix (origin, "http://"))
    origin += strlen ("http://");
  else
    return FALSE;
  return g_ascii_strcasecmp (origin, req->host) == 0;
}

static gboolean
csrf_ok (FkOfficeContext *ctx)
{
  const char *given = fk_office_form (ctx, "csrf");

  return given != NULL && ctx->session != NULL && strlen (given) == strlen (ctx->session->csrf) &&
         sodium_memcmp (given, ctx->session->csrf, strlen (given)) == 0;
}

static FkServerResponse *
unavailable (FkOfficeContext *ctx, const GError *error)
{
  FkServerResponse *r;

  g_warning ("office: %s", error->message);
  r = fk_office_message_page (ctx, 503, _ ("The office is unavailable"),
                              _ ("The server cannot reach its database right now. Try again in a "
                                 "minute; if it lasts, tell the server's administrator."));
  fk_server_response_add_header (r, "Retry-After", "5");
  return r;
}

/* The session of the cookie, with its account; FALSE on a database
 * failure. */
static gboolean
load_session (FkOfficeContext *ctx, gboolean *expired, GError **error)
{
  const char *value = cookie (ctx->req, fk_office_session_cookie_name (ctx->office), ctx->keep);
  g_autofree char *name = NULL;

  *expired = FALSE;
  if (value == NULL || *value == '\0')
    return TRUE;
  ctx->session = fk_office_session_resolve (ctx->office, value, &name, expired, error);
  if (ctx->session == NULL)
    return error == NULL || *error == NULL;
  ctx->user = fk_office_user_get (ctx->office->db, name, error);
  if (ctx->user == NULL)
    {
      g_clear_pointer (&ctx->session, fk_office_session_free);
      return FALSE;
    }
  return TRUE;
}

static FkServerResponse *
to_login (FkOfficeContext *ctx, gboolean expired)
{
  g_autofree char *next =
    g_uri_escape_string (fk_office_local_target (ctx->req->target), NULL, FALSE);

  return fk_office_redirect (
    ctx, fk_office_printf (ctx, "/office/login?next=%s%s", next, expired ? "&expired=1" : ""));
}

/* Who may go on: NULL, or the answer that refuses. */
static FkServerResponse *
admit (FkOfficeContext *ctx, const Route *route, gboolean post)
{
  g_autoptr (GError) error = NULL;
  gboolean expired = FALSE;

  if (!load_session (ctx, &expired, &error))
    return unavailable (ctx, error);
  if (route->roles == 0)
    return NULL;
  if (ctx->user == NULL && !post)
    return to_login (ctx, expired);
  if (ctx->user == NULL)
    return fk_office_message_page (ctx, 403, _ ("Not logged in"),
                                   expired ? _ ("Your session has ended after a time without use. "
                                                "Log in again; nothing was changed.")
                                           : _ ("Log in first; nothing was changed."));
  if (!fk_office_user_has (ctx, route->roles))
    return fk_office_message_page (ctx, 403, _ ("Not for your account"),
                                   _ ("This page is not open to your account's role."));
  if (post && !csrf_ok (ctx))
    return fk_office_message_page (ctx, 403, _ ("Refused"),
                                   _ ("The form is out of date or did not come from the office. "
                                      "Nothing was changed; open the page again and retry."));
  return NULL;
}

static FkServerResponse *
dispatch (FkOfficeContext *ctx)
{
  FkServerRequest *req = ctx->req;
  gboolean post = strcmp (req->method, "POST") == 0;
  gboolean other_method = FALSE;
  const Route *route;
  FkServerResponse *r;

  if (strcmp (req->path, FK_OFFICE_PREFIX) == 0)
    return fk_office_redirect (ctx, FK_OFFICE_PREFIX "/");
  route = find_route (req->method, req->path, &other_method);
  if (route == NULL)
    return other_method ? fk_office_message_page (ctx, 405, _ ("Not allowed"),
                                                  _ ("This page cannot be used this way."))
                        : fk_office_message_page (ctx, 404, _ ("Not found"),
                                                  _ ("There is no such page in the office."));
  if (post && !same_origin (req))
    return fk_office_message_page (ctx, 403, _ ("Refused"),
                                   _ ("The form was not sent from the office's own pages. "
                                      "Nothing was changed."));
  if (post && g_str_has_prefix (req->content_type != NULL ? req->content_type : "",
                                "application/x-www-form-urlencoded"))
    {
      g_hash_table_unref (ctx->form);
      ctx->form = parse_params ((const char *) req->body->data, req->body->len);
      if (ctx->form == NULL)
        {
          ctx->form = parse_params (NULL, 0);
          return fk_office_message_page (ctx, 400, _ ("Refused"),
                                         _ ("The form's data could not be read."));
        }
    }
  else if (post &&
           g_str_has_prefix (req->content_type != NULL ? req->content_type : "",
                             "multipart/form-data") &&
           !fk_office_multipart_parse (req->content_type, req->body->data, req->body->len,
                                       ctx->form, ctx->files))
    {
      g_hash_table_remove_all (ctx->form);
      g_hash_table_remove_all (ctx->files);
      return fk_office_message_page (ctx, 400, _ ("Refused"),
                                     _ ("The form's data could not be read."));
    }
  ctx->route_path = route->path;
  if ((r = admit (ctx, route, post)) != NULL)
    return r;
  return route->handler (ctx);
}

FkServerResponse *
fk_office_process (FkOffice *self, FkServerRequest *req)
{
  FkOfficeContext ctx = { 0 };
  FkServerResponse *r;
  const char *lang;

  ctx.office = self;
  ctx.req = req;
  ctx.keep = g_ptr_array_new_with_free_func (g_free);
  lang = cookie (req, "fk_lang", ctx.keep);
  ctx.lang = g_strcmp0 (lang, "en") == 0 ? FK_OFFICE_LANG_EN : FK_OFFICE_LANG_VI;
  ctx.query = parse_params (req->query, req->query != NULL ? strlen (req->query) : 0);
  if (ctx.query == NULL)
    ctx.query = parse_params (NULL, 0);
  ctx.form = parse_params (NULL, 0);
  ctx.files =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  r = dispatch (&ctx);
  if (strcmp (req->method, "HEAD") == 0)
    g_clear_pointer (&r->body, g_bytes_unref);
  g_hash_table_unref (ctx.query);
  g_hash_table_unref (ctx.form);
  g_hash_table_unref (ctx.files);
  fk_office_session_free (ctx.session);
  fk_office_user_free (ctx.user);
  g_ptr_array_unref (ctx.keep);
  return r;
}

FkServerResponse *
fk_office_too_large (FkOffice *self, FkServerRequest *req)
{
  FkOfficeContext context = { 0 };
  FkOfficeContext *ctx = &context;
  FkServerResponse *r;

  ctx->office = self;
  ctx->req = req;
  ctx->keep = g_ptr_array_new_with_free_func (g_free);
  ctx->lang = g_strcmp0 (cookie (req, "fk_lang", ctx->keep), "en") == 0 ? FK_OFFICE_LANG_EN
                                                                        : FK_OFFICE_LANG_VI;
  r = fk_office_message_page (
    ctx, 413, _ ("Too large"),
    strcmp (req->path, FK_OFFICE_PHOTO_PATH) == 0
      ? _ ("The photo is too large: take it again at a lower resolution, or crop it to the code.")
      : _ ("What was sent is larger than the office accepts. Nothing was changed."));
  g_ptr_array_unref (ctx->keep);
  return r;
}
