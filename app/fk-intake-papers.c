/* fk-intake-papers.c: the photos of an intake's papers and its fingerprint
 *
 * A photo is kept with what its quality check found, a poor one too: the
 * check's advice is for the officer to decide. The check, the crop to the
 * page and the compression run in a worker thread that never holds the
 * model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-intake-private.h"

/**
 * fk_intake_get_photo:
 * @document: a document code of the procedure
 * @out_issues: (out) (optional): what the quality check found
 *
 * Returns: (transfer none) (nullable): the JPEG of the paper
 */
GBytes *
fk_intake_get_photo (FkIntake *self, const char *document, FkDocIssue *out_issues)
{
  FkIntakePhoto *photo;

  g_return_val_if_fail (FK_IS_INTAKE (self), NULL);

  photo = g_hash_table_lookup (self->photos, document);
  if (out_issues != NULL)
    *out_issues = photo != NULL ? photo->issues : FK_DOC_ISSUE_NONE;
  return photo != NULL ? photo->jpeg : NULL;
}

/**
 * fk_intake_set_photo:
 * @jpeg: (nullable): the photo, %NULL to remove it
 * @issues: what its quality check found
 */
void
fk_intake_set_photo (FkIntake *self, const char *document, GBytes *jpeg, FkDocIssue issues)
{
  FkIntakePhoto *photo;

  g_return_if_fail (FK_IS_INTAKE (self));
  g_return_if_fail (document != NULL);

  if (jpeg == NULL)
    {
      if (g_hash_table_remove (self->photos, document))
        fk_intake_notify (self, PROP_PHOTOS);
      return;
    }
  photo = g_new0 (FkIntakePhoto, 1);
  photo->jpeg = g_bytes_ref (jpeg);
  photo->issues = issues;
  g_hash_table_insert (self->photos, g_strdup (document), photo);
  fk_intake_notify (self, PROP_PHOTOS);
}

guint
fk_intake_get_n_photos (FkIntake *self)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), 0);
  return g_hash_table_size (self->photos);
}

typedef struct
{
  char *document;
  FkGrayImage *luma;
  FkDocQuality quality;
  FkDocCompressed *compressed;
  guint generation;
} PhotoJob;

static void
photo_job_free (PhotoJob *job)
{
  g_free (job->document);
  g_clear_pointer (&job->luma, fk_gray_image_free);
  g_clear_pointer (&job->compressed, fk_doc_compressed_free);
  g_free (job);
}

/* Checking and compressing a photo takes a moment on a Pi: off the main
 * loop. */
static void
photo_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  PhotoJob *job = task_data;
  g_autoptr (FkGrayImage) page = NULL;
  GError *error = NULL;

  fk_doc_quality_check (job->luma, &job->quality);
  if (job->quality.page_found)
    page = fk_doc_crop_page (job->luma, job->quality.page);
  job->compressed =
    fk_doc_compress (page != NULL ? page : job->luma, FK_DOC_MAX_UPLOAD_BYTES, &error);
  if (job->compressed == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
photo_checked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * fk_intake_add_photo_async:
 * @document: the document code the photo is of
 * @luma: (transfer none): the still, in grey
 *
 * Checks the photo's quality, crops it to the page and compresses it for
 * upload, in a worker thread; then it is the photo of @document (a
 * poor one too: the check's advice is for the officer to decide).
 */
void
fk_intake_add_photo_async (FkIntake *self, const char *document, FkGrayImage *luma,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GTask) work = NULL;
  PhotoJob *job;

  g_return_if_fail (FK_IS_INTAKE (self));
  g_return_if_fail (document != NULL && luma != NULL);

  job = g_new0 (PhotoJob, 1);
  job->document = g_strdup (document);
  job->luma = fk_gray_image_copy (luma);
  job->generation = self->generation;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_intake_add_photo_async);
  g_task_set_task_data (task, job, (GDestroyNotify) photo_job_free);
  /* The worker's task holds the job, not the model: the model is never
   * released in a worker thread. */
  work = g_task_new (NULL, cancellable, photo_checked, g_object_ref (task));
  g_task_set_source_tag (work, photo_thread);
  g_task_set_task_data (work, job, NULL);
  g_task_run_in_thread (work, photo_thread);
}

/**
 * fk_intake_add_photo_finish:
 * @out_issues: (out) (optional): what the quality check found
 *
 * Returns: whether the photo was kept
 */
gboolean
fk_intake_add_photo_finish (FkIntake *self, GAsyncResult *result, FkDocIssue *out_issues,
                            GError **error)
{
  PhotoJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_intake_add_photo_async,
                        FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  job = g_task_get_task_data (G_TASK (result));
  /* Taken for the citizen before a reset: not this dossier's. */
  if (job->generation == self->generation)
    fk_intake_set_photo (self, job->document, job->compressed->jpeg, job->quality.issues);
  if (out_issues != NULL)
    *out_issues = job->quality.issues;
  return TRUE;
}

/* ---- fingerprint ----------------------------------------------------- */

/* Returns: (transfer none) (nullable): the enrolled template */
GBytes *
fk_intake_get_fingerprint_template (FkIntake *self)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), NULL);
  return self->fp_template;
}

/* Returns: (transfer none) (nullable): the print's PNG for the dossier */
GBytes *
fk_intake_get_fingerprint_image (FkIntake *self)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), NULL);
  return self->fp_image;
}

/**
 * fk_intake_set_fingerprint:
 * @template: (nullable): the enrolled template
 * @image: (nullable): the print as PNG
 */
void
fk_intake_set_fingerprint (FkIntake *self, GBytes *template, GBytes *image)
{
  g_return_if_fail (FK_IS_INTAKE (self));

  if (self->fp_template != template)
    {
      g_clear_pointer (&self->fp_template, g_bytes_unref);
      self->fp_template = template != NULL ? g_bytes_ref (template) : NULL;
      fk_intake_notify (self, PROP_FINGERPRINT_TEMPLATE);
    }
  if (self->fp_image != image)
    {
      g_clear_pointer (&self->fp_image, g_bytes_unref);
      self->fp_image = image != NULL ? g_bytes_ref (image) : NULL;
      fk_intake_notify (self, PROP_FINGERPRINT_IMAGE);
    }
}
