/* fk-intake-review-step.h: the intake's step of everything at a glance before the dossier is sealed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-intake-step-view.h"

G_BEGIN_DECLS

#define FK_TYPE_INTAKE_REVIEW_STEP (fk_intake_review_step_get_type ())
G_DECLARE_FINAL_TYPE (FkIntakeReviewStep, fk_intake_review_step, FK, INTAKE_REVIEW_STEP,
                      FkIntakeStepView)

G_END_DECLS
