/* fk-fingerprint.h: a fingerprint reader, real or simulated
 *
 * Enrolment returns a serialized template and capture a grey image, both as
 * #GBytes: the caller seals them in the store; this layer never writes them
 * to disk. The device factory (fk-devices.h) hands readers out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FK_TYPE_FINGERPRINT (fk_fingerprint_get_type ())
G_DECLARE_INTERFACE (FkFingerprint, fk_fingerprint, FK, FINGERPRINT, GObject)

/**
 * FkFingerprintInterface:
 *
 * Signals:
 * - `enroll-progress (int stage, int n_stages, const char *retry)`: after
 *   each press during enrolment; @retry is a translated hint ("press again,
 *   centred") when the press could not be used, else %NULL.
 * - `finger-needed`: the reader waits for a finger (show "place your finger").
 */
struct _FkFingerprintInterface
{
  GTypeInterface g_iface;

  const char *(*get_name) (FkFingerprint *self);
  const char *(*get_driver) (FkFingerprint *self);
  int (*get_enroll_stages) (FkFingerprint *self);

  void (*enroll_async) (FkFingerprint *self, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data);
  GBytes *(*enroll_finish) (FkFingerprint *self, GAsyncResult *result, GError **error);

  void (*verify_async) (FkFingerprint *self, GBytes *template, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*verify_finish) (FkFingerprint *self, GAsyncResult *result, gboolean *match,
                             GError **error);

  void (*capture_async) (FkFingerprint *self, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data);
  GBytes *(*capture_finish) (FkFingerprint *self, GAsyncResult *result, int *width, int *height,
                             GError **error);
};

const char *fk_fingerprint_get_name (FkFingerprint *self);
const char *fk_fingerprint_get_driver (FkFingerprint *self);
int fk_fingerprint_get_enroll_stages (FkFingerprint *self);

void fk_fingerprint_enroll_async (FkFingerprint *self, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
GBytes *fk_fingerprint_enroll_finish (FkFingerprint *self, GAsyncResult *result, GError **error);

void fk_fingerprint_verify_async (FkFingerprint *self, GBytes *template, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean fk_fingerprint_verify_finish (FkFingerprint *self, GAsyncResult *result, gboolean *match,
                                       GError **error);

void fk_fingerprint_capture_async (FkFingerprint *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
GBytes *fk_fingerprint_capture_finish (FkFingerprint *self, GAsyncResult *result, int *width,
                                       int *height, GError **error);

GBytes *fk_fingerprint_image_to_png (GBytes *grey, int width, int height, GError **error);
GBytes *fk_fingerprint_image_load (const char *path, int *width, int *height, GError **error);

G_END_DECLS
