/* fk-server.h: the intake API over libmicrohttpd (see docs/protocol.md and
 * docs/server.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fk-server-config.h"
#include "fk-server-db.h"
#include "fk-server-keys.h"

G_BEGIN_DECLS

typedef struct _FkServer FkServer;

/* @db and @keys are borrowed and must outlive the server; @config is
 * copied where needed and may be freed after fk_server_start(). */
FkServer *fk_server_new (FkServerDb *db, FkServerKeys *keys, FkServerConfig *config);
/* Binds every listen address and starts serving. */
gboolean fk_server_start (FkServer *self, GError **error);
/* The addresses it listens on, as URIs (with the port picked for :0). */
const char *const *fk_server_get_uris (FkServer *self);
/* SIGTERM: no new connections or requests; those in flight go on. */
void fk_server_begin_shutdown (FkServer *self);
guint fk_server_in_flight (FkServer *self);
void fk_server_free (FkServer *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkServer, fk_server_free)

G_END_DECLS
