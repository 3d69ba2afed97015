/* fk-doc-compress.c: a document page small enough to upload over a weak
 * link and still readable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>

#include "fk-doc.h"
#include "fk-hw-error.h"

/* Qualities tried from best down. bench/doc (Tesseract, Vietnamese model,
 * rendered form page): at 1200 px or more on the long side, character
 * accuracy stays at 0.99 or better down to quality 20; at 1000 px it
 * falls to 0.88–0.95 at most qualities. So quality gives way before size,
 * and size stops at MIN_LONG_SIDE. */
static const int qualities[] = { 85, 75, 65, 55, 45, 35, 25 };
#define MIN_LONG_SIDE 1200

void
fk_doc_compressed_free (FkDocCompressed *compressed)
{
  if (compressed == NULL)
    return;
  g_bytes_unref (compressed->jpeg);
  g_free (compressed);
}

/* Paper to white and ink to black: a flat white background costs almost
 * nothing in JPEG, and contrast helps reading. The paper level is taken as
 * the 90th percentile, since most of a page is paper. */
static FkGrayImage *
normalize (const FkGrayImage *image)
{
  guint hist[256] = { 0 };
  gsize total = (gsize) image->width * image->height, acc = 0;
  int lo = 0, hi = 255;
  guint8 lut[256];
  FkGrayImage *out = fk_gray_image_new (image->width, image->height);

  for (int y = 0; y < image->height; y++)
    for (int x = 0; x < image->width; x++)
      hist[image->data[(gsize) y * image->stride + x]]++;
  for (lo = 0; lo < 255 && (acc += hist[lo]) < total / 200; lo++)
    ;
  acc = 0;
  for (hi = 0; hi < 255 && (acc += hist[hi]) < total * 9 / 10; hi++)
    ;
  if (hi - lo < 32)
    hi = MIN (lo + 32, 255);
  for (int v = 0; v < 256; v++)
    lut[v] = (guint8) CLAMP ((v - lo) * 255 / MAX (hi - lo, 1), 0, 255);
  for (int y = 0; y < image->height; y++)
    for (int x = 0; x < image->width; x++)
      out->data[(gsize) y * out->stride + x] = lut[image->data[(gsize) y * image->stride + x]];
  return out;
}

/**
 * fk_doc_compress_at:
 * @long_side: pixels of the longer side (the page is never enlarged)
 * @quality: JPEG quality, 1–100
 *
 * Returns: (transfer full): the normalized grayscale page as JPEG.
 */
FkDocCompressed *
fk_doc_compress_at (const FkGrayImage *page, int long_side, int quality, GError **error)
{
  int longest = MAX (page->width, page->height);
  double f = longest > long_side ? (double) long_side / longest : 1.0;
  g_autoptr (FkGrayImage) scaled = f < 1.0
                                     ? fk_gray_image_scale (page, MAX ((int) (page->width * f), 1),
                                                            MAX ((int) (page->height * f), 1))
                                     : fk_gray_image_copy (page);
  g_autoptr (FkGrayImage) clean = normalize (scaled);
  GBytes *jpeg = fk_gray_image_save_jpeg (clean, quality, error);
  FkDocCompressed *out;

  if (jpeg == NULL)
    return NULL;
  out = g_new0 (FkDocCompressed, 1);
  out->jpeg = jpeg;
  out->width = clean->width;
  out->height = clean->height;
  out->quality = quality;
  return out;
}

/**
 * fk_doc_compress:
 * @page: the page, cropped if wanted
 * @max_bytes: the budget, usually %FK_DOC_MAX_UPLOAD_BYTES
 *
 * Scales the page to %FK_DOC_PAGE_LONG_SIDE (about 140 dpi for A4) and
 * takes the best JPEG quality within the budget; only when even quality 25
 * is too big does it scale down further, to no less than 1200 px.
 *
 * Returns: (transfer full): the compressed page, or %NULL with @error.
 */
FkDocCompressed *
fk_doc_compress (const FkGrayImage *page, gsize max_bytes, GError **error)
{
  for (int long_side = FK_DOC_PAGE_LONG_SIDE; long_side >= MIN_LONG_SIDE;
       long_side = long_side * 85 / 100)
    for (gsize i = 0; i < G_N_ELEMENTS (qualities); i++)
      {
        g_autoptr (FkDocCompressed) c = fk_doc_compress_at (page, long_side, qualities[i], error);

        if (c == NULL)
          return NULL;
        if (g_bytes_get_size (c->jpeg) <= max_bytes)
          return g_steal_pointer (&c);
      }
  g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_IMAGE_WRITE,
               _ ("The page cannot be made smaller than %u KB and stay readable. Take the photo "
                  "again with the page filling the frame."),
               (guint) (max_bytes / 1024));
  return NULL;
}
