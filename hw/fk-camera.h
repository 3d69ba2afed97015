/* fk-camera.h: a camera giving preview frames, a luminance plane for the
 * QR scanner and still photos
 *
 * The interface has one GStreamer implementation (FkGstCamera) whose source
 * is either a real camera (libcamerasrc, v4l2src) or a simulated one (an
 * image file or a test pattern); everything after the source is the same.
 * The device factory (fk-devices.h) chooses which.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "fk-gray-image.h"

G_BEGIN_DECLS

typedef enum
{
  FK_CAMERA_STATE_STOPPED,
  FK_CAMERA_STATE_STARTING, /* pipeline up, no frame yet */
  FK_CAMERA_STATE_RUNNING,
  FK_CAMERA_STATE_ERROR, /* see fk_camera_get_error(): missing, busy, unplugged… */
} FkCameraState;

#define FK_TYPE_CAMERA_STATE (fk_camera_state_get_type ())
GType fk_camera_state_get_type (void);

/**
 * FkCameraFrame:
 * @pixels: packed RGB, 3 bytes a pixel, rows @stride bytes apart. The bytes
 *   are the mapped GStreamer buffer itself, not a copy: hand them to
 *   gdk_memory_texture_new() with %GDK_MEMORY_R8G8B8.
 *
 * GDK stays out of hw/: app/ turns a frame into a GdkTexture
 * (fk_camera_frame_to_texture()).
 */
typedef struct
{
  GBytes *pixels;
  int width;
  int height;
  int stride;
} FkCameraFrame;

#define FK_TYPE_CAMERA_FRAME (fk_camera_frame_get_type ())
GType fk_camera_frame_get_type (void);
FkCameraFrame *fk_camera_frame_ref (FkCameraFrame *frame);
void fk_camera_frame_unref (FkCameraFrame *frame);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkCameraFrame, fk_camera_frame_unref)

#define FK_TYPE_CAMERA (fk_camera_get_type ())
G_DECLARE_INTERFACE (FkCamera, fk_camera, FK, CAMERA, GObject)

/**
 * FkCameraInterface:
 *
 * Signals, emitted in the main context the camera was started in:
 * - `preview-frame` (#FkCameraFrame): a new frame to show
 * - `luma-frame` (#FkGrayImage): its luminance, for the QR scanner; frames
 *   are dropped, never queued, while a handler is busy
 * Property `state` (#FkCameraState) is notified on every change.
 *
 * Torch, where the camera has a light it can keep on (V4L2's flash LED in
 * torch mode; a simulated camera when FIELDKIT_SIM_TORCH=1):
 * - `torch-supported` (read-only): known once the camera has started,
 *   %FALSE while it is stopped
 * - `torch` (read-write): the light is on; setting it on a camera without
 *   one leaves it %FALSE. Stopping the camera turns the light off.
 */
struct _FkCameraInterface
{
  GTypeInterface g_iface;

  gboolean (*start) (FkCamera *self, GError **error);
  void (*stop) (FkCamera *self);
  FkCameraState (*get_state) (FkCamera *self);
  const GError *(*get_error) (FkCamera *self);
  gboolean (*capture_still) (FkCamera *self, FkCameraFrame **frame, FkGrayImage **luma,
                             GError **error);
};

gboolean fk_camera_start (FkCamera *self, GError **error);
void fk_camera_stop (FkCamera *self);
FkCameraState fk_camera_get_state (FkCamera *self);
const GError *fk_camera_get_error (FkCamera *self);
gboolean fk_camera_capture_still (FkCamera *self, FkCameraFrame **frame, FkGrayImage **luma,
                                  GError **error);
gboolean fk_camera_get_torch_supported (FkCamera *self);
gboolean fk_camera_get_torch (FkCamera *self);
void fk_camera_set_torch (FkCamera *self, gboolean on);

G_END_DECLS
