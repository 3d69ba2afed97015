/* test-devices.c: the device factory chooses real or simulated devices
 * from FIELDKIT_HW, else the app's `hardware` setting, else real
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-core-init.h"
#include "fk-devices.h"

static void
test_choice (void)
{
  g_autoptr (GSettings) settings = g_settings_new (FK_SETTINGS_SCHEMA_ID);
  g_autoptr (FkDevices) devices = NULL;
  g_autoptr (FkDevices) forced = NULL;

  /* Every test runs with FIELDKIT_HW=sim; this one looks behind it. */
  g_unsetenv ("FIELDKIT_HW");
  g_settings_reset (settings, "hardware");
  devices = fk_devices_new (FK_HW_BACKEND_DEFAULT);
  g_assert_cmpint (fk_devices_get_backend (devices), ==, FK_HW_BACKEND_REAL);

  /* The setting is read at each request: a change applies to the next
   * device. */
  g_settings_set_string (settings, "hardware", "sim");
  g_assert_cmpint (fk_devices_get_backend (devices), ==, FK_HW_BACKEND_SIM);
  g_assert_true (fk_devices_is_simulated (devices));

  /* The environment wins over the setting, both ways. */
  g_setenv ("FIELDKIT_HW", "real", TRUE);
  g_assert_cmpint (fk_devices_get_backend (devices), ==, FK_HW_BACKEND_REAL);
  g_settings_set_string (settings, "hardware", "real");
  g_setenv ("FIELDKIT_HW", "sim", TRUE);
  g_assert_cmpint (fk_devices_get_backend (devices), ==, FK_HW_BACKEND_SIM);

  /* A backend asked for by name (fieldkit-ctl's --sim) is kept. */
  g_setenv ("FIELDKIT_HW", "real", TRUE);
  forced = fk_devices_new (FK_HW_BACKEND_SIM);
  g_assert_true (fk_devices_is_simulated (forced));
  g_setenv ("FIELDKIT_HW", "sim", TRUE);
}

/* The simulated fingerprint reader is libfprint's virtual_image, pressed
 * with the finger given to the factory (or FIELDKIT_SIM_FINGERPRINT). */
static void
test_sim_fingerprint (void)
{
  g_autoptr (FkDevices) devices = fk_devices_new (FK_HW_BACKEND_SIM);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) readers = NULL;
  g_autofree char *finger =
    g_test_build_filename (G_TEST_DIST, "data", "fingerprints", "whorl.png", NULL);

  g_unsetenv ("FIELDKIT_SIM_FINGERPRINT");
  g_assert_null (fk_devices_get_sim_finger (devices));
  fk_devices_set_sim_finger (devices, finger);
  g_assert_cmpstr (fk_devices_get_sim_finger (devices), ==, finger);
  readers = fk_devices_list_fingerprint_readers (devices, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (readers->len, ==, 1);
  g_assert_cmpstr (fk_fingerprint_get_driver (g_ptr_array_index (readers, 0)), ==, "virtual_image");

  fk_devices_set_sim_finger (devices, "/nonexistent/finger.png");
  g_clear_pointer (&readers, g_ptr_array_unref);
  readers = fk_devices_list_fingerprint_readers (devices, &error);
  g_assert_null (readers);
  g_assert_nonnull (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/devices/choice", test_choice);
  g_test_add_func ("/devices/sim-fingerprint", test_sim_fingerprint);
  return g_test_run ();
}
