/* fk-power-monitor-upower.h: battery and mains as UPower sees them
 *
 * Private to hw/: the device factory hands it out as an FkPowerMonitor.
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

G_END_DECLS
