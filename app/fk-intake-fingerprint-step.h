/* fk-intake-fingerprint-step.h: the intake's step of the citizen's fingerprint, enrolled and
 * printed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-intake-step-view.h"

G_BEGIN_DECLS

#define FK_TYPE_INTAKE_FINGERPRINT_STEP (fk_intake_fingerprint_step_get_type ())
G_DECLARE_FINAL_TYPE (FkIntakeFingerprintStep, fk_intake_fingerprint_step, FK,
                      INTAKE_FINGERPRINT_STEP, FkIntakeStepView)

void fk_intake_fingerprint_step_start (FkIntakeFingerprintStep *self);
void fk_intake_fingerprint_step_cancel (FkIntakeFingerprintStep *self);
gboolean fk_intake_fingerprint_step_get_running (FkIntakeFingerprintStep *self);

G_END_DECLS
