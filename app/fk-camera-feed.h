/* fk-camera-feed.h: a camera shown live in a picture
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "fk-camera.h"

G_BEGIN_DECLS

#define FK_TYPE_CAMERA_FEED (fk_camera_feed_get_type ())
G_DECLARE_FINAL_TYPE (FkCameraFeed, fk_camera_feed, FK, CAMERA_FEED, GObject)

FkCameraFeed *fk_camera_feed_new (GtkPicture *picture);
gboolean fk_camera_feed_start (FkCameraFeed *self);
void fk_camera_feed_stop (FkCameraFeed *self);
FkCamera *fk_camera_feed_get_camera (FkCameraFeed *self);
const char *fk_camera_feed_get_problem (FkCameraFeed *self);

G_END_DECLS
