/* fk-intake-fingerprint-step.c: the citizen's fingerprint, enrolled and printed
 *
 * Enrolment (several presses, with the reader's advice between them) gives
 * the template that checks the same person at the result's handover; one
 * more press gives the print for the dossier. Both go to the model as
 * they come. The reader is opened on the first use and can be stopped
 * (intake.fingerprint-cancel); "running" says whether it works.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-application.h"
#include "fk-fingerprint.h"
#include "fk-intake-fingerprint-step.h"

struct _FkIntakeFingerprintStep
{
  FkIntakeStepView parent_instance;

  GtkProgressBar *fp_progress;
  GtkLabel *fp_label;

  FkFingerprint *reader;
  GCancellable *cancellable;
  gboolean running;
};

G_DEFINE_FINAL_TYPE (FkIntakeFingerprintStep, fk_intake_fingerprint_step, FK_TYPE_INTAKE_STEP_VIEW)

enum
{
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_message (FkIntakeFingerprintStep *self, const char *text, gboolean error)
{
  fk_intake_step_view_set_message (FK_INTAKE_STEP_VIEW (self), text, error);
}

static void
set_running (FkIntakeFingerprintStep *self, gboolean running)
{
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* Whether the reader is at work (enrolling or printing). */
gboolean
fk_intake_fingerprint_step_get_running (FkIntakeFingerprintStep *self)
{
  g_return_val_if_fail (FK_IS_INTAKE_FINGERPRINT_STEP (self), FALSE);
  return self->running;
}

static void
on_enroll_progress (FkFingerprint *reader, int stage, int n_stages, const char *retry,
                    gpointer user_data)
{
  FkIntakeFingerprintStep *self = user_data;
  g_autofree char *text = NULL;

  gtk_progress_bar_set_fraction (self->fp_progress, n_stages > 0 ? (double) stage / n_stages : 0);
  text = retry != NULL
           ? g_strdup (retry)
           : g_strdup_printf (_ ("Press %d of %d done. Lift the finger and press again."), stage,
                              n_stages);
  set_message (self, text, retry != NULL);
}

static void
on_finger_needed (FkFingerprint *reader, gpointer user_data)
{
  set_message (user_data, _ ("Place the citizen's finger flat on the reader."), FALSE);
}

static void
finished (FkIntakeFingerprintStep *self, const char *error_message)
{
  set_running (self, FALSE);
  if (self->reader != NULL)
    g_signal_handlers_disconnect_by_data (self->reader, self);
  if (error_message != NULL)
    {
      g_autofree char *text =
        g_strdup_printf (_ ("The fingerprint was not taken: %s"), error_message);

      gtk_progress_bar_set_fraction (self->fp_progress, 0);
      set_message (self, text, TRUE);
    }
}

static void
show_taken (FkIntakeFingerprintStep *self)
{
  gtk_progress_bar_set_fraction (self->fp_progress, 1.0);
  set_message (self, _ ("Fingerprint taken."), FALSE);
}

static void
capture_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkIntakeFingerprintStep) self = user_data;
  FkIntake *intake = fk_intake_step_view_get_intake (FK_INTAKE_STEP_VIEW (self));
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) grey = NULL;
  g_autoptr (GBytes) image = NULL;
  int width = 0, height = 0;

  grey = fk_fingerprint_capture_finish (FK_FINGERPRINT (source), result, &width, &height, &error);
  if (grey != NULL)
    image = fk_fingerprint_image_to_png (grey, width, height, &error);
  if (image == NULL)
    {
      /* Stopped before the print: the template stays, the reader is free. */
      finished (self,
                g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? NULL : error->message);
      return;
    }
  if (intake != NULL)
    fk_intake_set_fingerprint (intake, fk_intake_get_fingerprint_template (intake), image);
  show_taken (self);
  finished (self, NULL);
}

static void
enroll_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkIntakeFingerprintStep) self = user_data;
  FkIntake *intake = fk_intake_step_view_get_intake (FK_INTAKE_STEP_VIEW (self));
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) template =
    fk_fingerprint_enroll_finish (FK_FINGERPRINT (source), result, &error);

  if (template == NULL)
    {
      finished (self, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? _ ("cancelled")
                                                                                : error->message);
      return;
    }
  if (intake != NULL)
    fk_intake_set_fingerprint (intake, template, NULL);
  /* The print on the dossier: one more press for the image. */
  set_message (self, _ ("Once more, for the print on the dossier."), FALSE);
  fk_fingerprint_capture_async (self->reader, self->cancellable, capture_done, g_object_ref (self));
}

/**
 * fk_intake_fingerprint_step_start:
 *
 * Takes the fingerprint again from the start: what the model had is
 * forgotten first.
 */
void
fk_intake_fingerprint_step_start (FkIntakeFingerprintStep *self)
{
  FkIntake *intake = fk_intake_step_view_get_intake (FK_INTAKE_STEP_VIEW (self));
  FkDevices *devices = fk_application_get_devices (fk_application_get_default ());
  g_autoptr (GError) error = NULL;

  g_return_if_fail (FK_IS_INTAKE_FINGERPRINT_STEP (self));

  if (self->running || intake == NULL)
    return;
  if (self->reader == NULL)
    self->reader = fk_devices_open_fingerprint (devices, &error);
  if (self->reader == NULL)
    {
      finished (self, error->message);
      return;
    }
  set_running (self, TRUE);
  fk_intake_set_fingerprint (intake, NULL, NULL);
  g_signal_connect (self->reader, "enroll-progress", G_CALLBACK (on_enroll_progress), self);
  g_signal_connect (self->reader, "finger-needed", G_CALLBACK (on_finger_needed), self);
  gtk_progress_bar_set_fraction (self->fp_progress, 0);
  set_message (self, _ ("Place the citizen's finger flat on the reader."), FALSE);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  fk_fingerprint_enroll_async (self->reader, self->cancellable, enroll_done, g_object_ref (self));
}

/* Stops the reader; what it had not finished is not kept. */
void
fk_intake_fingerprint_step_cancel (FkIntakeFingerprintStep *self)
{
  g_return_if_fail (FK_IS_INTAKE_FINGERPRINT_STEP (self));
  g_cancellable_cancel (self->cancellable);
}

/* A fingerprint from elsewhere (a draft opened, a reset): shown as it is. */
static void
template_changed (FkIntakeFingerprintStep *self)
{
  FkIntake *intake = fk_intake_step_view_get_intake (FK_INTAKE_STEP_VIEW (self));

  if (self->running)
    return;
  if (fk_intake_get_fingerprint_template (intake) != NULL)
    show_taken (self);
  else
    {
      gtk_progress_bar_set_fraction (self->fp_progress, 0);
      set_message (self, NULL, FALSE);
    }
}

static void
fk_intake_fingerprint_step_bind (FkIntakeStepView *view, FkIntake *intake)
{
  g_signal_connect_swapped (intake, "notify::fingerprint-template", G_CALLBACK (template_changed),
                            view);
}

static void
fk_intake_fingerprint_step_get_property (GObject *object, guint prop_id, GValue *value,
                                         GParamSpec *pspec)
{
  switch (prop_id)
    {
      case PROP_RUNNING:
        g_value_set_boolean (value, FK_INTAKE_FINGERPRINT_STEP (object)->running);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_intake_fingerprint_step_dispose (GObject *object)
{
  FkIntakeFingerprintStep *self = FK_INTAKE_FINGERPRINT_STEP (object);

  g_cancellable_cancel (self->cancellable);
  if (self->reader != NULL)
    g_signal_handlers_disconnect_by_data (self->reader, self);
  g_clear_object (&self->reader);
  g_clear_object (&self->cancellable);
  fk_intake_step_view_set_intake (FK_INTAKE_STEP_VIEW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_INTAKE_FINGERPRINT_STEP);
  G_OBJECT_CLASS (fk_intake_fingerprint_step_parent_class)->dispose (object);
}

static void
fk_intake_fingerprint_step_class_init (FkIntakeFingerprintStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = fk_intake_fingerprint_step_get_property;
  object_class->dispose = fk_intake_fingerprint_step_dispose;
  FK_INTAKE_STEP_VIEW_CLASS (klass)->bind = fk_intake_fingerprint_step_bind;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-intake-fingerprint-step.ui");
  gtk_widget_class_bind_template_child (widget_class, FkIntakeFingerprintStep, fp_progress);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeFingerprintStep, fp_label);
}

static void
fk_intake_fingerprint_step_init (FkIntakeFingerprintStep *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fk_intake_step_view_set_message_label (FK_INTAKE_STEP_VIEW (self), self->fp_label);
  self->cancellable = g_cancellable_new ();
}
