/* fk-qr-scanner-private.h: what the QR scanner's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-gray-image.h"

G_BEGIN_DECLS

/* fk-qr-filters.c */
FkGrayImage *fk_qr_contrast_stretch (const FkGrayImage *image);
FkGrayImage *fk_qr_adaptive_threshold (const FkGrayImage *image, int radius);
FkGrayImage *fk_qr_unsharp (const FkGrayImage *image, int radius, int amount);
FkGrayImage *fk_qr_smooth (const FkGrayImage *image);
FkGrayImage *fk_qr_invert (const FkGrayImage *image);

/* fk-qr-deblur.c */
typedef struct _FkQrDeblur FkQrDeblur;

FkQrDeblur *fk_qr_deblur_new (const FkGrayImage *image, int radius);
FkGrayImage *fk_qr_deblur_run (FkQrDeblur *self, int iterations);
void fk_qr_deblur_free (FkQrDeblur *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkQrDeblur, fk_qr_deblur_free)

G_END_DECLS
