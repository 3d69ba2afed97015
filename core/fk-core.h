/* fk-core.h: the domain core, GLib and json-glib only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-address-reform.h"
#include "fk-admin-units.h"
#include "fk-card-expiry.h"
#include "fk-catalog.h"
#include "fk-cccd.h"
#include "fk-chip-data.h"
#include "fk-citizen.h"
#include "fk-consent-text.h"
#include "fk-core-error.h"
#include "fk-core-init.h"
#include "fk-dossier.h"
#include "fk-mrz.h"
#include "fk-network-monitor.h"
#include "fk-power-monitor.h"
#include "fk-text.h"
#include "fk-tlv.h"
#include "fk-visit.h"
#include "fk-vneid.h"
#include "fk-json.h"
