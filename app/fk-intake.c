/* fk-intake.c: one citizen's intake, from the ID card to the sealed dossier
 *
 * The model of the intake wizard, without a widget: the card and the
 * citizen, the procedure and the answers to its form, the photos of the
 * papers with their quality check, the fingerprint, the consents and the
 * step the officer is at. Pages show it and edit it; every change is a
 * property with its notify, so a page follows the model instead of holding
 * a copy.
 *
 * Invariants:
 * - the citizen is never NULL; a card read or a reset replaces it (notify
 *   "citizen"), typing edits it in place (the citizen's own notify);
 * - notifications come in the order of the changes (no freezing): a page
 *   sees the new citizen before the step that shows it;
 * - notify::step is emitted every time a step is entered, even the same one
 *   again; entering any step but the first and the receipt writes the draft
 *   (fk-intake-draft.c), sealed by the store like a dossier;
 * - the checks of a step return FK_INTAKE_ERROR with a code that says what
 *   is wrong, and a translated message that can be shown as it is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-intake-private.h"

G_DEFINE_QUARK (fk - intake - error - quark, fk_intake_error)

G_DEFINE_ENUM_TYPE (FkIntakeStep, fk_intake_step, G_DEFINE_ENUM_VALUE (FK_INTAKE_STEP_SCAN, "scan"),
                    G_DEFINE_ENUM_VALUE (FK_INTAKE_STEP_CHIP, "chip"),
                    G_DEFINE_ENUM_VALUE (FK_INTAKE_STEP_IDENTITY, "identity"),
                    G_DEFINE_ENUM_VALUE (FK_INTAKE_STEP_PROCEDURE, "procedure"),
                    G_DEFINE_ENUM_VALUE (FK_INTAKE_STEP_FORM, "form"),
                    G_DEFINE_ENUM_VALUE (FK_INTAKE_STEP_PHOTOS, "photos"),
                    G_DEFINE_ENUM_VALUE (FK_INTAKE_STEP_FINGERPRINT, "fingerprint"),
                    G_DEFINE_ENUM_VALUE (FK_INTAKE_STEP_CONSENT, "consent"),
                    G_DEFINE_ENUM_VALUE (FK_INTAKE_STEP_REVIEW, "review"),
                    G_DEFINE_ENUM_VALUE (FK_INTAKE_STEP_RECEIPT, "receipt"))

G_DEFINE_ENUM_TYPE (FkIntakeDraftState, fk_intake_draft_state,
                    G_DEFINE_ENUM_VALUE (FK_INTAKE_DRAFT_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (FK_INTAKE_DRAFT_SAVING, "saving"),
                    G_DEFINE_ENUM_VALUE (FK_INTAKE_DRAFT_SAVED, "saved"))

static const char *const step_names[FK_INTAKE_N_STEPS] = {
  "scan",   "chip",        "identity", "procedure", "form",
  "photos", "fingerprint", "consent",  "review",    "receipt",
};

/**
 * fk_intake_step_to_string:
 *
 * Returns: (transfer none): the step's name ("scan", "identity", …), as
 *   drafts record it and pages name their views
 */
const char *
fk_intake_step_to_string (FkIntakeStep step)
{
  g_return_val_if_fail (step < FK_INTAKE_N_STEPS, NULL);
  return step_names[step];
}

gboolean
fk_intake_step_from_string (const char *name, FkIntakeStep *step)
{
  for (guint i = 0; name != NULL && i < FK_INTAKE_N_STEPS; i++)
    if (g_str_equal (step_names[i], name))
      {
        *step = (FkIntakeStep) i;
        return TRUE;
      }
  return FALSE;
}

G_DEFINE_FINAL_TYPE (FkIntake, fk_intake, G_TYPE_OBJECT)

GParamSpec *fk_intake_properties[N_PROPS];

void
fk_intake_notify (FkIntake *self, guint prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), fk_intake_properties[prop_id]);
}

void
fk_intake_photo_free (FkIntakePhoto *photo)
{
  g_bytes_unref (photo->jpeg);
  g_free (photo);
}

/**
 * fk_intake_new:
 * @store: (nullable): the device store; drafts and the commit need it
 *   unlocked
 * @catalog: the procedures
 *
 * Returns: (transfer full): an intake at its first step
 */
FkIntake *
fk_intake_new (FkStore *store, FkCatalog *catalog)
{
  return g_object_new (FK_TYPE_INTAKE, "store", store, "catalog", catalog, NULL);
}

/* Whether drafts and the commit can reach the store now. */
gboolean
fk_intake_store_ready (FkIntake *self)
{
  return self->store != NULL && fk_store_is_unlocked (self->store);
}

/* ---- context --------------------------------------------------------- */

/* Returns: (transfer none) (nullable) */
FkStore *
fk_intake_get_store (FkIntake *self)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), NULL);
  return self->store;
}

void
fk_intake_set_store (FkIntake *self, FkStore *store)
{
  g_return_if_fail (FK_IS_INTAKE (self));
  if (g_set_object (&self->store, store))
    fk_intake_notify (self, PROP_STORE);
}

/**
 * fk_intake_set_catalog:
 * @catalog: (nullable): the procedures to offer
 *
 * A newer catalog for the next dossier. A procedure already chosen stays
 * as it was chosen until the wizard starts over.
 */
void
fk_intake_set_catalog (FkIntake *self, FkCatalog *catalog)
{
  g_return_if_fail (FK_IS_INTAKE (self));
  if (g_set_object (&self->catalog, catalog))
    fk_intake_notify (self, PROP_CATALOG);
}

/* Returns: (transfer none) (nullable) */
FkCatalog *
fk_intake_get_catalog (FkIntake *self)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), NULL);
  return self->catalog;
}

/* Returns: (transfer none) (nullable): the visit the dossier is taken on */
FkVisit *
fk_intake_get_visit (FkIntake *self)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), NULL);
  return self->visit;
}

void
fk_intake_set_visit (FkIntake *self, FkVisit *visit)
{
  g_return_if_fail (FK_IS_INTAKE (self));
  if (g_set_object (&self->visit, visit))
    fk_intake_notify (self, PROP_VISIT);
}

/* ---- steps ----------------------------------------------------------- */

FkIntakeStep
fk_intake_get_step (FkIntake *self)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), FK_INTAKE_STEP_SCAN);
  return self->step;
}

/**
 * fk_intake_set_step:
 *
 * Enters @step without checking the steps before it (a resumed draft, the
 * officer going back). Entering a step writes the draft, except on the
 * first step and on the receipt.
 */
void
fk_intake_set_step (FkIntake *self, FkIntakeStep step)
{
  g_return_if_fail (FK_IS_INTAKE (self));
  g_return_if_fail (step < FK_INTAKE_N_STEPS);

  self->step = step;
  if (step != FK_INTAKE_STEP_RECEIPT)
    fk_intake_save_draft (self);
  fk_intake_notify (self, PROP_STEP);
}

static const FkIntakeError member_errors[] = {
  [FK_CITIZEN_MEMBER_NONE] = FK_INTAKE_ERROR_FULL_NAME,
  [FK_CITIZEN_MEMBER_ID_NUMBER] = FK_INTAKE_ERROR_ID_NUMBER,
  [FK_CITIZEN_MEMBER_OLD_ID] = FK_INTAKE_ERROR_OLD_ID,
  [FK_CITIZEN_MEMBER_FULL_NAME] = FK_INTAKE_ERROR_FULL_NAME,
  [FK_CITIZEN_MEMBER_BIRTH_DATE] = FK_INTAKE_ERROR_BIRTH_DATE,
  [FK_CITIZEN_MEMBER_SEX] = FK_INTAKE_ERROR_SEX,
  [FK_CITIZEN_MEMBER_ISSUE_DATE] = FK_INTAKE_ERROR_ISSUE_DATE,
  [FK_CITIZEN_MEMBER_ADDRESS] = FK_INTAKE_ERROR_ADDRESS,
  [FK_CITIZEN_MEMBER_COMMUNE] = FK_INTAKE_ERROR_COMMUNE,
  [FK_CITIZEN_MEMBER_PHONE] = FK_INTAKE_ERROR_PHONE,
  [FK_CITIZEN_MEMBER_ETHNICITY] = FK_INTAKE_ERROR_ETHNICITY,
};

static gboolean
check_identity (FkIntake *self, GError **error)
{
  FkCitizenMember member = FK_CITIZEN_MEMBER_NONE;
  g_autoptr (GError) local = NULL;

  if (fk_citizen_check (self->citizen, &member, &local))
    return TRUE;
  g_set_error_literal (error, FK_INTAKE_ERROR, member_errors[member], local->message);
  return FALSE;
}

gboolean
fk_intake_check_procedure (FkIntake *self, GError **error)
{
  if (self->procedure != NULL)
    return TRUE;
  g_set_error_literal (error, FK_INTAKE_ERROR, FK_INTAKE_ERROR_NO_PROCEDURE,
                       _ ("Choose the procedure first."));
  return FALSE;
}

static gboolean
check_photos (FkIntake *self, GError **error)
{
  GPtrArray *documents;

  if (!fk_intake_check_procedure (self, error))
    return FALSE;
  documents = fk_procedure_get_documents (self->procedure);
  for (guint i = 0; i < documents->len; i++)
    {
      const FkProcedureDocument *doc = g_ptr_array_index (documents, i);

      if (fk_procedure_document_get_required (doc) &&
          !g_hash_table_contains (self->photos, fk_procedure_document_get_code (doc)))
        {
          g_set_error (error, FK_INTAKE_ERROR, FK_INTAKE_ERROR_PHOTO_MISSING,
                       _ ("Take a photo of “%s” first."), fk_procedure_document_get_title (doc));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_consents (FkIntake *self, GError **error)
{
  for (guint i = 0; i < fk_consent_text_get_n (); i++)
    {
      const FkConsentText *text = fk_consent_text_get (i);

      if (text->required && !fk_intake_get_consent (self, text->purpose))
        {
          g_set_error (error, FK_INTAKE_ERROR, FK_INTAKE_ERROR_CONSENT_MISSING,
                       _ ("Without consent to “%s” the dossier cannot be taken."), _ (text->title));
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * fk_intake_validate_step:
 * @step: the step whose entries to check
 * @error: return location for an %FK_INTAKE_ERROR
 *
 * Returns: whether what @step asks for is there and right, so the wizard
 *   may go on
 */
gboolean
fk_intake_validate_step (FkIntake *self, FkIntakeStep step, GError **error)
{
  g_autoptr (JsonObject) fields = NULL;

  g_return_val_if_fail (FK_IS_INTAKE (self), FALSE);

  switch (step)
    {
      case FK_INTAKE_STEP_IDENTITY:
        return check_identity (self, error);
      case FK_INTAKE_STEP_PROCEDURE:
        return fk_intake_check_procedure (self, error);
      case FK_INTAKE_STEP_FORM:
        fields = fk_intake_collect_fields (self, error);
        return fields != NULL;
      case FK_INTAKE_STEP_PHOTOS:
        return check_photos (self, error);
      case FK_INTAKE_STEP_CONSENT:
        return check_consents (self, error);
      case FK_INTAKE_STEP_SCAN:
      case FK_INTAKE_STEP_CHIP: /* the chip may be skipped */
      case FK_INTAKE_STEP_FINGERPRINT:
      case FK_INTAKE_STEP_REVIEW:
      case FK_INTAKE_STEP_RECEIPT:
      default:
        return TRUE;
    }
}

/**
 * fk_intake_next:
 *
 * Checks the current step and goes to the next one; the review is the
 * last step reached this way (the receipt follows the commit).
 *
 * Returns: %FALSE with @error when the current step is not complete
 */
gboolean
fk_intake_next (FkIntake *self, GError **error)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), FALSE);

  if (!fk_intake_validate_step (self, self->step, error))
    return FALSE;
  if (self->step + 1 < FK_INTAKE_STEP_RECEIPT)
    fk_intake_set_step (self, fk_intake_step_after (self, self->step));
  return TRUE;
}

/**
 * fk_intake_previous:
 *
 * Returns: %FALSE on the first step, where there is nothing before
 */
gboolean
fk_intake_previous (FkIntake *self)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), FALSE);

  if (self->step == FK_INTAKE_STEP_SCAN)
    return FALSE;
  fk_intake_set_step (self, fk_intake_step_before (self, self->step));
  return TRUE;
}

/**
 * fk_intake_reset:
 *
 * Forgets the citizen (the next one comes), back at the first step. A
 * draft already written stays in the store: fk_intake_discard_async()
 * deletes it.
 */
void
fk_intake_reset (FkIntake *self)
{
  g_return_if_fail (FK_IS_INTAKE (self));

  self->generation++;
  if (self->card != NULL)
    {
      g_clear_object (&self->card);
      fk_intake_notify (self, PROP_CARD);
    }
  fk_intake_clear_chip (self);
  g_clear_object (&self->citizen);
  self->citizen = fk_citizen_new ();
  fk_intake_notify (self, PROP_CITIZEN);
  if (self->procedure != NULL)
    {
      g_clear_object (&self->procedure);
      fk_intake_notify (self, PROP_PROCEDURE);
    }
  g_hash_table_remove_all (self->answers);
  fk_intake_notify (self, PROP_ANSWERS);
  g_hash_table_remove_all (self->photos);
  fk_intake_notify (self, PROP_PHOTOS);
  fk_intake_set_fingerprint (self, NULL, NULL);
  g_hash_table_remove_all (self->consents);
  g_hash_table_remove_all (self->read_aloud);
  fk_intake_notify (self, PROP_CONSENTS);
  /* The next citizen's dossier is another one, with an id of its own. */
  g_clear_object (&self->dossier);
  if (self->draft_id != NULL)
    {
      g_clear_pointer (&self->draft_id, g_free);
      fk_intake_notify (self, PROP_DRAFT_ID);
    }
  /* A write under way is still shown as such: it holds the model. */
  if (!self->draft_busy)
    fk_intake_set_draft_state (self, FK_INTAKE_DRAFT_NONE);
  if (self->dossier_id != NULL)
    {
      g_clear_pointer (&self->dossier_id, g_free);
      fk_intake_notify (self, PROP_DOSSIER_ID);
    }
  fk_intake_set_resume_notice (self, NULL);
  fk_intake_set_step (self, FK_INTAKE_STEP_SCAN);
}

/* ---- identity -------------------------------------------------------- */

/* Returns: (transfer none) (nullable): the card read, if the identity came
 * from one */
FkCccdCard *
fk_intake_get_card (FkIntake *self)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), NULL);
  return self->card;
}

/**
 * fk_intake_read_card:
 * @card: the card whose QR code was read; it may carry problems to check
 *
 * The identity becomes what the card says (the phone typed earlier
 * stays), and the wizard goes on to the chip step when a card reader is
 * plugged in, else to the identity step to check it.
 */
void
fk_intake_read_card (FkIntake *self, FkCccdCard *card)
{
  FkCitizen *citizen;

  g_return_if_fail (FK_IS_INTAKE (self));
  g_return_if_fail (FK_IS_CCCD_CARD (card));

  /* the chip read before was another card's */
  fk_intake_clear_chip (self);
  if (g_set_object (&self->card, card))
    fk_intake_notify (self, PROP_CARD);
  citizen = fk_citizen_new_from_cccd (card);
  fk_citizen_set_phone (citizen, fk_citizen_get_phone (self->citizen));
  g_set_object (&self->citizen, citizen);
  g_object_unref (citizen);
  fk_intake_notify (self, PROP_CITIZEN);
  fk_intake_set_step (self, fk_intake_step_after (self, FK_INTAKE_STEP_SCAN));
}

/**
 * fk_intake_type_in:
 *
 * No card, or it does not read: what only a card gives (the old ID
 * number, the date of issue) is dropped, what was typed stays, and the
 * wizard goes on to the identity step.
 */
void
fk_intake_type_in (FkIntake *self)
{
  g_return_if_fail (FK_IS_INTAKE (self));

  if (self->card != NULL)
    {
      g_clear_object (&self->card);
      fk_intake_notify (self, PROP_CARD);
    }
  fk_intake_clear_chip (self);
  fk_citizen_set_old_id (self->citizen, NULL);
  fk_citizen_set_issue_date (self->citizen, NULL);
  fk_intake_set_step (self, FK_INTAKE_STEP_IDENTITY);
}

/**
 * fk_intake_get_citizen:
 *
 * Returns: (transfer none): the citizen; the identity step edits it in
 *   place. Never %NULL.
 */
FkCitizen *
fk_intake_get_citizen (FkIntake *self)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), NULL);
  return self->citizen;
}

/* ---- consents (the API in fk-intake-consents.c) ----------------------- */

static GStrv
dup_consents (FkIntake *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < fk_consent_text_get_n (); i++)
    if (fk_intake_get_consent (self, fk_consent_text_get (i)->purpose))
      g_strv_builder_add (builder, fk_consent_text_get (i)->purpose);
  return g_strv_builder_end (builder);
}

static void
set_consents (FkIntake *self, const char *const *granted)
{
  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < fk_consent_text_get_n (); i++)
    {
      const char *purpose = fk_consent_text_get (i)->purpose;

      fk_intake_set_consent (self, purpose, granted != NULL && g_strv_contains (granted, purpose));
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* ---- draft and commit state ------------------------------------------ */

/* Returns: (nullable): the id of the draft in the store, once written */
const char *
fk_intake_get_draft_id (FkIntake *self)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), NULL);
  return self->draft_id;
}

FkIntakeDraftState
fk_intake_get_draft_state (FkIntake *self)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), FK_INTAKE_DRAFT_NONE);
  return self->draft_state;
}

/* Whether the dossier is being sealed. */
gboolean
fk_intake_get_committing (FkIntake *self)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), FALSE);
  return self->committing;
}

/* Returns: (nullable): the sealed dossier's UUID, once committed */
const char *
fk_intake_get_dossier_id (FkIntake *self)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), NULL);
  return self->dossier_id;
}

/* ---- GObject --------------------------------------------------------- */

static void
fk_intake_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FkIntake *self = FK_INTAKE (object);

  switch (prop_id)
    {
      case PROP_STORE:
        g_value_set_object (value, self->store);
        break;
      case PROP_CATALOG:
        g_value_set_object (value, self->catalog);
        break;
      case PROP_VISIT:
        g_value_set_object (value, self->visit);
        break;
      case PROP_STEP:
        g_value_set_enum (value, self->step);
        break;
      case PROP_CARD:
        g_value_set_object (value, self->card);
        break;
      case PROP_CITIZEN:
        g_value_set_object (value, self->citizen);
        break;
      case PROP_PROCEDURE:
        g_value_set_object (value, self->procedure);
        break;
      case PROP_ANSWERS:
        g_value_set_boxed (value, self->answers);
        break;
      case PROP_PHOTOS:
        g_value_set_boxed (value, self->photos);
        break;
      case PROP_FINGERPRINT_TEMPLATE:
        g_value_set_boxed (value, self->fp_template);
        break;
      case PROP_FINGERPRINT_IMAGE:
        g_value_set_boxed (value, self->fp_image);
        break;
      case PROP_CONSENTS:
        g_value_take_boxed (value, dup_consents (self));
        break;
      case PROP_CHIP_READER:
        g_value_set_boolean (value, self->chip_reader);
        break;
      case PROP_CHIP:
        g_value_set_object (value, self->chip);
        break;
      case PROP_PORTRAIT:
        g_value_set_boxed (value, self->portrait);
        break;
      case PROP_READING_CHIP:
        g_value_set_boolean (value, self->reading_chip);
        break;
      case PROP_DRAFT_ID:
        g_value_set_string (value, self->draft_id);
        break;
      case PROP_DRAFT_STATE:
        g_value_set_enum (value, self->draft_state);
        break;
      case PROP_COMMITTING:
        g_value_set_boolean (value, self->committing);
        break;
      case PROP_DOSSIER_ID:
        g_value_set_string (value, self->dossier_id);
        break;
      case PROP_RESUME_NOTICE:
        g_value_set_string (value, self->resume_notice);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_intake_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FkIntake *self = FK_INTAKE (object);

  switch (prop_id)
    {
      case PROP_STORE:
        fk_intake_set_store (self, g_value_get_object (value));
        break;
      case PROP_CATALOG:
        fk_intake_set_catalog (self, g_value_get_object (value));
        break;
      case PROP_VISIT:
        fk_intake_set_visit (self, g_value_get_object (value));
        break;
      case PROP_STEP:
        fk_intake_set_step (self, g_value_get_enum (value));
        break;
      case PROP_CONSENTS:
        set_consents (self, g_value_get_boxed (value));
        break;
      case PROP_CHIP_READER:
        fk_intake_set_chip_reader (self, g_value_get_boolean (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_intake_dispose (GObject *object)
{
  FkIntake *self = FK_INTAKE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->catalog);
  g_clear_object (&self->visit);
  g_clear_object (&self->card);
  g_clear_object (&self->citizen);
  g_clear_object (&self->procedure);
  g_clear_object (&self->dossier);
  g_clear_pointer (&self->fp_template, g_bytes_unref);
  g_clear_pointer (&self->fp_image, g_bytes_unref);
  g_clear_object (&self->chip);
  g_clear_pointer (&self->portrait, g_bytes_unref);
  G_OBJECT_CLASS (fk_intake_parent_class)->dispose (object);
}

static void
fk_intake_finalize (GObject *object)
{
  FkIntake *self = FK_INTAKE (object);

  g_hash_table_unref (self->answers);
  g_hash_table_unref (self->photos);
  g_hash_table_unref (self->consents);
  g_hash_table_unref (self->read_aloud);
  g_ptr_array_unref (self->chip_mismatches);
  g_free (self->portrait_mime);
  g_free (self->draft_id);
  g_free (self->dossier_id);
  g_free (self->resume_notice);
  G_OBJECT_CLASS (fk_intake_parent_class)->finalize (object);
}

static void
fk_intake_class_init (FkIntakeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  GParamSpec **props = fk_intake_properties;

  object_class->get_property = fk_intake_get_property;
  object_class->set_property = fk_intake_set_property;
  object_class->dispose = fk_intake_dispose;
  object_class->finalize = fk_intake_finalize;

  props[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, FK_TYPE_STORE, rw);
  props[PROP_CATALOG] =
    g_param_spec_object ("catalog", NULL, NULL, FK_TYPE_CATALOG,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_VISIT] = g_param_spec_object ("visit", NULL, NULL, FK_TYPE_VISIT, rw);
  /* Notified every time a step is entered, even the same one again. */
  props[PROP_STEP] =
    g_param_spec_enum ("step", NULL, NULL, FK_TYPE_INTAKE_STEP, FK_INTAKE_STEP_SCAN, rw);
  props[PROP_CARD] = g_param_spec_object ("card", NULL, NULL, FK_TYPE_CCCD_CARD, ro);
  props[PROP_CITIZEN] = g_param_spec_object ("citizen", NULL, NULL, FK_TYPE_CITIZEN, ro);
  props[PROP_PROCEDURE] = g_param_spec_object ("procedure", NULL, NULL, FK_TYPE_PROCEDURE, ro);
  /* field → answer; read them with fk_intake_get_answer() */
  props[PROP_ANSWERS] = g_param_spec_boxed ("answers", NULL, NULL, G_TYPE_HASH_TABLE, ro);
  /* document code → photo; read them with fk_intake_get_photo() */
  props[PROP_PHOTOS] = g_param_spec_boxed ("photos", NULL, NULL, G_TYPE_HASH_TABLE, ro);
  props[PROP_FINGERPRINT_TEMPLATE] =
    g_param_spec_boxed ("fingerprint-template", NULL, NULL, G_TYPE_BYTES, ro);
  props[PROP_FINGERPRINT_IMAGE] =
    g_param_spec_boxed ("fingerprint-image", NULL, NULL, G_TYPE_BYTES, ro);
  /* the purposes consented to */
  props[PROP_CONSENTS] = g_param_spec_boxed ("consents", NULL, NULL, G_TYPE_STRV, rw);
  /* a card reader is plugged in: a card's QR code leads to the chip step */
  props[PROP_CHIP_READER] = g_param_spec_boolean ("chip-reader", NULL, NULL, FALSE, rw);
  /* the chip read and its outcome: notified when either changes */
  props[PROP_CHIP] = g_param_spec_object ("chip", NULL, NULL, FK_TYPE_CHIP_DATA, ro);
  props[PROP_PORTRAIT] = g_param_spec_boxed ("portrait", NULL, NULL, G_TYPE_BYTES, ro);
  props[PROP_READING_CHIP] = g_param_spec_boolean ("reading-chip", NULL, NULL, FALSE, ro);
  props[PROP_DRAFT_ID] = g_param_spec_string ("draft-id", NULL, NULL, NULL, ro);
  props[PROP_DRAFT_STATE] = g_param_spec_enum (
    "draft-state", NULL, NULL, FK_TYPE_INTAKE_DRAFT_STATE, FK_INTAKE_DRAFT_NONE, ro);
  props[PROP_COMMITTING] = g_param_spec_boolean ("committing", NULL, NULL, FALSE, ro);
  props[PROP_DOSSIER_ID] = g_param_spec_string ("dossier-id", NULL, NULL, NULL, ro);
  /* What of a resumed draft the catalog in use no longer has, translated;
   * NULL when it all fits. */
  props[PROP_RESUME_NOTICE] = g_param_spec_string ("resume-notice", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
fk_intake_init (FkIntake *self)
{
  self->citizen = fk_citizen_new ();
  self->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->photos =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) fk_intake_photo_free);
  self->consents = g_hash_table_new (g_str_hash, g_str_equal);
  self->read_aloud = g_hash_table_new (g_str_hash, g_str_equal);
  self->chip_mismatches = g_ptr_array_new ();
}
