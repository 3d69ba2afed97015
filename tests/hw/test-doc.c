/* test-doc.c: document capture on photographed, rendered form pages: the
 * quality advice a user gets, cropping, compression for upload, and
 * `fieldkit-ctl doc check|compress`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "fk-camera.h"
#include "fk-core-init.h"
#include "fk-doc-scene.h"
#include "fk-doc.h"
#include "fk-gst-camera.h"
#include "fk-hw-error.h"

static FkGrayImage *page_render;

static FkGrayImage *
photo (double page_height, int blur, double light, double glare)
{
  FkDocShot shot = { page_height, 2, 3, blur, light, glare, 3 };

  return fk_doc_scene_photograph (page_render, &shot, 42);
}

static void
assert_issues (FkGrayImage *image, FkDocIssue expected)
{
  FkDocQuality q;

  fk_doc_quality_check (image, &q);
  g_test_message ("sharpness %.0f brightness %.1f glare %.4f fill %.2f issues %#x", q.sharpness,
                  q.brightness, q.glare, q.page_fill, q.issues);
  g_assert_cmphex (q.issues, ==, expected);
}

static void
test_quality_reasons (void)
{
  g_autoptr (FkGrayImage) sharp = photo (0.85, 0, 1.0, 0);
  g_autoptr (FkGrayImage) blurred = photo (0.85, 2, 1.0, 0);
  g_autoptr (FkGrayImage) dark = photo (0.85, 0, 0.3, 0);
  g_autoptr (FkGrayImage) glare = photo (0.85, 0, 1.0, 0.9);
  g_autoptr (FkGrayImage) small = photo (0.45, 0, 1.0, 0);
  g_autoptr (FkGrayImage) table = fk_gray_image_new (800, 600);

  assert_issues (sharp, FK_DOC_ISSUE_NONE);
  assert_issues (blurred, FK_DOC_ISSUE_BLURRED);
  assert_issues (dark, FK_DOC_ISSUE_DARK);
  assert_issues (glare, FK_DOC_ISSUE_GLARE);
  assert_issues (small, FK_DOC_ISSUE_PAGE_SMALL);
  /* a bare dark table: no page, and it is too dark */
  for (int y = 0; y < 600; y++)
    for (int x = 0; x < 800; x++)
      table->data[y * table->stride + x] = (guint8) (50 + (x * 31 + y * 17) % 7);
  assert_issues (table, FK_DOC_ISSUE_NO_PAGE | FK_DOC_ISSUE_DARK);

  /* every reason comes with advice, in Vietnamese by default */
  for (guint bit = 1; bit <= FK_DOC_ISSUE_NO_PAGE; bit <<= 1)
    g_assert_cmpuint (strlen (fk_doc_issue_get_advice (bit)), >, 20);
  g_assert_cmpstr (fk_doc_issue_get_advice (FK_DOC_ISSUE_BLURRED), ==,
                   "Ảnh bị mờ. Hãy giữ yên máy, chờ máy ảnh lấy nét rồi chụp lại.");
}

static void
test_crop_and_compress (void)
{
  g_autoptr (FkGrayImage) image = photo (0.85, 0, 1.0, 0);
  g_autoptr (FkGrayImage) page = NULL;
  g_autoptr (FkDocCompressed) c = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("jpeg", NULL);
  FkDocQuality q;
  double ratio;

  fk_doc_quality_check (image, &q);
  g_assert_true (q.page_found);
  page = fk_doc_crop_page (image, q.page);
  /* straightened back to A4 proportions (the photo was tilted) */
  ratio = (double) page->height / page->width;
  g_assert_cmpfloat_with_epsilon (ratio, 1754.0 / 1240.0, 0.06);
  /* cropped to the paper: its border is white, not the table */
  g_assert_cmpint (page->data[(gsize) 10 * page->stride + page->width / 2], >, 180);

  c = fk_doc_compress (page, FK_DOC_MAX_UPLOAD_BYTES, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (c->jpeg), <=, FK_DOC_MAX_UPLOAD_BYTES);
  g_assert_cmpint (MAX (c->width, c->height), <=, FK_DOC_PAGE_LONG_SIDE);
  /* the page is not shrunk below what the photo holds when the budget
   * allows, and the quality stays where OCR still reads it (bench/doc) */
  g_assert_cmpint (MAX (c->width, c->height), ==, MAX (page->width, page->height));
  g_assert_cmpint (c->quality, >=, 25);
  gdk_pixbuf_loader_write_bytes (loader, c->jpeg, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (gdk_pixbuf_loader_get_pixbuf (loader)), ==, c->width);

  /* an impossible budget is an error a user can act on, not a bad file */
  g_clear_pointer (&c, fk_doc_compressed_free);
  c = fk_doc_compress (page, 2048, &error);
  g_assert_null (c);
  g_assert_error (error, FK_HW_ERROR, FK_HW_ERROR_IMAGE_WRITE);
}

static void
on_state (FkCamera *camera, GParamSpec *pspec, GMainLoop *loop)
{
  if (fk_camera_get_state (camera) != FK_CAMERA_STATE_STARTING)
    g_main_loop_quit (loop);
}

static gboolean
on_timeout (gpointer data)
{
  g_error ("the camera gave no picture in time");
  return G_SOURCE_REMOVE;
}

/* The whole capture: a page in front of the (simulated) camera, a still at
 * full resolution, the check, the crop and the upload file. */
static void
test_capture_through_camera (void)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "page-scene.jpg", NULL);
  g_autoptr (FkGrayImage) scene = photo (0.85, 0, 1.0, 0);
  g_autoptr (FkCamera) camera = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (FkGrayImage) luma = NULL;
  g_autoptr (FkGrayImage) page = NULL;
  g_autoptr (FkDocCompressed) c = NULL;
  FkDocQuality q;
  guint timeout;

  g_assert_true (fk_gray_image_save (scene, path, &error));
  camera = fk_gst_camera_new_sim (path, -1);
  g_assert_no_error (error);
  g_signal_connect (camera, "notify::state", G_CALLBACK (on_state), loop);
  g_assert_true (fk_camera_start (camera, &error));
  timeout = g_timeout_add_seconds (30, on_timeout, NULL);
  g_main_loop_run (loop);
  g_source_remove (timeout);
  g_assert_cmpint (fk_camera_get_state (camera), ==, FK_CAMERA_STATE_RUNNING);

  g_assert_true (fk_camera_capture_still (camera, NULL, &luma, &error));
  g_assert_no_error (error);
  fk_camera_stop (camera);
  g_assert_cmpint (luma->width, ==, scene->width);
  g_assert_cmpint (luma->height, ==, scene->height);
  fk_doc_quality_check (luma, &q);
  g_assert_cmphex (q.issues, ==, FK_DOC_ISSUE_NONE);
  page = fk_doc_crop_page (luma, q.page);
  c = fk_doc_compress (page, FK_DOC_MAX_UPLOAD_BYTES, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (c->jpeg), <=, FK_DOC_MAX_UPLOAD_BYTES);
}

static int
run_ctl (const char *const *args, char **out)
{
  g_autofree char *ctl = g_build_filename (g_getenv ("FK_BUILD_ROOT"), "cli", "fieldkit-ctl", NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;

  g_ptr_array_add (argv, ctl);
  for (int i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  proc =
    g_subprocess_newv ((const char *const *) argv->pdata,
                       G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  return g_subprocess_get_exit_status (proc);
}

static void
test_ctl (void)
{
  g_autofree char *sharp_path = g_build_filename (g_get_tmp_dir (), "sharp.jpg", NULL);
  g_autofree char *blur_path = g_build_filename (g_get_tmp_dir (), "blurred.png", NULL);
  g_autofree char *out_path = g_build_filename (g_get_tmp_dir (), "upload.jpg", NULL);
  g_autofree char *bad_out = g_build_filename (g_get_tmp_dir (), "no-such-dir", "upload.jpg", NULL);
  g_autoptr (FkGrayImage) sharp = photo (0.85, 0, 1.0, 0);
  g_autoptr (FkGrayImage) blurred = photo (0.85, 3, 1.0, 0);
  g_autoptr (GError) error = NULL;

  g_assert_true (fk_gray_image_save (sharp, sharp_path, &error));
  g_assert_true (fk_gray_image_save (blurred, blur_path, &error));
  g_assert_no_error (error);

  {
    const char *args[] = { "doc", "check", "--json", sharp_path, NULL };
    g_autofree char *out = NULL;
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonObject *o;

    g_assert_cmpint (run_ctl (args, &out), ==, 0);
    json_parser_load_from_data (parser, out, -1, &error);
    g_assert_no_error (error);
    o = json_node_get_object (json_parser_get_root (parser));
    g_assert_true (json_object_get_boolean_member (o, "ok"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "page")), ==, 4);
  }
  {
    const char *args[] = { "doc", "check", "--json", blur_path, NULL };
    g_autofree char *out = NULL;
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonArray *issues;

    g_assert_cmpint (run_ctl (args, &out), ==, 1);
    json_parser_load_from_data (parser, out, -1, &error);
    g_assert_no_error (error);
    issues =
      json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "issues");
    g_assert_cmpuint (json_array_get_length (issues), ==, 1);
    g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (issues, 0), "code"), ==,
      "blurred");
  }
  {
    const char *args[] = { "doc", "compress", sharp_path, "--out", out_path, NULL };
    g_autofree char *out = NULL;
    GStatBuf st;

    g_assert_cmpint (run_ctl (args, &out), ==, 0);
    g_assert_cmpint (g_stat (out_path, &st), ==, 0);
    g_assert_cmpint (st.st_size, >, 10 * 1024);
    g_assert_cmpint (st.st_size, <=, FK_DOC_MAX_UPLOAD_BYTES);
  }
  {
    const char *no_dir[] = { "doc", "compress", sharp_path, "--out", bad_out, NULL };
    const char *no_out[] = { "doc", "compress", sharp_path, NULL };
    g_autofree char *o1 = NULL, *o2 = NULL, *o3 = NULL;

    g_assert_cmpint (run_ctl (no_dir, &o2), ==, 2);
    g_assert_false (g_file_test (bad_out, G_FILE_TEST_EXISTS));
    g_assert_cmpint (run_ctl (no_out, &o3), ==, 2);
    {
      g_autofree char *missing = g_strconcat (out_path, "-missing.jpg", NULL);
      const char *args[] = { "doc", "check", missing, NULL };

      g_assert_cmpint (run_ctl (args, &o1), ==, 2);
    }
  }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fk_i18n_init (NULL);
  page_render = fk_doc_scene_render_page (NULL);
  g_test_add_func ("/doc/quality-reasons", test_quality_reasons);
  g_test_add_func ("/doc/crop-and-compress", test_crop_and_compress);
  g_test_add_func ("/doc/capture-through-camera", test_capture_through_camera);
  g_test_add_func ("/doc/ctl", test_ctl);
  status = g_test_run ();
  fk_gray_image_free (page_render);
  return status;
}
