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
