/* fk-intake-identity-step.h: the intake's step of who the citizen is, as read from the card or
 * typed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-intake-step-view.h"

G_BEGIN_DECLS

#define FK_TYPE_INTAKE_IDENTITY_STEP (fk_intake_identity_step_get_type ())
G_DECLARE_FINAL_TYPE (FkIntakeIdentityStep, fk_intake_identity_step, FK, INTAKE_IDENTITY_STEP,
                      FkIntakeStepView)

void fk_intake_identity_step_show_card (FkIntakeIdentityStep *self, FkCccdCard *card);

G_END_DECLS
