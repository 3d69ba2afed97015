/* fk-intake-private.h: what the files of FkIntake share
 *
 * fk-intake.c holds the object, its properties, the identity and the
 * steps' checks; fk-intake-consents.c the consents and who read them
 * aloud; fk-intake-chip.c the card's chip, its portrait and the values it
 * proposes; fk-intake-form.c the procedure and its answers;
 * fk-intake-papers.c the photos and the fingerprint; fk-intake-draft.c
 * writes and reads the draft; fk-intake-commit.c seals the dossier or
 * discards the draft. They are the only code of the app that calls the
 * store's dossier and draft API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-dossier.h"
#include "fk-intake.h"
#include "fk-store-attachment.h"

G_BEGIN_DECLS

typedef struct
{
  GBytes *jpeg;
  FkDocIssue issues;
} FkIntakePhoto;

struct _FkIntake
{
  GObject parent_instance;

  FkStore *store;
  FkCatalog *catalog;
  FkVisit *visit;

  FkIntakeStep step;
  FkCccdCard *card;
  FkCitizen *citizen; /* never NULL; edited in place, replaced by a card or a reset */
  FkProcedure *procedure;
  GHashTable *answers;    /* field → value as entered (choice: its value; boolean: "true") */
  GHashTable *photos;     /* document code → FkIntakePhoto */
  GHashTable *consents;   /* purpose → GINT_TO_POINTER (granted) */
  GHashTable *read_aloud; /* purpose → FK_CONSENT_READ_BY_DEVICE or _OFFICER */
  GBytes *fp_template;
  GBytes *fp_image;

  gboolean chip_reader; /* a card reader is plugged in: the chip step is offered */
  FkChipData *chip;     /* in memory only; NULL when not read, or refused as forged */
  FkChipPa chip_pa;     /* NOT_CHECKED until a chip is read */
  FkChipPaReason chip_reason;
  GPtrArray *chip_mismatches; /* members where chip and QR code differ (static strings) */
  GBytes *portrait;           /* as the chip gave it */
  char *portrait_mime;
  gboolean reading_chip;

  FkDossier *dossier; /* drafted and sealed under one id; NULL before the first draft */
  char *draft_id;     /* the dossier's id, once its draft is in the store */
  FkIntakeDraftState draft_state;
  guint generation;     /* one more on every reset: an older draft is not this one */
  gboolean draft_busy;  /* a draft is being written */
  gboolean draft_again; /* and the model changed since it was taken */
  GTask *after_draft;   /* a commit or a discard waiting for that write */
  gboolean committing;
  char *dossier_id;
  char *resume_notice; /* what of the resumed draft the catalog no longer has */
};

enum
{
  PROP_0,
  PROP_STORE,
  PROP_CATALOG,
  PROP_VISIT,
  PROP_STEP,
  PROP_CARD,
  PROP_CITIZEN,
  PROP_PROCEDURE,
  PROP_ANSWERS,
  PROP_PHOTOS,
  PROP_FINGERPRINT_TEMPLATE,
  PROP_FINGERPRINT_IMAGE,
  PROP_CHIP_READER,
  PROP_CHIP,
  PROP_PORTRAIT,
  PROP_READING_CHIP,
  PROP_CONSENTS,
  PROP_DRAFT_ID,
  PROP_DRAFT_STATE,
  PROP_COMMITTING,
  PROP_DOSSIER_ID,
  PROP_RESUME_NOTICE,
  N_PROPS
};

extern GParamSpec *fk_intake_properties[N_PROPS];

void fk_intake_set_resume_notice (FkIntake *self, const char *notice);

void fk_intake_notify (FkIntake *self, guint prop_id);
gboolean fk_intake_store_ready (FkIntake *self);
gboolean fk_intake_check_procedure (FkIntake *self, GError **error);
void fk_intake_photo_free (FkIntakePhoto *photo);

#define FK_INTAKE_APPLICANT_ID_DOCUMENT "applicant-id"
#define FK_INTAKE_PORTRAIT_NAME         "portrait"

/* fk-intake-chip.c */
void fk_intake_clear_chip (FkIntake *self);
void fk_intake_set_chip_outcome (FkIntake *self, FkChipPa pa, FkChipPaReason reason,
                                 GBytes *portrait, const char *mime_type);
FkIntakeStep fk_intake_step_after (FkIntake *self, FkIntakeStep step);
FkIntakeStep fk_intake_step_before (FkIntake *self, FkIntakeStep step);

/* fk-intake-draft.c */
void fk_intake_set_draft_state (FkIntake *self, FkIntakeDraftState state);
FkDossier *fk_intake_update_dossier (FkIntake *self, JsonObject *fields);
GPtrArray *fk_intake_dup_attachments (FkIntake *self, gboolean consented);
FkIntakeStep fk_intake_draft_apply (FkIntake *self, FkDossier *dossier, GPtrArray *attachments,
                                    GVariant *progress);

/* fk-intake-commit.c */
void fk_intake_commit_now (FkIntake *self, GTask *task);
void fk_intake_discard_now (FkIntake *self, GTask *task);

G_END_DECLS
