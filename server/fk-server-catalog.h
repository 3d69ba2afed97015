/* fk-server-catalog.h: publishing a procedure catalog version
 *
 * A version is a whole catalog in the shipped format
 * (assets/data/catalog.json) with a higher "version". The one way to
 * publish it, for `fieldkit-server catalog add` and the office alike:
 * checked with the rules the device applies (core's catalog), newer than
 * every version published before, signed with the server's receipt key,
 * stored; devices take it on their next pull.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fk-server-db.h"
#include "fk-server-keys.h"

G_BEGIN_DECLS

/* Errors: FK_SERVER_ERROR_INVALID with core's message saying what is wrong
 * where (the catalog, its size), FK_SERVER_ERROR_EXISTS when its version
 * is not newer than the newest published, _STORAGE from the database.
 * Returns: (transfer full): what was published, its body and signature. */
FkServerCatalogEntry *fk_server_catalog_publish (FkServerDb *db, const FkServerKeys *keys,
                                                 GBytes *catalog, GError **error);
/* (transfer full) (nullable): the newest published version, %NULL with no
 * error when none was published yet. */
FkServerCatalogEntry *fk_server_catalog_current (FkServerDb *db, GError **error);

G_END_DECLS
