/* fk-intake-receipt-step.h: the intake's step of the dossier's number and its QR code for the
 * citizen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-intake-step-view.h"

G_BEGIN_DECLS

#define FK_TYPE_INTAKE_RECEIPT_STEP (fk_intake_receipt_step_get_type ())
G_DECLARE_FINAL_TYPE (FkIntakeReceiptStep, fk_intake_receipt_step, FK, INTAKE_RECEIPT_STEP,
                      FkIntakeStepView)

void fk_intake_receipt_step_print (FkIntakeReceiptStep *self);

G_END_DECLS
