/* fk-fingerprint.c: the fingerprint interface and the choice of backend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>

#include "fk-fingerprint.h"
#include "fk-fingerprint-libfprint.h"
#include "fk-fingerprint-sim.h"
#include "fk-hw-error.h"

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

/**
 * fk_fingerprint_backend_from_env:
 *
 * Returns: %FK_FINGERPRINT_BACKEND_SIM when `FIELDKIT_HW=sim`, else
 *   %FK_FINGERPRINT_BACKEND_REAL.
 */
FkFingerprintBackend
fk_fingerprint_backend_from_env (void)
{
  return g_strcmp0 (g_getenv ("FIELDKIT_HW"), "sim") == 0 ? FK_FINGERPRINT_BACKEND_SIM
                                                          : FK_FINGERPRINT_BACKEND_REAL;
}

/**
 * fk_fingerprint_list_readers:
 *
 * The simulated reader is pressed with the image named by
 * `FIELDKIT_SIM_FINGERPRINT` when set (demonstrations, UI tests); without
 * it, it waits like a reader nobody touches until given a finger with
 * fk_fingerprint_sim_set_finger().
 *
 * Returns: (transfer full) (element-type FkFingerprint): the readers found,
 *   possibly none; %NULL with @error set when the simulation cannot start
 *   or its finger image cannot be read.
 */
GPtrArray *
fk_fingerprint_list_readers (FkFingerprintBackend backend, GError **error)
{
  g_autoptr (GPtrArray) readers = g_ptr_array_new_with_free_func (g_object_unref);

  if (backend == FK_FINGERPRINT_BACKEND_DEFAULT)
    backend = fk_fingerprint_backend_from_env ();

  if (backend == FK_FINGERPRINT_BACKEND_SIM)
    {
      g_autoptr (FkFingerprintSim) sim = fk_fingerprint_sim_new (error);
      const char *finger = g_getenv ("FIELDKIT_SIM_FINGERPRINT");

      if (sim == NULL)
        return NULL;
      if (finger != NULL && *finger != '\0' &&
          !fk_fingerprint_sim_set_finger_file (sim, finger, error))
        return NULL;
      g_ptr_array_add (readers, g_steal_pointer (&sim));
    }
  else
    {
      g_autoptr (FpContext) context = fp_context_new ();
      GPtrArray *devices = fp_context_get_devices (context);

      for (guint i = 0; i < devices->len; i++)
        g_ptr_array_add (readers,
                         fk_fingerprint_libfprint_new (context, g_ptr_array_index (devices, i)));
    }
  return g_steal_pointer (&readers);
}

/**
 * fk_fingerprint_new_default:
 *
 * Returns: (transfer full): the first reader of @backend, or %NULL with
 *   %FK_HW_ERROR_FINGERPRINT_NO_READER when none is plugged in.
 */
FkFingerprint *
fk_fingerprint_new_default (FkFingerprintBackend backend, GError **error)
{
  g_autoptr (GPtrArray) readers = fk_fingerprint_list_readers (backend, error);

  if (readers == NULL)
    return NULL;
  if (readers->len == 0)
    {
      g_set_error_literal (error, FK_HW_ERROR, FK_HW_ERROR_FINGERPRINT_NO_READER,
                           _ ("No fingerprint reader was found. Plug in the reader and try "
                              "again."));
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (readers, 0));
}
