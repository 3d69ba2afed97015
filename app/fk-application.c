/* fk-application.c: the touch app's process-wide state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-app-resources.h"
#include "fk-application.h"
#include "fk-settings.h"
#include "fk-window.h"

struct _FkApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  FkDevices *devices;
  GtkCssProvider *high_contrast; /* loaded while the setting is on */
  FkStore *store;
  char *store_problem;
  FkSession *session;
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

/**
 * fk_application_get_devices:
 *
 * Returns: (transfer none): the device factory: every camera, fingerprint
 *   reader and monitor of the app comes from it.
 */
FkDevices *
fk_application_get_devices (FkApplication *self)
{
  g_return_val_if_fail (FK_IS_APPLICATION (self), NULL);
  return self->devices;
}

/**
 * fk_application_get_default:
 *
 * Returns: (transfer none): the running app
 */
FkApplication *
fk_application_get_default (void)
{
  return FK_APPLICATION (g_application_get_default ());
}

/**
 * fk_application_get_store:
 *
 * Returns: (transfer none) (nullable): the device store, %NULL before the
 *   first-run set-up or when it could not be opened
 *   (fk_application_get_store_problem() says why).
 */
FkStore *
fk_application_get_store (FkApplication *self)
{
  g_return_val_if_fail (FK_IS_APPLICATION (self), NULL);
  return self->store;
}

void
fk_application_set_store (FkApplication *self, FkStore *store)
{
  g_return_if_fail (FK_IS_APPLICATION (self));
  g_set_object (&self->store, store);
  g_clear_pointer (&self->store_problem, g_free);
  fk_session_set_store (self->session, store);
}

/* Returns: (nullable): why an existing store could not be opened. */
const char *
fk_application_get_store_problem (FkApplication *self)
{
  return self->store_problem;
}

/* Returns: (transfer none) (nullable): the procedure catalog in use
 * (the session's: the store's newest version, see fk_session_get_catalog()) */
FkCatalog *
fk_application_get_catalog (FkApplication *self)
{
  return fk_session_get_catalog (self->session);
}

/**
 * fk_application_get_session:
 *
 * Returns: (transfer none): the working day: the visit, the counters, the
 *   upload scheduler
 */
FkSession *
fk_application_get_session (FkApplication *self)
{
  g_return_val_if_fail (FK_IS_APPLICATION (self), NULL);
  return self->session;
}

static void
open_store (FkApplication *self)
{
  g_autofree char *dir = fk_settings_get_data_dir ();
  g_autoptr (GError) error = NULL;

  self->store = fk_store_open (dir, FK_STORE_OPEN_DEFAULT, &error);
  if (self->store == NULL &&
      !g_error_matches (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_INITIALIZED))
    self->store_problem = g_strdup (error->message);
  fk_session_set_store (self->session, self->store);
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

/* The high-contrast stylesheet, over style.css, while the setting is on;
 * it applies at once, to every window. */
static void
apply_high_contrast (GSettings *settings, const char *key, gpointer user_data)
{
  FkApplication *self = user_data;
  GdkDisplay *display = gdk_display_get_default ();
  gboolean on = settings != NULL && g_settings_get_boolean (settings, "high-contrast");

  if (display == NULL)
    return;
  if (on && self->high_contrast == NULL)
    {
      self->high_contrast = gtk_css_provider_new ();
      gtk_css_provider_load_from_resource (self->high_contrast,
                                           "/vn/fieldkit/app/high-contrast.css");
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (self->high_contrast),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
    }
  else if (!on && self->high_contrast != NULL)
    {
      gtk_style_context_remove_provider_for_display (display,
                                                     GTK_STYLE_PROVIDER (self->high_contrast));
      g_clear_object (&self->high_contrast);
    }
}

static void
fk_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  FkApplication *self = FK_APPLICATION (app);

  G_APPLICATION_CLASS (fk_application_parent_class)->startup (app);

  /* Outdoors, in sun: a light, high-contrast-friendly scheme by default. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  apply_high_contrast (self->settings, NULL, self);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::high-contrast",
                             G_CALLBACK (apply_high_contrast), self, 0);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);

  open_store (self);
  fk_session_start_sync (self->session);
}

static void
fk_application_dispose (GObject *object)
{
  FkApplication *self = FK_APPLICATION (object);

  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_object (&self->devices);
  g_clear_object (&self->high_contrast);
  g_clear_object (&self->store);
  g_clear_pointer (&self->store_problem, g_free);
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
  self->devices = fk_devices_new (FK_HW_BACKEND_DEFAULT);
  self->session = fk_session_new (self->settings, self->devices);
}
