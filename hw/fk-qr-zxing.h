/* fk-qr-zxing.h: zxing-cpp as the QR scanner's second decoder
 *
 * A small C++ shim, so that the rest of hw/ stays C.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  GBytes *payload;   /* the code's bytes, unchanged (Shift_JIS stays Shift_JIS) */
  double corners[8]; /* top-left, top-right, bottom-right, bottom-left */
} FkQrZxingResult;

gboolean fk_qr_zxing_decode (const guint8 *pixels, int width, int height, int stride,
                             gboolean try_harder, FkQrZxingResult *result);

G_END_DECLS
