/* fk-network-monitor.h: what the rest of FieldKit knows of the network
 *
 * hw/ implements it on NetworkManager (libnm); sync/'s scheduler consumes it,
 * so sync never depends on hw.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  FK_CONNECTIVITY_UNKNOWN, /* no NetworkManager to ask */
  FK_CONNECTIVITY_NONE,
  FK_CONNECTIVITY_PORTAL,
  FK_CONNECTIVITY_LIMITED,
  FK_CONNECTIVITY_FULL,
} FkConnectivity;

typedef enum
{
  FK_LINK_NONE,
  FK_LINK_WIFI,
  FK_LINK_MODEM,
  FK_LINK_ETHERNET,
  FK_LINK_OTHER,
} FkLinkType;

#define FK_TYPE_CONNECTIVITY (fk_connectivity_get_type ())
#define FK_TYPE_LINK_TYPE    (fk_link_type_get_type ())
GType fk_connectivity_get_type (void);
GType fk_link_type_get_type (void);

#define FK_TYPE_NETWORK_MONITOR (fk_network_monitor_get_type ())
G_DECLARE_INTERFACE (FkNetworkMonitor, fk_network_monitor, FK, NETWORK_MONITOR, GObject)

/**
 * FkNetworkMonitorInterface:
 *
 * Implementations install the properties below (g_object_class_override_property)
 * and notify each one when it changes:
 * - `connectivity` (#FkConnectivity)
 * - `link-type` (#FkLinkType) of the primary connection
 * - `metered` (gboolean): the primary connection is metered (guessed or set)
 * - `signal-quality` (gint, 0–100, -1 unknown): modem or Wi-Fi signal
 */
struct _FkNetworkMonitorInterface
{
  GTypeInterface g_iface;
};

FkConnectivity fk_network_monitor_get_connectivity (FkNetworkMonitor *self);
FkLinkType fk_network_monitor_get_link_type (FkNetworkMonitor *self);
gboolean fk_network_monitor_get_metered (FkNetworkMonitor *self);
int fk_network_monitor_get_signal_quality (FkNetworkMonitor *self);

const char *fk_connectivity_to_string (FkConnectivity connectivity);
const char *fk_link_type_to_string (FkLinkType link_type);

G_END_DECLS
