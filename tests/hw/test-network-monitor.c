/* test-network-monitor.c: the network monitor's properties and notifications
 * against NetworkManager mocked on a private system bus
 *
 * Run under tests/dbusmock/fk_netmock.py, which starts the bus and the mock
 * and exports DBUS_SYSTEM_BUS_ADDRESS; the mock is driven over D-Bus as any
 * C test can.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-devices.h"
#include "fk-network-monitor-nm.h"

#define MOCK_IFACE "org.freedesktop.DBus.Mock"

/* NetworkManager's values, as the mock takes them */
enum
{
  NM_CONNECTIVITY_NONE = 1,
  NM_CONNECTIVITY_LIMITED = 3,
  NM_CONNECTIVITY_FULL = 4,
  NM_METERED_NO = 2,
  NM_METERED_GUESS_YES = 3,
};

static GVariant *
mock_call (const char *method, GVariant *args)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, &error);
  GVariant *reply;

  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.NetworkManager", "/org/freedesktop",
                                       MOCK_IFACE, method, args, NULL, G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  return reply;
}

static char *
mock_path_call (const char *method, GVariant *args)
{
  g_autoptr (GVariant) reply = mock_call (method, args);
  char *path = NULL;

  g_variant_get (reply, "(o)", &path);
  return path;
}

static void
mock_void_call (const char *method, GVariant *args)
{
  g_variant_unref (mock_call (method, args));
}

static gboolean
give_up (gpointer user_data)
{
  g_error ("the monitor never reached the expected state");
  return G_SOURCE_REMOVE;
}

typedef struct
{
  FkConnectivity connectivity;
  FkLinkType link_type;
  int metered; /* -1: any */
  int signal;  /* -2: any */
} Want;

static gboolean
matches (FkNetworkMonitor *monitor, const Want *want)
{
  return fk_network_monitor_get_connectivity (monitor) == want->connectivity &&
         fk_network_monitor_get_link_type (monitor) == want->link_type &&
         (want->metered < 0 || fk_network_monitor_get_metered (monitor) == want->metered) &&
         (want->signal < -1 || fk_network_monitor_get_signal_quality (monitor) == want->signal);
}

/* Bounded only against hanging; no timing is asserted. */
static void
wait_for (FkNetworkMonitor *monitor, Want want)
{
  guint id = g_timeout_add_seconds (20, give_up, NULL);

  while (!matches (monitor, &want))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static void
count_notify (GObject *object, GParamSpec *pspec, int *count)
{
  (*count)++;
}

static void
init_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (g_async_initable_init_finish (G_ASYNC_INITABLE (source), res, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
test_states (void)
{
  /* Made by hand rather than by the device factory, to see it before its
   * init has finished. */
  g_autoptr (FkNetworkMonitor) monitor = g_object_new (FK_TYPE_NETWORK_MONITOR_NM, NULL);
  gboolean initialised = FALSE;
  g_autofree char *wifi = NULL;
  g_autofree char *modem = NULL;
  g_autofree char *active = NULL;
  int connectivity_notes = 0;
  int signal_notes = 0;

  g_signal_connect (monitor, "notify::connectivity", G_CALLBACK (count_notify),
                    &connectivity_notes);
  g_signal_connect (monitor, "notify::signal-quality", G_CALLBACK (count_notify), &signal_notes);

  /* Until NetworkManager answers, and then: no network. */
  g_assert_cmpint (fk_network_monitor_get_connectivity (monitor), ==, FK_CONNECTIVITY_UNKNOWN);
  g_async_initable_init_async (G_ASYNC_INITABLE (monitor), G_PRIORITY_DEFAULT, NULL, init_done,
                               &initialised);
  wait_for (monitor, (Want){ FK_CONNECTIVITY_NONE, FK_LINK_NONE, FALSE, -1 });
  while (!initialised)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (fk_network_monitor_nm_get_nm_running (FK_NETWORK_MONITOR_NM (monitor)));
  g_assert_cmpint (connectivity_notes, ==, 1);

  wifi = mock_path_call ("AddDevice", g_variant_new ("(ss)", "wlan0", "wifi"));
  active = mock_path_call ("Connect", g_variant_new ("(osu)", wifi, "Bản Lầu", NM_METERED_NO));
  mock_void_call ("SetSignal", g_variant_new ("(ou)", wifi, 66));
  mock_void_call ("SetConnectivity", g_variant_new ("(u)", NM_CONNECTIVITY_FULL));
  wait_for (monitor, (Want){ FK_CONNECTIVITY_FULL, FK_LINK_WIFI, FALSE, 66 });
  g_assert_cmpint (connectivity_notes, ==, 2);

  /* The same value again is no change and no notification. */
  mock_void_call ("SetConnectivity", g_variant_new ("(u)", NM_CONNECTIVITY_FULL));
  mock_void_call ("SetSignal", g_variant_new ("(ou)", wifi, 40));
  wait_for (monitor, (Want){ FK_CONNECTIVITY_FULL, FK_LINK_WIFI, FALSE, 40 });
  g_assert_cmpint (connectivity_notes, ==, 2);

  /* Back in 4G range only: metered modem, signal from ModemManager. */
  modem = mock_path_call ("AddDevice", g_variant_new ("(ss)", "wwan0", "modem"));
  g_free (
    mock_path_call ("Connect", g_variant_new ("(osu)", modem, "Viettel", NM_METERED_GUESS_YES)));
  mock_void_call ("SetSignal", g_variant_new ("(ou)", modem, 47));
  mock_void_call ("Disconnect", g_variant_new ("(o)", wifi));
  wait_for (monitor, (Want){ FK_CONNECTIVITY_FULL, FK_LINK_MODEM, TRUE, 47 });

  signal_notes = 0;
  mock_void_call ("SetSignal", g_variant_new ("(ou)", modem, 12));
  wait_for (monitor, (Want){ FK_CONNECTIVITY_FULL, FK_LINK_MODEM, TRUE, 12 });
  g_assert_cmpint (signal_notes, ==, 1);

  mock_void_call ("SetConnectivity", g_variant_new ("(u)", NM_CONNECTIVITY_LIMITED));
  wait_for (monitor, (Want){ FK_CONNECTIVITY_LIMITED, FK_LINK_MODEM, TRUE, 12 });
  mock_void_call ("SetConnectivity", g_variant_new ("(u)", NM_CONNECTIVITY_NONE));
  mock_void_call ("Disconnect", g_variant_new ("(o)", modem));
  wait_for (monitor, (Want){ FK_CONNECTIVITY_NONE, FK_LINK_NONE, FALSE, -1 });

  g_signal_handlers_disconnect_by_data (monitor, &connectivity_notes);
  g_signal_handlers_disconnect_by_data (monitor, &signal_notes);
}

static void
power_ready (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  FkPowerMonitor **power = user_data;

  *power = fk_devices_open_power_monitor_finish (FK_DEVICES (source), res, &error);
  g_assert_no_error (error);
}

static void
test_no_upower (void)
{
  g_autoptr (FkDevices) devices = fk_devices_new (FK_HW_BACKEND_DEFAULT);
  g_autoptr (FkPowerMonitor) power = NULL;
  g_autoptr (FkPowerMonitor) power_sync = NULL;
  g_autoptr (GError) error = NULL;

  fk_devices_open_power_monitor_async (devices, NULL, power_ready, &power);
  while (power == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (fk_power_monitor_get_battery_level (power), ==, -1);
  g_assert_true (fk_power_monitor_get_on_ac (power));

  /* The same through the synchronous init. */
  power_sync = fk_devices_open_power_monitor (devices, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fk_power_monitor_get_battery_level (power_sync), ==, -1);
  g_assert_true (fk_power_monitor_get_on_ac (power_sync));
}

/* The synchronous init knows the state (here a modem link with its
 * ModemManager signal) when it returns; a cancelled init is an error. */
static void
test_sync_init (void)
{
  g_autoptr (FkDevices) devices = fk_devices_new (FK_HW_BACKEND_DEFAULT);
  g_autoptr (FkNetworkMonitor) monitor = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *modem = mock_path_call ("AddDevice", g_variant_new ("(ss)", "wwan1", "modem"));

  g_free (
    mock_path_call ("Connect", g_variant_new ("(osu)", modem, "Mobifone", NM_METERED_GUESS_YES)));
  mock_void_call ("SetSignal", g_variant_new ("(ou)", modem, 31));
  mock_void_call ("SetConnectivity", g_variant_new ("(u)", NM_CONNECTIVITY_FULL));

  monitor = fk_devices_open_network_monitor (devices, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (matches (monitor, &(Want){ FK_CONNECTIVITY_FULL, FK_LINK_MODEM, TRUE, 31 }));

  g_cancellable_cancel (cancellable);
  g_assert_null (fk_devices_open_network_monitor (devices, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int argc, char **argv)
{
  /* Never the machine's own system bus. */
  if (g_getenv ("DBUS_SYSTEM_BUS_ADDRESS") == NULL)
    {
      g_print ("1..0 # SKIP needs the private system bus of tests/dbusmock/fk_netmock.py\n");
      return 0;
    }
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/network-monitor/states", test_states);
  g_test_add_func ("/power-monitor/no-upower", test_no_upower);
  g_test_add_func ("/network-monitor/sync-init", test_sync_init);
  return g_test_run ();
}
