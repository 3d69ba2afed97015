/* fk-app-camera.c: the camera as pages use it
 *
 * The card scanner and the document photos start the camera the same way:
 * from the app's device factory (simulated or real is its choice), with
 * what goes wrong told in one sentence the page shows instead of the
 * preview.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-app-camera.h"
#include "fk-application.h"

/**
 * fk_app_camera_open:
 * @problem: (out) (transfer full): why there is no camera, in a sentence
 *   for the page, when %NULL is returned
 *
 * Returns: (transfer full) (nullable): a started camera; its frames arrive
 *   in the main context, so handlers connected now miss none.
 */
FkCamera *
fk_app_camera_open (char **problem)
{
  FkDevices *devices = fk_application_get_devices (fk_application_get_default ());
  g_autoptr (FkCamera) camera = fk_devices_new_camera (devices);
  g_autoptr (GError) error = NULL;

  if (fk_camera_start (camera, &error))
    return g_steal_pointer (&camera);
  fk_camera_stop (camera);
  *problem = g_strdup_printf (_ ("The camera cannot start: %s"), error->message);
  return NULL;
}

/**
 * fk_app_camera_dup_stop_problem:
 *
 * Returns: (transfer full) (nullable): why a camera that was running
 *   stopped (unplugged, taken by another program…), in a sentence for the
 *   page; %NULL while it works.
 */
char *
fk_app_camera_dup_stop_problem (FkCamera *camera)
{
  const GError *error = fk_camera_get_error (camera);

  if (fk_camera_get_state (camera) != FK_CAMERA_STATE_ERROR)
    return NULL;
  return g_strdup_printf (_ ("The camera stopped: %s Type the data in instead."),
                          error != NULL ? error->message : "");
}
