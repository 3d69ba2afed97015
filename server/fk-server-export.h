/* fk-server-export.h: decrypt delivered dossiers for the commune
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fk-server-db.h"
#include "fk-server-keys.h"

G_BEGIN_DECLS

gboolean fk_server_export (FkServerDb *db, const FkServerKeys *keys, const char *out_dir,
                           guint *n_exported, GError **error);

G_END_DECLS
