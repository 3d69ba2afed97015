/* test-fingerprint.c: enrol, verify and capture on libfprint's virtual_image
 * reader, fed with NIST prints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <cairo.h>
#include <string.h>

#include "fk-devices.h"
#include "fk-fingerprint-sim.h"
#include "fk-fingerprint.h"
#include "fk-hw-error.h"

static char *
print_path (const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.png", name);

  return g_test_build_filename (G_TEST_DIST, "data", "fingerprints", file, NULL);
}

/* A copy of a print moved by (@dx, @dy) pixels and turned by @degrees
 * around its centre, as a finger placed a little differently. */
static GBytes *
moved_print (const char *name, double dx, double dy, double degrees, int *width, int *height)
{
  g_autofree char *path = print_path (name);
  cairo_surface_t *src = cairo_image_surface_create_from_png (path);
  int w, h, stride;
  cairo_surface_t *dst;
  cairo_t *cr;
  GByteArray *grey;

  g_assert_cmpint (cairo_surface_status (src), ==, CAIRO_STATUS_SUCCESS);
  w = (cairo_image_surface_get_width (src) + 3) / 4 * 4;
  h = (cairo_image_surface_get_height (src) + 3) / 4 * 4;
  dst = cairo_image_surface_create (CAIRO_FORMAT_A8, w, h);
  cr = cairo_create (dst);
  cairo_translate (cr, w / 2.0 + dx, h / 2.0 + dy);
  cairo_rotate (cr, degrees * G_PI / 180.0);
  cairo_translate (cr, -w / 2.0, -h / 2.0);
  cairo_set_source_surface (cr, src, 0, 0);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_flush (dst);

  stride = cairo_image_surface_get_stride (dst);
  grey = g_byte_array_sized_new (w * h);
  for (int y = 0; y < h; y++)
    g_byte_array_append (grey, cairo_image_surface_get_data (dst) + y * stride, w);
  cairo_surface_destroy (dst);
  cairo_surface_destroy (src);
  *width = w;
  *height = h;
  return g_byte_array_free_to_bytes (grey);
}

/* The print as ink on white paper, without alpha, as a scanned card would
 * give it. Returns the path of a PNG in the test's temporary directory. */
static char *
paper_print (const char *name)
{
  g_autofree char *path = print_path (name);
  g_autofree char *file = g_strdup_printf ("%s-paper.png", name);
  char *out = g_build_filename (g_get_tmp_dir (), file, NULL);
  cairo_surface_t *src = cairo_image_surface_create_from_png (path);
  cairo_surface_t *dst;
  cairo_t *cr;

  g_assert_cmpint (cairo_surface_status (src), ==, CAIRO_STATUS_SUCCESS);
  dst = cairo_image_surface_create (CAIRO_FORMAT_RGB24, cairo_image_surface_get_width (src),
                                    cairo_image_surface_get_height (src));
  cr = cairo_create (dst);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_mask_surface (cr, src, 0, 0);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (dst, out), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (dst);
  cairo_surface_destroy (src);
  return out;
}

static void
set_finger (FkFingerprintSim *sim, const char *name)
{
  g_autofree char *path = print_path (name);
  g_autoptr (GError) error = NULL;

  g_assert_true (fk_fingerprint_sim_set_finger_file (sim, path, &error));
  g_assert_no_error (error);
}

static void
store_result (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GAsyncResult **result = user_data;

  *result = g_object_ref (res);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

typedef struct
{
  int presses;
  int last_stage;
  int n_stages;
  int finger_needed;
  GCancellable *cancel_at_press; /* cancelled after press 2 */
} Progress;

static void
on_progress (FkFingerprint *fp, int stage, int n_stages, const char *retry, Progress *progress)
{
  g_assert_null (retry);
  g_assert_cmpint (stage, ==, progress->last_stage + 1);
  progress->presses++;
  progress->last_stage = stage;
  progress->n_stages = n_stages;
  if (progress->cancel_at_press != NULL && stage == 2)
    g_cancellable_cancel (progress->cancel_at_press);
}

static void
on_finger_needed (FkFingerprint *fp, Progress *progress)
{
  progress->finger_needed++;
}

static GBytes *
enroll (FkFingerprintSim *sim, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  Progress progress = { 0 };
  gulong id = g_signal_connect (sim, "enroll-progress", G_CALLBACK (on_progress), &progress);
  GBytes *template;

  fk_fingerprint_enroll_async (FK_FINGERPRINT (sim), NULL, store_result, &result);
  template = fk_fingerprint_enroll_finish (FK_FINGERPRINT (sim), wait_for (&result), error);
  g_signal_handler_disconnect (sim, id);
  if (template != NULL)
    {
      g_assert_cmpint (progress.presses, ==,
                       fk_fingerprint_get_enroll_stages (FK_FINGERPRINT (sim)));
      g_assert_cmpint (progress.last_stage, ==, progress.n_stages);
    }
  return template;
}

static gboolean
verify (FkFingerprintSim *sim, GBytes *template, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  gboolean match = FALSE;

  fk_fingerprint_verify_async (FK_FINGERPRINT (sim), template, NULL, store_result, &result);
  if (!fk_fingerprint_verify_finish (FK_FINGERPRINT (sim), wait_for (&result), &match, error))
    return FALSE;
  return match;
}

static FkFingerprintSim *
new_sim (void)
{
  g_autoptr (GError) error = NULL;
  FkFingerprintSim *sim = fk_fingerprint_sim_new (&error);

  g_assert_no_error (error);
  g_assert_nonnull (sim);
  return sim;
}

static void
test_enroll_verify (void)
{
  g_autoptr (FkFingerprintSim) sim = new_sim ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) template = NULL;
  const char *others[] = { "arch", "loop-right", "tented_arch" };
  struct
  {
    double dx, dy, degrees;
  } moves[] = { { 12, -9, 0 }, { 0, 0, 6 }, { -8, 6, -5 } };

  g_assert_cmpstr (fk_fingerprint_get_driver (FK_FINGERPRINT (sim)), ==, "virtual_image");
  g_assert_cmpint (fk_fingerprint_get_enroll_stages (FK_FINGERPRINT (sim)), ==, 5);

  set_finger (sim, "whorl");
  template = enroll (sim, &error);
  g_assert_no_error (error);
  g_assert_nonnull (template);

  g_assert_true (verify (sim, template, &error));
  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (moves); i++)
    {
      int w, h;
      g_autoptr (GBytes) moved =
        moved_print ("whorl", moves[i].dx, moves[i].dy, moves[i].degrees, &w, &h);

      g_test_message ("whorl moved by (%g, %g), turned %g degrees", moves[i].dx, moves[i].dy,
                      moves[i].degrees);
      fk_fingerprint_sim_set_finger (sim, moved, w, h);
      g_assert_true (verify (sim, template, &error));
      g_assert_no_error (error);
    }

  {
    g_autofree char *paper = paper_print ("whorl");

    g_test_message ("whorl as ink on paper");
    g_assert_true (fk_fingerprint_sim_set_finger_file (sim, paper, &error));
    g_assert_true (verify (sim, template, &error));
    g_assert_no_error (error);
  }

  for (gsize i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_test_message ("other finger: %s", others[i]);
      set_finger (sim, others[i]);
      g_assert_false (verify (sim, template, &error));
      g_assert_no_error (error);
    }
}

static void
test_other_template (void)
{
  g_autoptr (FkFingerprintSim) sim = new_sim ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) template = NULL;

  /* The other way round too: an arch template refuses the whorl. */
  set_finger (sim, "arch");
  template = enroll (sim, &error);
  g_assert_no_error (error);
  set_finger (sim, "whorl");
  g_assert_false (verify (sim, template, &error));
  g_assert_no_error (error);
  set_finger (sim, "arch");
  g_assert_true (verify (sim, template, &error));
  g_assert_no_error (error);
}

static void
test_damaged_template (void)
{
  g_autoptr (FkFingerprintSim) sim = new_sim ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) template = NULL;
  gsize len;
  const char *garbage = "not a fingerprint template";

  set_finger (sim, "whorl");
  template = enroll (sim, &error);
  g_assert_no_error (error);
  len = g_bytes_get_size (template);

  /* Cut anywhere, it is refused with our error, never an abort. */
  for (gsize cut = 0; cut < len; cut += 7)
    {
      g_autoptr (GBytes) part = g_bytes_new_from_bytes (template, 0, cut);

      g_assert_false (verify (sim, part, &error));
      g_assert_error (error, FK_HW_ERROR, FK_HW_ERROR_FINGERPRINT_INVALID_TEMPLATE);
      g_clear_error (&error);
    }
  {
    g_autoptr (GBytes) junk = g_bytes_new_static (garbage, strlen (garbage));

    g_assert_false (verify (sim, junk, &error));
    g_assert_error (error, FK_HW_ERROR, FK_HW_ERROR_FINGERPRINT_INVALID_TEMPLATE);
    g_clear_error (&error);
  }

  /* The reader is still usable afterwards. */
  g_assert_true (verify (sim, template, &error));
  g_assert_no_error (error);
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_needed_cancel (FkFingerprint *fp, GCancellable *cancellable)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, cancel_later, g_object_ref (cancellable), g_object_unref);
}

static void
test_cancel (void)
{
  g_autoptr (FkFingerprintSim) sim = new_sim ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) template = NULL;

  /* Nobody touches the reader: the wait ends when the officer cancels. */
  {
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (GAsyncResult) result = NULL;
    Progress progress = { 0 };
    gulong id1 = g_signal_connect (sim, "finger-needed", G_CALLBACK (on_finger_needed), &progress);
    gulong id2 =
      g_signal_connect (sim, "finger-needed", G_CALLBACK (on_needed_cancel), cancellable);

    fk_fingerprint_enroll_async (FK_FINGERPRINT (sim), cancellable, store_result, &result);
    g_assert_null (fk_fingerprint_enroll_finish (FK_FINGERPRINT (sim), wait_for (&result), &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpint (progress.finger_needed, ==, 1);
    g_clear_error (&error);
    g_signal_handler_disconnect (sim, id1);
    g_signal_handler_disconnect (sim, id2);
  }

  /* Cancelled half way through an enrolment. */
  set_finger (sim, "whorl");
  {
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (GAsyncResult) result = NULL;
    Progress progress = { .cancel_at_press = cancellable };
    gulong id = g_signal_connect (sim, "enroll-progress", G_CALLBACK (on_progress), &progress);

    fk_fingerprint_enroll_async (FK_FINGERPRINT (sim), cancellable, store_result, &result);
    g_assert_null (fk_fingerprint_enroll_finish (FK_FINGERPRINT (sim), wait_for (&result), &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpint (progress.presses, ==, 2);
    g_clear_error (&error);
    g_signal_handler_disconnect (sim, id);
  }

  /* Cancelled at once, while the device is still being opened (libfprint
   * may open it all the same): the next operations find it free. */
  for (int i = 0; i < 3; i++)
    {
      g_autoptr (GCancellable) cancellable = g_cancellable_new ();
      g_autoptr (GAsyncResult) result = NULL;

      fk_fingerprint_enroll_async (FK_FINGERPRINT (sim), cancellable, store_result, &result);
      g_cancellable_cancel (cancellable);
      g_assert_null (
        fk_fingerprint_enroll_finish (FK_FINGERPRINT (sim), wait_for (&result), &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);
    }

  /* The reader was closed properly: the next enrolment works. */
  template = enroll (sim, &error);
  g_assert_no_error (error);
  g_assert_true (verify (sim, template, &error));
  g_assert_no_error (error);
}

static void
test_busy (void)
{
  g_autoptr (FkFingerprintSim) sim = new_sim ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) first = NULL;
  g_autoptr (GAsyncResult) second = NULL;
  g_autoptr (GBytes) template = NULL;

  set_finger (sim, "whorl");
  fk_fingerprint_enroll_async (FK_FINGERPRINT (sim), NULL, store_result, &first);
  fk_fingerprint_capture_async (FK_FINGERPRINT (sim), NULL, store_result, &second);
  g_assert_null (
    fk_fingerprint_capture_finish (FK_FINGERPRINT (sim), wait_for (&second), NULL, NULL, &error));
  g_assert_error (error, FK_HW_ERROR, FK_HW_ERROR_FINGERPRINT_BUSY);
  g_clear_error (&error);

  template = fk_fingerprint_enroll_finish (FK_FINGERPRINT (sim), wait_for (&first), &error);
  g_assert_no_error (error);
  g_assert_nonnull (template);
}

static void
test_capture (void)
{
  g_autoptr (FkFingerprintSim) sim = new_sim ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GBytes) grey = NULL;
  g_autoptr (GBytes) png = NULL;
  g_autoptr (GBytes) sent = NULL;
  g_autofree char *path = print_path ("whorl");
  int width = 0, height = 0, sw = 0, sh = 0;

  set_finger (sim, "whorl");
  fk_fingerprint_capture_async (FK_FINGERPRINT (sim), NULL, store_result, &result);
  grey = fk_fingerprint_capture_finish (FK_FINGERPRINT (sim), wait_for (&result), &width, &height,
                                        &error);
  g_assert_no_error (error);
  g_assert_nonnull (grey);

  /* whorl.png is 250 × 234: the reader saw it padded to 252 × 236. */
  sent = fk_fingerprint_image_load (path, &sw, &sh, &error);
  g_assert_no_error (error);
  g_assert_cmpint (width, ==, 252);
  g_assert_cmpint (height, ==, 236);
  g_assert_cmpint (width, ==, sw);
  g_assert_cmpint (height, ==, sh);
  g_assert_cmpuint (g_bytes_get_size (grey), ==, (gsize) width * height);
  g_assert_true (g_bytes_equal (grey, sent));

  png = fk_fingerprint_image_to_png (grey, width, height, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (png, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
}

static void
test_default_sim (void)
{
  g_autofree char *path = print_path ("tented_arch");
  g_autoptr (GError) error = NULL;
  g_autoptr (FkDevices) devices = fk_devices_new (FK_HW_BACKEND_DEFAULT);
  g_autoptr (FkDevices) sim_devices = fk_devices_new (FK_HW_BACKEND_SIM);
  g_autoptr (FkFingerprint) reader = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GBytes) template = NULL;

  /* FIELDKIT_HW=sim (as in every test) makes the device factory pick the
   * simulation, and FIELDKIT_SIM_FINGERPRINT gives it a finger. */
  g_setenv ("FIELDKIT_SIM_FINGERPRINT", path, TRUE);
  reader = fk_devices_open_fingerprint (devices, &error);
  g_unsetenv ("FIELDKIT_SIM_FINGERPRINT");
  g_assert_no_error (error);
  g_assert_true (FK_IS_FINGERPRINT_SIM (reader));

  fk_fingerprint_enroll_async (reader, NULL, store_result, &result);
  template = fk_fingerprint_enroll_finish (reader, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (template);

  g_setenv ("FIELDKIT_SIM_FINGERPRINT", "/nonexistent/finger.png", TRUE);
  g_assert_null (fk_devices_open_fingerprint (sim_devices, &error));
  g_unsetenv ("FIELDKIT_SIM_FINGERPRINT");
  g_assert_error (error, FK_HW_ERROR, FK_HW_ERROR_FINGERPRINT_INVALID_IMAGE);
}

static void
test_bad_image (void)
{
  g_autoptr (FkFingerprintSim) sim = new_sim ();
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "not-a-print.png", NULL);

  g_assert_true (g_file_set_contents (path, "\x89PNG\r\n\x1a\n broken", -1, NULL));
  g_assert_false (fk_fingerprint_sim_set_finger_file (sim, path, &error));
  g_assert_error (error, FK_HW_ERROR, FK_HW_ERROR_FINGERPRINT_INVALID_IMAGE);
  g_clear_error (&error);
  g_assert_false (fk_fingerprint_sim_set_finger_file (sim, "/nonexistent/print.png", &error));
  g_assert_error (error, FK_HW_ERROR, FK_HW_ERROR_FINGERPRINT_INVALID_IMAGE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fingerprint/enroll-verify", test_enroll_verify);
  g_test_add_func ("/fingerprint/other-template", test_other_template);
  g_test_add_func ("/fingerprint/damaged-template", test_damaged_template);
  g_test_add_func ("/fingerprint/cancel", test_cancel);
  g_test_add_func ("/fingerprint/busy", test_busy);
  g_test_add_func ("/fingerprint/capture", test_capture);
  g_test_add_func ("/fingerprint/default-sim", test_default_sim);
  g_test_add_func ("/fingerprint/bad-image", test_bad_image);
  return g_test_run ();
}
