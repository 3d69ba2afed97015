/* fk-intake-form-step.c: the form of the procedure chosen
 *
 * An FkProcedureForm for the model's procedure; a new procedure gets a new
 * form, the same one again keeps the form and what was typed in it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-intake-form-step.h"
#include "fk-procedure-form.h"

struct _FkIntakeFormStep
{
  FkIntakeStepView parent_instance;

  GtkLabel *procedure_label;
  GtkLabel *form_label;
  AdwBin *form_holder;
};

G_DEFINE_FINAL_TYPE (FkIntakeFormStep, fk_intake_form_step, FK_TYPE_INTAKE_STEP_VIEW)

static void
procedure_changed (FkIntakeFormStep *self)
{
  FkIntake *intake = fk_intake_step_view_get_intake (FK_INTAKE_STEP_VIEW (self));
  FkProcedure *procedure = fk_intake_get_procedure (intake);
  GtkWidget *form = adw_bin_get_child (self->form_holder);

  if (form != NULL && fk_procedure_form_get_procedure (FK_PROCEDURE_FORM (form)) == procedure)
    return;
  adw_bin_set_child (self->form_holder,
                     procedure != NULL ? GTK_WIDGET (fk_procedure_form_new (intake)) : NULL);
  if (procedure != NULL)
    gtk_label_set_text (self->procedure_label, fk_procedure_get_title (procedure));
}

static void
fk_intake_form_step_bind (FkIntakeStepView *view, FkIntake *intake)
{
  g_signal_connect_swapped (intake, "notify::procedure", G_CALLBACK (procedure_changed), view);
  procedure_changed (FK_INTAKE_FORM_STEP (view));
}

static void
fk_intake_form_step_dispose (GObject *object)
{
  fk_intake_step_view_set_intake (FK_INTAKE_STEP_VIEW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_INTAKE_FORM_STEP);
  G_OBJECT_CLASS (fk_intake_form_step_parent_class)->dispose (object);
}

static void
fk_intake_form_step_class_init (FkIntakeFormStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fk_intake_form_step_dispose;
  FK_INTAKE_STEP_VIEW_CLASS (klass)->bind = fk_intake_form_step_bind;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-intake-form-step.ui");
  gtk_widget_class_bind_template_child (widget_class, FkIntakeFormStep, procedure_label);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeFormStep, form_label);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeFormStep, form_holder);
}

static void
fk_intake_form_step_init (FkIntakeFormStep *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fk_intake_step_view_set_message_label (FK_INTAKE_STEP_VIEW (self), self->form_label);
}
