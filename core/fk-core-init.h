/* fk-core-init.h: one-time set-up of the domain core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void fk_core_ensure_resources (void);
const char *fk_core_localedir (void);
void fk_i18n_init (const char *language);

G_END_DECLS
