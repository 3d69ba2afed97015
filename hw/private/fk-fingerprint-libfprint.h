/* fk-fingerprint-libfprint.h: a fingerprint reader driven by libfprint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <fprint.h>

#include "fk-fingerprint.h"

G_BEGIN_DECLS

#define FK_TYPE_FINGERPRINT_LIBFPRINT (fk_fingerprint_libfprint_get_type ())
G_DECLARE_FINAL_TYPE (FkFingerprintLibfprint, fk_fingerprint_libfprint, FK, FINGERPRINT_LIBFPRINT,
                      GObject)

FkFingerprint *fk_fingerprint_libfprint_new (FpContext *context, FpDevice *device);
FpDevice *fk_fingerprint_libfprint_get_device (FkFingerprintLibfprint *self);
GPtrArray *fk_fingerprint_libfprint_list_readers (void);

G_END_DECLS
