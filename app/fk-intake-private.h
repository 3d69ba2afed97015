/* fk-intake-private.h: what the files of FkIntake share
 *
 * fk-intake.c holds the object, its properties, the identity, the
 * consents and the steps' checks; fk-intake-form.c the procedure and its
 * answers; fk-intake-papers.c the photos and the fingerprint;
 * fk-intake-draft.c writes and reads the draft; fk-intake-commit.c seals
 * the dossier; fk-intake-store.c is the only code that calls the store's
 * dossier and draft API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-dossier.h"
#include "fk-intake.h"

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
  GHashTable *answers;  /* field → value as entered (choice: its value; boolean: "true") */
  GHashTable *photos;   /* document code → FkIntakePhoto */
  GHashTable *consents; /* purpose → GINT_TO_POINTER (granted) */
  GBytes *fp_template;
  GBytes *fp_image;

  char *draft_id;
  FkIntakeDraftState draft_state;
  guint generation;     /* one more on every reset: an older draft is not this one */
  gboolean draft_busy;  /* a draft is being written */
  gboolean draft_again; /* and the model changed since it was taken */
  GTask *after_draft;   /* a commit or a discard waiting for that write */
  gboolean committing;
  char *dossier_id;
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
  PROP_CONSENTS,
  PROP_DRAFT_ID,
  PROP_DRAFT_STATE,
  PROP_COMMITTING,
  PROP_DOSSIER_ID,
  N_PROPS
};

extern GParamSpec *fk_intake_properties[N_PROPS];

void fk_intake_notify (FkIntake *self, guint prop_id);
gboolean fk_intake_store_ready (FkIntake *self);
gboolean fk_intake_check_procedure (FkIntake *self, GError **error);
void fk_intake_photo_free (FkIntakePhoto *photo);

/* fk-intake-draft.c */
JsonObject *fk_intake_draft_to_json (FkIntake *self);
FkIntakeStep fk_intake_draft_apply (FkIntake *self, const char *id, JsonObject *draft);
void fk_intake_set_draft_state (FkIntake *self, FkIntakeDraftState state);

/* fk-intake-commit.c */
void fk_intake_commit_now (FkIntake *self, GTask *task);
void fk_intake_discard_now (FkIntake *self, GTask *task);

/* fk-intake-store.c: the store's dossier and draft API, behind the few
 * calls the model makes. */
void fk_intake_store_save_draft_async (FkStore *store, JsonObject *draft, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
char *fk_intake_store_save_draft_finish (FkStore *store, GAsyncResult *result, GError **error);
void fk_intake_store_load_draft_async (FkStore *store, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
JsonObject *fk_intake_store_load_draft_finish (FkStore *store, GAsyncResult *result, char **out_id,
                                               GError **error);
gboolean fk_intake_store_delete_draft (FkStore *store, const char *id, GError **error);

typedef struct
{
  FkAttachmentKind kind;
  GBytes *bytes;
} FkIntakePart;

void fk_intake_store_commit_async (FkStore *store, FkDossier *dossier, const char *draft_id,
                                   GPtrArray *parts, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
char *fk_intake_store_commit_finish (FkStore *store, GAsyncResult *result, GError **error);

G_END_DECLS
