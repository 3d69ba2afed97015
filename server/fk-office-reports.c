/* fk-office-reports.c: what the outreach did, per visit, per hamlet or
 * per month over a chosen date range (a campaign): dossiers by procedure,
 * their results, and the VNeID helps by outcome and failure reason, with
 * charts and a CSV export, for supervisors
 *
 * A dossier counts on the day of its visit (the day it was received when
 * its device did not say); a VNeID help on the day of its visit. Counts
 * only: nothing here names a person. The charts are SVG drawn here, so
 * the Content-Security-Policy needs no inline style or script.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-page.h"

#include <string.h>

#include "fk-server-db-private.h"
#include "fk-vneid.h"

/* The results in the order the reports show them. */
static const char *const result_states[] = {
  "new", "in-progress", "ready", "needs-documents", "rejected", "handed-over", "unreadable",
};

typedef struct
{
  char *key;
  guint dossiers;
  guint helps;
  GHashTable *procedures; /* code → count */
  GHashTable *states;     /* state → count */
  GHashTable *outcomes;   /* VNeID outcome → count */
} Group;

typedef struct
{
  const char *from; /* YYYY-MM-DD, inclusive */
  const char *to;
  const char *commune; /* "": all */
  const char *by;      /* visit, hamlet, month */
  GHashTable *groups;  /* key → Group */
  Group *total;
} Report;

static Group *
group_new (const char *key)
{
  Group *g = g_new0 (Group, 1);

  g->key = g_strdup (key);
  g->procedures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g->outcomes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return g;
}

static void
group_free (Group *g)
{
  g_free (g->key);
  g_hash_table_unref (g->procedures);
  g_hash_table_unref (g->states);
  g_hash_table_unref (g->outcomes);
  g_free (g);
}

static void
bump (GHashTable *counts, const char *key)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key));

  g_hash_table_insert (counts, g_strdup (key), GUINT_TO_POINTER (n + 1));
}

static guint
count_of (GHashTable *counts, const char *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, key));
}

/* The group of a day and hamlet under report->by. */
static Group *
group_for (Report *r, const char *day, const char *hamlet)
{
  g_autofree char *key = NULL;
  Group *g;

  if (strcmp (r->by, "month") == 0)
    key = g_strndup (day, 7);
  else if (strcmp (r->by, "hamlet") == 0)
    key = g_strdup (hamlet);
  else
    key = g_strdup_printf ("%s · %s", day, hamlet);
  g = g_hash_table_lookup (r->groups, key);
  if (g == NULL)
    {
      g = group_new (key);
      g_hash_table_insert (r->groups, g->key, g);
    }
  return g;
}

static gboolean
in_range (Report *r, const char *day)
{
  return strlen (day) == 10 && strcmp (day, r->from) >= 0 && strcmp (day, r->to) <= 0;
}

static gboolean
add_dossiers (FkOfficeContext *ctx, Report *r, FkDbConn *conn, GError **error)
{
  g_autoptr (FkDbResult) res =
    FK_DB_QUERY (conn,
                 "SELECT procedure, visit_date, hamlet, state, received_at FROM office_dossiers"
                 " WHERE ($1 = '' OR commune = $1)",
                 error, FK_DB_P_TEXT (r->commune));

  if (res == NULL)
    return FALSE;
  for (guint i = 0; i < res->rows->len; i++)
    {
      const char *day = fk_db_cell_text (res, i, 1);
      const char *hamlet = fk_db_cell_text (res, i, 2);
      g_autoptr (GDateTime) utc = NULL;
      g_autoptr (GDateTime) received = NULL;
      g_autofree char *received_day = NULL;
      Group *g;

      if (*day == '\0')
        {
          utc = g_date_time_new_from_unix_utc (fk_db_cell_int (res, i, 4));
          received = utc != NULL ? g_date_time_to_timezone (utc, ctx->office->tz) : NULL;
          received_day = received != NULL ? g_date_time_format (received, "%Y-%m-%d") : NULL;
          day = received_day != NULL ? received_day : "";
        }
      if (!in_range (r, day))
        continue;
      g = group_for (r, day, *hamlet != '\0' ? hamlet : _ ("unknown hamlet"));
      for (Group *each = g; each != NULL; each = each == r->total ? NULL : r->total)
        {
          each->dossiers++;
          bump (each->procedures, fk_db_cell_text (res, i, 0));
          bump (each->states, fk_db_cell_text (res, i, 3));
        }
    }
  return TRUE;
}

static gboolean
add_helps (FkOfficeContext *ctx, Report *r, FkDbConn *conn, GError **error)
{
  g_autoptr (FkDbResult) res = FK_DB_QUERY (conn,
                                            "SELECT visit_date, hamlet, outcome FROM office_vneid"
                                            " WHERE ($1 = '' OR commune = $1)",
                                            error, FK_DB_P_TEXT (r->commune));

  if (res == NULL)
    return FALSE;
  for (guint i = 0; i < res->rows->len; i++)
    {
      const char *day = fk_db_cell_text (res, i, 0);
      const char *hamlet = fk_db_cell_text (res, i, 1);
      Group *g;

      if (!in_range (r, day))
        continue;
      g = group_for (r, day, *hamlet != '\0' ? hamlet : _ ("unknown hamlet"));
      for (Group *each = g; each != NULL; each = each == r->total ? NULL : r->total)
        {
          each->helps++;
          bump (each->outcomes, fk_db_cell_text (res, i, 2));
        }
    }
  return TRUE;
}

static gboolean
is_day (const char *s)
{
  GDate date;

  if (s == NULL || strlen (s) != 10 || s[4] != '-' || s[7] != '-')
    return FALSE;
  g_date_clear (&date, 1);
  g_date_set_parse (&date, s);
  return g_date_valid (&date);
}

/* The report's range and grouping from the query: by default the current
 * month, per visit. FALSE with @message when the query is not usable. */
static gboolean
read_report (FkOfficeContext *ctx, Report *r, const char **message)
{
  g_autoptr (GDateTime) now = g_date_time_new_now (ctx->office->tz);
  const char *from = fk_office_query (ctx, "from");
  const char *to = fk_office_query (ctx, "to");
  const char *by = fk_office_query (ctx, "by");

  r->from = from != NULL && *from != '\0'
              ? from
              : fk_office_keep (ctx, g_date_time_format (now, "%Y-%m-01"));
  r->to = to != NULL && *to != '\0' ? to : fk_office_keep (ctx, g_date_time_format (now, "%F"));
  r->commune = fk_office_query (ctx, "commune") != NULL ? fk_office_query (ctx, "commune") : "";
  r->by = by != NULL && (strcmp (by, "hamlet") == 0 || strcmp (by, "month") == 0) ? by : "visit";
  r->groups = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) group_free);
  r->total = group_new ("");
  if (!is_day (r->from) || !is_day (r->to))
    *message = _ ("Give dates as on the calendar (day, month, year).");
  else if (strcmp (r->from, r->to) > 0)
    *message = _ ("The first day comes after the last one.");
  return *message == NULL;
}

static void
report_clear (Report *r)
{
  g_clear_pointer (&r->groups, g_hash_table_unref);
  g_clear_pointer (&r->total, group_free);
}

static gboolean
fill_report (FkOfficeContext *ctx, Report *r, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (ctx->office->db, FALSE, error);

  return conn != NULL && add_dossiers (ctx, r, conn, error) && add_helps (ctx, r, conn, error);
}

static int
compare_keys (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The keys of @table, sorted (transfer container). */
static GPtrArray *
sorted_keys (GHashTable *table)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_keys);
  return keys;
}

/* The groups in the order of their keys (dates come in order). */
static GPtrArray *
sorted_groups (Report *r)
{
  GPtrArray *groups = sorted_keys (r->groups);

  for (guint i = 0; i < groups->len; i++)
    groups->pdata[i] = g_hash_table_lookup (r->groups, groups->pdata[i]);
  return groups;
}

static const char *
outcome_title (FkOfficeContext *ctx, const char *code)
{
  const FkVneidOutcome *o = fk_vneid_outcome_lookup (code);

  return o != NULL ? _ (o->title) : code;
}

static const char *
group_label (FkOfficeContext *ctx, Report *r, const char *key)
{
  if (strcmp (r->by, "month") == 0 && strlen (key) == 7)
    return fk_office_printf (ctx, "%.2s/%.4s", key + 5, key);
  if (strcmp (r->by, "visit") == 0 && strlen (key) > 10)
    return fk_office_printf (ctx, "%s%s",
                             fk_office_date (ctx, fk_office_printf (ctx, "%.10s", key)), key + 10);
  return key;
}

#define CHART_WIDTH 800
#define CHART_LABEL 300
#define CHART_ROW   28

/* A horizontal bar chart: @labels and @counts, @n of them; @classes
 * (nullable) the class of each bar ("bar", "bar alt", "bar bad"). */
static void
bar_chart (FkOfficeContext *ctx, GString *out, const char *title, const char *const *labels,
           const guint *counts, const char *const *classes, guint n)
{
  guint max = 1;
  const char *height = fk_office_printf (ctx, "%u", n * CHART_ROW + 8);

  for (guint i = 0; i < n; i++)
    max = MAX (max, counts[i]);
  fk_html (out,
           "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" "
           "role=\"img\" aria-label=\"{}\">",
           fk_office_printf (ctx, "%u", CHART_WIDTH), height, title, NULL);
  for (guint i = 0; i < n; i++)
    {
      guint y = i * CHART_ROW + 4;
      guint width = (guint) ((CHART_WIDTH - CHART_LABEL - 60) * (double) counts[i] / max);

      fk_html (out,
               "<text x=\"0\" y=\"{}\">{}</text><rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" "
               "height=\"{}\"></rect><text x=\"{}\" y=\"{}\">{}</text>",
               fk_office_printf (ctx, "%u", y + 18),
               g_utf8_strlen (labels[i], -1) > 40
                 ? fk_office_printf (ctx, "%.*s…",
                                     (int) (g_utf8_offset_to_pointer (labels[i], 39) - labels[i]),
                                     labels[i])
                 : labels[i],
               classes != NULL ? classes[i] : "bar", fk_office_printf (ctx, "%u", CHART_LABEL),
               fk_office_printf (ctx, "%u", y + 2), fk_office_printf (ctx, "%u", width),
               fk_office_printf (ctx, "%u", CHART_ROW - 8),
               fk_office_printf (ctx, "%u", CHART_LABEL + width + 6),
               fk_office_printf (ctx, "%u", y + 18), fk_office_printf (ctx, "%u", counts[i]), NULL);
    }
  g_string_append (out, "</svg>");
}

static void
option (GString *out, const char *value, const char *label, const char *selected)
{
  fk_html (out, "<option value=\"{}\"{!}>{}</option>", value,
           g_strcmp0 (value, selected) == 0 ? " selected" : "", label, NULL);
}

static void
report_form (FkOfficeContext *ctx, GString *out, Report *r)
{
  g_autoptr (GPtrArray) communes = fk_office_dossiers_values (ctx->office, NULL, "o.commune", NULL);

  fk_html (out,
           "<form class=\"filters card\" method=\"get\" action=\"/office/reports\">"
           "<div><label for=\"r-from\">{}</label><input id=\"r-from\" name=\"from\" type=\"date\" "
           "value=\"{}\"></div><div><label for=\"r-to\">{}</label><input id=\"r-to\" name=\"to\" "
           "type=\"date\" value=\"{}\"></div><div><label for=\"r-commune\">{}</label>"
           "<select id=\"r-commune\" name=\"commune\"><option value=\"\">{}</option>",
           _ ("From"), r->from, _ ("To"), r->to, _ ("Commune"), _ ("All"), NULL);
  for (guint i = 0; communes != NULL && i < communes->len; i++)
    {
      char **v = communes->pdata[i];

      option (out, v[0], fk_office_commune_name (ctx, v[0]), r->commune);
    }
  fk_html (out,
           "</select></div><div><label for=\"r-by\">{}</label><select id=\"r-by\" name=\"by\">",
           _ ("Per"), NULL);
  option (out, "visit", _ ("visit"), r->by);
  option (out, "hamlet", _ ("hamlet"), r->by);
  option (out, "month", _ ("month"), r->by);
  fk_html (out,
           "</select></div><div class=\"actions\"><button class=\"primary\" type=\"submit\">{}"
           "</button></div></form>",
           _ ("Show"), NULL);
}

static const char *
count_text (FkOfficeContext *ctx, guint n)
{
  return fk_office_printf (ctx, "%u", n);
}

static void
groups_table (FkOfficeContext *ctx, GString *out, Report *r, GPtrArray *groups)
{
  guint success = 0;

  fk_html (out,
           "<div class=\"table-wrap\"><table class=\"report\"><thead><tr><th>{}</th>"
           "<th class=\"num\">{}</th>",
           strcmp (r->by, "month") == 0    ? _ ("Month")
           : strcmp (r->by, "hamlet") == 0 ? _ ("Hamlet")
                                           : _ ("Visit"),
           _ ("Dossiers"), NULL);
  for (gsize s = 0; s < G_N_ELEMENTS (result_states); s++)
    fk_html (out, "<th class=\"num\">{}</th>", fk_office_state_label (ctx, result_states[s]), NULL);
  fk_html (out, "<th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
           _ ("VNeID helps"), _ ("VNeID activated"), NULL);
  for (guint i = 0; i <= groups->len; i++)
    {
      Group *g = i < groups->len ? groups->pdata[i] : r->total;

      success = count_of (g->outcomes, "success");
      fk_html (out, "<tr{!}><td>{}</td><td class=\"num\">{}</td>",
               g == r->total ? " class=\"total\"" : "",
               g == r->total ? _ ("Total") : group_label (ctx, r, g->key),
               count_text (ctx, g->dossiers), NULL);
      for (gsize s = 0; s < G_N_ELEMENTS (result_states); s++)
        fk_html (out, "<td class=\"num\">{}</td>",
                 count_text (ctx, count_of (g->states, result_states[s])), NULL);
      fk_html (out, "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
               count_text (ctx, g->helps), count_text (ctx, success), NULL);
    }
  g_string_append (out, "</tbody></table></div>");
}

static void
groups_chart (FkOfficeContext *ctx, GString *out, Report *r, GPtrArray *groups)
{
  g_autofree const char **labels = g_new0 (const char *, groups->len + 1);
  g_autofree guint *counts = g_new0 (guint, groups->len + 1);

  for (guint i = 0; i < groups->len; i++)
    {
      Group *g = groups->pdata[i];

      labels[i] = group_label (ctx, r, g->key);
      counts[i] = g->dossiers;
    }
  bar_chart (ctx, out, _ ("Dossiers"), labels, counts, NULL, groups->len);
}

static void
procedures_section (FkOfficeContext *ctx, GString *out, Report *r)
{
  g_autoptr (GPtrArray) codes = sorted_keys (r->total->procedures);
  g_autoptr (FkCatalog) catalog = fk_office_catalog (ctx->office);
  g_autofree const char **labels = g_new0 (const char *, codes->len + 1);
  g_autofree guint *counts = g_new0 (guint, codes->len + 1);

  fk_html (out, "<section><h2>{}</h2>", _ ("Dossiers by procedure"), NULL);
  for (guint i = 0; i < codes->len; i++)
    {
      labels[i] = fk_office_procedure_title (ctx, catalog, codes->pdata[i]);
      counts[i] = count_of (r->total->procedures, codes->pdata[i]);
    }
  if (codes->len > 0)
    bar_chart (ctx, out, _ ("Dossiers by procedure"), labels, counts, NULL, codes->len);
  else
    fk_html (out, "<p class=\"hint\">{}</p>", _ ("No dossier in this range."), NULL);
  g_string_append (out, "</section>");
}

static void
helps_section (FkOfficeContext *ctx, GString *out, Report *r)
{
  guint n = fk_vneid_outcome_get_n ();
  g_autofree const char **labels = g_new0 (const char *, n + 1);
  g_autofree const char **classes = g_new0 (const char *, n + 1);
  g_autofree guint *counts = g_new0 (guint, n + 1);

  fk_html (out, "<section><h2>{}</h2>", _ ("VNeID helps by outcome"), NULL);
  for (guint i = 0; i < n; i++)
    {
      const FkVneidOutcome *o = fk_vneid_outcome_get (i);

      labels[i] = _ (o->title);
      counts[i] = count_of (r->total->outcomes, o->code);
      /* The first outcome is success; the others are the failure reasons. */
      classes[i] = i == 0 ? "bar alt" : "bar bad";
    }
  if (r->total->helps > 0)
    bar_chart (ctx, out, _ ("VNeID helps by outcome"), labels, counts, classes, n);
  else
    fk_html (out, "<p class=\"hint\">{}</p>", _ ("No VNeID help in this range."), NULL);
  g_string_append (out, "</section>");
}

/* The query of this report, for the CSV link. */
static const char *
report_query (FkOfficeContext *ctx, Report *r)
{
  g_autofree char *commune = g_uri_escape_string (r->commune, NULL, FALSE);

  return fk_office_printf (ctx, "from=%s&to=%s&commune=%s&by=%s", r->from, r->to, commune, r->by);
}

/* GET /office/reports: from, to, commune, by */
FkServerResponse *
fk_office_reports_page (FkOfficeContext *ctx)
{
  g_autoptr (GString) body = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) groups = NULL;
  Report r = { 0 };
  const char *message = NULL;

  fk_html (body, "<h1>{}</h1>", _ ("Reports"), NULL);
  if (read_report (ctx, &r, &message) && !fill_report (ctx, &r, &error))
    {
      g_warning ("office: reports: %s", error->message);
      message = _ ("The reports cannot be read right now; try again in a minute.");
    }
  report_form (ctx, body, &r);
  if (message != NULL)
    fk_html (body, "<p class=\"notice\" role=\"alert\">{}</p>", message, NULL);
  else
    {
      groups = sorted_groups (&r);
      fk_html (body,
               "<p class=\"count\">{}</p><p><a class=\"button\" href=\"/office/reports.csv?{}\" "
               "download>{}</a></p>",
               fk_office_printf (ctx, _ ("From %s to %s: %u dossiers, %u VNeID helps."),
                                 fk_office_date (ctx, r.from), fk_office_date (ctx, r.to),
                                 r.total->dossiers, r.total->helps),
               report_query (ctx, &r), _ ("Download as CSV"), NULL);
      fk_html (body, "<section><h2>{}</h2>", _ ("Dossiers and results"), NULL);
      if (groups->len > 0)
        groups_chart (ctx, body, &r, groups);
      groups_table (ctx, body, &r, groups);
      g_string_append (body, "</section>");
      procedures_section (ctx, body, &r);
      helps_section (ctx, body, &r);
    }
  report_clear (&r);
  return fk_office_page (ctx, 200, _ ("Reports"), "/office/reports", body);
}

/* A CSV field: quoted, and a value a spreadsheet would take for a
 * formula (a hamlet named "=HYPERLINK(…)") starts with an apostrophe. */
static void
csv_field (GString *out, const char *value, gboolean last)
{
  g_string_append_c (out, '"');
  if (strchr ("=+-@\t\r", value[0]) != NULL && value[0] != '\0')
    g_string_append_c (out, '\'');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append (out, last ? "\"\r\n" : "\",");
}

static void
csv_row (GString *out, const char *group, const char *measure, const char *key, const char *label,
         guint count)
{
  g_autofree char *n = g_strdup_printf ("%u", count);

  csv_field (out, group, FALSE);
  csv_field (out, measure, FALSE);
  csv_field (out, key, FALSE);
  csv_field (out, label, FALSE);
  csv_field (out, n, TRUE);
}

static void
csv_group (FkOfficeContext *ctx, GString *out, Group *g, const char *name, FkCatalog *catalog)
{
  g_autoptr (GPtrArray) codes = sorted_keys (g->procedures);

  csv_row (out, name, "dossiers", "", _ ("Dossiers"), g->dossiers);
  for (guint i = 0; i < codes->len; i++)
    csv_row (out, name, "procedure", codes->pdata[i],
             fk_office_procedure_title (ctx, catalog, codes->pdata[i]),
             count_of (g->procedures, codes->pdata[i]));
  for (gsize s = 0; s < G_N_ELEMENTS (result_states); s++)
    if (count_of (g->states, result_states[s]) > 0)
      csv_row (out, name, "result", result_states[s], fk_office_state_label (ctx, result_states[s]),
               count_of (g->states, result_states[s]));
  csv_row (out, name, "vneid", "", _ ("VNeID helps"), g->helps);
  for (guint i = 0; i < fk_vneid_outcome_get_n (); i++)
    {
      const FkVneidOutcome *o = fk_vneid_outcome_get (i);

      if (count_of (g->outcomes, o->code) > 0)
        csv_row (out, name, "vneid", o->code, outcome_title (ctx, o->code),
                 count_of (g->outcomes, o->code));
    }
}

/* GET /office/reports.csv: the same report, a row per count:
 * group, measure (dossiers, procedure, result, vneid), key, label, count;
 * the group "total" last. */
FkServerResponse *
fk_office_reports_csv (FkOfficeContext *ctx)
{
  g_autoptr (GString) csv = g_string_new ("\xEF\xBB\xBF");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) groups = NULL;
  g_autoptr (FkCatalog) catalog = fk_office_catalog (ctx->office);
  Report r = { 0 };
  const char *message = NULL;
  FkServerResponse *resp;

  if (!read_report (ctx, &r, &message))
    {
      report_clear (&r);
      return fk_office_message_page (ctx, 400, _ ("Reports"), message);
    }
  if (!fill_report (ctx, &r, &error))
    {
      g_warning ("office: reports: %s", error->message);
      report_clear (&r);
      return fk_office_message_page (
        ctx, 503, _ ("Reports"),
        _ ("The reports cannot be read right now; try again in a minute."));
    }
  groups = sorted_groups (&r);
  g_string_append (csv, "\"group\",\"measure\",\"key\",\"label\",\"count\"\r\n");
  for (guint i = 0; i < groups->len; i++)
    csv_group (ctx, csv, groups->pdata[i], ((Group *) groups->pdata[i])->key, catalog);
  csv_group (ctx, csv, r.total, "total", catalog);
  resp = fk_server_response_new (200);
  resp->content_type = "text/csv; charset=utf-8";
  resp->body = g_bytes_new (csv->str, csv->len);
  fk_server_response_add_header (
    resp, "Content-Disposition",
    fk_office_printf (ctx, "attachment; filename=\"fieldkit-%s-%s-%s.csv\"", r.by, r.from, r.to));
  report_clear (&r);
  return resp;
}
