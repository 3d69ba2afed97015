/* fk-qr-scanner.h: QR codes (CCCD cards) from luminance images, with zbar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fk-gray-image.h"

G_BEGIN_DECLS

/**
 * FkQrMode:
 * @FK_QR_MODE_LIVE: a preview frame: one plain zbar pass, at most 720
 *   pixels wide, on every second row and column, a few milliseconds at
 *   720p; the next frame gets another chance.
 * @FK_QR_MODE_STILL: a still photo: every pass until one decodes.
 */
typedef enum
{
  FK_QR_MODE_LIVE,
  FK_QR_MODE_STILL,
} FkQrMode;

/**
 * FkQrPass:
 *
 * The passes a still scan tries, in this order. Each one is kept because
 * it decodes corpus photos the others miss (bench/qr prints what is lost
 * without each); a contrast stretch and a 4× downscale were measured and
 * dropped: they added nothing.
 */
typedef enum
{
  FK_QR_PASS_PLAIN = 1 << 0,     /* the image as it is, light-on-dark codes too */
  FK_QR_PASS_ZXING = 1 << 6,     /* zxing-cpp: perspective, large modules, nested codes */
  FK_QR_PASS_HALF = 1 << 1,      /* 2× box downscale: averages noise and blur */
  FK_QR_PASS_THRESHOLD = 1 << 2, /* adaptive threshold: glare, uneven light */
  FK_QR_PASS_DENOISE = 1 << 3,   /* 3×3 mean then contrast stretch: dark, noisy scenes */
  FK_QR_PASS_SHARPEN = 1 << 4,   /* unsharp masks: defocus, shake */
  FK_QR_PASS_FINDER = 1 << 5,    /* upscaled crops around finder patterns: small codes */
  FK_QR_PASS_DEBLUR = 1 << 7,    /* deconvolution of a shake along the rows: a shaking hand */
} FkQrPass;

#define FK_QR_PASS_ALL 0xff

typedef struct
{
  GBytes *payload;   /* the exact bytes of the code */
  double corners[8]; /* x0,y0 … x3,y3 in the scanned image's pixels */
  guint n_corners;   /* points in corners (4 for QR, 0 if zbar gave none) */
  const char *pass;  /* name of the pass that decoded it */
} FkQrResult;

#define FK_TYPE_QR_RESULT (fk_qr_result_get_type ())
GType fk_qr_result_get_type (void);
FkQrResult *fk_qr_result_copy (const FkQrResult *result);
void fk_qr_result_free (FkQrResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkQrResult, fk_qr_result_free)

#define FK_TYPE_QR_SCANNER (fk_qr_scanner_get_type ())
G_DECLARE_FINAL_TYPE (FkQrScanner, fk_qr_scanner, FK, QR_SCANNER, GObject)

FkQrScanner *fk_qr_scanner_new (void);
void fk_qr_scanner_set_passes (FkQrScanner *self, guint passes);
guint fk_qr_scanner_get_passes (FkQrScanner *self);
FkQrResult *fk_qr_scanner_scan (FkQrScanner *self, const FkGrayImage *image, FkQrMode mode);
void fk_qr_scanner_scan_async (FkQrScanner *self, const FkGrayImage *image, FkQrMode mode,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data);
FkQrResult *fk_qr_scanner_scan_finish (FkQrScanner *self, GAsyncResult *result, GError **error);

const char *fk_qr_pass_to_string (FkQrPass pass);

G_END_DECLS
