/* fk-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-core.h"
#include "fk-settings.h"

/**
 * fk_settings_new:
 *
 * Returns: (transfer full): the app's settings. Run from the build tree
 *   without an installed schema, the schema compiled into the build tree is
 *   used, so a missing schema never aborts the app.
 */
GSettings *
fk_settings_new (void)
{
  g_autoptr (GSettingsSchema) schema = fk_core_lookup_settings_schema ();

  if (schema == NULL)
    {
      /* Nothing to read the settings from: keep defaults in memory. */
      g_warning ("Settings schema %s is not installed; settings will not be kept",
                 FK_SETTINGS_SCHEMA_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

/**
 * fk_settings_get_data_dir:
 *
 * Returns: (transfer full): where the device store lives:
 *   `FIELDKIT_DATA_DIR`, else `$XDG_DATA_HOME/fieldkit`.
 */
char *
fk_settings_get_data_dir (void)
{
  const char *env = g_getenv ("FIELDKIT_DATA_DIR");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "fieldkit", NULL);
}

static gboolean
megabytes_to_bytes (GValue *value, GVariant *variant, gpointer user_data)
{
  g_value_set_uint64 (value, (guint64) g_variant_get_uint32 (variant) * 1000 * 1000);
  return TRUE;
}

/**
 * fk_settings_bind_sync_policy:
 *
 * The team's policy, as the settings page stores it, drives @scheduler:
 * `sync-wifi-only`, `sync-metered-cap-mb` (megabytes a day, 0 for never on
 * a metered link) and `sync-battery-floor` (percent), now and whenever they
 * change.
 */
void
fk_settings_bind_sync_policy (GSettings *settings, FkSyncScheduler *scheduler)
{
  g_settings_bind (settings, "sync-wifi-only", scheduler, "wifi-only", G_SETTINGS_BIND_GET);
  g_settings_bind_with_mapping (settings, "sync-metered-cap-mb", scheduler, "metered-cap-bytes",
                                G_SETTINGS_BIND_GET, megabytes_to_bytes, NULL, NULL, NULL);
  g_settings_bind (settings, "sync-battery-floor", scheduler, "battery-floor", G_SETTINGS_BIND_GET);
}
