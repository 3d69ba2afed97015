/* fk-intake-page-private.h: what the files of FkIntakePage share
 *
 * fk-intake-page.c shows the model's step and explains its errors;
 * fk-intake-page-actions.c holds the page's actions (intake.next, …), which
 * the step views' buttons and the UI tests activate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-intake-chip-step.h"
#include "fk-intake-consent-step.h"
#include "fk-intake-fingerprint-step.h"
#include "fk-intake-form-step.h"
#include "fk-intake-identity-step.h"
#include "fk-intake-page.h"
#include "fk-intake-photos-step.h"
#include "fk-intake-procedure-step.h"
#include "fk-intake-receipt-step.h"
#include "fk-intake-review-step.h"
#include "fk-intake-scan-step.h"
#include "fk-intake-tour.h"
#include "fk-intake.h"

G_BEGIN_DECLS

struct _FkIntakePage
{
  AdwBin parent_instance;

  FkIntake *intake;
  GCancellable *cancellable;
  gboolean resume_checked; /* a draft left by a crash was looked for */
  gboolean resuming;       /* … and is being opened */
  FkIntakeTour *tour;      /* over the page's content */
  GtkWidget *content;      /* the template's child, under the tour */

  /* template */
  GtkStack *steps;
  GtkLabel *step_label;
  GtkWidget *nav_bar;
  GtkWidget *next_button;
  GtkLabel *draft_label;
  GtkWidget *discard_draft_button;
  FkIntakeScanStep *scan_step;
  FkIntakeChipStep *chip_step;
  FkIntakeIdentityStep *identity_step;
  FkIntakeProcedureStep *procedure_step;
  FkIntakeFormStep *form_step;
  FkIntakePhotosStep *photos_step;
  FkIntakeFingerprintStep *fingerprint_step;
  FkIntakeConsentStep *consent_step;
  FkIntakeReviewStep *review_step;
  FkIntakeReceiptStep *receipt_step;
};

void fk_intake_page_class_actions_init (FkIntakePageClass *klass);
void fk_intake_page_actions_init (FkIntakePage *self);
FkIntakeStepView *fk_intake_page_get_view (FkIntakePage *self, FkIntakeStep step);
void fk_intake_page_show_error (FkIntakePage *self, const GError *error);
void fk_intake_page_reset_views (FkIntakePage *self);
void fk_intake_page_toast (FkIntakePage *self, const char *text);

G_END_DECLS
