/* fk-fingerprint-libfprint.c: a fingerprint reader driven by libfprint
 *
 * Each operation opens the device, runs, and closes it again, as fprintd
 * does: the reader stays free between citizens and a cancelled operation
 * never leaves it open.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fk-fingerprint-libfprint.h"
#include "fk-hw-error.h"

struct _FkFingerprintLibfprint
{
  GObject parent_instance;

  FpContext *context;
  FpDevice *device;
  FpFingerStatusFlags finger_status;
};

typedef enum
{
  OP_ENROLL,
  OP_VERIFY,
  OP_CAPTURE,
} OpKind;

typedef struct
{
  OpKind kind;
  FpPrint *template;
  GError *error; /* of the action, kept while the device closes */
  GBytes *result;
  gboolean match;
  int width;
  int height;
  gboolean reopened;
} Op;

static void fk_fingerprint_libfprint_iface_init (FkFingerprintInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FkFingerprintLibfprint, fk_fingerprint_libfprint, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (FK_TYPE_FINGERPRINT,
                                                      fk_fingerprint_libfprint_iface_init))

static void
op_free (Op *op)
{
  g_clear_object (&op->template);
  g_clear_error (&op->error);
  g_clear_pointer (&op->result, g_bytes_unref);
  g_free (op);
}

/* The hint for a press that could not be used: libfprint's retry codes
 * where it gives one, else a general one. */
static const char *
retry_hint (const GError *error)
{
  if (error->domain == FP_DEVICE_RETRY)
    switch (error->code)
      {
        case FP_DEVICE_RETRY_TOO_SHORT:
          return _ ("The swipe was too short. Swipe the finger again, more slowly.");
        case FP_DEVICE_RETRY_CENTER_FINGER:
          return _ ("The finger was not centred. Place it in the middle of the reader and press "
                    "again.");
        case FP_DEVICE_RETRY_REMOVE_FINGER:
          return _ ("Lift the finger off the reader, then press again.");
        default:
          break;
      }
  return _ ("The fingerprint could not be read well. Wipe the finger and the reader, then press "
            "again.");
}

/* Turns libfprint's errors into ours, with messages an officer can act on;
 * cancellation stays G_IO_ERROR_CANCELLED so callers can recognise it. */
static GError *
translate_error (GError *error)
{
  GError *ours;

  if (error->domain == G_IO_ERROR)
    return error;

  if (error->domain == FP_DEVICE_RETRY)
    ours = g_error_new_literal (FK_HW_ERROR, FK_HW_ERROR_FINGERPRINT_RETRY, retry_hint (error));
  else if (error->domain == FP_DEVICE_ERROR &&
           (error->code == FP_DEVICE_ERROR_BUSY || error->code == FP_DEVICE_ERROR_ALREADY_OPEN))
    ours = g_error_new_literal (FK_HW_ERROR, FK_HW_ERROR_FINGERPRINT_BUSY,
                                _ ("The fingerprint reader is busy with another task. Wait for "
                                   "it to finish, or cancel it, and try again."));
  else if (error->domain == FP_DEVICE_ERROR && error->code == FP_DEVICE_ERROR_REMOVED)
    ours = g_error_new_literal (FK_HW_ERROR, FK_HW_ERROR_FINGERPRINT_NO_READER,
                                _ ("The fingerprint reader was unplugged. Plug it in again and "
                                   "repeat the step."));
  else if (error->domain == FP_DEVICE_ERROR && error->code == FP_DEVICE_ERROR_TOO_HOT)
    ours = g_error_new_literal (FK_HW_ERROR, FK_HW_ERROR_FINGERPRINT_FAILED,
                                _ ("The fingerprint reader is too hot. Keep it out of the sun for "
                                   "a few minutes, then try again."));
  else
    ours = g_error_new (FK_HW_ERROR, FK_HW_ERROR_FINGERPRINT_FAILED,
                        _ ("The fingerprint reader failed (%s). Unplug it, plug it in again and "
                           "retry."),
                        error->message);
  g_error_free (error);
  return ours;
}

static void
on_finger_status (FpDevice *device, GParamSpec *pspec, FkFingerprintLibfprint *self)
{
  FpFingerStatusFlags status = fp_device_get_finger_status (device);
  gboolean newly_needed =
    (status & FP_FINGER_STATUS_NEEDED) && !(self->finger_status & FP_FINGER_STATUS_NEEDED);

  self->finger_status = status;
  if (newly_needed)
    g_signal_emit_by_name (self, "finger-needed");
}

static void
fk_fingerprint_libfprint_dispose (GObject *object)
{
  FkFingerprintLibfprint *self = FK_FINGERPRINT_LIBFPRINT (object);

  if (self->device != NULL)
    g_signal_handlers_disconnect_by_data (self->device, self);
  g_clear_object (&self->device);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (fk_fingerprint_libfprint_parent_class)->dispose (object);
}

static void
fk_fingerprint_libfprint_class_init (FkFingerprintLibfprintClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = fk_fingerprint_libfprint_dispose;
}

static void
fk_fingerprint_libfprint_init (FkFingerprintLibfprint *self)
{
}

/**
 * fk_fingerprint_libfprint_new:
 * @context: the context @device came from, kept alive with it
 *
 * Returns: (transfer full): a reader on @device.
 */
FkFingerprint *
fk_fingerprint_libfprint_new (FpContext *context, FpDevice *device)
{
  FkFingerprintLibfprint *self = g_object_new (FK_TYPE_FINGERPRINT_LIBFPRINT, NULL);

  self->context = g_object_ref (context);
  self->device = g_object_ref (device);
  g_signal_connect (device, "notify::finger-status", G_CALLBACK (on_finger_status), self);
  return FK_FINGERPRINT (self);
}

/**
 * fk_fingerprint_libfprint_get_device:
 *
 * Returns: (transfer none): the libfprint device.
 */
FpDevice *
fk_fingerprint_libfprint_get_device (FkFingerprintLibfprint *self)
{
  g_return_val_if_fail (FK_IS_FINGERPRINT_LIBFPRINT (self), NULL);
  return self->device;
}

static const char *
libfprint_get_name (FkFingerprint *fp)
{
  return fp_device_get_name (FK_FINGERPRINT_LIBFPRINT (fp)->device);
}

static const char *
libfprint_get_driver (FkFingerprint *fp)
{
  return fp_device_get_driver (FK_FINGERPRINT_LIBFPRINT (fp)->device);
}

static int
libfprint_get_enroll_stages (FkFingerprint *fp)
{
  return fp_device_get_nr_enroll_stages (FK_FINGERPRINT_LIBFPRINT (fp)->device);
}

/* The operation: open → action → close → return. */

static void
close_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!fp_device_close_finish (FP_DEVICE (source), res, &error) && op->error == NULL)
    op->error = translate_error (g_steal_pointer (&error));

  if (op->error != NULL)
    g_task_return_error (task, g_steal_pointer (&op->error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
action_done (FkFingerprintLibfprint *self, GTask *task, GError *error)
{
  Op *op = g_task_get_task_data (task);

  if (error != NULL)
    op->error = translate_error (error);
  fp_device_close (self->device, NULL, close_done, task);
}

static void
enroll_progress (FpDevice *device, gint completed, FpPrint *print, gpointer user_data,
                 GError *error)
{
  GTask *task = user_data;
  FkFingerprintLibfprint *self = g_task_get_source_object (task);

  g_signal_emit_by_name (self, "enroll-progress", completed,
                         fp_device_get_nr_enroll_stages (device),
                         error != NULL ? retry_hint (error) : NULL);
}

static void
enroll_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr (FpPrint) print = fp_device_enroll_finish (FP_DEVICE (source), res, &error);

  if (print != NULL)
    {
      guchar *data = NULL;
      gsize len = 0;

      if (fp_print_serialize (print, &data, &len, &error))
        op->result = g_bytes_new_take (data, len);
    }
  action_done (g_task_get_source_object (task), task, error);
}

static void
verify_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  fp_device_verify_finish (FP_DEVICE (source), res, &op->match, NULL, &error);
  action_done (g_task_get_source_object (task), task, error);
}

static void
capture_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr (FpImage) image = fp_device_capture_finish (FP_DEVICE (source), res, &error);

  if (image != NULL)
    {
      gsize len = 0;
      const guchar *data = fp_image_get_data (image, &len);

      op->width = (int) fp_image_get_width (image);
      op->height = (int) fp_image_get_height (image);
      op->result = g_bytes_new (data, len);
    }
  action_done (g_task_get_source_object (task), task, error);
}

static void open_done (GObject *source, GAsyncResult *res, gpointer user_data);

static void
reopen (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GTask *task = user_data;

  fp_device_close_finish (FP_DEVICE (source), res, NULL);
  fp_device_open (FP_DEVICE (source), g_task_get_cancellable (task), open_done, task);
}

static void
open_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GTask *task = user_data;
  FkFingerprintLibfprint *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  if (!fp_device_open_finish (self->device, res, &error))
    {
      /* Left open by an operation cancelled while it opened the device
       * (libfprint may finish opening after reporting the cancellation):
       * none of ours runs now, so close it and open again, once. */
      if (g_error_matches (error, FP_DEVICE_ERROR, FP_DEVICE_ERROR_ALREADY_OPEN) && !op->reopened)
        {
          g_error_free (error);
          op->reopened = TRUE;
          fp_device_close (self->device, NULL, reopen, task);
          return;
        }
      op->error = translate_error (error);
      /* Cancelled: the device may be open all the same; leave it closed. */
      if (fp_device_is_open (self->device))
        fp_device_close (self->device, NULL, close_done, task);
      else
        {
          g_task_return_error (task, g_steal_pointer (&op->error));
          g_object_unref (task);
        }
      return;
    }

  switch (op->kind)
    {
      case OP_ENROLL:
        fp_device_enroll (self->device, fp_print_new (self->device), cancellable, enroll_progress,
                          task, NULL, enroll_done, task);
        break;
      case OP_VERIFY:
        fp_device_verify (self->device, op->template, cancellable, NULL, NULL, NULL, verify_done,
                          task);
        break;
      case OP_CAPTURE:
        fp_device_capture (self->device, TRUE, cancellable, capture_done, task);
        break;
      default:
        g_assert_not_reached ();
    }
}

static GTask *
op_new (FkFingerprintLibfprint *self, OpKind kind, GCancellable *cancellable,
        GAsyncReadyCallback callback, gpointer user_data, gpointer source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  return task;
}

static void
libfprint_enroll_async (FkFingerprint *fp, GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user_data)
{
  FkFingerprintLibfprint *self = FK_FINGERPRINT_LIBFPRINT (fp);
  GTask *task = op_new (self, OP_ENROLL, cancellable, callback, user_data, libfprint_enroll_async);

  fp_device_open (self->device, cancellable, open_done, task);
}

static GBytes *
libfprint_enroll_finish (FkFingerprint *fp, GAsyncResult *result, GError **error)
{
  Op *op = g_task_get_task_data (G_TASK (result));

  g_return_val_if_fail (g_task_is_valid (result, fp), NULL);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return g_bytes_ref (op->result);
}

/* libfprint's format: "FP3" then a GVariant. fp_print_deserialize() trusts
 * more of it than a file may deserve (it asserts on short data and aborts on
 * a wrong inner type), so a template is checked here first. */
#define PRINT_TYPE_RAW    1
#define PRINT_TYPE_NBIS   2
#define MAX_NBIS_MINUTIAE 200

static gboolean
template_is_sane (GBytes *template)
{
  gsize len = 0;
  const guchar *data = g_bytes_get_data (template, &len);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GVariant) value = NULL;
  g_autoptr (GVariant) inner = NULL;
  g_autoptr (GVariant) payload = NULL;
  gint32 type = 0;
  gint32 julian = 0;

  if (len <= 3 || memcmp (data, "FP3", 3) != 0)
    return FALSE;
  body = g_bytes_new_from_bytes (template, 3, len - 3);
  value = g_variant_new_from_bytes (G_VARIANT_TYPE ("(issbymsmsia{sv}v)"), body, FALSE);
  if (!g_variant_is_normal_form (value))
    return FALSE;
  g_variant_get (value, "(i&s&sbymsmsi@a{sv}v)", &type, NULL, NULL, NULL, NULL, NULL, NULL, &julian,
                 NULL, &inner);
  if (julian == 0)
    return FALSE;

  if (type == PRINT_TYPE_RAW)
    return g_variant_is_container (inner) && g_variant_n_children (inner) > 0;
  if (type != PRINT_TYPE_NBIS || !g_variant_is_of_type (inner, G_VARIANT_TYPE ("(a(aiaiai))")))
    return FALSE;

  payload = g_variant_get_child_value (inner, 0);
  for (gsize i = 0; i < g_variant_n_children (payload); i++)
    {
      g_autoptr (GVariant) xyt = g_variant_get_child_value (payload, i);
      gsize n = g_variant_n_children (xyt);

      for (gsize k = 0; k < n; k++)
        {
          g_autoptr (GVariant) column = g_variant_get_child_value (xyt, k);
          gsize rows = g_variant_n_children (column);
          g_autoptr (GVariant) first = g_variant_get_child_value (xyt, 0);

          if (rows > MAX_NBIS_MINUTIAE || rows != g_variant_n_children (first))
            return FALSE;
        }
    }
  return TRUE;
}

static void
libfprint_verify_async (FkFingerprint *fp, GBytes *template, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  FkFingerprintLibfprint *self = FK_FINGERPRINT_LIBFPRINT (fp);
  g_autoptr (GTask) task =
    op_new (self, OP_VERIFY, cancellable, callback, user_data, libfprint_verify_async);
  Op *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  gsize len = 0;
  const guchar *data = g_bytes_get_data (template, &len);

  if (template_is_sane (template))
    op->template = fp_print_deserialize (data, len, &error);
  if (op->template == NULL)
    {
      g_task_return_new_error (task, FK_HW_ERROR, FK_HW_ERROR_FINGERPRINT_INVALID_TEMPLATE, "%s",
                               _ ("The stored fingerprint template is damaged or is not a "
                                  "fingerprint template. Enrol the finger again."));
      return;
    }
  if (!fp_print_compatible (op->template, self->device))
    {
      g_task_return_new_error (task, FK_HW_ERROR, FK_HW_ERROR_FINGERPRINT_WRONG_READER,
                               _ ("This fingerprint was enrolled on another kind of reader "
                                  "(%s); it can only be checked on that kind. Use that reader "
                                  "or enrol again."),
                               fp_print_get_driver (op->template));
      return;
    }
  fp_device_open (self->device, cancellable, open_done, g_steal_pointer (&task));
}

static gboolean
libfprint_verify_finish (FkFingerprint *fp, GAsyncResult *result, gboolean *match, GError **error)
{
  Op *op = g_task_get_task_data (G_TASK (result));

  g_return_val_if_fail (g_task_is_valid (result, fp), FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (match != NULL)
    *match = op->match;
  return TRUE;
}

static void
libfprint_capture_async (FkFingerprint *fp, GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  FkFingerprintLibfprint *self = FK_FINGERPRINT_LIBFPRINT (fp);
  GTask *task =
    op_new (self, OP_CAPTURE, cancellable, callback, user_data, libfprint_capture_async);

  fp_device_open (self->device, cancellable, open_done, task);
}

static GBytes *
libfprint_capture_finish (FkFingerprint *fp, GAsyncResult *result, int *width, int *height,
                          GError **error)
{
  Op *op = g_task_get_task_data (G_TASK (result));

  g_return_val_if_fail (g_task_is_valid (result, fp), NULL);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  if (width != NULL)
    *width = op->width;
  if (height != NULL)
    *height = op->height;
  return g_bytes_ref (op->result);
}

static void
fk_fingerprint_libfprint_iface_init (FkFingerprintInterface *iface)
{
  iface->get_name = libfprint_get_name;
  iface->get_driver = libfprint_get_driver;
  iface->get_enroll_stages = libfprint_get_enroll_stages;
  iface->enroll_async = libfprint_enroll_async;
  iface->enroll_finish = libfprint_enroll_finish;
  iface->verify_async = libfprint_verify_async;
  iface->verify_finish = libfprint_verify_finish;
  iface->capture_async = libfprint_capture_async;
  iface->capture_finish = libfprint_capture_finish;
}

/**
 * fk_fingerprint_libfprint_list_readers:
 *
 * Returns: (transfer full) (element-type FkFingerprint): the readers
 *   libfprint finds plugged in, possibly none.
 */
GPtrArray *
fk_fingerprint_libfprint_list_readers (void)
{
  g_autoptr (GPtrArray) readers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (FpContext) context = fp_context_new ();
  GPtrArray *devices = fp_context_get_devices (context);

  for (guint i = 0; i < devices->len; i++)
    g_ptr_array_add (readers,
                     fk_fingerprint_libfprint_new (context, g_ptr_array_index (devices, i)));
  return g_steal_pointer (&readers);
}
