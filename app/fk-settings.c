/* fk-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

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
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;
  g_autoptr (GSettingsSchemaSource) build_source = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, FK_SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    {
      build_source =
        g_settings_schema_source_new_from_directory (FK_BUILD_SCHEMADIR, source, FALSE, NULL);
      if (build_source != NULL)
        schema = g_settings_schema_source_lookup (build_source, FK_SETTINGS_SCHEMA_ID, FALSE);
    }
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
 * fk_settings_use_simulated_hardware:
 * @settings: (nullable):
 *
 * `FIELDKIT_HW=sim|real` overrides the `hardware` setting.
 */
gboolean
fk_settings_use_simulated_hardware (GSettings *settings)
{
  const char *env = g_getenv ("FIELDKIT_HW");

  if (env != NULL && *env != '\0')
    return g_str_equal (env, "sim");
  if (settings == NULL)
    return TRUE;
  return g_settings_get_enum (settings, "hardware") == 1;
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
