/* fk-office-inbox.c: the dossiers received, newest first, filtered by
 * commune, visit, procedure and state, searched by ID number (exact) and
 * by name (without accents)
 *
 * A receiver sees the dossiers of their commune only, whatever the query
 * asks. Searches use the index's keyed hashes (fk-office-index.c); the
 * names listed are opened in memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-page.h"

#include <string.h>

#include "fk-admin-units.h"
#include "fk-text.h"

#define PAGE_SIZE 50

static const char *const states[] = {
  "new", "in-progress", "ready", "rejected", "needs-documents", "handed-over", "unreadable",
};

const char *
fk_office_state_label (FkOfficeContext *ctx, const char *state)
{
  if (g_strcmp0 (state, "new") == 0)
    return _ ("New");
  if (g_strcmp0 (state, "in-progress") == 0)
    return _ ("In progress");
  if (g_strcmp0 (state, "ready") == 0)
    return _ ("Result ready");
  if (g_strcmp0 (state, "rejected") == 0)
    return _ ("Rejected");
  if (g_strcmp0 (state, "needs-documents") == 0)
    return _ ("Needs documents");
  if (g_strcmp0 (state, "handed-over") == 0)
    return _ ("Handed over");
  return _ ("Cannot be opened");
}

const char *
fk_office_commune_name (FkOfficeContext *ctx, const char *code)
{
  FkAdminUnits *units = fk_admin_units_get_default (NULL);
  const FkAdminUnit *unit =
    units != NULL && code != NULL ? fk_admin_units_lookup (units, code) : NULL;

  if (code == NULL || *code == '\0')
    return _ ("no commune");
  if (unit == NULL)
    return code;
  return fk_office_printf (ctx, "%s %s (%s)", unit->type, unit->name, code);
}

/* "2026-12-01" as "01/12/2026". */
const char *
fk_office_date (FkOfficeContext *ctx, const char *iso)
{
  if (iso == NULL || strlen (iso) != 10)
    return iso != NULL ? iso : "";
  return fk_office_printf (ctx, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

static void
select_open (FkOfficeContext *ctx, GString *out, const char *name, const char *label)
{
  fk_html (out, "<div><label for=\"f-{}\">{}</label><select id=\"f-{}\" name=\"{}\">", name, label,
           name, name, NULL);
  fk_html (out, "<option value=\"\">{}</option>", _ ("All"), NULL);
}

static void
option (GString *out, const char *value, const char *label, const char *selected)
{
  fk_html (out, "<option value=\"{}\"{!}>{}</option>", value,
           g_strcmp0 (value, selected) == 0 ? " selected" : "", label, NULL);
}

static void
filter_values (FkOfficeContext *ctx, GString *out, const char *commune, const char *columns,
               const char *name, const char *label)
{
  g_autoptr (GPtrArray) values = fk_office_dossiers_values (ctx->office, commune, columns, NULL);
  g_autoptr (FkCatalog) catalog = fk_office_catalog (ctx->office);
  const char *selected = fk_office_query (ctx, name);

  select_open (ctx, out, name, label);
  for (guint i = 0; values != NULL && i < values->len; i++)
    {
      char **v = values->pdata[i];

      if (strcmp (name, "visit") == 0 && *v[2] != '\0')
        option (out, v[2],
                fk_office_printf (ctx, "%s · %s", fk_office_date (ctx, v[0]),
                                  *v[1] != '\0' ? v[1] : _ ("unknown hamlet")),
                selected);
      else if (strcmp (name, "procedure") == 0 && *v[0] != '\0')
        option (out, v[0], fk_office_procedure_title (ctx, catalog, v[0]), selected);
      else if (strcmp (name, "commune") == 0)
        option (out, v[0], fk_office_commune_name (ctx, v[0]), selected);
    }
  g_string_append (out, "</select></div>");
}

static void
filters (FkOfficeContext *ctx, GString *out, const char *commune)
{
  const char *state = fk_office_query (ctx, "state");

  fk_html (out,
           "<form class=\"filters card\" method=\"get\" action=\"/office/inbox\" "
           "data-autosubmit role=\"search\">",
           NULL);
  if (ctx->user->role != FK_OFFICE_ROLE_RECEIVER)
    filter_values (ctx, out, NULL, "o.commune", "commune", _ ("Commune"));
  filter_values (ctx, out, commune, "o.visit_date, o.hamlet, o.visit_id", "visit",
                 _ ("Visit (date · hamlet)"));
  filter_values (ctx, out, commune, "o.procedure", "procedure", _ ("Procedure"));
  select_open (ctx, out, "state", _ ("State"));
  for (gsize i = 0; i < G_N_ELEMENTS (states); i++)
    option (out, states[i], fk_office_state_label (ctx, states[i]), state);
  g_string_append (out, "</select></div>");
  fk_html (out,
           "<div><label for=\"f-id\">{}</label><input id=\"f-id\" name=\"id\" "
           "inputmode=\"numeric\" autocomplete=\"off\" value=\"{}\"></div>"
           "<div><label for=\"f-name\">{}</label><input id=\"f-name\" name=\"name\" "
           "autocomplete=\"off\" value=\"{}\"></div>"
           "<div class=\"actions\"><button class=\"primary\" type=\"submit\">{}</button>"
           "<a class=\"button\" href=\"/office/inbox\">{}</a></div></form>",
           _ ("ID number"), fk_office_query (ctx, "id") ? fk_office_query (ctx, "id") : "",
           _ ("Name (accents optional)"),
           fk_office_query (ctx, "name") ? fk_office_query (ctx, "name") : "", _ ("Search"),
           _ ("Clear"), NULL);
}

static void
row_html (FkOfficeContext *ctx, GString *out, FkOfficeRow *row, FkCatalog *catalog)
{
  const char *visit =
    *row->visit_date != '\0'
      ? fk_office_printf (ctx, "%s · %s", fk_office_date (ctx, row->visit_date), row->hamlet)
      : "";

  fk_html (out,
           "<tr><td data-label=\"{}\">{}</td><td data-label=\"{}\"><a href=\"/office/dossier/{}\">"
           "{}</a></td><td data-label=\"{}\">{}</td><td data-label=\"{}\">{}</td>",
           _ ("Received"), fk_office_time (ctx, row->received_at), _ ("Citizen"), row->dossier,
           row->name != NULL ? row->name : _ ("(not readable)"), _ ("Procedure"),
           fk_office_procedure_title (ctx, catalog, row->procedure), _ ("Visit"), visit, NULL);
  if (ctx->user->role != FK_OFFICE_ROLE_RECEIVER)
    fk_html (out, "<td data-label=\"{}\">{}</td>", _ ("Commune"),
             fk_office_commune_name (ctx, row->commune), NULL);
  fk_html (out,
           "<td data-label=\"{}\">{}</td><td data-label=\"{}\"><span class=\"badge state-{}\">{}"
           "</span></td></tr>",
           _ ("Device"), row->device_name, _ ("State"), row->state,
           fk_office_state_label (ctx, row->state), NULL);
}

static void
table (FkOfficeContext *ctx, GString *out, GPtrArray *rows)
{
  g_autoptr (FkCatalog) catalog = fk_office_catalog (ctx->office);

  fk_html (out,
           "<div class=\"table-wrap\"><table class=\"responsive inbox\"><thead><tr>"
           "<th>{}</th><th>{}</th><th>{}</th><th>{}</th>",
           _ ("Received"), _ ("Citizen"), _ ("Procedure"), _ ("Visit"), NULL);
  if (ctx->user->role != FK_OFFICE_ROLE_RECEIVER)
    fk_html (out, "<th>{}</th>", _ ("Commune"), NULL);
  fk_html (out, "<th>{}</th><th>{}</th></tr></thead><tbody>", _ ("Device"), _ ("State"), NULL);
  for (guint i = 0; i < rows->len; i++)
    row_html (ctx, out, rows->pdata[i], catalog);
  g_string_append (out, "</tbody></table></div>");
}

/* The query of this page with another page number. */
static const char *
page_link (FkOfficeContext *ctx, guint page)
{
  const char *keys[] = { "commune", "visit", "procedure", "state", "id", "name" };
  g_autoptr (GString) q = g_string_new ("/office/inbox?");

  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *v = fk_office_query (ctx, keys[i]);
      g_autofree char *escaped = v != NULL ? g_uri_escape_string (v, NULL, FALSE) : NULL;

      if (escaped != NULL && *escaped != '\0')
        g_string_append_printf (q, "%s=%s&", keys[i], escaped);
    }
  g_string_append_printf (q, "page=%u", page);
  return fk_office_keep (ctx, g_string_free (g_steal_pointer (&q), FALSE));
}

static void
pager (FkOfficeContext *ctx, GString *out, guint page, guint total)
{
  guint pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;

  if (pages <= 1)
    return;
  fk_html (out, "<nav class=\"pager\" aria-label=\"{}\">", _ ("Pages"), NULL);
  if (page > 1)
    fk_html (out, "<a class=\"button\" href=\"{}\">{}</a> ", page_link (ctx, page - 1), _ ("Newer"),
             NULL);
  fk_html (out, "<span>{}</span>", fk_office_printf (ctx, _ ("Page %u of %u"), page, pages), NULL);
  if (page < pages)
    fk_html (out, " <a class=\"button\" href=\"{}\">{}</a>", page_link (ctx, page + 1), _ ("Older"),
             NULL);
  g_string_append (out, "</nav>");
}

/* The filter of the query, cut to what the account may see; FALSE with
 * @message when a search term cannot be used. */
static gboolean
read_filter (FkOfficeContext *ctx, FkOfficeFilter *f, guint page, const char **message)
{
  const char *id = fk_office_query (ctx, "id");
  const char *name = fk_office_query (ctx, "name");

  f->commune = ctx->user->role == FK_OFFICE_ROLE_RECEIVER ? ctx->user->commune
                                                          : fk_office_query (ctx, "commune");
  f->visit_id = fk_office_query (ctx, "visit");
  f->procedure = fk_office_query (ctx, "procedure");
  f->state = fk_office_query (ctx, "state");
  f->limit = PAGE_SIZE;
  f->offset = (page - 1) * PAGE_SIZE;
  if (id != NULL && *g_strstrip ((char *) id) != '\0')
    {
      if (!(strlen (id) == 12 || strlen (id) == 9) || !fk_text_is_digits (id, strlen (id)))
        {
          *message = _ ("An ID number has 12 digits (or 9 for an old ID card).");
          return FALSE;
        }
      f->id_hash = fk_office_keep (ctx, fk_office_id_hash (ctx->office, id));
    }
  if (name != NULL && *name != '\0')
    {
      f->name_tokens = fk_office_name_tokens (ctx->office, name);
      g_ptr_array_add (ctx->keep, f->name_tokens);
      /* The array goes with the request; its strings too. */
      for (guint i = 0; f->name_tokens[i] != NULL; i++)
        g_ptr_array_add (ctx->keep, f->name_tokens[i]);
    }
  return TRUE;
}

FkServerResponse *
fk_office_inbox_page (FkOfficeContext *ctx)
{
  g_autoptr (GString) body = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  FkOfficeFilter f = { 0 };
  const char *message = NULL;
  guint64 page = 1;
  guint total = 0;

  if (fk_office_query (ctx, "page") != NULL &&
      !g_ascii_string_to_unsigned (fk_office_query (ctx, "page"), 10, 1, 100000, &page, NULL))
    page = 1;
  fk_html (body, "<h1>{}</h1>", _ ("Dossiers received"), NULL);
  if (ctx->user->role == FK_OFFICE_ROLE_RECEIVER)
    fk_html (body, "<p class=\"hint\">{}</p>",
             fk_office_printf (ctx, _ ("The dossiers of %s."),
                               fk_office_commune_name (ctx, ctx->user->commune)),
             NULL);
  filters (ctx, body, ctx->user->role == FK_OFFICE_ROLE_RECEIVER ? ctx->user->commune : NULL);
  if (read_filter (ctx, &f, (guint) page, &message))
    rows = fk_office_dossiers_list (ctx->office, &f, &total, &error);
  if (message != NULL)
    fk_html (body, "<p class=\"notice\" role=\"alert\">{}</p>", message, NULL);
  else if (rows == NULL)
    {
      g_warning ("office: inbox: %s", error->message);
      fk_html (body, "<p class=\"notice\" role=\"alert\">{}</p>",
               _ ("The dossiers cannot be read right now; try again in a minute."), NULL);
    }
  else if (rows->len == 0)
    fk_html (body, "<p class=\"done\">{}</p>", _ ("No dossier matches."), NULL);
  else
    {
      fk_html (body, "<p class=\"count\">{}</p>", fk_office_printf (ctx, _ ("%u dossiers"), total),
               NULL);
      table (ctx, body, rows);
      pager (ctx, body, (guint) page, total);
    }
  return fk_office_page (ctx, 200, _ ("Dossiers received"), "/office/inbox", body);
}
