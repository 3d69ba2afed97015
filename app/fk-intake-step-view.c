/* fk-intake-step-view.c: one step of the intake wizard, a view of FkIntake
 *
 * The base of the wizard's step widgets. A step shows the part of the
 * model it is about and edits it; it keeps no copy of what was entered.
 * The page sets the model once, and tells the step when the model enters
 * it (a camera runs only while its step is mapped: GTK maps the visible
 * child of the page's stack only).
 * A step with a message line registers its label; the page puts the
 * explanation of an FK_INTAKE_ERROR there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-intake-step-view.h"

typedef struct
{
  FkIntake *intake;
  GtkLabel *message_label;
} FkIntakeStepViewPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (FkIntakeStepView, fk_intake_step_view, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_INTAKE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Returns: (transfer none) (nullable) */
FkIntake *
fk_intake_step_view_get_intake (FkIntakeStepView *self)
{
  FkIntakeStepViewPrivate *priv = fk_intake_step_view_get_instance_private (self);

  g_return_val_if_fail (FK_IS_INTAKE_STEP_VIEW (self), NULL);
  return priv->intake;
}

void
fk_intake_step_view_set_intake (FkIntakeStepView *self, FkIntake *intake)
{
  FkIntakeStepViewPrivate *priv = fk_intake_step_view_get_instance_private (self);
  FkIntakeStepViewClass *klass = FK_INTAKE_STEP_VIEW_GET_CLASS (self);

  g_return_if_fail (FK_IS_INTAKE_STEP_VIEW (self));

  if (priv->intake == intake)
    return;
  if (priv->intake != NULL)
    g_signal_handlers_disconnect_by_data (priv->intake, self);
  g_set_object (&priv->intake, intake);
  if (intake != NULL && klass->bind != NULL)
    klass->bind (self, intake);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTAKE]);
}

void
fk_intake_step_view_entered (FkIntakeStepView *self)
{
  g_return_if_fail (FK_IS_INTAKE_STEP_VIEW (self));
  if (FK_INTAKE_STEP_VIEW_GET_CLASS (self)->entered != NULL)
    FK_INTAKE_STEP_VIEW_GET_CLASS (self)->entered (self);
}

void
fk_intake_step_view_reset (FkIntakeStepView *self)
{
  g_return_if_fail (FK_IS_INTAKE_STEP_VIEW (self));
  fk_intake_step_view_set_message (self, NULL, FALSE);
  if (FK_INTAKE_STEP_VIEW_GET_CLASS (self)->reset != NULL)
    FK_INTAKE_STEP_VIEW_GET_CLASS (self)->reset (self);
}

/* @label: (transfer none): the step's message line, a template child */
void
fk_intake_step_view_set_message_label (FkIntakeStepView *self, GtkLabel *label)
{
  FkIntakeStepViewPrivate *priv = fk_intake_step_view_get_instance_private (self);

  priv->message_label = label;
}

/**
 * fk_intake_step_view_set_message:
 * @text: (nullable): what to say; %NULL or "" hides the line
 * @error: shown as a problem to correct
 */
void
fk_intake_step_view_set_message (FkIntakeStepView *self, const char *text, gboolean error)
{
  FkIntakeStepViewPrivate *priv = fk_intake_step_view_get_instance_private (self);
  GtkWidget *label = GTK_WIDGET (priv->message_label);

  g_return_if_fail (FK_IS_INTAKE_STEP_VIEW (self));

  if (label == NULL)
    return;
  gtk_label_set_text (priv->message_label, text != NULL ? text : "");
  gtk_widget_set_visible (label, text != NULL && *text != '\0');
  if (error)
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
}

static void
fk_intake_step_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FkIntakeStepView *self = FK_INTAKE_STEP_VIEW (object);

  switch (prop_id)
    {
      case PROP_INTAKE:
        g_value_set_object (value, fk_intake_step_view_get_intake (self));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_intake_step_view_set_property (GObject *object, guint prop_id, const GValue *value,
                                  GParamSpec *pspec)
{
  FkIntakeStepView *self = FK_INTAKE_STEP_VIEW (object);

  switch (prop_id)
    {
      case PROP_INTAKE:
        fk_intake_step_view_set_intake (self, g_value_get_object (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_intake_step_view_dispose (GObject *object)
{
  FkIntakeStepView *self = FK_INTAKE_STEP_VIEW (object);

  fk_intake_step_view_set_intake (self, NULL);
  G_OBJECT_CLASS (fk_intake_step_view_parent_class)->dispose (object);
}

static void
fk_intake_step_view_class_init (FkIntakeStepViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = fk_intake_step_view_get_property;
  object_class->set_property = fk_intake_step_view_set_property;
  object_class->dispose = fk_intake_step_view_dispose;

  properties[PROP_INTAKE] =
    g_param_spec_object ("intake", NULL, NULL, FK_TYPE_INTAKE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fk_intake_step_view_init (FkIntakeStepView *self)
{
}
