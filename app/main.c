/* main.c: the FieldKit touch app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-application.h"
#include "fk-core.h"

int
main (int argc, char **argv)
{
  g_autoptr (FkApplication) app = NULL;

  fk_i18n_init (NULL);
  app = fk_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
