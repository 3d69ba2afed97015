/* fk-bench-doc.c: document capture: quality scores per photo condition, and
 * upload size against legibility (Tesseract OCR, Vietnamese model)
 *
 *   bench/fk-bench-doc
 *
 * A form page is rendered with Pango (Vietnamese text known exactly),
 * photographed in several conditions, checked, cropped, and compressed at
 * several sizes and qualities; each result is read back with
 * `tesseract -l vie` and scored as character accuracy (1 − edit distance /
 * length of the true text). Prints a table and one JSON line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "fk-doc-scene.h"
#include "fk-doc.h"

static gunichar *
normalized_chars (const char *text, glong *len)
{
  g_autofree char *nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  GString *s = g_string_new (NULL);
  gboolean space = TRUE;
  gunichar *out;

  /* layout is not what we measure: any run of white space counts as one */
  for (const char *p = nfc; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          if (!space)
            g_string_append_c (s, ' ');
          space = TRUE;
          continue;
        }
      g_string_append_unichar (s, c);
      space = FALSE;
    }
  out = g_utf8_to_ucs4_fast (s->str, -1, len);
  g_string_free (s, TRUE);
  return out;
}

static double
char_accuracy (const char *truth, const char *ocr)
{
  glong n, m;
  g_autofree gunichar *a = normalized_chars (truth, &n);
  g_autofree gunichar *b = normalized_chars (ocr, &m);
  g_autofree int *prev = g_new (int, m + 1);
  g_autofree int *cur = g_new (int, m + 1);

  for (glong j = 0; j <= m; j++)
    prev[j] = (int) j;
  for (glong i = 1; i <= n; i++)
    {
      cur[0] = (int) i;
      for (glong j = 1; j <= m; j++)
        {
          int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);

          cur[j] = MIN (sub, MIN (prev[j] + 1, cur[j - 1] + 1));
        }
      memcpy (prev, cur, sizeof (int) * (m + 1));
    }
  return 1.0 - (double) prev[m] / MAX (n, 1);
}

static char *
ocr (const char *path)
{
  const char *argv[] = { "tesseract", path, "stdout", "-l", "vie", NULL };
  g_autofree char *out = NULL;
  /* one thread: the figures are about legibility, and the machine is shared */
  g_auto (GStrv) envp = g_environ_setenv (g_get_environ (), "OMP_THREAD_LIMIT", "1", TRUE);
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    return NULL;
  return g_steal_pointer (&out);
}

static double
ocr_image (const FkGrayImage *image, const char *dir, const char *truth)
{
  g_autofree char *path = g_build_filename (dir, "page.png", NULL);
  g_autofree char *text = NULL;

  if (!fk_gray_image_save (image, path, NULL))
    return -1;
  text = ocr (path);
  return text != NULL ? char_accuracy (truth, text) : -1;
}

static double
ocr_jpeg (GBytes *jpeg, const char *dir, const char *truth)
{
  g_autofree char *path = g_build_filename (dir, "page.jpg", NULL);
  g_autofree char *text = NULL;

  if (!g_file_set_contents (path, g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg), NULL))
    return -1;
  text = ocr (path);
  return text != NULL ? char_accuracy (truth, text) : -1;
}

int
main (int argc, char **argv)
{
  g_autofree char *truth = NULL;
  g_autoptr (FkGrayImage) page = fk_doc_scene_render_page (&truth);
  g_autofree char *dir = g_dir_make_tmp ("fk-bench-doc-XXXXXX", NULL);
  g_autofree char *tesseract = g_find_program_in_path ("tesseract");
  struct
  {
    const char *name;
    FkDocShot shot;
  } conditions[] = {
    { "sharp", { 0.85, 2, 3, 0, 1.0, 0, 3 } },
    { "sharp-tilted", { 0.8, -6, 12, 0, 0.95, 0, 3 } },
    { "slight-blur", { 0.85, 2, 3, 1, 1.0, 0, 3 } },
    { "blurred", { 0.85, 2, 3, 2, 1.0, 0, 3 } },
    { "very-blurred", { 0.85, 2, 3, 4, 1.0, 0, 3 } },
    { "dim", { 0.85, 2, 3, 0, 0.55, 0, 4 } },
    { "dark", { 0.85, 2, 3, 0, 0.3, 0, 5 } },
    { "glare-light", { 0.85, 2, 3, 0, 1.0, 0.3, 3 } },
    { "glare", { 0.85, 2, 3, 0, 1.0, 0.9, 3 } },
    { "page-half", { 0.6, 2, 3, 0, 1.0, 0, 3 } },
    { "page-small", { 0.45, 2, 3, 0, 1.0, 0, 3 } },
  };
  g_autoptr (FkGrayImage) sharp_photo = NULL;
  FkDocQuality sharp_q;
  GString *json = g_string_new ("{\"bench\":\"doc\",\"conditions\":[");
  double acc_render = -1, acc_photo = -1;

  printf ("%-13s %9s %7s %7s %6s  %s\n", "condition", "sharpness", "bright", "glare", "fill",
          "issues");
  for (gsize i = 0; i < G_N_ELEMENTS (conditions); i++)
    {
      g_autoptr (FkGrayImage) photo = fk_doc_scene_photograph (page, &conditions[i].shot, 7 + i);
      FkDocQuality q;
      GString *issues = g_string_new (NULL);

      fk_doc_quality_check (photo, &q);
      for (guint bit = 1; bit <= FK_DOC_ISSUE_NO_PAGE; bit <<= 1)
        if (q.issues & bit)
          g_string_append_printf (issues, "%s%s", issues->len ? "," : "",
                                  fk_doc_issue_to_string (bit));
      printf ("%-13s %9.0f %7.1f %7.4f %6.2f  %s\n", conditions[i].name, q.sharpness, q.brightness,
              q.glare, q.page_fill, issues->len ? issues->str : "-");
      g_string_append_printf (json,
                              "%s{\"name\":\"%s\",\"sharpness\":%.1f,\"brightness\":%.1f,"
                              "\"glare\":%.5f,\"fill\":%.3f,\"issues\":\"%s\"}",
                              i ? "," : "", conditions[i].name, q.sharpness, q.brightness, q.glare,
                              q.page_fill, issues->str);
      g_string_free (issues, TRUE);
      if (i == 0)
        {
          sharp_photo = g_steal_pointer (&photo);
          sharp_q = q;
        }
    }
  g_string_append (json, "],\"compression\":[");

  if (tesseract == NULL)
    printf ("\ntesseract not found: install tesseract-ocr and tesseract-ocr-vie for the "
            "legibility figures\n");
  else
    {
      g_autoptr (FkGrayImage) cropped = fk_doc_crop_page (sharp_photo, sharp_q.page);
      const int sides[] = { 1600, 1200, 1000 };
      const int qs[] = { 90, 75, 60, 45, 30, 20, 10 };
      gboolean first = TRUE;

      acc_render = ocr_image (page, dir, truth);
      acc_photo = ocr_image (cropped, dir, truth);
      printf ("\nOCR character accuracy: rendered page %.3f, photo cropped (PNG, %dx%d) %.3f\n",
              acc_render, cropped->width, cropped->height, acc_photo);
      printf ("%6s %4s %8s %9s\n", "side", "q", "KB", "accuracy");
      for (gsize s = 0; s < G_N_ELEMENTS (sides); s++)
        for (gsize k = 0; k < G_N_ELEMENTS (qs); k++)
          {
            g_autoptr (FkDocCompressed) c = fk_doc_compress_at (cropped, sides[s], qs[k], NULL);
            double kb = g_bytes_get_size (c->jpeg) / 1024.0;
            double acc = ocr_jpeg (c->jpeg, dir, truth);

            printf ("%6d %4d %8.1f %9.3f\n", sides[s], qs[k], kb, acc);
            g_string_append_printf (json, "%s{\"side\":%d,\"quality\":%d,\"kb\":%.1f,\"acc\":%.4f}",
                                    first ? "" : ",", sides[s], qs[k], kb, acc);
            first = FALSE;
          }
      {
        g_autoptr (FkDocCompressed) c = fk_doc_compress (cropped, FK_DOC_MAX_UPLOAD_BYTES, NULL);
        double acc = ocr_jpeg (c->jpeg, dir, truth);

        printf ("fk_doc_compress (budget 150 KB): %dx%d q%d %.1f KB, accuracy %.3f\n", c->width,
                c->height, c->quality, g_bytes_get_size (c->jpeg) / 1024.0, acc);
        g_string_append_printf (
          json, "],\"chosen\":{\"side\":%d,\"quality\":%d,\"kb\":%.1f,\"acc\":%.4f",
          MAX (c->width, c->height), c->quality, g_bytes_get_size (c->jpeg) / 1024.0, acc);
        g_string_append (json, "}");
      }
    }
  if (tesseract == NULL)
    g_string_append (json, "]");
  g_string_append_printf (json, ",\"acc_render\":%.4f,\"acc_photo\":%.4f}", acc_render, acc_photo);
  printf ("%s\n", json->str);
  g_string_free (json, TRUE);
  {
    g_autofree char *p1 = g_build_filename (dir, "page.png", NULL);
    g_autofree char *p2 = g_build_filename (dir, "page.jpg", NULL);

    g_unlink (p1);
    g_unlink (p2);
    g_rmdir (dir);
  }
  return 0;
}
