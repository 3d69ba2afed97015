/* fk-visit-page.c: start the day's visit: date, commune, hamlet, team
 *
 * Outreach mornings are Tuesdays and Thursdays, so those dates are offered
 * first. The commune is found in the 2025 administrative units by an
 * accent-insensitive search. The visit belongs to the session (FkSession),
 * which seals it in the store (its team is named), so it survives a
 * restart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-admin-units.h"
#include "fk-application.h"
#include "fk-visit-page.h"
#include "fk-window.h"

#define SEARCH_RESULTS 6

struct _FkVisitPage
{
  AdwBin parent_instance;

  AdwPreferencesGroup *current_group;
  GtkLabel *current_label;
  GtkLabel *dossiers_label;
  GtkLabel *vneid_label;
  GtkLabel *handovers_label;
  AdwEntryRow *date_row;
  GtkSearchEntry *commune_entry;
  GtkListBox *commune_results;
  GtkLabel *commune_label;
  AdwEntryRow *hamlet_row;
  AdwEntryRow *member_row;
  GtkLabel *team_label;
  GtkLabel *error_label;

  char *commune_code;
  GPtrArray *team;
};

G_DEFINE_FINAL_TYPE (FkVisitPage, fk_visit_page, ADW_TYPE_BIN)

static void
show_error (FkVisitPage *self, const char *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static char *
commune_full_name (const char *code)
{
  FkAdminUnits *units = fk_admin_units_get_default (NULL);
  const FkAdminUnit *unit = units != NULL ? fk_admin_units_lookup (units, code) : NULL;
  const FkAdminUnit *province;
  g_autofree char *name = NULL;
  g_autofree char *province_name = NULL;

  if (unit == NULL)
    return g_strdup (code);
  name = fk_admin_unit_dup_full_name (unit);
  province = fk_admin_units_lookup (units, unit->province_code);
  if (province == NULL)
    return g_steal_pointer (&name);
  province_name = fk_admin_unit_dup_full_name (province);
  return g_strdup_printf ("%s, %s", name, province_name);
}

/* Shows the running visit and its counters. */
void
fk_visit_page_refresh (FkVisitPage *self)
{
  FkSession *session = fk_application_get_session (fk_application_get_default ());
  FkVisit *visit = fk_session_get_visit (session);
  g_autofree char *commune = NULL;
  g_autofree char *text = NULL;
  g_autofree char *dossiers = NULL;
  g_autofree char *vneid = NULL;
  g_autofree char *handovers = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->current_group), visit != NULL);
  if (visit == NULL)
    return;
  commune = commune_full_name (fk_visit_get_commune_code (visit));
  {
    int y = 0, m = 0, d = 0;

    sscanf (fk_visit_get_date (visit), "%d-%d-%d", &y, &m, &d);
    text =
      g_strdup_printf ("%02d/%02d/%04d · %s, %s", d, m, y, fk_visit_get_hamlet (visit), commune);
  }
  gtk_label_set_text (self->current_label, text);
  dossiers = g_strdup_printf ("%u", fk_session_get_counter (session, "dossiers"));
  vneid = g_strdup_printf ("%u", fk_session_get_counter (session, "vneid"));
  handovers = g_strdup_printf ("%u", fk_session_get_counter (session, "handovers"));
  gtk_label_set_text (self->dossiers_label, dossiers);
  gtk_label_set_text (self->vneid_label, vneid);
  gtk_label_set_text (self->handovers_label, handovers);
}

static void
set_date (FkVisitPage *self, GDateTime *date)
{
  g_autofree char *text = g_date_time_format (date, "%d/%m/%Y");

  gtk_editable_set_text (GTK_EDITABLE (self->date_row), text);
}

/* "today", "tue" or "thu": the next such day, today included. */
static void
suggest_date_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkVisitPage *self = FK_VISIT_PAGE (widget);
  const char *which = g_variant_get_string (param, NULL);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  int want = g_str_equal (which, "tue") ? 2 : g_str_equal (which, "thu") ? 4 : 0;
  int ahead = want == 0 ? 0 : (want - g_date_time_get_day_of_week (now) + 7) % 7;
  g_autoptr (GDateTime) day = g_date_time_add_days (now, ahead);

  set_date (self, day);
}

/* dd/mm/yyyy as typed, or ISO; returns ISO or NULL. */
static char *
parse_date (const char *text)
{
  int d, m, y;
  GDate date;

  if (sscanf (text, "%d/%d/%d", &d, &m, &y) != 3 && sscanf (text, "%d-%d-%d", &y, &m, &d) != 3)
    return NULL;
  if (!g_date_valid_dmy (d, m, y))
    return NULL;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
}

static void
update_team (FkVisitPage *self)
{
  g_autofree char *joined = NULL;

  g_ptr_array_add (self->team, NULL);
  joined = g_strjoinv (", ", (char **) self->team->pdata);
  g_ptr_array_remove_index (self->team, self->team->len - 1);
  gtk_label_set_text (self->team_label, self->team->len > 0 ? joined : _ ("No one added yet"));
}

static void
add_member_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkVisitPage *self = FK_VISIT_PAGE (widget);
  g_autofree char *name =
    g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->member_row))));

  if (*name == '\0')
    return;
  g_ptr_array_add (self->team, g_steal_pointer (&name));
  gtk_editable_set_text (GTK_EDITABLE (self->member_row), "");
  update_team (self);
}

static void
pick_commune_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkVisitPage *self = FK_VISIT_PAGE (widget);
  g_autofree char *name = NULL;

  g_free (self->commune_code);
  self->commune_code = g_variant_dup_string (param, NULL);
  name = commune_full_name (self->commune_code);
  gtk_label_set_text (self->commune_label, name);
}

static void
search_changed (GtkSearchEntry *entry, gpointer user_data)
{
  FkVisitPage *self = user_data;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (entry));
  FkAdminUnits *units = fk_admin_units_get_default (NULL);
  g_autoptr (GPtrArray) found = NULL;
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->commune_results))) != NULL)
    gtk_list_box_remove (self->commune_results, child);
  if (units == NULL || strlen (query) < 2)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->commune_results), FALSE);
      return;
    }
  found = fk_admin_units_search (units, query, NULL, 40);
  for (guint i = 0; found != NULL && i < found->len && shown < SEARCH_RESULTS; i++)
    {
      const FkAdminUnit *unit = g_ptr_array_index (found, i);
      g_autofree char *title = NULL;
      g_autofree char *province = NULL;
      const FkAdminUnit *p;
      GtkWidget *row;

      if (unit->level != FK_ADMIN_LEVEL_COMMUNE)
        continue;
      title = fk_admin_unit_dup_full_name (unit);
      p = fk_admin_units_lookup (units, unit->province_code);
      province = p != NULL ? fk_admin_unit_dup_full_name (p) : g_strdup ("");
      row = adw_action_row_new ();
      {
        g_autofree char *name = g_strdup_printf ("commune-%s", unit->code);

        gtk_widget_set_name (row, name);
      }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), province);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "visit.pick-commune");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", unit->code);
      gtk_list_box_append (self->commune_results, row);
      shown++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->commune_results), shown > 0);
}

static void
start_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkVisitPage *self = FK_VISIT_PAGE (widget);
  FkSession *session = fk_application_get_session (fk_application_get_default ());
  g_autofree char *date = parse_date (gtk_editable_get_text (GTK_EDITABLE (self->date_row)));
  g_autofree char *hamlet =
    g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->hamlet_row))));
  g_autoptr (FkVisit) visit = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *window;

  if (date == NULL)
    {
      show_error (self, _ ("The date is not valid: write it as day/month/year, e.g. 25/11/2026."));
      return;
    }
  if (self->commune_code == NULL)
    {
      show_error (self, _ ("Choose the commune: type part of its name and tap it in the list."));
      return;
    }
  if (*hamlet == '\0')
    {
      show_error (self, _ ("Write the name of the hamlet (thôn, bản) visited."));
      return;
    }
  show_error (self, NULL);
  visit = fk_visit_new (date, self->commune_code, hamlet);
  for (guint i = 0; i < self->team->len; i++)
    fk_visit_add_team_member (visit, g_ptr_array_index (self->team, i));
  if (!fk_session_start_visit (session, visit, &error))
    {
      show_error (self, error->message);
      return;
    }
  fk_visit_page_refresh (self);
  window = gtk_widget_get_ancestor (widget, FK_TYPE_WINDOW);
  if (window != NULL)
    {
      /* Shown on the page the officer lands on: a message goes with its page. */
      fk_window_navigate (FK_WINDOW (window), "home");
      fk_window_toast (FK_WINDOW (window), _ ("Visit started"));
    }
}

static void
fk_visit_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (fk_visit_page_parent_class)->map (widget);
  fk_visit_page_refresh (FK_VISIT_PAGE (widget));
}

static void
fk_visit_page_dispose (GObject *object)
{
  FkVisitPage *self = FK_VISIT_PAGE (object);

  g_clear_pointer (&self->team, g_ptr_array_unref);
  g_clear_pointer (&self->commune_code, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_VISIT_PAGE);
  G_OBJECT_CLASS (fk_visit_page_parent_class)->dispose (object);
}

static void
fk_visit_page_class_init (FkVisitPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fk_visit_page_dispose;
  widget_class->map = fk_visit_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-visit-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FkVisitPage, current_group);
  gtk_widget_class_bind_template_child (widget_class, FkVisitPage, current_label);
  gtk_widget_class_bind_template_child (widget_class, FkVisitPage, dossiers_label);
  gtk_widget_class_bind_template_child (widget_class, FkVisitPage, vneid_label);
  gtk_widget_class_bind_template_child (widget_class, FkVisitPage, handovers_label);
  gtk_widget_class_bind_template_child (widget_class, FkVisitPage, date_row);
  gtk_widget_class_bind_template_child (widget_class, FkVisitPage, commune_entry);
  gtk_widget_class_bind_template_child (widget_class, FkVisitPage, commune_results);
  gtk_widget_class_bind_template_child (widget_class, FkVisitPage, commune_label);
  gtk_widget_class_bind_template_child (widget_class, FkVisitPage, hamlet_row);
  gtk_widget_class_bind_template_child (widget_class, FkVisitPage, member_row);
  gtk_widget_class_bind_template_child (widget_class, FkVisitPage, team_label);
  gtk_widget_class_bind_template_child (widget_class, FkVisitPage, error_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed);

  gtk_widget_class_install_action (widget_class, "visit.suggest-date", "s", suggest_date_action);
  gtk_widget_class_install_action (widget_class, "visit.pick-commune", "s", pick_commune_action);
  gtk_widget_class_install_action (widget_class, "visit.add-member", NULL, add_member_action);
  gtk_widget_class_install_action (widget_class, "visit.start", NULL, start_action);
}

static void
fk_visit_page_init (FkVisitPage *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  self->team = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  set_date (self, now);
  update_team (self);
}
