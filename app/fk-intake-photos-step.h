/* fk-intake-photos-step.h: the intake's step of photos of the papers, with a quality check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-intake-step-view.h"

G_BEGIN_DECLS

#define FK_TYPE_INTAKE_PHOTOS_STEP (fk_intake_photos_step_get_type ())
G_DECLARE_FINAL_TYPE (FkIntakePhotosStep, fk_intake_photos_step, FK, INTAKE_PHOTOS_STEP,
                      FkIntakeStepView)

void fk_intake_photos_step_take_photo (FkIntakePhotosStep *self, const char *document);
gboolean fk_intake_photos_step_get_busy (FkIntakePhotosStep *self);
void fk_intake_photos_step_set_paused (FkIntakePhotosStep *self, gboolean paused);

G_END_DECLS
