/* fk-intake-receipt-step.c: the dossier's number and its QR code for the citizen
 *
 * Shows the sealed dossier's number (the first eight hex digits of its
 * UUID) and the whole UUID as a QR code the citizen may photograph to
 * follow the dossier; "Next citizen" starts over (intake.restart).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-intake-receipt-step.h"
#include "fk-qr-texture.h"

struct _FkIntakeReceiptStep
{
  FkIntakeStepView parent_instance;

  GtkLabel *receipt_number;
  GtkPicture *receipt_qr;
};

G_DEFINE_FINAL_TYPE (FkIntakeReceiptStep, fk_intake_receipt_step, FK_TYPE_INTAKE_STEP_VIEW)

static void
dossier_changed (FkIntakeReceiptStep *self, GParamSpec *pspec, FkIntake *intake)
{
  const char *id = fk_intake_get_dossier_id (intake);
  g_autofree char *number = NULL;
  g_autoptr (GdkTexture) qr = NULL;

  if (id == NULL)
    return;
  number = g_ascii_strup (id, 8);
  gtk_label_set_text (self->receipt_number, number);
  qr = fk_qr_texture_new (id, 6);
  gtk_picture_set_paintable (self->receipt_qr, GDK_PAINTABLE (qr));
}

static void
fk_intake_receipt_step_bind (FkIntakeStepView *view, FkIntake *intake)
{
  g_signal_connect_swapped (intake, "notify::dossier-id", G_CALLBACK (dossier_changed), view);
}

static void
fk_intake_receipt_step_reset (FkIntakeStepView *view)
{
  gtk_picture_set_paintable (FK_INTAKE_RECEIPT_STEP (view)->receipt_qr, NULL);
}

static void
fk_intake_receipt_step_dispose (GObject *object)
{
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

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-intake-receipt-step.ui");
  gtk_widget_class_bind_template_child (widget_class, FkIntakeReceiptStep, receipt_number);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeReceiptStep, receipt_qr);
}

static void
fk_intake_receipt_step_init (FkIntakeReceiptStep *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
