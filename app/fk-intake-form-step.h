/* fk-intake-form-step.h: the intake's step of the procedure's form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-intake-step-view.h"

G_BEGIN_DECLS

#define FK_TYPE_INTAKE_FORM_STEP (fk_intake_form_step_get_type ())
G_DECLARE_FINAL_TYPE (FkIntakeFormStep, fk_intake_form_step, FK, INTAKE_FORM_STEP, FkIntakeStepView)

G_END_DECLS
