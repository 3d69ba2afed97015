/* fk-reports-page.c: the visit's and the month's figures, and a CSV
 *
 * Only counts: dossiers by procedure, VNeID helps by outcome, results
 * handed over. They come from the counters kept per visit and per month
 * (numbers only, so plain settings of the store), and the CSV written to
 * the Documents folder holds no personal data either.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "fk-application.h"
#include "fk-reports-page.h"
#include "fk-vneid-page.h"
#include "fk-window.h"

struct _FkReportsPage
{
  AdwBin parent_instance;

  AdwComboRow *period_row;
  GtkLabel *title_label;
  GtkGrid *table;
  GtkLabel *export_label;
};

G_DEFINE_FINAL_TYPE (FkReportsPage, fk_reports_page, ADW_TYPE_BIN)

typedef struct
{
  const char *section;
  char *item;
  guint count;
} Line;

static void
line_free (gpointer data)
{
  Line *line = data;

  g_free (line->item);
  g_free (line);
}

static gboolean
per_visit (FkReportsPage *self)
{
  return adw_combo_row_get_selected (self->period_row) == 0;
}

static char *
this_month (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m");
}

static guint
count (FkReportsPage *self, const char *counter)
{
  FkSession *session = fk_application_get_session (fk_application_get_default ());
  g_autofree char *month = this_month ();

  return per_visit (self) ? fk_session_get_counter (session, counter)
                          : fk_session_get_month_counter (session, month, counter);
}

static void
add_line (GPtrArray *lines, const char *section, const char *item, guint n)
{
  Line *line = g_new0 (Line, 1);

  line->section = section;
  line->item = g_strdup (item);
  line->count = n;
  g_ptr_array_add (lines, line);
}

static GPtrArray *
collect (FkReportsPage *self)
{
  FkApplication *app = fk_application_get_default ();
  FkCatalog *catalog = fk_application_get_catalog (app);
  GPtrArray *lines = g_ptr_array_new_with_free_func (line_free);
  GPtrArray *procedures = catalog != NULL ? fk_catalog_get_procedures (catalog) : NULL;

  add_line (lines, _ ("Dossiers"), _ ("All procedures"), count (self, "dossiers"));
  for (guint i = 0; procedures != NULL && i < procedures->len; i++)
    {
      FkProcedure *procedure = g_ptr_array_index (procedures, i);
      g_autofree char *counter =
        g_strdup_printf ("procedure-%s", fk_procedure_get_code (procedure));
      guint n = count (self, counter);

      if (n > 0)
        add_line (lines, _ ("Dossiers"), fk_procedure_get_title (procedure), n);
    }
  add_line (lines, _ ("VNeID helps"), _ ("All helps"), count (self, "vneid"));
  for (guint i = 0; i < fk_vneid_get_n_outcomes (); i++)
    {
      g_autofree char *counter = g_strdup_printf ("vneid-%s", fk_vneid_get_outcome_code (i));
      guint n = count (self, counter);

      if (n > 0)
        add_line (lines, _ ("VNeID helps"), fk_vneid_get_outcome_title (i), n);
    }
  add_line (lines, _ ("Results handed over"), _ ("All results"), count (self, "handovers"));
  return lines;
}

static void
refresh (FkReportsPage *self)
{
  FkVisit *visit =
    fk_session_get_visit (fk_application_get_session (fk_application_get_default ()));
  g_autoptr (GPtrArray) lines = collect (self);
  g_autofree char *month = this_month ();
  g_autofree char *title = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->table))) != NULL)
    gtk_grid_remove (self->table, child);
  if (per_visit (self))
    title = visit != NULL ? g_strdup_printf (_ ("Visit of %s, %s"), fk_visit_get_date (visit),
                                             fk_visit_get_hamlet (visit))
                          : g_strdup (_ ("No visit started"));
  else
    title = g_strdup_printf (_ ("Month %s"), month);
  gtk_label_set_text (self->title_label, title);
  for (guint i = 0; i < lines->len; i++)
    {
      Line *line = g_ptr_array_index (lines, i);
      g_autofree char *number = g_strdup_printf ("%u", line->count);
      g_autofree char *name = g_strdup_printf ("report-%u", i);
      gboolean total =
        i == 0 || !g_str_equal (line->section, ((Line *) lines->pdata[i - 1])->section);
      GtkWidget *item = gtk_label_new (total ? line->section : line->item);
      GtkWidget *value = gtk_label_new (number);

      gtk_label_set_xalign (GTK_LABEL (item), 0);
      gtk_label_set_wrap (GTK_LABEL (item), TRUE);
      gtk_widget_set_hexpand (item, TRUE);
      gtk_widget_set_margin_start (item, total ? 0 : 24);
      gtk_label_set_xalign (GTK_LABEL (value), 1);
      gtk_widget_set_name (value, name);
      if (total)
        {
          gtk_widget_add_css_class (item, "heading");
          gtk_widget_add_css_class (value, "heading");
        }
      gtk_grid_attach (self->table, item, 0, (int) i, 1, 1);
      gtk_grid_attach (self->table, value, 1, (int) i, 1, 1);
    }
}

static char *
csv_field (const char *text)
{
  g_autoptr (GString) out = g_string_new ("\"");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkReportsPage *self = FK_REPORTS_PAGE (widget);
  FkVisit *visit =
    fk_session_get_visit (fk_application_get_session (fk_application_get_default ()));
  g_autoptr (GPtrArray) lines = collect (self);
  g_autoptr (GString) csv = g_string_new (NULL);
  g_autofree char *month = this_month ();
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  g_autofree char *dir =
    g_build_filename (documents != NULL ? documents : g_get_home_dir (), "fieldkit-reports", NULL);
  g_autofree char *file = g_strdup_printf (
    "report-%s.csv", per_visit (self) && visit != NULL ? fk_visit_get_date (visit) : month);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  g_string_append_printf (csv, "%s,%s,%s\r\n", _ ("section"), _ ("item"), _ ("count"));
  for (guint i = 0; i < lines->len; i++)
    {
      Line *line = g_ptr_array_index (lines, i);
      g_autofree char *section = csv_field (line->section);
      g_autofree char *item = csv_field (line->item);

      g_string_append_printf (csv, "%s,%s,%u\r\n", section, item, line->count);
    }
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents (path, csv->str, (gssize) csv->len, &error))
    {
      text = g_strdup_printf (_ ("The report was not saved: %s"),
                              error != NULL ? error->message : g_strerror (errno));
      gtk_label_set_text (self->export_label, text);
      return;
    }
  text = g_strdup_printf (_ ("Saved to %s"), path);
  gtk_label_set_text (self->export_label, text);
}

static void
set_period_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkReportsPage *self = FK_REPORTS_PAGE (widget);

  adw_combo_row_set_selected (self->period_row,
                              g_str_equal (g_variant_get_string (param, NULL), "month") ? 1 : 0);
}

static void
period_changed (AdwComboRow *row, GParamSpec *pspec, gpointer user_data)
{
  refresh (FK_REPORTS_PAGE (user_data));
}

static void
fk_reports_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (fk_reports_page_parent_class)->map (widget);
  refresh (FK_REPORTS_PAGE (widget));
}

static void
fk_reports_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_REPORTS_PAGE);
  G_OBJECT_CLASS (fk_reports_page_parent_class)->dispose (object);
}

static void
fk_reports_page_class_init (FkReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fk_reports_page_dispose;
  widget_class->map = fk_reports_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-reports-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FkReportsPage, period_row);
  gtk_widget_class_bind_template_child (widget_class, FkReportsPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, FkReportsPage, table);
  gtk_widget_class_bind_template_child (widget_class, FkReportsPage, export_label);

  gtk_widget_class_install_action (widget_class, "reports.set-period", "s", set_period_action);
  gtk_widget_class_install_action (widget_class, "reports.export", NULL, export_action);
}

static void
fk_reports_page_init (FkReportsPage *self)
{
  g_autoptr (GtkStringList) periods = NULL;
  const char *labels[] = { _ ("This visit"), _ ("This month"), NULL };

  gtk_widget_init_template (GTK_WIDGET (self));
  periods = gtk_string_list_new (labels);
  adw_combo_row_set_model (self->period_row, G_LIST_MODEL (periods));
  g_signal_connect (self->period_row, "notify::selected", G_CALLBACK (period_changed), self);
}
