/* fk-devices.c: the device factory
 *
 * Invariant: this file is the only code that reads FIELDKIT_HW, the
 * `hardware` setting, FIELDKIT_SIM_CAMERA, FIELDKIT_SIM_FINGERPRINT and
 * FIELDKIT_SIM_SPEECH; the
 * backends' constructors are private to hw/ (hw/private/).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "fk-core-init.h"
#include "fk-devices.h"
#include "fk-fingerprint-libfprint.h"
#include "fk-fingerprint-sim.h"
#include "fk-gst-camera.h"
#include "fk-hw-error.h"
#include "fk-network-monitor-nm.h"
#include "fk-power-monitor-upower.h"
#include "fk-printer-private.h"
#include "fk-speech-private.h"

struct _FkDevices
{
  GObject parent_instance;

  FkHwBackend backend; /* as asked; DEFAULT is resolved at each request */
  GSettings *settings; /* the app's, when its schema is found */
  char *sim_finger;
  char *sim_camera;  /* the practice card in front of the simulated camera */
  gboolean practice; /* card, camera and fingerprint simulated whatever the choice */
};

G_DEFINE_FINAL_TYPE (FkDevices, fk_devices, G_TYPE_OBJECT)

static void
fk_devices_finalize (GObject *object)
{
  FkDevices *self = FK_DEVICES (object);

  g_clear_object (&self->settings);
  g_free (self->sim_finger);
  g_free (self->sim_camera);
  G_OBJECT_CLASS (fk_devices_parent_class)->finalize (object);
}

static void
fk_devices_class_init (FkDevicesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fk_devices_finalize;
}

static void
fk_devices_init (FkDevices *self)
{
}

/**
 * fk_devices_new:
 * @backend: %FK_HW_BACKEND_DEFAULT to follow `FIELDKIT_HW` and the
 *   `hardware` setting; %FK_HW_BACKEND_SIM or %FK_HW_BACKEND_REAL when the
 *   user asked for one on the command line (fieldkit-ctl's `--sim`)
 *
 * Returns: (transfer full): a factory; it opens nothing by itself.
 */
FkDevices *
fk_devices_new (FkHwBackend backend)
{
  FkDevices *self = g_object_new (FK_TYPE_DEVICES, NULL);

  self->backend = backend;
  if (backend == FK_HW_BACKEND_DEFAULT)
    {
      g_autoptr (GSettingsSchema) schema = fk_core_lookup_settings_schema ();

      if (schema != NULL && g_settings_schema_has_key (schema, "hardware"))
        self->settings = g_settings_new_full (schema, NULL, NULL);
    }
  return self;
}

/**
 * fk_devices_get_backend:
 *
 * Returns: %FK_HW_BACKEND_SIM or %FK_HW_BACKEND_REAL: what the next device
 *   will be.
 */
FkHwBackend
fk_devices_get_backend (FkDevices *self)
{
  const char *env = g_getenv ("FIELDKIT_HW");
  g_autofree char *setting = NULL;

  g_return_val_if_fail (FK_IS_DEVICES (self), FK_HW_BACKEND_REAL);
  if (self->backend != FK_HW_BACKEND_DEFAULT)
    return self->backend;
  if (env != NULL && *env != '\0')
    return g_str_equal (env, "sim") ? FK_HW_BACKEND_SIM : FK_HW_BACKEND_REAL;
  if (self->settings != NULL)
    setting = g_settings_get_string (self->settings, "hardware");
  return g_strcmp0 (setting, "sim") == 0 ? FK_HW_BACKEND_SIM : FK_HW_BACKEND_REAL;
}

gboolean
fk_devices_is_simulated (FkDevices *self)
{
  return fk_devices_get_backend (self) == FK_HW_BACKEND_SIM;
}

/**
 * fk_devices_set_practice:
 * @practice: whether the app is in its practice profile
 *
 * In practice the devices that capture a citizen (the camera, the
 * fingerprint reader, the chip card reader) are the simulated ones,
 * whatever `FIELDKIT_HW` and the `hardware` setting say: a volunteer
 * practises on invented citizens only. The printer, the speech and the
 * monitors stay as chosen.
 */
void
fk_devices_set_practice (FkDevices *self, gboolean practice)
{
  g_return_if_fail (FK_IS_DEVICES (self));
  self->practice = practice;
}

gboolean
fk_devices_get_practice (FkDevices *self)
{
  g_return_val_if_fail (FK_IS_DEVICES (self), FALSE);
  return self->practice;
}

/* The camera, the fingerprint and the card reader: simulated in practice. */
static gboolean
captures_simulated (FkDevices *self)
{
  return self->practice || fk_devices_is_simulated (self);
}

/**
 * fk_devices_set_sim_camera:
 * @image_path: (nullable): what the simulated camera shows (a photo of a
 *   card, a page); %NULL for `FIELDKIT_SIM_CAMERA`
 *
 * Applies to the next camera made.
 */
void
fk_devices_set_sim_camera (FkDevices *self, const char *image_path)
{
  g_return_if_fail (FK_IS_DEVICES (self));
  g_free (self->sim_camera);
  self->sim_camera = g_strdup (image_path);
}

/**
 * fk_devices_set_sim_finger:
 * @image_path: (nullable): the finger the simulated reader is pressed with
 *   (PNG or JPEG); %NULL for `FIELDKIT_SIM_FINGERPRINT`
 */
void
fk_devices_set_sim_finger (FkDevices *self, const char *image_path)
{
  g_return_if_fail (FK_IS_DEVICES (self));
  g_free (self->sim_finger);
  self->sim_finger = g_strdup (image_path);
}

/**
 * fk_devices_get_sim_finger:
 *
 * Returns: (nullable): the image the simulated reader is pressed with; with
 *   none, it waits like a reader nobody touches.
 */
const char *
fk_devices_get_sim_finger (FkDevices *self)
{
  const char *env = g_getenv ("FIELDKIT_SIM_FINGERPRINT");

  g_return_val_if_fail (FK_IS_DEVICES (self), NULL);
  if (self->sim_finger != NULL)
    return self->sim_finger;
  return env != NULL && *env != '\0' ? env : NULL;
}

/**
 * fk_devices_new_camera:
 *
 * The simulated camera shows `FIELDKIT_SIM_CAMERA` (a photo of a card or a
 * page), else a test pattern; a real one is probed when started.
 *
 * Returns: (transfer full): a stopped camera; nothing is opened until
 *   fk_camera_start().
 */
FkCamera *
fk_devices_new_camera (FkDevices *self)
{
  const char *image = g_getenv ("FIELDKIT_SIM_CAMERA");

  g_return_val_if_fail (FK_IS_DEVICES (self), NULL);
  if (!captures_simulated (self))
    return fk_gst_camera_new_real (NULL);
  if (self->sim_camera != NULL)
    image = self->sim_camera;
  return fk_gst_camera_new_sim (image != NULL && *image != '\0' ? image : NULL, -1);
}

/**
 * fk_devices_list_fingerprint_readers:
 *
 * Returns: (transfer full) (element-type FkFingerprint): the readers found,
 *   possibly none; %NULL with @error set when the simulation cannot start
 *   or its finger image cannot be read.
 */
GPtrArray *
fk_devices_list_fingerprint_readers (FkDevices *self, GError **error)
{
  g_autoptr (FkFingerprintSim) sim = NULL;
  const char *finger;
  GPtrArray *readers;

  g_return_val_if_fail (FK_IS_DEVICES (self), NULL);
  if (!captures_simulated (self))
    return fk_fingerprint_libfprint_list_readers ();
  sim = fk_fingerprint_sim_new (error);
  if (sim == NULL)
    return NULL;
  finger = fk_devices_get_sim_finger (self);
  if (finger != NULL && !fk_fingerprint_sim_set_finger_file (sim, finger, error))
    return NULL;
  readers = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (readers, g_steal_pointer (&sim));
  return readers;
}

/**
 * fk_devices_open_fingerprint:
 *
 * Returns: (transfer full): the first reader, or %NULL with
 *   %FK_HW_ERROR_FINGERPRINT_NO_READER when none is plugged in (or another
 *   error from fk_devices_list_fingerprint_readers()).
 */
FkFingerprint *
fk_devices_open_fingerprint (FkDevices *self, GError **error)
{
  g_autoptr (GPtrArray) readers = fk_devices_list_fingerprint_readers (self, error);

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

/* The monitors: one backend each, initialised (GInitable, GAsyncInitable)
 * before they are handed out. */

/**
 * fk_devices_list_card_readers:
 *
 * Returns: (transfer full): the names of the chip card readers plugged in
 *   now, possibly none; %NULL with %FK_HW_ERROR_CARD_NO_SERVICE when the
 *   smart-card service (pcscd) does not run
 */
GStrv
fk_devices_list_card_readers (FkDevices *self, GError **error)
{
  g_return_val_if_fail (FK_IS_DEVICES (self), NULL);
  return fk_card_reader_list_names (captures_simulated (self), error);
}

static void
list_card_readers_thread (GTask *task, gpointer source, gpointer task_data,
                          GCancellable *cancellable)
{
  GError *error = NULL;
  GStrv names = fk_card_reader_list_names (GPOINTER_TO_INT (task_data), &error);

  if (names == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, names, (GDestroyNotify) g_strfreev);
}

/**
 * fk_devices_list_card_readers_async:
 *
 * fk_devices_list_card_readers() in a worker thread: a screen asks
 * whether a reader is plugged in without waiting on pcscd. The backend is
 * chosen now, in the caller's thread.
 */
void
fk_devices_list_card_readers_async (FkDevices *self, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (FK_IS_DEVICES (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_devices_list_card_readers_async);
  g_task_set_task_data (task, GINT_TO_POINTER (captures_simulated (self)), NULL);
  g_task_run_in_thread (task, list_card_readers_thread);
}

/**
 * fk_devices_list_card_readers_finish:
 *
 * Returns: (transfer full): as fk_devices_list_card_readers()
 */
GStrv
fk_devices_list_card_readers_finish (FkDevices *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (
    g_task_get_source_tag (G_TASK (result)) == fk_devices_list_card_readers_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * fk_devices_open_card_reader:
 * @name: (nullable): a name from fk_devices_list_card_readers(), or %NULL
 *   for whichever reader of the backend has a card
 *
 * Talks to no reader yet: one plugged in later is found when it is used.
 *
 * Returns: (transfer full): the chip card reader
 */
FkCardReader *
fk_devices_open_card_reader (FkDevices *self, const char *name)
{
  g_return_val_if_fail (FK_IS_DEVICES (self), NULL);
  return fk_card_reader_new (captures_simulated (self), name);
}

/**
 * fk_devices_list_printers:
 *
 * Returns: (transfer full): the printers of the backend set up in the print
 *   service (CUPS), its default first; %NULL with
 *   %FK_HW_ERROR_PRINTER_NO_SERVICE when CUPS does not answer
 */
GStrv
fk_devices_list_printers (FkDevices *self, GError **error)
{
  g_return_val_if_fail (FK_IS_DEVICES (self), NULL);
  return fk_printer_list_names (fk_devices_is_simulated (self), error);
}

/**
 * fk_devices_open_printer:
 * @name: (nullable): a printer of the print service, or %NULL for the
 *   backend's (CUPS's default printer, or the first)
 *
 * Talks to no printer yet: the print service is asked when printing.
 *
 * Returns: (transfer full): the printer
 */
FkPrinter *
fk_devices_open_printer (FkDevices *self, const char *name)
{
  g_return_val_if_fail (FK_IS_DEVICES (self), NULL);
  return fk_printer_new (fk_devices_is_simulated (self), name);
}

/**
 * fk_devices_open_speech:
 *
 * Texts read aloud: on the default sound output, or, simulated, into the
 * WAV file named by `FIELDKIT_SIM_SPEECH` (else `speech.wav` in the user's
 * cache folder, `fieldkit/`), each text replacing the last.
 *
 * Returns: (transfer full): the speech device
 */
FkSpeech *
fk_devices_open_speech (FkDevices *self)
{
  const char *env = g_getenv ("FIELDKIT_SIM_SPEECH");
  g_autofree char *path = NULL;

  g_return_val_if_fail (FK_IS_DEVICES (self), NULL);
  if (!fk_devices_is_simulated (self))
    return fk_speech_new (NULL);
  if (env != NULL && *env != '\0')
    return fk_speech_new (env);
  path = g_build_filename (g_get_user_cache_dir (), "fieldkit", NULL);
  g_mkdir_with_parents (path, 0700);
  g_free (path);
  path = g_build_filename (g_get_user_cache_dir (), "fieldkit", "speech.wav", NULL);
  return fk_speech_new (path);
}

static void
monitor_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  GObject *monitor = g_async_initable_new_finish (G_ASYNC_INITABLE (source), result, &error);

  if (monitor == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, monitor, g_object_unref);
}

static void
open_monitor_async (FkDevices *self, GType type, gpointer source_tag, GCancellable *cancellable,
                    GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_async_initable_new_async (type, G_PRIORITY_DEFAULT, cancellable, monitor_ready, task, NULL);
}

static gpointer
open_monitor_finish (FkDevices *self, GAsyncResult *result, gpointer source_tag, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * fk_devices_open_network_monitor:
 *
 * Asks NetworkManager at once (blocking); without it the monitor says
 * %FK_CONNECTIVITY_UNKNOWN, which is no error, and follows it when it
 * comes.
 *
 * Returns: (transfer full): the monitor, or %NULL when @cancellable was
 *   cancelled.
 */
FkNetworkMonitor *
fk_devices_open_network_monitor (FkDevices *self, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (FK_IS_DEVICES (self), NULL);
  return g_initable_new (FK_TYPE_NETWORK_MONITOR_NM, cancellable, error, NULL);
}

/**
 * fk_devices_open_network_monitor_async:
 *
 * Like fk_devices_open_network_monitor(), without blocking: answers once
 * the first state is known.
 */
void
fk_devices_open_network_monitor_async (FkDevices *self, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (FK_IS_DEVICES (self));
  open_monitor_async (self, FK_TYPE_NETWORK_MONITOR_NM, fk_devices_open_network_monitor_async,
                      cancellable, callback, user_data);
}

/**
 * fk_devices_open_network_monitor_finish:
 *
 * Returns: (transfer full): the monitor, or %NULL when cancelled.
 */
FkNetworkMonitor *
fk_devices_open_network_monitor_finish (FkDevices *self, GAsyncResult *result, GError **error)
{
  return open_monitor_finish (self, result, fk_devices_open_network_monitor_async, error);
}

/**
 * fk_devices_open_power_monitor:
 *
 * Asks UPower at once (blocking); without it the device counts as on AC
 * with no battery level, which is no error.
 *
 * Returns: (transfer full): the monitor, or %NULL when @cancellable was
 *   cancelled.
 */
FkPowerMonitor *
fk_devices_open_power_monitor (FkDevices *self, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (FK_IS_DEVICES (self), NULL);
  return g_initable_new (FK_TYPE_POWER_MONITOR_UPOWER, cancellable, error, NULL);
}

/**
 * fk_devices_open_power_monitor_async:
 *
 * Like fk_devices_open_power_monitor(), without blocking.
 */
void
fk_devices_open_power_monitor_async (FkDevices *self, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (FK_IS_DEVICES (self));
  open_monitor_async (self, FK_TYPE_POWER_MONITOR_UPOWER, fk_devices_open_power_monitor_async,
                      cancellable, callback, user_data);
}

/**
 * fk_devices_open_power_monitor_finish:
 *
 * Returns: (transfer full): the monitor, or %NULL when cancelled.
 */
FkPowerMonitor *
fk_devices_open_power_monitor_finish (FkDevices *self, GAsyncResult *result, GError **error)
{
  return open_monitor_finish (self, result, fk_devices_open_power_monitor_async, error);
}
