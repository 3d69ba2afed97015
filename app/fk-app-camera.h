/* fk-app-camera.h: the camera as pages use it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-camera.h"

G_BEGIN_DECLS

FkCamera *fk_app_camera_open (char **problem);
char *fk_app_camera_dup_stop_problem (FkCamera *camera);

G_END_DECLS
