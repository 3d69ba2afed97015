/* fk-server-ops.c: what operators see and what keeps the server tidy:
 * /healthz, /metrics, the cache of enrolled devices, and the removal of
 * uploads left unfinished
 *
 * The device cache only decides which rate-limit bucket a request takes
 * and what the metrics show; whether a device may do anything is always
 * asked of the database, by the worker that handles its request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"
#include "fk-server-private.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <netinet/in.h>
#include <string.h>

#include "fk-server-service.h"

#define DEVICES_REFRESH_SECONDS 5
#define LAST_SEEN_SAVE_SECONDS  60

typedef enum
{
  JOB_REFRESH_DEVICES,
  JOB_REMOVE_STALE,
  JOB_OFFICE,
} Job;

/* The office's index catches up with commits it missed, and handed-over
 * dossiers lose their photos, at most this long after it is due. */
#define OFFICE_JOB_SECONDS 30

void
fk_server_device_info_free (gpointer data)
{
  FkServerDeviceInfo *info = data;

  g_free (info->name);
  g_free (info);
}

FkServerResponse *
fk_server_healthz (FkServer *self, gboolean head)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = fk_server_db_ping (self->db, &error);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  FkServerResponse *r;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, ok ? "ok" : "unavailable");
  json_builder_set_member_name (b, "database");
  json_builder_add_string_value (b, ok ? "ok" : "unavailable");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, FK_VERSION);
  json_builder_end_object (b);
  r = fk_server_response_json (ok ? 200 : 503, b);
  fk_server_response_add_header (r, "Cache-Control", "no-store");
  if (!ok)
    {
      g_warning ("health check: the database does not answer: %s", error->message);
      fk_server_response_add_header (r, "Retry-After", "5");
    }
  if (head)
    g_clear_pointer (&r->body, g_bytes_unref);
  return r;
}

gboolean
fk_server_metrics_allowed (FkServer *self, const struct sockaddr *addr)
{
  g_autoptr (GSocketAddress) sa = NULL;
  GInetAddress *inet;
  g_autoptr (GInetAddress) v4 = NULL;

  if (addr == NULL)
    return FALSE;
  sa = g_socket_address_new_from_native ((gpointer) addr, addr->sa_family == AF_INET6
                                                            ? sizeof (struct sockaddr_in6)
                                                            : sizeof (struct sockaddr_in));
  if (sa == NULL || !G_IS_INET_SOCKET_ADDRESS (sa))
    return FALSE;
  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (sa));
  /* ::ffff:127.0.0.1 is 127.0.0.1 */
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    {
      const guint8 *bytes = g_inet_address_to_bytes (inet);
      static const guint8 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

      if (memcmp (bytes, mapped, sizeof mapped) == 0)
        inet = v4 = g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);
    }
  for (guint i = 0; i < self->metrics_allow->len; i++)
    if (g_inet_address_mask_matches (self->metrics_allow->pdata[i], inet))
      return TRUE;
  return FALSE;
}

static void
render_devices (FkServer *self, GString *out)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint enrolled = 0, revoked = 0;
  GHashTableIter iter;
  gpointer value;

  g_string_append (out, "# HELP fieldkit_device_last_seen_seconds Seconds since each device "
                        "last made a signed request.\n"
                        "# TYPE fieldkit_device_last_seen_seconds gauge\n");
  g_rw_lock_reader_lock (&self->devices_lock);
  g_hash_table_iter_init (&iter, self->devices);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      FkServerDeviceInfo *info = value;

      if (info->revoked)
        revoked++;
      else
        enrolled++;
      if (info->last_seen > 0 && !info->revoked)
        {
          g_autofree char *name = fk_server_metrics_escape (info->name);

          g_string_append_printf (
            out, "fieldkit_device_last_seen_seconds{device=\"%s\"} %" G_GINT64_FORMAT "\n", name,
            MAX (now - info->last_seen, 0));
        }
    }
  g_rw_lock_reader_unlock (&self->devices_lock);
  g_string_append_printf (out,
                          "# HELP fieldkit_devices Devices known to the server.\n"
                          "# TYPE fieldkit_devices gauge\n"
                          "fieldkit_devices{state=\"enrolled\"} %u\n"
                          "fieldkit_devices{state=\"revoked\"} %u\n",
                          enrolled, revoked);
}

/* Runs on the HTTP thread: counters only, no database. */
FkServerResponse *
fk_server_metrics_page (FkServer *self)
{
  GString *out = g_string_new (NULL);
  guint conns;

  fk_server_metrics_render (self->metrics, out);
  g_mutex_lock (&self->conn_lock);
  conns = self->n_conns;
  g_mutex_unlock (&self->conn_lock);
  g_string_append_printf (out,
                          "# HELP fieldkit_open_connections Client connections open now.\n"
                          "# TYPE fieldkit_open_connections gauge\n"
                          "fieldkit_open_connections %u\n"
                          "# HELP fieldkit_requests_in_flight Requests being read or handled.\n"
                          "# TYPE fieldkit_requests_in_flight gauge\n"
                          "fieldkit_requests_in_flight %u\n",
                          conns, fk_server_in_flight (self));
  render_devices (self, out);
  return fk_server_response_text (200, "text/plain; version=0.0.4; charset=utf-8",
                                  g_string_free (out, FALSE));
}

char *
fk_server_device_active_name (FkServer *self, const char *pubkey)
{
  FkServerDeviceInfo *info;
  char *name = NULL;

  g_rw_lock_reader_lock (&self->devices_lock);
  info = g_hash_table_lookup (self->devices, pubkey);
  if (info != NULL && !info->revoked)
    name = g_strdup (info->name);
  g_rw_lock_reader_unlock (&self->devices_lock);
  return name;
}

/* @name: the device's enrolled name, as the database just told it. */
void
fk_server_device_seen (FkServer *self, const char *pubkey, const char *name)
{
  FkServerDeviceInfo *info;

  g_rw_lock_writer_lock (&self->devices_lock);
  info = g_hash_table_lookup (self->devices, pubkey);
  if (info == NULL)
    {
      /* Enrolled since the last refresh. */
      info = g_new0 (FkServerDeviceInfo, 1);
      info->name = g_strdup (name != NULL ? name : "");
      g_hash_table_insert (self->devices, g_strdup (pubkey), info);
    }
  info->last_seen = g_get_real_time () / G_USEC_PER_SEC;
  g_rw_lock_writer_unlock (&self->devices_lock);
}

/* Reads the devices again (enrolled or revoked meanwhile, perhaps by
 * another process) and saves when each was last seen, at most once a
 * minute per device. */
gboolean
fk_server_devices_refresh (FkServer *self, GError **error)
{
  g_autoptr (GPtrArray) devices = fk_server_db_device_list (self->db, error);
  g_autoptr (GHashTable) fresh = NULL;
  g_autoptr (GPtrArray) to_save = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) when = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (devices == NULL)
    return FALSE;
  fresh = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, fk_server_device_info_free);
  g_rw_lock_writer_lock (&self->devices_lock);
  for (guint i = 0; i < devices->len; i++)
    {
      FkServerDevice *d = devices->pdata[i];
      FkServerDeviceInfo *old = g_hash_table_lookup (self->devices, d->pubkey);
      FkServerDeviceInfo *info = g_new0 (FkServerDeviceInfo, 1);

      info->name = g_strdup (d->name);
      info->revoked = d->revoked;
      info->saved_seen = d->last_seen;
      info->last_seen = MAX (d->last_seen, old != NULL ? old->last_seen : 0);
      if (info->last_seen >= info->saved_seen + LAST_SEEN_SAVE_SECONDS)
        {
          g_ptr_array_add (to_save, g_strdup (d->pubkey));
          g_array_append_val (when, info->last_seen);
          info->saved_seen = info->last_seen;
        }
      g_hash_table_insert (fresh, g_strdup (d->pubkey), info);
    }
  g_hash_table_unref (self->devices);
  self->devices = g_steal_pointer (&fresh);
  g_rw_lock_writer_unlock (&self->devices_lock);
  for (guint i = 0; i < to_save->len; i++)
    if (!fk_server_db_device_seen (self->db, to_save->pdata[i], g_array_index (when, gint64, i),
                                   error))
      return FALSE;
  return TRUE;
}

static void
run_job (gpointer data, gpointer user_data)
{
  FkServer *self = user_data;
  Job job = GPOINTER_TO_INT (data) - 1;
  g_autoptr (GError) error = NULL;

  if (job == JOB_REFRESH_DEVICES)
    {
      if (!fk_server_devices_refresh (self, &error))
        g_warning ("reading the enrolled devices: %s", error->message);
      return;
    }
  if (job == JOB_OFFICE)
    {
      fk_office_maintain (self->office);
      return;
    }
  {
    gint64 before =
      g_get_real_time () / G_USEC_PER_SEC - (gint64) (self->config->stale_upload_hours * 3600);
    guint n = 0;

    if (!fk_server_db_blob_remove_stale (self->db, before, &n, &error))
      g_warning ("removing unfinished uploads: %s", error->message);
    else if (n > 0)
      g_message ("removed %u uploads left unfinished for %.4g hours", n,
                 self->config->stale_upload_hours);
  }
}

static gboolean
queue_refresh (gpointer user_data)
{
  FkServer *self = user_data;

  /* One of each at a time: a slow database does not pile them up. */
  if (g_thread_pool_unprocessed (self->maintenance) == 0)
    g_thread_pool_push (self->maintenance, GINT_TO_POINTER (JOB_REFRESH_DEVICES + 1), NULL);
  return G_SOURCE_CONTINUE;
}

static gboolean
queue_cleanup (gpointer user_data)
{
  FkServer *self = user_data;

  if (g_thread_pool_unprocessed (self->maintenance) == 0)
    g_thread_pool_push (self->maintenance, GINT_TO_POINTER (JOB_REMOVE_STALE + 1), NULL);
  return G_SOURCE_CONTINUE;
}

static gboolean
queue_office (gpointer user_data)
{
  FkServer *self = user_data;

  if (g_thread_pool_unprocessed (self->maintenance) == 0)
    g_thread_pool_push (self->maintenance, GINT_TO_POINTER (JOB_OFFICE + 1), NULL);
  return G_SOURCE_CONTINUE;
}

void
fk_server_maintenance_start (FkServer *self)
{
  double stale_seconds = self->config->stale_upload_hours * 3600;

  self->maintenance = g_thread_pool_new (run_job, self, 1, FALSE, NULL);
  self->refresh_id = g_timeout_add_seconds (DEVICES_REFRESH_SECONDS, queue_refresh, self);
  self->office_id =
    g_timeout_add_seconds ((guint) CLAMP (self->config->office_retention_days > 0
                                            ? self->config->office_retention_days * 86400 / 4
                                            : OFFICE_JOB_SECONDS,
                                          1, OFFICE_JOB_SECONDS),
                           queue_office, self);
  g_thread_pool_push (self->maintenance, GINT_TO_POINTER (JOB_OFFICE + 1), NULL);
  /* Often enough that an upload is removed soon after it turns stale. */
  if (stale_seconds > 0)
    {
      guint every = (guint) CLAMP (stale_seconds / 4, 1, 600);

      self->cleanup_id = g_timeout_add_seconds (every, queue_cleanup, self);
      queue_cleanup (self);
    }
}

void
fk_server_maintenance_stop (FkServer *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->cleanup_id, g_source_remove);
  g_clear_handle_id (&self->office_id, g_source_remove);
  if (self->maintenance != NULL)
    g_thread_pool_free (g_steal_pointer (&self->maintenance), TRUE, TRUE);
}
