/* fk-fingerprint.c: the fingerprint interface
 *
 * The device factory (fk-devices.c) chooses between libfprint readers and
 * the simulated one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-fingerprint.h"

G_DEFINE_INTERFACE (FkFingerprint, fk_fingerprint, G_TYPE_OBJECT)

static void
fk_fingerprint_default_init (FkFingerprintInterface *iface)
{
  g_signal_new ("enroll-progress", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                NULL, G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_INT, G_TYPE_STRING);
  g_signal_new ("finger-needed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                NULL, G_TYPE_NONE, 0);
}

const char *
fk_fingerprint_get_name (FkFingerprint *self)
{
  g_return_val_if_fail (FK_IS_FINGERPRINT (self), NULL);
  return FK_FINGERPRINT_GET_IFACE (self)->get_name (self);
}

const char *
fk_fingerprint_get_driver (FkFingerprint *self)
{
  g_return_val_if_fail (FK_IS_FINGERPRINT (self), NULL);
  return FK_FINGERPRINT_GET_IFACE (self)->get_driver (self);
}

/**
 * fk_fingerprint_get_enroll_stages:
 *
 * Returns: how many presses an enrolment takes.
 */
int
fk_fingerprint_get_enroll_stages (FkFingerprint *self)
{
  g_return_val_if_fail (FK_IS_FINGERPRINT (self), 0);
  return FK_FINGERPRINT_GET_IFACE (self)->get_enroll_stages (self);
}

/**
 * fk_fingerprint_enroll_async:
 *
 * Takes several presses of one finger (see `enroll-progress`) and makes a
 * template of them.
 */
void
fk_fingerprint_enroll_async (FkFingerprint *self, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (FK_IS_FINGERPRINT (self));
  FK_FINGERPRINT_GET_IFACE (self)->enroll_async (self, cancellable, callback, user_data);
}

/**
 * fk_fingerprint_enroll_finish:
 *
 * Returns: (transfer full): the serialized template, to be sealed by the
 *   caller, or %NULL with @error set.
 */
GBytes *
fk_fingerprint_enroll_finish (FkFingerprint *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (FK_IS_FINGERPRINT (self), NULL);
  return FK_FINGERPRINT_GET_IFACE (self)->enroll_finish (self, result, error);
}

/**
 * fk_fingerprint_verify_async:
 * @template: a template from fk_fingerprint_enroll_finish()
 *
 * Reads one press and compares it with @template.
 */
void
fk_fingerprint_verify_async (FkFingerprint *self, GBytes *template, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (FK_IS_FINGERPRINT (self));
  g_return_if_fail (template != NULL);
  FK_FINGERPRINT_GET_IFACE (self)->verify_async (self, template, cancellable, callback, user_data);
}

/**
 * fk_fingerprint_verify_finish:
 * @match: (out): whether the press matched the template
 *
 * Returns: %TRUE when the reader gave an answer (see @match), %FALSE with
 *   @error set when it could not.
 */
gboolean
fk_fingerprint_verify_finish (FkFingerprint *self, GAsyncResult *result, gboolean *match,
                              GError **error)
{
  g_return_val_if_fail (FK_IS_FINGERPRINT (self), FALSE);
  return FK_FINGERPRINT_GET_IFACE (self)->verify_finish (self, result, match, error);
}

/**
 * fk_fingerprint_capture_async:
 *
 * Reads one press as an image: the "điểm chỉ" kept in a dossier where the
 * citizen cannot sign.
 */
void
fk_fingerprint_capture_async (FkFingerprint *self, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (FK_IS_FINGERPRINT (self));
  FK_FINGERPRINT_GET_IFACE (self)->capture_async (self, cancellable, callback, user_data);
}

/**
 * fk_fingerprint_capture_finish:
 * @width: (out): image width in pixels
 * @height: (out): image height in pixels
 *
 * Returns: (transfer full): 8-bit grey pixels, row by row, @width × @height
 *   bytes, or %NULL with @error set.
 */
GBytes *
fk_fingerprint_capture_finish (FkFingerprint *self, GAsyncResult *result, int *width, int *height,
                               GError **error)
{
  g_return_val_if_fail (FK_IS_FINGERPRINT (self), NULL);
  return FK_FINGERPRINT_GET_IFACE (self)->capture_finish (self, result, width, height, error);
}
