/* fk-network-monitor-nm.c: the network as NetworkManager sees it
 *
 * libnm's NMClient follows NetworkManager's bus name by itself: when the
 * daemon is absent the monitor says "unknown" and keeps listening, and the
 * state comes back when the daemon does. Modem signal comes from
 * ModemManager (the modem device's Udi is its ModemManager object), Wi-Fi
 * signal from the active access point.
 *
 * A GInitable and GAsyncInitable: its first state is known once init has
 * finished (NetworkManager reached or found absent, which is no error).
 * Get one from the device factory (fk-devices.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <NetworkManager.h>

#include "fk-network-monitor-nm.h"

#define MM_BUS_NAME    "org.freedesktop.ModemManager1"
#define MM_MODEM_IFACE "org.freedesktop.ModemManager1.Modem"

struct _FkNetworkMonitorNm
{
  GObject parent_instance;

  NMClient *client;
  gboolean client_done; /* NMClient init finished, well or not */
  GTask *init_task;     /* of the asynchronous init, until the first state is known */
  gboolean init_sync;   /* inside the synchronous init */

  /* what we listen to besides the client */
  NMDevice *device;
  NMAccessPoint *ap;
  char *modem_path;
  GDBusProxy *modem;
  GCancellable *modem_cancellable;

  FkConnectivity connectivity;
  FkLinkType link_type;
  gboolean metered;
  int signal_quality;
};

enum
{
  PROP_0,
  PROP_CONNECTIVITY,
  PROP_LINK_TYPE,
  PROP_METERED,
  PROP_SIGNAL_QUALITY,
  N_PROPS,
};

static GParamSpec *props[N_PROPS];

static void initable_iface_init (GInitableIface *iface);
static void async_initable_iface_init (GAsyncInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FkNetworkMonitorNm, fk_network_monitor_nm, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (FK_TYPE_NETWORK_MONITOR, NULL)
                                 G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, initable_iface_init)
                                   G_IMPLEMENT_INTERFACE (G_TYPE_ASYNC_INITABLE,
                                                          async_initable_iface_init))

static void update (FkNetworkMonitorNm *self);

static void
on_changed (GObject *object, GParamSpec *pspec, FkNetworkMonitorNm *self)
{
  update (self);
}

static void
on_active_changed (NMClient *client, NMActiveConnection *active, FkNetworkMonitorNm *self)
{
  update (self);
}

static void
on_modem_changed (GDBusProxy *proxy, GVariant *changed, GStrv invalidated, FkNetworkMonitorNm *self)
{
  update (self);
}

static void
on_modem_owner (GObject *object, GParamSpec *pspec, FkNetworkMonitorNm *self)
{
  update (self);
}

static FkConnectivity
map_connectivity (NMClient *client)
{
  switch (nm_client_get_connectivity (client))
    {
      case NM_CONNECTIVITY_NONE:
        return FK_CONNECTIVITY_NONE;
      case NM_CONNECTIVITY_PORTAL:
        return FK_CONNECTIVITY_PORTAL;
      case NM_CONNECTIVITY_LIMITED:
        return FK_CONNECTIVITY_LIMITED;
      case NM_CONNECTIVITY_FULL:
        return FK_CONNECTIVITY_FULL;
      default:
        break;
    }

  /* NetworkManager answers "unknown" when its connectivity check is off;
   * its global state still tells whether there is a route to the world. */
  switch (nm_client_get_state (client))
    {
      case NM_STATE_CONNECTED_GLOBAL:
        return FK_CONNECTIVITY_FULL;
      case NM_STATE_CONNECTED_SITE:
      case NM_STATE_CONNECTED_LOCAL:
        return FK_CONNECTIVITY_LIMITED;
      case NM_STATE_UNKNOWN:
        return FK_CONNECTIVITY_UNKNOWN;
      default:
        return FK_CONNECTIVITY_NONE;
    }
}

static FkLinkType
map_link_type (const char *type, NMDevice *device)
{
  if (g_strcmp0 (type, NM_SETTING_WIRELESS_SETTING_NAME) == 0)
    return FK_LINK_WIFI;
  if (g_strcmp0 (type, NM_SETTING_GSM_SETTING_NAME) == 0 ||
      g_strcmp0 (type, NM_SETTING_CDMA_SETTING_NAME) == 0)
    return FK_LINK_MODEM;
  if (g_strcmp0 (type, NM_SETTING_WIRED_SETTING_NAME) == 0)
    return FK_LINK_ETHERNET;

  if (NM_IS_DEVICE_WIFI (device))
    return FK_LINK_WIFI;
  if (NM_IS_DEVICE_MODEM (device))
    return FK_LINK_MODEM;
  if (NM_IS_DEVICE_ETHERNET (device))
    return FK_LINK_ETHERNET;
  return type != NULL || device != NULL ? FK_LINK_OTHER : FK_LINK_NONE;
}

static void
watch_device (FkNetworkMonitorNm *self, NMDevice *device)
{
  if (device == self->device)
    return;
  if (self->device != NULL)
    g_signal_handlers_disconnect_by_data (self->device, self);
  g_set_object (&self->device, device);
  if (device != NULL)
    {
      g_signal_connect (device, "notify::" NM_DEVICE_METERED, G_CALLBACK (on_changed), self);
      if (NM_IS_DEVICE_WIFI (device))
        g_signal_connect (device, "notify::" NM_DEVICE_WIFI_ACTIVE_ACCESS_POINT,
                          G_CALLBACK (on_changed), self);
    }
}

static void
watch_ap (FkNetworkMonitorNm *self, NMAccessPoint *ap)
{
  if (ap == self->ap)
    return;
  if (self->ap != NULL)
    g_signal_handlers_disconnect_by_data (self->ap, self);
  g_set_object (&self->ap, ap);
  if (ap != NULL)
    g_signal_connect (ap, "notify::" NM_ACCESS_POINT_STRENGTH, G_CALLBACK (on_changed), self);
}

static void
clear_modem (FkNetworkMonitorNm *self)
{
  g_cancellable_cancel (self->modem_cancellable);
  g_clear_object (&self->modem_cancellable);
  if (self->modem != NULL)
    g_signal_handlers_disconnect_by_data (self->modem, self);
  g_clear_object (&self->modem);
  g_clear_pointer (&self->modem_path, g_free);
}

static void maybe_finish_init (FkNetworkMonitorNm *self);

static void
take_modem (FkNetworkMonitorNm *self, GDBusProxy *proxy, const GError *error)
{
  if (proxy == NULL)
    {
      g_debug ("ModemManager not reachable: %s", error->message);
      return;
    }
  self->modem = proxy;
  g_signal_connect (proxy, "g-properties-changed", G_CALLBACK (on_modem_changed), self);
  g_signal_connect (proxy, "notify::g-name-owner", G_CALLBACK (on_modem_owner), self);
}

static void
modem_proxy_ready (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (FkNetworkMonitorNm) self = user_data;
  g_autoptr (GError) error = NULL;
  GDBusProxy *proxy = g_dbus_proxy_new_for_bus_finish (res, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->modem_cancellable);
  take_modem (self, proxy, error);
  update (self);
  maybe_finish_init (self);
}

/* During a synchronous init the modem is asked at once, so the first state
 * already holds its signal; afterwards, asynchronously. */
static void
watch_modem (FkNetworkMonitorNm *self, const char *path)
{
  if (g_strcmp0 (path, self->modem_path) == 0)
    return;
  clear_modem (self);
  if (path == NULL || !g_variant_is_object_path (path))
    return;
  self->modem_path = g_strdup (path);
  if (self->init_sync)
    {
      g_autoptr (GError) error = NULL;
      GDBusProxy *proxy =
        g_dbus_proxy_new_for_bus_sync (G_BUS_TYPE_SYSTEM, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                                       NULL, MM_BUS_NAME, path, MM_MODEM_IFACE, NULL, &error);

      take_modem (self, proxy, error);
      return;
    }
  self->modem_cancellable = g_cancellable_new ();
  g_dbus_proxy_new_for_bus (G_BUS_TYPE_SYSTEM, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, NULL,
                            MM_BUS_NAME, path, MM_MODEM_IFACE, self->modem_cancellable,
                            modem_proxy_ready, g_object_ref (self));
}

static int
modem_signal (FkNetworkMonitorNm *self)
{
  g_autoptr (GVariant) value = NULL;
  guint32 quality = 0;
  gboolean recent = FALSE;

  if (self->modem == NULL)
    return -1;
  value = g_dbus_proxy_get_cached_property (self->modem, "SignalQuality");
  if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE ("(ub)")))
    return -1;
  g_variant_get (value, "(ub)", &quality, &recent);
  return (int) MIN (quality, 100);
}

static void
update (FkNetworkMonitorNm *self)
{
  FkConnectivity connectivity = FK_CONNECTIVITY_UNKNOWN;
  FkLinkType link_type = FK_LINK_NONE;
  gboolean metered = FALSE;
  int signal_quality = -1;
  NMDevice *device = NULL;
  NMAccessPoint *ap = NULL;
  const char *modem_path = NULL;

  if (self->client != NULL && nm_client_get_nm_running (self->client))
    {
      NMActiveConnection *primary = nm_client_get_primary_connection (self->client);
      NMMetered nm_metered = nm_client_get_metered (self->client);

      connectivity = map_connectivity (self->client);
      if (primary != NULL)
        {
          const GPtrArray *devices = nm_active_connection_get_devices (primary);

          if (devices != NULL && devices->len > 0)
            device = g_ptr_array_index (devices, 0);
          link_type = map_link_type (nm_active_connection_get_connection_type (primary), device);
        }

      /* The manager's Metered is the primary device's; fall back to the
       * device when the manager does not know. */
      if (nm_metered == NM_METERED_UNKNOWN && device != NULL)
        nm_metered = nm_device_get_metered (device);
      metered = nm_metered == NM_METERED_YES || nm_metered == NM_METERED_GUESS_YES;

      if (link_type == FK_LINK_WIFI && NM_IS_DEVICE_WIFI (device))
        {
          ap = nm_device_wifi_get_active_access_point (NM_DEVICE_WIFI (device));
          if (ap != NULL)
            signal_quality = MIN (nm_access_point_get_strength (ap), 100);
        }
      else if (link_type == FK_LINK_MODEM && device != NULL)
        modem_path = nm_device_get_udi (device);
    }

  watch_device (self, device);
  watch_ap (self, ap);
  watch_modem (self, modem_path);
  if (link_type == FK_LINK_MODEM)
    signal_quality = modem_signal (self);

  g_object_freeze_notify (G_OBJECT (self));
  if (connectivity != self->connectivity)
    {
      self->connectivity = connectivity;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONNECTIVITY]);
    }
  if (link_type != self->link_type)
    {
      self->link_type = link_type;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LINK_TYPE]);
    }
  if (metered != self->metered)
    {
      self->metered = metered;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_METERED]);
    }
  if (signal_quality != self->signal_quality)
    {
      self->signal_quality = signal_quality;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SIGNAL_QUALITY]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* The first state is known once NetworkManager answered (or was found
 * absent) and the modem of a modem link answered too. */
static void
maybe_finish_init (FkNetworkMonitorNm *self)
{
  g_autoptr (GTask) task = NULL;

  if (self->init_task == NULL || !self->client_done || self->modem_cancellable != NULL)
    return;
  task = g_steal_pointer (&self->init_task);
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
}

/* No system bus at all is no error: the monitor stays "unknown". */
static void
take_client (FkNetworkMonitorNm *self, NMClient *client, const GError *error)
{
  const char *watched[] = { NM_CLIENT_NM_RUNNING, NM_CLIENT_CONNECTIVITY, NM_CLIENT_STATE,
                            NM_CLIENT_PRIMARY_CONNECTION, NM_CLIENT_METERED };

  self->client_done = TRUE;
  if (client == NULL)
    {
      g_debug ("NetworkManager client unavailable: %s", error->message);
      update (self);
      return;
    }
  self->client = client;
  for (gsize i = 0; i < G_N_ELEMENTS (watched); i++)
    {
      g_autofree char *signal = g_strconcat ("notify::", watched[i], NULL);

      g_signal_connect (client, signal, G_CALLBACK (on_changed), self);
    }
  /* The primary connection's type and devices arrive with it, but a device
   * swap inside an active connection does not notify the client. */
  g_signal_connect (client, NM_CLIENT_ACTIVE_CONNECTION_ADDED, G_CALLBACK (on_active_changed),
                    self);
  g_signal_connect (client, NM_CLIENT_ACTIVE_CONNECTION_REMOVED, G_CALLBACK (on_active_changed),
                    self);
  update (self);
}

static void
client_ready (GObject *source, GAsyncResult *res, gpointer user_data)
{
  FkNetworkMonitorNm *self = user_data;
  g_autoptr (GError) error = NULL;
  NMClient *client = nm_client_new_finish (res, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autoptr (GTask) task = g_steal_pointer (&self->init_task);

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  take_client (self, client, error);
  maybe_finish_init (self);
}

static gboolean
fk_network_monitor_nm_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  FkNetworkMonitorNm *self = FK_NETWORK_MONITOR_NM (initable);
  g_autoptr (GError) local = NULL;
  NMClient *client;

  g_return_val_if_fail (!self->client_done, FALSE);
  client = nm_client_new (cancellable, &local);
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  self->init_sync = TRUE;
  take_client (self, client, local);
  self->init_sync = FALSE;
  return TRUE;
}

static void
fk_network_monitor_nm_init_async (GAsyncInitable *initable, int io_priority,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  FkNetworkMonitorNm *self = FK_NETWORK_MONITOR_NM (initable);

  g_return_if_fail (!self->client_done && self->init_task == NULL);
  self->init_task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->init_task, fk_network_monitor_nm_init_async);
  g_task_set_priority (self->init_task, io_priority);
  /* The task holds the monitor until NetworkManager has answered. */
  nm_client_new_async (cancellable, client_ready, self);
}

static void
initable_iface_init (GInitableIface *iface)
{
  iface->init = fk_network_monitor_nm_initable_init;
}

static void
async_initable_iface_init (GAsyncInitableIface *iface)
{
  /* GLib's own init_finish propagates the task's boolean. */
  iface->init_async = fk_network_monitor_nm_init_async;
}

static void
fk_network_monitor_nm_get_property (GObject *object, guint prop_id, GValue *value,
                                    GParamSpec *pspec)
{
  FkNetworkMonitorNm *self = FK_NETWORK_MONITOR_NM (object);

  switch (prop_id)
    {
      case PROP_CONNECTIVITY:
        g_value_set_enum (value, self->connectivity);
        break;
      case PROP_LINK_TYPE:
        g_value_set_enum (value, self->link_type);
        break;
      case PROP_METERED:
        g_value_set_boolean (value, self->metered);
        break;
      case PROP_SIGNAL_QUALITY:
        g_value_set_int (value, self->signal_quality);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_network_monitor_nm_dispose (GObject *object)
{
  FkNetworkMonitorNm *self = FK_NETWORK_MONITOR_NM (object);

  clear_modem (self);
  watch_ap (self, NULL);
  watch_device (self, NULL);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (fk_network_monitor_nm_parent_class)->dispose (object);
}

static void
fk_network_monitor_nm_class_init (FkNetworkMonitorNmClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = fk_network_monitor_nm_get_property;
  object_class->dispose = fk_network_monitor_nm_dispose;

  g_object_class_override_property (object_class, PROP_CONNECTIVITY, "connectivity");
  g_object_class_override_property (object_class, PROP_LINK_TYPE, "link-type");
  g_object_class_override_property (object_class, PROP_METERED, "metered");
  g_object_class_override_property (object_class, PROP_SIGNAL_QUALITY, "signal-quality");
  props[PROP_CONNECTIVITY] = g_object_class_find_property (object_class, "connectivity");
  props[PROP_LINK_TYPE] = g_object_class_find_property (object_class, "link-type");
  props[PROP_METERED] = g_object_class_find_property (object_class, "metered");
  props[PROP_SIGNAL_QUALITY] = g_object_class_find_property (object_class, "signal-quality");
}

static void
fk_network_monitor_nm_init (FkNetworkMonitorNm *self)
{
  self->connectivity = FK_CONNECTIVITY_UNKNOWN;
  self->link_type = FK_LINK_NONE;
  self->signal_quality = -1;
}

/**
 * fk_network_monitor_nm_get_nm_running:
 *
 * Returns: whether NetworkManager is there to ask.
 */
gboolean
fk_network_monitor_nm_get_nm_running (FkNetworkMonitorNm *self)
{
  g_return_val_if_fail (FK_IS_NETWORK_MONITOR_NM (self), FALSE);
  return self->client != NULL && nm_client_get_nm_running (self->client);
}
