/* fk-intake-consent-step.c: the consents, read aloud and answered
 *
 * One card per consent text of the model: its switch shows and sets the
 * citizen's answer (the whole title row takes the tap); "Read aloud"
 * (FkReadAloudButton) has the device say the title and the text; the
 * officer's row records that the officer read it themselves. Who read it
 * goes to the model (fk_intake_set_consent_read_aloud()): the device once
 * its reading of the text was played to the end — a read stopped half way
 * records nothing —, the officer when the row is ticked; the last one
 * counts, and the line under the button says which is recorded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-intake-consent-step.h"
#include "fk-read-aloud-button.h"

typedef struct
{
  const char *purpose;
  GtkSwitch *sw;
  GtkCheckButton *officer;
  GtkLabel *state;
} ConsentCard;

struct _FkIntakeConsentStep
{
  FkIntakeStepView parent_instance;

  GtkLabel *consent_label;
  GtkBox *consent_box;

  GPtrArray *cards; /* ConsentCard, in the order of the texts */
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
officer_toggled (GtkCheckButton *check, GParamSpec *pspec, gpointer user_data)
{
  FkIntakeConsentStep *self = user_data;
  FkIntake *intake = fk_intake_step_view_get_intake (FK_INTAKE_STEP_VIEW (self));
  const char *purpose = g_object_get_data (G_OBJECT (check), "fk-purpose");

  if (intake == NULL || self->loading)
    return;
  if (gtk_check_button_get_active (check))
    fk_intake_set_consent_read_aloud (intake, purpose, FK_CONSENT_READ_BY_OFFICER);
  else if (g_strcmp0 (fk_intake_get_consent_read_aloud (intake, purpose),
                      FK_CONSENT_READ_BY_OFFICER) == 0)
    fk_intake_set_consent_read_aloud (intake, purpose, NULL);
}

static void
read_through (FkReadAloudButton *button, gpointer user_data)
{
  FkIntakeConsentStep *self = user_data;
  FkIntake *intake = fk_intake_step_view_get_intake (FK_INTAKE_STEP_VIEW (self));

  if (intake != NULL)
    fk_intake_set_consent_read_aloud (intake, g_object_get_data (G_OBJECT (button), "fk-purpose"),
                                      FK_CONSENT_READ_BY_DEVICE);
}

static const char *
read_state_text (const char *read_by)
{
  if (g_strcmp0 (read_by, FK_CONSENT_READ_BY_DEVICE) == 0)
    return _ ("Read aloud by the device, to the end.");
  if (g_strcmp0 (read_by, FK_CONSENT_READ_BY_OFFICER) == 0)
    return _ ("Read aloud by the officer.");
  return _ ("Not read aloud yet.");
}

static void
load (FkIntakeConsentStep *self)
{
  FkIntake *intake = fk_intake_step_view_get_intake (FK_INTAKE_STEP_VIEW (self));

  self->loading = TRUE;
  for (guint i = 0; i < self->cards->len; i++)
    {
      ConsentCard *card = g_ptr_array_index (self->cards, i);
      const char *read_by = fk_intake_get_consent_read_aloud (intake, card->purpose);

      gtk_switch_set_active (card->sw, fk_intake_get_consent (intake, card->purpose));
      gtk_check_button_set_active (card->officer,
                                   g_strcmp0 (read_by, FK_CONSENT_READ_BY_OFFICER) == 0);
      gtk_label_set_text (card->state, read_state_text (read_by));
    }
  self->loading = FALSE;
}

/* @widget named @prefix-@purpose, for the tests. */
static GtkWidget *
named (GtkWidget *widget, const char *prefix, const char *purpose)
{
  g_autofree char *name = g_strconcat (prefix, "-", purpose, NULL);

  gtk_widget_set_name (widget, name);
  return widget;
}

static GtkWidget *
consent_card (FkIntakeConsentStep *self, const FkIntakeConsentText *consent)
{
  ConsentCard *card = g_new0 (ConsentCard, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *text = gtk_label_new (_ (consent->text));
  GtkWidget *sw = named (gtk_switch_new (), "consent", consent->purpose);
  g_autofree char *read_name = g_strdup_printf ("consent-read-%s", consent->purpose);
  GtkWidget *button = fk_read_aloud_button_new (read_name);
  g_autofree char *spoken = g_strdup_printf ("%s.\n%s", _ (consent->title), _ (consent->text));
  GtkWidget *state = named (gtk_label_new (NULL), "consent-read-state", consent->purpose);
  GtkWidget *officer_list = gtk_list_box_new ();
  GtkWidget *officer_row = adw_action_row_new ();
  GtkWidget *officer = named (gtk_check_button_new (), "consent-officer", consent->purpose);

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
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);

  fk_read_aloud_button_set_text (FK_READ_ALOUD_BUTTON (button), spoken);
  gtk_widget_set_margin_start (button, 12);
  gtk_widget_set_margin_end (button, 12);
  g_object_set_data (G_OBJECT (button), "fk-purpose", (gpointer) consent->purpose);
  g_signal_connect (button, "read-through", G_CALLBACK (read_through), self);
  gtk_label_set_wrap (GTK_LABEL (state), TRUE);
  gtk_label_set_xalign (GTK_LABEL (state), 0);
  gtk_widget_set_margin_start (state, 12);
  gtk_widget_add_css_class (state, "dim-label");

  /* The officer's own reading, the whole row a target like the title's. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (officer_row),
                                 _ ("I read this text aloud to the citizen myself"));
  adw_action_row_add_prefix (ADW_ACTION_ROW (officer_row), officer);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (officer_row), officer);
  gtk_widget_set_valign (officer, GTK_ALIGN_CENTER);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (officer_list), GTK_SELECTION_NONE);
  gtk_list_box_append (GTK_LIST_BOX (officer_list), officer_row);
  gtk_widget_add_css_class (officer_list, "consent-officer");
  g_object_set_data (G_OBJECT (officer), "fk-purpose", (gpointer) consent->purpose);
  g_signal_connect (officer, "notify::active", G_CALLBACK (officer_toggled), self);

  g_object_set_data (G_OBJECT (sw), "fk-purpose", (gpointer) consent->purpose);
  g_signal_connect (sw, "notify::active", G_CALLBACK (switch_changed), self);

  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), button);
  gtk_box_append (GTK_BOX (box), state);
  gtk_box_append (GTK_BOX (box), officer_list);

  card->purpose = consent->purpose;
  card->sw = GTK_SWITCH (sw);
  card->officer = GTK_CHECK_BUTTON (officer);
  card->state = GTK_LABEL (state);
  g_ptr_array_add (self->cards, card);
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
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_INTAKE_CONSENT_STEP);
  g_clear_pointer (&self->cards, g_ptr_array_unref);
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
  self->cards = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < fk_intake_get_n_consent_texts (); i++)
    gtk_box_append (self->consent_box, consent_card (self, fk_intake_get_consent_text (i)));
}
