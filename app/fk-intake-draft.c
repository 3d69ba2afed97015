/* fk-intake-draft.c: the intake's draft, written as the officer goes on
 *
 * From the identity step on (before the procedure is chosen too), every
 * step entered writes the whole model to a draft in the store, sealed there
 * like a dossier; after a crash or a power cut fk_intake_resume_async()
 * opens the newest draft again. Only one write runs at a time: a change
 * during a write is written right after it, and a commit or a discard
 * waits for it (the commit seals the draft by its id).
 *
 * The draft is the intake's one FkDossier (the same id from the first draft
 * to the seal) with what was entered, valid or not: the citizen as typed,
 * the answers as entered as its fields, the consents; the photos (named by
 * their document codes), the chip's portrait and the fingerprint as its
 * attachments; the step, the card's payload, the chip's verdict (not its
 * data: they stay in memory) and the photos' checks as its progress.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-intake-private.h"
#include "fk-outbox.h"

void
fk_intake_set_draft_state (FkIntake *self, FkIntakeDraftState state)
{
  if (self->draft_state == state)
    return;
  self->draft_state = state;
  fk_intake_notify (self, PROP_DRAFT_STATE);
}

/* ---- the model as a draft ------------------------------------------- */

#define TEMPLATE_NAME "fingerprint-template"
#define PRINT_NAME    "fingerprint"

/* The answers as entered, as the draft's fields. */
static JsonObject *
answers_to_fields (FkIntake *self)
{
  JsonObject *fields = json_object_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->answers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    json_object_set_string_member (fields, key, value);
  return fields;
}

/* Every consent as given so far, with the version of its text and who read
 * it aloud. */
static void
put_consents (FkIntake *self, FkDossier *dossier)
{
  for (guint i = 0; i < fk_intake_get_n_consent_texts (); i++)
    {
      const char *purpose = fk_intake_get_consent_text (i)->purpose;
      FkConsent *consent = fk_consent_new (purpose, fk_intake_get_consent (self, purpose),
                                           FK_INTAKE_CONSENT_TEXT_VERSION);

      consent->read_aloud = g_strdup (fk_intake_get_consent_read_aloud (self, purpose));
      /* (transfer full) to the dossier; the same purpose again replaces */
      fk_dossier_add_consent (dossier, consent);
    }
}

/**
 * fk_intake_update_dossier:
 * @fields: (transfer none): the dossier's fields: the answers as entered
 *   for a draft, as collected for the commit
 *
 * Returns: (transfer none): the one dossier of this intake, from the first
 *   draft to the seal (its id turns the draft into the sealed dossier),
 *   holding what the model holds now
 */
FkDossier *
fk_intake_update_dossier (FkIntake *self, JsonObject *fields)
{
  if (self->dossier == NULL)
    self->dossier = fk_dossier_new (NULL, NULL);
  fk_dossier_set_procedure (
    self->dossier, self->procedure != NULL ? fk_procedure_get_code (self->procedure) : NULL);
  fk_dossier_set_citizen (self->dossier, self->citizen);
  fk_dossier_set_fields (self->dossier, fields);
  fk_dossier_set_visit_id (self->dossier,
                           self->visit != NULL ? fk_visit_get_id (self->visit) : NULL);
  fk_dossier_set_catalog_version (
    self->dossier, self->catalog != NULL ? fk_catalog_get_version (self->catalog) : NULL);
  put_consents (self, self->dossier);
  return self->dossier;
}

static void
add_attachment (GPtrArray *attachments, FkAttachmentKind kind, const char *name, GBytes *bytes)
{
  g_ptr_array_add (attachments, fk_store_attachment_new_for_bytes (kind, name, bytes));
}

/**
 * fk_intake_dup_attachments:
 * @consented: only what the citizen agreed to (for the commit); else all
 *   (for a draft)
 *
 * Returns: (transfer full) (element-type FkStoreAttachment): the photos,
 *   named by their document codes in the procedure's order, the chip's
 *   portrait (with the ID card's photo, under "id-card-image"), then the
 *   fingerprint's template and print
 */
GPtrArray *
fk_intake_dup_attachments (FkIntake *self, gboolean consented)
{
  GPtrArray *attachments = fk_store_attachments_new ();
  GPtrArray *documents =
    self->procedure != NULL ? fk_procedure_get_documents (self->procedure) : NULL;

  for (guint i = 0; documents != NULL && i < documents->len; i++)
    {
      const char *code = fk_procedure_document_get_code (g_ptr_array_index (documents, i));
      GBytes *jpeg = fk_intake_get_photo (self, code, NULL);

      if (jpeg == NULL || (consented && g_str_equal (code, FK_INTAKE_APPLICANT_ID_DOCUMENT) &&
                           !fk_intake_get_consent (self, "id-card-image")))
        continue;
      add_attachment (attachments, FK_ATTACHMENT_DOCUMENT, code, jpeg);
    }
  /* the chip's portrait is an image of the ID card's */
  if (self->portrait != NULL && (!consented || fk_intake_get_consent (self, "id-card-image")))
    add_attachment (attachments, FK_ATTACHMENT_PORTRAIT, FK_INTAKE_PORTRAIT_NAME, self->portrait);
  if (self->fp_template == NULL || (consented && !fk_intake_get_consent (self, "biometrics")))
    return attachments;
  add_attachment (attachments, FK_ATTACHMENT_FINGERPRINT_TEMPLATE, TEMPLATE_NAME,
                  self->fp_template);
  if (self->fp_image != NULL)
    add_attachment (attachments, FK_ATTACHMENT_FINGERPRINT, PRINT_NAME, self->fp_image);
  return attachments;
}

/* What the dossier does not hold: the step, the card, the chip's verdict
 * with its portrait's type, the photos' checks. */
static GVariant *
progress_of (FkIntake *self)
{
  g_auto (GVariantBuilder) progress = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_auto (GVariantBuilder) issues = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{su}"));
  GHashTableIter iter;
  gpointer key, value;

  g_variant_builder_add (&progress, "{sv}", "step",
                         g_variant_new_string (fk_intake_step_to_string (self->step)));
  if (self->card != NULL)
    g_variant_builder_add (&progress, "{sv}", "card",
                           g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING,
                                                     fk_cccd_card_get_raw (self->card), TRUE));
  if (self->chip_pa != FK_CHIP_PA_NOT_CHECKED)
    g_variant_builder_add (&progress, "{sv}", "chip",
                           g_variant_new ("(uus)", (guint32) self->chip_pa,
                                          (guint32) self->chip_reason,
                                          self->portrait_mime != NULL ? self->portrait_mime : ""));
  g_hash_table_iter_init (&iter, self->photos);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_variant_builder_add (&issues, "{su}", key, (guint32) ((FkIntakePhoto *) value)->issues);
  g_variant_builder_add (&progress, "{sv}", "photo-issues", g_variant_builder_end (&issues));
  return g_variant_builder_end (&progress);
}

/* The draft's fields, as answers; those the procedure no longer has (the
 * catalog changed since the draft was begun) are added to @dropped. */
static void
apply_fields (FkIntake *self, JsonObject *fields, GPtrArray *dropped)
{
  g_autoptr (GList) names = fields != NULL ? json_object_get_members (fields) : NULL;

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (fields, l->data);

      if (self->procedure != NULL && fk_procedure_find_field (self->procedure, l->data) == NULL)
        g_ptr_array_add (dropped, l->data);
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        fk_intake_set_answer (self, l->data, json_node_get_string (node));
    }
}

/* What of the draft the catalog in use no longer has, for the officer. */
static char *
catalog_changes (FkIntake *self, FkDossier *dossier, gboolean procedure_gone, GPtrArray *dropped)
{
  const char *version = self->catalog != NULL ? fk_catalog_get_version (self->catalog) : "";

  if (procedure_gone)
    return g_strdup_printf (_ ("This unfinished dossier was begun for the procedure “%s”, which "
                               "the procedure catalog in use (version %s) no longer has: choose "
                               "the procedure again."),
                            fk_dossier_get_procedure (dossier), version);
  if (dropped->len > 0)
    {
      g_autofree char *list = NULL;

      g_ptr_array_add (dropped, NULL);
      list = g_strjoinv (", ", (char **) dropped->pdata);
      return g_strdup_printf (_ ("The procedure catalog in use (version %s) no longer asks for "
                                 "%s: what was entered there is left out."),
                              version, list);
    }
  return NULL;
}

static void
apply_consents (FkIntake *self, FkDossier *dossier)
{
  for (guint i = 0; i < fk_intake_get_n_consent_texts (); i++)
    {
      const char *purpose = fk_intake_get_consent_text (i)->purpose;
      const FkConsent *consent = fk_dossier_find_consent (dossier, purpose);

      fk_intake_set_consent (self, purpose, consent != NULL && consent->granted);
      fk_intake_set_consent_read_aloud (self, purpose,
                                        consent != NULL ? consent->read_aloud : NULL);
    }
}

static void
apply_attachments (FkIntake *self, GPtrArray *attachments, GVariant *progress)
{
  g_autoptr (GVariant) issues =
    progress != NULL ? g_variant_lookup_value (progress, "photo-issues", G_VARIANT_TYPE ("a{su}"))
                     : NULL;
  GBytes *template = NULL, *image = NULL, *portrait = NULL;
  guint32 pa = FK_CHIP_PA_NOT_CHECKED, reason = FK_CHIP_PA_REASON_NONE;
  const char *mime = NULL;

  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      FkStoreAttachment *attachment = g_ptr_array_index (attachments, i);
      const char *name = fk_store_attachment_get_name (attachment);
      GBytes *bytes = fk_store_attachment_get_bytes (attachment);
      guint32 found = FK_DOC_ISSUE_NONE;

      switch (fk_store_attachment_get_kind (attachment))
        {
          case FK_ATTACHMENT_DOCUMENT:
            if (name == NULL || bytes == NULL)
              break;
            if (issues != NULL)
              g_variant_lookup (issues, name, "u", &found);
            fk_intake_set_photo (self, name, bytes, (FkDocIssue) found);
            break;
          case FK_ATTACHMENT_FINGERPRINT_TEMPLATE:
            template = bytes;
            break;
          case FK_ATTACHMENT_FINGERPRINT:
            image = bytes;
            break;
          case FK_ATTACHMENT_PORTRAIT:
            portrait = bytes;
            break;
          case FK_ATTACHMENT_RECEIPT:
          default:
            break;
        }
    }
  fk_intake_set_fingerprint (self, template, image);
  if (progress != NULL && g_variant_lookup (progress, "chip", "(uu&s)", &pa, &reason, &mime) &&
      pa <= FK_CHIP_PA_FAILED && reason <= FK_CHIP_PA_REASON_MALFORMED)
    fk_intake_set_chip_outcome (self, pa, reason, pa != FK_CHIP_PA_FAILED ? portrait : NULL, mime);
}

static void
apply_card (FkIntake *self, GVariant *progress)
{
  g_autoptr (GVariant) raw =
    progress != NULL ? g_variant_lookup_value (progress, "card", G_VARIANT_TYPE_BYTESTRING) : NULL;
  g_autoptr (FkCccdCard) card = NULL;

  if (raw != NULL)
    card = fk_cccd_parse (g_variant_get_data (raw), g_variant_get_size (raw));
  if (g_set_object (&self->card, card))
    fk_intake_notify (self, PROP_CARD);
}

/* The step to go back to: the one saved, unless an earlier one is no
 * longer complete (what the later steps show was computed from it). */
static FkIntakeStep
resume_step (FkIntake *self, GVariant *progress)
{
  const char *name = "form";
  FkIntakeStep step = FK_INTAKE_STEP_SCAN;

  if (progress != NULL)
    g_variant_lookup (progress, "step", "&s", &name);
  if (!fk_intake_step_from_string (name, &step) || step == FK_INTAKE_STEP_RECEIPT)
    step = FK_INTAKE_STEP_SCAN;
  /* the chip's data were not kept: its outcome is, on to the identity */
  if (step == FK_INTAKE_STEP_CHIP)
    step = FK_INTAKE_STEP_IDENTITY;
  if (step > FK_INTAKE_STEP_IDENTITY &&
      !fk_intake_validate_step (self, FK_INTAKE_STEP_IDENTITY, NULL))
    return FK_INTAKE_STEP_IDENTITY;
  if (step > FK_INTAKE_STEP_PROCEDURE && self->procedure == NULL)
    return FK_INTAKE_STEP_PROCEDURE;
  if (step > FK_INTAKE_STEP_FORM && !fk_intake_validate_step (self, FK_INTAKE_STEP_FORM, NULL))
    return FK_INTAKE_STEP_FORM;
  return step;
}

/* Returns: (nullable): what of the resumed draft the catalog in use no
 * longer has (a procedure, fields), translated */
const char *
fk_intake_get_resume_notice (FkIntake *self)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), NULL);
  return self->resume_notice;
}

void
fk_intake_set_resume_notice (FkIntake *self, const char *notice)
{
  if (g_strcmp0 (self->resume_notice, notice) == 0)
    return;
  g_free (self->resume_notice);
  self->resume_notice = g_strdup (notice);
  fk_intake_notify (self, PROP_RESUME_NOTICE);
}

/**
 * fk_intake_draft_apply:
 * @dossier: (transfer none): the draft as the store gave it back
 * @attachments: (element-type FkStoreAttachment) (nullable): its attachments
 * @progress: (nullable): its progress (a{sv})
 *
 * A draft begun under an older catalog opens all the same: a procedure
 * the catalog in use no longer has is to be chosen again, answers to
 * fields it no longer has are left out; "resume-notice" says which.
 *
 * Returns: the step to resume at
 */
FkIntakeStep
fk_intake_draft_apply (FkIntake *self, FkDossier *dossier, GPtrArray *attachments,
                       GVariant *progress)
{
  const char *procedure = fk_dossier_get_procedure (dossier);
  FkCitizen *citizen = fk_dossier_get_citizen (dossier);
  g_autoptr (GPtrArray) dropped = g_ptr_array_new ();
  g_autofree char *notice = NULL;
  gboolean procedure_gone = FALSE;

  /* Saved before the procedure was chosen: the identity alone. */
  if (procedure != NULL && *procedure != '\0' && !fk_intake_set_procedure (self, procedure))
    procedure_gone = TRUE;
  g_set_object (&self->dossier, dossier);
  g_free (self->draft_id);
  self->draft_id = g_strdup (fk_dossier_get_id (dossier));
  fk_intake_notify (self, PROP_DRAFT_ID);
  apply_card (self, progress);
  g_clear_object (&self->citizen);
  self->citizen = citizen != NULL ? g_object_ref (citizen) : fk_citizen_new ();
  fk_intake_notify (self, PROP_CITIZEN);
  if (!procedure_gone)
    apply_fields (self, fk_dossier_get_fields (dossier), dropped);
  apply_consents (self, dossier);
  apply_attachments (self, attachments, progress);
  notice = catalog_changes (self, dossier, procedure_gone, dropped);
  fk_intake_set_resume_notice (self, notice);
  return resume_step (self, progress);
}

/* ---- writing --------------------------------------------------------- */

typedef struct
{
  FkIntake *self;
  char *id;
  guint generation;
} DraftWrite;

static void
draft_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  DraftWrite *write = user_data;
  g_autoptr (FkIntake) self = write->self;
  g_autofree char *id = write->id;
  g_autoptr (GError) error = NULL;
  gboolean saved = fk_store_save_draft_finish (FK_STORE (source), result, &error);
  g_autoptr (GTask) waiting = g_steal_pointer (&self->after_draft);

  self->draft_busy = FALSE;
  if (!saved)
    g_warning ("The draft was not saved: %s", error->message);
  /* Reset meanwhile: that draft was of the citizen before. */
  else if (self->draft_id == NULL && write->generation == self->generation)
    {
      self->draft_id = g_steal_pointer (&id);
      fk_intake_notify (self, PROP_DRAFT_ID);
    }
  g_free (write);
  fk_intake_set_draft_state (self, saved && !self->draft_again ? FK_INTAKE_DRAFT_SAVED
                                                               : FK_INTAKE_DRAFT_NONE);
  if (waiting != NULL && g_task_get_source_tag (waiting) == fk_intake_discard_async)
    {
      self->draft_again = FALSE;
      fk_intake_discard_now (self, waiting);
    }
  else if (waiting != NULL)
    fk_intake_commit_now (self, waiting);
  else if (self->draft_again)
    {
      self->draft_again = FALSE;
      fk_intake_save_draft (self);
    }
}

/**
 * fk_intake_save_draft:
 *
 * Writes the model to its draft in the store, unless the wizard is on its
 * first step (nothing is worth keeping yet), the store is locked, or the
 * dossier is being sealed. Entering a step calls it; "draft-state" and
 * "draft-id" follow the write. The store encrypts it in a worker thread.
 */
void
fk_intake_save_draft (FkIntake *self)
{
  g_autoptr (JsonObject) fields = NULL;
  g_autoptr (GPtrArray) attachments = NULL;
  FkDossier *dossier;
  DraftWrite *write;

  g_return_if_fail (FK_IS_INTAKE (self));

  if (self->step == FK_INTAKE_STEP_SCAN || !fk_intake_store_ready (self) || self->committing)
    return;
  if (self->draft_busy)
    {
      self->draft_again = TRUE;
      return;
    }
  self->draft_busy = TRUE;
  fk_intake_set_draft_state (self, FK_INTAKE_DRAFT_SAVING);
  fields = answers_to_fields (self);
  dossier = fk_intake_update_dossier (self, fields);
  attachments = fk_intake_dup_attachments (self, FALSE);
  write = g_new0 (DraftWrite, 1);
  write->self = g_object_ref (self);
  write->id = g_strdup (fk_dossier_get_id (dossier));
  write->generation = self->generation;
  fk_store_save_draft_async (self->store, dossier, attachments, progress_of (self), NULL,
                             draft_written, write);
}

/* ---- reading back ---------------------------------------------------- */

static void
draft_resumed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  FkIntake *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) attachments = NULL;
  g_autoptr (GVariant) progress = NULL;
  g_autoptr (FkDossier) dossier =
    fk_store_resume_draft_finish (FK_STORE (source), result, &attachments, &progress, &error);
  FkIntakeStep step;

  if (dossier == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  step = fk_intake_draft_apply (self, dossier, attachments, progress);
  fk_intake_set_step (self, step);
  g_task_return_boolean (task, TRUE);
}

/**
 * fk_intake_resume_async:
 *
 * Opens the newest draft in the store, decrypted off the main loop, and
 * goes to the step it was saved at (or the first earlier one that is no
 * longer complete). Meant for a model just made or reset: what the draft
 * holds is laid over the model.
 */
void
fk_intake_resume_async (FkIntake *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GPtrArray) drafts = NULL;
  GError *error = NULL;
  const FkOutboxEntry *newest;

  g_return_if_fail (FK_IS_INTAKE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_intake_resume_async);
  if (!fk_intake_store_ready (self))
    {
      g_task_return_new_error (task, FK_INTAKE_ERROR, FK_INTAKE_ERROR_NOT_READY, "%s",
                               _ ("The store is locked: enter the PIN first."));
      return;
    }
  /* The list holds no personal data: it is read here, the draft is
   * decrypted in the store's worker thread. */
  drafts = fk_outbox_list (self->store, FK_OUTBOX_DRAFT, &error);
  if (drafts == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (drafts->len == 0)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  /* The newest: the one a crash or a power cut left. */
  newest = g_ptr_array_index (drafts, drafts->len - 1);
  fk_store_resume_draft_async (self->store, newest->id, cancellable, draft_resumed,
                               g_steal_pointer (&task));
}

/**
 * fk_intake_resume_finish:
 *
 * Returns: %TRUE when a draft was opened (fk_intake_get_resume_notice()
 *   says what of it the catalog in use no longer has); %FALSE without
 *   @error when there was none, with @error when it could not be read
 */
gboolean
fk_intake_resume_finish (FkIntake *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_intake_resume_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
