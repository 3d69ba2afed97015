/* test-qr.c: QR decoding on the labelled corpus, and `fieldkit-ctl qr decode`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "fk-qr-scanner.h"

/* Measured on the committed corpus (bench/qr): 67 of 90 hard photos decode
 * with every pass (63 before the deblur pass, 44 of the first 70 before
 * zxing-cpp), 31 with plain zbar; zbar then zxing-cpp alone, 52; 4 shaken
 * photos only the deblur pass reads. The floors leave a little room for
 * zbar, zxing-cpp or libjpeg updates, not for losing a pass. */
#define HARD_MIN_DECODED      62
#define HARD_MIN_DEBLURRED    3
#define HARD_MIN_GAIN_PLAIN   15
#define HARD_MIN_TWO_DECODERS 48

typedef struct
{
  char *file;
  char *set;
  char *kind; /* kind=… of the conditions, or NULL */
  GBytes *expected;
} Label;

static void
label_free (Label *l)
{
  g_free (l->file);
  g_free (l->set);
  g_free (l->kind);
  g_clear_pointer (&l->expected, g_bytes_unref);
  g_free (l);
}

static char *
corpus_path (const char *file)
{
  return g_build_filename (g_getenv ("FK_SOURCE_ROOT"), "tests", "data", "qr", file, NULL);
}

/* The labelled payload: text, or "base64:" and bytes that are not UTF-8. */
static GBytes *
label_payload (const char *field)
{
  if (g_str_has_prefix (field, "base64:"))
    {
      gsize n = 0;
      guchar *raw = g_base64_decode (field + strlen ("base64:"), &n);

      return g_bytes_new_take (raw, n);
    }
  return g_bytes_new (field, strlen (field));
}

static GPtrArray *
load_labels (void)
{
  g_autofree char *path = corpus_path ("labels.tsv");
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *labels = g_ptr_array_new_with_free_func ((GDestroyNotify) label_free);

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], "\t", 4);
      Label *l;

      if (lines[i][0] == '\0')
        continue;
      g_assert_cmpuint (g_strv_length (f), ==, 4);
      l = g_new0 (Label, 1);
      l->file = g_strdup (f[0]);
      l->set = g_strdup (f[1]);
      if (g_str_has_prefix (f[2], "kind="))
        l->kind = g_strndup (f[2] + 5, strcspn (f[2] + 5, " "));
      if (!g_str_equal (f[1], "none"))
        l->expected = label_payload (f[3]);
      g_ptr_array_add (labels, l);
    }
  g_assert_cmpuint (labels->len, >, 50);
  return labels;
}

static FkGrayImage *
load_image (const char *file)
{
  g_autofree char *path = corpus_path (file);
  g_autoptr (GError) error = NULL;
  FkGrayImage *image = fk_gray_image_new_from_file (path, &error);

  g_assert_no_error (error);
  return image;
}

/* @kind: only the cases of that kind, or all of @set for NULL;
 * @by_pass: if not %NULL, counts the decodes of each pass */
static int
decode_counted (GPtrArray *labels, const char *set, const char *kind, guint passes,
                gboolean must_all, GHashTable *by_pass)
{
  g_autoptr (FkQrScanner) scanner = fk_qr_scanner_new ();
  int decoded = 0;

  fk_qr_scanner_set_passes (scanner, passes);
  for (guint i = 0; i < labels->len; i++)
    {
      Label *l = g_ptr_array_index (labels, i);
      g_autoptr (FkGrayImage) image = NULL;
      g_autoptr (FkQrResult) result = NULL;

      if (!g_str_equal (l->set, set) || (kind != NULL && g_strcmp0 (l->kind, kind) != 0))
        continue;
      image = load_image (l->file);
      result = fk_qr_scanner_scan (scanner, image, FK_QR_MODE_STILL);
      if (must_all && result == NULL)
        g_error ("%s: no code found", l->file);
      if (result == NULL)
        continue;
      /* a decode with the wrong bytes is never acceptable */
      if (!g_bytes_equal (result->payload, l->expected))
        g_error ("%s: decoded different bytes (pass %s)", l->file, result->pass);
      g_assert_cmpuint (result->n_corners, ==, 4);
      for (guint c = 0; c < 4; c++)
        {
          g_assert_cmpfloat (result->corners[2 * c], >=, 0);
          g_assert_cmpfloat (result->corners[2 * c], <=, image->width);
          g_assert_cmpfloat (result->corners[2 * c + 1], >=, 0);
          g_assert_cmpfloat (result->corners[2 * c + 1], <=, image->height);
        }
      if (by_pass != NULL)
        g_hash_table_insert (
          by_pass, (gpointer) result->pass,
          GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (by_pass, result->pass)) + 1));
      decoded++;
    }
  return decoded;
}

static int
decode_kind (GPtrArray *labels, const char *set, const char *kind, guint passes, gboolean must_all)
{
  return decode_counted (labels, set, kind, passes, must_all, NULL);
}

static int
decode_set (GPtrArray *labels, const char *set, guint passes, gboolean must_all)
{
  return decode_kind (labels, set, NULL, passes, must_all);
}

static void
test_easy_all_exact (void)
{
  g_autoptr (GPtrArray) labels = load_labels ();

  g_assert_cmpint (decode_set (labels, "easy", FK_QR_PASS_ALL, TRUE), >=, 16);
}

static void
test_hard_rate (void)
{
  g_autoptr (GPtrArray) labels = load_labels ();
  g_autoptr (GHashTable) by_pass = g_hash_table_new (g_str_hash, g_str_equal);
  int ours = decode_counted (labels, "hard", NULL, FK_QR_PASS_ALL, FALSE, by_pass);
  int plain = decode_set (labels, "hard", FK_QR_PASS_PLAIN, FALSE);
  /* the last pass: what it reads, no other pass did */
  int deblurred = GPOINTER_TO_INT (g_hash_table_lookup (by_pass, "deblur"));

  g_test_message ("hard set: %d decoded with every pass (%d by the deblur pass), %d with the "
                  "plain pass",
                  ours, deblurred, plain);
  g_assert_cmpint (ours, >=, HARD_MIN_DECODED);
  g_assert_cmpint (ours - plain, >=, HARD_MIN_GAIN_PLAIN);
  g_assert_cmpint (deblurred, >=, HARD_MIN_DEBLURRED);
}

/* zbar (light-on-dark codes included) then zxing-cpp, no preprocessing */
static void
test_two_decoders (void)
{
  g_autoptr (GPtrArray) labels = load_labels ();
  int plain = decode_set (labels, "hard", FK_QR_PASS_PLAIN, FALSE);
  int two = decode_set (labels, "hard", FK_QR_PASS_PLAIN | FK_QR_PASS_ZXING, FALSE);

  g_test_message ("hard set: zbar %d, zbar then zxing-cpp %d", plain, two);
  g_assert_cmpint (two, >=, HARD_MIN_TWO_DECODERS);
  g_assert_cmpint (two, >, plain);
}

/* What real photos had that the first corpus did not: every light-on-dark
 * code, nested code (the card's, not the one inside it) and Shift_JIS
 * payload (its bytes unchanged) decodes, and most close-ups and steep
 * perspectives. A wrong payload fails in decode_kind. */
static void
test_hard_kinds (void)
{
  g_autoptr (GPtrArray) labels = load_labels ();

  g_assert_cmpint (decode_kind (labels, "hard", "inverted", FK_QR_PASS_ALL, TRUE), ==, 4);
  g_assert_cmpint (decode_kind (labels, "hard", "nested", FK_QR_PASS_ALL, TRUE), ==, 4);
  g_assert_cmpint (decode_kind (labels, "hard", "sjis", FK_QR_PASS_ALL, TRUE), ==, 4);
  g_assert_cmpint (decode_kind (labels, "hard", "hires", FK_QR_PASS_ALL, FALSE), >=, 3);
  g_assert_cmpint (decode_kind (labels, "hard", "perspective", FK_QR_PASS_ALL, FALSE), >=, 2);
  /* zbar's own inverted test reads them, in the first pass */
  g_assert_cmpint (decode_kind (labels, "hard", "inverted", FK_QR_PASS_PLAIN, FALSE), ==, 4);
}

static void
test_negatives (void)
{
  g_autoptr (GPtrArray) labels = load_labels ();
  g_autoptr (FkQrScanner) scanner = fk_qr_scanner_new ();
  int n = 0;

  for (guint i = 0; i < labels->len; i++)
    {
      Label *l = g_ptr_array_index (labels, i);
      g_autoptr (FkGrayImage) image = NULL;
      g_autoptr (FkQrResult) result = NULL;

      if (!g_str_equal (l->set, "none"))
        continue;
      image = load_image (l->file);
      result = fk_qr_scanner_scan (scanner, image, FK_QR_MODE_STILL);
      g_assert_null (result);
      n++;
    }
  g_assert_cmpint (n, >=, 4);
}

/* A camera frame's Y plane often has padded rows; live mode reads it in
 * place. */
static void
test_live_padded_frame (void)
{
  g_autoptr (GPtrArray) labels = load_labels ();
  g_autoptr (FkQrScanner) scanner = fk_qr_scanner_new ();
  Label *l = g_ptr_array_index (labels, 1);
  g_autoptr (FkGrayImage) image = load_image (l->file);
  int stride = image->width + 64;
  guint8 *pixels = g_malloc0 ((gsize) stride * image->height);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (FkGrayImage) frame = NULL;
  g_autoptr (FkQrResult) result = NULL;
  g_autoptr (FkGrayImage) blank = fk_gray_image_new (1280, 720);
  g_autoptr (FkQrResult) none = NULL;

  g_assert_cmpstr (l->set, ==, "easy");
  for (int y = 0; y < image->height; y++)
    memcpy (pixels + (gsize) y * stride, image->data + (gsize) y * image->stride, image->width);
  bytes = g_bytes_new_take (pixels, (gsize) stride * image->height);
  frame = fk_gray_image_new_for_bytes (bytes, image->width, image->height, stride);
  g_assert_true (frame->data == g_bytes_get_data (bytes, NULL));

  result = fk_qr_scanner_scan (scanner, frame, FK_QR_MODE_LIVE);
  g_assert_nonnull (result);
  g_assert_true (g_bytes_equal (result->payload, l->expected));

  none = fk_qr_scanner_scan (scanner, blank, FK_QR_MODE_LIVE);
  g_assert_null (none);
}

static void
on_scanned (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (res);
}

/* Stills are scanned off the UI thread, and an officer can give up. */
static void
test_async_and_cancel (void)
{
  g_autoptr (GPtrArray) labels = load_labels ();
  g_autoptr (FkQrScanner) scanner = fk_qr_scanner_new ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Label *l = NULL;
  g_autoptr (FkGrayImage) image = NULL;
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GAsyncResult) res2 = NULL;
  g_autoptr (FkQrResult) result = NULL;
  g_autoptr (FkQrResult) none = NULL;
  g_autoptr (GError) error = NULL;

  /* a hard photo the plain pass misses */
  for (guint i = 0; i < labels->len && l == NULL; i++)
    {
      Label *c = g_ptr_array_index (labels, i);
      g_autoptr (FkGrayImage) im = NULL;
      g_autoptr (FkQrResult) plain = NULL;
      g_autoptr (FkQrResult) full = NULL;

      if (!g_str_equal (c->set, "hard"))
        continue;
      im = load_image (c->file);
      fk_qr_scanner_set_passes (scanner, FK_QR_PASS_PLAIN);
      plain = fk_qr_scanner_scan (scanner, im, FK_QR_MODE_STILL);
      fk_qr_scanner_set_passes (scanner, FK_QR_PASS_ALL);
      full = fk_qr_scanner_scan (scanner, im, FK_QR_MODE_STILL);
      if (plain == NULL && full != NULL)
        {
          l = c;
          image = g_steal_pointer (&im);
        }
    }
  g_assert_nonnull (l);

  fk_qr_scanner_scan_async (scanner, image, FK_QR_MODE_STILL, NULL, on_scanned, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = fk_qr_scanner_scan_finish (scanner, res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_true (g_bytes_equal (result->payload, l->expected));

  g_cancellable_cancel (cancellable);
  fk_qr_scanner_scan_async (scanner, image, FK_QR_MODE_STILL, cancellable, on_scanned, &res2);
  while (res2 == NULL)
    g_main_context_iteration (NULL, TRUE);
  none = fk_qr_scanner_scan_finish (scanner, res2, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
run_ctl (const char *const *args, GBytes **out, int *exit_code)
{
  g_autofree char *ctl = g_build_filename (g_getenv ("FK_BUILD_ROOT"), "cli", "fieldkit-ctl", NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;

  g_ptr_array_add (argv, ctl);
  for (int i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (proc, NULL, NULL, out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  *exit_code = g_subprocess_get_exit_status (proc);
}

static void
test_ctl_decode (void)
{
  g_autoptr (GPtrArray) labels = load_labels ();
  g_autofree char *tmp = g_build_filename (g_get_tmp_dir (), "truncated.jpg", NULL);
  g_autofree char *jpeg = NULL;
  gsize jpeg_len = 0;
  g_autoptr (GError) error = NULL;
  int checked = 0;

  for (guint i = 0; i < labels->len && checked < 3; i++)
    {
      Label *l = g_ptr_array_index (labels, i);
      g_autofree char *path = corpus_path (l->file);
      const char *args[] = { "qr", "decode", path, NULL };
      g_autoptr (GBytes) out = NULL;
      int code;

      /* a PNG, a JPEG with 11 fields and a very short name */
      if (!g_str_equal (l->set, "easy") || (i != 0 && i != 1 && i != 2))
        continue;
      run_ctl (args, &out, &code);
      g_assert_cmpint (code, ==, 0);
      /* exactly the payload: no newline, nothing else */
      g_assert_true (g_bytes_equal (out, l->expected));
      checked++;
    }
  g_assert_cmpint (checked, ==, 3);

  {
    g_autofree char *path = corpus_path ("none-001.jpg");
    const char *args[] = { "qr", "decode", path, NULL };
    g_autoptr (GBytes) out = NULL;
    int code;

    run_ctl (args, &out, &code);
    g_assert_cmpint (code, ==, 1);
    g_assert_cmpuint (g_bytes_get_size (out), ==, 0);
  }
  {
    g_autofree char *path = corpus_path ("easy-002.jpg");

    g_file_get_contents (path, &jpeg, &jpeg_len, &error);
    g_assert_no_error (error);
    g_file_set_contents (tmp, jpeg, 300, &error);
    g_assert_no_error (error);
  }
  {
    /* a PNG header claiming 30000×30000 pixels: refused before decoding */
    static const guint8 huge_png[] = { 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00,
                                       0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
                                       0x75, 0x30, 0x00, 0x00, 0x75, 0x30, 0x08, 0x00, 0x00,
                                       0x00, 0x00, 0x43, 0x4c, 0xa7, 0x66 };
    g_autofree char *huge = g_build_filename (g_get_tmp_dir (), "huge.png", NULL);
    const char *args[] = { "qr", "decode", huge, NULL };
    g_autoptr (GBytes) out = NULL;
    int code;

    g_file_set_contents (huge, (const char *) huge_png, sizeof huge_png, &error);
    g_assert_no_error (error);
    run_ctl (args, &out, &code);
    g_assert_cmpint (code, ==, 2);
  }
  {
    const char *args[] = { "qr", "decode", tmp, NULL };
    const char *missing[] = { "qr", "decode", "no-such-photo.jpg", NULL };
    g_autoptr (GBytes) out = NULL;
    g_autoptr (GBytes) out2 = NULL;
    int code;

    run_ctl (args, &out, &code);
    g_assert_cmpint (code, ==, 2);
    g_assert_cmpuint (g_bytes_get_size (out), ==, 0);
    run_ctl (missing, &out2, &code);
    g_assert_cmpint (code, ==, 2);
  }
  {
    g_autofree char *path = corpus_path ("easy-003.jpg");
    const char *args[] = { "qr", "decode", "--json", path, NULL };
    g_autoptr (GBytes) out = NULL;
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonObject *o;
    int code;

    run_ctl (args, &out, &code);
    g_assert_cmpint (code, ==, 0);
    json_parser_load_from_data (parser, g_bytes_get_data (out, NULL), g_bytes_get_size (out),
                                &error);
    g_assert_no_error (error);
    o = json_node_get_object (json_parser_get_root (parser));
    g_assert_true (json_object_get_boolean_member (o, "found"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "corners")), ==, 4);
    g_assert_cmpfloat (json_object_get_double_member (o, "elapsed_ms"), >, 0);
    {
      Label *l = g_ptr_array_index (labels, 2);
      gsize n = 0;
      g_autofree guchar *raw =
        g_base64_decode (json_object_get_string_member (o, "payload_base64"), &n);
      g_autoptr (GBytes) got = g_bytes_new (raw, n);

      g_assert_cmpstr (l->file, ==, "easy-003.jpg");
      g_assert_true (g_bytes_equal (got, l->expected));
    }
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/qr/easy-all-exact", test_easy_all_exact);
  g_test_add_func ("/qr/hard-rate", test_hard_rate);
  g_test_add_func ("/qr/two-decoders", test_two_decoders);
  g_test_add_func ("/qr/hard-kinds", test_hard_kinds);
  g_test_add_func ("/qr/negatives", test_negatives);
  g_test_add_func ("/qr/live-padded-frame", test_live_padded_frame);
  g_test_add_func ("/qr/async-and-cancel", test_async_and_cancel);
  g_test_add_func ("/qr/ctl-decode", test_ctl_decode);
  return g_test_run ();
}
