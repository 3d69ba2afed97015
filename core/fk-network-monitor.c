/* fk-network-monitor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-network-monitor.h"

G_DEFINE_ENUM_TYPE (FkConnectivity, fk_connectivity,
                    G_DEFINE_ENUM_VALUE (FK_CONNECTIVITY_UNKNOWN, "unknown"),
                    G_DEFINE_ENUM_VALUE (FK_CONNECTIVITY_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (FK_CONNECTIVITY_PORTAL, "portal"),
                    G_DEFINE_ENUM_VALUE (FK_CONNECTIVITY_LIMITED, "limited"),
                    G_DEFINE_ENUM_VALUE (FK_CONNECTIVITY_FULL, "full"))

G_DEFINE_ENUM_TYPE (FkLinkType, fk_link_type, G_DEFINE_ENUM_VALUE (FK_LINK_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (FK_LINK_WIFI, "wifi"),
                    G_DEFINE_ENUM_VALUE (FK_LINK_MODEM, "modem"),
                    G_DEFINE_ENUM_VALUE (FK_LINK_ETHERNET, "ethernet"),
                    G_DEFINE_ENUM_VALUE (FK_LINK_OTHER, "other"))

G_DEFINE_INTERFACE (FkNetworkMonitor, fk_network_monitor, G_TYPE_OBJECT)

static void
fk_network_monitor_default_init (FkNetworkMonitorInterface *iface)
{
  g_object_interface_install_property (
    iface, g_param_spec_enum ("connectivity", NULL, NULL, FK_TYPE_CONNECTIVITY,
                              FK_CONNECTIVITY_UNKNOWN, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (
    iface, g_param_spec_enum ("link-type", NULL, NULL, FK_TYPE_LINK_TYPE, FK_LINK_NONE,
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (
    iface,
    g_param_spec_boolean ("metered", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (
    iface, g_param_spec_int ("signal-quality", NULL, NULL, -1, 100, -1,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

FkConnectivity
fk_network_monitor_get_connectivity (FkNetworkMonitor *self)
{
  FkConnectivity value = FK_CONNECTIVITY_UNKNOWN;

  g_return_val_if_fail (FK_IS_NETWORK_MONITOR (self), value);
  g_object_get (self, "connectivity", &value, NULL);
  return value;
}

FkLinkType
fk_network_monitor_get_link_type (FkNetworkMonitor *self)
{
  FkLinkType value = FK_LINK_NONE;

  g_return_val_if_fail (FK_IS_NETWORK_MONITOR (self), value);
  g_object_get (self, "link-type", &value, NULL);
  return value;
}

gboolean
fk_network_monitor_get_metered (FkNetworkMonitor *self)
{
  gboolean value = FALSE;

  g_return_val_if_fail (FK_IS_NETWORK_MONITOR (self), value);
  g_object_get (self, "metered", &value, NULL);
  return value;
}

int
fk_network_monitor_get_signal_quality (FkNetworkMonitor *self)
{
  int value = -1;

  g_return_val_if_fail (FK_IS_NETWORK_MONITOR (self), value);
  g_object_get (self, "signal-quality", &value, NULL);
  return value;
}

static const char *
enum_nick (GType type, int value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);
  const char *nick = v != NULL ? v->value_nick : "unknown";

  g_type_class_unref (klass);
  return nick;
}

const char *
fk_connectivity_to_string (FkConnectivity connectivity)
{
  return enum_nick (FK_TYPE_CONNECTIVITY, connectivity);
}

const char *
fk_link_type_to_string (FkLinkType link_type)
{
  return enum_nick (FK_TYPE_LINK_TYPE, link_type);
}
