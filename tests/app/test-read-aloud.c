/* test-read-aloud.c: the app's speech at the speed of its settings, and
 * what the officer is told when the device cannot speak
 *
 * No display, no sound: the speech device is the simulated one, and the
 * settings are the app's schema in memory (GSETTINGS_BACKEND=memory).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <string.h>

#include "fk-core-init.h"
#include "fk-hw-error.h"
#include "fk-read-aloud.h"
#include "fk-settings.h"

static void
test_speeds (void)
{
  g_assert_cmpuint (fk_read_aloud_rate_for_speed ("slow"), ==, FK_SPEECH_RATE_DEFAULT);
  g_assert_cmpuint (fk_read_aloud_rate_for_speed ("normal"), ==, 175);
  g_assert_cmpuint (fk_read_aloud_rate_for_speed ("fast"), ==, 210);
  /* Anything else: the slow speed, which every listener follows. */
  g_assert_cmpuint (fk_read_aloud_rate_for_speed (NULL), ==, FK_SPEECH_RATE_DEFAULT);
  g_assert_cmpuint (fk_read_aloud_rate_for_speed ("warp"), ==, FK_SPEECH_RATE_DEFAULT);
}

/* Every text said after a change of the setting has the new speed; the
 * default is the slow one. */
static void
test_speed_follows_settings (void)
{
  g_autoptr (GSettings) settings = fk_settings_new ();
  g_autoptr (FkDevices) devices = fk_devices_new (FK_HW_BACKEND_SIM);
  g_autoptr (FkSpeech) speech = NULL;

  g_assert_nonnull (settings);
  g_settings_reset (settings, FK_READ_ALOUD_SPEED_KEY);
  speech = fk_read_aloud_open (devices, settings);
  g_assert_cmpuint (fk_speech_get_rate (speech), ==, 130);
  g_settings_set_string (settings, FK_READ_ALOUD_SPEED_KEY, "fast");
  g_assert_cmpuint (fk_speech_get_rate (speech), ==, 210);
  g_settings_set_string (settings, FK_READ_ALOUD_SPEED_KEY, "normal");
  g_assert_cmpuint (fk_speech_get_rate (speech), ==, 175);
  /* Once the speech is gone, a change of the setting reaches nothing. */
  g_clear_object (&speech);
  g_settings_set_string (settings, FK_READ_ALOUD_SPEED_KEY, "slow");
}

/* Each failure says what to do, and that the officer can read it. */
static void
test_explain (void)
{
  const struct
  {
    int code;
    const char *says;
  } cases[] = {
    { FK_HW_ERROR_SPEECH_NO_VOICE, "espeak-ng" },
    { FK_HW_ERROR_SPEECH_NO_SOUND, "speaker or headphones" },
    { FK_HW_ERROR_SPEECH_FAILED, "restart the device" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = g_error_new_literal (FK_HW_ERROR, cases[i].code, "detail");
      g_autofree char *text = fk_read_aloud_explain (error);

      g_assert_nonnull (strstr (text, cases[i].says));
      g_assert_nonnull (strstr (text, "read the text aloud yourself"));
      /* The officer's words, not the device's. */
      g_assert_null (strstr (text, "detail"));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  fk_i18n_init ("en");
  g_test_add_func ("/read-aloud/speeds", test_speeds);
  g_test_add_func ("/read-aloud/speed-follows-settings", test_speed_follows_settings);
  g_test_add_func ("/read-aloud/explain", test_explain);
  return g_test_run ();
}
