/* fk-qr-zxing.cpp: zxing-cpp as the QR scanner's second decoder
 *
 * Reads QR codes (Model 2; zxing-cpp 1.4 has no Model 1) from an 8-bit
 * luminance image. When several codes are found, the largest wins: a card's
 * code with a smaller one printed inside it gives the card's. Bytes come
 * from Result::bytes(), the payload before any character-set conversion.
 * No exception crosses into C.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define ZX_USE_UTF8 1

#include <cmath>

#include <ZXing/ReadBarcode.h>

#include "fk-qr-zxing.h"

static double
area (const ZXing::Position &p)
{
  double a = 0;

  for (int i = 0; i < 4; i++)
    {
      const auto &u = p[i];
      const auto &v = p[(i + 1) % 4];

      a += (double) u.x * v.y - (double) v.x * u.y;
    }
  return std::fabs (a) / 2;
}

gboolean
fk_qr_zxing_decode (const guint8 *pixels, int width, int height, int stride, gboolean try_harder,
                    FkQrZxingResult *result)
{
  try
    {
      ZXing::ImageView image (pixels, width, height, ZXing::ImageFormat::Lum, stride);
      ZXing::DecodeHints hints;
      const ZXing::Result *best = nullptr;
      double best_area = -1;

      hints.setFormats (ZXing::BarcodeFormat::QRCode);
      hints.setTryHarder (try_harder);
      hints.setTryRotate (false);
      hints.setTryDownscale (true);
      hints.setMaxNumberOfSymbols (4);
      auto found = ZXing::ReadBarcodes (image, hints);
      for (const auto &r : found)
        {
          double a;

          if (!r.isValid () || r.bytes ().empty ())
            continue;
          a = area (r.position ());
          if (a > best_area)
            {
              best = &r;
              best_area = a;
            }
        }
      if (best == nullptr)
        return FALSE;
      result->payload = g_bytes_new (best->bytes ().data (), best->bytes ().size ());
      for (int i = 0; i < 4; i++)
        {
          result->corners[2 * i] = best->position ()[i].x;
          result->corners[2 * i + 1] = best->position ()[i].y;
        }
      return TRUE;
    }
  catch (...)
    {
      return FALSE;
    }
}
