/* fk-server.h: the intake API on libsoup 3 (see docs/protocol.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fk-server-db.h"
#include "fk-server-keys.h"

G_BEGIN_DECLS

typedef struct _FkServer FkServer;

FkServer *fk_server_new (FkServerDb *db, FkServerKeys *keys, double rate_per_second, double burst);
gboolean fk_server_listen (FkServer *self, const char *host_port, const char *tls_cert,
                           const char *tls_key, GError **error);
char *fk_server_get_uri (FkServer *self);
void fk_server_free (FkServer *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkServer, fk_server_free)

G_END_DECLS
