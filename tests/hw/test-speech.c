/* test-speech.c: Vietnamese read aloud with espeak-ng
 *
 * The simulated speech device writes what it says into a WAV file, paced
 * as if it were heard; the file is checked with sox (length, loudness) and
 * against espeak-ng's own command line saying the same text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gstdio.h>

#include "fk-devices.h"
#include "fk-hw-error.h"
#include "fk-speech-private.h"

#define SHORT_TEXT "Xin chào bà con."
#define LONG_TEXT                                                                                                            \
  "Tôi đồng ý để Trung tâm Phục vụ hành chính công xã thu thập và xử lý dữ liệu cá nhân của " \
  "tôi để giải quyết hồ sơ này. Dữ liệu được niêm phong trên thiết bị và chỉ gửi về Trung tâm."

typedef struct
{
  double seconds;
  double rms;
} WavStats;

/* sox's "stat" of @path: its length and RMS amplitude (0..1). */
static WavStats
wav_stats (const char *path)
{
  const char *argv[] = { "sox", path, "-n", "stat", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  WavStats stats = { 0, 0 };
  int status;
  const char *line;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* sox writes its statistics on standard error. */
  line = strstr (err, "Length (seconds):");
  g_assert_nonnull (line);
  stats.seconds = g_ascii_strtod (line + strlen ("Length (seconds):"), NULL);
  line = strstr (err, "RMS     amplitude:");
  g_assert_nonnull (line);
  stats.rms = g_ascii_strtod (line + strlen ("RMS     amplitude:"), NULL);
  return stats;
}

static gboolean
have_tools (void)
{
  g_autofree char *sox = g_find_program_in_path ("sox");
  g_autofree char *espeak = g_find_program_in_path ("espeak-ng");

  if (sox == NULL || espeak == NULL)
    {
      g_test_skip ("sox or espeak-ng is not installed (scripts/ensure-deps installs them)");
      return FALSE;
    }
  return TRUE;
}

static void
test_synthesize (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) brief = NULL;
  g_autoptr (GBytes) full = NULL;
  g_autoptr (GBytes) slow = NULL;
  guint rate = 0;

  brief = fk_speech_synthesize (SHORT_TEXT, 175, &rate, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rate, ==, 22050);
  full = fk_speech_synthesize (LONG_TEXT, 175, NULL, &error);
  slow = fk_speech_synthesize (LONG_TEXT, 110, NULL, &error);
  g_assert_no_error (error);
  /* The sound grows with the text, and with a slower speed. */
  g_assert_cmpuint (g_bytes_get_size (brief), >, rate * 2 / 2);
  g_assert_cmpuint (g_bytes_get_size (full), >, 5 * g_bytes_get_size (brief));
  g_assert_cmpuint (g_bytes_get_size (slow), >, g_bytes_get_size (full) * 5 / 4);
}

typedef struct
{
  GMainLoop *loop;
  GError *error;
  gboolean done;
} Said;

static void
said (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Said *s = user_data;

  s->done = fk_speech_say_finish (FK_SPEECH (source), result, &s->error);
  g_main_loop_quit (s->loop);
}

static char *
espeak_reference (const char *dir, const char *text, guint rate)
{
  g_autofree char *speed = g_strdup_printf ("%u", rate);
  char *path = g_build_filename (dir, "reference.wav", NULL);
  const char *argv[] = { "espeak-ng", "-v", "vi", "-s", speed, "-w", path, text, NULL };
  g_autoptr (GError) error = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return path;
}

static void
test_simulated_device (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fk-speech-XXXXXX", NULL);
  g_autofree char *wav = g_build_filename (dir, "speech.wav", NULL);
  g_autofree char *reference = NULL;
  g_autoptr (FkSpeech) speech = fk_speech_new (wav);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Said s = { loop, NULL, FALSE };
  WavStats heard, expected;

  if (!have_tools ())
    return;
  fk_speech_set_rate (speech, 120);
  g_assert_cmpuint (fk_speech_get_rate (speech), ==, 120);
  fk_speech_say_async (speech, LONG_TEXT, NULL, said, &s);
  g_assert_true (fk_speech_get_speaking (speech));
  g_main_loop_run (loop);
  g_assert_no_error (s.error);
  g_assert_true (s.done);
  g_assert_false (fk_speech_get_speaking (speech));

  /* Not silence, and as long as espeak-ng's own saying of it. */
  heard = wav_stats (wav);
  reference = espeak_reference (dir, LONG_TEXT, 120);
  expected = wav_stats (reference);
  g_test_message ("heard %.2f s (RMS %.3f), espeak-ng %.2f s", heard.seconds, heard.rms,
                  expected.seconds);
  g_assert_cmpfloat (heard.rms, >, 0.02);
  g_assert_cmpfloat (heard.seconds, >, expected.seconds * 0.9);
  g_assert_cmpfloat (heard.seconds, <, expected.seconds * 1.1);
  g_unlink (reference);
  g_unlink (wav);
  g_rmdir (dir);
}

static gboolean
stop_now (gpointer data)
{
  fk_speech_stop (data);
  return G_SOURCE_REMOVE;
}

static gboolean
cancel_now (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_stop (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fk-speech-XXXXXX", NULL);
  g_autofree char *wav = g_build_filename (dir, "speech.wav", NULL);
  g_autoptr (FkSpeech) speech = fk_speech_new (wav);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GBytes) full = fk_speech_synthesize (LONG_TEXT, 130, NULL, NULL);
  double full_seconds = (double) g_bytes_get_size (full) / 2 / 22050;
  Said s = { loop, NULL, FALSE };
  WavStats heard;

  if (!have_tools ())
    return;
  /* Stopped a moment in: done at once, the file holds what was heard. */
  fk_speech_say_async (speech, LONG_TEXT, NULL, said, &s);
  g_timeout_add (800, stop_now, speech);
  g_main_loop_run (loop);
  g_assert_error (s.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&s.error);
  g_assert_false (fk_speech_get_speaking (speech));
  heard = wav_stats (wav);
  g_test_message ("stopped after %.2f s of %.2f s", heard.seconds, full_seconds);
  g_assert_cmpfloat (heard.seconds, <, full_seconds / 2);

  /* A cancellable stops it too. */
  {
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();

    fk_speech_say_async (speech, LONG_TEXT, cancellable, said, &s);
    g_timeout_add_full (G_PRIORITY_DEFAULT, 300, cancel_now, g_object_ref (cancellable),
                        g_object_unref);
    g_main_loop_run (loop);
    g_test_message ("cancelled: %s", s.error != NULL ? s.error->message : "no error");
    g_assert_true (g_cancellable_is_cancelled (cancellable));
    g_assert_error (s.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&s.error);
  }
  g_unlink (wav);
  g_rmdir (dir);
}

static void
test_unwritable (void)
{
  g_autoptr (FkSpeech) speech = fk_speech_new ("/nonexistent/folder/speech.wav");
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Said s = { loop, NULL, FALSE };

  fk_speech_say_async (speech, SHORT_TEXT, NULL, said, &s);
  g_main_loop_run (loop);
  g_assert_error (s.error, FK_HW_ERROR, FK_HW_ERROR_SPEECH_FAILED);
  g_assert_nonnull (strstr (s.error->message, "/nonexistent/folder/speech.wav"));
  g_clear_error (&s.error);
}

static char *factory_wav; /* FIELDKIT_SIM_SPEECH, set before any thread runs */

/* The factory's simulated device writes where FIELDKIT_SIM_SPEECH says. */
static void
test_factory (void)
{
  const char *wav = factory_wav;
  g_autoptr (FkDevices) devices = fk_devices_new (FK_HW_BACKEND_SIM);
  g_autoptr (FkSpeech) speech = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Said s = { loop, NULL, FALSE };

  if (!have_tools ())
    return;
  speech = fk_devices_open_speech (devices);
  fk_speech_say_async (speech, SHORT_TEXT, NULL, said, &s);
  g_main_loop_run (loop);
  g_assert_no_error (s.error);
  g_assert_cmpfloat (wav_stats (wav).seconds, >, 0.5);
  g_unlink (wav);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("fk-speech-XXXXXX", NULL);
  factory_wav = g_build_filename (dir, "factory.wav", NULL);
  g_setenv ("FIELDKIT_SIM_SPEECH", factory_wav, TRUE);
  g_test_add_func ("/speech/synthesize", test_synthesize);
  g_test_add_func ("/speech/simulated-device", test_simulated_device);
  g_test_add_func ("/speech/stop", test_stop);
  g_test_add_func ("/speech/unwritable", test_unwritable);
  g_test_add_func ("/speech/factory", test_factory);
  status = g_test_run ();
  g_rmdir (dir);
  g_free (factory_wav);
  return status;
}
