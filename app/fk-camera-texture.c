/* fk-camera-texture.c: camera frames as GdkTextures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-camera-texture.h"

/**
 * fk_camera_frame_to_texture:
 *
 * Returns: (transfer full): a texture over the frame's pixels. The texture
 *   holds the frame's GBytes, which hold the mapped GStreamer buffer, so no
 *   pixel is copied; a GtkPicture or GtkImage can show it as it is.
 */
GdkTexture *
fk_camera_frame_to_texture (FkCameraFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);
  return gdk_memory_texture_new (frame->width, frame->height, GDK_MEMORY_R8G8B8, frame->pixels,
                                 frame->stride);
}
