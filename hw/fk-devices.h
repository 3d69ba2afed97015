/* fk-devices.h: the device factory, the one place that chooses real or
 * simulated devices
 *
 * Simulated hardware is chosen by `FIELDKIT_HW=sim` (`real` forces the real
 * devices), else by the app's `hardware` setting (read wherever its schema
 * is installed or compiled in the build tree), else real devices are used.
 * Nothing else in the tree reads either: widgets, pages and fieldkit-ctl
 * ask a #FkDevices for a device. The choice is made at each request, so a
 * changed setting takes effect on the next device opened.
 *
 * | device | real | simulated |
 * | --- | --- | --- |
 * | camera | libcamerasrc / v4l2src | `FIELDKIT_SIM_CAMERA` (an image), else a test pattern |
 * | fingerprint | the readers libfprint finds | libfprint's virtual_image reader, pressed with
 * `FIELDKIT_SIM_FINGERPRINT` (or fk_devices_set_sim_finger()) | | network | NetworkManager | the
 * same: tests mock NetworkManager on a private bus | | power | UPower | the same; without UPower,
 * on AC |
 * | chip ID card reader | pcsc-lite's readers, vsmartcard's virtual ones left out | pcsc-lite's
 * vsmartcard `vpcd` readers only (tests run the real pcscd with our card emulator behind vpcd) |
 * | printer | CUPS's default printer, or the first; cups-pdf's virtual ones left out | CUPS's
 * cups-pdf queues only (tests run a cupsd of their own) |
 * | speech | espeak-ng's Vietnamese voice on the default sound output | the same voice into the
 * WAV file `FIELDKIT_SIM_SPEECH`, paced as if heard |
 *
 * A reader or a printer asked for by name is used whatever the backend.
 * In the app's practice profile (fk_devices_set_practice()) the camera, the
 * fingerprint reader and the chip card reader are simulated whatever the
 * choice, fed with the invented citizen the volunteer presents.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fk-camera.h"
#include "fk-card-reader.h"
#include "fk-fingerprint.h"
#include "fk-network-monitor.h"
#include "fk-power-monitor.h"
#include "fk-printer.h"
#include "fk-speech.h"

G_BEGIN_DECLS

typedef enum
{
  FK_HW_BACKEND_DEFAULT, /* FIELDKIT_HW, else the `hardware` setting, else real */
  FK_HW_BACKEND_REAL,
  FK_HW_BACKEND_SIM,
} FkHwBackend;

#define FK_TYPE_DEVICES (fk_devices_get_type ())
G_DECLARE_FINAL_TYPE (FkDevices, fk_devices, FK, DEVICES, GObject)

FkDevices *fk_devices_new (FkHwBackend backend);
FkHwBackend fk_devices_get_backend (FkDevices *self);
gboolean fk_devices_is_simulated (FkDevices *self);

void fk_devices_set_practice (FkDevices *self, gboolean practice);
gboolean fk_devices_get_practice (FkDevices *self);
void fk_devices_set_sim_camera (FkDevices *self, const char *image_path);
void fk_devices_set_sim_finger (FkDevices *self, const char *image_path);
const char *fk_devices_get_sim_finger (FkDevices *self);

FkCamera *fk_devices_new_camera (FkDevices *self);

GPtrArray *fk_devices_list_fingerprint_readers (FkDevices *self, GError **error);
FkFingerprint *fk_devices_open_fingerprint (FkDevices *self, GError **error);

GStrv fk_devices_list_card_readers (FkDevices *self, GError **error);
void fk_devices_list_card_readers_async (FkDevices *self, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
GStrv fk_devices_list_card_readers_finish (FkDevices *self, GAsyncResult *result, GError **error);
FkCardReader *fk_devices_open_card_reader (FkDevices *self, const char *name);

GStrv fk_devices_list_printers (FkDevices *self, GError **error);
FkPrinter *fk_devices_open_printer (FkDevices *self, const char *name);

FkSpeech *fk_devices_open_speech (FkDevices *self);

FkNetworkMonitor *fk_devices_open_network_monitor (FkDevices *self, GCancellable *cancellable,
                                                   GError **error);
void fk_devices_open_network_monitor_async (FkDevices *self, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
FkNetworkMonitor *fk_devices_open_network_monitor_finish (FkDevices *self, GAsyncResult *result,
                                                          GError **error);

FkPowerMonitor *fk_devices_open_power_monitor (FkDevices *self, GCancellable *cancellable,
                                               GError **error);
void fk_devices_open_power_monitor_async (FkDevices *self, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
FkPowerMonitor *fk_devices_open_power_monitor_finish (FkDevices *self, GAsyncResult *result,
                                                      GError **error);

G_END_DECLS
