/* fk-fingerprint-image.c: fingerprint images in and out of files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>

#include "fk-fingerprint.h"
#include "fk-hw-error.h"

/* libfprint's virtual_image refuses larger images. */
#define MAX_SIDE 5000

/**
 * fk_fingerprint_image_load:
 * @width: (out): width, rounded up to a multiple of 4
 * @height: (out): height, rounded up to a multiple of 4
 *
 * Reads a print the way libfprint's virtual-image test does: the print is
 * the alpha channel of the example PNGs (bright ridges); an image without
 * alpha is taken as ink on paper and inverted to match. Sides are padded
 * with 0 up to a multiple of 4, as cairo's A8 rows are.
 *
 * Returns: (transfer full): @width × @height grey bytes, or %NULL with
 *   %FK_HW_ERROR_FINGERPRINT_INVALID_IMAGE.
 */
GBytes *
fk_fingerprint_image_load (const char *path, int *width, int *height, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (path, &local);
  g_autofree guint8 *grey = NULL;
  const guint8 *pixels;
  int w, h, pw, ph, n, stride;
  gboolean alpha;

  if (pixbuf == NULL)
    {
      g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_FINGERPRINT_INVALID_IMAGE,
                   _ ("Cannot read the fingerprint image “%s”: %s"), path, local->message);
      return NULL;
    }
  w = gdk_pixbuf_get_width (pixbuf);
  h = gdk_pixbuf_get_height (pixbuf);
  if (w > MAX_SIDE || h > MAX_SIDE || gdk_pixbuf_get_bits_per_sample (pixbuf) != 8)
    {
      g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_FINGERPRINT_INVALID_IMAGE,
                   _ ("The fingerprint image “%s” is not an 8-bit image of at most %d × %d "
                      "pixels."),
                   path, MAX_SIDE, MAX_SIDE);
      return NULL;
    }

  pw = (w + 3) / 4 * 4;
  ph = (h + 3) / 4 * 4;
  n = gdk_pixbuf_get_n_channels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  pixels = gdk_pixbuf_read_pixels (pixbuf);
  grey = g_malloc0 ((gsize) pw * ph);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        const guint8 *p = pixels + (gsize) y * stride + (gsize) x * n;
        guint8 v;

        if (alpha)
          v = p[n - 1];
        else
          v = 255 - (guint8) ((p[0] * 299 + p[1] * 587 + p[2] * 114) / 1000);
        grey[(gsize) y * pw + x] = v;
      }

  *width = pw;
  *height = ph;
  return g_bytes_new_take (g_steal_pointer (&grey), (gsize) pw * ph);
}

/**
 * fk_fingerprint_image_to_png:
 * @grey: @width × @height grey bytes, as from fk_fingerprint_capture_finish()
 *
 * Returns: (transfer full): the image as PNG, for the dossier (sealed by
 *   the caller).
 */
GBytes *
fk_fingerprint_image_to_png (GBytes *grey, int width, int height, GError **error)
{
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  const guint8 *src;
  guint8 *dst;
  int stride;
  gchar *buffer = NULL;
  gsize size = 0;

  g_return_val_if_fail (grey != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (g_bytes_get_size (grey) >= (gsize) width * height, NULL);

  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  dst = gdk_pixbuf_get_pixels (pixbuf);
  src = g_bytes_get_data (grey, NULL);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 v = src[(gsize) y * width + x];
        guint8 *p = dst + (gsize) y * stride + (gsize) x * 3;

        p[0] = p[1] = p[2] = v;
      }

  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", error, NULL))
    return NULL;
  return g_bytes_new_take (buffer, size);
}
