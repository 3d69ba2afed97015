/* fk-json.h: JSON helpers shared beyond the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean fk_json_nesting_within (const char *data, gsize length, guint max);

G_END_DECLS
