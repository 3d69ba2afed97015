/* fk-application.c: the touch app's process-wide state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-app-resources.h"
#include "fk-application.h"
#include "fk-practice-card.h"
#include "fk-practice-server.h"
#include "fk-practice.h"
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
  gboolean fullscreen; /* --fullscreen: the kiosk under cage (app/kiosk/fieldkit-kiosk-session) */
  gboolean kiosk;      /* --kiosk: the kiosk session, whatever its compositor */

  /* In practice: the store above is the practice one, the real one waits
   * here, locked and untouched. */
  FkStore *real_store; /* nullable: none made yet, or it could not be opened */
  gboolean practice;
  GPtrArray *citizens;               /* FkPracticeCitizen, while practising */
  FkPracticeServer *practice_server; /* its child, while practising */
  guint citizen;                     /* the one whose card is presented */
};

G_DEFINE_FINAL_TYPE (FkApplication, fk_application, ADW_TYPE_APPLICATION)

enum
{
  PROP_0,
  PROP_PRACTICE,
  PROP_PRACTICE_CITIZEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
  return self->practice ? NULL : self->store_problem;
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

/* ---- the practice profile -------------------------------------------- */

/* Whether the app is in its practice profile. */
gboolean
fk_application_get_practice (FkApplication *self)
{
  g_return_val_if_fail (FK_IS_APPLICATION (self), FALSE);
  return self->practice;
}

/* Returns: (nullable): the name of the invented citizen whose card is
 * presented, in practice */
const char *
fk_application_get_practice_citizen (FkApplication *self)
{
  g_return_val_if_fail (FK_IS_APPLICATION (self), NULL);
  if (self->citizens == NULL)
    return NULL;
  return ((FkPracticeCitizen *) g_ptr_array_index (self->citizens, self->citizen))->name;
}

/* The citizen's card before the simulated camera, the print on the
 * simulated reader: files in the practice folder (invented data only). */
static gboolean
present_citizen (FkApplication *self, guint index, GError **error)
{
  const FkPracticeCitizen *citizen = g_ptr_array_index (self->citizens, index);
  g_autofree char *practice = fk_practice_get_dir ();
  g_autofree char *dir = g_build_filename (practice, "cards", NULL);
  g_autofree char *name = g_strdup_printf ("card-%02u.png", index + 1);
  g_autofree char *card = g_build_filename (dir, name, NULL);
  g_autofree char *finger = fk_practice_write_finger (citizen, dir, error);

  if (finger == NULL || !fk_practice_card_write (citizen, card, error))
    return FALSE;
  fk_devices_set_sim_camera (self->devices, card);
  fk_devices_set_sim_finger (self->devices, finger);
  self->citizen = index;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRACTICE_CITIZEN]);
  return TRUE;
}

/**
 * fk_application_next_practice_citizen:
 *
 * The next invented citizen presents a card: the camera opened next shows
 * it, the fingerprint reader takes the citizen's print.
 */
gboolean
fk_application_next_practice_citizen (FkApplication *self, GError **error)
{
  g_return_val_if_fail (FK_IS_APPLICATION (self), FALSE);
  if (self->citizens == NULL)
    return TRUE;
  return present_citizen (self, (self->citizen + 1) % self->citizens->len, error);
}

static void
switch_store (FkApplication *self, FkStore *store, gboolean practice)
{
  g_set_object (&self->store, store);
  self->practice = practice;
  fk_devices_set_practice (self->devices, practice);
  if (!practice)
    {
      fk_devices_set_sim_camera (self->devices, NULL);
      fk_devices_set_sim_finger (self->devices, NULL);
      g_clear_pointer (&self->citizens, g_ptr_array_unref);
    }
  fk_session_set_practice (self->session, practice);
  fk_session_set_store (self->session, store);
  if (!practice)
    fk_session_start_sync (self->session);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRACTICE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRACTICE_CITIZEN]);
}

static void
practice_server_started (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkApplication) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *url =
    fk_practice_server_start_finish (FK_PRACTICE_SERVER (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      self->practice_server != FK_PRACTICE_SERVER (source))
    return;
  if (url == NULL)
    g_warning ("The practice server did not start: %s", error->message);
  fk_session_set_practice_server (self->session, url, error != NULL ? error->message : NULL);
}

/* Practice dossiers are sent to a practice server of the app's own; if it
 * cannot run, they stay on the device and the queue page says why. */
static void
start_practice_server (FkApplication *self, FkStore *store)
{
  g_autoptr (GError) error = NULL;
  guint8 box[FK_SYNC_KEY_BYTES], verify[FK_SYNC_KEY_BYTES];

  if (!fk_practice_server_prepare (box, verify, &error))
    {
      fk_session_set_practice_server (self->session, NULL, error->message);
      return;
    }
  self->practice_server = fk_practice_server_new ();
  fk_practice_server_start_async (self->practice_server, store, practice_server_started,
                                  g_object_ref (self));
}

static void
stop_practice_server (FkApplication *self)
{
  if (self->practice_server == NULL)
    return;
  fk_practice_server_stop (self->practice_server);
  g_clear_object (&self->practice_server);
}

static void
practice_store_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  FkApplication *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = fk_practice_open_store_finish (result, &error);
  g_autoptr (GPtrArray) citizens = NULL;

  if (store != NULL)
    citizens = fk_practice_load_citizens (&error);
  if (citizens == NULL || fk_application_get_practice (self))
    {
      if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }
  self->citizens = g_steal_pointer (&citizens);
  if (!present_citizen (self, 0, &error))
    {
      g_clear_pointer (&self->citizens, g_ptr_array_unref);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The real store is locked and keeps still until practice ends. */
  if (self->store != NULL)
    fk_store_lock (self->store);
  self->real_store = g_steal_pointer (&self->store);
  switch_store (self, store, TRUE);
  start_practice_server (self, store);
  g_task_return_boolean (task, TRUE);
}

/**
 * fk_application_set_practice_async:
 * @practice: %TRUE to enter the practice profile, %FALSE to go back to the
 *   real one
 *
 * Entering practice locks the real store and keeps it aside untouched,
 * opens the practice store (made the first time, locked, its PIN
 * FK_PRACTICE_PIN), reads the invented citizens, presents the first one's
 * card, and makes the camera, the fingerprint and the card reader the
 * simulated ones; nothing is sent while practising. Leaving closes the
 * practice store and brings the real one back, locked.
 */
void
fk_application_set_practice_async (FkApplication *self, gboolean practice,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, fk_application_set_practice_async);
  if (practice == fk_application_get_practice (self))
    g_task_return_boolean (task, TRUE);
  else if (practice)
    fk_practice_open_store_async (cancellable, practice_store_opened, g_steal_pointer (&task));
  else
    {
      g_autoptr (FkStore) real = g_steal_pointer (&self->real_store);

      if (real != NULL)
        fk_store_lock (real);
      stop_practice_server (self);
      switch_store (self, real, FALSE);
      g_task_return_boolean (task, TRUE);
    }
}

gboolean
fk_application_set_practice_finish (FkApplication *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (
    g_task_get_source_tag (G_TASK (result)) == fk_application_set_practice_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
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
  /* A kiosk compositor sizes only what asks: cage 0.1.4 leaves a window at
   * its default size otherwise. */
  if (FK_APPLICATION (app)->fullscreen)
    gtk_window_fullscreen (window);
  if (FK_APPLICATION (app)->kiosk && FK_IS_WINDOW (window))
    fk_window_set_kiosk (FK_WINDOW (window), TRUE);
  gtk_window_present (window);
}

static int
fk_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  FK_APPLICATION (app)->fullscreen = g_variant_dict_contains (options, "fullscreen");
  FK_APPLICATION (app)->kiosk = g_variant_dict_contains (options, "kiosk");
  return -1;
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
fk_application_shutdown (GApplication *app)
{
  /* Its practice server ends with the app. */
  stop_practice_server (FK_APPLICATION (app));
  G_APPLICATION_CLASS (fk_application_parent_class)->shutdown (app);
}

static void
fk_application_dispose (GObject *object)
{
  FkApplication *self = FK_APPLICATION (object);

  stop_practice_server (self);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_object (&self->devices);
  g_clear_object (&self->high_contrast);
  g_clear_object (&self->store);
  g_clear_object (&self->real_store);
  g_clear_pointer (&self->citizens, g_ptr_array_unref);
  g_clear_pointer (&self->store_problem, g_free);
  G_OBJECT_CLASS (fk_application_parent_class)->dispose (object);
}

static void
fk_application_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FkApplication *self = FK_APPLICATION (object);

  switch (prop_id)
    {
      case PROP_PRACTICE:
        g_value_set_boolean (value, fk_application_get_practice (self));
        break;
      case PROP_PRACTICE_CITIZEN:
        g_value_set_string (value, fk_application_get_practice_citizen (self));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_application_class_init (FkApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  /* Registered by hand: a static library drops an object nothing names. */
  fk_app_register_resource ();

  object_class->dispose = fk_application_dispose;
  object_class->get_property = fk_application_get_property;
  properties[PROP_PRACTICE] =
    g_param_spec_boolean ("practice", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRACTICE_CITIZEN] = g_param_spec_string (
    "practice-citizen", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  app_class->activate = fk_application_activate;
  app_class->startup = fk_application_startup;
  app_class->shutdown = fk_application_shutdown;
  app_class->handle_local_options = fk_application_handle_local_options;
}

static void
fk_application_init (FkApplication *self)
{
  self->settings = fk_settings_new ();
  self->devices = fk_devices_new (FK_HW_BACKEND_DEFAULT);
  self->session = fk_session_new (self->settings, self->devices);
  g_application_add_main_option (G_APPLICATION (self), "fullscreen", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_NONE, _ ("Fill the whole screen (for a kiosk)"),
                                 NULL);
  g_application_add_main_option (G_APPLICATION (self), "kiosk", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_NONE,
                                 _ ("Kiosk session: the window has no close button"), NULL);
}
