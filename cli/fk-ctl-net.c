/* fk-ctl-net.c: fieldkit-ctl net status, what the sync scheduler sees
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>

#include "fk-ctl.h"
#include "fk-devices.h"
#include "fk-network-monitor-nm.h"

typedef struct
{
  GMainLoop *loop;
  FkNetworkMonitor *net;
  FkPowerMonitor *power;
  gboolean json;
  gboolean watch;
  char *last; /* the state printed last, as compact JSON */
} NetStatus;

static JsonNode *
status_to_json (NetStatus *st)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  fk_ctl_json_bool (b, "network_manager",
                    fk_network_monitor_nm_get_nm_running (FK_NETWORK_MONITOR_NM (st->net)));
  fk_ctl_json_string (b, "connectivity",
                      fk_connectivity_to_string (fk_network_monitor_get_connectivity (st->net)));
  fk_ctl_json_string (b, "link_type",
                      fk_link_type_to_string (fk_network_monitor_get_link_type (st->net)));
  fk_ctl_json_bool (b, "metered", fk_network_monitor_get_metered (st->net));
  fk_ctl_json_int (b, "signal", fk_network_monitor_get_signal_quality (st->net));
  fk_ctl_json_int (b, "battery", fk_power_monitor_get_battery_level (st->power));
  fk_ctl_json_bool (b, "on_ac", fk_power_monitor_get_on_ac (st->power));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static const char *
connectivity_label (FkConnectivity connectivity)
{
  switch (connectivity)
    {
      case FK_CONNECTIVITY_NONE:
        return _ ("no network");
      case FK_CONNECTIVITY_PORTAL:
        return _ ("behind a login page (captive portal)");
      case FK_CONNECTIVITY_LIMITED:
        return _ ("network without Internet access");
      case FK_CONNECTIVITY_FULL:
        return _ ("Internet");
      default:
        return _ ("unknown (NetworkManager is not running; use “send now” by hand)");
    }
}

static const char *
link_label (FkLinkType link_type)
{
  switch (link_type)
    {
      case FK_LINK_WIFI:
        return _ ("Wi-Fi");
      case FK_LINK_MODEM:
        return _ ("mobile modem");
      case FK_LINK_ETHERNET:
        return _ ("cable (Ethernet)");
      case FK_LINK_OTHER:
        return _ ("other");
      default:
        return _ ("none");
    }
}

static void
print_text (NetStatus *st)
{
  int signal_quality = fk_network_monitor_get_signal_quality (st->net);
  int battery = fk_power_monitor_get_battery_level (st->power);

  g_print ("%s: %s\n", _ ("Connectivity"),
           connectivity_label (fk_network_monitor_get_connectivity (st->net)));
  g_print ("%s: %s\n", _ ("Link"), link_label (fk_network_monitor_get_link_type (st->net)));
  g_print ("%s: %s\n", _ ("Metered"),
           fk_network_monitor_get_metered (st->net) ? _ ("yes") : _ ("no"));
  if (signal_quality >= 0)
    g_print ("%s: %d%%\n", _ ("Signal"), signal_quality);
  else
    g_print ("%s: %s\n", _ ("Signal"), _ ("unknown"));
  if (battery >= 0)
    g_print ("%s: %d%%\n", _ ("Battery"), battery);
  else
    g_print ("%s: %s\n", _ ("Battery"), _ ("none"));
  g_print ("%s: %s\n", _ ("Power"),
           fk_power_monitor_get_on_ac (st->power) ? _ ("on mains (AC)") : _ ("on battery"));
  if (st->watch)
    g_print ("\n");
}

/* Prints the state unless it is the one printed last: several properties
 * often change together, and each is notified. */
static void
print_status (NetStatus *st)
{
  g_autoptr (JsonNode) root = status_to_json (st);
  g_autofree char *line = json_to_string (root, FALSE);

  if (g_strcmp0 (line, st->last) == 0)
    return;
  g_free (st->last);
  st->last = g_strdup (line);
  if (!st->json)
    print_text (st);
  else if (st->watch)
    g_print ("%s\n", line);
  else
    fk_ctl_print_json (root);
  fflush (stdout);
}

static void
on_notify (GObject *object, GParamSpec *pspec, NetStatus *st)
{
  print_status (st);
}

static gboolean
on_quit_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static void
net_ready (GObject *source, GAsyncResult *res, gpointer user_data)
{
  NetStatus *st = user_data;

  st->net = fk_devices_open_network_monitor_finish (FK_DEVICES (source), res, NULL);
  if (st->power != NULL)
    g_main_loop_quit (st->loop);
}

static void
power_ready (GObject *source, GAsyncResult *res, gpointer user_data)
{
  NetStatus *st = user_data;

  st->power = fk_devices_open_power_monitor_finish (FK_DEVICES (source), res, NULL);
  if (st->net != NULL)
    g_main_loop_quit (st->loop);
}

int
fk_ctl_net_status (FkCtl *ctl, int argc, char **argv)
{
  NetStatus st = { 0 };
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &st.json, N_ ("Print JSON"), NULL },
    { "watch", 'w', 0, G_OPTION_ARG_NONE, &st.watch,
      N_ ("Keep running and print the state again at each change"), NULL },
    { NULL },
  };
  g_autoptr (FkDevices) devices = NULL;

  if (!fk_ctl_parse (ctl, entries, NULL, &argc, &argv))
    return FK_CTL_EXIT_USAGE;

  devices = fk_devices_new (FK_HW_BACKEND_DEFAULT);
  st.loop = g_main_loop_new (NULL, FALSE);
  /* Both at once: each answers when its daemon did, or was found absent. */
  fk_devices_open_network_monitor_async (devices, NULL, net_ready, &st);
  fk_devices_open_power_monitor_async (devices, NULL, power_ready, &st);
  g_main_loop_run (st.loop);
  print_status (&st);

  if (st.watch)
    {
      guint int_id = g_unix_signal_add (SIGINT, on_quit_signal, st.loop);
      guint term_id = g_unix_signal_add (SIGTERM, on_quit_signal, st.loop);

      g_signal_connect (st.net, "notify", G_CALLBACK (on_notify), &st);
      g_signal_connect (st.power, "notify", G_CALLBACK (on_notify), &st);
      g_main_loop_run (st.loop);
      g_source_remove (int_id);
      g_source_remove (term_id);
      g_signal_handlers_disconnect_by_data (st.net, &st);
      g_signal_handlers_disconnect_by_data (st.power, &st);
    }

  g_free (st.last);
  g_clear_object (&st.net);
  g_clear_object (&st.power);
  g_main_loop_unref (st.loop);
  return FK_CTL_EXIT_OK;
}
