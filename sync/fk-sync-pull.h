/* fk-sync-pull.h: what the server has for this device: catalog updates and
 * results ready for handover in its commune
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "fk-store.h"

G_BEGIN_DECLS

/* GET /v1/pull from the cursors kept in the store's settings; on success
 * moves the cursors past what was received and returns the server's JSON
 * object (catalog, results). Blocking. */
JsonNode *fk_sync_pull (FkStore *store, const char *server_url, const char *ca_file,
                        guint timeout_seconds, GCancellable *cancellable, GError **error);
/* The same in a worker thread, for a GUI. */
void fk_sync_pull_async (FkStore *store, const char *server_url, const char *ca_file,
                         guint timeout_seconds, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data);
JsonNode *fk_sync_pull_finish (FkStore *store, GAsyncResult *result, GError **error);

G_END_DECLS
