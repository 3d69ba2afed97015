/* fk-power-monitor-upower.h: battery and mains as UPower sees them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fk-power-monitor.h"

G_BEGIN_DECLS

#define FK_TYPE_POWER_MONITOR_UPOWER (fk_power_monitor_upower_get_type ())
G_DECLARE_FINAL_TYPE (FkPowerMonitorUpower, fk_power_monitor_upower, FK, POWER_MONITOR_UPOWER,
                      GObject)

FkPowerMonitor *fk_power_monitor_new_default (void);
void fk_power_monitor_new_default_async (GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
FkPowerMonitor *fk_power_monitor_new_default_finish (GAsyncResult *result);

G_END_DECLS
