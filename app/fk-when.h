/* fk-when.h: a moment of the working day as the officer reads it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *fk_when_format (gint64 unix_time, gint64 now);

G_END_DECLS
