/* fk-intake-receipt-step.c: the dossier's number and its QR code for the citizen
 *
 * Shows the sealed dossier's number (the first eight hex digits of its
 * UUID) and the whole UUID as a QR code the citizen may photograph to
 * follow the dossier; "Print receipt" prints the same on paper
 * (fk-receipt-print.c), and says on the message line whether it came out
 * or why not (the receipt stays printable from the queue); "Read aloud"
 * says what the receipt says (fk_receipt_to_text(): no personal data, the
 * number in groups to write down), made from the store like the printed
 * one; "Next citizen" starts over (intake.restart), which forgets a print
 * under way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-application.h"
#include "fk-intake-receipt-step.h"
#include "fk-qr-texture.h"
#include "fk-read-aloud-button.h"
#include "fk-receipt-print.h"
#include "fk-receipt.h"

struct _FkIntakeReceiptStep
{
  FkIntakeStepView parent_instance;

  GtkLabel *receipt_number;
  GtkPicture *receipt_qr;
  GtkLabel *receipt_message;
  FkReadAloudButton *receipt_read;

  GCancellable *print_cancellable; /* the print under way, or NULL */
  GCancellable *load_cancellable;  /* the spoken receipt being made, or NULL */
};

G_DEFINE_FINAL_TYPE (FkIntakeReceiptStep, fk_intake_receipt_step, FK_TYPE_INTAKE_STEP_VIEW)

static void
receipt_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkIntakeReceiptStep) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkReceipt) receipt = fk_receipt_load_finish (FK_STORE (source), result, &error);
  FkIntake *intake = fk_intake_step_view_get_intake (FK_INTAKE_STEP_VIEW (self));
  g_autofree char *text = NULL;

  /* Only the receipt of the dossier shown now. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->receipt_read == NULL ||
      intake == NULL ||
      (receipt != NULL &&
       g_strcmp0 (fk_receipt_get_dossier_id (receipt), fk_intake_get_dossier_id (intake)) != 0))
    return;
  g_clear_object (&self->load_cancellable);
  if (receipt == NULL)
    {
      g_message ("The receipt cannot be read aloud: %s", error->message);
      return;
    }
  text = fk_receipt_to_text (receipt);
  fk_read_aloud_button_set_text (self->receipt_read, text);
}

/* The spoken receipt, made from the store in a worker thread. */
static void
load_spoken_receipt (FkIntakeReceiptStep *self, const char *id)
{
  FkApplication *app = fk_application_get_default ();
  FkStore *store = app != NULL ? fk_application_get_store (app) : NULL;
  FkCatalog *catalog = app != NULL ? fk_application_get_catalog (app) : NULL;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  fk_read_aloud_button_set_text (self->receipt_read, NULL);
  if (id == NULL || store == NULL || catalog == NULL || !fk_store_is_unlocked (store))
    return;
  self->load_cancellable = g_cancellable_new ();
  fk_receipt_load_async (store, catalog, id, self->load_cancellable, receipt_loaded,
                         g_object_ref (self));
}

static void
dossier_changed (FkIntakeReceiptStep *self, GParamSpec *pspec, FkIntake *intake)
{
  const char *id = fk_intake_get_dossier_id (intake);
  g_autofree char *number = NULL;
  g_autoptr (GdkTexture) qr = NULL;

  load_spoken_receipt (self, id);
  if (id == NULL)
    return;
  number = g_ascii_strup (id, 8);
  gtk_label_set_text (self->receipt_number, number);
  qr = fk_qr_texture_new (id, 6);
  gtk_picture_set_paintable (self->receipt_qr, GDK_PAINTABLE (qr));
}

static void
printed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkIntakeReceiptStep) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *printer = fk_receipt_print_finish (result, &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->print_cancellable);
  if (printer == NULL)
    {
      text = fk_receipt_print_explain (error);
      fk_intake_step_view_set_message (FK_INTAKE_STEP_VIEW (self), text, TRUE);
      return;
    }
  text = g_strdup_printf (_ ("The receipt was printed on %s."), printer);
  fk_intake_step_view_set_message (FK_INTAKE_STEP_VIEW (self), text, FALSE);
}

/**
 * fk_intake_receipt_step_print:
 *
 * Prints the sealed dossier's receipt, unless a print is under way.
 */
void
fk_intake_receipt_step_print (FkIntakeReceiptStep *self)
{
  FkIntake *intake = fk_intake_step_view_get_intake (FK_INTAKE_STEP_VIEW (self));

  g_return_if_fail (FK_IS_INTAKE_RECEIPT_STEP (self));
  if (intake == NULL || fk_intake_get_dossier_id (intake) == NULL ||
      self->print_cancellable != NULL)
    return;
  self->print_cancellable = g_cancellable_new ();
  fk_intake_step_view_set_message (FK_INTAKE_STEP_VIEW (self), _ ("Printing the receipt…"), FALSE);
  fk_receipt_print_async (GTK_WIDGET (self), fk_intake_get_dossier_id (intake),
                          self->print_cancellable, printed, g_object_ref (self));
}

static void
cancel_print (FkIntakeReceiptStep *self)
{
  g_cancellable_cancel (self->print_cancellable);
  g_clear_object (&self->print_cancellable);
}

static void
fk_intake_receipt_step_bind (FkIntakeStepView *view, FkIntake *intake)
{
  g_signal_connect_swapped (intake, "notify::dossier-id", G_CALLBACK (dossier_changed), view);
}

static void
fk_intake_receipt_step_reset (FkIntakeStepView *view)
{
  FkIntakeReceiptStep *self = FK_INTAKE_RECEIPT_STEP (view);

  cancel_print (self);
  load_spoken_receipt (self, NULL);
  gtk_picture_set_paintable (self->receipt_qr, NULL);
}

static void
fk_intake_receipt_step_dispose (GObject *object)
{
  FkIntakeReceiptStep *self = FK_INTAKE_RECEIPT_STEP (object);

  cancel_print (self);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  fk_intake_step_view_set_intake (FK_INTAKE_STEP_VIEW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_INTAKE_RECEIPT_STEP);
  G_OBJECT_CLASS (fk_intake_receipt_step_parent_class)->dispose (object);
}

static void
fk_intake_receipt_step_class_init (FkIntakeReceiptStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  FkIntakeStepViewClass *view_class = FK_INTAKE_STEP_VIEW_CLASS (klass);

  object_class->dispose = fk_intake_receipt_step_dispose;
  view_class->bind = fk_intake_receipt_step_bind;
  view_class->reset = fk_intake_receipt_step_reset;

  g_type_ensure (FK_TYPE_READ_ALOUD_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-intake-receipt-step.ui");
  gtk_widget_class_bind_template_child (widget_class, FkIntakeReceiptStep, receipt_number);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeReceiptStep, receipt_qr);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeReceiptStep, receipt_message);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeReceiptStep, receipt_read);
}

static void
fk_intake_receipt_step_init (FkIntakeReceiptStep *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fk_intake_step_view_set_message_label (FK_INTAKE_STEP_VIEW (self), self->receipt_message);
}
