/* fk-camera-texture.h: camera frames as GdkTextures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "fk-camera.h"

G_BEGIN_DECLS

GdkTexture *fk_camera_frame_to_texture (FkCameraFrame *frame);

G_END_DECLS
