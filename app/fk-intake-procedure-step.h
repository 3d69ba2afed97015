/* fk-intake-procedure-step.h: the intake's step of the procedure, found by an accent-insensitive
 * search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-intake-step-view.h"

G_BEGIN_DECLS

#define FK_TYPE_INTAKE_PROCEDURE_STEP (fk_intake_procedure_step_get_type ())
G_DECLARE_FINAL_TYPE (FkIntakeProcedureStep, fk_intake_procedure_step, FK, INTAKE_PROCEDURE_STEP,
                      FkIntakeStepView)

G_END_DECLS
