/* test-scheduler.c: the sync scheduler against NetworkManager (and UPower)
 * mocked by python-dbusmock on a private system bus, libnm and the real
 * monitors from hw/, uploading to the real fieldkit-server
 *
 * Run under tests/dbusmock/fk_netmock.py (which starts the bus and mocks);
 * one scenario per process, picked with -p.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-devices.h"
#include "fk-settings.h"
#include "fk-sync-pull.h"
#include "fk-sync-scheduler.h"
#include "fk-test-device.h"
#include "fk-test-server.h"
#include "fk-test-store.h"

#define MOCK_IFACE "org.freedesktop.DBus.Mock"

enum
{
  NM_CONNECTIVITY_NONE = 1,
  NM_CONNECTIVITY_LIMITED = 3,
  NM_CONNECTIVITY_FULL = 4,
  NM_METERED_NO = 2,
  NM_METERED_GUESS_YES = 3,
};

static GVariant *
bus_call (const char *name, const char *path, const char *iface, const char *method, GVariant *args)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, &error);
  GVariant *reply;

  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, name, path, iface, method, args, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  return reply;
}

static char *
nm_path_call (const char *method, GVariant *args)
{
  g_autoptr (GVariant) reply =
    bus_call ("org.freedesktop.NetworkManager", "/org/freedesktop", MOCK_IFACE, method, args);
  char *path = NULL;

  g_variant_get (reply, "(o)", &path);
  return path;
}

static void
nm_call (const char *method, GVariant *args)
{
  g_variant_unref (
    bus_call ("org.freedesktop.NetworkManager", "/org/freedesktop", MOCK_IFACE, method, args));
}

static void
set_battery (gboolean on_battery, double percentage)
{
  g_variant_unref (
    bus_call ("org.freedesktop.UPower", "/org/freedesktop/UPower", MOCK_IFACE, "SetupDisplayDevice",
              g_variant_new ("(uuddddxxbsu)", 2, on_battery ? 2 : 1, percentage, 50.0, 100.0, 10.0,
                             (gint64) 3600, (gint64) 0, TRUE, "battery-good-symbolic", 1)));
  g_variant_unref (bus_call ("org.freedesktop.UPower", "/org/freedesktop/UPower",
                             "org.freedesktop.DBus.Properties", "Set",
                             g_variant_new ("(ssv)", "org.freedesktop.UPower", "OnBattery",
                                            g_variant_new_boolean (on_battery))));
}

static gboolean
give_up (gpointer user_data)
{
  g_error ("%s never happened", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

/* Bounded only against hanging; no timing is asserted. */
#define WAIT_FOR(cond)                                                 \
  G_STMT_START                                                         \
  {                                                                    \
    guint _id = g_timeout_add_seconds (60, give_up, (gpointer) #cond); \
    while (!(cond))                                                    \
      g_main_context_iteration (NULL, TRUE);                           \
    g_source_remove (_id);                                             \
  }                                                                    \
  G_STMT_END

static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (10 * 1000);
}

typedef struct
{
  char *base;
  FkTestServer *server;
  char *device_dir;
  GPtrArray *ids;
  FkNetworkMonitor *network;
  FkPowerMonitor *power;
  FkSyncScheduler *scheduler;
  guint started;
  guint finished;
  guint delivered;
  char *last_error;
  gboolean pause_on_start;
  guint pulls;
  guint pulled_results;
  gboolean catalog_applied;
  char *catalog_error;
} Fixture;

static void
on_started (FkSyncScheduler *s, Fixture *f)
{
  f->started++;
  /* The officer pauses as soon as sending begins. */
  if (f->pause_on_start)
    fk_sync_scheduler_pause (s);
}

static void
on_finished (FkSyncScheduler *s, guint delivered, guint quarantined, guint remaining,
             const char *error, Fixture *f)
{
  f->finished++;
  f->delivered += delivered;
  g_free (f->last_error);
  f->last_error = g_strdup (error);
}

static void
on_pulled (FkSyncScheduler *s, guint results, gboolean catalog_applied, const char *catalog_error,
           const char *error, Fixture *f)
{
  g_assert_null (error);
  f->pulls++;
  f->pulled_results += results;
  f->catalog_applied |= catalog_applied;
  g_free (f->catalog_error);
  f->catalog_error = g_strdup (catalog_error);
}

static void
fixture_setup (Fixture *f, guint n_dossiers, gsize photo_size, gboolean with_power,
               const FkSyncPolicy *policy)
{
  g_autofree char *server_dir = NULL;
  g_autofree char *key = NULL;
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkDevices) devices = fk_devices_new (FK_HW_BACKEND_DEFAULT);
  FkUploadOptions options = { 0 };

  f->base = g_dir_make_tmp ("fk-sched-XXXXXX", NULL);
  server_dir = g_build_filename (f->base, "server", NULL);
  f->server = fk_test_server_new (server_dir, NULL);
  f->device_dir = g_build_filename (f->base, "device", NULL);
  f->ids = fk_test_device_new (f->device_dir, f->server->box_key, n_dossiers, 1, photo_size);
  key = fk_test_device_key (f->device_dir);
  out = fk_test_server_ctl (f->server, 0, "device", "add", "--pubkey", key, "--name", "t",
                            "--commune", "00004", NULL);
  {
    g_autoptr (FkStore) store = fk_store_open (f->device_dir, FK_STORE_OPEN_SHARED, &error);
    g_autofree char *verify = fk_sync_key_to_base64 (f->server->verify_key);

    g_assert_no_error (error);
    g_assert_true (fk_store_set_setting (store, FK_SYNC_SETTING_SERVER_VERIFY_KEY, verify, &error));
  }
  fk_test_server_start (f->server, "--rate-limit=0", NULL);

  f->network = fk_devices_open_network_monitor (devices, NULL, &error);
  g_assert_no_error (error);
  WAIT_FOR (fk_network_monitor_get_connectivity (f->network) != FK_CONNECTIVITY_UNKNOWN);
  if (with_power)
    f->power = fk_devices_open_power_monitor (devices, NULL, &error);
  g_assert_no_error (error);
  f->scheduler = fk_sync_scheduler_new (f->device_dir, f->server->url, f->network, f->power);
  options.chunk_size = 16 * 1024;
  options.timeout_seconds = 5;
  options.max_retries = 1;
  options.retry_delay_ms = 100;
  fk_sync_scheduler_set_upload_options (f->scheduler, &options);
  fk_sync_scheduler_set_backoff (f->scheduler, 300, 1000);
  fk_sync_scheduler_set_policy (f->scheduler, policy);
  g_signal_connect (f->scheduler, "batch-started", G_CALLBACK (on_started), f);
  g_signal_connect (f->scheduler, "batch-finished", G_CALLBACK (on_finished), f);
  g_signal_connect (f->scheduler, "pull-finished", G_CALLBACK (on_pulled), f);
  fk_sync_scheduler_start (f->scheduler);
}

static void
fixture_teardown (Fixture *f)
{
  fk_sync_scheduler_stop (f->scheduler);
  WAIT_FOR (fk_sync_scheduler_get_state (f->scheduler) != FK_SYNC_SCHEDULER_RUNNING);
  g_clear_object (&f->scheduler);
  g_clear_object (&f->network);
  g_clear_object (&f->power);
  fk_test_server_free (f->server);
  fk_test_rm_rf (f->base);
  g_free (f->base);
  g_free (f->device_dir);
  g_free (f->last_error);
  g_free (f->catalog_error);
  g_ptr_array_unref (f->ids);
}

static char *
connect_device (const char *name, const char *kind, guint metered)
{
  g_autofree char *device = nm_path_call ("AddDevice", g_variant_new ("(ss)", name, kind));

  return nm_path_call ("Connect", g_variant_new ("(osu)", device, name, metered));
}

static void
test_wifi_only (void)
{
  Fixture f = { 0 };
  FkSyncPolicy policy = { .wifi_only = TRUE, .metered_cap_bytes = 100 * 1000 * 1000 };
  g_autofree char *modem = NULL;
  g_autofree char *wifi = NULL;

  fixture_setup (&f, 2, 40 * 1000, FALSE, &policy);
  g_assert_cmpint (fk_sync_scheduler_get_state (f.scheduler), ==, FK_SYNC_SCHEDULER_BLOCKED);

  /* Full connectivity over the metered modem: Wi-Fi only says wait. */
  modem = connect_device ("wwan0", "modem", NM_METERED_GUESS_YES);
  nm_call ("SetConnectivity", g_variant_new ("(u)", NM_CONNECTIVITY_FULL));
  WAIT_FOR (fk_network_monitor_get_connectivity (f.network) == FK_CONNECTIVITY_FULL &&
            fk_network_monitor_get_link_type (f.network) == FK_LINK_MODEM);
  spin (1000);
  g_assert_cmpuint (f.started, ==, 0);
  g_assert_cmpint (fk_sync_scheduler_get_state (f.scheduler), ==, FK_SYNC_SCHEDULER_BLOCKED);
  g_assert_nonnull (fk_sync_scheduler_get_blocked_reason (f.scheduler));
  g_assert_cmpuint (fk_test_count_state (f.device_dir, FK_OUTBOX_QUEUED), ==, 2);

  /* Wi-Fi becomes the primary connection: the batch starts on its own. */
  wifi = connect_device ("wlan0", "wifi", NM_METERED_NO);
  nm_call ("SetPrimary", g_variant_new ("(o)", wifi));
  WAIT_FOR (f.finished == 1);
  g_assert_cmpuint (f.started, ==, 1);
  g_assert_null (f.last_error);
  g_assert_cmpuint (f.delivered, ==, 2);
  fk_test_assert_exactly_once (f.server, f.device_dir, f.ids);
  fixture_teardown (&f);
}

/* A server on the device (the practice server): sent without a network,
 * whatever the Wi-Fi-only policy says. */
static void
test_local_server (void)
{
  Fixture f = { 0 };
  FkSyncPolicy policy = { .wifi_only = TRUE, .metered_cap_bytes = 0 };

  fixture_setup (&f, 2, 40 * 1000, FALSE, &policy);
  nm_call ("SetConnectivity", g_variant_new ("(u)", NM_CONNECTIVITY_NONE));
  WAIT_FOR (fk_network_monitor_get_connectivity (f.network) == FK_CONNECTIVITY_NONE);
  spin (300);
  g_assert_cmpuint (f.started, ==, 0);
  g_assert_cmpint (fk_sync_scheduler_get_state (f.scheduler), ==, FK_SYNC_SCHEDULER_BLOCKED);

  fk_sync_scheduler_set_local (f.scheduler, TRUE);
  WAIT_FOR (f.finished == 1);
  g_assert_null (f.last_error);
  g_assert_cmpuint (f.delivered, ==, 2);
  fk_test_assert_exactly_once (f.server, f.device_dir, f.ids);
  fixture_teardown (&f);
}

static void
test_starts_on_full_connectivity_with_backoff (void)
{
  Fixture f = { 0 };
  FkSyncPolicy policy = { .wifi_only = FALSE, .metered_cap_bytes = 100 * 1000 * 1000 };
  g_autofree char *wifi = NULL;

  fixture_setup (&f, 2, 40 * 1000, FALSE, &policy);
  wifi = connect_device ("wlan0", "wifi", NM_METERED_NO);
  nm_call ("SetConnectivity", g_variant_new ("(u)", NM_CONNECTIVITY_LIMITED));
  WAIT_FOR (fk_network_monitor_get_link_type (f.network) == FK_LINK_WIFI &&
            fk_network_monitor_get_connectivity (f.network) == FK_CONNECTIVITY_LIMITED);
  spin (500);
  g_assert_cmpuint (f.started, ==, 0);

  /* The server is down when the link comes up: the batch fails and the
   * scheduler backs off, then tries again on its own. */
  fk_test_server_stop (f.server, TRUE);
  nm_call ("SetConnectivity", g_variant_new ("(u)", NM_CONNECTIVITY_FULL));
  WAIT_FOR (f.finished >= 1);
  g_assert_nonnull (f.last_error);
  g_assert_cmpuint (f.delivered, ==, 0);
  WAIT_FOR (f.finished >= 2);
  g_assert_cmpuint (fk_sync_scheduler_get_failures (f.scheduler), >=, 2);
  g_assert_cmpuint (fk_test_count_state (f.device_dir, FK_OUTBOX_QUEUED), ==, 2);

  fk_test_server_start (f.server, "--rate-limit=0", NULL);
  WAIT_FOR (f.delivered == 2);
  g_assert_cmpuint (fk_sync_scheduler_get_failures (f.scheduler), ==, 0);
  fk_test_assert_exactly_once (f.server, f.device_dir, f.ids);
  fixture_teardown (&f);
}

static void
test_metered_allowance (void)
{
  Fixture f = { 0 };
  /* Room for about one of the three dossiers today. */
  FkSyncPolicy policy = { .wifi_only = FALSE, .metered_cap_bytes = 70 * 1000 };
  g_autofree char *modem = NULL;
  guint delivered;

  fixture_setup (&f, 3, 50 * 1000, FALSE, &policy);
  modem = connect_device ("wwan0", "modem", NM_METERED_GUESS_YES);
  nm_call ("SetConnectivity", g_variant_new ("(u)", NM_CONNECTIVITY_FULL));
  WAIT_FOR (f.finished >= 1);
  g_assert_nonnull (f.last_error);
  delivered = fk_test_count_state (f.device_dir, FK_OUTBOX_DELIVERED);
  g_assert_cmpuint (delivered, >=, 1);
  g_assert_cmpuint (delivered, <, 3);
  /* Retrying does not go past the allowance. */
  WAIT_FOR (f.finished >= 3);
  g_assert_cmpuint (fk_test_count_state (f.device_dir, FK_OUTBOX_DELIVERED), ==, delivered);
  fixture_teardown (&f);
}

static void
test_battery_floor (void)
{
  Fixture f = { 0 };
  FkSyncPolicy policy = { .wifi_only = FALSE,
                          .metered_cap_bytes = 100 * 1000 * 1000,
                          .battery_floor = 30 };
  g_autofree char *wifi = NULL;

  set_battery (TRUE, 12.0);
  fixture_setup (&f, 1, 20 * 1000, TRUE, &policy);
  WAIT_FOR (fk_power_monitor_get_battery_level (f.power) == 12);
  wifi = connect_device ("wlan0", "wifi", NM_METERED_NO);
  nm_call ("SetConnectivity", g_variant_new ("(u)", NM_CONNECTIVITY_FULL));
  WAIT_FOR (fk_network_monitor_get_connectivity (f.network) == FK_CONNECTIVITY_FULL);
  spin (1000);
  g_assert_cmpuint (f.started, ==, 0);
  g_assert_cmpint (fk_sync_scheduler_get_state (f.scheduler), ==, FK_SYNC_SCHEDULER_BLOCKED);

  /* The charger goes in: it starts. */
  set_battery (FALSE, 12.0);
  WAIT_FOR (f.delivered == 1);
  fixture_teardown (&f);
}

/* The team's policy as the settings page stores it, bound to the
 * scheduler by the app. */
static void
test_policy_from_settings (void)
{
  g_autoptr (GSettings) settings = g_settings_new ("vn.fieldkit.FieldKit");
  g_autoptr (FkDevices) devices = fk_devices_new (FK_HW_BACKEND_DEFAULT);
  g_autoptr (FkNetworkMonitor) network = fk_devices_open_network_monitor (devices, NULL, NULL);
  g_autoptr (FkSyncScheduler) scheduler = fk_sync_scheduler_new ("unused", "", network, NULL);
  FkSyncPolicy policy = { 0 };

  fk_settings_bind_sync_policy (settings, scheduler);
  g_settings_set_boolean (settings, "sync-wifi-only", TRUE);
  g_settings_set_uint (settings, "sync-metered-cap-mb", 50);
  g_settings_set_uint (settings, "sync-battery-floor", 25);
  fk_sync_scheduler_get_policy (scheduler, &policy);
  g_assert_true (policy.wifi_only);
  g_assert_cmpuint (policy.metered_cap_bytes, ==, 50 * 1000 * 1000);
  g_assert_cmpuint (policy.battery_floor, ==, 25);
  g_settings_set_uint (settings, "sync-metered-cap-mb", 0);
  fk_sync_scheduler_get_policy (scheduler, &policy);
  g_assert_cmpuint (policy.metered_cap_bytes, ==, 0);
}

static void
test_pause (void)
{
  Fixture f = { 0 };
  FkSyncPolicy policy = { .wifi_only = FALSE, .metered_cap_bytes = 100 * 1000 * 1000 };
  g_autofree char *wifi = NULL;

  f.pause_on_start = TRUE;
  fixture_setup (&f, 6, 200 * 1000, FALSE, &policy);
  wifi = connect_device ("wlan0", "wifi", NM_METERED_NO);
  nm_call ("SetConnectivity", g_variant_new ("(u)", NM_CONNECTIVITY_FULL));
  WAIT_FOR (f.finished >= 1);
  g_assert_cmpint (fk_sync_scheduler_get_state (f.scheduler), ==, FK_SYNC_SCHEDULER_PAUSED);
  g_assert_cmpuint (fk_test_count_state (f.device_dir, FK_OUTBOX_DELIVERED), <, 6);
  /* Paused stays paused: a link that comes back starts nothing. */
  nm_call ("SetConnectivity", g_variant_new ("(u)", NM_CONNECTIVITY_NONE));
  WAIT_FOR (fk_network_monitor_get_connectivity (f.network) == FK_CONNECTIVITY_NONE);
  nm_call ("SetConnectivity", g_variant_new ("(u)", NM_CONNECTIVITY_FULL));
  WAIT_FOR (fk_network_monitor_get_connectivity (f.network) == FK_CONNECTIVITY_FULL);
  spin (500);
  g_assert_cmpuint (f.started, ==, 1);
  g_assert_cmpint (fk_sync_scheduler_get_state (f.scheduler), ==, FK_SYNC_SCHEDULER_PAUSED);

  /* "Send now" goes on from where the server is: everything arrives once. */
  f.pause_on_start = FALSE;
  fk_sync_scheduler_send_now (f.scheduler);
  WAIT_FOR (fk_test_count_state (f.device_dir, FK_OUTBOX_DELIVERED) == 6);
  WAIT_FOR (fk_sync_scheduler_get_state (f.scheduler) == FK_SYNC_SCHEDULER_IDLE);
  fk_test_assert_exactly_once (f.server, f.device_dir, f.ids);
  fixture_teardown (&f);
}

/* The shipped catalog as version @version, in a file: its path. */
static char *
catalog_file (Fixture *f, const char *version)
{
  g_autofree char *shipped =
    g_build_filename (g_getenv ("FK_SOURCE_ROOT"), "assets", "data", "catalog.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autofree char *name = g_strdup_printf ("catalog-%s.json", version);
  char *path = g_build_filename (f->base, name, NULL);

  g_assert_true (json_parser_load_from_file (parser, shipped, NULL));
  json_object_set_string_member (json_node_get_object (json_parser_get_root (parser)), "version",
                                 version);
  json_generator_set_root (gen, json_parser_get_root (parser));
  g_assert_true (json_generator_to_file (gen, path, NULL));
  return path;
}

static char *
catalog_in_use (Fixture *f)
{
  g_autoptr (FkStore) store = fk_store_open (f->device_dir, FK_STORE_OPEN_SHARED, NULL);
  g_autoptr (FkCatalog) catalog = fk_store_get_catalog (store, NULL);

  return g_strdup (fk_catalog_get_version (catalog));
}

/* After every batch that sent everything, and on "send now" with nothing
 * to send, the scheduler pulls: results are kept in the store for a
 * handover without signal, a newer catalog version is applied. */
static void
test_pull_with_every_sync (void)
{
  Fixture f = { 0 };
  FkSyncPolicy policy = { .wifi_only = FALSE, .metered_cap_bytes = 100 * 1000 * 1000 };
  g_autofree char *wifi = NULL;
  g_autofree char *v2 = NULL;
  g_autofree char *v3 = NULL;
  g_autofree char *version = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (FkStoreResult) result = NULL;

  fixture_setup (&f, 2, 20 * 1000, FALSE, &policy);
  v2 = catalog_file (&f, "2099.1.1");
  g_free (fk_test_server_ctl (f.server, 0, "catalog", "add", "--file", v2, NULL));
  g_free (fk_test_server_ctl (f.server, 0, "result", "add", "--commune", "00004", "--dossier",
                              f.ids->pdata[0], "--note", "Đã ký", NULL));
  wifi = connect_device ("wlan0", "wifi", NM_METERED_NO);
  nm_call ("SetConnectivity", g_variant_new ("(u)", NM_CONNECTIVITY_FULL));
  WAIT_FOR (f.pulls == 1);
  g_assert_cmpuint (f.delivered, ==, 2);
  g_assert_true (f.catalog_applied);
  g_assert_null (f.catalog_error);
  g_assert_cmpuint (f.pulled_results, ==, 1);
  g_assert_cmpint (fk_sync_scheduler_get_last_pull (f.scheduler), >, 0);
  g_assert_null (fk_sync_scheduler_get_pull_error (f.scheduler));
  version = catalog_in_use (&f);
  g_assert_cmpstr (version, ==, "2099.1.1");

  /* Kept in the store: readable with the server gone. */
  fk_test_server_stop (f.server, TRUE);
  store = fk_store_open (f.device_dir, FK_STORE_OPEN_SHARED, NULL);
  result = fk_store_get_result (store, f.ids->pdata[0]);
  g_assert_nonnull (result);
  g_assert_cmpstr (result->status, ==, "ready");

  /* "Send now" with nothing queued still pulls: a later result and a
   * newer catalog come. */
  fk_test_server_start (f.server, "--rate-limit=0", NULL);
  v3 = catalog_file (&f, "2099.1.2");
  g_free (fk_test_server_ctl (f.server, 0, "catalog", "add", "--file", v3, NULL));
  g_free (fk_test_server_ctl (f.server, 0, "result", "add", "--commune", "00004", "--dossier",
                              f.ids->pdata[1], NULL));
  fk_sync_scheduler_send_now (f.scheduler);
  WAIT_FOR (f.pulls == 2);
  g_assert_cmpuint (f.pulled_results, ==, 2);
  g_free (version);
  version = catalog_in_use (&f);
  g_assert_cmpstr (version, ==, "2099.1.2");
  fixture_teardown (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DBUS_SYSTEM_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("run under tests/dbusmock/fk_netmock.py");
      return 77;
    }
  g_test_add_func ("/scheduler/policy-from-settings", test_policy_from_settings);
  g_test_add_func ("/scheduler/wifi-only", test_wifi_only);
  g_test_add_func ("/scheduler/local-server", test_local_server);
  g_test_add_func ("/scheduler/full-connectivity-and-backoff",
                   test_starts_on_full_connectivity_with_backoff);
  g_test_add_func ("/scheduler/metered-allowance", test_metered_allowance);
  g_test_add_func ("/scheduler/battery-floor", test_battery_floor);
  g_test_add_func ("/scheduler/pause", test_pause);
  g_test_add_func ("/scheduler/pull-with-every-sync", test_pull_with_every_sync);
  return g_test_run ();
}
