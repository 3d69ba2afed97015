/* fk-intake-chip-step.h: the intake's step of the ID card's chip, touched to the reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-intake-step-view.h"

G_BEGIN_DECLS

#define FK_TYPE_INTAKE_CHIP_STEP (fk_intake_chip_step_get_type ())
G_DECLARE_FINAL_TYPE (FkIntakeChipStep, fk_intake_chip_step, FK, INTAKE_CHIP_STEP, FkIntakeStepView)

void fk_intake_chip_step_read (FkIntakeChipStep *self);
void fk_intake_chip_step_stop (FkIntakeChipStep *self);
char *fk_intake_chip_step_dup_value_text (const char *member, const char *value);
const char *fk_intake_chip_step_member_label (const char *member);
GdkTexture *fk_intake_chip_step_dup_portrait (FkIntake *intake, int height);

G_END_DECLS
