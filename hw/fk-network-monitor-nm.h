/* fk-network-monitor-nm.h: the network as NetworkManager sees it
 *
 * The device factory (fk_devices_open_network_monitor()) hands it out,
 * initialised; this header adds the one fact the core interface lacks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fk-network-monitor.h"

G_BEGIN_DECLS

#define FK_TYPE_NETWORK_MONITOR_NM (fk_network_monitor_nm_get_type ())
G_DECLARE_FINAL_TYPE (FkNetworkMonitorNm, fk_network_monitor_nm, FK, NETWORK_MONITOR_NM, GObject)

gboolean fk_network_monitor_nm_get_nm_running (FkNetworkMonitorNm *self);

G_END_DECLS
