/* fk-sync-scheduler.c: starts upload batches on its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-sync-scheduler.h"

#include <glib/gi18n.h>

#include "fk-store.h"
#include "fk-sync-client.h"
#include "fk-sync-error.h"
#include "fk-sync-pull.h"

#define METERED_DAY_KEY   "sync.metered_day"
#define METERED_BYTES_KEY "sync.metered_bytes"

/* The settings' defaults, for a scheduler nobody gave a policy. */
#define DEFAULT_METERED_CAP   (G_GUINT64_CONSTANT (200) * 1000 * 1000)
#define DEFAULT_BATTERY_FLOOR 15

struct _FkSyncScheduler
{
  GObject parent_instance;

  char *data_dir;
  char *server_url;
  FkNetworkMonitor *network;
  FkPowerMonitor *power;
  FkSyncPolicy policy;
  FkUploadOptions options;
  char *ca_file; /* options.ca_file points here */
  guint backoff_base_ms;
  guint backoff_max_ms;

  gboolean started;
  gboolean running;
  gboolean dirty; /* something changed since the last batch began */
  gboolean manual;
  gboolean paused;
  gboolean local; /* the server is on this device: the network does not matter */
  guint failures;
  guint backoff_id;
  FkSyncSchedulerState state;
  char *blocked_reason;
  gint64 clock_offset; /* of the last batch the server answered */
  char *clock_warning;
  gint64 last_pull; /* Unix time of this scheduler's last successful pull */
  char *pull_error; /* why the last pull failed, NULL when it did not */
  GCancellable *cancellable;
  GMainContext *context;
};

G_DEFINE_FINAL_TYPE (FkSyncScheduler, fk_sync_scheduler, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  PROP_BLOCKED_REASON,
  PROP_WIFI_ONLY,
  PROP_METERED_CAP_BYTES,
  PROP_BATTERY_FLOOR,
  PROP_CLOCK_OFFSET,
  PROP_CLOCK_WARNING,
  PROP_LAST_PULL,
  PROP_PULL_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_BATCH_STARTED,
  SIGNAL_BATCH_FINISHED,
  SIGNAL_PROGRESS,
  SIGNAL_PULL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_state (FkSyncScheduler *self, FkSyncSchedulerState state, const char *reason)
{
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (g_strcmp0 (self->blocked_reason, reason) != 0)
    {
      g_free (self->blocked_reason);
      self->blocked_reason = g_strdup (reason);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLOCKED_REASON]);
    }
}

/* What the server's answers said of the tablet's clock. */
static void
set_clock (FkSyncScheduler *self, gint64 offset)
{
  if (offset == self->clock_offset)
    return;
  self->clock_offset = offset;
  g_free (self->clock_warning);
  self->clock_warning = fk_sync_clock_warning (offset);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK_OFFSET]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK_WARNING]);
}

static gboolean
link_is_metered (FkSyncScheduler *self)
{
  return !self->local && (fk_network_monitor_get_metered (self->network) ||
                          fk_network_monitor_get_link_type (self->network) == FK_LINK_MODEM);
}

/* NULL when a batch may start now, else the reason it may not. */
static const char *
blocked_reason (FkSyncScheduler *self)
{
  FkConnectivity connectivity = fk_network_monitor_get_connectivity (self->network);
  FkLinkType link = fk_network_monitor_get_link_type (self->network);

  if (self->local)
    {
      /* Loopback: as good as a cable. */
      connectivity = FK_CONNECTIVITY_FULL;
      link = FK_LINK_ETHERNET;
    }
  if (connectivity != FK_CONNECTIVITY_FULL &&
      !(self->manual && connectivity == FK_CONNECTIVITY_UNKNOWN))
    return _ ("No internet connection");
  if (self->policy.wifi_only && link != FK_LINK_WIFI && link != FK_LINK_ETHERNET &&
      !(self->manual && connectivity == FK_CONNECTIVITY_UNKNOWN))
    return _ ("Waiting for Wi-Fi (the policy allows no other connection)");
  if (link_is_metered (self) && self->policy.metered_cap_bytes == 0)
    return _ ("Waiting for an unmetered connection");
  if (self->power != NULL && !fk_power_monitor_get_on_ac (self->power) &&
      fk_power_monitor_get_battery_level (self->power) >= 0 &&
      (guint) fk_power_monitor_get_battery_level (self->power) < self->policy.battery_floor)
    return _ ("The battery is too low to upload; connect the charger");
  return NULL;
}

typedef struct
{
  char *data_dir;
  char *server_url;
  char *ca_file;
  FkUploadOptions options;
  gboolean metered;
  guint64 metered_cap;
  FkUploadSummary summary;
  FkSyncPullSummary *pull; /* what the pull after the upload brought */
  GError *pull_error;      /* or why it failed */
  GMainContext *context;
  FkSyncScheduler *self; /* only touched on the main context */
} Batch;

static void
batch_free (Batch *batch)
{
  g_free (batch->data_dir);
  g_free (batch->server_url);
  g_free (batch->ca_file);
  fk_sync_pull_summary_free (batch->pull);
  g_clear_error (&batch->pull_error);
  g_main_context_unref (batch->context);
  g_object_unref (batch->self);
  g_free (batch);
}

typedef struct
{
  FkSyncScheduler *self;
  guint64 done, total;
  guint dossiers_done, dossiers_total;
} Progress;

static gboolean
emit_progress (gpointer data)
{
  Progress *p = data;

  g_signal_emit (p->self, signals[SIGNAL_PROGRESS], 0, p->done, p->total, p->dossiers_done,
                 p->dossiers_total);
  return G_SOURCE_REMOVE;
}

static void
progress_free (gpointer data)
{
  Progress *p = data;

  g_object_unref (p->self);
  g_free (p);
}

static void
on_progress (guint64 done, guint64 total, guint dossiers_done, guint dossiers_total,
             gpointer user_data)
{
  Batch *batch = user_data;
  Progress *p = g_new0 (Progress, 1);

  p->self = g_object_ref (batch->self);
  p->done = done;
  p->total = total;
  p->dossiers_done = dossiers_done;
  p->dossiers_total = dossiers_total;
  g_main_context_invoke_full (batch->context, G_PRIORITY_DEFAULT, emit_progress, p, progress_free);
}

static char *
today (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

static guint64
metered_used_today (FkStore *store)
{
  g_autofree char *day = fk_store_get_setting (store, METERED_DAY_KEY);
  g_autofree char *bytes = fk_store_get_setting (store, METERED_BYTES_KEY);
  g_autofree char *now = today ();

  if (g_strcmp0 (day, now) != 0 || bytes == NULL)
    return 0;
  return g_ascii_strtoull (bytes, NULL, 10);
}

static void
run_batch (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Batch *batch = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = fk_store_open (batch->data_dir, FK_STORE_OPEN_SHARED, &error);
  guint64 used = 0;
  gboolean ok;

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (batch->metered)
    {
      used = metered_used_today (store);
      if (used >= batch->metered_cap)
        {
          g_task_return_new_error (task, FK_SYNC_ERROR, FK_SYNC_ERROR_TRANSIENT,
                                   _ ("Today's data allowance for metered connections is used "
                                      "up"));
          return;
        }
      batch->options.max_bytes = batch->metered_cap - used;
    }
  batch->options.progress = on_progress;
  batch->options.progress_data = batch;
  ok = fk_uploader_run (store, batch->server_url, &batch->options, &batch->summary, cancellable,
                        &error);
  if (batch->metered)
    {
      g_autofree char *day = today ();
      g_autofree char *bytes =
        g_strdup_printf ("%" G_GUINT64_FORMAT, used + batch->summary.bytes_sent);

      fk_store_set_setting (store, METERED_DAY_KEY, day, NULL);
      fk_store_set_setting (store, METERED_BYTES_KEY, bytes, NULL);
    }
  /* Everything sent: results and the catalog come back on the same link,
   * so the device that leaves for the hamlet carries the latest of both. */
  if (ok)
    batch->pull = fk_sync_pull (store, batch->server_url, batch->ca_file,
                                batch->options.timeout_seconds, cancellable, &batch->pull_error);
  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void maybe_start (FkSyncScheduler *self);

/* The pull after a batch: its word, and the signal the app refreshes on. */
static void
pull_finished (FkSyncScheduler *self, Batch *batch)
{
  const char *catalog_error = batch->pull != NULL && batch->pull->catalog_error != NULL
                                ? batch->pull->catalog_error->message
                                : NULL;

  if (batch->pull != NULL)
    {
      self->last_pull = g_get_real_time () / G_USEC_PER_SEC;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_PULL]);
    }
  if (g_strcmp0 (self->pull_error, batch->pull_error != NULL ? batch->pull_error->message : NULL))
    {
      g_free (self->pull_error);
      self->pull_error = g_strdup (batch->pull_error != NULL ? batch->pull_error->message : NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PULL_ERROR]);
    }
  g_signal_emit (
    self, signals[SIGNAL_PULL_FINISHED], 0, batch->pull != NULL ? batch->pull->results : 0,
    batch->pull != NULL && batch->pull->catalog_applied, catalog_error, self->pull_error);
}

static gboolean
backoff_done (gpointer user_data)
{
  FkSyncScheduler *self = user_data;

  self->backoff_id = 0;
  self->dirty = TRUE;
  maybe_start (self);
  return G_SOURCE_REMOVE;
}

static guint
backoff_delay_ms (FkSyncScheduler *self)
{
  guint64 delay = self->backoff_base_ms;

  for (guint i = 1; i < self->failures && delay < self->backoff_max_ms; i++)
    delay *= 2;
  delay = MIN (delay, self->backoff_max_ms);
  /* Jitter: devices that lost the same link do not come back in step. */
  return (guint) (delay * g_random_double_range (0.5, 1.5));
}

static void
batch_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  FkSyncScheduler *self = FK_SYNC_SCHEDULER (source);
  Batch *batch = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  self->running = FALSE;
  g_clear_object (&self->cancellable);
  /* A batch that never heard the server leaves the last word standing. */
  if (batch->summary.clock_known)
    set_clock (self, batch->summary.clock_offset);
  g_signal_emit (self, signals[SIGNAL_BATCH_FINISHED], 0, batch->summary.delivered,
                 batch->summary.quarantined, batch->summary.remaining,
                 error != NULL ? error->message : NULL);
  if (batch->pull != NULL || batch->pull_error != NULL)
    pull_finished (self, batch);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->started)
    {
      if (self->paused && self->started)
        set_state (self, FK_SYNC_SCHEDULER_PAUSED, NULL);
      else
        set_state (self, FK_SYNC_SCHEDULER_IDLE, NULL);
      return;
    }
  if (ok && batch->summary.remaining == 0)
    {
      self->failures = 0;
      set_state (self, FK_SYNC_SCHEDULER_IDLE, NULL);
      if (self->dirty)
        maybe_start (self);
      return;
    }
  self->failures++;
  set_state (self, FK_SYNC_SCHEDULER_BACKOFF, error != NULL ? error->message : NULL);
  self->backoff_id = g_timeout_add (backoff_delay_ms (self), backoff_done, self);
}

static void
maybe_start (FkSyncScheduler *self)
{
  g_autoptr (GTask) task = NULL;
  Batch *batch;
  const char *reason;

  if (!self->started || self->running)
    return;
  if (self->paused)
    {
      set_state (self, FK_SYNC_SCHEDULER_PAUSED, NULL);
      return;
    }
  if (self->backoff_id != 0 && !self->manual)
    return;
  g_clear_handle_id (&self->backoff_id, g_source_remove);
  reason = blocked_reason (self);
  if (reason != NULL)
    {
      self->manual = FALSE;
      set_state (self, FK_SYNC_SCHEDULER_BLOCKED, reason);
      return;
    }
  if (!self->dirty && !self->manual)
    {
      set_state (self, FK_SYNC_SCHEDULER_IDLE, NULL);
      return;
    }
  self->dirty = FALSE;
  self->manual = FALSE;
  self->running = TRUE;
  self->cancellable = g_cancellable_new ();

  batch = g_new0 (Batch, 1);
  batch->data_dir = g_strdup (self->data_dir);
  batch->server_url = g_strdup (self->server_url);
  batch->options = self->options;
  batch->ca_file = g_strdup (self->ca_file);
  batch->options.ca_file = batch->ca_file;
  batch->metered = link_is_metered (self);
  batch->metered_cap = self->policy.metered_cap_bytes;
  batch->context = g_main_context_ref_thread_default ();
  batch->self = g_object_ref (self);

  set_state (self, FK_SYNC_SCHEDULER_RUNNING, NULL);
  g_signal_emit (self, signals[SIGNAL_BATCH_STARTED], 0);
  task = g_task_new (self, self->cancellable, batch_done, NULL);
  g_task_set_source_tag (task, maybe_start);
  g_task_set_task_data (task, batch, (GDestroyNotify) batch_free);
  g_task_run_in_thread (task, run_batch);
}

static void
on_conditions_changed (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  FkSyncScheduler *self = user_data;

  /* A link that comes back is worth a try at once, backoff or not. */
  if (object == G_OBJECT (self->network) && g_strcmp0 (pspec->name, "connectivity") == 0 &&
      fk_network_monitor_get_connectivity (self->network) == FK_CONNECTIVITY_FULL)
    {
      g_clear_handle_id (&self->backoff_id, g_source_remove);
      self->dirty = TRUE;
    }
  if (self->state == FK_SYNC_SCHEDULER_BLOCKED)
    self->dirty = TRUE;
  maybe_start (self);
}

FkSyncScheduler *
fk_sync_scheduler_new (const char *data_dir, const char *server_url, FkNetworkMonitor *network,
                       FkPowerMonitor *power)
{
  FkSyncScheduler *self = g_object_new (FK_TYPE_SYNC_SCHEDULER, NULL);

  self->data_dir = g_strdup (data_dir);
  self->server_url = g_strdup (server_url);
  self->network = g_object_ref (network);
  self->power = power != NULL ? g_object_ref (power) : NULL;
  g_signal_connect_object (network, "notify", G_CALLBACK (on_conditions_changed), self, 0);
  if (power != NULL)
    g_signal_connect_object (power, "notify", G_CALLBACK (on_conditions_changed), self, 0);
  return self;
}

static void
policy_changed (FkSyncScheduler *self)
{
  if (self->state == FK_SYNC_SCHEDULER_BLOCKED)
    self->dirty = TRUE;
  maybe_start (self);
}

/* Stores one value of the policy; TRUE when it changed (and was notified). */
static gboolean
set_policy_value (FkSyncScheduler *self, guint prop_id, const GValue *value)
{
  FkSyncPolicy *p = &self->policy;
  gboolean changed;

  switch (prop_id)
    {
      case PROP_WIFI_ONLY:
        changed = p->wifi_only != g_value_get_boolean (value);
        p->wifi_only = g_value_get_boolean (value);
        break;
      case PROP_METERED_CAP_BYTES:
        changed = p->metered_cap_bytes != g_value_get_uint64 (value);
        p->metered_cap_bytes = g_value_get_uint64 (value);
        break;
      case PROP_BATTERY_FLOOR:
        changed = p->battery_floor != g_value_get_uint (value);
        p->battery_floor = g_value_get_uint (value);
        break;
      default:
        g_assert_not_reached ();
    }
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  return changed;
}

/**
 * fk_sync_scheduler_set_policy:
 *
 * Sets the three values of the policy at once; the same as setting the
 * properties `wifi-only`, `metered-cap-bytes` and `battery-floor`.
 */
void
fk_sync_scheduler_set_policy (FkSyncScheduler *self, const FkSyncPolicy *policy)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_object_set (self, "wifi-only", policy->wifi_only, "metered-cap-bytes",
                policy->metered_cap_bytes, "battery-floor", policy->battery_floor, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

void
fk_sync_scheduler_get_policy (FkSyncScheduler *self, FkSyncPolicy *policy)
{
  *policy = self->policy;
}

void
fk_sync_scheduler_set_upload_options (FkSyncScheduler *self, const FkUploadOptions *options)
{
  g_free (self->ca_file);
  self->ca_file = g_strdup (options->ca_file);
  self->options = *options;
  self->options.ca_file = self->ca_file;
  self->options.progress = NULL;
  self->options.progress_data = NULL;
}

void
fk_sync_scheduler_set_backoff (FkSyncScheduler *self, guint base_ms, guint max_ms)
{
  self->backoff_base_ms = MAX (base_ms, 1);
  self->backoff_max_ms = MAX (max_ms, self->backoff_base_ms);
}

/**
 * fk_sync_scheduler_set_local:
 * @local: %TRUE when the server runs on this device (loopback)
 *
 * A server on this device (the practice server) is reached without a
 * network: neither the connectivity, nor the Wi-Fi-only policy, nor the
 * metered allowance holds a batch back; the battery floor still does.
 */
void
fk_sync_scheduler_set_local (FkSyncScheduler *self, gboolean local)
{
  self->local = local;
  policy_changed (self);
}

void
fk_sync_scheduler_start (FkSyncScheduler *self)
{
  self->started = TRUE;
  self->dirty = TRUE;
  maybe_start (self);
}

void
fk_sync_scheduler_queue_changed (FkSyncScheduler *self)
{
  self->dirty = TRUE;
  maybe_start (self);
}

void
fk_sync_scheduler_send_now (FkSyncScheduler *self)
{
  self->paused = FALSE;
  self->manual = TRUE;
  self->dirty = TRUE;
  maybe_start (self);
}

void
fk_sync_scheduler_pause (FkSyncScheduler *self)
{
  self->paused = TRUE;
  g_clear_handle_id (&self->backoff_id, g_source_remove);
  if (self->running)
    g_cancellable_cancel (self->cancellable);
  else if (self->started)
    set_state (self, FK_SYNC_SCHEDULER_PAUSED, NULL);
}

void
fk_sync_scheduler_stop (FkSyncScheduler *self)
{
  self->started = FALSE;
  g_clear_handle_id (&self->backoff_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (!self->running)
    set_state (self, FK_SYNC_SCHEDULER_IDLE, NULL);
}

FkSyncSchedulerState
fk_sync_scheduler_get_state (FkSyncScheduler *self)
{
  return self->state;
}

const char *
fk_sync_scheduler_get_blocked_reason (FkSyncScheduler *self)
{
  return self->blocked_reason;
}

guint
fk_sync_scheduler_get_failures (FkSyncScheduler *self)
{
  return self->failures;
}

gint64
fk_sync_scheduler_get_clock_offset (FkSyncScheduler *self)
{
  return self->clock_offset;
}

const char *
fk_sync_scheduler_get_clock_warning (FkSyncScheduler *self)
{
  return self->clock_warning;
}

gint64
fk_sync_scheduler_get_last_pull (FkSyncScheduler *self)
{
  return self->last_pull;
}

const char *
fk_sync_scheduler_get_pull_error (FkSyncScheduler *self)
{
  return self->pull_error;
}

static void
fk_sync_scheduler_dispose (GObject *object)
{
  FkSyncScheduler *self = FK_SYNC_SCHEDULER (object);

  g_clear_handle_id (&self->backoff_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->network);
  g_clear_object (&self->power);
  G_OBJECT_CLASS (fk_sync_scheduler_parent_class)->dispose (object);
}

static void
fk_sync_scheduler_finalize (GObject *object)
{
  FkSyncScheduler *self = FK_SYNC_SCHEDULER (object);

  g_free (self->data_dir);
  g_free (self->server_url);
  g_free (self->blocked_reason);
  g_free (self->clock_warning);
  g_free (self->pull_error);
  g_free (self->ca_file);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (fk_sync_scheduler_parent_class)->finalize (object);
}

static void
fk_sync_scheduler_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FkSyncScheduler *self = FK_SYNC_SCHEDULER (object);

  switch (prop_id)
    {
      case PROP_STATE:
        g_value_set_uint (value, self->state);
        break;
      case PROP_BLOCKED_REASON:
        g_value_set_string (value, self->blocked_reason);
        break;
      case PROP_WIFI_ONLY:
        g_value_set_boolean (value, self->policy.wifi_only);
        break;
      case PROP_METERED_CAP_BYTES:
        g_value_set_uint64 (value, self->policy.metered_cap_bytes);
        break;
      case PROP_BATTERY_FLOOR:
        g_value_set_uint (value, self->policy.battery_floor);
        break;
      case PROP_CLOCK_OFFSET:
        g_value_set_int64 (value, self->clock_offset);
        break;
      case PROP_CLOCK_WARNING:
        g_value_set_string (value, self->clock_warning);
        break;
      case PROP_LAST_PULL:
        g_value_set_int64 (value, self->last_pull);
        break;
      case PROP_PULL_ERROR:
        g_value_set_string (value, self->pull_error);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_sync_scheduler_set_property (GObject *object, guint prop_id, const GValue *value,
                                GParamSpec *pspec)
{
  FkSyncScheduler *self = FK_SYNC_SCHEDULER (object);

  switch (prop_id)
    {
      case PROP_WIFI_ONLY:
      case PROP_METERED_CAP_BYTES:
      case PROP_BATTERY_FLOOR:
        if (set_policy_value (self, prop_id, value))
          policy_changed (self);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_sync_scheduler_class_init (FkSyncSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fk_sync_scheduler_dispose;
  object_class->finalize = fk_sync_scheduler_finalize;
  object_class->get_property = fk_sync_scheduler_get_property;
  object_class->set_property = fk_sync_scheduler_set_property;

  properties[PROP_STATE] =
    g_param_spec_uint ("state", NULL, NULL, 0, FK_SYNC_SCHEDULER_PAUSED, FK_SYNC_SCHEDULER_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BLOCKED_REASON] = g_param_spec_string ("blocked-reason", NULL, NULL, NULL,
                                                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The team's policy (FkSyncPolicy), set by the app. */
  properties[PROP_WIFI_ONLY] =
    g_param_spec_boolean ("wifi-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_METERED_CAP_BYTES] =
    g_param_spec_uint64 ("metered-cap-bytes", NULL, NULL, 0, G_MAXUINT64, DEFAULT_METERED_CAP,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BATTERY_FLOOR] =
    g_param_spec_uint ("battery-floor", NULL, NULL, 0, 100, DEFAULT_BATTERY_FLOOR,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Seconds the server's clock was ahead of the tablet's in the last batch
   * the server answered, and what to tell the officer about it (NULL while
   * the clock is within a minute). */
  properties[PROP_CLOCK_OFFSET] =
    g_param_spec_int64 ("clock-offset", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLOCK_WARNING] = g_param_spec_string ("clock-warning", NULL, NULL, NULL,
                                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The pull that follows every batch that sent everything: when it last
   * succeeded (Unix time, 0: not since start), why it last failed. */
  properties[PROP_LAST_PULL] = g_param_spec_int64 ("last-pull", NULL, NULL, 0, G_MAXINT64, 0,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PULL_ERROR] =
    g_param_spec_string ("pull-error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_BATCH_STARTED] =
    g_signal_new ("batch-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  /* delivered, quarantined, remaining, error message (nullable) */
  signals[SIGNAL_BATCH_FINISHED] =
    g_signal_new ("batch-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 4, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_STRING);
  /* bytes done, bytes total, dossiers done, dossiers total */
  /* results kept, catalog applied, catalog refused (nullable), pull failed
   * (nullable) */
  signals[SIGNAL_PULL_FINISHED] =
    g_signal_new ("pull-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 4, G_TYPE_UINT, G_TYPE_BOOLEAN, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_UINT64, G_TYPE_UINT64, G_TYPE_UINT, G_TYPE_UINT);
}

static void
fk_sync_scheduler_init (FkSyncScheduler *self)
{
  self->backoff_base_ms = 30 * 1000;
  self->backoff_max_ms = 60 * 60 * 1000;
  self->policy.metered_cap_bytes = DEFAULT_METERED_CAP;
  self->policy.battery_floor = DEFAULT_BATTERY_FLOOR;
}
