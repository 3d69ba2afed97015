/* fk-office-qr.c: the text of the QR code in a photo (JPEG or PNG)
 *
 * A phone's photo of a device's Settings page: libzbar decodes the JPEG
 * to grey itself (zbar_image_convert from JPEG to Y800, through libjpeg),
 * libpng reads a PNG to grey. The image's size is read from its header
 * first, so a small file that claims a huge picture is refused before
 * anything is decoded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <png.h>
#include <string.h>
#include <zbar.h>

#include "fk-office-private.h"

/* A 48-megapixel phone photo; decoded to grey it takes as many bytes. */
#define MAX_PIXELS (48u * 1000u * 1000u)

/* The width and height in a JPEG's start-of-frame segment. */
static gboolean
jpeg_size (const guint8 *data, gsize len, guint *width, guint *height)
{
  gsize i = 2;

  if (len < 4 || data[0] != 0xff || data[1] != 0xd8)
    return FALSE;
  while (i + 4 <= len)
    {
      guint marker, seg;

      if (data[i] != 0xff)
        return FALSE;
      marker = data[i + 1];
      if (marker == 0xff)
        {
          i++;
          continue;
        }
      if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        {
          i += 2;
          continue;
        }
      seg = (data[i + 2] << 8) | data[i + 3];
      if (seg < 2 || i + 2 + seg > len)
        return FALSE;
      /* SOF0…SOF15 but DHT (c4), JPG (c8) and DAC (cc) */
      if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
        {
          if (seg < 7)
            return FALSE;
          *height = (data[i + 5] << 8) | data[i + 6];
          *width = (data[i + 7] << 8) | data[i + 8];
          return *width > 0 && *height > 0;
        }
      if (marker == 0xd9 || marker == 0xda)
        return FALSE;
      i += 2 + seg;
    }
  return FALSE;
}

/* The first QR code's text in @image, which zbar owns; NULL if none. */
static char *
scan (zbar_image_t *image)
{
  zbar_image_scanner_t *scanner = zbar_image_scanner_create ();
  char *text = NULL;

  zbar_image_scanner_set_config (scanner, 0, ZBAR_CFG_ENABLE, 0);
  zbar_image_scanner_set_config (scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  if (zbar_scan_image (scanner, image) > 0)
    for (const zbar_symbol_t *s = zbar_image_first_symbol (image); s != NULL && text == NULL;
         s = zbar_symbol_next (s))
      if (zbar_symbol_get_type (s) == ZBAR_QRCODE)
        text = g_strndup (zbar_symbol_get_data (s), zbar_symbol_get_data_length (s));
  zbar_image_scanner_destroy (scanner);
  zbar_image_destroy (image);
  return text;
}

static char *
read_jpeg (const guint8 *data, gsize len, guint width, guint height, FkOfficeQrProblem *problem)
{
  zbar_image_t *jpeg = zbar_image_create ();
  zbar_image_t *grey;

  zbar_image_set_format (jpeg, zbar_fourcc ('J', 'P', 'E', 'G'));
  zbar_image_set_size (jpeg, width, height);
  zbar_image_set_data (jpeg, data, len, NULL);
  grey = zbar_image_convert (jpeg, zbar_fourcc ('Y', '8', '0', '0'));
  zbar_image_destroy (jpeg);
  if (grey != NULL && zbar_image_get_data (grey) == NULL)
    g_clear_pointer (&grey, zbar_image_destroy);
  if (grey == NULL)
    {
      *problem = FK_OFFICE_QR_NOT_IMAGE;
      return NULL;
    }
  *problem = FK_OFFICE_QR_NONE;
  return scan (grey);
}

static char *
read_png (const guint8 *data, gsize len, FkOfficeQrProblem *problem)
{
  png_image png = { .version = PNG_IMAGE_VERSION };
  zbar_image_t *grey;
  guint8 *pixels;

  if (!png_image_begin_read_from_memory (&png, data, len))
    {
      *problem = FK_OFFICE_QR_NOT_IMAGE;
      return NULL;
    }
  if ((guint64) png.width * png.height > MAX_PIXELS)
    {
      png_image_free (&png);
      *problem = FK_OFFICE_QR_TOO_LARGE;
      return NULL;
    }
  png.format = PNG_FORMAT_GRAY;
  pixels = g_malloc (PNG_IMAGE_SIZE (png));
  if (!png_image_finish_read (&png, NULL, pixels, 0, NULL))
    {
      g_free (pixels);
      png_image_free (&png);
      *problem = FK_OFFICE_QR_NOT_IMAGE;
      return NULL;
    }
  grey = zbar_image_create ();
  zbar_image_set_format (grey, zbar_fourcc ('Y', '8', '0', '0'));
  zbar_image_set_size (grey, png.width, png.height);
  /* zbar frees with free(): g_malloc() is malloc() since GLib 2.46. */
  zbar_image_set_data (grey, pixels, (unsigned long) png.width * png.height, zbar_image_free_data);
  *problem = FK_OFFICE_QR_NONE;
  return scan (grey);
}

/**
 * fk_office_qr_read:
 * @image: a photo, JPEG or PNG
 * @problem: (out): why there is no text
 *
 * Returns: (transfer full) (nullable): the text of the first QR code in @image
 */
char *
fk_office_qr_read (GBytes *image, FkOfficeQrProblem *problem)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (image, &len);
  guint width = 0, height = 0;
  char *text;

  *problem = FK_OFFICE_QR_NOT_IMAGE;
  if (len > 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    text = read_png (data, len, problem);
  else if (jpeg_size (data, len, &width, &height))
    {
      if ((guint64) width * height > MAX_PIXELS)
        {
          *problem = FK_OFFICE_QR_TOO_LARGE;
          return NULL;
        }
      text = read_jpeg (data, len, width, height, problem);
    }
  else
    return NULL;
  return text;
}
