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
