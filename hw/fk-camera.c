/* fk-camera.c: the camera interface and its frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-camera.h"

G_DEFINE_INTERFACE (FkCamera, fk_camera, G_TYPE_OBJECT)

GType
fk_camera_state_get_type (void)
{
  static gsize type = 0;
  static const GEnumValue values[] = {
    { FK_CAMERA_STATE_STOPPED, "FK_CAMERA_STATE_STOPPED", "stopped" },
    { FK_CAMERA_STATE_STARTING, "FK_CAMERA_STATE_STARTING", "starting" },
    { FK_CAMERA_STATE_RUNNING, "FK_CAMERA_STATE_RUNNING", "running" },
    { FK_CAMERA_STATE_ERROR, "FK_CAMERA_STATE_ERROR", "error" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("FkCameraState", values));
  return type;
}

static void
frame_clear (gpointer data)
{
  FkCameraFrame *frame = data;

  g_bytes_unref (frame->pixels);
}

FkCameraFrame *
fk_camera_frame_ref (FkCameraFrame *frame)
{
  return g_atomic_rc_box_acquire (frame);
}

void
fk_camera_frame_unref (FkCameraFrame *frame)
{
  if (frame != NULL)
    g_atomic_rc_box_release_full (frame, frame_clear);
}

G_DEFINE_BOXED_TYPE (FkCameraFrame, fk_camera_frame, fk_camera_frame_ref, fk_camera_frame_unref)

static void
fk_camera_default_init (FkCameraInterface *iface)
{
  g_object_interface_install_property (
    iface, g_param_spec_enum ("state", NULL, NULL, FK_TYPE_CAMERA_STATE, FK_CAMERA_STATE_STOPPED,
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (
    iface, g_param_spec_boolean ("torch-supported", NULL, NULL, FALSE,
                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (
    iface,
    g_param_spec_boolean ("torch", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_signal_new ("preview-frame", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                NULL, G_TYPE_NONE, 1, FK_TYPE_CAMERA_FRAME | G_SIGNAL_TYPE_STATIC_SCOPE);
  g_signal_new ("luma-frame", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 1, FK_TYPE_GRAY_IMAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
}

/**
 * fk_camera_start:
 *
 * Opens the camera and starts the preview. Fails at once when the camera
 * is missing or busy; a camera lost later moves to %FK_CAMERA_STATE_ERROR.
 */
gboolean
fk_camera_start (FkCamera *self, GError **error)
{
  g_return_val_if_fail (FK_IS_CAMERA (self), FALSE);
  return FK_CAMERA_GET_IFACE (self)->start (self, error);
}

void
fk_camera_stop (FkCamera *self)
{
  g_return_if_fail (FK_IS_CAMERA (self));
  FK_CAMERA_GET_IFACE (self)->stop (self);
}

FkCameraState
fk_camera_get_state (FkCamera *self)
{
  g_return_val_if_fail (FK_IS_CAMERA (self), FK_CAMERA_STATE_ERROR);
  return FK_CAMERA_GET_IFACE (self)->get_state (self);
}

/**
 * fk_camera_get_error:
 *
 * Returns: (transfer none) (nullable): why the camera is in
 *   %FK_CAMERA_STATE_ERROR, in words a user can act on.
 */
const GError *
fk_camera_get_error (FkCamera *self)
{
  g_return_val_if_fail (FK_IS_CAMERA (self), NULL);
  return FK_CAMERA_GET_IFACE (self)->get_error (self);
}

/**
 * fk_camera_capture_still:
 * @frame: (out) (transfer full) (optional): the photo, full resolution
 * @luma: (out) (transfer full) (optional): its luminance
 *
 * Takes the newest full-resolution frame as the photo.
 */
gboolean
fk_camera_capture_still (FkCamera *self, FkCameraFrame **frame, FkGrayImage **luma, GError **error)
{
  g_return_val_if_fail (FK_IS_CAMERA (self), FALSE);
  return FK_CAMERA_GET_IFACE (self)->capture_still (self, frame, luma, error);
}

/**
 * fk_camera_get_torch_supported:
 *
 * Returns: whether the running camera has a light it can keep on; %FALSE
 *   while it is stopped.
 */
gboolean
fk_camera_get_torch_supported (FkCamera *self)
{
  gboolean supported = FALSE;

  g_return_val_if_fail (FK_IS_CAMERA (self), FALSE);
  g_object_get (self, "torch-supported", &supported, NULL);
  return supported;
}

gboolean
fk_camera_get_torch (FkCamera *self)
{
  gboolean on = FALSE;

  g_return_val_if_fail (FK_IS_CAMERA (self), FALSE);
  g_object_get (self, "torch", &on, NULL);
  return on;
}

/**
 * fk_camera_set_torch:
 * @on: light on or off
 *
 * Does nothing on a camera without a torch (see `torch-supported`).
 */
void
fk_camera_set_torch (FkCamera *self, gboolean on)
{
  g_return_if_fail (FK_IS_CAMERA (self));
  g_object_set (self, "torch", on, NULL);
}
