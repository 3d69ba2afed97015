/* fk-intake-commit.c: the intake sealed as a dossier, or its draft discarded
 *
 * The commit checks every step once more, completes the intake's FkDossier
 * (citizen, procedure, the answers as the catalog expects them, visit,
 * every consent with the version of its text) and hands the store the
 * attachments the citizen consented to: photos of the papers (the
 * applicant's ID card and the portrait read from its chip only with
 * "id-card-image"), the fingerprint's template and print only with
 * "biometrics". The dossier has the draft's
 * id, so the store seals that draft: a draft being written is waited for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-intake-private.h"
#include "fk-store-error.h"

static void
set_committing (FkIntake *self, gboolean committing)
{
  self->committing = committing;
  fk_intake_notify (self, PROP_COMMITTING);
}

static void
committed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  FkIntake *self = g_task_get_source_object (task);
  GError *error = NULL;
  char *id = fk_store_commit_dossier_finish (FK_STORE (source), result, NULL, &error);

  set_committing (self, FALSE);
  if (id == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_free (self->dossier_id);
  self->dossier_id = g_strdup (id);
  fk_intake_notify (self, PROP_DOSSIER_ID);
  fk_intake_set_step (self, FK_INTAKE_STEP_RECEIPT);
  g_task_return_pointer (task, id, g_free);
}

/* The commit itself, once no draft is being written. */
void
fk_intake_commit_now (FkIntake *self, GTask *task)
{
  g_autoptr (JsonObject) fields = NULL;
  g_autoptr (GPtrArray) attachments = NULL;
  GError *error = NULL;

  fields = fk_intake_collect_fields (self, &error);
  if (fields == NULL)
    {
      set_committing (self, FALSE);
      g_task_return_error (task, error);
      return;
    }
  attachments = fk_intake_dup_attachments (self, TRUE);
  fk_store_commit_dossier_async (self->store, fk_intake_update_dossier (self, fields), attachments,
                                 TRUE, g_task_get_cancellable (task), committed,
                                 g_object_ref (task));
}

/* Whether the store may be asked now: unlocked, and no commit or discard
 * under way. */
static gboolean
check_ready (FkIntake *self, GError **error)
{
  if (!fk_intake_store_ready (self))
    {
      g_set_error_literal (error, FK_INTAKE_ERROR, FK_INTAKE_ERROR_NOT_READY,
                           _ ("The store is locked: enter the PIN first."));
      return FALSE;
    }
  if (self->committing || self->after_draft != NULL)
    {
      g_set_error_literal (error, FK_INTAKE_ERROR, FK_INTAKE_ERROR_NOT_READY,
                           _ ("The dossier is being sealed already."));
      return FALSE;
    }
  return TRUE;
}

/**
 * fk_intake_commit_async:
 *
 * Checks every step, then seals the dossier in the store (queued for
 * upload); the draft of the same id becomes the dossier. On success the
 * wizard is at the receipt and "dossier-id" is set.
 */
void
fk_intake_commit_async (FkIntake *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (FK_IS_INTAKE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_intake_commit_async);
  if (!check_ready (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  for (FkIntakeStep step = FK_INTAKE_STEP_IDENTITY; step < FK_INTAKE_STEP_REVIEW; step++)
    if (!fk_intake_validate_step (self, step, &error))
      {
        g_task_return_error (task, error);
        return;
      }
  set_committing (self, TRUE);
  /* The commit seals the draft by its id: let a draft being written land. */
  if (self->draft_busy)
    {
      self->after_draft = g_steal_pointer (&task);
      return;
    }
  fk_intake_commit_now (self, task);
}

/**
 * fk_intake_commit_finish:
 *
 * Returns: (transfer full): the sealed dossier's UUID, or %NULL with
 *   @error: %FK_INTAKE_ERROR for a step that is not complete, else the
 *   store's error
 */
char *
fk_intake_commit_finish (FkIntake *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_intake_commit_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The discard itself, once no draft is being written. */
void
fk_intake_discard_now (FkIntake *self, GTask *task)
{
  GError *error = NULL;

  /* A draft already gone is not an error: the officer wanted it gone. */
  if (self->draft_id != NULL && !fk_store_delete_draft (self->store, self->draft_id, &error) &&
      !g_error_matches (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_FOUND))
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);
  fk_intake_reset (self);
  g_task_return_boolean (task, TRUE);
}

/**
 * fk_intake_discard_async:
 *
 * Deletes the draft from the store for good (a draft being written is
 * waited for), then starts over for the next citizen.
 */
void
fk_intake_discard_async (FkIntake *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (FK_IS_INTAKE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_intake_discard_async);
  /* Nothing in the store yet: only the model to reset. */
  if ((self->draft_id != NULL || self->draft_busy) && !check_ready (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->draft_busy)
    {
      self->after_draft = g_steal_pointer (&task);
      return;
    }
  fk_intake_discard_now (self, task);
}

gboolean
fk_intake_discard_finish (FkIntake *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_intake_discard_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
