/* fk-bench-qr.c: QR decode rate and time on the labelled corpus
 *
 *   bench/fk-bench-qr [CORPUS_DIR]   (default: tests/data/qr of the source tree)
 *   bench/fk-bench-qr --live-only    (only the live-mode timing)
 *
 * Compares FkQrScanner (still mode) with plain zbar, one pass on the same
 * luminance with the same settings; shows what each preprocessing pass adds
 * (decodes lost when it is left out), and times live mode on an empty
 * 1280×720 frame. Prints figures and one JSON line; never fails on a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <zbar.h>

#include "fk-qr-scanner.h"

typedef struct
{
  char *file;
  char *set; /* easy, hard, none */
  char *conditions;
  GBytes *expected; /* NULL for "none" */
  FkGrayImage *image;
} Sample;

static void
sample_free (Sample *s)
{
  g_free (s->file);
  g_free (s->set);
  g_free (s->conditions);
  g_clear_pointer (&s->expected, g_bytes_unref);
  g_clear_pointer (&s->image, fk_gray_image_free);
  g_free (s);
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
load_corpus (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "labels.tsv", NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *samples = g_ptr_array_new_with_free_func ((GDestroyNotify) sample_free);

  if (!g_file_get_contents (path, &text, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      exit (1);
    }
  lines = g_strsplit (text, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], "\t", 4);
      Sample *s;
      g_autofree char *file = NULL;

      if (g_strv_length (f) != 4)
        continue;
      s = g_new0 (Sample, 1);
      s->file = g_strdup (f[0]);
      s->set = g_strdup (f[1]);
      s->conditions = g_strdup (f[2]);
      if (!g_str_equal (f[1], "none"))
        s->expected = label_payload (f[3]);
      file = g_build_filename (dir, f[0], NULL);
      s->image = fk_gray_image_new_from_file (file, &error);
      if (s->image == NULL)
        {
          g_printerr ("%s\n", error->message);
          exit (1);
        }
      g_ptr_array_add (samples, s);
    }
  return samples;
}

static gboolean
plain_zbar (const FkGrayImage *image, GBytes *expected)
{
  zbar_image_scanner_t *scanner = zbar_image_scanner_create ();
  zbar_image_t *zimage = zbar_image_create ();
  gboolean ok = FALSE;

  zbar_image_scanner_set_config (scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
  zbar_image_scanner_set_config (scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  zbar_image_scanner_set_config (scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
  zbar_image_set_format (zimage, zbar_fourcc ('Y', '8', '0', '0'));
  zbar_image_set_size (zimage, image->width, image->height);
  zbar_image_set_data (zimage, image->data, (unsigned long) image->width * image->height, NULL);
  if (zbar_scan_image (scanner, zimage) > 0)
    {
      const zbar_symbol_t *sym = zbar_image_first_symbol (zimage);
      g_autoptr (GBytes) got =
        g_bytes_new (zbar_symbol_get_data (sym), zbar_symbol_get_data_length (sym));

      ok = expected != NULL ? g_bytes_equal (got, expected) : FALSE;
    }
  zbar_image_destroy (zimage);
  zbar_image_scanner_destroy (scanner);
  return ok;
}

/* CPU time of this thread: on a shared, loaded machine wall-clock time
 * mostly measures the other programs. */
static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values, double p)
{
  if (values->len == 0)
    return 0;
  g_array_sort (values, cmp_double);
  return g_array_index (values, double, MIN ((guint) (p * values->len), values->len - 1));
}

/* Returns how many of the set decode exactly with @passes. */
static int
count_decoded (GPtrArray *samples, const char *set, guint passes, GArray *times_ms,
               GHashTable *by_pass)
{
  g_autoptr (FkQrScanner) scanner = fk_qr_scanner_new ();
  int ok = 0;

  fk_qr_scanner_set_passes (scanner, passes);
  for (guint i = 0; i < samples->len; i++)
    {
      Sample *s = g_ptr_array_index (samples, i);
      gint64 t0;
      g_autoptr (FkQrResult) r = NULL;

      if (!g_str_equal (s->set, set))
        continue;
      t0 = g_get_monotonic_time ();
      r = fk_qr_scanner_scan (scanner, s->image, FK_QR_MODE_STILL);
      if (times_ms != NULL)
        {
          double ms = (g_get_monotonic_time () - t0) / 1000.0;

          g_array_append_val (times_ms, ms);
        }
      if (r != NULL && s->expected != NULL && g_bytes_equal (r->payload, s->expected))
        {
          ok++;
          if (by_pass != NULL)
            g_hash_table_insert (
              by_pass, (gpointer) r->pass,
              GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (by_pass, r->pass)) + 1));
        }
    }
  return ok;
}

static int
count_live (GPtrArray *samples, const char *set)
{
  g_autoptr (FkQrScanner) scanner = fk_qr_scanner_new ();
  int ok = 0;

  for (guint i = 0; i < samples->len; i++)
    {
      Sample *s = g_ptr_array_index (samples, i);
      g_autoptr (FkQrResult) r = NULL;

      if (!g_str_equal (s->set, set))
        continue;
      r = fk_qr_scanner_scan (scanner, s->image, FK_QR_MODE_LIVE);
      ok += r != NULL && s->expected != NULL && g_bytes_equal (r->payload, s->expected);
    }
  return ok;
}

/* Decodes per kind of the hard cases labelled kind=… */
static void
print_kinds (GPtrArray *samples)
{
  g_autoptr (FkQrScanner) scanner = fk_qr_scanner_new ();
  g_autoptr (GHashTable) total = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) ok = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GList) kinds = NULL;

  for (guint i = 0; i < samples->len; i++)
    {
      Sample *s = g_ptr_array_index (samples, i);
      const char *k = strstr (s->conditions, "kind=");
      g_autofree char *kind = NULL;
      g_autoptr (FkQrResult) r = NULL;
      gpointer key;

      if (k == NULL)
        continue;
      kind = g_strndup (k + 5, strcspn (k + 5, " "));
      r = fk_qr_scanner_scan (scanner, s->image, FK_QR_MODE_STILL);
      /* an existing key is kept and the new copy freed */
      g_hash_table_insert (
        total, g_strdup (kind),
        GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (total, kind)) + 1));
      g_hash_table_lookup_extended (total, kind, &key, NULL);
      if (r != NULL && s->expected != NULL && g_bytes_equal (r->payload, s->expected))
        g_hash_table_insert (ok, key,
                             GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (ok, key)) + 1));
    }
  kinds = g_list_sort (g_hash_table_get_keys (total), (GCompareFunc) g_strcmp0);
  if (kinds != NULL)
    printf ("hard cases by kind:");
  for (GList *l = kinds; l != NULL; l = l->next)
    printf (" %s=%d/%d", (const char *) l->data,
            GPOINTER_TO_INT (g_hash_table_lookup (ok, l->data)),
            GPOINTER_TO_INT (g_hash_table_lookup (total, l->data)));
  if (kinds != NULL)
    printf ("\n");
}

/* Live mode on an empty 720p frame: what preview costs while no card is
 * shown, which is most of the time. */
static void
measure_live (double *median, double *p95, double *cpu_median)
{
  g_autoptr (FkQrScanner) scanner = fk_qr_scanner_new ();
  g_autoptr (FkGrayImage) empty = fk_gray_image_new (1280, 720);
  g_autoptr (GArray) live = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) live_cpu = g_array_new (FALSE, FALSE, sizeof (double));

  /* an empty 720p frame as a webcam gives it (a soft gradient and sensor
   * noise): what live preview costs while no card is shown */
  {
    g_autoptr (GRand) rand = g_rand_new_with_seed (720);

    for (int y = 0; y < empty->height; y++)
      for (int x = 0; x < empty->width; x++)
        empty->data[y * empty->stride + x] =
          (guint8) (60 + x / 16 + y / 12 + g_rand_int_range (rand, -2, 3));
  }
  for (int i = 0; i < 200; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      double c0 = thread_cpu_ms ();
      FkQrResult *r = fk_qr_scanner_scan (scanner, empty, FK_QR_MODE_LIVE);
      double cpu = thread_cpu_ms () - c0;
      double ms = (g_get_monotonic_time () - t0) / 1000.0;

      g_clear_pointer (&r, fk_qr_result_free);
      g_array_append_val (live, ms);
      g_array_append_val (live_cpu, cpu);
    }
  *median = percentile (live, 0.5);
  *p95 = percentile (live, 0.95);
  *cpu_median = percentile (live_cpu, 0.5);
}

int
main (int argc, char **argv)
{
  gboolean live_only = argc > 1 && g_str_equal (argv[1], "--live-only");
  g_autofree char *dir = argc > 1 && !live_only
                           ? g_strdup (argv[1])
                           : g_build_filename (FK_SOURCE_ROOT, "tests", "data", "qr", NULL);
  g_autoptr (GPtrArray) samples = NULL;
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GHashTable) by_pass = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (FkQrScanner) scanner = fk_qr_scanner_new ();
  const char *sets[] = { "easy", "hard" };
  int total[2] = { 0 }, plain[2] = { 0 }, ours[2] = { 0 };
  int false_pos = 0, negatives = 0;
  int easy_live, hard_live;
  double median, p95, live_median, live_p95, live_cpu_median;

  if (live_only)
    {
      measure_live (&live_median, &live_p95, &live_cpu_median);
      printf ("live mode per empty 1280x720 frame: median %.2f ms, p95 %.2f ms (CPU time median "
              "%.2f ms)\n",
              live_median, live_p95, live_cpu_median);
      return 0;
    }
  samples = load_corpus (dir);

  for (guint i = 0; i < samples->len; i++)
    {
      Sample *s = g_ptr_array_index (samples, i);

      for (int k = 0; k < 2; k++)
        if (g_str_equal (s->set, sets[k]))
          {
            total[k]++;
            plain[k] += plain_zbar (s->image, s->expected);
          }
      if (g_str_equal (s->set, "none"))
        {
          g_autoptr (FkQrResult) r = fk_qr_scanner_scan (scanner, s->image, FK_QR_MODE_STILL);

          negatives++;
          false_pos += r != NULL;
        }
    }
  ours[0] = count_decoded (samples, "easy", FK_QR_PASS_ALL, times, by_pass);
  ours[1] = count_decoded (samples, "hard", FK_QR_PASS_ALL, times, by_pass);
  easy_live = count_live (samples, "easy");
  hard_live = count_live (samples, "hard");
  median = percentile (times, 0.5);
  p95 = percentile (times, 0.95);

  measure_live (&live_median, &live_p95, &live_cpu_median);

  printf ("corpus: %s\n", dir);
  for (int k = 0; k < 2; k++)
    printf ("%-5s %3d images: ours %3d (%5.1f%%)  plain zbar %3d (%5.1f%%)\n", sets[k], total[k],
            ours[k], 100.0 * ours[k] / MAX (total[k], 1), plain[k],
            100.0 * plain[k] / MAX (total[k], 1));
  printf ("live mode alone (one pass): easy %d, hard %d\n", easy_live, hard_live);
  printf ("negatives: %d images, %d false decodes\n", negatives, false_pos);
  printf ("still mode per image: median %.1f ms, p95 %.1f ms\n", median, p95);
  printf ("live mode per empty 1280x720 frame: median %.2f ms, p95 %.2f ms (CPU time median "
          "%.2f ms)\n",
          live_median, live_p95, live_cpu_median);
  print_kinds (samples);
  printf ("decodes by the pass that found them:");
  for (guint p = 1; p <= FK_QR_PASS_ALL; p <<= 1)
    printf (" %s=%d", fk_qr_pass_to_string (p),
            GPOINTER_TO_INT (g_hash_table_lookup (by_pass, fk_qr_pass_to_string (p))));
  printf ("\nhard-set decodes lost without each pass:");
  for (guint p = 1; p <= FK_QR_PASS_ALL; p <<= 1)
    if (p != FK_QR_PASS_PLAIN)
      printf (" %s=%d", fk_qr_pass_to_string (p),
              ours[1] - count_decoded (samples, "hard", FK_QR_PASS_ALL & ~p, NULL, NULL));
  printf ("\n");
  printf ("{\"bench\":\"qr\",\"easy\":%d,\"easy_ours\":%d,\"easy_plain\":%d,\"hard\":%d,"
          "\"hard_ours\":%d,\"hard_plain\":%d,\"negatives\":%d,\"false_decodes\":%d,"
          "\"still_median_ms\":%.2f,\"still_p95_ms\":%.2f,\"live_720p_median_ms\":%.3f,"
          "\"live_720p_p95_ms\":%.3f,\"live_720p_cpu_median_ms\":%.3f,\"easy_live\":%d,\"hard_"
          "live\":%d}\n",
          total[0], ours[0], plain[0], total[1], ours[1], plain[1], negatives, false_pos, median,
          p95, live_median, live_p95, live_cpu_median, easy_live, hard_live);
  return 0;
}
