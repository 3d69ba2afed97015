/* fk-intake-form-step.c: the form of the procedure chosen
 *
 * An FkProcedureForm for the model's procedure; a new procedure gets a new
 * form, the same one again keeps the form and what was typed in it. Above
 * it, the values the card's chip gives for the fields that take them
 * (`from_card`), which the officer fills in with one tap (intake.chip-fill)
 * or not at all; once they are the answers, the box goes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-intake-chip-step.h"
#include "fk-intake-form-step.h"
#include "fk-procedure-form.h"

struct _FkIntakeFormStep
{
  FkIntakeStepView parent_instance;

  GtkLabel *procedure_label;
  GtkLabel *form_label;
  GtkWidget *chip_box;
  GtkLabel *chip_label;
  AdwBin *form_holder;
};

G_DEFINE_FINAL_TYPE (FkIntakeFormStep, fk_intake_form_step, FK_TYPE_INTAKE_STEP_VIEW)

/* A proposed value as the officer reads it: a choice by its label. */
static char *
shown_value (FkProcedure *procedure, const FkIntakeChipValue *value)
{
  const FkProcedureField *field = fk_procedure_find_field (procedure, value->name);
  const char *choice = fk_procedure_field_get_choice_label (field, value->value);

  return g_strdup (choice != NULL ? choice : value->value);
}

/* What the chip would fill in that the form does not hold yet. */
static void
chip_changed (FkIntakeFormStep *self)
{
  FkIntake *intake = fk_intake_step_view_get_intake (FK_INTAKE_STEP_VIEW (self));
  FkProcedure *procedure = fk_intake_get_procedure (intake);
  g_autoptr (GPtrArray) values = fk_intake_dup_chip_answers (intake);
  g_autoptr (GString) text = g_string_new (NULL);
  gboolean news = FALSE;

  for (guint i = 0; i < values->len; i++)
    {
      FkIntakeChipValue *value = g_ptr_array_index (values, i);
      g_autofree char *shown = shown_value (procedure, value);

      news = news || g_strcmp0 (value->value, value->current) != 0;
      g_string_append_printf (
        text, "\n%s: %s",
        fk_procedure_field_get_label (fk_procedure_find_field (procedure, value->name)), shown);
    }
  if (news)
    g_string_prepend (text, _ ("The card's chip gives these values. Use them only if this form "
                               "is about the card's holder:"));
  gtk_label_set_text (self->chip_label, text->str);
  gtk_widget_set_visible (self->chip_box, news);
}

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
  g_signal_connect_swapped (intake, "notify::procedure", G_CALLBACK (chip_changed), view);
  g_signal_connect_swapped (intake, "notify::chip", G_CALLBACK (chip_changed), view);
  g_signal_connect_swapped (intake, "notify::answers", G_CALLBACK (chip_changed), view);
  procedure_changed (FK_INTAKE_FORM_STEP (view));
  chip_changed (FK_INTAKE_FORM_STEP (view));
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
  gtk_widget_class_bind_template_child (widget_class, FkIntakeFormStep, chip_box);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeFormStep, chip_label);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeFormStep, form_holder);
}

static void
fk_intake_form_step_init (FkIntakeFormStep *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fk_intake_step_view_set_message_label (FK_INTAKE_STEP_VIEW (self), self->form_label);
}
