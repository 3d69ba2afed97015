/* fk-power-monitor.h: battery and mains, as the scheduler needs them
 *
 * hw/ implements it on UPower; without UPower the device counts as on AC.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define FK_TYPE_POWER_MONITOR (fk_power_monitor_get_type ())
G_DECLARE_INTERFACE (FkPowerMonitor, fk_power_monitor, FK, POWER_MONITOR, GObject)

/**
 * FkPowerMonitorInterface:
 *
 * Implementations override and notify:
 * - `battery-level` (gint, 0–100, -1 when there is no battery)
 * - `on-ac` (gboolean)
 */
struct _FkPowerMonitorInterface
{
  GTypeInterface g_iface;
};

int fk_power_monitor_get_battery_level (FkPowerMonitor *self);
gboolean fk_power_monitor_get_on_ac (FkPowerMonitor *self);

G_END_DECLS
