/* fk-gray-image.c: an 8-bit luminance image
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fk-gray-image.h"
#include "fk-hw-error.h"

G_DEFINE_BOXED_TYPE (FkGrayImage, fk_gray_image, fk_gray_image_copy, fk_gray_image_free)

FkGrayImage *
fk_gray_image_new (int width, int height)
{
  FkGrayImage *image;

  g_return_val_if_fail (width > 0 && height > 0, NULL);

  image = g_new0 (FkGrayImage, 1);
  image->width = width;
  image->height = height;
  image->stride = width;
  image->data = g_malloc0 ((gsize) width * height);
  image->owner = g_bytes_new_take (image->data, (gsize) width * height);
  return image;
}

/**
 * fk_gray_image_new_for_bytes:
 * @bytes: the pixels; referenced, not copied
 *
 * Wraps pixels someone else produced (a camera frame's Y plane) without
 * copying them.
 */
FkGrayImage *
fk_gray_image_new_for_bytes (GBytes *bytes, int width, int height, int stride)
{
  FkGrayImage *image;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0 && stride >= width, NULL);
  g_return_val_if_fail (g_bytes_get_size (bytes) >= (gsize) stride * (height - 1) + width, NULL);

  image = g_new0 (FkGrayImage, 1);
  image->width = width;
  image->height = height;
  image->stride = stride;
  /* Read-only use in practice: nothing in hw writes into a wrapped frame. */
  image->data = (guint8 *) g_bytes_get_data (bytes, NULL);
  image->owner = g_bytes_ref (bytes);
  return image;
}

FkGrayImage *
fk_gray_image_copy (const FkGrayImage *image)
{
  FkGrayImage *copy = fk_gray_image_new (image->width, image->height);

  for (int y = 0; y < image->height; y++)
    memcpy (copy->data + (gsize) y * copy->stride, image->data + (gsize) y * image->stride,
            image->width);
  return copy;
}

void
fk_gray_image_free (FkGrayImage *image)
{
  if (image == NULL)
    return;
  g_bytes_unref (image->owner);
  g_free (image);
}

/* ITU-R BT.601 luma in fixed point, as camera YUV formats carry it. */
static inline guint8
luma (guint r, guint g, guint b)
{
  return (guint8) ((77 * r + 150 * g + 29 * b + 128) >> 8);
}

FkGrayImage *
fk_gray_image_new_from_pixbuf (GdkPixbuf *pixbuf)
{
  int w = gdk_pixbuf_get_width (pixbuf);
  int h = gdk_pixbuf_get_height (pixbuf);
  int n = gdk_pixbuf_get_n_channels (pixbuf);
  int rs = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  FkGrayImage *image = fk_gray_image_new (w, h);

  for (int y = 0; y < h; y++)
    {
      const guint8 *s = pixels + (gsize) y * rs;
      guint8 *d = image->data + (gsize) y * image->stride;

      for (int x = 0; x < w; x++, s += n)
        d[x] = n >= 3 ? luma (s[0], s[1], s[2]) : s[0];
    }
  return image;
}

FkGrayImage *
fk_gray_image_new_from_file (const char *path, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  g_autoptr (GdkPixbuf) oriented = NULL;
  g_autofree char *display = NULL;
  int width = 0, height = 0;

  /* A crafted or broken file can claim a huge size: refuse it before
   * decoding allocates gigabytes. 64 megapixels is above any camera here. */
  if (gdk_pixbuf_get_file_info (path, &width, &height) != NULL &&
      (gint64) width * height > FK_GRAY_IMAGE_MAX_PIXELS)
    {
      display = g_filename_display_name (path);
      g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_UNREADABLE_IMAGE,
                   _ ("The image “%s” is too large (%d×%d). Use a photo of at most 64 "
                      "megapixels."),
                   display, width, height);
      return NULL;
    }
  pixbuf = gdk_pixbuf_new_from_file (path, &local_error);
  if (pixbuf == NULL)
    {
      display = g_filename_display_name (path);
      g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_UNREADABLE_IMAGE,
                   _ ("Cannot read the image “%s”: %s. Use a PNG or JPEG photo."), display,
                   local_error->message);
      return NULL;
    }
  /* Phones and some cameras store the rotation in EXIF only. */
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  return fk_gray_image_new_from_pixbuf (oriented != NULL ? oriented : pixbuf);
}

/* Averages whole factor×factor blocks: a cheap, alias-free reduction. */
static FkGrayImage *
box_reduce (const FkGrayImage *image, int factor)
{
  int w = image->width / factor;
  int h = image->height / factor;
  FkGrayImage *out = fk_gray_image_new (MAX (w, 1), MAX (h, 1));
  g_autofree guint *acc = g_new0 (guint, out->width);
  guint area = (guint) factor * factor;

  for (int oy = 0; oy < out->height; oy++)
    {
      memset (acc, 0, sizeof (guint) * out->width);
      for (int k = 0; k < factor; k++)
        {
          const guint8 *s = image->data + (gsize) (oy * factor + k) * image->stride;

          for (int ox = 0; ox < out->width; ox++)
            for (int j = 0; j < factor; j++)
              acc[ox] += s[ox * factor + j];
        }
      for (int ox = 0; ox < out->width; ox++)
        out->data[(gsize) oy * out->stride + ox] = (guint8) ((acc[ox] + area / 2) / area);
    }
  return out;
}

static FkGrayImage *
bilinear (const FkGrayImage *image, int width, int height)
{
  FkGrayImage *out = fk_gray_image_new (width, height);
  double sx = (double) image->width / width;
  double sy = (double) image->height / height;
  g_autofree int *x0 = g_new (int, width);
  g_autofree int *fx = g_new (int, width);

  for (int x = 0; x < width; x++)
    {
      double u = CLAMP ((x + 0.5) * sx - 0.5, 0, image->width - 1);
      x0[x] = MIN ((int) u, image->width - 2 < 0 ? 0 : image->width - 2);
      fx[x] = (int) ((u - x0[x]) * 256);
    }
  for (int y = 0; y < height; y++)
    {
      double v = CLAMP ((y + 0.5) * sy - 0.5, 0, image->height - 1);
      int y0 = MIN ((int) v, image->height - 2 < 0 ? 0 : image->height - 2);
      int fy = (int) ((v - y0) * 256);
      const guint8 *r0 = image->data + (gsize) y0 * image->stride;
      const guint8 *r1 = image->height > 1 ? r0 + image->stride : r0;
      guint8 *d = out->data + (gsize) y * out->stride;

      for (int x = 0; x < width; x++)
        {
          int a = x0[x], b = image->width > 1 ? a + 1 : a;
          int top = r0[a] * (256 - fx[x]) + r0[b] * fx[x];
          int bot = r1[a] * (256 - fx[x]) + r1[b] * fx[x];

          d[x] = (guint8) ((top * (256 - fy) + bot * fy + 32768) >> 16);
        }
    }
  return out;
}

/**
 * fk_gray_image_scale:
 *
 * Returns: (transfer full): @image resized to @width×@height, averaging
 *   when shrinking so that fine detail does not alias.
 */
FkGrayImage *
fk_gray_image_scale (const FkGrayImage *image, int width, int height)
{
  int factor = MIN (image->width / width, image->height / height);
  g_autoptr (FkGrayImage) reduced = NULL;

  g_return_val_if_fail (width > 0 && height > 0, NULL);

  if (factor >= 2)
    {
      reduced = box_reduce (image, factor);
      if (reduced->width == width && reduced->height == height)
        return g_steal_pointer (&reduced);
      return bilinear (reduced, width, height);
    }
  return bilinear (image, width, height);
}

FkGrayImage *
fk_gray_image_crop (const FkGrayImage *image, int x, int y, int width, int height)
{
  FkGrayImage *out;

  x = CLAMP (x, 0, image->width - 1);
  y = CLAMP (y, 0, image->height - 1);
  width = CLAMP (width, 1, image->width - x);
  height = CLAMP (height, 1, image->height - y);
  out = fk_gray_image_new (width, height);
  for (int r = 0; r < height; r++)
    memcpy (out->data + (gsize) r * out->stride, image->data + (gsize) (y + r) * image->stride + x,
            width);
  return out;
}

GdkPixbuf *
fk_gray_image_to_pixbuf (const FkGrayImage *image)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, image->width, image->height);
  int rs = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);

  for (int y = 0; y < image->height; y++)
    {
      const guint8 *s = image->data + (gsize) y * image->stride;
      guint8 *d = pixels + (gsize) y * rs;

      for (int x = 0; x < image->width; x++, d += 3)
        d[0] = d[1] = d[2] = s[x];
    }
  return pixbuf;
}

/**
 * fk_gray_image_save_jpeg:
 *
 * Returns: (transfer full): the JPEG file contents at @quality (1–100).
 */
GBytes *
fk_gray_image_save_jpeg (const FkGrayImage *image, int quality, GError **error)
{
  g_autoptr (GdkPixbuf) pixbuf = fk_gray_image_to_pixbuf (image);
  g_autofree char *q = g_strdup_printf ("%d", CLAMP (quality, 1, 100));
  g_autoptr (GError) local_error = NULL;
  gchar *buffer = NULL;
  gsize size = 0;

  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &local_error, "quality", q, NULL))
    {
      g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_IMAGE_WRITE, _ ("Cannot encode the image: %s"),
                   local_error->message);
      return NULL;
    }
  return g_bytes_new_take (buffer, size);
}

/**
 * fk_gray_image_save:
 *
 * Writes a PNG, or a JPEG (quality 92) when @path ends in .jpg or .jpeg.
 */
gboolean
fk_gray_image_save (const FkGrayImage *image, const char *path, GError **error)
{
  g_autoptr (GdkPixbuf) pixbuf = fk_gray_image_to_pixbuf (image);
  g_autoptr (GError) local_error = NULL;
  g_autofree char *lower = g_ascii_strdown (path, -1);
  gboolean ok;

  if (g_str_has_suffix (lower, ".jpg") || g_str_has_suffix (lower, ".jpeg"))
    ok = gdk_pixbuf_save (pixbuf, path, "jpeg", &local_error, "quality", "92", NULL);
  else
    ok = gdk_pixbuf_save (pixbuf, path, "png", &local_error, NULL);
  if (!ok)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_IMAGE_WRITE, _ ("Cannot write “%s”: %s"),
                   display, local_error->message);
    }
  return ok;
}
