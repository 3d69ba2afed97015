/* fk-qr-texture.c: a QR code (libqrencode) as a GdkTexture
 *
 * Drawn with whole pixels per module and a 4-module quiet zone so a phone
 * camera reads it off the screen; scaled by GtkPicture with nearest
 * filtering it stays sharp.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <qrencode.h>

#include "fk-qr-texture.h"

#define QUIET_ZONE 4

/**
 * fk_qr_texture_new:
 * @text: what the code says (ASCII is smallest)
 * @module_pixels: pixels per module, at least 1
 *
 * Returns: (transfer full) (nullable): the code, %NULL if @text is too long
 */
GdkTexture *
fk_qr_texture_new (const char *text, int module_pixels)
{
  QRcode *code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  g_autoptr (GBytes) bytes = NULL;
  guint8 *pixels;
  int side, stride;

  if (code == NULL)
    return NULL;
  module_pixels = MAX (module_pixels, 1);
  side = (code->width + 2 * QUIET_ZONE) * module_pixels;
  stride = side * 3; /* RGB: GTK 4.8 has no grey memory format */
  pixels = g_malloc (stride * side);
  memset (pixels, 0xff, stride * side);
  for (int y = 0; y < code->width; y++)
    for (int x = 0; x < code->width; x++)
      if (code->data[y * code->width + x] & 1)
        for (int dy = 0; dy < module_pixels; dy++)
          memset (pixels + ((y + QUIET_ZONE) * module_pixels + dy) * stride +
                    (x + QUIET_ZONE) * module_pixels * 3,
                  0, module_pixels * 3);
  QRcode_free (code);
  bytes = g_bytes_new_take (pixels, stride * side);
  return gdk_memory_texture_new (side, side, GDK_MEMORY_R8G8B8, bytes, stride);
}
