/* fk-application.c: the touch app's process-wide state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-app-resources.h"
#include "fk-application.h"
#include "fk-window.h"

struct _FkApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (FkApplication, fk_application, ADW_TYPE_APPLICATION)

FkApplication *
fk_application_new (void)
{
  return g_object_new (FK_TYPE_APPLICATION, "application-id", FK_APPLICATION_ID, "flags",
                       G_APPLICATION_DEFAULT_FLAGS, "resource-base-path", "/vn/fieldkit/app", NULL);
}

static void
fk_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (fk_window_new (FK_APPLICATION (app)));
  gtk_window_present (window);
}

static void
fk_application_quit_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "quit", fk_application_quit_action },
};

static void
fk_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (fk_application_parent_class)->startup (app);
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
fk_application_class_init (FkApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  /* Registered by hand: a static library drops an object nothing names. */
  fk_app_register_resource ();

  app_class->activate = fk_application_activate;
  app_class->startup = fk_application_startup;
}

static void
fk_application_init (FkApplication *self)
{
}
