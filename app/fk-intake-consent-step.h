/* fk-intake-consent-step.h: the intake's step of the consents, read aloud and answered
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-intake-step-view.h"

G_BEGIN_DECLS

#define FK_TYPE_INTAKE_CONSENT_STEP (fk_intake_consent_step_get_type ())
G_DECLARE_FINAL_TYPE (FkIntakeConsentStep, fk_intake_consent_step, FK, INTAKE_CONSENT_STEP,
                      FkIntakeStepView)

G_END_DECLS
