/* fk-fingerprint-sim.c: libfprint's virtual_image reader, fed by us
 *
 * The simulation is libfprint itself: its virtual_image driver listens on a
 * Unix socket (FP_VIRTUAL_IMAGE) in a private directory of ours, and each
 * time the device waits for a finger we send it the simulated finger's image
 * the way libfprint's tests/virtual-image.py does: int32 width, int32
 * height, then width × height grey bytes. Everything after that, minutiae
 * detection and NBIS (bozorth3) matching included, is the real library.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "fk-fingerprint-libfprint.h"
#include "fk-fingerprint-sim.h"
#include "fk-hw-error.h"

#define VIRTUAL_DRIVER "virtual_image"

struct _FkFingerprintSim
{
  GObject parent_instance;

  FkFingerprint *inner;
  char *dir;
  char *socket_path;

  GBytes *finger; /* header and pixels, ready to send */

  /* the running operation */
  GSocketConnection *connection;
  GCancellable *op_cancellable;
  gulong op_cancel_id;
  GCancellable *user_cancellable;
  int presses;
  int max_presses;
  gboolean gave_up;
  GError *feed_error;
};

static void fk_fingerprint_sim_iface_init (FkFingerprintInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FkFingerprintSim, fk_fingerprint_sim, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (FK_TYPE_FINGERPRINT,
                                                      fk_fingerprint_sim_iface_init))

static void
drop_connection (FkFingerprintSim *self)
{
  if (self->connection != NULL)
    g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
  g_clear_object (&self->connection);
}

static void
write_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  /* A failed write shows as a reader that waits; the operation is then
   * cancelled by the caller or ends when the device closes. */
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), res, NULL, &error))
    g_debug ("virtual_image: sending the finger failed: %s", error->message);
  g_bytes_unref (user_data); /* kept alive while being written */
}

static void
on_finger_needed (FkFingerprint *inner, FkFingerprintSim *self)
{
  g_autoptr (GError) error = NULL;
  GOutputStream *out;

  g_signal_emit_by_name (self, "finger-needed");

  if (self->finger == NULL || self->op_cancellable == NULL)
    return;

  if (self->presses >= self->max_presses)
    {
      self->gave_up = TRUE;
      g_cancellable_cancel (self->op_cancellable);
      return;
    }

  if (self->connection == NULL)
    {
      g_autoptr (GSocketClient) client = g_socket_client_new ();
      g_autoptr (GSocketAddress) address = g_unix_socket_address_new (self->socket_path);

      self->connection =
        g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
      if (self->connection == NULL)
        {
          self->feed_error = g_error_new (FK_HW_ERROR, FK_HW_ERROR_FINGERPRINT_FAILED,
                                          _ ("The simulated fingerprint reader cannot be "
                                             "reached (%s)."),
                                          error->message);
          g_cancellable_cancel (self->op_cancellable);
          return;
        }
    }

  self->presses++;
  out = g_io_stream_get_output_stream (G_IO_STREAM (self->connection));
  g_output_stream_write_all_async (out, g_bytes_get_data (self->finger, NULL),
                                   g_bytes_get_size (self->finger), G_PRIORITY_DEFAULT, NULL,
                                   write_done, g_bytes_ref (self->finger));
}

static void
on_enroll_progress (FkFingerprint *inner, int stage, int n_stages, const char *retry,
                    FkFingerprintSim *self)
{
  g_signal_emit_by_name (self, "enroll-progress", stage, n_stages, retry);
}

static void
fk_fingerprint_sim_dispose (GObject *object)
{
  FkFingerprintSim *self = FK_FINGERPRINT_SIM (object);

  drop_connection (self);
  if (self->inner != NULL)
    g_signal_handlers_disconnect_by_data (self->inner, self);
  g_clear_object (&self->inner);
  g_clear_pointer (&self->finger, g_bytes_unref);
  g_clear_error (&self->feed_error);
  G_OBJECT_CLASS (fk_fingerprint_sim_parent_class)->dispose (object);
}

static void
fk_fingerprint_sim_finalize (GObject *object)
{
  FkFingerprintSim *self = FK_FINGERPRINT_SIM (object);

  if (self->socket_path != NULL)
    g_unlink (self->socket_path);
  if (self->dir != NULL)
    g_rmdir (self->dir);
  g_free (self->socket_path);
  g_free (self->dir);
  G_OBJECT_CLASS (fk_fingerprint_sim_parent_class)->finalize (object);
}

static void
fk_fingerprint_sim_class_init (FkFingerprintSimClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fk_fingerprint_sim_dispose;
  object_class->finalize = fk_fingerprint_sim_finalize;
}

static void
fk_fingerprint_sim_init (FkFingerprintSim *self)
{
}

/* libfprint reads its environment when a context enumerates devices; we set
 * it only around that, so a real context made later is not restricted. */
static FpContext *
new_virtual_context (const char *socket_path)
{
  g_autofree char *old_image = g_strdup (g_getenv ("FP_VIRTUAL_IMAGE"));
  g_autofree char *old_list = g_strdup (g_getenv ("FP_DRIVERS_WHITELIST"));
  FpContext *context;

  g_setenv ("FP_VIRTUAL_IMAGE", socket_path, TRUE);
  g_setenv ("FP_DRIVERS_WHITELIST", VIRTUAL_DRIVER, TRUE);
  context = fp_context_new ();
  fp_context_enumerate (context);

  if (old_image != NULL)
    g_setenv ("FP_VIRTUAL_IMAGE", old_image, TRUE);
  else
    g_unsetenv ("FP_VIRTUAL_IMAGE");
  if (old_list != NULL)
    g_setenv ("FP_DRIVERS_WHITELIST", old_list, TRUE);
  else
    g_unsetenv ("FP_DRIVERS_WHITELIST");
  return context;
}

/**
 * fk_fingerprint_sim_new:
 *
 * Starts libfprint's virtual_image reader on a socket in a private
 * temporary directory. Give it a finger with fk_fingerprint_sim_set_finger()
 * before an operation; without one, operations wait until cancelled, like a
 * reader nobody touches.
 *
 * Returns: (transfer full): the simulated reader, or %NULL with @error set.
 */
FkFingerprintSim *
fk_fingerprint_sim_new (GError **error)
{
  g_autoptr (FkFingerprintSim) self = g_object_new (FK_TYPE_FINGERPRINT_SIM, NULL);
  g_autoptr (FpContext) context = NULL;
  GPtrArray *devices;

  self->dir = g_dir_make_tmp ("fieldkit-fp-XXXXXX", error);
  if (self->dir == NULL)
    return NULL;
  self->socket_path = g_build_filename (self->dir, "virtual-image.socket", NULL);

  context = new_virtual_context (self->socket_path);
  devices = fp_context_get_devices (context);
  for (guint i = 0; i < devices->len && self->inner == NULL; i++)
    {
      FpDevice *device = g_ptr_array_index (devices, i);

      if (g_str_equal (fp_device_get_driver (device), VIRTUAL_DRIVER))
        self->inner = fk_fingerprint_libfprint_new (context, device);
    }
  if (self->inner == NULL)
    {
      g_set_error_literal (error, FK_HW_ERROR, FK_HW_ERROR_FINGERPRINT_NO_READER,
                           _ ("The simulated fingerprint reader is not available: this "
                              "libfprint has no virtual_image driver."));
      return NULL;
    }
  g_signal_connect (self->inner, "finger-needed", G_CALLBACK (on_finger_needed), self);
  g_signal_connect (self->inner, "enroll-progress", G_CALLBACK (on_enroll_progress), self);
  return g_steal_pointer (&self);
}

/**
 * fk_fingerprint_sim_set_finger:
 * @grey: (transfer none): @width × @height grey bytes, ridges bright as in
 *   libfprint's example prints; width and height multiples of 4
 *
 * Sets the image the simulated finger presses on the reader from the next
 * press on.
 */
void
fk_fingerprint_sim_set_finger (FkFingerprintSim *self, GBytes *grey, int width, int height)
{
  g_autoptr (GByteArray) msg = g_byte_array_new ();
  gint32 header[2] = { width, height };

  g_return_if_fail (FK_IS_FINGERPRINT_SIM (self));
  g_return_if_fail (grey != NULL);
  g_return_if_fail (width > 0 && height > 0 && width % 4 == 0 && height % 4 == 0);
  g_return_if_fail (g_bytes_get_size (grey) == (gsize) width * (gsize) height);

  g_byte_array_append (msg, (const guint8 *) header, sizeof header);
  g_byte_array_append (msg, g_bytes_get_data (grey, NULL), g_bytes_get_size (grey));
  g_clear_pointer (&self->finger, g_bytes_unref);
  self->finger = g_byte_array_free_to_bytes (g_steal_pointer (&msg));
}

/**
 * fk_fingerprint_sim_set_finger_file:
 *
 * Loads the simulated finger from an image file (see
 * fk_fingerprint_image_load()).
 */
gboolean
fk_fingerprint_sim_set_finger_file (FkFingerprintSim *self, const char *path, GError **error)
{
  int width = 0;
  int height = 0;
  g_autoptr (GBytes) grey = fk_fingerprint_image_load (path, &width, &height, error);

  g_return_val_if_fail (FK_IS_FINGERPRINT_SIM (self), FALSE);
  if (grey == NULL)
    return FALSE;
  fk_fingerprint_sim_set_finger (self, grey, width, height);
  return TRUE;
}

static const char *
sim_get_name (FkFingerprint *fp)
{
  return fk_fingerprint_get_name (FK_FINGERPRINT_SIM (fp)->inner);
}

static const char *
sim_get_driver (FkFingerprint *fp)
{
  return fk_fingerprint_get_driver (FK_FINGERPRINT_SIM (fp)->inner);
}

static int
sim_get_enroll_stages (FkFingerprint *fp)
{
  return fk_fingerprint_get_enroll_stages (FK_FINGERPRINT_SIM (fp)->inner);
}

/* Operations: the inner reader runs on a cancellable of ours, chained to
 * the caller's, so the simulated finger can give up like a person would.
 * sim_op_begin() returns %NULL, having answered the caller, while another
 * operation runs. */

static void
forward_cancel (GCancellable *user, GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static GTask *
sim_op_begin (FkFingerprintSim *self, GCancellable *cancellable, GAsyncReadyCallback callback,
              gpointer user_data, gpointer source_tag, int max_presses)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (self->op_cancellable != NULL)
    {
      g_task_return_new_error (task, FK_HW_ERROR, FK_HW_ERROR_FINGERPRINT_BUSY,
                               _ ("The fingerprint reader is busy with another task. Wait for "
                                  "it to finish, or cancel it, and try again."));
      g_object_unref (task);
      return NULL;
    }
  drop_connection (self);
  self->presses = 0;
  self->max_presses = max_presses;
  self->gave_up = FALSE;
  g_clear_error (&self->feed_error);
  self->op_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      self->user_cancellable = g_object_ref (cancellable);
      self->op_cancel_id =
        g_cancellable_connect (cancellable, G_CALLBACK (forward_cancel),
                               g_object_ref (self->op_cancellable), g_object_unref);
    }
  return task;
}

/* Ends the operation; returns the error to report, if any. */
static GError *
sim_op_end (FkFingerprintSim *self, GError *error)
{
  if (self->user_cancellable != NULL)
    g_cancellable_disconnect (self->user_cancellable, self->op_cancel_id);
  self->op_cancel_id = 0;
  g_clear_object (&self->user_cancellable);
  g_clear_object (&self->op_cancellable);
  drop_connection (self);

  if (self->feed_error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      return g_steal_pointer (&self->feed_error);
    }
  if (error != NULL && self->gave_up && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      return g_error_new (FK_HW_ERROR, FK_HW_ERROR_FINGERPRINT_RETRY,
                          _ ("The fingerprint could not be read after %d presses. Check the "
                             "finger image and try again."),
                          self->presses);
    }
  return error;
}

static void
sim_enroll_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  FkFingerprintSim *self = g_task_get_source_object (task);
  GError *error = NULL;
  GBytes *template = fk_fingerprint_enroll_finish (FK_FINGERPRINT (source), res, &error);

  error = sim_op_end (self, error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, template, (GDestroyNotify) g_bytes_unref);
}

static void
sim_enroll_async (FkFingerprint *fp, GCancellable *cancellable, GAsyncReadyCallback callback,
                  gpointer user_data)
{
  FkFingerprintSim *self = FK_FINGERPRINT_SIM (fp);
  int stages = fk_fingerprint_get_enroll_stages (self->inner);
  GTask *task = sim_op_begin (self, cancellable, callback, user_data, sim_enroll_async, 2 * stages);

  if (task == NULL)
    return;
  fk_fingerprint_enroll_async (self->inner, self->op_cancellable, sim_enroll_done, task);
}

static GBytes *
sim_enroll_finish (FkFingerprint *fp, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, fp), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
sim_verify_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  FkFingerprintSim *self = g_task_get_source_object (task);
  GError *error = NULL;
  gboolean match = FALSE;

  fk_fingerprint_verify_finish (FK_FINGERPRINT (source), res, &match, &error);
  error = sim_op_end (self, error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, match);
}

static void
sim_verify_async (FkFingerprint *fp, GBytes *template, GCancellable *cancellable,
                  GAsyncReadyCallback callback, gpointer user_data)
{
  FkFingerprintSim *self = FK_FINGERPRINT_SIM (fp);
  GTask *task = sim_op_begin (self, cancellable, callback, user_data, sim_verify_async, 3);

  if (task == NULL)
    return;
  fk_fingerprint_verify_async (self->inner, template, self->op_cancellable, sim_verify_done, task);
}

static gboolean
sim_verify_finish (FkFingerprint *fp, GAsyncResult *result, gboolean *match, GError **error)
{
  g_autoptr (GError) local = NULL;
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, fp), FALSE);
  value = g_task_propagate_int (G_TASK (result), &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (match != NULL)
    *match = value != 0;
  return TRUE;
}

typedef struct
{
  GBytes *grey;
  int width;
  int height;
} Capture;

static void
capture_free (Capture *capture)
{
  g_bytes_unref (capture->grey);
  g_free (capture);
}

static void
sim_capture_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  FkFingerprintSim *self = g_task_get_source_object (task);
  GError *error = NULL;
  Capture capture = { 0 };

  capture.grey = fk_fingerprint_capture_finish (FK_FINGERPRINT (source), res, &capture.width,
                                                &capture.height, &error);
  error = sim_op_end (self, error);
  if (error != NULL)
    {
      g_clear_pointer (&capture.grey, g_bytes_unref);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, g_memdup2 (&capture, sizeof capture),
                           (GDestroyNotify) capture_free);
}

static void
sim_capture_async (FkFingerprint *fp, GCancellable *cancellable, GAsyncReadyCallback callback,
                   gpointer user_data)
{
  FkFingerprintSim *self = FK_FINGERPRINT_SIM (fp);
  GTask *task = sim_op_begin (self, cancellable, callback, user_data, sim_capture_async, 3);

  if (task == NULL)
    return;
  fk_fingerprint_capture_async (self->inner, self->op_cancellable, sim_capture_done, task);
}

static GBytes *
sim_capture_finish (FkFingerprint *fp, GAsyncResult *result, int *width, int *height,
                    GError **error)
{
  Capture *capture;
  GBytes *grey;

  g_return_val_if_fail (g_task_is_valid (result, fp), NULL);
  capture = g_task_propagate_pointer (G_TASK (result), error);
  if (capture == NULL)
    return NULL;
  if (width != NULL)
    *width = capture->width;
  if (height != NULL)
    *height = capture->height;
  grey = g_steal_pointer (&capture->grey);
  g_free (capture);
  return grey;
}

static void
fk_fingerprint_sim_iface_init (FkFingerprintInterface *iface)
{
  iface->get_name = sim_get_name;
  iface->get_driver = sim_get_driver;
  iface->get_enroll_stages = sim_get_enroll_stages;
  iface->enroll_async = sim_enroll_async;
  iface->enroll_finish = sim_enroll_finish;
  iface->verify_async = sim_verify_async;
  iface->verify_finish = sim_verify_finish;
  iface->capture_async = sim_capture_async;
  iface->capture_finish = sim_capture_finish;
}
