/* test-camera.c: the GStreamer camera on its simulated sources, and the
 * states a user sees when a camera is missing or unplugged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <string.h>

#include "fk-camera-texture.h"
#include "fk-devices.h"
#include "fk-gst-camera.h"
#include "fk-hw-error.h"
#include "fk-qr-scanner.h"

typedef struct
{
  GMainLoop *loop;
  FkQrScanner *scanner;
  int previews;
  int lumas;
  FkCameraFrame *last_preview;
  GBytes *live_payload;
  int stop_after_previews;
} Watch;

static gboolean
on_timeout (gpointer data)
{
  g_error ("the camera gave no answer in time");
  return G_SOURCE_REMOVE;
}

static void
on_preview (FkCamera *camera, FkCameraFrame *frame, Watch *w)
{
  w->previews++;
  g_clear_pointer (&w->last_preview, fk_camera_frame_unref);
  w->last_preview = fk_camera_frame_ref (frame);
  if (w->stop_after_previews > 0 && w->previews >= w->stop_after_previews)
    g_main_loop_quit (w->loop);
}

static void
on_luma (FkCamera *camera, FkGrayImage *image, Watch *w)
{
  w->lumas++;
  if (w->scanner != NULL && w->live_payload == NULL)
    {
      g_autoptr (FkQrResult) r = fk_qr_scanner_scan (w->scanner, image, FK_QR_MODE_LIVE);

      if (r != NULL)
        {
          w->live_payload = g_bytes_ref (r->payload);
          g_main_loop_quit (w->loop);
        }
    }
}

static void
on_state (FkCamera *camera, GParamSpec *pspec, Watch *w)
{
  if (fk_camera_get_state (camera) == FK_CAMERA_STATE_ERROR)
    g_main_loop_quit (w->loop);
}

static void
watch_init (Watch *w, FkCamera *camera)
{
  memset (w, 0, sizeof *w);
  w->loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (camera, "preview-frame", G_CALLBACK (on_preview), w);
  g_signal_connect (camera, "luma-frame", G_CALLBACK (on_luma), w);
  g_signal_connect (camera, "notify::state", G_CALLBACK (on_state), w);
}

static void
watch_run (Watch *w)
{
  guint timeout = g_timeout_add_seconds (30, on_timeout, NULL);

  g_main_loop_run (w->loop);
  g_source_remove (timeout);
}

static void
watch_clear (Watch *w, FkCamera *camera)
{
  g_signal_handlers_disconnect_by_data (camera, w);
  g_clear_pointer (&w->loop, g_main_loop_unref);
  g_clear_pointer (&w->last_preview, fk_camera_frame_unref);
  g_clear_pointer (&w->live_payload, g_bytes_unref);
  g_clear_object (&w->scanner);
}

static GBytes *
expected_payload (const char *file)
{
  g_autofree char *path =
    g_build_filename (g_getenv ("FK_SOURCE_ROOT"), "tests", "data", "qr", "labels.tsv", NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], "\t", 4);

      if (g_strv_length (f) == 4 && g_str_equal (f[0], file))
        return g_bytes_new (f[3], strlen (f[3]));
    }
  g_assert_not_reached ();
}

/* RUNNING means both the preview and the luma branch have delivered. */
static void
wait_while_starting (FkCamera *camera)
{
  guint timeout = g_timeout_add_seconds (30, on_timeout, NULL);

  while (fk_camera_get_state (camera) == FK_CAMERA_STATE_STARTING)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

/* A card in front of the simulated camera: preview frames at the photo's
 * size, the live QR pass finds the code, and the still decodes too. */
static void
test_sim_card (void)
{
  g_autofree char *path =
    g_build_filename (g_getenv ("FK_SOURCE_ROOT"), "tests", "data", "qr", "easy-003.jpg", NULL);
  g_autoptr (FkCamera) camera = fk_gst_camera_new_sim (path, -1);
  g_autoptr (GBytes) expected = expected_payload ("easy-003.jpg");
  g_autoptr (GError) error = NULL;
  g_autoptr (FkCameraFrame) still = NULL;
  g_autoptr (FkGrayImage) luma = NULL;
  g_autoptr (FkQrScanner) scanner = fk_qr_scanner_new ();
  g_autoptr (FkQrResult) result = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  Watch w;

  watch_init (&w, camera);
  w.scanner = fk_qr_scanner_new ();
  g_assert_true (fk_camera_start (camera, &error));
  g_assert_no_error (error);
  watch_run (&w);
  g_assert_nonnull (w.live_payload);
  g_assert_true (g_bytes_equal (w.live_payload, expected));
  /* the code can be read from the very first luma frame, before the
   * preview branch has delivered and the camera counts as running */
  wait_while_starting (camera);
  g_assert_cmpint (fk_camera_get_state (camera), ==, FK_CAMERA_STATE_RUNNING);

  g_assert_true (fk_camera_capture_still (camera, &still, &luma, &error));
  g_assert_no_error (error);
  g_assert_cmpint (still->width, ==, 960);
  g_assert_cmpint (still->height, ==, 720);
  g_assert_cmpint (still->stride, >=, 960 * 3);
  g_assert_cmpuint (g_bytes_get_size (still->pixels), >=, (gsize) still->stride * 720);
  g_assert_cmpint (luma->width, ==, 960);
  result = fk_qr_scanner_scan (scanner, luma, FK_QR_MODE_STILL);
  g_assert_nonnull (result);
  g_assert_true (g_bytes_equal (result->payload, expected));

  /* the UI's texture shares the frame's pixels */
  texture = fk_camera_frame_to_texture (still);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 960);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 720);
  {
    g_autofree guchar *rgba = g_malloc ((gsize) 960 * 720 * 4);
    const guint8 *rgb = g_bytes_get_data (still->pixels, NULL);

    /* downloads come as GDK_MEMORY_DEFAULT: B, G, R, A in memory */
    gdk_texture_download (texture, rgba, 960 * 4);
    for (int x = 0; x < 960; x += 97)
      for (int c = 0; c < 3; c++)
        g_assert_cmpint (rgba[(gsize) 360 * 960 * 4 + x * 4 + 2 - c], ==,
                         rgb[(gsize) 360 * still->stride + x * 3 + c]);
  }

  fk_camera_stop (camera);
  g_assert_cmpint (fk_camera_get_state (camera), ==, FK_CAMERA_STATE_STOPPED);
  g_assert_false (fk_camera_capture_still (camera, NULL, NULL, &error));
  g_assert_error (error, FK_HW_ERROR, FK_HW_ERROR_CAMERA_NO_FRAME);
  watch_clear (&w, camera);
}

/* Unplugged mid-preview (the stream ends): an error state with a reason,
 * no crash; plugging back in (start again) works. */
static void
test_unplug (void)
{
  g_autoptr (FkCamera) camera = fk_gst_camera_new_sim (NULL, 8);
  g_autoptr (GError) error = NULL;
  Watch w;

  watch_init (&w, camera);
  g_assert_true (fk_camera_start (camera, &error));
  watch_run (&w);
  g_assert_cmpint (w.previews, >, 0);
  g_assert_cmpint (w.last_preview->width, ==, 1280);
  g_assert_cmpint (w.last_preview->height, ==, 720);
  g_assert_cmpint (fk_camera_get_state (camera), ==, FK_CAMERA_STATE_ERROR);
  g_assert_error (fk_camera_get_error (camera), FK_HW_ERROR, FK_HW_ERROR_CAMERA_DISCONNECTED);
  g_assert_false (fk_camera_capture_still (camera, NULL, NULL, &error));
  g_assert_error (error, FK_HW_ERROR, FK_HW_ERROR_CAMERA_DISCONNECTED);
  g_clear_error (&error);

  w.previews = 0;
  w.stop_after_previews = 2;
  g_assert_true (fk_camera_start (camera, &error));
  g_assert_no_error (error);
  watch_run (&w);
  g_assert_cmpint (w.previews, >=, 2);
  g_assert_null (fk_camera_get_error (camera));
  fk_camera_stop (camera);
  watch_clear (&w, camera);
}

static void
test_missing (void)
{
  g_autoptr (FkCamera) real = fk_gst_camera_new_real ("/dev/fk-no-such-camera");
  g_autoptr (FkCamera) sim = fk_gst_camera_new_sim ("no-such-card.jpg", -1);
  g_autoptr (GError) error = NULL;

  g_assert_false (fk_camera_start (real, &error));
  g_assert_error (error, FK_HW_ERROR, FK_HW_ERROR_CAMERA_MISSING);
  g_assert_cmpint (fk_camera_get_state (real), ==, FK_CAMERA_STATE_ERROR);
  g_assert_error (fk_camera_get_error (real), FK_HW_ERROR, FK_HW_ERROR_CAMERA_MISSING);
  g_clear_error (&error);

  g_assert_false (fk_camera_start (sim, &error));
  g_assert_error (error, FK_HW_ERROR, FK_HW_ERROR_CAMERA_MISSING);
}

/* FIELDKIT_HW=sim (set for every test) makes the device factory hand out
 * the simulated camera. */
static void
test_backend_from_env (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkDevices) devices = fk_devices_new (FK_HW_BACKEND_DEFAULT);
  g_autoptr (FkCamera) camera = fk_devices_new_camera (devices);
  Watch w;

  g_assert_cmpstr (g_getenv ("FIELDKIT_HW"), ==, "sim");
  g_assert_true (fk_devices_is_simulated (devices));
  watch_init (&w, camera);
  g_assert_true (fk_camera_start (camera, &error));
  wait_while_starting (camera);
  g_assert_cmpint (fk_camera_get_state (camera), ==, FK_CAMERA_STATE_RUNNING);
  g_assert_cmpint (w.previews, >, 0);
  g_assert_cmpint (w.lumas, >, 0);
  fk_camera_stop (camera);
  watch_clear (&w, camera);
}

static double
mean_level (FkCameraFrame *frame)
{
  const guint8 *rgb = g_bytes_get_data (frame->pixels, NULL);
  guint64 sum = 0;
  guint64 n = 0;

  for (int y = 0; y < frame->height; y += 4)
    for (int x = 0; x < frame->width * 3; x += 3 * 4)
      {
        sum += rgb[(gsize) y * frame->stride + x] + rgb[(gsize) y * frame->stride + x + 1] +
               rgb[(gsize) y * frame->stride + x + 2];
        n += 3;
      }
  return (double) sum / (double) n;
}

static void
count_notify (GObject *object, GParamSpec *pspec, int *count)
{
  (*count)++;
}

/* Frames made before a change are still in flight: wait for a few more. */
static void
wait_previews (Watch *w, int n)
{
  w->previews = 0;
  w->stop_after_previews = n;
  watch_run (w);
}

/* Without FIELDKIT_SIM_TORCH a camera has no torch: asking for it changes
 * nothing, and the picture stays as it was. A missing camera has none. */
static void
test_torch_unsupported (void)
{
  g_autofree char *path =
    g_build_filename (g_getenv ("FK_SOURCE_ROOT"), "tests", "data", "qr", "easy-003.jpg", NULL);
  g_autoptr (FkCamera) camera = NULL;
  g_autoptr (FkCamera) real = fk_gst_camera_new_real ("/dev/fk-no-such-camera");
  g_autoptr (GError) error = NULL;
  double before;
  int torch_notifies = 0;
  Watch w;

  g_unsetenv ("FIELDKIT_SIM_TORCH");
  camera = fk_gst_camera_new_sim (path, -1);
  watch_init (&w, camera);
  g_signal_connect (camera, "notify::torch", G_CALLBACK (count_notify), &torch_notifies);
  g_assert_true (fk_camera_start (camera, &error));
  wait_previews (&w, 2);
  g_assert_false (fk_camera_get_torch_supported (camera));
  before = mean_level (w.last_preview);
  fk_camera_set_torch (camera, TRUE);
  g_assert_false (fk_camera_get_torch (camera));
  /* the refusal is notified, so a toggle button bound to it springs back */
  g_assert_cmpint (torch_notifies, ==, 1);
  wait_previews (&w, 5);
  g_assert_cmpfloat (ABS (mean_level (w.last_preview) - before), <, 1.0);
  fk_camera_stop (camera);
  watch_clear (&w, camera);

  g_assert_false (fk_camera_start (real, &error));
  g_assert_false (fk_camera_get_torch_supported (real));
  fk_camera_set_torch (real, TRUE);
  g_assert_false (fk_camera_get_torch (real));
}

/* FIELDKIT_SIM_TORCH=1: the simulated camera has a torch once started; it
 * lights the picture up, the card still reads under it, and it goes off
 * with the camera. */
static void
test_torch_sim (void)
{
  g_autofree char *path =
    g_build_filename (g_getenv ("FK_SOURCE_ROOT"), "tests", "data", "qr", "easy-003.jpg", NULL);
  g_autoptr (GBytes) expected = expected_payload ("easy-003.jpg");
  g_autoptr (FkCamera) camera = NULL;
  g_autoptr (GError) error = NULL;
  double off, on;
  int supported_notifies = 0;
  Watch w;

  g_setenv ("FIELDKIT_SIM_TORCH", "1", TRUE);
  camera = fk_gst_camera_new_sim (path, -1);
  g_signal_connect (camera, "notify::torch-supported", G_CALLBACK (count_notify),
                    &supported_notifies);
  g_assert_false (fk_camera_get_torch_supported (camera));
  watch_init (&w, camera);
  g_assert_true (fk_camera_start (camera, &error));
  g_assert_no_error (error);
  g_assert_true (fk_camera_get_torch_supported (camera));
  g_assert_cmpint (supported_notifies, ==, 1);
  g_assert_false (fk_camera_get_torch (camera));
  wait_previews (&w, 3);
  off = mean_level (w.last_preview);

  fk_camera_set_torch (camera, TRUE);
  g_assert_true (fk_camera_get_torch (camera));
  wait_previews (&w, 5);
  on = mean_level (w.last_preview);
  g_test_message ("mean level: torch off %.1f, on %.1f", off, on);
  g_assert_cmpfloat (on, >, off + 30);

  w.stop_after_previews = 0;
  w.scanner = fk_qr_scanner_new ();
  watch_run (&w);
  g_assert_nonnull (w.live_payload);
  g_assert_true (g_bytes_equal (w.live_payload, expected));

  fk_camera_set_torch (camera, FALSE);
  wait_previews (&w, 5);
  g_assert_cmpfloat (ABS (mean_level (w.last_preview) - off), <, 1.0);

  fk_camera_set_torch (camera, TRUE);
  fk_camera_stop (camera);
  g_assert_false (fk_camera_get_torch (camera));
  g_assert_false (fk_camera_get_torch_supported (camera));
  /* started again, the light is off until asked for */
  g_assert_true (fk_camera_start (camera, &error));
  g_assert_true (fk_camera_get_torch_supported (camera));
  g_assert_false (fk_camera_get_torch (camera));
  wait_previews (&w, 5);
  g_assert_cmpfloat (ABS (mean_level (w.last_preview) - off), <, 1.0);
  fk_camera_stop (camera);
  watch_clear (&w, camera);
  g_unsetenv ("FIELDKIT_SIM_TORCH");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/camera/sim-card", test_sim_card);
  g_test_add_func ("/camera/unplug", test_unplug);
  g_test_add_func ("/camera/missing", test_missing);
  g_test_add_func ("/camera/backend-from-env", test_backend_from_env);
  g_test_add_func ("/camera/torch-unsupported", test_torch_unsupported);
  g_test_add_func ("/camera/torch-sim", test_torch_sim);
  return g_test_run ();
}
