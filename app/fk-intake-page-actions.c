/* fk-intake-page-actions.c: the intake page's actions
 *
 * intake.next, .previous, .manual, .chip-read, .chip-accept, .chip-fill,
 * .pick-procedure (s), .take-photo (s), .fingerprint, .fingerprint-cancel,
 * .consent ((sb)), .save, .print-receipt, .restart, .discard-draft, .tour: what the
 * step views' buttons activate and what the UI
 * tests call through app.activate-ui. Each does one thing to the model (or
 * asks the step view that owns a device), and says what went wrong.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-application.h"
#include "fk-intake-page-private.h"
#include "fk-window.h"

static void
clear_message (FkIntakePage *self, FkIntakeStep step)
{
  fk_intake_step_view_set_message (fk_intake_page_get_view (self, step), NULL, FALSE);
}

static void
next_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);
  FkIntakeStep step = fk_intake_get_step (self->intake);
  g_autoptr (GError) error = NULL;

  if (!fk_intake_next (self->intake, &error))
    {
      fk_intake_page_show_error (self, error);
      return;
    }
  /* Leaving the reader at work would keep it from the next citizen. */
  if (step == FK_INTAKE_STEP_FINGERPRINT)
    fk_intake_fingerprint_step_cancel (self->fingerprint_step);
  if (step == FK_INTAKE_STEP_CHIP)
    fk_intake_chip_step_stop (self->chip_step);
  if (step == FK_INTAKE_STEP_IDENTITY || step == FK_INTAKE_STEP_FORM ||
      step == FK_INTAKE_STEP_CONSENT)
    clear_message (self, step);
}

static void
previous_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);
  GtkWidget *window;

  if (fk_intake_previous (self->intake))
    return;
  window = gtk_widget_get_ancestor (widget, FK_TYPE_WINDOW);
  if (window != NULL)
    fk_window_navigate (FK_WINDOW (window), "home");
}

static void
manual_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);

  fk_intake_type_in (self->intake);
  fk_intake_step_view_set_message (FK_INTAKE_STEP_VIEW (self->identity_step),
                                   _ ("Type the data from the card or from the citizen."), FALSE);
}

/* The scan step read a card: its identity, to check on the next step. */
static void
card_read (FkIntakePage *self, FkCccdCard *card, FkIntakeScanStep *step)
{
  fk_intake_read_card (self->intake, card);
  fk_intake_identity_step_show_card (self->identity_step, card);
}

/* Reads the chip (again), with the expiry typed if any. */
static void
chip_read_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  fk_intake_chip_step_read (FK_INTAKE_PAGE (widget)->chip_step);
}

/* The officer takes the identity the chip gives, and checks it next. */
static void
chip_accept_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);

  if (fk_intake_get_step (self->intake) != FK_INTAKE_STEP_CHIP ||
      !fk_intake_accept_chip_identity (self->intake))
    return;
  fk_intake_set_step (self->intake, FK_INTAKE_STEP_IDENTITY);
  fk_intake_step_view_set_message (
    FK_INTAKE_STEP_VIEW (self->identity_step),
    fk_intake_get_chip_pa (self->intake, NULL) == FK_CHIP_PA_VERIFIED
      ? _ ("Filled in from the card's chip, verified. Check it with the citizen.")
      : _ ("Filled in from the card's chip, not verified. Check it with the citizen and the "
           "card."),
    FALSE);
}

/* The officer takes the chip's values for the procedure's form. */
static void
chip_fill_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);
  guint n = fk_intake_accept_chip_answers (self->intake);
  g_autofree char *text = NULL;

  if (n == 0)
    return;
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u field filled in from the card's chip: check it with "
                                       "the citizen.",
                                       "%u fields filled in from the card's chip: check them "
                                       "with the citizen.",
                                       n),
                          n);
  fk_intake_step_view_set_message (FK_INTAKE_STEP_VIEW (self->form_step), text, FALSE);
}

static void
pick_procedure_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);

  if (!fk_intake_set_procedure (self->intake, g_variant_get_string (param, NULL)))
    return;
  clear_message (self, FK_INTAKE_STEP_FORM);
  fk_intake_set_step (self->intake, FK_INTAKE_STEP_FORM);
}

static void
take_photo_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);

  fk_intake_photos_step_take_photo (self->photos_step, g_variant_get_string (param, NULL));
}

static void
fingerprint_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  fk_intake_fingerprint_step_start (FK_INTAKE_PAGE (widget)->fingerprint_step);
}

static void
fingerprint_cancel_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  fk_intake_fingerprint_step_cancel (FK_INTAKE_PAGE (widget)->fingerprint_step);
}

/* As a tap on the consent's switch would. */
static void
consent_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  const char *purpose;
  gboolean agreed;

  g_variant_get (param, "(&sb)", &purpose, &agreed);
  fk_intake_set_consent (FK_INTAKE_PAGE (widget)->intake, purpose, agreed);
}

static void
committed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkIntakePage) self = user_data;
  FkIntake *intake = FK_INTAKE (source);
  FkIntakeStepView *review = FK_INTAKE_STEP_VIEW (self->review_step);
  g_autoptr (GError) error = NULL;
  g_autofree char *id = fk_intake_commit_finish (intake, result, &error);

  if (id == NULL)
    {
      g_autofree char *text = g_strdup_printf (_ ("The dossier was not saved: %s"), error->message);

      fk_intake_step_view_set_message (review, text, TRUE);
      return;
    }
  fk_session_dossier_committed (fk_application_get_session (fk_application_get_default ()),
                                fk_procedure_get_code (fk_intake_get_procedure (intake)));
  fk_intake_step_view_set_message (review, NULL, FALSE);
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);

  if (fk_intake_get_committing (self->intake))
    return;
  fk_intake_step_view_set_message (FK_INTAKE_STEP_VIEW (self->review_step),
                                   _ ("Sealing the dossier…"), FALSE);
  fk_intake_commit_async (self->intake, self->cancellable, committed, g_object_ref (self));
}

static void
print_receipt_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  fk_intake_receipt_step_print (FK_INTAKE_PAGE (widget)->receipt_step);
}

static void
restart_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);

  fk_intake_reset (self->intake);
  fk_intake_page_reset_views (self);
}

static void
discarded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkIntakePage) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!fk_intake_discard_finish (FK_INTAKE (source), result, &error))
    {
      fk_intake_page_toast (self, error->message);
      return;
    }
  fk_intake_page_reset_views (self);
  fk_intake_page_toast (self, _ ("The draft was discarded."));
}

static void
on_discard_draft_response (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  FkIntakePage *self = user_data;

  if (g_str_equal (response, "discard"))
    fk_intake_discard_async (self->intake, self->cancellable, discarded, g_object_ref (self));
}

/* What was entered for a citizen cannot come back: ask first. */
static void
discard_draft_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);
  GtkWidget *window = gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW);
  GtkWidget *dialog;

  if (fk_intake_get_draft_id (self->intake) == NULL || window == NULL)
    return;
  dialog = adw_message_dialog_new (
    GTK_WINDOW (window), _ ("Discard this draft?"),
    _ ("Everything entered for this citizen is deleted from this device. This cannot be undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("Keep it"), "discard",
                                    _ ("Discard draft"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  /* Part of the application, like the window it covers. */
  gtk_window_set_application (GTK_WINDOW (dialog),
                              gtk_window_get_application (GTK_WINDOW (window)));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_draft_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The guided tour, from the nav bar's "Guide". */
static void
tour_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  fk_intake_page_start_tour (FK_INTAKE_PAGE (widget));
}

void
fk_intake_page_class_actions_init (FkIntakePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_bind_template_callback (widget_class, card_read);
  gtk_widget_class_install_action (widget_class, "intake.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "intake.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "intake.manual", NULL, manual_action);
  gtk_widget_class_install_action (widget_class, "intake.chip-read", NULL, chip_read_action);
  gtk_widget_class_install_action (widget_class, "intake.chip-accept", NULL, chip_accept_action);
  gtk_widget_class_install_action (widget_class, "intake.chip-fill", NULL, chip_fill_action);
  gtk_widget_class_install_action (widget_class, "intake.pick-procedure", "s",
                                   pick_procedure_action);
  gtk_widget_class_install_action (widget_class, "intake.take-photo", "s", take_photo_action);
  gtk_widget_class_install_action (widget_class, "intake.fingerprint", NULL, fingerprint_action);
  gtk_widget_class_install_action (widget_class, "intake.fingerprint-cancel", NULL,
                                   fingerprint_cancel_action);
  gtk_widget_class_install_action (widget_class, "intake.consent", "(sb)", consent_action);
  gtk_widget_class_install_action (widget_class, "intake.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "intake.print-receipt", NULL,
                                   print_receipt_action);
  gtk_widget_class_install_action (widget_class, "intake.restart", NULL, restart_action);
  gtk_widget_class_install_action (widget_class, "intake.discard-draft", NULL,
                                   discard_draft_action);
  gtk_widget_class_install_action (widget_class, "intake.tour", NULL, tour_action);
}

/* One at a time: a photo being checked, the reader at work, the commit. */
static void
update_enabled (FkIntakePage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean reading = fk_intake_fingerprint_step_get_running (self->fingerprint_step);

  gtk_widget_action_set_enabled (widget, "intake.take-photo",
                                 !fk_intake_photos_step_get_busy (self->photos_step));
  gtk_widget_action_set_enabled (widget, "intake.fingerprint", !reading);
  gtk_widget_action_set_enabled (widget, "intake.fingerprint-cancel", reading);
  gtk_widget_action_set_enabled (widget, "intake.save", !fk_intake_get_committing (self->intake));
  gtk_widget_action_set_enabled (widget, "intake.chip-accept",
                                 fk_intake_get_chip (self->intake) != NULL &&
                                   !fk_intake_get_reading_chip (self->intake));
}

void
fk_intake_page_actions_init (FkIntakePage *self)
{
  g_signal_connect_object (self->photos_step, "notify::busy", G_CALLBACK (update_enabled), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->fingerprint_step, "notify::running", G_CALLBACK (update_enabled),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self->intake, "notify::committing", G_CALLBACK (update_enabled), self);
  g_signal_connect_swapped (self->intake, "notify::chip", G_CALLBACK (update_enabled), self);
  g_signal_connect_swapped (self->intake, "notify::reading-chip", G_CALLBACK (update_enabled),
                            self);
  update_enabled (self);
}
