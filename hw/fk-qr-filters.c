/* fk-qr-filters.c: the image filters of the QR scanner's passes
 *
 * Each returns a new image of the same size; the input is not changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-qr-scanner-private.h"

/* Maps the 1st..99th percentile onto the full range. */
FkGrayImage *
fk_qr_contrast_stretch (const FkGrayImage *image)
{
  guint hist[256] = { 0 };
  guint8 lut[256];
  gsize total = (gsize) image->width * image->height;
  gsize acc = 0;
  int lo = 0, hi = 255;
  FkGrayImage *out = fk_gray_image_new (image->width, image->height);

  for (int y = 0; y < image->height; y++)
    {
      const guint8 *s = image->data + (gsize) y * image->stride;

      for (int x = 0; x < image->width; x++)
        hist[s[x]]++;
    }
  for (lo = 0; lo < 255 && (acc += hist[lo]) < total / 100; lo++)
    ;
  acc = 0;
  for (hi = 255; hi > 0 && (acc += hist[hi]) < total / 100; hi--)
    ;
  if (hi <= lo)
    hi = lo + 1;
  for (int v = 0; v < 256; v++)
    lut[v] = (guint8) CLAMP ((v - lo) * 255 / (hi - lo), 0, 255);
  for (int y = 0; y < image->height; y++)
    {
      const guint8 *s = image->data + (gsize) y * image->stride;
      guint8 *d = out->data + (gsize) y * out->stride;

      for (int x = 0; x < image->width; x++)
        d[x] = lut[s[x]];
    }
  return out;
}

/* Summed-area table with one row and one column of zeros in front. */
static guint32 *
integral_image (const FkGrayImage *image)
{
  int w = image->width + 1;
  guint32 *sum = g_new0 (guint32, (gsize) w * (image->height + 1));

  for (int y = 0; y < image->height; y++)
    {
      const guint8 *s = image->data + (gsize) y * image->stride;
      guint32 row = 0;

      for (int x = 0; x < image->width; x++)
        {
          row += s[x];
          sum[(gsize) (y + 1) * w + x + 1] = sum[(gsize) y * w + x + 1] + row;
        }
    }
  return sum;
}

/* Calls @func with the mean of the (2r+1)² box around each pixel. */
#define BOX_MEAN_LOOP(image, sum, r, BODY)                                                 \
  G_STMT_START                                                                             \
  {                                                                                        \
    int w1_ = (image)->width + 1;                                                          \
    for (int y = 0; y < (image)->height; y++)                                              \
      {                                                                                    \
        int y0_ = MAX (y - (r), 0), y1_ = MIN (y + (r) + 1, (image)->height);              \
        for (int x = 0; x < (image)->width; x++)                                           \
          {                                                                                \
            int x0_ = MAX (x - (r), 0), x1_ = MIN (x + (r) + 1, (image)->width);           \
            guint32 area_ = (guint32) (x1_ - x0_) * (y1_ - y0_);                           \
            guint32 s_ = (sum)[(gsize) y1_ * w1_ + x1_] - (sum)[(gsize) y0_ * w1_ + x1_] - \
                         (sum)[(gsize) y1_ * w1_ + x0_] + (sum)[(gsize) y0_ * w1_ + x0_];  \
            int mean = (int) (s_ / area_);                                                 \
            int pixel = (image)->data[(gsize) y * (image)->stride + x];                    \
            BODY;                                                                          \
          }                                                                                \
      }                                                                                    \
  }                                                                                        \
  G_STMT_END

/* Bradley–Roth adaptive threshold: a pixel is dark when it is clearly darker
 * than its neighbourhood, so a glare spot or a shadow across the card does
 * not swallow half the code. */
FkGrayImage *
fk_qr_adaptive_threshold (const FkGrayImage *image, int radius)
{
  g_autofree guint32 *sum = integral_image (image);
  FkGrayImage *out = fk_gray_image_new (image->width, image->height);

  BOX_MEAN_LOOP (image, sum, radius,
                 { out->data[(gsize) y * out->stride + x] = pixel * 100 < mean * 90 ? 0 : 255; });
  return out;
}

/* pixel + amount × (pixel − local mean): restores edges a defocus or a
 * shaking hand softened */
FkGrayImage *
fk_qr_unsharp (const FkGrayImage *image, int radius, int amount)
{
  g_autofree guint32 *sum = integral_image (image);
  FkGrayImage *out = fk_gray_image_new (image->width, image->height);

  BOX_MEAN_LOOP (image, sum, radius, {
    out->data[(gsize) y * out->stride + x] =
      (guint8) CLAMP (pixel + amount * (pixel - mean), 0, 255);
  });
  return out;
}

/* 3×3 mean: sensor noise of a dark scene, at full resolution */
FkGrayImage *
fk_qr_smooth (const FkGrayImage *image)
{
  g_autofree guint32 *sum = integral_image (image);
  FkGrayImage *out = fk_gray_image_new (image->width, image->height);

  BOX_MEAN_LOOP (image, sum, 1, {
    (void) pixel;
    out->data[(gsize) y * out->stride + x] = (guint8) mean;
  });
  return out;
}

FkGrayImage *
fk_qr_invert (const FkGrayImage *image)
{
  FkGrayImage *out = fk_gray_image_new (image->width, image->height);

  for (int y = 0; y < image->height; y++)
    {
      const guint8 *s = image->data + (gsize) y * image->stride;
      guint8 *d = out->data + (gsize) y * out->stride;

      for (int x = 0; x < image->width; x++)
        d[x] = 255 - s[x];
    }
  return out;
}
