/* fk-qr-deblur.c: undoing a hand's shake along the rows, for the QR
 * scanner's deblur pass
 *
 * Richardson–Lucy deconvolution with a horizontal box of 2r+1 pixels: the
 * estimate u is multiplied by K(d / K u), d the photo and K the box, so it
 * stays positive and its blurred copy moves towards the photo. A few tens
 * of iterations bring back modules a shake of about two modules smeared
 * together; more also bring back the noise. The box is symmetric (K is its
 * own transpose); at the edges it averages what is inside the image, as a
 * camera's smear does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <string.h>

#include "fk-qr-scanner-private.h"

struct _FkQrDeblur
{
  int width, height, radius;
  float *observed; /* the photo, plus one so that no value is zero */
  float *estimate;
};

/**
 * fk_qr_deblur_new:
 * @radius: the shake is 2 × @radius + 1 pixels long
 *
 * Returns: (transfer full): a deconvolution of @image, not started; the
 *   image is copied.
 */
FkQrDeblur *
fk_qr_deblur_new (const FkGrayImage *image, int radius)
{
  FkQrDeblur *self = g_new0 (FkQrDeblur, 1);
  gsize n = (gsize) image->width * image->height;

  self->width = image->width;
  self->height = image->height;
  self->radius = MAX (radius, 1);
  self->observed = g_new (float, n);
  self->estimate = g_new (float, n);
  for (int y = 0; y < image->height; y++)
    {
      const guint8 *s = image->data + (gsize) y * image->stride;
      float *d = self->observed + (gsize) y * image->width;

      for (int x = 0; x < image->width; x++)
        d[x] = s[x] + 1.0f;
    }
  memcpy (self->estimate, self->observed, n * sizeof (float));
  return self;
}

void
fk_qr_deblur_free (FkQrDeblur *self)
{
  if (self == NULL)
    return;
  g_free (self->observed);
  g_free (self->estimate);
  g_free (self);
}

/* The mean of the 2r+1 pixels around each one of @row, into @out. */
static void
box_row (const float *row, float *out, int width, int r)
{
  double sum = 0;
  int count = 0;

  for (int i = 0; i <= r && i < width; i++)
    sum += row[i], count++;
  for (int x = 0; x < width; x++)
    {
      out[x] = (float) (sum / count);
      if (x - r >= 0)
        sum -= row[x - r], count--;
      if (x + r + 1 < width)
        sum += row[x + r + 1], count++;
    }
}

static void
iterate (FkQrDeblur *self)
{
  g_autofree float *blurred = g_new (float, self->width);
  g_autofree float *ratio = g_new (float, self->width);

  for (int y = 0; y < self->height; y++)
    {
      float *u = self->estimate + (gsize) y * self->width;
      const float *d = self->observed + (gsize) y * self->width;

      box_row (u, blurred, self->width, self->radius);
      for (int x = 0; x < self->width; x++)
        blurred[x] = d[x] / MAX (blurred[x], 1e-3f);
      box_row (blurred, ratio, self->width, self->radius);
      for (int x = 0; x < self->width; x++)
        u[x] *= ratio[x];
    }
}

/**
 * fk_qr_deblur_run:
 * @iterations: how many more iterations to run
 *
 * Returns: (transfer full): the estimate after them, as an image.
 */
FkGrayImage *
fk_qr_deblur_run (FkQrDeblur *self, int iterations)
{
  FkGrayImage *out = fk_gray_image_new (self->width, self->height);

  for (int i = 0; i < iterations; i++)
    iterate (self);
  for (int y = 0; y < self->height; y++)
    {
      const float *u = self->estimate + (gsize) y * self->width;
      guint8 *o = out->data + (gsize) y * out->stride;

      for (int x = 0; x < self->width; x++)
        o[x] = (guint8) CLAMP (u[x] - 1.0f + 0.5f, 0.0f, 255.0f);
    }
  return out;
}
