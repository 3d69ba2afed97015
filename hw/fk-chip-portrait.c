/* fk-chip-portrait.c: the chip's portrait, JPEG or JPEG 2000, as pixels
 *
 * JPEG goes through GdkPixbuf; Debian's GdkPixbuf has no JPEG 2000 loader,
 * so JP2 files and bare J2K codestreams are decoded with OpenJPEG from
 * memory. Grey, RGB and RGBA images with 8-bit (or rescaled) components
 * are supported; subsampled chroma is upsampled by repetition.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>
#include <openjpeg.h>
#include <string.h>

#include "fk-chip.h"
#include "fk-hw-error.h"

#define MAX_PORTRAIT_SIDE 4096

typedef struct
{
  const guint8 *data;
  gsize len;
  gsize pos;
} MemStream;

static OPJ_SIZE_T
mem_read (void *buffer, OPJ_SIZE_T n, void *user)
{
  MemStream *m = user;
  gsize left = m->len - m->pos;

  if (left == 0)
    return (OPJ_SIZE_T) -1;
  n = MIN (n, left);
  memcpy (buffer, m->data + m->pos, n);
  m->pos += n;
  return n;
}

static OPJ_OFF_T
mem_skip (OPJ_OFF_T n, void *user)
{
  MemStream *m = user;

  if (n < 0 || (gsize) n > m->len - m->pos)
    return -1;
  m->pos += (gsize) n;
  return n;
}

static OPJ_BOOL
mem_seek (OPJ_OFF_T n, void *user)
{
  MemStream *m = user;

  if (n < 0 || (gsize) n > m->len)
    return OPJ_FALSE;
  m->pos = (gsize) n;
  return OPJ_TRUE;
}

static guint8
component_value (const opj_image_comp_t *c, int x, int y)
{
  int cx = MIN (x / (int) c->dx, (int) c->w - 1);
  int cy = MIN (y / (int) c->dy, (int) c->h - 1);
  int v = c->data[(gsize) cy * c->w + cx];

  if (c->sgnd)
    v += 1 << (c->prec - 1);
  if (c->prec > 8)
    v >>= c->prec - 8;
  else if (c->prec < 8)
    v <<= 8 - c->prec;
  return (guint8) CLAMP (v, 0, 255);
}

static GdkPixbuf *
image_to_pixbuf (opj_image_t *image)
{
  int w = (int) (image->x1 - image->x0);
  int h = (int) (image->y1 - image->y0);
  gboolean alpha = image->numcomps == 2 || image->numcomps >= 4;
  GdkPixbuf *pixbuf;
  guint8 *pixels;
  int stride, channels;

  if (w <= 0 || h <= 0 || w > MAX_PORTRAIT_SIDE || h > MAX_PORTRAIT_SIDE || image->numcomps < 1)
    return NULL;
  for (guint i = 0; i < image->numcomps; i++)
    if (image->comps[i].data == NULL || image->comps[i].dx == 0 || image->comps[i].dy == 0 ||
        image->comps[i].prec == 0 || image->comps[i].prec > 16)
      return NULL;
  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, w, h);
  pixels = gdk_pixbuf_get_pixels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  channels = gdk_pixbuf_get_n_channels (pixbuf);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint8 *px = pixels + (gsize) y * stride + (gsize) x * channels;

        if (image->numcomps < 3)
          px[0] = px[1] = px[2] = component_value (&image->comps[0], x, y);
        else
          for (int c = 0; c < 3; c++)
            px[c] = component_value (&image->comps[c], x, y);
        if (alpha)
          px[3] = component_value (&image->comps[image->numcomps < 3 ? 1 : 3], x, y);
      }
  return pixbuf;
}

static void
quiet (const char *msg, void *data)
{
}

static GdkPixbuf *
decode_jpeg2000 (GBytes *encoded)
{
  MemStream m = { 0 };
  gboolean jp2;
  opj_codec_t *codec;
  opj_stream_t *stream;
  opj_image_t *image = NULL;
  opj_dparameters_t params;
  GdkPixbuf *pixbuf = NULL;

  m.data = g_bytes_get_data (encoded, &m.len);
  jp2 = m.len >= 4 && m.data[0] == 0 && m.data[1] == 0;
  codec = opj_create_decompress (jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
  opj_set_default_decoder_parameters (&params);
  opj_set_info_handler (codec, quiet, NULL);
  opj_set_warning_handler (codec, quiet, NULL);
  opj_set_error_handler (codec, quiet, NULL);
  stream = opj_stream_default_create (OPJ_TRUE);
  opj_stream_set_user_data (stream, &m, NULL);
  opj_stream_set_user_data_length (stream, m.len);
  opj_stream_set_read_function (stream, mem_read);
  opj_stream_set_skip_function (stream, mem_skip);
  opj_stream_set_seek_function (stream, mem_seek);
  if (opj_setup_decoder (codec, &params) && opj_read_header (stream, codec, &image) &&
      image != NULL &&
      (gsize) (image->x1 - image->x0) * (image->y1 - image->y0) <=
        (gsize) MAX_PORTRAIT_SIDE * MAX_PORTRAIT_SIDE &&
      opj_decode (codec, stream, image) && opj_end_decompress (codec, stream))
    pixbuf = image_to_pixbuf (image);
  opj_image_destroy (image);
  opj_stream_destroy (stream);
  opj_destroy_codec (codec);
  return pixbuf;
}

/**
 * fk_chip_portrait_decode:
 * @encoded: the portrait from fk_chip_data_get_portrait()
 * @mime_type: "image/jpeg" or "image/jp2"
 *
 * Returns: (transfer full): the pixels, or %NULL with
 *   %FK_HW_ERROR_PORTRAIT_INVALID
 */
GdkPixbuf *
fk_chip_portrait_decode (GBytes *encoded, const char *mime_type, GError **error)
{
  GdkPixbuf *pixbuf = NULL;

  g_return_val_if_fail (encoded != NULL, NULL);

  if (g_strcmp0 (mime_type, "image/jp2") == 0)
    pixbuf = decode_jpeg2000 (encoded);
  else if (g_strcmp0 (mime_type, "image/jpeg") == 0)
    {
      g_autoptr (GdkPixbufLoader) loader =
        gdk_pixbuf_loader_new_with_mime_type ("image/jpeg", NULL);

      if (loader != NULL && gdk_pixbuf_loader_write_bytes (loader, encoded, NULL) &&
          gdk_pixbuf_loader_close (loader, NULL) && gdk_pixbuf_loader_get_pixbuf (loader) != NULL)
        pixbuf = g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
      else if (loader != NULL)
        gdk_pixbuf_loader_close (loader, NULL);
    }
  if (pixbuf == NULL)
    g_set_error_literal (error, FK_HW_ERROR, FK_HW_ERROR_PORTRAIT_INVALID,
                         _ ("The portrait on the card could not be decoded."));
  return pixbuf;
}
