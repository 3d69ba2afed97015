/* fk-intake-step-view.h: one step of the intake wizard, a view of FkIntake
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fk-intake.h"

G_BEGIN_DECLS

#define FK_TYPE_INTAKE_STEP_VIEW (fk_intake_step_view_get_type ())
G_DECLARE_DERIVABLE_TYPE (FkIntakeStepView, fk_intake_step_view, FK, INTAKE_STEP_VIEW, AdwBin)

struct _FkIntakeStepViewClass
{
  AdwBinClass parent_class;

  /* The model is set: connect to it (handlers with the step as data are
   * disconnected for it when the model goes), show it. */
  void (*bind) (FkIntakeStepView *self, FkIntake *intake);
  /* The model entered this step; it is shown next. */
  void (*entered) (FkIntakeStepView *self);
  /* The wizard starts over: forget what the view holds of its own (the
   * message line is cleared by the base class). */
  void (*reset) (FkIntakeStepView *self);
};

FkIntake *fk_intake_step_view_get_intake (FkIntakeStepView *self);
void fk_intake_step_view_set_intake (FkIntakeStepView *self, FkIntake *intake);
void fk_intake_step_view_entered (FkIntakeStepView *self);
void fk_intake_step_view_reset (FkIntakeStepView *self);
void fk_intake_step_view_set_message_label (FkIntakeStepView *self, GtkLabel *label);
void fk_intake_step_view_set_message (FkIntakeStepView *self, const char *text, gboolean error);

G_END_DECLS
