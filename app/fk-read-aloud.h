/* fk-read-aloud.h: texts read aloud to the citizen, at the speed of the
 * settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fk-devices.h"

G_BEGIN_DECLS

/* The GSettings key of the speed: "slow", "normal" or "fast". */
#define FK_READ_ALOUD_SPEED_KEY "speech-speed"

guint fk_read_aloud_rate_for_speed (const char *speed);
FkSpeech *fk_read_aloud_open (FkDevices *devices, GSettings *settings);
char *fk_read_aloud_explain (const GError *error);

G_END_DECLS
