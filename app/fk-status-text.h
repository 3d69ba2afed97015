/* fk-status-text.h: the state of the day as the officer reads it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fk-network-monitor.h"

G_BEGIN_DECLS

char *fk_status_text_when (gint64 unix_time, gint64 now);
char *fk_status_text_network (FkNetworkMonitor *network);

G_END_DECLS
