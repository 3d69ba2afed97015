/* main.c: the FieldKit touch app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-application.h"
#include "fk-core.h"
#include "fk-settings.h"

int
main (int argc, char **argv)
{
  g_autoptr (FkApplication) app = NULL;
  g_autoptr (GSettings) settings = fk_settings_new ();
  g_autofree char *language =
    settings != NULL ? g_settings_get_string (settings, "language") : NULL;

  /* The language setting takes effect here, at start; FIELDKIT_LANG wins. */
  fk_i18n_init (language);
  app = fk_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
