/* main.c: the FieldKit touch app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-application.h"
#include "fk-core.h"
#include "fk-settings.h"

/* Drawing: GTK's cairo renderer, with OpenGL left unloaded. The screens are
 * forms and one camera preview, which the CPU draws at 800×480 with ease,
 * while loading OpenGL costs about 60 MB of memory before the first frame:
 * Debian's Mesa drivers are one library linked to LLVM. A device whose GPU
 * is worth that sets GSK_RENDERER=gl (or any GDK_DEBUG) in its environment,
 * and this choice stays out of the way. */
static void
choose_renderer (void)
{
  const char *renderer = g_getenv ("GSK_RENDERER");

  if (g_getenv ("GDK_DEBUG") == NULL && (renderer == NULL || g_str_equal (renderer, "cairo")))
    {
      g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
    }
}

#ifdef FK_TEST_HOOKS
#include "fk-test-actions.h"

/* Only in a build configured with -Dtest_hooks=true, and then only when
 * the UI tests ask: after the app's own start-up. */
static void
install_test_actions (GApplication *app, gpointer user_data)
{
  if (g_strcmp0 (g_getenv ("FIELDKIT_TEST_ACTIONS"), "1") == 0)
    fk_test_actions_install (GTK_APPLICATION (app));
}
#endif

int
main (int argc, char **argv)
{
  g_autoptr (FkApplication) app = NULL;
  g_autoptr (GSettings) settings = fk_settings_new ();
  g_autofree char *language =
    settings != NULL ? g_settings_get_string (settings, "language") : NULL;

  /* The language setting takes effect here, at start; FIELDKIT_LANG wins. */
  fk_i18n_init (language);
  choose_renderer ();
  app = fk_application_new ();
#ifdef FK_TEST_HOOKS
  g_signal_connect (app, "startup", G_CALLBACK (install_test_actions), NULL);
#endif
  return g_application_run (G_APPLICATION (app), argc, argv);
}
