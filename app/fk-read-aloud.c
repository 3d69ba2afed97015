/* fk-read-aloud.c: texts read aloud to the citizen, at the speed of the
 * settings
 *
 * The app has one speech device (the session's): a new text stops the one
 * being said. Its speed follows the setting FK_READ_ALOUD_SPEED_KEY, read
 * again at every change, so every text said after a change has the new
 * speed. The speeds are espeak-ng's words a minute: "slow" is the hw
 * layer's default, which elderly listeners follow, "normal" espeak-ng's
 * own default, "fast" for a listener who already knows the text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-hw-error.h"
#include "fk-read-aloud.h"

#define RATE_SLOW   FK_SPEECH_RATE_DEFAULT /* 130 */
#define RATE_NORMAL 175
#define RATE_FAST   210

/**
 * fk_read_aloud_rate_for_speed:
 * @speed: (nullable): "slow", "normal" or "fast"
 *
 * Returns: the words a minute of @speed; the slow one for anything else
 */
guint
fk_read_aloud_rate_for_speed (const char *speed)
{
  if (g_strcmp0 (speed, "normal") == 0)
    return RATE_NORMAL;
  if (g_strcmp0 (speed, "fast") == 0)
    return RATE_FAST;
  return RATE_SLOW;
}

static void
speed_changed (GSettings *settings, const char *key, FkSpeech *speech)
{
  g_autofree char *speed = g_settings_get_string (settings, FK_READ_ALOUD_SPEED_KEY);

  fk_speech_set_rate (speech, fk_read_aloud_rate_for_speed (speed));
}

/**
 * fk_read_aloud_open:
 * @settings: (nullable): the app's settings; without them, the slow speed
 *
 * Returns: (transfer full): the device factory's speech, its speed
 *   following @settings
 */
FkSpeech *
fk_read_aloud_open (FkDevices *devices, GSettings *settings)
{
  FkSpeech *speech;

  g_return_val_if_fail (FK_IS_DEVICES (devices), NULL);
  speech = fk_devices_open_speech (devices);
  fk_speech_set_rate (speech, fk_read_aloud_rate_for_speed (NULL));
  if (settings != NULL)
    {
      g_signal_connect_object (settings, "changed::" FK_READ_ALOUD_SPEED_KEY,
                               G_CALLBACK (speed_changed), speech, 0);
      speed_changed (settings, FK_READ_ALOUD_SPEED_KEY, speech);
    }
  return speech;
}

/**
 * fk_read_aloud_explain:
 * @error: how a text failed to be said (not a stop)
 *
 * Returns: (transfer full): what the officer can do about it, translated:
 *   fix the sound, or read the text aloud themselves
 */
char *
fk_read_aloud_explain (const GError *error)
{
  const char *what;

  g_return_val_if_fail (error != NULL, NULL);
  if (g_error_matches (error, FK_HW_ERROR, FK_HW_ERROR_SPEECH_NO_VOICE))
    what = _ ("The device has no Vietnamese voice (espeak-ng is not installed): ask the "
              "commune's technician to install it.");
  else if (g_error_matches (error, FK_HW_ERROR, FK_HW_ERROR_SPEECH_NO_SOUND))
    what = _ ("No sound comes out: plug in the speaker or headphones, turn the volume up, then "
              "press “Read aloud” again.");
  else
    what = _ ("The device could not read the text aloud: press “Read aloud” again; if it fails "
              "again, restart the device.");
  /* TRANSLATORS: a reason above, then what the officer can always do */
  return g_strdup_printf (_ ("%s Meanwhile, read the text aloud yourself."), what);
}
