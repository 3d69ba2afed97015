/* fk-intake-draft.c: the intake's draft, written as the officer goes on
 *
 * From the identity step on (before the procedure is chosen too), every
 * step entered writes the whole model to a draft in the store, sealed there
 * like a dossier; after a crash or a power cut fk_intake_resume_async()
 * opens the newest draft again. Only one write runs at a time: a change
 * during a write is written right after it, and a commit or a discard
 * waits for it (the commit seals the draft by its id).
 *
 * The draft's "app_state" holds what was entered, valid or not: the
 * citizen's members as typed, the card's payload, the answers as entered,
 * the consents, the photos with their quality check and the fingerprint.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-intake-private.h"

void
fk_intake_set_draft_state (FkIntake *self, FkIntakeDraftState state)
{
  if (self->draft_state == state)
    return;
  self->draft_state = state;
  fk_intake_notify (self, PROP_DRAFT_STATE);
}

/* ---- the model as JSON ----------------------------------------------- */

static void
put_bytes (JsonObject *object, const char *name, GBytes *bytes)
{
  g_autofree char *text = NULL;
  gsize len;
  const guint8 *data;

  if (bytes == NULL)
    return;
  data = g_bytes_get_data (bytes, &len);
  text = g_base64_encode (data, len);
  json_object_set_string_member (object, name, text);
}

static GBytes *
get_bytes (JsonObject *object, const char *name)
{
  const char *text =
    object != NULL ? json_object_get_string_member_with_default (object, name, NULL) : NULL;
  gsize len = 0;
  guchar *data;

  if (text == NULL)
    return NULL;
  data = g_base64_decode (text, &len);
  return g_bytes_new_take (data, len);
}

/* The citizen's members as typed; fk_citizen_to_json() leaves the unset
 * ones out and checks nothing. */
static JsonObject *
citizen_to_json (FkCitizen *citizen)
{
  g_autoptr (JsonNode) node = fk_citizen_to_json (citizen);

  return json_object_ref (json_node_get_object (node));
}

/* Back, without the checks of fk_citizen_new_from_json(): a draft may hold
 * a half-typed identity. */
static FkCitizen *
citizen_from_json (JsonObject *object)
{
  static const char *const members[] = {
    "id_number", "old_id",     "full_name", "birth_date", "address",
    "commune",   "issue_date", "phone",     "ethnicity",
  };
  FkCitizen *citizen = fk_citizen_new ();

  if (object == NULL)
    return citizen;
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const char *value = json_object_get_string_member_with_default (object, members[i], NULL);
      g_autofree char *property = g_strdelimit (g_strdup (members[i]), "_", '-');

      if (value != NULL)
        g_object_set (citizen, property, value, NULL);
    }
  fk_citizen_set_sex (
    citizen, fk_sex_from_string (json_object_get_string_member_with_default (object, "sex", "")));
  return citizen;
}

static JsonObject *
strings_to_json (GHashTable *table)
{
  JsonObject *object = json_object_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    json_object_set_string_member (object, key, value);
  return object;
}

/**
 * fk_intake_draft_to_json:
 *
 * Returns: (transfer full): the draft as the store keeps it: the
 *   procedure, the id once known, and "app_state"
 */
JsonObject *
fk_intake_draft_to_json (FkIntake *self)
{
  JsonObject *draft = json_object_new ();
  JsonObject *state = json_object_new ();
  JsonObject *consent = json_object_new ();
  JsonObject *photos = json_object_new ();
  JsonObject *issues = json_object_new ();
  GHashTableIter iter;
  gpointer key, value;

  if (self->procedure != NULL)
    json_object_set_string_member (draft, "procedure", fk_procedure_get_code (self->procedure));
  if (self->draft_id != NULL)
    json_object_set_string_member (draft, "id", self->draft_id);
  json_object_set_string_member (state, "step", fk_intake_step_to_string (self->step));
  json_object_set_object_member (state, "citizen", citizen_to_json (self->citizen));
  if (self->card != NULL)
    put_bytes (state, "card", fk_cccd_card_get_raw (self->card));
  json_object_set_object_member (state, "answers", strings_to_json (self->answers));
  for (guint i = 0; i < fk_intake_get_n_consent_texts (); i++)
    {
      const char *purpose = fk_intake_get_consent_text (i)->purpose;

      json_object_set_boolean_member (consent, purpose, fk_intake_get_consent (self, purpose));
    }
  json_object_set_object_member (state, "consent", consent);
  g_hash_table_iter_init (&iter, self->photos);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      FkIntakePhoto *photo = value;

      put_bytes (photos, key, photo->jpeg);
      json_object_set_int_member (issues, key, photo->issues);
    }
  json_object_set_object_member (state, "photos", photos);
  json_object_set_object_member (state, "photo_issues", issues);
  put_bytes (state, "fp_template", self->fp_template);
  put_bytes (state, "fp_image", self->fp_image);
  json_object_set_object_member (draft, "app_state", state);
  return draft;
}

static void
apply_papers (FkIntake *self, JsonObject *state)
{
  JsonObject *photos = json_object_get_object_member (state, "photos");
  JsonObject *issues = json_object_get_object_member (state, "photo_issues");
  g_autoptr (GList) codes = photos != NULL ? json_object_get_members (photos) : NULL;
  g_autoptr (GBytes) template = get_bytes (state, "fp_template");
  g_autoptr (GBytes) image = get_bytes (state, "fp_image");

  for (GList *l = codes; l != NULL; l = l->next)
    {
      g_autoptr (GBytes) jpeg = get_bytes (photos, l->data);
      gint64 found =
        issues != NULL ? json_object_get_int_member_with_default (issues, l->data, 0) : 0;

      fk_intake_set_photo (self, l->data, jpeg, (FkDocIssue) found);
    }
  fk_intake_set_fingerprint (self, template, image);
}

static void
apply_entries (FkIntake *self, JsonObject *state)
{
  JsonObject *member;
  g_autoptr (GBytes) raw = get_bytes (state, "card");
  g_autoptr (FkCccdCard) card = NULL;

  if (raw != NULL)
    card = fk_cccd_parse (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw));
  if (g_set_object (&self->card, card))
    fk_intake_notify (self, PROP_CARD);
  g_clear_object (&self->citizen);
  self->citizen = citizen_from_json (json_object_get_object_member (state, "citizen"));
  fk_intake_notify (self, PROP_CITIZEN);
  if ((member = json_object_get_object_member (state, "answers")) != NULL)
    {
      g_autoptr (GList) names = json_object_get_members (member);

      for (GList *l = names; l != NULL; l = l->next)
        fk_intake_set_answer (self, l->data,
                              json_object_get_string_member_with_default (member, l->data, NULL));
    }
  if ((member = json_object_get_object_member (state, "consent")) != NULL)
    for (guint i = 0; i < fk_intake_get_n_consent_texts (); i++)
      {
        const char *purpose = fk_intake_get_consent_text (i)->purpose;

        fk_intake_set_consent (
          self, purpose, json_object_get_boolean_member_with_default (member, purpose, FALSE));
      }
  apply_papers (self, state);
}

/* The step to go back to: the one saved, unless an earlier one is no
 * longer complete (what the later steps show was computed from it). */
static FkIntakeStep
resume_step (FkIntake *self, JsonObject *state)
{
  const char *name = json_object_get_string_member_with_default (state, "step", "form");
  FkIntakeStep step = FK_INTAKE_STEP_SCAN;

  if (!fk_intake_step_from_string (name, &step) || step == FK_INTAKE_STEP_RECEIPT)
    step = FK_INTAKE_STEP_SCAN;
  if (step > FK_INTAKE_STEP_IDENTITY &&
      !fk_intake_validate_step (self, FK_INTAKE_STEP_IDENTITY, NULL))
    return FK_INTAKE_STEP_IDENTITY;
  if (step > FK_INTAKE_STEP_PROCEDURE && self->procedure == NULL)
    return FK_INTAKE_STEP_PROCEDURE;
  if (step > FK_INTAKE_STEP_FORM && !fk_intake_validate_step (self, FK_INTAKE_STEP_FORM, NULL))
    return FK_INTAKE_STEP_FORM;
  return step;
}

/**
 * fk_intake_draft_apply:
 * @id: the draft's id in the store
 * @draft: as fk_intake_draft_to_json() wrote it
 *
 * Returns: the step to resume at; %FK_INTAKE_N_STEPS when the draft cannot
 *   be applied (its procedure is not in the catalog, or it has no
 *   "app_state"); the model is unchanged then
 */
FkIntakeStep
fk_intake_draft_apply (FkIntake *self, const char *id, JsonObject *draft)
{
  JsonObject *state = json_object_get_object_member (draft, "app_state");
  const char *procedure = json_object_get_string_member_with_default (draft, "procedure", "");

  if (state == NULL)
    return FK_INTAKE_N_STEPS;
  /* Saved before the procedure was chosen: the identity alone. */
  if (*procedure != '\0' && !fk_intake_set_procedure (self, procedure))
    return FK_INTAKE_N_STEPS;
  g_free (self->draft_id);
  self->draft_id = g_strdup (id);
  fk_intake_notify (self, PROP_DRAFT_ID);
  apply_entries (self, state);
  return resume_step (self, state);
}

/* ---- writing --------------------------------------------------------- */

typedef struct
{
  FkIntake *self;
  guint generation;
} DraftWrite;

static void
draft_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  DraftWrite *write = user_data;
  g_autoptr (FkIntake) self = write->self;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = fk_intake_store_save_draft_finish (FK_STORE (source), result, &error);
  g_autoptr (GTask) waiting = g_steal_pointer (&self->after_draft);

  self->draft_busy = FALSE;
  if (id == NULL)
    g_warning ("The draft was not saved: %s", error->message);
  /* Reset meanwhile: that draft was of the citizen before. */
  else if (self->draft_id == NULL && write->generation == self->generation)
    {
      self->draft_id = g_steal_pointer (&id);
      fk_intake_notify (self, PROP_DRAFT_ID);
    }
  g_free (write);
  fk_intake_set_draft_state (self, error == NULL && !self->draft_again ? FK_INTAKE_DRAFT_SAVED
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
 * "draft-id" follow the write.
 */
void
fk_intake_save_draft (FkIntake *self)
{
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
  write = g_new0 (DraftWrite, 1);
  write->self = g_object_ref (self);
  write->generation = self->generation;
  fk_intake_store_save_draft_async (self->store, fk_intake_draft_to_json (self), NULL,
                                    draft_written, write);
}

/* ---- reading back ---------------------------------------------------- */

static void
draft_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  FkIntake *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  g_autoptr (JsonObject) draft =
    fk_intake_store_load_draft_finish (FK_STORE (source), result, &id, &error);
  FkIntakeStep step;

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (draft == NULL)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  step = fk_intake_draft_apply (self, id, draft);
  if (step == FK_INTAKE_N_STEPS)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
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

  g_return_if_fail (FK_IS_INTAKE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_intake_resume_async);
  if (!fk_intake_store_ready (self))
    {
      g_task_return_new_error (task, FK_INTAKE_ERROR, FK_INTAKE_ERROR_NOT_READY, "%s",
                               _ ("The store is locked: enter the PIN first."));
      return;
    }
  fk_intake_store_load_draft_async (self->store, cancellable, draft_loaded,
                                    g_steal_pointer (&task));
}

/**
 * fk_intake_resume_finish:
 *
 * Returns: %TRUE when a draft was opened; %FALSE without @error when there
 *   was none (or none this catalog knows), with @error when it could not be
 *   read
 */
gboolean
fk_intake_resume_finish (FkIntake *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_intake_resume_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
