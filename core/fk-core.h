/* fk-core.h: the domain core, GLib and json-glib only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-core-error.h"
#include "fk-core-init.h"
#include "fk-network-monitor.h"
#include "fk-power-monitor.h"
