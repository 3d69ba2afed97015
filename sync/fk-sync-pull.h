/* fk-sync-pull.h: what the server has for this device: the newest catalog
 * version and the results ready for handover in its commune
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "fk-store.h"

G_BEGIN_DECLS

typedef struct
{
  JsonNode *answer;         /* the server's answer as it came (results with notes, catalog) */
  guint results;            /* results received and kept in the store */
  char *catalog_version;    /* the version in use afterwards */
  gboolean catalog_applied; /* a newer version came and is in use now */
  GError *catalog_error;    /* a version came and was refused (FK_STORE_ERROR_UNTRUSTED,
                             * _INVALID_ARGUMENT): the device kept its catalog; NULL otherwise */
  guint handovers_reported; /* handovers reported to the server before the pull */
} FkSyncPullSummary;

void fk_sync_pull_summary_free (FkSyncPullSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkSyncPullSummary, fk_sync_pull_summary_free)

/* GET /v1/pull from the cursors the store keeps; keeps the results in the
 * store and applies a catalog version (fk_store_apply_catalog()), each
 * moving its cursor only once kept. A refused catalog version is no
 * failure of the pull: it is in the summary's catalog_error, and the
 * results are kept all the same. Records the time of the last successful
 * pull (fk_sync_pull_get_last_success()). Blocking. */
FkSyncPullSummary *fk_sync_pull (FkStore *store, const char *server_url, const char *ca_file,
                                 guint timeout_seconds, GCancellable *cancellable, GError **error);
/* The same in a worker thread, for a GUI. */
void fk_sync_pull_async (FkStore *store, const char *server_url, const char *ca_file,
                         guint timeout_seconds, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data);
FkSyncPullSummary *fk_sync_pull_finish (FkStore *store, GAsyncResult *result, GError **error);

/* Unix time of the last pull that succeeded on this store, 0: never. */
gint64 fk_sync_pull_get_last_success (FkStore *store);

G_END_DECLS
