/* fk-core-init.c: resources and message catalogs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <locale.h>

#include "fk-core-init.h"
#include "fk-core-resources.h"

/**
 * fk_core_ensure_resources:
 *
 * Registers the data compiled into the core library (province codes,
 * administrative units). Static libraries drop unreferenced objects, so the
 * resource is registered by hand rather than by a constructor.
 */
void
fk_core_ensure_resources (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      fk_core_register_resource ();
      g_once_init_leave (&once, 1);
    }
}

/**
 * fk_core_localedir:
 *
 * Returns: (transfer none): where the message catalogs are: the
 *   `FIELDKIT_LOCALEDIR` override, the build tree when run uninstalled, or
 *   the installed location.
 */
const char *
fk_core_localedir (void)
{
  const char *env = g_getenv ("FIELDKIT_LOCALEDIR");

  if (env != NULL && *env != '\0')
    return env;
  if (g_file_test (FK_BUILD_LOCALEDIR "/vi/LC_MESSAGES/" GETTEXT_PACKAGE ".mo",
                   G_FILE_TEST_IS_REGULAR))
    return FK_BUILD_LOCALEDIR;
  return FK_LOCALEDIR;
}

/**
 * fk_core_lookup_settings_schema:
 *
 * Returns: (transfer full) (nullable): the app's settings schema, installed
 *   or, run from the build tree, compiled there; %NULL where there is none
 *   (a machine with only the command line), where the defaults apply.
 */
GSettingsSchema *
fk_core_lookup_settings_schema (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;
  g_autoptr (GSettingsSchemaSource) build_source = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, FK_SETTINGS_SCHEMA_ID, TRUE);
  if (schema != NULL)
    return g_steal_pointer (&schema);
  build_source =
    g_settings_schema_source_new_from_directory (FK_BUILD_SCHEMADIR, source, FALSE, NULL);
  if (build_source == NULL)
    return NULL;
  return g_settings_schema_source_lookup (build_source, FK_SETTINGS_SCHEMA_ID, FALSE);
}

/**
 * fk_i18n_init:
 * @language: (nullable): "vi", "en", or %NULL for the default
 *
 * Vietnamese is the default language whatever the machine's locale: the
 * officers' tablets are often set up in English. `FIELDKIT_LANG` overrides
 * @language. gettext ignores `LANGUAGE` in the plain C locale, so that
 * locale is replaced by C.UTF-8.
 */
void
fk_i18n_init (const char *language)
{
  const char *env = g_getenv ("FIELDKIT_LANG");
  const char *lc;

  if (env != NULL && *env != '\0')
    language = env;
  if (language == NULL || *language == '\0')
    language = "vi";

  lc = setlocale (LC_ALL, "");
  if (lc == NULL || g_str_equal (lc, "C") || g_str_equal (lc, "POSIX"))
    setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", language, TRUE);

  bindtextdomain (GETTEXT_PACKAGE, fk_core_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/**
 * fk_i18n_init_from_locale:
 *
 * For the command-line programs, which follow the locale like every other
 * command-line tool: `LANG=vi_VN.UTF-8` (or `LANGUAGE=vi` in a UTF-8
 * locale) gives Vietnamese, the C locale English. Where the locale's
 * character set is not UTF-8 (the plain C locale, or a locale named in the
 * environment but not installed) the character set alone becomes UTF-8, so
 * Vietnamese names in the output stay readable; the messages keep the
 * locale's language.
 */
void
fk_i18n_init_from_locale (void)
{
  /* A locale that is not installed leaves the C locale, as for any tool. */
  setlocale (LC_ALL, "");
  if (!g_get_charset (NULL))
    setlocale (LC_CTYPE, "C.UTF-8");

  bindtextdomain (GETTEXT_PACKAGE, fk_core_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
