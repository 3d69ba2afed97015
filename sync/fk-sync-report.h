/* fk-sync-report.h: what the device reports to the server besides its
 * dossiers: the results its team handed over (so that the commune's
 * office shows "handed over", when and by which device), the VNeID helps
 * it recorded (outcome and visit only, for the commune's reports), and
 * the state of its queue (the office's devices page)
 *
 * Handovers and VNeID helps happen in a hamlet without signal: each is
 * recorded on the device at once as a plain setting (a dossier's UUID and
 * a time; an outcome code, a date and a hamlet — nothing about a person)
 * and reported, signed like every request, by the next pull; it is
 * removed once the server has taken it (docs/protocol.md,
 * POST /v1/report).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-store.h"
#include "fk-sync-client.h"

G_BEGIN_DECLS

/* At most this many handovers and VNeID helps go in one report. */
#define FK_SYNC_REPORT_MAX_ITEMS 100

/* Records that @dossier's result was handed over @when (NULL: now), to be
 * reported at the next pull. Repeating it keeps the first time. */
gboolean fk_sync_record_handover (FkStore *store, const char *dossier, GDateTime *when,
                                  GError **error);
/* Records one VNeID help: @outcome ("success", "no-nfc", …), the visit's
 * @date (YYYY-MM-DD), @commune (5-digit code) and @hamlet, @when (NULL:
 * now). */
gboolean fk_sync_record_vneid (FkStore *store, const char *outcome, const char *date,
                               const char *commune, const char *hamlet, GDateTime *when,
                               GError **error);
/* Handovers and VNeID helps not reported yet. */
guint fk_sync_pending_reports (FkStore *store);
/* Reports the queue's state and what is pending with @client (blocking);
 * @n_handovers (out): how many handovers the server took. */
gboolean fk_sync_report_pending (FkStore *store, FkSyncClient *client, guint *n_handovers,
                                 GCancellable *cancellable, GError **error);

G_END_DECLS
