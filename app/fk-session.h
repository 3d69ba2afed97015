/* fk-session.h: the team's working day on this device
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fk-devices.h"
#include "fk-network-monitor.h"
#include "fk-store.h"
#include "fk-sync-pull.h"
#include "fk-sync-scheduler.h"
#include "fk-visit.h"

G_BEGIN_DECLS

#define FK_TYPE_SESSION (fk_session_get_type ())
G_DECLARE_FINAL_TYPE (FkSession, fk_session, FK, SESSION, GObject)

FkSession *fk_session_new (GSettings *settings, FkDevices *devices);

FkStore *fk_session_get_store (FkSession *self);
void fk_session_set_store (FkSession *self, FkStore *store);

void fk_session_set_practice (FkSession *self, gboolean practice);
gboolean fk_session_get_practice (FkSession *self);
void fk_session_set_practice_server (FkSession *self, const char *url, const char *problem);
const char *fk_session_get_practice_url (FkSession *self);
const char *fk_session_get_practice_problem (FkSession *self);

/* The visit */
FkVisit *fk_session_get_visit (FkSession *self);
gboolean fk_session_start_visit (FkSession *self, FkVisit *visit, GError **error);
void fk_session_restore_visit_async (FkSession *self, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
gboolean fk_session_restore_visit_finish (FkSession *self, GAsyncResult *result, GError **error);

/* The day's counters */
guint fk_session_get_counter (FkSession *self, const char *counter);
guint fk_session_get_month_counter (FkSession *self, const char *month, const char *counter);
void fk_session_count (FkSession *self, const char *counter);
guint fk_session_get_procedure_usage (FkSession *self, const char *procedure);
void fk_session_dossier_committed (FkSession *self, const char *procedure);

/* What the server sends back */
FkCatalog *fk_session_get_catalog (FkSession *self);
gint64 fk_session_get_last_pull (FkSession *self);
void fk_session_pulled (FkSession *self, const FkSyncPullSummary *summary);

/* Sending */
void fk_session_start_sync (FkSession *self);
FkSyncScheduler *fk_session_get_scheduler (FkSession *self);
FkNetworkMonitor *fk_session_get_network (FkSession *self);

/* Reading aloud */
FkSpeech *fk_session_get_speech (FkSession *self);

G_END_DECLS
