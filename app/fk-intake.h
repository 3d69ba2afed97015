/* fk-intake.h: one citizen's intake, from the ID card to the sealed dossier
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fk-card-reader.h"
#include "fk-catalog.h"
#include "fk-cccd.h"
#include "fk-chip-data.h"
#include "fk-citizen.h"
#include "fk-consent-text.h"
#include "fk-dossier.h"
#include "fk-doc.h"
#include "fk-gray-image.h"
#include "fk-store.h"
#include "fk-visit.h"

G_BEGIN_DECLS

#define FK_INTAKE_ERROR (fk_intake_error_quark ())

/**
 * FkIntakeError:
 * @FK_INTAKE_ERROR_ID_NUMBER…FK_INTAKE_ERROR_ETHNICITY: a member of the
 *   citizen is wrong; the message is the rule alone ("must be …"), for a
 *   form that names the member with its own label
 * @FK_INTAKE_ERROR_NO_PROCEDURE: the procedure is not chosen yet
 * @FK_INTAKE_ERROR_FORM: an answer of the procedure's form is wrong; the
 *   message names the field
 * @FK_INTAKE_ERROR_PHOTO_MISSING: a required paper has no photo; the
 *   message names it
 * @FK_INTAKE_ERROR_CONSENT_MISSING: a consent without which the dossier
 *   cannot be taken was refused; the message names it
 * @FK_INTAKE_ERROR_NOT_READY: the store is missing or locked, or the
 *   dossier is being sealed already
 * @FK_INTAKE_ERROR_DAMAGED_DRAFT: a draft could not be read back
 * @FK_INTAKE_ERROR_CARD_EXPIRY: the expiry typed from the card to open its
 *   chip is not a date
 * @FK_INTAKE_ERROR_NO_CARD: the chip is to be read, but no card was
 *   scanned (its ID number and birth date open the chip)
 *
 * Messages are translated and can be shown as they are.
 */
typedef enum
{
  FK_INTAKE_ERROR_ID_NUMBER,
  FK_INTAKE_ERROR_OLD_ID,
  FK_INTAKE_ERROR_FULL_NAME,
  FK_INTAKE_ERROR_BIRTH_DATE,
  FK_INTAKE_ERROR_SEX,
  FK_INTAKE_ERROR_ISSUE_DATE,
  FK_INTAKE_ERROR_ADDRESS,
  FK_INTAKE_ERROR_COMMUNE,
  FK_INTAKE_ERROR_PHONE,
  FK_INTAKE_ERROR_ETHNICITY,
  FK_INTAKE_ERROR_NO_PROCEDURE,
  FK_INTAKE_ERROR_FORM,
  FK_INTAKE_ERROR_PHOTO_MISSING,
  FK_INTAKE_ERROR_CONSENT_MISSING,
  FK_INTAKE_ERROR_NOT_READY,
  FK_INTAKE_ERROR_DAMAGED_DRAFT,
  FK_INTAKE_ERROR_CARD_EXPIRY,
  FK_INTAKE_ERROR_NO_CARD,
} FkIntakeError;

GQuark fk_intake_error_quark (void);

/* The wizard's steps, in order. The chip step comes only after a card's
 * QR code was read, and only while a card reader is plugged in. */
typedef enum
{
  FK_INTAKE_STEP_SCAN,
  FK_INTAKE_STEP_CHIP,
  FK_INTAKE_STEP_IDENTITY,
  FK_INTAKE_STEP_PROCEDURE,
  FK_INTAKE_STEP_FORM,
  FK_INTAKE_STEP_PHOTOS,
  FK_INTAKE_STEP_FINGERPRINT,
  FK_INTAKE_STEP_CONSENT,
  FK_INTAKE_STEP_REVIEW,
  FK_INTAKE_STEP_RECEIPT,
} FkIntakeStep;

#define FK_INTAKE_N_STEPS (FK_INTAKE_STEP_RECEIPT + 1)

#define FK_TYPE_INTAKE_STEP (fk_intake_step_get_type ())
GType fk_intake_step_get_type (void);
const char *fk_intake_step_to_string (FkIntakeStep step);
gboolean fk_intake_step_from_string (const char *name, FkIntakeStep *step);

/* Where the draft of the dossier stands. */
typedef enum
{
  FK_INTAKE_DRAFT_NONE,   /* nothing written yet, or the last write failed */
  FK_INTAKE_DRAFT_SAVING, /* being written */
  FK_INTAKE_DRAFT_SAVED,  /* on disk, as the model is */
} FkIntakeDraftState;

#define FK_TYPE_INTAKE_DRAFT_STATE (fk_intake_draft_state_get_type ())
GType fk_intake_draft_state_get_type (void);

/* The consent texts are core's (fk-consent-text.h): the commune's office
 * shows the same words. */
typedef FkConsentText FkIntakeConsentText;

#define FK_INTAKE_CONSENT_TEXT_VERSION FK_CONSENT_TEXT_VERSION

guint fk_intake_get_n_consent_texts (void);
const FkIntakeConsentText *fk_intake_get_consent_text (guint index);

#define FK_TYPE_INTAKE (fk_intake_get_type ())
G_DECLARE_FINAL_TYPE (FkIntake, fk_intake, FK, INTAKE, GObject)

FkIntake *fk_intake_new (FkStore *store, FkCatalog *catalog);

FkStore *fk_intake_get_store (FkIntake *self);
void fk_intake_set_store (FkIntake *self, FkStore *store);
FkCatalog *fk_intake_get_catalog (FkIntake *self);
void fk_intake_set_catalog (FkIntake *self, FkCatalog *catalog);
const char *fk_intake_get_resume_notice (FkIntake *self);
FkVisit *fk_intake_get_visit (FkIntake *self);
void fk_intake_set_visit (FkIntake *self, FkVisit *visit);

/* Steps */
FkIntakeStep fk_intake_get_step (FkIntake *self);
void fk_intake_set_step (FkIntake *self, FkIntakeStep step);
gboolean fk_intake_validate_step (FkIntake *self, FkIntakeStep step, GError **error);
gboolean fk_intake_next (FkIntake *self, GError **error);
gboolean fk_intake_previous (FkIntake *self);
void fk_intake_reset (FkIntake *self);

/* Identity */
FkCccdCard *fk_intake_get_card (FkIntake *self);
void fk_intake_read_card (FkIntake *self, FkCccdCard *card);
void fk_intake_type_in (FkIntake *self);
FkCitizen *fk_intake_get_citizen (FkIntake *self);

/* The card's chip (fk-intake-chip.c) */

/**
 * FkIntakeChipValue:
 * @name: a member of the citizen ("full_name", "address", …) or a field of
 *   the procedure's form
 * @value: what the chip gives, as the model would hold it (an answer as
 *   typed: a date day/month/year, a choice as its value)
 * @current: (nullable): what the model holds now
 *
 * A value the chip proposes; the officer takes it or not.
 */
typedef struct
{
  char *name;
  char *value;
  char *current;
} FkIntakeChipValue;

void fk_intake_chip_value_free (FkIntakeChipValue *value);

gboolean fk_intake_get_chip_reader (FkIntake *self);
void fk_intake_set_chip_reader (FkIntake *self, gboolean present);
FkChipData *fk_intake_get_chip (FkIntake *self);
FkChipPa fk_intake_get_chip_pa (FkIntake *self, FkChipPaReason *out_reason);
void fk_intake_set_chip (FkIntake *self, FkChipData *chip);
GPtrArray *fk_intake_get_chip_mismatches (FkIntake *self);
GPtrArray *fk_intake_dup_chip_identity (FkIntake *self);
gboolean fk_intake_accept_chip_identity (FkIntake *self);
GPtrArray *fk_intake_dup_chip_answers (FkIntake *self);
guint fk_intake_accept_chip_answers (FkIntake *self);
GBytes *fk_intake_get_portrait (FkIntake *self, const char **out_mime_type);
gboolean fk_intake_get_reading_chip (FkIntake *self);
void fk_intake_read_chip_async (FkIntake *self, FkCardReader *reader, const char *expiry,
                                gboolean no_expiry, const char *trust, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
gboolean fk_intake_read_chip_finish (FkIntake *self, GAsyncResult *result, FkCardReadStats *stats,
                                     GError **error);

/* Procedure and its form */
FkProcedure *fk_intake_get_procedure (FkIntake *self);
gboolean fk_intake_set_procedure (FkIntake *self, const char *code);
const char *fk_intake_get_answer (FkIntake *self, const char *field);
void fk_intake_set_answer (FkIntake *self, const char *field, const char *value);
JsonObject *fk_intake_collect_fields (FkIntake *self, GError **error);

/* Papers */
GBytes *fk_intake_get_photo (FkIntake *self, const char *document, FkDocIssue *out_issues);
void fk_intake_set_photo (FkIntake *self, const char *document, GBytes *jpeg, FkDocIssue issues);
guint fk_intake_get_n_photos (FkIntake *self);
void fk_intake_add_photo_async (FkIntake *self, const char *document, FkGrayImage *luma,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data);
gboolean fk_intake_add_photo_finish (FkIntake *self, GAsyncResult *result, FkDocIssue *out_issues,
                                     GError **error);

/* Fingerprint */
GBytes *fk_intake_get_fingerprint_template (FkIntake *self);
GBytes *fk_intake_get_fingerprint_image (FkIntake *self);
void fk_intake_set_fingerprint (FkIntake *self, GBytes *template, GBytes *image);

/* Consents */
gboolean fk_intake_get_consent (FkIntake *self, const char *purpose);
void fk_intake_set_consent (FkIntake *self, const char *purpose, gboolean granted);
const char *fk_intake_get_consent_read_aloud (FkIntake *self, const char *purpose);
void fk_intake_set_consent_read_aloud (FkIntake *self, const char *purpose, const char *read_by);

/* Draft and commit */
const char *fk_intake_get_draft_id (FkIntake *self);
FkIntakeDraftState fk_intake_get_draft_state (FkIntake *self);
void fk_intake_save_draft (FkIntake *self);
void fk_intake_resume_async (FkIntake *self, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
gboolean fk_intake_resume_finish (FkIntake *self, GAsyncResult *result, GError **error);
void fk_intake_discard_async (FkIntake *self, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data);
gboolean fk_intake_discard_finish (FkIntake *self, GAsyncResult *result, GError **error);
gboolean fk_intake_get_committing (FkIntake *self);
void fk_intake_commit_async (FkIntake *self, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
char *fk_intake_commit_finish (FkIntake *self, GAsyncResult *result, GError **error);
const char *fk_intake_get_dossier_id (FkIntake *self);

G_END_DECLS
