/* fk-application.c: the touch app's process-wide state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-app-resources.h"
#include "fk-application.h"
#include "fk-settings.h"
#include "fk-test-actions.h"
#include "fk-window.h"

struct _FkApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (FkApplication, fk_application, ADW_TYPE_APPLICATION)

FkApplication *
fk_application_new (void)
{
  return g_object_new (FK_TYPE_APPLICATION, "application-id", FK_APPLICATION_ID, "flags",
                       G_APPLICATION_DEFAULT_FLAGS, "resource-base-path", "/vn/fieldkit/app", NULL);
}

/**
 * fk_application_get_settings:
 *
 * Returns: (transfer none) (nullable): the settings, %NULL when no schema
 *   could be found.
 */
GSettings *
fk_application_get_settings (FkApplication *self)
{
  g_return_val_if_fail (FK_IS_APPLICATION (self), NULL);
  return self->settings;
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
quit_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  static const char *developers[] = { "FieldKit", NULL };

  adw_show_about_window (parent, "application-name", _ ("FieldKit"), "application-icon",
                         FK_APPLICATION_ID, "version", FK_VERSION, "comments",
                         _ ("Field kit of the commune's mobile outreach team"), "license-type",
                         GTK_LICENSE_GPL_3_0, "developers", developers, NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
};

static void
fk_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  FkApplication *self = FK_APPLICATION (app);

  G_APPLICATION_CLASS (fk_application_parent_class)->startup (app);

  /* Outdoors, in sun: a light, high-contrast-friendly scheme by default. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);

  if (g_strcmp0 (g_getenv ("FIELDKIT_TEST_ACTIONS"), "1") == 0)
    fk_test_actions_install (GTK_APPLICATION (self));
}

static void
fk_application_dispose (GObject *object)
{
  FkApplication *self = FK_APPLICATION (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (fk_application_parent_class)->dispose (object);
}

static void
fk_application_class_init (FkApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  /* Registered by hand: a static library drops an object nothing names. */
  fk_app_register_resource ();

  object_class->dispose = fk_application_dispose;
  app_class->activate = fk_application_activate;
  app_class->startup = fk_application_startup;
}

static void
fk_application_init (FkApplication *self)
{
  self->settings = fk_settings_new ();
}
