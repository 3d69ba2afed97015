/* fk-intake-procedure-step.c: the procedure, found by an accent-insensitive search
 *
 * The catalog's procedures, those taken most often on this device first
 * (the session counts them); typing narrows the list, accents or not, as
 * the guide finds them (core's fk_catalog_search()). A tap on a row picks
 * the procedure (intake.pick-procedure); its ⓘ button opens the guide on
 * it (win.show-procedure), to tell the citizen what to bring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-application.h"
#include "fk-intake-procedure-step.h"

struct _FkIntakeProcedureStep
{
  FkIntakeStepView parent_instance;

  GtkSearchEntry *procedure_search;
  GtkListBox *procedure_list;
};

G_DEFINE_FINAL_TYPE (FkIntakeProcedureStep, fk_intake_procedure_step, FK_TYPE_INTAKE_STEP_VIEW)

static guint
usage_of (FkProcedure *procedure)
{
  FkSession *session = fk_application_get_session (fk_application_get_default ());

  return fk_session_get_procedure_usage (session, fk_procedure_get_code (procedure));
}

static int
by_usage (gconstpointer a, gconstpointer b)
{
  guint ua = usage_of (*(FkProcedure **) a);
  guint ub = usage_of (*(FkProcedure **) b);

  return ua == ub ? 0 : ua > ub ? -1 : 1;
}

static GtkWidget *
procedure_row (FkProcedure *procedure)
{
  g_autofree char *name = g_strdup_printf ("procedure-%s", fk_procedure_get_code (procedure));
  g_autofree char *guide_name =
    g_strdup_printf ("procedure-guide-%s", fk_procedure_get_code (procedure));
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *guide;

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), fk_procedure_get_title (procedure));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), fk_procedure_get_description (procedure));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "intake.pick-procedure");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", fk_procedure_get_code (procedure));
  guide = gtk_button_new_from_icon_name ("dialog-information-symbolic");
  gtk_widget_set_name (guide, guide_name);
  gtk_widget_set_tooltip_text (guide, _ ("What this procedure needs"));
  gtk_widget_set_valign (guide, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (guide, 48, 48);
  gtk_widget_add_css_class (guide, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (guide), "win.show-procedure");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (guide), "s", fk_procedure_get_code (procedure));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), guide);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  return row;
}

static void
fill_procedures (FkIntakeProcedureStep *self)
{
  FkIntake *intake = fk_intake_step_view_get_intake (FK_INTAKE_STEP_VIEW (self));
  FkCatalog *catalog = intake != NULL ? fk_intake_get_catalog (intake) : NULL;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->procedure_search));
  g_autoptr (GPtrArray) sorted = NULL;
  guint n_best = 0;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->procedure_list))) != NULL)
    gtk_list_box_remove (self->procedure_list, child);
  if (catalog == NULL)
    return;
  sorted = fk_catalog_search (catalog, query, &n_best);
  /* Nothing typed: the usual ones first, stable on ties (the catalog's
   * own order). Typed: those named so; the others that only mention the
   * words (a paper "có chứng thực") when none is. */
  if (query == NULL || *query == '\0')
    g_ptr_array_sort (sorted, by_usage);
  else if (n_best > 0)
    g_ptr_array_set_size (sorted, n_best);
  for (guint i = 0; i < sorted->len; i++)
    gtk_list_box_append (self->procedure_list, procedure_row (g_ptr_array_index (sorted, i)));
}

static void
procedure_search_changed (GtkSearchEntry *entry, gpointer user_data)
{
  fill_procedures (FK_INTAKE_PROCEDURE_STEP (user_data));
}

static void
fk_intake_procedure_step_entered (FkIntakeStepView *view)
{
  fill_procedures (FK_INTAKE_PROCEDURE_STEP (view));
}

static void
fk_intake_procedure_step_reset (FkIntakeStepView *view)
{
  gtk_editable_set_text (GTK_EDITABLE (FK_INTAKE_PROCEDURE_STEP (view)->procedure_search), "");
}

static void
fk_intake_procedure_step_dispose (GObject *object)
{
  fk_intake_step_view_set_intake (FK_INTAKE_STEP_VIEW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_INTAKE_PROCEDURE_STEP);
  G_OBJECT_CLASS (fk_intake_procedure_step_parent_class)->dispose (object);
}

static void
fk_intake_procedure_step_class_init (FkIntakeProcedureStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  FkIntakeStepViewClass *view_class = FK_INTAKE_STEP_VIEW_CLASS (klass);

  object_class->dispose = fk_intake_procedure_step_dispose;
  view_class->entered = fk_intake_procedure_step_entered;
  view_class->reset = fk_intake_procedure_step_reset;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-intake-procedure-step.ui");
  gtk_widget_class_bind_template_child (widget_class, FkIntakeProcedureStep, procedure_search);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeProcedureStep, procedure_list);
  gtk_widget_class_bind_template_callback (widget_class, procedure_search_changed);
}

static void
fk_intake_procedure_step_init (FkIntakeProcedureStep *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
