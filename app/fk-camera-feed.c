/* fk-camera-feed.c: a camera shown live in a picture
 *
 * The one place of the app that starts a camera and follows its state: the
 * card scanner and the intake's document photos both show their camera
 * through a feed. Each preview frame goes into the picture; a camera that
 * cannot start, or stops on its own (unplugged, busy), is explained in
 * "problem", a message for the officer. The last frame stays on screen
 * after a stop.
 *
 * The camera comes from the app's device factory: with simulated hardware
 * it shows FIELDKIT_SIM_CAMERA (a photo of a card or a page), else a test
 * pattern.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-application.h"
#include "fk-camera-feed.h"
#include "fk-camera-texture.h"

struct _FkCameraFeed
{
  GObject parent_instance;

  GtkPicture *picture;
  FkCamera *camera; /* while it runs */
  char *problem;
};

G_DEFINE_FINAL_TYPE (FkCameraFeed, fk_camera_feed, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CAMERA,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * fk_camera_feed_new:
 * @picture: where the frames go
 *
 * Returns: (transfer full): a feed, its camera off
 */
FkCameraFeed *
fk_camera_feed_new (GtkPicture *picture)
{
  FkCameraFeed *self = g_object_new (FK_TYPE_CAMERA_FEED, NULL);

  self->picture = g_object_ref (picture);
  return self;
}

static void
set_problem (FkCameraFeed *self, char *problem)
{
  g_free (self->problem);
  self->problem = problem;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

static void
on_preview_frame (FkCamera *camera, FkCameraFrame *frame, gpointer user_data)
{
  FkCameraFeed *self = user_data;
  g_autoptr (GdkTexture) texture = fk_camera_frame_to_texture (frame);

  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
}

static void
on_camera_state (FkCamera *camera, GParamSpec *pspec, gpointer user_data)
{
  FkCameraFeed *self = user_data;
  const GError *error = fk_camera_get_error (camera);

  if (fk_camera_get_state (camera) != FK_CAMERA_STATE_ERROR)
    return;
  set_problem (self, g_strdup_printf (_ ("The camera stopped: %s Type the data in instead."),
                                      error != NULL ? error->message : ""));
}

/**
 * fk_camera_feed_stop:
 *
 * Turns the camera (and its torch) off; the last frame stays on screen.
 */
void
fk_camera_feed_stop (FkCameraFeed *self)
{
  g_return_if_fail (FK_IS_CAMERA_FEED (self));

  if (self->camera == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->camera, self);
  fk_camera_stop (self->camera);
  g_clear_object (&self->camera);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA]);
}

/**
 * fk_camera_feed_start:
 *
 * Starts the camera, unless it runs already.
 *
 * Returns: whether the camera runs; if not, "problem" says why
 */
gboolean
fk_camera_feed_start (FkCameraFeed *self)
{
  FkDevices *devices = fk_application_get_devices (fk_application_get_default ());
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (FK_IS_CAMERA_FEED (self), FALSE);

  if (self->camera != NULL)
    return TRUE;
  self->camera = fk_devices_new_camera (devices);
  g_signal_connect (self->camera, "preview-frame", G_CALLBACK (on_preview_frame), self);
  g_signal_connect (self->camera, "notify::state", G_CALLBACK (on_camera_state), self);
  if (!fk_camera_start (self->camera, &error))
    {
      fk_camera_feed_stop (self);
      set_problem (self, g_strdup_printf (_ ("The camera cannot start: %s"), error->message));
      return FALSE;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA]);
  return TRUE;
}

/* Returns: (transfer none) (nullable): the camera, while it runs */
FkCamera *
fk_camera_feed_get_camera (FkCameraFeed *self)
{
  g_return_val_if_fail (FK_IS_CAMERA_FEED (self), NULL);
  return self->camera;
}

/* Returns: (nullable): why the camera does not run, for the officer */
const char *
fk_camera_feed_get_problem (FkCameraFeed *self)
{
  g_return_val_if_fail (FK_IS_CAMERA_FEED (self), NULL);
  return self->problem;
}

static void
fk_camera_feed_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FkCameraFeed *self = FK_CAMERA_FEED (object);

  switch (prop_id)
    {
      case PROP_CAMERA:
        g_value_set_object (value, self->camera);
        break;
      case PROP_PROBLEM:
        g_value_set_string (value, self->problem);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_camera_feed_dispose (GObject *object)
{
  FkCameraFeed *self = FK_CAMERA_FEED (object);

  if (self->camera != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->camera, self);
      fk_camera_stop (self->camera);
      g_clear_object (&self->camera);
    }
  g_clear_object (&self->picture);
  G_OBJECT_CLASS (fk_camera_feed_parent_class)->dispose (object);
}

static void
fk_camera_feed_finalize (GObject *object)
{
  g_free (FK_CAMERA_FEED (object)->problem);
  G_OBJECT_CLASS (fk_camera_feed_parent_class)->finalize (object);
}

static void
fk_camera_feed_class_init (FkCameraFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = fk_camera_feed_get_property;
  object_class->dispose = fk_camera_feed_dispose;
  object_class->finalize = fk_camera_feed_finalize;

  properties[PROP_CAMERA] = g_param_spec_object ("camera", NULL, NULL, FK_TYPE_CAMERA,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fk_camera_feed_init (FkCameraFeed *self)
{
}
