/* fk-intake-consent-step.c: the consents, read aloud and answered
 *
 * One card per consent text of the model, its switch showing and setting
 * the citizen's answer; the whole title row takes the tap.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-intake-consent-step.h"

struct _FkIntakeConsentStep
{
  FkIntakeStepView parent_instance;

  GtkLabel *consent_label;
  GtkBox *consent_box;

  GHashTable *switches; /* purpose → GtkSwitch */
  gboolean loading;
};

G_DEFINE_FINAL_TYPE (FkIntakeConsentStep, fk_intake_consent_step, FK_TYPE_INTAKE_STEP_VIEW)

static void
switch_changed (GtkSwitch *sw, GParamSpec *pspec, gpointer user_data)
{
  FkIntakeConsentStep *self = user_data;
  FkIntake *intake = fk_intake_step_view_get_intake (FK_INTAKE_STEP_VIEW (self));

  if (intake != NULL && !self->loading)
    fk_intake_set_consent (intake, g_object_get_data (G_OBJECT (sw), "fk-purpose"),
                           gtk_switch_get_active (sw));
}

static void
load (FkIntakeConsentStep *self)
{
  FkIntake *intake = fk_intake_step_view_get_intake (FK_INTAKE_STEP_VIEW (self));
  GHashTableIter iter;
  gpointer purpose, sw;

  self->loading = TRUE;
  g_hash_table_iter_init (&iter, self->switches);
  while (g_hash_table_iter_next (&iter, &purpose, &sw))
    gtk_switch_set_active (sw, fk_intake_get_consent (intake, purpose));
  self->loading = FALSE;
}

static GtkWidget *
consent_card (const FkIntakeConsentText *consent, GtkWidget **out_switch)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *text = gtk_label_new (_ (consent->text));
  GtkWidget *sw = gtk_switch_new ();
  g_autofree char *name = g_strdup_printf ("consent-%s", consent->purpose);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "consent");
  /* The whole title row takes the tap, not only the small switch. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ (consent->title));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_widget_add_css_class (text, "consent-text");
  gtk_widget_set_name (sw, name);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (GTK_BOX (box), text);
  *out_switch = sw;
  return box;
}

static void
fk_intake_consent_step_bind (FkIntakeStepView *view, FkIntake *intake)
{
  g_signal_connect_swapped (intake, "notify::consents", G_CALLBACK (load), view);
  load (FK_INTAKE_CONSENT_STEP (view));
}

static void
fk_intake_consent_step_dispose (GObject *object)
{
  FkIntakeConsentStep *self = FK_INTAKE_CONSENT_STEP (object);

  fk_intake_step_view_set_intake (FK_INTAKE_STEP_VIEW (object), NULL);
  g_clear_pointer (&self->switches, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_INTAKE_CONSENT_STEP);
  G_OBJECT_CLASS (fk_intake_consent_step_parent_class)->dispose (object);
}

static void
fk_intake_consent_step_class_init (FkIntakeConsentStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fk_intake_consent_step_dispose;
  FK_INTAKE_STEP_VIEW_CLASS (klass)->bind = fk_intake_consent_step_bind;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-intake-consent-step.ui");
  gtk_widget_class_bind_template_child (widget_class, FkIntakeConsentStep, consent_label);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeConsentStep, consent_box);
}

static void
fk_intake_consent_step_init (FkIntakeConsentStep *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fk_intake_step_view_set_message_label (FK_INTAKE_STEP_VIEW (self), self->consent_label);
  self->switches = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < fk_intake_get_n_consent_texts (); i++)
    {
      const FkIntakeConsentText *consent = fk_intake_get_consent_text (i);
      GtkWidget *sw = NULL;

      gtk_box_append (self->consent_box, consent_card (consent, &sw));
      g_object_set_data (G_OBJECT (sw), "fk-purpose", (gpointer) consent->purpose);
      g_signal_connect (sw, "notify::active", G_CALLBACK (switch_changed), self);
      g_hash_table_insert (self->switches, (gpointer) consent->purpose, sw);
    }
}
