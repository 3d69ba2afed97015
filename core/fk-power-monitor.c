/* fk-power-monitor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-power-monitor.h"

G_DEFINE_INTERFACE (FkPowerMonitor, fk_power_monitor, G_TYPE_OBJECT)

static void
fk_power_monitor_default_init (FkPowerMonitorInterface *iface)
{
  g_object_interface_install_property (
    iface, g_param_spec_int ("battery-level", NULL, NULL, -1, 100, -1,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (
    iface,
    g_param_spec_boolean ("on-ac", NULL, NULL, TRUE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

int
fk_power_monitor_get_battery_level (FkPowerMonitor *self)
{
  int value = -1;

  g_return_val_if_fail (FK_IS_POWER_MONITOR (self), value);
  g_object_get (self, "battery-level", &value, NULL);
  return value;
}

gboolean
fk_power_monitor_get_on_ac (FkPowerMonitor *self)
{
  gboolean value = TRUE;

  g_return_val_if_fail (FK_IS_POWER_MONITOR (self), value);
  g_object_get (self, "on-ac", &value, NULL);
  return value;
}
