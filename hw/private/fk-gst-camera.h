/* fk-gst-camera.h: FkCamera on GStreamer, real or simulated source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-camera.h"

G_BEGIN_DECLS

#define FK_TYPE_GST_CAMERA (fk_gst_camera_get_type ())
G_DECLARE_FINAL_TYPE (FkGstCamera, fk_gst_camera, FK, GST_CAMERA, GObject)

FkCamera *fk_gst_camera_new_real (const char *device);
FkCamera *fk_gst_camera_new_sim (const char *image_path, int max_frames);

G_END_DECLS
