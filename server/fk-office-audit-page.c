/* fk-office-audit-page.c: the audit trail, for supervisors
 *
 * Who opened or changed what, and when, newest first, 100 a page;
 * filtered by dossier, by account and by dates. Law 91/2025 asks that who
 * saw a citizen's data can be told: a supervisor answers that here. The
 * rows hold no personal data; reading them is not written to the trail.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-page.h"

#include <stdio.h>
#include <string.h>

#include "fk-server-db-private.h"

#define AUDIT_PAGE_SIZE 100

static const char *
action_label (FkOfficeContext *ctx, const char *action)
{
  static const struct
  {
    const char *action;
    const char *label;
  } labels[] = {
    { "login", N_ ("Logged in") },
    { "logout", N_ ("Logged out") },
    { "password", N_ ("Changed their password") },
    { "open", N_ ("Opened the dossier") },
    { "open-file", N_ ("Opened a photo or the fingerprint") },
    { "refused", N_ ("Was refused the dossier") },
    { "result", N_ ("Recorded a result") },
    { "device-enroll", N_ ("Enrolled a device") },
    { "device-revoke", N_ ("Revoked a device") },
    { "catalog-publish", N_ ("Published a procedure catalog") },
    { "user-add", N_ ("Added an account") },
    { "user-disable", N_ ("Disabled an account") },
    { "user-password", N_ ("Set an account's password") },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (labels); i++)
    if (strcmp (labels[i].action, action) == 0)
      return _ (labels[i].label);
  return action;
}

/* The Unix time of midnight in Vietnam starting @iso (YYYY-MM-DD), plus
 * @days; -1 if @iso is not such a date. */
static gint64
day_start (FkOfficeContext *ctx, const char *iso, int days)
{
  int y = 0, m = 0, d = 0;
  g_autoptr (GDateTime) when = NULL;
  g_autoptr (GDateTime) later = NULL;

  if (iso == NULL || strlen (iso) != 10 || sscanf (iso, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
      !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return -1;
  when = g_date_time_new (ctx->office->tz, y, m, d, 0, 0, 0);
  later = when != NULL ? g_date_time_add_days (when, days) : NULL;
  return later != NULL ? g_date_time_to_unix (later) : -1;
}

typedef struct
{
  GString *where;
  GArray *params;
} AuditQuery;

static void
add_param (AuditQuery *q, const char *clause, FkDbParam p)
{
  g_array_append_val (q->params, p);
  g_string_append_printf (q->where, "%s$%u", clause, q->params->len);
}

/* The WHERE of the query's filters; FALSE with @message for a bad one. */
static gboolean
read_filters (FkOfficeContext *ctx, AuditQuery *q, const char **message)
{
  const char *dossier = fk_office_query (ctx, "dossier");
  const char *user = fk_office_query (ctx, "user");
  const char *from = fk_office_query (ctx, "from");
  const char *to = fk_office_query (ctx, "to");
  gint64 t;

  g_string_append (q->where, " WHERE 1 = 1");
  if (dossier != NULL && *dossier != '\0')
    {
      if (!g_uuid_string_is_valid (dossier))
        {
          *message = _ ("A dossier number looks like 3f2a…-…: copy it from the dossier's page.");
          return FALSE;
        }
      add_param (q, " AND dossier = ",
                 (FkDbParam) FK_DB_P_TEXT (fk_office_keep (ctx, fk_sync_uuid_canonical (dossier))));
    }
  if (user != NULL && *user != '\0')
    add_param (q, " AND user_name = ", (FkDbParam) FK_DB_P_TEXT (user));
  if (from != NULL && *from != '\0')
    {
      if ((t = day_start (ctx, from, 0)) < 0)
        {
          *message = _ ("Give dates as on the calendar (day, month, year).");
          return FALSE;
        }
      add_param (q, " AND at >= ", (FkDbParam) FK_DB_P_INT (t));
    }
  if (to != NULL && *to != '\0')
    {
      if ((t = day_start (ctx, to, 1)) < 0)
        {
          *message = _ ("Give dates as on the calendar (day, month, year).");
          return FALSE;
        }
      add_param (q, " AND at < ", (FkDbParam) FK_DB_P_INT (t));
    }
  return TRUE;
}

static void
filters_form (FkOfficeContext *ctx, GString *out)
{
  const char *names[] = { "dossier", "user", "from", "to" };
  const char *values[G_N_ELEMENTS (names)];

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    values[i] = fk_office_query (ctx, names[i]) != NULL ? fk_office_query (ctx, names[i]) : "";
  fk_html (out,
           "<form class=\"filters card\" method=\"get\" action=\"/office/audit\" role=\"search\">"
           "<div><label for=\"a-dossier\">{}</label><input id=\"a-dossier\" name=\"dossier\" "
           "autocomplete=\"off\" value=\"{}\"></div>"
           "<div><label for=\"a-user\">{}</label><input id=\"a-user\" name=\"user\" "
           "autocomplete=\"off\" value=\"{}\"></div>"
           "<div><label for=\"a-from\">{}</label><input id=\"a-from\" name=\"from\" type=\"date\" "
           "value=\"{}\"></div>"
           "<div><label for=\"a-to\">{}</label><input id=\"a-to\" name=\"to\" type=\"date\" "
           "value=\"{}\"></div>"
           "<div class=\"actions\"><button class=\"primary\" type=\"submit\">{}</button>"
           "<a class=\"button\" href=\"/office/audit\">{}</a></div></form>",
           _ ("Dossier"), values[0], _ ("Account"), values[1], _ ("From"), values[2], _ ("To"),
           values[3], _ ("Show"), _ ("Clear"), NULL);
}

static void
audit_table (FkOfficeContext *ctx, GString *out, FkDbResult *res)
{
  fk_html (out,
           "<div class=\"table-wrap\"><table class=\"responsive audit\"><thead><tr><th>{}</th>"
           "<th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
           _ ("When"), _ ("Account"), _ ("What"), _ ("Dossier"), _ ("Detail"), NULL);
  for (guint i = 0; i < res->rows->len; i++)
    {
      const char *dossier = fk_db_cell_text (res, i, 3);

      fk_html (out,
               "<tr><td data-label=\"{}\">{}</td><td data-label=\"{}\">{}</td>"
               "<td data-label=\"{}\">{}</td><td data-label=\"{}\">",
               _ ("When"), fk_office_time (ctx, fk_db_cell_int (res, i, 0)), _ ("Account"),
               fk_db_cell_text (res, i, 1), _ ("What"),
               action_label (ctx, fk_db_cell_text (res, i, 2)), _ ("Dossier"), NULL);
      if (*dossier != '\0')
        fk_html (out, "<a href=\"/office/audit?dossier={}\">{}</a>", dossier, dossier, NULL);
      fk_html (out, "</td><td data-label=\"{}\">{}</td></tr>", _ ("Detail"),
               fk_db_cell_text (res, i, 4), NULL);
    }
  g_string_append (out, "</tbody></table></div>");
}

static void
audit_pager (FkOfficeContext *ctx, GString *out, guint page, gboolean more)
{
  const char *keys[] = { "dossier", "user", "from", "to" };
  g_autoptr (GString) q = g_string_new ("/office/audit?");

  if (page == 1 && !more)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *v = fk_office_query (ctx, keys[i]);
      g_autofree char *escaped = v != NULL ? g_uri_escape_string (v, NULL, FALSE) : NULL;

      if (escaped != NULL && *escaped != '\0')
        g_string_append_printf (q, "%s=%s&", keys[i], escaped);
    }
  fk_html (out, "<nav class=\"pager\" aria-label=\"{}\">", _ ("Pages"), NULL);
  if (page > 1)
    fk_html (out, "<a class=\"button\" href=\"{}\">{}</a>",
             fk_office_printf (ctx, "%spage=%u", q->str, page - 1), _ ("Newer"), NULL);
  fk_html (out, "<span>{}</span>", fk_office_printf (ctx, _ ("Page %u"), page), NULL);
  if (more)
    fk_html (out, "<a class=\"button\" href=\"{}\">{}</a>",
             fk_office_printf (ctx, "%spage=%u", q->str, page + 1), _ ("Older"), NULL);
  g_string_append (out, "</nav>");
}

/* GET /office/audit: dossier, user, from, to, page */
FkServerResponse *
fk_office_audit_page (FkOfficeContext *ctx)
{
  g_autoptr (GString) body = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (FkDbConn) conn = NULL;
  g_autoptr (FkDbResult) res = NULL;
  AuditQuery q = { g_string_new (NULL), g_array_new (FALSE, TRUE, sizeof (FkDbParam)) };
  const char *message = NULL;
  g_autofree char *sql = NULL;
  guint64 page = 1;

  if (fk_office_query (ctx, "page") != NULL &&
      !g_ascii_string_to_unsigned (fk_office_query (ctx, "page"), 10, 1, 100000, &page, NULL))
    page = 1;
  fk_html (body, "<h1>{}</h1><p class=\"hint\">{}</p>", _ ("Audit trail"),
           _ ("Every opening of a dossier's personal data, every result recorded and every login, "
              "newest first."),
           NULL);
  filters_form (ctx, body);
  if (read_filters (ctx, &q, &message))
    {
      sql =
        g_strdup_printf ("SELECT at, user_name, action, dossier, detail FROM office_audit%s"
                         " ORDER BY at DESC, id DESC LIMIT %u OFFSET %u",
                         q.where->str, AUDIT_PAGE_SIZE + 1, (guint) (page - 1) * AUDIT_PAGE_SIZE);
      conn = fk_db_acquire (ctx->office->db, FALSE, &error);
      if (conn != NULL)
        res = fk_db_query (conn, sql, (FkDbParam *) q.params->data, q.params->len, &error);
    }
  if (message != NULL)
    fk_html (body, "<p class=\"notice\" role=\"alert\">{}</p>", message, NULL);
  else if (res == NULL)
    {
      g_warning ("office: audit trail: %s", error->message);
      fk_html (body, "<p class=\"notice\" role=\"alert\">{}</p>",
               _ ("The audit trail cannot be read right now; try again in a minute."), NULL);
    }
  else if (res->rows->len == 0)
    fk_html (body, "<p class=\"done\">{}</p>", _ ("Nothing matches."), NULL);
  else
    {
      gboolean more = res->rows->len > AUDIT_PAGE_SIZE;

      if (more)
        g_ptr_array_set_size (res->rows, AUDIT_PAGE_SIZE);
      audit_table (ctx, body, res);
      audit_pager (ctx, body, (guint) page, more);
    }
  g_string_free (q.where, TRUE);
  g_array_unref (q.params);
  return fk_office_page (ctx, 200, _ ("Audit trail"), "/office/audit", body);
}
