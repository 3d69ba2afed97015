/* fk-sync-scheduler.h: starts upload batches on its own
 *
 * Watches the network and power monitors (core interfaces; hw/ implements
 * them on NetworkManager and UPower) and starts a batch when connectivity
 * is full and the team's policy allows: Wi-Fi only, a daily allowance on
 * metered links, a battery floor. One batch at a time, in a worker thread;
 * after a failed batch it waits with exponential backoff and jitter. A
 * batch that sent everything (an empty one too: "send now" with nothing
 * queued) then pulls, on the same link, the results ready for handover
 * and the newest catalog version (fk_sync_pull()): signal `pull-finished`,
 * properties `last-pull` and `pull-error`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fk-network-monitor.h"
#include "fk-power-monitor.h"
#include "fk-uploader.h"

G_BEGIN_DECLS

/* The team's policy, as values: the app sets it (binding its settings to
 * the scheduler's properties of the same names, fk-settings.c); the
 * scheduler reads no settings of its own. */
typedef struct
{
  gboolean wifi_only;        /* property `wifi-only` */
  guint64 metered_cap_bytes; /* `metered-cap-bytes`: per day on a metered link; 0: never */
  guint battery_floor;       /* `battery-floor`: percent, when not on AC; 0: no floor */
} FkSyncPolicy;

typedef enum
{
  FK_SYNC_SCHEDULER_IDLE,    /* nothing to do, or waiting for a change */
  FK_SYNC_SCHEDULER_BLOCKED, /* the policy or the network forbids a batch now */
  FK_SYNC_SCHEDULER_RUNNING,
  FK_SYNC_SCHEDULER_BACKOFF, /* the last batch failed; retrying later */
  FK_SYNC_SCHEDULER_PAUSED,  /* the operator paused sending */
} FkSyncSchedulerState;

#define FK_TYPE_SYNC_SCHEDULER (fk_sync_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (FkSyncScheduler, fk_sync_scheduler, FK, SYNC_SCHEDULER, GObject)

/* @power may be NULL (counts as on AC). Nothing starts before
 * fk_sync_scheduler_start(). */
FkSyncScheduler *fk_sync_scheduler_new (const char *data_dir, const char *server_url,
                                        FkNetworkMonitor *network, FkPowerMonitor *power);
void fk_sync_scheduler_set_policy (FkSyncScheduler *self, const FkSyncPolicy *policy);
void fk_sync_scheduler_get_policy (FkSyncScheduler *self, FkSyncPolicy *policy);
void fk_sync_scheduler_set_upload_options (FkSyncScheduler *self, const FkUploadOptions *options);
/* First retry after @base_ms, doubling up to @max_ms, each times 0.5–1.5. */
void fk_sync_scheduler_set_backoff (FkSyncScheduler *self, guint base_ms, guint max_ms);
void fk_sync_scheduler_set_local (FkSyncScheduler *self, gboolean local);
void fk_sync_scheduler_start (FkSyncScheduler *self);
/* New dossiers were queued: try again if the policy allows. */
void fk_sync_scheduler_queue_changed (FkSyncScheduler *self);
/* The operator's "send now": skips the backoff, and works without
 * NetworkManager (connectivity unknown); the policy still applies. */
void fk_sync_scheduler_send_now (FkSyncScheduler *self);
/* The operator's "pause": stops the batch under way (what it sent stays on
 * the server, and the next batch resumes from there) and starts none until
 * fk_sync_scheduler_send_now(). */
void fk_sync_scheduler_pause (FkSyncScheduler *self);
void fk_sync_scheduler_stop (FkSyncScheduler *self);

FkSyncSchedulerState fk_sync_scheduler_get_state (FkSyncScheduler *self);
/* Why no batch runs now (translated), or NULL. */
const char *fk_sync_scheduler_get_blocked_reason (FkSyncScheduler *self);
guint fk_sync_scheduler_get_failures (FkSyncScheduler *self);
/* Seconds the server's clock was ahead of the tablet's, as the last batch
 * that reached the server learnt it (requests were signed with the
 * server's time); the property `clock-offset`. */
gint64 fk_sync_scheduler_get_clock_offset (FkSyncScheduler *self);
/* (nullable): what to tell the officer about that clock, translated;
 * NULL while it is within a minute. The property `clock-warning`. */
const char *fk_sync_scheduler_get_clock_warning (FkSyncScheduler *self);
/* Unix time of this scheduler's last successful pull, 0: none since it
 * started (the store keeps it across restarts: fk_sync_pull_get_last_success()). */
gint64 fk_sync_scheduler_get_last_pull (FkSyncScheduler *self);
/* (nullable): why the last pull failed, translated. */
const char *fk_sync_scheduler_get_pull_error (FkSyncScheduler *self);

G_END_DECLS
