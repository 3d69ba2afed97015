/* fk-intake-scan-step.h: the intake's step of the card's QR code read live, or typing in instead
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-intake-step-view.h"

G_BEGIN_DECLS

#define FK_TYPE_INTAKE_SCAN_STEP (fk_intake_scan_step_get_type ())
G_DECLARE_FINAL_TYPE (FkIntakeScanStep, fk_intake_scan_step, FK, INTAKE_SCAN_STEP, FkIntakeStepView)

void fk_intake_scan_step_set_paused (FkIntakeScanStep *self, gboolean paused);

G_END_DECLS
