/* fk-power-monitor-upower.c: battery and mains as UPower sees them
 *
 * Two proxies on the system bus: the daemon (OnBattery) and its
 * DisplayDevice (the battery summary the desktop shows). GDBusProxy follows
 * the daemon's name, so UPower may come and go; without it the device
 * counts as on AC with no battery level.
 *
 * A GInitable and GAsyncInitable: its first state is known once init has
 * finished (UPower reached or found absent, which is no error). Get one
 * from the device factory (fk-devices.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <math.h>

#include "fk-power-monitor-upower.h"

#define UPOWER_NAME         "org.freedesktop.UPower"
#define UPOWER_PATH         "/org/freedesktop/UPower"
#define UPOWER_DISPLAY_PATH "/org/freedesktop/UPower/devices/DisplayDevice"
#define UPOWER_DEVICE_IFACE "org.freedesktop.UPower.Device"

struct _FkPowerMonitorUpower
{
  GObject parent_instance;

  GDBusProxy *daemon;
  GDBusProxy *display;
  guint pending; /* proxies the asynchronous init still waits for */

  int battery_level;
  gboolean on_ac;
};

enum
{
  PROP_0,
  PROP_BATTERY_LEVEL,
  PROP_ON_AC,
  N_PROPS,
};

static GParamSpec *props[N_PROPS];

static void initable_iface_init (GInitableIface *iface);
static void async_initable_iface_init (GAsyncInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FkPowerMonitorUpower, fk_power_monitor_upower, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (FK_TYPE_POWER_MONITOR, NULL)
                                 G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, initable_iface_init)
                                   G_IMPLEMENT_INTERFACE (G_TYPE_ASYNC_INITABLE,
                                                          async_initable_iface_init))

static GVariant *
cached (GDBusProxy *proxy, const char *name, const GVariantType *type)
{
  g_autofree char *owner = NULL;
  GVariant *value;

  if (proxy == NULL)
    return NULL;
  owner = g_dbus_proxy_get_name_owner (proxy);
  if (owner == NULL)
    return NULL;
  value = g_dbus_proxy_get_cached_property (proxy, name);
  if (value != NULL && !g_variant_is_of_type (value, type))
    g_clear_pointer (&value, g_variant_unref);
  return value;
}

static void
update (FkPowerMonitorUpower *self)
{
  g_autoptr (GVariant) on_battery = cached (self->daemon, "OnBattery", G_VARIANT_TYPE_BOOLEAN);
  g_autoptr (GVariant) present = cached (self->display, "IsPresent", G_VARIANT_TYPE_BOOLEAN);
  g_autoptr (GVariant) percentage = cached (self->display, "Percentage", G_VARIANT_TYPE_DOUBLE);
  gboolean on_ac = on_battery == NULL || !g_variant_get_boolean (on_battery);
  int level = -1;

  if (present != NULL && g_variant_get_boolean (present) && percentage != NULL)
    level = (int) CLAMP (lround (g_variant_get_double (percentage)), 0, 100);

  g_object_freeze_notify (G_OBJECT (self));
  if (level != self->battery_level)
    {
      self->battery_level = level;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BATTERY_LEVEL]);
    }
  if (on_ac != self->on_ac)
    {
      self->on_ac = on_ac;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ON_AC]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
on_properties_changed (GDBusProxy *proxy, GVariant *changed, GStrv invalidated,
                       FkPowerMonitorUpower *self)
{
  update (self);
}

static void
on_owner_changed (GObject *object, GParamSpec *pspec, FkPowerMonitorUpower *self)
{
  update (self);
}

static void
take_proxy (FkPowerMonitorUpower *self, GDBusProxy *proxy, const GError *error)
{
  if (proxy == NULL)
    {
      g_debug ("UPower not reachable: %s", error->message);
      return;
    }
  if (g_str_equal (g_dbus_proxy_get_object_path (proxy), UPOWER_PATH))
    self->daemon = proxy;
  else
    self->display = proxy;
  g_signal_connect (proxy, "g-properties-changed", G_CALLBACK (on_properties_changed), self);
  g_signal_connect (proxy, "notify::g-name-owner", G_CALLBACK (on_owner_changed), self);
}

static const struct
{
  const char *path;
  const char *iface;
} upower_objects[] = {
  { UPOWER_PATH, UPOWER_NAME },
  { UPOWER_DISPLAY_PATH, UPOWER_DEVICE_IFACE },
};

static gboolean
fk_power_monitor_upower_initable_init (GInitable *initable, GCancellable *cancellable,
                                       GError **error)
{
  FkPowerMonitorUpower *self = FK_POWER_MONITOR_UPOWER (initable);

  for (gsize i = 0; i < G_N_ELEMENTS (upower_objects); i++)
    {
      g_autoptr (GError) local = NULL;
      GDBusProxy *proxy = g_dbus_proxy_new_for_bus_sync (
        G_BUS_TYPE_SYSTEM, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, NULL, UPOWER_NAME,
        upower_objects[i].path, upower_objects[i].iface, cancellable, &local);

      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      take_proxy (self, proxy, local);
    }
  update (self);
  return TRUE;
}

static void
proxy_ready (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  FkPowerMonitorUpower *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  GDBusProxy *proxy = g_dbus_proxy_new_for_bus_finish (res, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    take_proxy (self, proxy, error);
  update (self);
  /* UPower asked on both objects: the first state is known. */
  if (--self->pending == 0 && !g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
}

static void
fk_power_monitor_upower_init_async (GAsyncInitable *initable, int io_priority,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  FkPowerMonitorUpower *self = FK_POWER_MONITOR_UPOWER (initable);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (self->pending == 0);
  g_task_set_source_tag (task, fk_power_monitor_upower_init_async);
  g_task_set_priority (task, io_priority);
  self->pending = G_N_ELEMENTS (upower_objects);
  for (gsize i = 0; i < G_N_ELEMENTS (upower_objects); i++)
    g_dbus_proxy_new_for_bus (G_BUS_TYPE_SYSTEM, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, NULL,
                              UPOWER_NAME, upower_objects[i].path, upower_objects[i].iface,
                              cancellable, proxy_ready, g_object_ref (task));
}

static void
initable_iface_init (GInitableIface *iface)
{
  iface->init = fk_power_monitor_upower_initable_init;
}

static void
async_initable_iface_init (GAsyncInitableIface *iface)
{
  /* GLib's own init_finish propagates the task's boolean. */
  iface->init_async = fk_power_monitor_upower_init_async;
}

static void
fk_power_monitor_upower_get_property (GObject *object, guint prop_id, GValue *value,
                                      GParamSpec *pspec)
{
  FkPowerMonitorUpower *self = FK_POWER_MONITOR_UPOWER (object);

  switch (prop_id)
    {
      case PROP_BATTERY_LEVEL:
        g_value_set_int (value, self->battery_level);
        break;
      case PROP_ON_AC:
        g_value_set_boolean (value, self->on_ac);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_power_monitor_upower_dispose (GObject *object)
{
  FkPowerMonitorUpower *self = FK_POWER_MONITOR_UPOWER (object);

  if (self->daemon != NULL)
    g_signal_handlers_disconnect_by_data (self->daemon, self);
  if (self->display != NULL)
    g_signal_handlers_disconnect_by_data (self->display, self);
  g_clear_object (&self->daemon);
  g_clear_object (&self->display);
  G_OBJECT_CLASS (fk_power_monitor_upower_parent_class)->dispose (object);
}

static void
fk_power_monitor_upower_class_init (FkPowerMonitorUpowerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = fk_power_monitor_upower_get_property;
  object_class->dispose = fk_power_monitor_upower_dispose;

  g_object_class_override_property (object_class, PROP_BATTERY_LEVEL, "battery-level");
  g_object_class_override_property (object_class, PROP_ON_AC, "on-ac");
  props[PROP_BATTERY_LEVEL] = g_object_class_find_property (object_class, "battery-level");
  props[PROP_ON_AC] = g_object_class_find_property (object_class, "on-ac");
}

static void
fk_power_monitor_upower_init (FkPowerMonitorUpower *self)
{
  self->battery_level = -1;
  self->on_ac = TRUE;
}
