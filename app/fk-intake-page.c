/* fk-intake-page.c: the intake wizard, from the ID card to the receipt
 *
 * Steps: scan the card → its chip (with a card reader) → identity →
 * procedure → its form → document photos → fingerprint → consent → review
 * → receipt. What was entered lives in an
 * FkIntake (the model, without a widget); each step is a view of it, a
 * child of one stack, so going back and forth loses nothing. The page
 * shows the model's step, its draft's state, and explains a step's error
 * from its domain and code. Camera frames, the fingerprint reader, drafts
 * and the sealed commit are asynchronous; the main loop only draws and
 * reacts.
 *
 * After a crash or a power cut the newest draft in the store opens again
 * the first time the page is shown.
 *
 * The guided tour (fk-intake-tour.c) lies over the page: it starts once by
 * itself the first time an intake is opened on a device (until the
 * `tour-seen` setting says it was walked or skipped; in practice, once per
 * practice store), from the nav bar's
 * "Guide" (intake.tour) and from win.tour. Leaving the page (locking
 * included) or a change of the model ends it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-application.h"
#include "fk-intake-page-private.h"
#include "fk-window.h"

G_DEFINE_FINAL_TYPE (FkIntakePage, fk_intake_page, ADW_TYPE_BIN)

static const char *const step_titles[FK_INTAKE_N_STEPS] = {
  N_ ("Scan the ID card"),
  N_ ("Touch the card to the reader"),
  N_ ("Identity"),
  N_ ("Procedure"),
  N_ ("Form"),
  N_ ("Papers"),
  N_ ("Fingerprint"),
  N_ ("Consent"),
  N_ ("Check and save"),
  N_ ("Receipt"),
};

/* Returns: (transfer none): the view of @step */
FkIntakeStepView *
fk_intake_page_get_view (FkIntakePage *self, FkIntakeStep step)
{
  GtkWidget *views[FK_INTAKE_N_STEPS] = {
    GTK_WIDGET (self->scan_step),        GTK_WIDGET (self->chip_step),
    GTK_WIDGET (self->identity_step),    GTK_WIDGET (self->procedure_step),
    GTK_WIDGET (self->form_step),        GTK_WIDGET (self->photos_step),
    GTK_WIDGET (self->fingerprint_step), GTK_WIDGET (self->consent_step),
    GTK_WIDGET (self->review_step),      GTK_WIDGET (self->receipt_step),
  };

  g_return_val_if_fail (step < FK_INTAKE_N_STEPS, NULL);
  return FK_INTAKE_STEP_VIEW (views[step]);
}

void
fk_intake_page_toast (FkIntakePage *self, const char *text)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), FK_TYPE_WINDOW);

  if (window != NULL)
    fk_window_toast (FK_WINDOW (window), text);
}

/* The identity row an error code is about, as the officer reads it. */
static const char *
member_label (int code)
{
  switch (code)
    {
      case FK_INTAKE_ERROR_ID_NUMBER:
        return _ ("ID number");
      case FK_INTAKE_ERROR_FULL_NAME:
        return _ ("Full name");
      case FK_INTAKE_ERROR_BIRTH_DATE:
        return _ ("Date of birth");
      case FK_INTAKE_ERROR_SEX:
        return _ ("Sex");
      case FK_INTAKE_ERROR_ADDRESS:
        return _ ("Address");
      case FK_INTAKE_ERROR_PHONE:
        return _ ("Phone");
      case FK_INTAKE_ERROR_ISSUE_DATE:
        return _ ("Date of issue");
      case FK_INTAKE_ERROR_OLD_ID:
        return _ ("Old ID number");
      case FK_INTAKE_ERROR_COMMUNE:
        return _ ("Commune or ward now");
      case FK_INTAKE_ERROR_ETHNICITY:
        return _ ("Ethnicity");
      default:
        return NULL;
    }
}

/**
 * fk_intake_page_show_error:
 * @error: why a step is not complete, an %FK_INTAKE_ERROR
 *
 * Explains @error on the step it is about, by its code: a wrong member of
 * the identity is named by its row's label, a wrong answer of the form is
 * to correct, a missing photo or consent is said as the model says it.
 */
void
fk_intake_page_show_error (FkIntakePage *self, const GError *error)
{
  FkIntakeStep step = fk_intake_get_step (self->intake);
  g_autofree char *text = NULL;

  if (error->domain == FK_INTAKE_ERROR && member_label (error->code) != NULL)
    {
      g_autofree char *named =
        g_strdup_printf ("%s %s", member_label (error->code), error->message);

      step = FK_INTAKE_STEP_IDENTITY;
      text = g_strdup_printf (_ ("Please correct: %s"), named);
    }
  else if (g_error_matches (error, FK_INTAKE_ERROR, FK_INTAKE_ERROR_FORM))
    {
      step = FK_INTAKE_STEP_FORM;
      text = g_strdup_printf (_ ("Please correct: %s"), error->message);
    }
  else if (g_error_matches (error, FK_INTAKE_ERROR, FK_INTAKE_ERROR_NO_PROCEDURE))
    step = FK_INTAKE_STEP_FORM;
  else if (g_error_matches (error, FK_INTAKE_ERROR, FK_INTAKE_ERROR_PHOTO_MISSING))
    step = FK_INTAKE_STEP_PHOTOS;
  else if (g_error_matches (error, FK_INTAKE_ERROR, FK_INTAKE_ERROR_CONSENT_MISSING))
    step = FK_INTAKE_STEP_CONSENT;
  fk_intake_step_view_set_message (fk_intake_page_get_view (self, step),
                                   text != NULL ? text : error->message, TRUE);
}

/* The wizard starts over: what the views hold of their own goes too. */
void
fk_intake_page_reset_views (FkIntakePage *self)
{
  for (FkIntakeStep step = 0; step < FK_INTAKE_N_STEPS; step++)
    fk_intake_step_view_reset (fk_intake_page_get_view (self, step));
}

static void
readers_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkIntakePage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) names = fk_devices_list_card_readers_finish (FK_DEVICES (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* no pcscd, no reader: the QR code alone, as without the chip */
  fk_intake_set_chip_reader (self->intake, names != NULL && names[0] != NULL);
}

/* Whether a card reader is plugged in, asked of the device factory each
 * time the wizard is at its first step: a card's QR code then leads to the
 * chip step. */
static void
look_for_reader (FkIntakePage *self)
{
  FkApplication *app = fk_application_get_default ();
  FkDevices *devices = app != NULL ? fk_application_get_devices (app) : NULL;

  if (devices != NULL)
    fk_devices_list_card_readers_async (devices, self->cancellable, readers_listed,
                                        g_object_ref (self));
}

static void
step_changed (FkIntakePage *self)
{
  FkIntakeStep step = fk_intake_get_step (self->intake);
  g_autofree char *title = NULL;
  /* without the chip step, the steps after it are numbered one less */
  gboolean chip =
    fk_intake_get_card (self->intake) != NULL && fk_intake_get_chip_reader (self->intake);
  guint skipped = chip ? 0 : 1;

  if (step == FK_INTAKE_STEP_SCAN)
    look_for_reader (self);
  fk_intake_step_view_entered (fk_intake_page_get_view (self, step));
  gtk_stack_set_visible_child_name (self->steps, fk_intake_step_to_string (step));
  title =
    g_strdup_printf (_ ("Step %u of %u: %s"), step + 1 - (step > FK_INTAKE_STEP_CHIP ? skipped : 0),
                     FK_INTAKE_N_STEPS - 1 - skipped, _ (step_titles[step]));
  gtk_label_set_text (self->step_label,
                      step == FK_INTAKE_STEP_RECEIPT ? _ (step_titles[step]) : title);
  gtk_widget_set_visible (self->nav_bar, step != FK_INTAKE_STEP_RECEIPT);
  gtk_widget_set_visible (self->next_button,
                          step != FK_INTAKE_STEP_REVIEW && step != FK_INTAKE_STEP_PROCEDURE);
}

static void
draft_changed (FkIntakePage *self)
{
  FkIntakeDraftState state = fk_intake_get_draft_state (self->intake);

  gtk_label_set_text (self->draft_label, state == FK_INTAKE_DRAFT_SAVING ? _ ("Saving the draft…")
                                         : state == FK_INTAKE_DRAFT_SAVED ? _ ("Draft saved")
                                                                          : "");
  gtk_widget_set_visible (self->discard_draft_button,
                          fk_intake_get_draft_id (self->intake) != NULL);
}

/**
 * fk_intake_page_start_tour:
 *
 * Shows the guided tour over the page from its first stop. The card
 * scanner and the camera of the papers wait meanwhile: a card read would
 * change the intake, and the tour explains, it does not photograph.
 */
void
fk_intake_page_start_tour (FkIntakePage *self)
{
  g_return_if_fail (FK_IS_INTAKE_PAGE (self));

  fk_intake_scan_step_set_paused (self->scan_step, TRUE);
  fk_intake_photos_step_set_paused (self->photos_step, TRUE);
  fk_intake_tour_start (self->tour, self->steps, self->content);
}

/* A practice store keeps its own mark: a volunteer's first practice gets
 * the tour whatever the real profile saw. */
#define PRACTICE_TOUR_SETTING "app.practice.tour-seen"

static FkStore *
practice_store (FkIntakePage *self)
{
  FkStore *store = fk_intake_get_store (self->intake);

  return store != NULL && fk_store_is_practice (store) ? store : NULL;
}

static gboolean
tour_seen (FkIntakePage *self, GSettings *settings)
{
  FkStore *practice = practice_store (self);
  g_autofree char *seen =
    practice != NULL ? fk_store_get_setting (practice, PRACTICE_TOUR_SETTING) : NULL;

  if (practice != NULL)
    return seen != NULL;
  return settings == NULL || g_settings_get_boolean (settings, "tour-seen");
}

/* Once per device, and once per practice store, the first time an intake
 * is opened, after a draft left by a crash was looked for. */
static void
maybe_start_tour (FkIntakePage *self)
{
  FkApplication *app = fk_application_get_default ();
  GSettings *settings = app != NULL ? fk_application_get_settings (app) : NULL;

  if (tour_seen (self, settings) || self->resuming || !gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      fk_intake_tour_get_running (self->tour))
    return;
  fk_intake_page_start_tour (self);
}

static void
tour_finished (FkIntakePage *self)
{
  FkApplication *app = fk_application_get_default ();
  GSettings *settings = app != NULL ? fk_application_get_settings (app) : NULL;
  FkStore *practice = practice_store (self);
  g_autoptr (GError) error = NULL;

  if (practice != NULL)
    {
      if (!fk_store_set_setting (practice, PRACTICE_TOUR_SETTING, "1", &error))
        g_warning ("The practice tour's mark: %s", error->message);
    }
  else if (settings != NULL)
    g_settings_set_boolean (settings, "tour-seen", TRUE);
}

/* The tour's card counts its own stops: the step's title, with the wizard's
 * count, gives it its room meanwhile. */
static void
tour_running_changed (FkIntakePage *self)
{
  gboolean running = fk_intake_tour_get_running (self->tour);

  gtk_widget_set_visible (GTK_WIDGET (self->step_label), !running);
  if (running)
    return;
  fk_intake_scan_step_set_paused (self->scan_step, self->resuming);
  fk_intake_photos_step_set_paused (self->photos_step, FALSE);
}

/* The model moved on its own (a draft opened): the tour gives way. */
static void
tour_interrupted (FkIntakePage *self)
{
  if (!fk_intake_tour_get_running (self->tour))
    return;
  fk_intake_tour_stop (self->tour);
  gtk_stack_set_visible_child_name (self->steps,
                                    fk_intake_step_to_string (fk_intake_get_step (self->intake)));
}

static void
resumed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkIntakePage) self = user_data;
  g_autoptr (GError) error = NULL;

  /* the tour, started meanwhile, keeps it paused */
  fk_intake_scan_step_set_paused (self->scan_step, fk_intake_tour_get_running (self->tour));
  self->resuming = FALSE;
  if (fk_intake_resume_finish (FK_INTAKE (source), result, &error))
    {
      const char *notice = fk_intake_get_resume_notice (self->intake);

      fk_intake_page_toast (self, _ ("The unfinished dossier was opened again."));
      /* Begun under an older catalog: say what no longer fits, where the
       * wizard stands. */
      if (notice != NULL)
        fk_intake_step_view_set_message (
          fk_intake_page_get_view (self, fk_intake_get_step (self->intake)), notice, TRUE);
    }
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("The unfinished dossier cannot be read: %s", error->message);
  maybe_start_tour (self);
}

/* Opens the newest draft left by a crash or a power cut, once, before any
 * procedure is chosen; the camera waits meanwhile. */
static void
resume_draft (FkIntakePage *self)
{
  FkStore *store = fk_intake_get_store (self->intake);

  if (self->resume_checked || fk_intake_get_procedure (self->intake) != NULL || store == NULL ||
      !fk_store_is_unlocked (store))
    return;
  self->resume_checked = TRUE;
  self->resuming = TRUE;
  fk_intake_scan_step_set_paused (self->scan_step, TRUE);
  fk_intake_resume_async (self->intake, self->cancellable, resumed, g_object_ref (self));
}

static void
fk_intake_page_map (GtkWidget *widget)
{
  resume_draft (FK_INTAKE_PAGE (widget));
  GTK_WIDGET_CLASS (fk_intake_page_parent_class)->map (widget);
  maybe_start_tour (FK_INTAKE_PAGE (widget));
}

static void
fk_intake_page_unmap (GtkWidget *widget)
{
  /* Off screen first, so the scanner it lets go of stays off. */
  GTK_WIDGET_CLASS (fk_intake_page_parent_class)->unmap (widget);
  fk_intake_tour_stop (FK_INTAKE_PAGE (widget)->tour);
}

static void
fk_intake_page_dispose (GObject *object)
{
  FkIntakePage *self = FK_INTAKE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->intake != NULL)
    g_signal_handlers_disconnect_by_data (self->intake, self);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_INTAKE_PAGE);
  g_clear_object (&self->intake);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (fk_intake_page_parent_class)->dispose (object);
}

static void
fk_intake_page_class_init (FkIntakePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fk_intake_page_dispose;
  widget_class->map = fk_intake_page_map;
  widget_class->unmap = fk_intake_page_unmap;

  g_type_ensure (FK_TYPE_INTAKE_SCAN_STEP);
  g_type_ensure (FK_TYPE_INTAKE_CHIP_STEP);
  g_type_ensure (FK_TYPE_INTAKE_IDENTITY_STEP);
  g_type_ensure (FK_TYPE_INTAKE_PROCEDURE_STEP);
  g_type_ensure (FK_TYPE_INTAKE_FORM_STEP);
  g_type_ensure (FK_TYPE_INTAKE_PHOTOS_STEP);
  g_type_ensure (FK_TYPE_INTAKE_FINGERPRINT_STEP);
  g_type_ensure (FK_TYPE_INTAKE_CONSENT_STEP);
  g_type_ensure (FK_TYPE_INTAKE_REVIEW_STEP);
  g_type_ensure (FK_TYPE_INTAKE_RECEIPT_STEP);
  g_type_ensure (FK_TYPE_INTAKE_TOUR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-intake-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, FkIntakePage, name)
  BIND (steps);
  BIND (step_label);
  BIND (nav_bar);
  BIND (next_button);
  BIND (draft_label);
  BIND (discard_draft_button);
  BIND (scan_step);
  BIND (chip_step);
  BIND (identity_step);
  BIND (procedure_step);
  BIND (form_step);
  BIND (photos_step);
  BIND (fingerprint_step);
  BIND (consent_step);
  BIND (review_step);
  BIND (receipt_step);
#undef BIND

  fk_intake_page_class_actions_init (klass);
}

/* A newer catalog from a pull is for the next dossier: the one under way
 * keeps the catalog it was begun with. */
static void
follow_catalog (FkIntakePage *self)
{
  FkApplication *app = fk_application_get_default ();

  if (app == NULL || fk_intake_get_step (self->intake) != FK_INTAKE_STEP_SCAN ||
      fk_intake_get_draft_id (self->intake) != NULL)
    return;
  fk_intake_set_catalog (self->intake, fk_application_get_catalog (app));
}

/**
 * fk_intake_page_start_for:
 * @code: a procedure code of the catalog in use
 *
 * A new dossier for @code, as the guide's button starts it: the wizard
 * begins with the citizen's card, the procedure already chosen.
 *
 * Returns: %FALSE when a dossier is under way (it is not touched) or the
 *   catalog has no such procedure
 */
gboolean
fk_intake_page_start_for (FkIntakePage *self, const char *code)
{
  g_return_val_if_fail (FK_IS_INTAKE_PAGE (self), FALSE);

  if (fk_intake_get_step (self->intake) != FK_INTAKE_STEP_SCAN ||
      fk_intake_get_draft_id (self->intake) != NULL)
    return FALSE;
  follow_catalog (self);
  return fk_intake_set_procedure (self->intake, code);
}

/* Another store (the practice profile entered or left): the citizen in
 * memory is forgotten, and that store's own unfinished draft is looked for
 * when the page shows again. */
static void
store_changed (FkIntakePage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  fk_intake_reset (self->intake);
  fk_intake_page_reset_views (self);
  self->resume_checked = FALSE;
}

/* The model follows the session's store and visit. */
static FkIntake *
new_intake (void)
{
  FkApplication *app = fk_application_get_default ();
  FkSession *session = app != NULL ? fk_application_get_session (app) : NULL;
  FkIntake *intake = fk_intake_new (NULL, app != NULL ? fk_application_get_catalog (app) : NULL);

  if (session != NULL)
    {
      g_object_bind_property (session, "store", intake, "store", G_BINDING_SYNC_CREATE);
      g_object_bind_property (session, "visit", intake, "visit", G_BINDING_SYNC_CREATE);
    }
  return intake;
}

/* The tour lies over the template's content, in an overlay. */
static void
init_tour (FkIntakePage *self)
{
  GtkWidget *overlay = gtk_overlay_new ();

  self->content = adw_bin_get_child (ADW_BIN (self));
  g_object_ref (self->content);
  adw_bin_set_child (ADW_BIN (self), overlay);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), self->content);
  g_object_unref (self->content);
  self->tour = g_object_new (FK_TYPE_INTAKE_TOUR, NULL);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), GTK_WIDGET (self->tour));
  g_signal_connect_object (self->tour, "finished", G_CALLBACK (tour_finished), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tour, "notify::running", G_CALLBACK (tour_running_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self->intake, "notify::step", G_CALLBACK (tour_interrupted), self);
}

static void
fk_intake_page_init (FkIntakePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->intake = new_intake ();
  for (FkIntakeStep step = 0; step < FK_INTAKE_N_STEPS; step++)
    fk_intake_step_view_set_intake (fk_intake_page_get_view (self, step), self->intake);
  g_signal_connect_swapped (self->intake, "notify::step", G_CALLBACK (step_changed), self);
  g_signal_connect_swapped (self->intake, "notify::step", G_CALLBACK (follow_catalog), self);
  if (fk_application_get_default () != NULL)
    {
      g_signal_connect_object (fk_application_get_session (fk_application_get_default ()),
                               "notify::catalog", G_CALLBACK (follow_catalog), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (fk_application_get_session (fk_application_get_default ()),
                               "notify::store", G_CALLBACK (store_changed), self,
                               G_CONNECT_SWAPPED);
    }
  g_signal_connect_swapped (self->intake, "notify::draft-state", G_CALLBACK (draft_changed), self);
  g_signal_connect_swapped (self->intake, "notify::draft-id", G_CALLBACK (draft_changed), self);
  fk_intake_page_actions_init (self);
  step_changed (self);
  init_tour (self);
}
