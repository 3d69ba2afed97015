/* fk-intake-photos-step.c: photos of the papers, with a quality check
 *
 * One row per document of the procedure, with what its photo's check
 * found; the live preview runs while the step is on screen. A photo is
 * taken from the running camera (intake.take-photo) and handed to the
 * model, which checks, crops and compresses it off the main loop; a poor
 * photo is kept with the check's advice, for the officer to retake.
 * While the page pauses the step (the guided tour shows it), the camera
 * stays off and the preview empty, even on screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-camera-feed.h"
#include "fk-intake-photos-step.h"

struct _FkIntakePhotosStep
{
  FkIntakeStepView parent_instance;

  GtkPicture *photo_preview;
  GtkLabel *photo_label;
  GtkListBox *document_list;

  FkCameraFeed *feed;
  GCancellable *cancellable;
  gboolean busy;
  gboolean paused;
};

G_DEFINE_FINAL_TYPE (FkIntakePhotosStep, fk_intake_photos_step, FK_TYPE_INTAKE_STEP_VIEW)

enum
{
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_message (FkIntakePhotosStep *self, const char *text, gboolean error)
{
  fk_intake_step_view_set_message (FK_INTAKE_STEP_VIEW (self), text, error);
}

static char *
advice_for (FkDocIssue issues)
{
  g_autoptr (GString) advice = g_string_new (NULL);

  for (guint bit = 1; bit <= FK_DOC_ISSUE_NO_PAGE; bit <<= 1)
    if (issues & bit)
      g_string_append_printf (advice, "%s%s", advice->len > 0 ? " " : "",
                              fk_doc_issue_get_advice ((FkDocIssue) bit));
  return g_string_free (g_steal_pointer (&advice), FALSE);
}

static GtkWidget *
document_row (FkIntake *intake, const FkProcedureDocument *doc)
{
  const char *code = fk_procedure_document_get_code (doc);
  FkDocIssue issues = FK_DOC_ISSUE_NONE;
  gboolean taken = fk_intake_get_photo (intake, code, &issues) != NULL;
  g_autofree char *advice = advice_for (issues);
  g_autofree char *name = g_strdup_printf ("document-%s", code);
  g_autofree char *title = g_strdup_printf ("%s%s", fk_procedure_document_get_title (doc),
                                            fk_procedure_document_get_required (doc) ? " *" : "");
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_label (taken ? _ ("Retake") : _ ("Take photo"));

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), !taken ? _ ("No photo yet")
                                                     : *advice == '\0'
                                                       ? _ ("Photo taken, good to send")
                                                       : advice);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "intake.take-photo");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", code);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
fill_documents (FkIntakePhotosStep *self)
{
  FkIntake *intake = fk_intake_step_view_get_intake (FK_INTAKE_STEP_VIEW (self));
  FkProcedure *procedure = fk_intake_get_procedure (intake);
  GPtrArray *documents;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->document_list))) != NULL)
    gtk_list_box_remove (self->document_list, child);
  if (procedure == NULL)
    return;
  documents = fk_procedure_get_documents (procedure);
  for (guint i = 0; i < documents->len; i++)
    gtk_list_box_append (self->document_list,
                         document_row (intake, g_ptr_array_index (documents, i)));
}

static void
set_busy (FkIntakePhotosStep *self, gboolean busy)
{
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Whether a photo is being checked: one at a time. */
gboolean
fk_intake_photos_step_get_busy (FkIntakePhotosStep *self)
{
  g_return_val_if_fail (FK_IS_INTAKE_PHOTOS_STEP (self), FALSE);
  return self->busy;
}

static void
photo_added (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkIntakePhotosStep) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *advice = NULL;
  FkDocIssue issues = FK_DOC_ISSUE_NONE;

  if (!fk_intake_add_photo_finish (FK_INTAKE (source), result, &issues, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_busy (self, FALSE);
          set_message (self, error->message, TRUE);
        }
      return;
    }
  set_busy (self, FALSE);
  advice = advice_for (issues);
  if (*advice != '\0')
    {
      g_autofree char *text = g_strdup_printf (_ ("Kept, but better retaken: %s"), advice);

      set_message (self, text, TRUE);
    }
  else
    set_message (self, _ ("The photo is sharp and readable."), FALSE);
}

/**
 * fk_intake_photos_step_take_photo:
 * @document: the code of the document in front of the camera
 *
 * Takes a still from the camera (starting it if need be) and gives it to
 * the model as the photo of @document.
 */
void
fk_intake_photos_step_take_photo (FkIntakePhotosStep *self, const char *document)
{
  FkIntake *intake = fk_intake_step_view_get_intake (FK_INTAKE_STEP_VIEW (self));
  FkCamera *camera;
  g_autoptr (FkCameraFrame) frame = NULL;
  g_autoptr (FkGrayImage) luma = NULL;
  g_autoptr (GError) error = NULL;

  g_return_if_fail (FK_IS_INTAKE_PHOTOS_STEP (self));

  if (self->busy || intake == NULL)
    return;
  fk_camera_feed_start (self->feed);
  camera = fk_camera_feed_get_camera (self->feed);
  if (camera == NULL || !fk_camera_capture_still (camera, &frame, &luma, &error))
    {
      set_message (
        self, error != NULL ? error->message : _ ("The camera is not ready yet. Try again."), TRUE);
      return;
    }
  set_message (self, _ ("Checking the photo…"), FALSE);
  set_busy (self, TRUE);
  fk_intake_add_photo_async (intake, document, luma, self->cancellable, photo_added,
                             g_object_ref (self));
}

static void
on_feed_problem (FkIntakePhotosStep *self, GParamSpec *pspec, FkCameraFeed *feed)
{
  if (fk_camera_feed_get_problem (feed) != NULL)
    set_message (self, fk_camera_feed_get_problem (feed), TRUE);
}

static void
fk_intake_photos_step_bind (FkIntakeStepView *view, FkIntake *intake)
{
  g_signal_connect_swapped (intake, "notify::procedure", G_CALLBACK (fill_documents), view);
  g_signal_connect_swapped (intake, "notify::photos", G_CALLBACK (fill_documents), view);
  fill_documents (FK_INTAKE_PHOTOS_STEP (view));
}

/**
 * fk_intake_photos_step_set_paused:
 *
 * While paused the camera stays off, even on screen, and the preview shows
 * no frame.
 */
void
fk_intake_photos_step_set_paused (FkIntakePhotosStep *self, gboolean paused)
{
  g_return_if_fail (FK_IS_INTAKE_PHOTOS_STEP (self));

  self->paused = paused;
  if (paused)
    {
      fk_camera_feed_stop (self->feed);
      gtk_picture_set_paintable (self->photo_preview, NULL);
    }
  else if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    fk_camera_feed_start (self->feed);
}

/* The preview runs while the step is on screen. */
static void
fk_intake_photos_step_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (fk_intake_photos_step_parent_class)->map (widget);
  if (!FK_INTAKE_PHOTOS_STEP (widget)->paused)
    fk_camera_feed_start (FK_INTAKE_PHOTOS_STEP (widget)->feed);
}

static void
fk_intake_photos_step_unmap (GtkWidget *widget)
{
  fk_camera_feed_stop (FK_INTAKE_PHOTOS_STEP (widget)->feed);
  GTK_WIDGET_CLASS (fk_intake_photos_step_parent_class)->unmap (widget);
}

static void
fk_intake_photos_step_get_property (GObject *object, guint prop_id, GValue *value,
                                    GParamSpec *pspec)
{
  switch (prop_id)
    {
      case PROP_BUSY:
        g_value_set_boolean (value, FK_INTAKE_PHOTOS_STEP (object)->busy);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_intake_photos_step_dispose (GObject *object)
{
  FkIntakePhotosStep *self = FK_INTAKE_PHOTOS_STEP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->feed);
  fk_intake_step_view_set_intake (FK_INTAKE_STEP_VIEW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_INTAKE_PHOTOS_STEP);
  G_OBJECT_CLASS (fk_intake_photos_step_parent_class)->dispose (object);
}

static void
fk_intake_photos_step_class_init (FkIntakePhotosStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = fk_intake_photos_step_get_property;
  object_class->dispose = fk_intake_photos_step_dispose;
  widget_class->map = fk_intake_photos_step_map;
  widget_class->unmap = fk_intake_photos_step_unmap;
  FK_INTAKE_STEP_VIEW_CLASS (klass)->bind = fk_intake_photos_step_bind;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-intake-photos-step.ui");
  gtk_widget_class_bind_template_child (widget_class, FkIntakePhotosStep, photo_preview);
  gtk_widget_class_bind_template_child (widget_class, FkIntakePhotosStep, photo_label);
  gtk_widget_class_bind_template_child (widget_class, FkIntakePhotosStep, document_list);
}

static void
fk_intake_photos_step_init (FkIntakePhotosStep *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fk_intake_step_view_set_message_label (FK_INTAKE_STEP_VIEW (self), self->photo_label);
  self->cancellable = g_cancellable_new ();
  self->feed = fk_camera_feed_new (self->photo_preview);
  g_signal_connect_object (self->feed, "notify::problem", G_CALLBACK (on_feed_problem), self,
                           G_CONNECT_SWAPPED);
}
