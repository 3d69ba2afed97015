/* fk-session.c: the team's working day on this device
 *
 * What outlives any page: the running visit (kept in the store, so it comes
 * back after a restart), the counters of the visit and of the month, how
 * often each procedure is chosen (the intake lists the usual ones first),
 * the upload scheduler with the network and power monitors it watches, the
 * procedure catalog in use (the store's, which pulls update) and when the
 * last pull succeeded. Pages read these from the session, never keep their
 * own.
 *
 * Counters and usage hold numbers only, so they live in the store's plain
 * settings: "app.visit.<visit id>.<counter>", "app.month.<YYYY-MM>.<counter>"
 * and "app.usage.<procedure>".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-read-aloud.h"
#include "fk-session.h"
#include "fk-settings.h"
#include "fk-sync-pull.h"

#define VISIT_SETTING "app.visit.current-id"

struct _FkSession
{
  GObject parent_instance;

  GSettings *settings; /* nullable: no schema installed */
  FkDevices *devices;
  FkStore *store;
  FkVisit *visit;
  FkNetworkMonitor *network;
  FkPowerMonitor *power;
  FkSyncScheduler *scheduler;
  FkCatalog *catalog;
  gint64 last_pull;
  gboolean practice;      /* the practice profile: sent to the practice server only */
  char *practice_url;     /* the practice server's, once it listens */
  char *practice_problem; /* why there is none */
  GCancellable *cancellable;
  FkSpeech *speech; /* opened when first asked for */
};

G_DEFINE_FINAL_TYPE (FkSession, fk_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SETTINGS,
  PROP_DEVICES,
  PROP_STORE,
  PROP_VISIT,
  PROP_NETWORK,
  PROP_SCHEDULER,
  PROP_CATALOG,
  PROP_LAST_PULL,
  PROP_PRACTICE_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_COUNTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * fk_session_new:
 * @settings: (nullable): the app's settings (the server, the upload
 *   policy)
 * @devices: where the network and power monitors come from
 *
 * Returns: (transfer full): a session without a store yet
 */
FkSession *
fk_session_new (GSettings *settings, FkDevices *devices)
{
  return g_object_new (FK_TYPE_SESSION, "settings", settings, "devices", devices, NULL);
}

/* Returns: (transfer none) (nullable) */
FkStore *
fk_session_get_store (FkSession *self)
{
  g_return_val_if_fail (FK_IS_SESSION (self), NULL);
  return self->store;
}

/* The catalog in use and the last pull, read again from the store. */
static void
refresh_from_store (FkSession *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkCatalog) catalog = NULL;
  gint64 last_pull = self->store != NULL ? fk_sync_pull_get_last_success (self->store) : 0;

  catalog = self->store != NULL ? fk_store_get_catalog (self->store, &error)
                                : fk_catalog_new_default (&error);
  if (catalog == NULL)
    g_warning ("No procedure catalog: %s", error->message);
  else if (self->catalog == NULL || catalog != self->catalog)
    {
      g_set_object (&self->catalog, catalog);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATALOG]);
    }
  if (last_pull != self->last_pull)
    {
      self->last_pull = last_pull;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_PULL]);
    }
}

static void set_visit (FkSession *self, FkVisit *visit);

void
fk_session_set_store (FkSession *self, FkStore *store)
{
  g_return_if_fail (FK_IS_SESSION (self));
  if (g_set_object (&self->store, store))
    {
      /* The running visit is the store's: another store has its own. */
      set_visit (self, NULL);
      refresh_from_store (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
    }
}

/**
 * fk_session_get_catalog:
 *
 * The procedure catalog in use: the store's (the newest version pulled
 * from the server, or the shipped one), the shipped one before there is a
 * store. Changes (`notify::catalog`) when a pull brings a newer version;
 * an intake already under way keeps the catalog it started with.
 *
 * Returns: (transfer none) (nullable): the catalog
 */
FkCatalog *
fk_session_get_catalog (FkSession *self)
{
  g_return_val_if_fail (FK_IS_SESSION (self), NULL);
  if (self->catalog == NULL)
    refresh_from_store (self);
  return self->catalog;
}

/* Unix time of the last pull that succeeded, 0: none yet. */
gint64
fk_session_get_last_pull (FkSession *self)
{
  g_return_val_if_fail (FK_IS_SESSION (self), 0);
  return self->last_pull;
}

/**
 * fk_session_pulled:
 * @summary: (nullable): what a pull brought, NULL when it ran elsewhere
 *   (the scheduler's own store)
 *
 * A pull succeeded: the catalog in use and the time of the last pull are
 * read again from the store, and notified when they changed.
 */
void
fk_session_pulled (FkSession *self, const FkSyncPullSummary *summary)
{
  g_return_if_fail (FK_IS_SESSION (self));
  refresh_from_store (self);
}

/* ---- the visit ------------------------------------------------------- */

/* Returns: (transfer none) (nullable): today's visit, once started */
FkVisit *
fk_session_get_visit (FkSession *self)
{
  g_return_val_if_fail (FK_IS_SESSION (self), NULL);
  return self->visit;
}

static void
set_visit (FkSession *self, FkVisit *visit)
{
  if (g_set_object (&self->visit, visit))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIT]);
}

/**
 * fk_session_start_visit:
 *
 * Makes @visit the running one, kept in the store (encrypted: the team is
 * named) so it comes back after a restart.
 *
 * Returns: %FALSE with @error when the store could not keep it
 */
gboolean
fk_session_start_visit (FkSession *self, FkVisit *visit, GError **error)
{
  g_return_val_if_fail (FK_IS_SESSION (self), FALSE);
  g_return_val_if_fail (FK_IS_VISIT (visit), FALSE);

  if (self->store != NULL &&
      (!fk_store_save_visit (self->store, visit, error) ||
       !fk_store_set_setting (self->store, VISIT_SETTING, fk_visit_get_id (visit), error)))
    return FALSE;
  set_visit (self, visit);
  return TRUE;
}

static void
visit_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  FkSession *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (FkVisit) visit = fk_store_load_visit_finish (FK_STORE (source), result, &error);

  if (visit == NULL)
    g_warning ("The current visit cannot be read back: %s", error->message);
  else if (self->visit == NULL)
    set_visit (self, visit);
  g_task_return_boolean (task, TRUE);
}

/**
 * fk_session_restore_visit_async:
 *
 * Reads back the visit running before a restart, once the store is
 * unlocked; the store decrypts it in a worker thread. A visit already
 * running stays. Finishes when the session has it (or has none to
 * restore).
 */
void
fk_session_restore_visit_async (FkSession *self, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *id = NULL;

  g_return_if_fail (FK_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_session_restore_visit_async);
  if (self->store != NULL && self->visit == NULL)
    id = fk_store_get_setting (self->store, VISIT_SETTING);
  if (id == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  fk_store_load_visit_async (self->store, id, cancellable, visit_loaded, g_steal_pointer (&task));
}

gboolean
fk_session_restore_visit_finish (FkSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_session_restore_visit_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- counters -------------------------------------------------------- */

static char *
visit_key (FkSession *self, const char *counter)
{
  if (self->visit == NULL || self->store == NULL)
    return NULL;
  return g_strdup_printf ("app.visit.%s.%s", fk_visit_get_id (self->visit), counter);
}

static guint
get_count (FkSession *self, const char *key)
{
  g_autofree char *value =
    key != NULL && self->store != NULL ? fk_store_get_setting (self->store, key) : NULL;

  return value != NULL ? (guint) g_ascii_strtoull (value, NULL, 10) : 0;
}

static void
bump (FkSession *self, const char *key)
{
  g_autofree char *value = NULL;
  g_autoptr (GError) error = NULL;

  if (key == NULL || self->store == NULL)
    return;
  value = g_strdup_printf ("%u", get_count (self, key) + 1);
  if (!fk_store_set_setting (self->store, key, value, &error))
    g_warning ("Counter %s: %s", key, error->message);
}

/* @counter: "dossiers", "vneid", "handovers", … of the running visit */
guint
fk_session_get_counter (FkSession *self, const char *counter)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (FK_IS_SESSION (self), 0);
  key = visit_key (self, counter);
  return get_count (self, key);
}

/* @month: YYYY-MM */
guint
fk_session_get_month_counter (FkSession *self, const char *month, const char *counter)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (FK_IS_SESSION (self), 0);
  key = g_strdup_printf ("app.month.%s.%s", month, counter);
  return get_count (self, key);
}

/**
 * fk_session_count:
 * @counter: what happened once more ("dossiers", "handovers", …)
 *
 * Counts for the running visit and for the current month, then emits
 * `counted` with @counter as its detail.
 */
void
fk_session_count (FkSession *self, const char *counter)
{
  g_autofree char *key = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *month = g_date_time_format (now, "%Y-%m");
  g_autofree char *month_key = g_strdup_printf ("app.month.%s.%s", month, counter);

  g_return_if_fail (FK_IS_SESSION (self));

  key = visit_key (self, counter);
  bump (self, key);
  bump (self, month_key);
  g_signal_emit (self, signals[SIGNAL_COUNTED], g_quark_from_string (counter), counter);
}

/* How many dossiers were taken for @procedure on this device. */
guint
fk_session_get_procedure_usage (FkSession *self, const char *procedure)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (FK_IS_SESSION (self), 0);
  key = g_strdup_printf ("app.usage.%s", procedure);
  return get_count (self, key);
}

/**
 * fk_session_dossier_committed:
 * @procedure: the dossier's procedure code
 *
 * A dossier was sealed: counted for the visit, the month and its
 * procedure, and the scheduler is told there is something to send.
 */
void
fk_session_dossier_committed (FkSession *self, const char *procedure)
{
  g_autofree char *usage_key = g_strdup_printf ("app.usage.%s", procedure);
  g_autofree char *per_procedure = g_strdup_printf ("procedure-%s", procedure);

  g_return_if_fail (FK_IS_SESSION (self));

  bump (self, usage_key);
  fk_session_count (self, "dossiers");
  fk_session_count (self, per_procedure);
  if (self->scheduler != NULL)
    fk_sync_scheduler_queue_changed (self->scheduler);
}

/* ---- sending --------------------------------------------------------- */

/* Returns: (transfer none) (nullable): the upload scheduler, once the store
 * exists, the server is known and the network monitor answered */
FkSyncScheduler *
fk_session_get_scheduler (FkSession *self)
{
  g_return_val_if_fail (FK_IS_SESSION (self), NULL);
  return self->scheduler;
}

/* Returns: (transfer none) (nullable) */
FkNetworkMonitor *
fk_session_get_network (FkSession *self)
{
  g_return_val_if_fail (FK_IS_SESSION (self), NULL);
  return self->network;
}

static void
scheduler_pulled (FkSyncScheduler *scheduler, guint results, gboolean catalog_applied,
                  const char *catalog_error, const char *error, FkSession *self)
{
  if (error == NULL)
    fk_session_pulled (self, NULL);
}

static void
create_scheduler (FkSession *self)
{
  g_autofree char *url = NULL;
  g_autofree char *dir = NULL;

  if (self->scheduler != NULL || self->store == NULL || self->network == NULL ||
      self->settings == NULL)
    return;
  if (self->practice)
    {
      /* Practice dossiers go to the practice server, never elsewhere. */
      if (self->practice_url == NULL)
        return;
      url = g_strdup (self->practice_url);
      dir = g_strdup (fk_store_get_dir (self->store));
    }
  else
    {
      url = g_settings_get_string (self->settings, "server-url");
      if (*g_strstrip (url) == '\0')
        return;
      dir = fk_settings_get_data_dir ();
    }
  self->scheduler = fk_sync_scheduler_new (dir, url, self->network, self->power);
  fk_settings_bind_sync_policy (self->settings, self->scheduler);
  /* The practice server runs on this tablet: no network needed. */
  fk_sync_scheduler_set_local (self->scheduler, self->practice);
  g_signal_connect_object (self->scheduler, "pull-finished", G_CALLBACK (scheduler_pulled), self,
                           0);
  fk_sync_scheduler_start (self->scheduler);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCHEDULER]);
}

static void
power_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkSession) self = user_data;
  FkPowerMonitor *power = fk_devices_open_power_monitor_finish (self->devices, result, NULL);

  /* Without UPower there is no battery to spare: counted as on AC. */
  if (power != NULL)
    self->power = power;
  create_scheduler (self);
}

static void
network_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkSession) self = user_data;

  self->network = fk_devices_open_network_monitor_finish (self->devices, result, NULL);
  if (self->network == NULL)
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK]);
  fk_devices_open_power_monitor_async (self->devices, self->cancellable, power_ready,
                                       g_object_ref (self));
}

/**
 * fk_session_start_sync:
 *
 * Starts the upload scheduler once the store exists; it watches the
 * network and the team's policy and sends on its own. Calling it again
 * (after the server address changed) is harmless.
 */
void
fk_session_start_sync (FkSession *self)
{
  g_return_if_fail (FK_IS_SESSION (self));

  if (self->store == NULL)
    return;
  if (self->network == NULL)
    {
      fk_devices_open_network_monitor_async (self->devices, self->cancellable, network_ready,
                                             g_object_ref (self));
      return;
    }
  create_scheduler (self);
}

static void
drop_scheduler (FkSession *self)
{
  /* Pages let go of it on the notify, while it still exists. */
  g_autoptr (FkSyncScheduler) scheduler = g_steal_pointer (&self->scheduler);

  if (scheduler == NULL)
    return;
  fk_sync_scheduler_stop (scheduler);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCHEDULER]);
}

/**
 * fk_session_set_practice:
 * @practice: whether the session is the practice profile's
 *
 * Practice dossiers never reach the intake server: entering practice stops
 * the real scheduler (the real store's dossiers wait), and the practice
 * profile has one only once its practice server listens
 * (fk_session_set_practice_server()). Leaving practice starts the real one
 * again.
 */
void
fk_session_set_practice (FkSession *self, gboolean practice)
{
  g_return_if_fail (FK_IS_SESSION (self));
  if (self->practice == practice)
    return;
  self->practice = practice;
  g_clear_pointer (&self->practice_url, g_free);
  if (self->practice_problem != NULL)
    {
      g_clear_pointer (&self->practice_problem, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRACTICE_PROBLEM]);
    }
  drop_scheduler (self);
  if (!practice)
    fk_session_start_sync (self);
}

/**
 * fk_session_set_practice_server:
 * @url: (nullable): the practice server's address, once it listens
 * @problem: (nullable): why there is no practice server
 *
 * In practice, the upload scheduler sends the practice store's dossiers
 * to @url; without one, they stay on the device and @problem says why.
 */
void
fk_session_set_practice_server (FkSession *self, const char *url, const char *problem)
{
  g_return_if_fail (FK_IS_SESSION (self));
  if (!self->practice)
    return;
  drop_scheduler (self);
  g_free (self->practice_url);
  self->practice_url = g_strdup (url);
  if (g_strcmp0 (self->practice_problem, problem) != 0)
    {
      g_free (self->practice_problem);
      self->practice_problem = g_strdup (problem);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRACTICE_PROBLEM]);
    }
  fk_session_start_sync (self);
}

/* Returns: (nullable): the practice server's address, in practice, once
 * it listens */
const char *
fk_session_get_practice_url (FkSession *self)
{
  g_return_val_if_fail (FK_IS_SESSION (self), NULL);
  return self->practice ? self->practice_url : NULL;
}

/* Returns: (nullable): why practice dossiers cannot be sent, in practice */
const char *
fk_session_get_practice_problem (FkSession *self)
{
  g_return_val_if_fail (FK_IS_SESSION (self), NULL);
  return self->practice ? self->practice_problem : NULL;
}

gboolean
fk_session_get_practice (FkSession *self)
{
  g_return_val_if_fail (FK_IS_SESSION (self), FALSE);
  return self->practice;
}

/* ---- GObject --------------------------------------------------------- */

static void
fk_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FkSession *self = FK_SESSION (object);

  switch (prop_id)
    {
      case PROP_SETTINGS:
        g_value_set_object (value, self->settings);
        break;
      case PROP_DEVICES:
        g_value_set_object (value, self->devices);
        break;
      case PROP_STORE:
        g_value_set_object (value, self->store);
        break;
      case PROP_VISIT:
        g_value_set_object (value, self->visit);
        break;
      case PROP_NETWORK:
        g_value_set_object (value, self->network);
        break;
      case PROP_SCHEDULER:
        g_value_set_object (value, self->scheduler);
        break;
      case PROP_CATALOG:
        g_value_set_object (value, fk_session_get_catalog (self));
        break;
      case PROP_LAST_PULL:
        g_value_set_int64 (value, self->last_pull);
        break;
      case PROP_PRACTICE_PROBLEM:
        g_value_set_string (value, fk_session_get_practice_problem (self));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_session_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FkSession *self = FK_SESSION (object);

  switch (prop_id)
    {
      case PROP_SETTINGS:
        self->settings = g_value_dup_object (value);
        break;
      case PROP_DEVICES:
        self->devices = g_value_dup_object (value);
        break;
      case PROP_STORE:
        fk_session_set_store (self, g_value_get_object (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/**
 * fk_session_get_speech:
 *
 * The one speech device of the app: a text said stops the one before, at
 * the speed of the settings (fk-read-aloud.c).
 *
 * Returns: (transfer none): the speech device
 */
FkSpeech *
fk_session_get_speech (FkSession *self)
{
  g_return_val_if_fail (FK_IS_SESSION (self), NULL);
  if (self->speech == NULL)
    self->speech = fk_read_aloud_open (self->devices, self->settings);
  return self->speech;
}

static void
fk_session_dispose (GObject *object)
{
  FkSession *self = FK_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  if (self->scheduler != NULL)
    fk_sync_scheduler_stop (self->scheduler);
  g_clear_object (&self->scheduler);
  if (self->speech != NULL)
    fk_speech_stop (self->speech);
  g_clear_object (&self->speech);
  g_clear_object (&self->network);
  g_clear_object (&self->power);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->visit);
  g_clear_object (&self->catalog);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->devices);
  g_clear_pointer (&self->practice_url, g_free);
  g_clear_pointer (&self->practice_problem, g_free);
  G_OBJECT_CLASS (fk_session_parent_class)->dispose (object);
}

static void
fk_session_class_init (FkSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = fk_session_get_property;
  object_class->set_property = fk_session_set_property;
  object_class->dispose = fk_session_dispose;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEVICES] =
    g_param_spec_object ("devices", NULL, NULL, FK_TYPE_DEVICES,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, FK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VISIT] = g_param_spec_object ("visit", NULL, NULL, FK_TYPE_VISIT, ro);
  properties[PROP_NETWORK] =
    g_param_spec_object ("network", NULL, NULL, FK_TYPE_NETWORK_MONITOR, ro);
  properties[PROP_SCHEDULER] =
    g_param_spec_object ("scheduler", NULL, NULL, FK_TYPE_SYNC_SCHEDULER, ro);
  properties[PROP_CATALOG] = g_param_spec_object ("catalog", NULL, NULL, FK_TYPE_CATALOG, ro);
  properties[PROP_LAST_PULL] = g_param_spec_int64 ("last-pull", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_PRACTICE_PROBLEM] =
    g_param_spec_string ("practice-problem", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FkSession::counted:
   * @counter: what was counted once more
   *
   * A counter of the visit and the month went up; detailed by @counter.
   */
  signals[SIGNAL_COUNTED] =
    g_signal_new ("counted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
fk_session_init (FkSession *self)
{
  self->cancellable = g_cancellable_new ();
}
