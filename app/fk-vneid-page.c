/* fk-vneid-page.c: helping a citizen set up VNeID level 1 on their phone
 *
 * A checklist of the self-service steps, the outcome, and when it failed
 * the reason with advice the officer can give, which the device can read
 * aloud to the citizen. Only the outcome is kept, as counts per visit (no
 * personal data).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-application.h"
#include "fk-read-aloud-button.h"
#include "fk-scroll.h"
#include "fk-sync-report.h"
#include "fk-vneid.h"
#include "fk-vneid-page.h"
#include "fk-window.h"

typedef struct
{
  const char *code;
  const char *title;
} Step;

static const Step checklist[] = {
  { "phone", N_ ("Own phone with NFC (or the card's QR code), VNeID installed") },
  { "card", N_ ("ID card read by the phone (NFC or QR)") },
  { "selfie", N_ ("Face photo (selfie) taken") },
  { "otp", N_ ("SMS code (OTP) received and entered") },
  { "passcode", N_ ("Passcode set and repeated") },
};

/* For the reports: the outcomes in their order, with translated titles. */
guint
fk_vneid_get_n_outcomes (void)
{
  return fk_vneid_outcome_get_n ();
}

const char *
fk_vneid_get_outcome_code (guint i)
{
  return i < fk_vneid_outcome_get_n () ? fk_vneid_outcome_get (i)->code : NULL;
}

const char *
fk_vneid_get_outcome_title (guint i)
{
  return i < fk_vneid_outcome_get_n () ? _ (fk_vneid_outcome_get (i)->title) : NULL;
}

struct _FkVneidPage
{
  AdwBin parent_instance;

  GtkListBox *steps_list;
  AdwComboRow *outcome_row;
  GtkLabel *advice_label;
  FkReadAloudButton *advice_read;
  GtkLabel *count_label;
  GtkButton *record_button;

  GHashTable *checks; /* step code → GtkCheckButton */
};

G_DEFINE_FINAL_TYPE (FkVneidPage, fk_vneid_page, ADW_TYPE_BIN)

static void
update_count (FkVneidPage *self)
{
  FkSession *session = fk_application_get_session (fk_application_get_default ());
  g_autofree char *text = NULL;

  if (fk_session_get_visit (session) == NULL)
    {
      gtk_label_set_text (self->count_label,
                          _ ("Start the visit first: helps are counted per visit."));
      return;
    }
  text = g_strdup_printf (_ ("Helps in this visit: %u (activated: %u)"),
                          fk_session_get_counter (session, "vneid"),
                          fk_session_get_counter (session, "vneid-success"));
  gtk_label_set_text (self->count_label, text);
}

static void
outcome_changed (AdwComboRow *row, GParamSpec *pspec, gpointer user_data)
{
  FkVneidPage *self = user_data;
  guint i = adw_combo_row_get_selected (row);
  const FkVneidOutcome *outcome = i < fk_vneid_outcome_get_n () ? fk_vneid_outcome_get (i) : NULL;
  g_autofree char *spoken =
    outcome != NULL ? g_strdup_printf ("%s.\n%s", _ (outcome->title), _ (outcome->advice)) : NULL;

  gtk_label_set_text (self->advice_label, outcome != NULL ? _ (outcome->advice) : "");
  fk_read_aloud_button_set_text (self->advice_read, spoken);
  /* The advice and the button that records the help, below the checklist. */
  fk_scroll_into_view (GTK_WIDGET (self->record_button));
}

static void
set_step_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkVneidPage *self = FK_VNEID_PAGE (widget);
  const char *code;
  gboolean done;
  GtkCheckButton *check;

  g_variant_get (param, "(&sb)", &code, &done);
  check = g_hash_table_lookup (self->checks, code);
  if (check != NULL)
    gtk_check_button_set_active (check, done);
}

static void
set_outcome_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkVneidPage *self = FK_VNEID_PAGE (widget);
  const char *code = g_variant_get_string (param, NULL);

  for (guint i = 0; i < fk_vneid_outcome_get_n (); i++)
    if (g_str_equal (fk_vneid_outcome_get (i)->code, code))
      adw_combo_row_set_selected (self->outcome_row, i);
}

/* For the commune's reports: the outcome and the visit only, sent with
 * the next pull. */
static void
report_help (FkSession *session, const char *code)
{
  FkVisit *visit = fk_session_get_visit (session);
  FkStore *store = fk_session_get_store (session);
  g_autoptr (GError) error = NULL;

  if (store != NULL && !fk_sync_record_vneid (store, code, fk_visit_get_date (visit),
                                              fk_visit_get_commune_code (visit),
                                              fk_visit_get_hamlet (visit), NULL, &error))
    g_warning ("VNeID help not kept for the report: %s", error->message);
}

static void
record_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkVneidPage *self = FK_VNEID_PAGE (widget);
  FkSession *session = fk_application_get_session (fk_application_get_default ());
  GtkWidget *window = gtk_widget_get_ancestor (widget, FK_TYPE_WINDOW);
  guint i = adw_combo_row_get_selected (self->outcome_row);
  g_autofree char *counter = NULL;
  g_autofree char *text = NULL;
  GHashTableIter iter;
  gpointer check;

  if (fk_session_get_visit (session) == NULL || i >= fk_vneid_outcome_get_n ())
    {
      update_count (self);
      return;
    }
  counter = g_strdup_printf ("vneid-%s", fk_vneid_outcome_get (i)->code);
  fk_session_count (session, "vneid");
  fk_session_count (session, counter);
  report_help (session, fk_vneid_outcome_get (i)->code);
  text = g_strdup_printf (_ ("Recorded: %s"), _ (fk_vneid_outcome_get (i)->title));
  if (window != NULL)
    fk_window_toast (FK_WINDOW (window), text);
  /* Ready for the next citizen. */
  g_hash_table_iter_init (&iter, self->checks);
  while (g_hash_table_iter_next (&iter, NULL, &check))
    gtk_check_button_set_active (check, FALSE);
  adw_combo_row_set_selected (self->outcome_row, 0);
  update_count (self);
  fk_scroll_into_view (GTK_WIDGET (self->count_label));
}

static void
fk_vneid_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (fk_vneid_page_parent_class)->map (widget);
  update_count (FK_VNEID_PAGE (widget));
}

static void
fk_vneid_page_dispose (GObject *object)
{
  FkVneidPage *self = FK_VNEID_PAGE (object);

  g_clear_pointer (&self->checks, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_VNEID_PAGE);
  G_OBJECT_CLASS (fk_vneid_page_parent_class)->dispose (object);
}

static void
fk_vneid_page_class_init (FkVneidPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fk_vneid_page_dispose;
  widget_class->map = fk_vneid_page_map;

  g_type_ensure (FK_TYPE_READ_ALOUD_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-vneid-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FkVneidPage, steps_list);
  gtk_widget_class_bind_template_child (widget_class, FkVneidPage, outcome_row);
  gtk_widget_class_bind_template_child (widget_class, FkVneidPage, advice_label);
  gtk_widget_class_bind_template_child (widget_class, FkVneidPage, advice_read);
  gtk_widget_class_bind_template_child (widget_class, FkVneidPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, FkVneidPage, record_button);

  gtk_widget_class_install_action (widget_class, "vneid.set-step", "(sb)", set_step_action);
  gtk_widget_class_install_action (widget_class, "vneid.set-outcome", "s", set_outcome_action);
  gtk_widget_class_install_action (widget_class, "vneid.record", NULL, record_action);
}

static void
fk_vneid_page_init (FkVneidPage *self)
{
  g_autoptr (GtkStringList) titles = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->checks = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < G_N_ELEMENTS (checklist); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *name = g_strdup_printf ("vneid-step-%s", checklist[i].code);

      gtk_widget_set_name (check, name);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ (checklist[i].title));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_list_box_append (self->steps_list, row);
      g_hash_table_insert (self->checks, (gpointer) checklist[i].code, check);
    }
  for (guint i = 0; i < fk_vneid_outcome_get_n (); i++)
    gtk_string_list_append (titles, _ (fk_vneid_outcome_get (i)->title));
  adw_combo_row_set_model (self->outcome_row, G_LIST_MODEL (titles));
  g_signal_connect (self->outcome_row, "notify::selected", G_CALLBACK (outcome_changed), self);
  outcome_changed (self->outcome_row, NULL, self);
}
