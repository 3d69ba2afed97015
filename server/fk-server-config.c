/* fk-server-config.c: defaults, the key file, and their checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "fk-server-error.h"

FkServerConfig *
fk_server_config_new (void)
{
  FkServerConfig *self = g_new0 (FkServerConfig, 1);

  self->io_threads = 2;
  self->workers = 8;
  self->db_connections = 8;
  self->max_connections = 4096;
  self->max_connections_per_address = 256;
  self->idle_timeout = 30;
  self->header_timeout = 30;
  self->body_timeout = 120;
  self->shutdown_timeout = 20;
  self->rate_limit = 100;
  self->burst = 200;
  self->address_rate_limit = 20;
  self->address_burst = 100;
  self->device_quota_mib = 20 * 1024;
  self->stale_upload_hours = 72;
  self->metrics_allow = g_strsplit ("127.0.0.0/8,::1", ",", -1);
  self->log_requests = TRUE;
  self->office_session_idle_minutes = 30;
  self->office_lockout_failures = 10;
  self->office_lockout_minutes = 15;
  self->office_address_failures = 30;
  self->office_retention_days = 30;
  return self;
}

void
fk_server_config_free (FkServerConfig *self)
{
  if (self == NULL)
    return;
  g_free (self->db_uri);
  g_free (self->keys_dir);
  g_strfreev (self->listen);
  g_free (self->tls_cert);
  g_free (self->tls_key);
  g_free (self->public_url);
  g_strfreev (self->metrics_allow);
  g_free (self);
}

static gboolean
get_string (GKeyFile *kf, const char *key, char **out, GError **error)
{
  g_autoptr (GError) local = NULL;
  char *value = g_key_file_get_string (kf, FK_SERVER_CONFIG_GROUP, key, &local);

  if (value == NULL)
    {
      if (g_error_matches (local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_free (*out);
  *out = value;
  return TRUE;
}

static gboolean
get_list (GKeyFile *kf, const char *key, char ***out, GError **error)
{
  g_autoptr (GError) local = NULL;
  char **value = g_key_file_get_string_list (kf, FK_SERVER_CONFIG_GROUP, key, NULL, &local);

  if (value == NULL)
    {
      if (g_error_matches (local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  for (guint i = 0; value[i] != NULL; i++)
    g_strstrip (value[i]);
  g_strfreev (*out);
  *out = value;
  return TRUE;
}

static gboolean
get_uint (GKeyFile *kf, const char *key, guint *out, GError **error)
{
  g_autoptr (GError) local = NULL;
  guint64 value = g_key_file_get_uint64 (kf, FK_SERVER_CONFIG_GROUP, key, &local);

  if (local != NULL)
    {
      if (g_error_matches (local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (value > G_MAXINT)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _ ("“%s” is out of range"), key);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

static gboolean
get_double (GKeyFile *kf, const char *key, double *out, GError **error)
{
  g_autoptr (GError) local = NULL;
  double value = g_key_file_get_double (kf, FK_SERVER_CONFIG_GROUP, key, &local);

  if (local != NULL)
    {
      if (g_error_matches (local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
get_bool (GKeyFile *kf, const char *key, gboolean *out, GError **error)
{
  g_autoptr (GError) local = NULL;
  gboolean value = g_key_file_get_boolean (kf, FK_SERVER_CONFIG_GROUP, key, &local);

  if (local != NULL)
    {
      if (g_error_matches (local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
load_keys (FkServerConfig *self, GKeyFile *kf, GError **error)
{
  struct
  {
    const char *key;
    guint *value;
  } uints[] = {
    { "io-threads", &self->io_threads },
    { "workers", &self->workers },
    { "db-connections", &self->db_connections },
    { "max-connections", &self->max_connections },
    { "max-connections-per-address", &self->max_connections_per_address },
    { "idle-timeout", &self->idle_timeout },
    { "header-timeout", &self->header_timeout },
    { "body-timeout", &self->body_timeout },
    { "shutdown-timeout", &self->shutdown_timeout },
    { "office-lockout-failures", &self->office_lockout_failures },
    { "office-address-failures", &self->office_address_failures },
  };
  struct
  {
    const char *key;
    double *value;
  } doubles[] = {
    { "rate-limit", &self->rate_limit },
    { "burst", &self->burst },
    { "address-rate-limit", &self->address_rate_limit },
    { "address-burst", &self->address_burst },
    { "stale-upload-hours", &self->stale_upload_hours },
    { "office-session-idle-minutes", &self->office_session_idle_minutes },
    { "office-lockout-minutes", &self->office_lockout_minutes },
    { "office-retention-days", &self->office_retention_days },
  };
  guint quota = (guint) MIN (self->device_quota_mib, G_MAXINT);

  if (!get_string (kf, "database", &self->db_uri, error) ||
      !get_string (kf, "keys", &self->keys_dir, error) ||
      !get_list (kf, "listen", &self->listen, error) ||
      !get_string (kf, "tls-cert", &self->tls_cert, error) ||
      !get_string (kf, "tls-key", &self->tls_key, error) ||
      !get_string (kf, "public-url", &self->public_url, error) ||
      !get_list (kf, "metrics-allow", &self->metrics_allow, error))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (uints); i++)
    if (!get_uint (kf, uints[i].key, uints[i].value, error))
      return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (doubles); i++)
    if (!get_double (kf, doubles[i].key, doubles[i].value, error))
      return FALSE;
  if (!get_uint (kf, "device-quota-mib", &quota, error))
    return FALSE;
  self->device_quota_mib = quota;
  return get_bool (kf, "log-requests", &self->log_requests, error) &&
         get_bool (kf, "practice", &self->practice, error) &&
         get_bool (kf, "office-secure-cookie", &self->office_secure_cookie, error);
}

gboolean
fk_server_config_load (FkServerConfig *self, const char *path, gboolean required, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) local = NULL;

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local))
    {
      if (!required && g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_CONFIG,
                   _ ("Cannot read the configuration “%s”: %s"), path, local->message);
      return FALSE;
    }
  if (!load_keys (self, kf, &local))
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_CONFIG,
                   _ ("The configuration “%s” is not valid: %s"), path, local->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_network (const char *text)
{
  g_autoptr (GInetAddressMask) mask = g_inet_address_mask_new_from_string (text, NULL);

  return mask != NULL;
}

gboolean
fk_server_config_check (FkServerConfig *self, GError **error)
{
  if (self->listen == NULL || self->listen[0] == NULL)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_CONFIG,
                   _ ("Give the address to listen on (--listen HOST:PORT or “listen” in the "
                      "configuration)"));
      return FALSE;
    }
  if ((self->tls_cert == NULL) != (self->tls_key == NULL))
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_CONFIG,
                   _ ("Give both --tls-cert and --tls-key, or neither"));
      return FALSE;
    }
  if (self->io_threads == 0 || self->workers == 0 || self->db_connections == 0 ||
      self->max_connections == 0 || self->max_connections_per_address == 0 ||
      self->idle_timeout == 0 || self->header_timeout == 0 || self->body_timeout == 0 ||
      self->io_threads > 64 || self->workers > 256 || self->db_connections > 256)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_CONFIG,
                   _ ("Threads, connections and timeouts must be at least 1 (threads at most "
                      "64, workers and database connections at most 256)"));
      return FALSE;
    }
  if (self->office_session_idle_minutes <= 0 || self->office_lockout_minutes <= 0 ||
      self->office_lockout_failures == 0 || self->office_address_failures == 0)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_CONFIG,
                   _ ("The office's session time, lockout time and failure counts must be above "
                      "0"));
      return FALSE;
    }
  if (self->rate_limit < 0 || self->burst < 0 || self->address_rate_limit < 0 ||
      self->address_burst < 0 || self->stale_upload_hours < 0 || self->office_retention_days < 0)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_CONFIG,
                   _ ("Rate limits and ages cannot be negative"));
      return FALSE;
    }
  for (guint i = 0; self->metrics_allow != NULL && self->metrics_allow[i] != NULL; i++)
    if (!is_network (self->metrics_allow[i]))
      {
        g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_CONFIG,
                     _ ("“%s” in metrics-allow is not an address or network such as "
                        "10.0.0.0/8"),
                     self->metrics_allow[i]);
        return FALSE;
      }
  return TRUE;
}
