/* fk-window.c: the main window, sized for a 800×480 touchscreen and up
 *
 * Pages sit in one stack; the header's back button walks the history. Every
 * page is reachable through the `win.navigate` action, which is also how the
 * UI tests drive the app.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-home-page.h"
#include "fk-settings-page.h"
#include "fk-setup-page.h"
#include "fk-unlock-page.h"
#include "fk-visit-page.h"
#include "fk-intake-page.h"
#include "fk-queue-page.h"
#include "fk-vneid-page.h"
#include "fk-reports-page.h"
#include "fk-handover-page.h"
#include "fk-guide-page.h"
#include "fk-window.h"

struct _FkWindow
{
  AdwApplicationWindow parent_instance;

  GtkStack *pages;
  AdwHeaderBar *header_bar;
  GtkWidget *back_button;
  AdwWindowTitle *title;
  GtkWidget *toast;
  GtkLabel *toast_label;
  guint toast_id;
  FkSettingsPage *settings_page;
  FkSetupPage *setup_page;
  FkUnlockPage *unlock_page;
  FkGuidePage *guide_page;
  FkIntakePage *intake_page;
  GtkWidget *lock_button;
  GtkWidget *practice_band;
  GtkWidget *practice_card_button;
  GtkLabel *practice_card_label;
  gboolean switching; /* entering or leaving practice */

  GPtrArray *history; /* page names, the current one last */
  guint autolock_id;
};

G_DEFINE_FINAL_TYPE (FkWindow, fk_window, ADW_TYPE_APPLICATION_WINDOW)

static void update_header (FkWindow *self);

/* The band says practice on every page, and whose card is presented. */
static void
update_practice (FkWindow *self)
{
  FkApplication *app = fk_application_get_default ();
  const char *citizen = fk_application_get_practice_citizen (app);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->practice_band, fk_application_get_practice (app));
  gtk_widget_set_visible (self->practice_card_button, fk_application_get_practice (app));
  /* Translators: the invented citizen whose card is before the camera */
  text = g_strdup_printf (_ ("Card: %s"), citizen != NULL ? citizen : "");
  gtk_label_set_text (self->practice_card_label, text);
}

FkWindow *
fk_window_new (FkApplication *app)
{
  FkWindow *self = g_object_new (FK_TYPE_WINDOW, "application", app, NULL);

  g_signal_connect_object (app, "notify::practice", G_CALLBACK (update_practice), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (app, "notify::practice-citizen", G_CALLBACK (update_practice), self,
                           G_CONNECT_SWAPPED);
  update_practice (self);
  fk_settings_page_bind (self->settings_page, fk_application_get_settings (app));
  fk_setup_page_bind (self->setup_page, fk_application_get_settings (app));
  fk_window_lock (self);
  return self;
}

static gboolean
is_locked (FkWindow *self)
{
  FkStore *store = fk_application_get_store (fk_application_get_default ());

  return store == NULL || !fk_store_is_unlocked (store);
}

static void restart_autolock (FkWindow *self);

static gboolean
autolock_fired (gpointer user_data)
{
  FkWindow *self = user_data;

  self->autolock_id = 0;
  fk_window_lock (self);
  return G_SOURCE_REMOVE;
}

/* Any touch or key restarts the countdown to the automatic lock. */
static void
restart_autolock (FkWindow *self)
{
  GSettings *settings = fk_application_get_settings (fk_application_get_default ());
  guint minutes = settings != NULL ? g_settings_get_uint (settings, "autolock-minutes") : 5;

  g_clear_handle_id (&self->autolock_id, g_source_remove);
  if (!is_locked (self))
    self->autolock_id = g_timeout_add_seconds (minutes * 60, autolock_fired, self);
}

static gboolean
any_event (GtkEventControllerLegacy *controller, GdkEvent *event, gpointer user_data)
{
  GdkEventType type = gdk_event_get_event_type (event);

  if (type == GDK_BUTTON_PRESS || type == GDK_TOUCH_BEGIN || type == GDK_KEY_PRESS ||
      type == GDK_SCROLL)
    restart_autolock (FK_WINDOW (user_data));
  return GDK_EVENT_PROPAGATE;
}

/* A message belongs to the page it was shown on: it goes when the officer
 * leaves that page. No animation, so nothing can fire on a toast that is
 * gone (libadwaita 1.2's AdwToastOverlay crashes when a toast is dismissed
 * while it animates). */
static void
dismiss_toast (FkWindow *self)
{
  g_clear_handle_id (&self->toast_id, g_source_remove);
  gtk_widget_set_visible (self->toast, FALSE);
  gtk_label_set_text (self->toast_label, "");
}

static gboolean
toast_expired (gpointer user_data)
{
  FkWindow *self = user_data;

  self->toast_id = 0;
  dismiss_toast (self);
  return G_SOURCE_REMOVE;
}

static void
show_page (FkWindow *self, const char *page)
{
  dismiss_toast (self);
  g_ptr_array_set_size (self->history, 0);
  g_ptr_array_add (self->history, g_strdup (page));
  gtk_stack_set_visible_child_name (self->pages, page);
}

/**
 * fk_window_lock:
 *
 * Locks the vault and shows the PIN pad (or the first-run set-up when
 * there is no store yet). What a page holds stays, so work resumes after
 * the PIN.
 */
void
fk_window_lock (FkWindow *self)
{
  FkStore *store = fk_application_get_store (fk_application_get_default ());

  g_clear_handle_id (&self->autolock_id, g_source_remove);
  if (store == NULL && fk_application_get_store_problem (fk_application_get_default ()) == NULL)
    show_page (self, "setup");
  else
    {
      if (store != NULL)
        fk_store_lock (store);
      fk_unlock_page_reset (self->unlock_page);
      show_page (self, "unlock");
    }
  update_header (self);
}

static void
visit_restored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkWindow) self = user_data;

  fk_session_restore_visit_finish (FK_SESSION (source), result, NULL);
  show_page (self, "home");
  update_header (self);
  restart_autolock (self);
}

/* Called by the unlock and set-up pages once the vault is open: home
 * shows once the day's visit is back. */
void
fk_window_unlocked (FkWindow *self)
{
  fk_session_restore_visit_async (fk_application_get_session (fk_application_get_default ()), NULL,
                                  visit_restored, g_object_ref (self));
}

static void
update_header (FkWindow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->pages);
  GtkStackPage *page = gtk_stack_get_page (self->pages, child);

  adw_window_title_set_title (self->title, gtk_stack_page_get_title (page));
  gtk_widget_set_visible (self->back_button, self->history->len > 1);
  gtk_widget_set_visible (self->lock_button, !is_locked (self));
}

const char *
fk_window_get_page (FkWindow *self)
{
  g_return_val_if_fail (FK_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->pages);
}

/**
 * fk_window_get_page_title:
 *
 * Returns: (transfer none): the visible page's title, as the header shows it
 */
const char *
fk_window_get_page_title (FkWindow *self)
{
  GtkWidget *child;

  g_return_val_if_fail (FK_IS_WINDOW (self), NULL);
  child = gtk_stack_get_visible_child (self->pages);
  return child != NULL ? gtk_stack_page_get_title (gtk_stack_get_page (self->pages, child)) : "";
}

/**
 * fk_window_navigate:
 * @page: a page name: home, settings, …
 *
 * Shows @page; going to a page already in the history goes back to it, so
 * the back button never loops.
 */
void
fk_window_navigate (FkWindow *self, const char *page)
{
  g_return_if_fail (FK_IS_WINDOW (self));

  if (gtk_stack_get_child_by_name (self->pages, page) == NULL)
    {
      g_warning ("No page named %s", page);
      return;
    }
  /* Behind the PIN nothing but the PIN pad or the set-up is reachable. */
  if (is_locked (self))
    return;
  for (guint i = 0; i < self->history->len; i++)
    if (g_str_equal (g_ptr_array_index (self->history, i), page))
      {
        g_ptr_array_set_size (self->history, i);
        break;
      }
  g_ptr_array_add (self->history, g_strdup (page));
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), page) != 0)
    dismiss_toast (self);
  gtk_stack_set_visible_child_name (self->pages, page);
  update_header (self);
}

/**
 * fk_window_toast:
 *
 * A short message above the current page. It takes its own room between
 * the header and the page, so it never covers a control; it goes after a
 * few seconds, on its close button, or when the page changes.
 */
void
fk_window_toast (FkWindow *self, const char *message)
{
  g_return_if_fail (FK_IS_WINDOW (self));

  g_clear_handle_id (&self->toast_id, g_source_remove);
  gtk_label_set_text (self->toast_label, message);
  gtk_widget_set_visible (self->toast, TRUE);
  self->toast_id = g_timeout_add_seconds (FK_WINDOW_TOAST_SECONDS, toast_expired, self);
}

static void
dismiss_toast_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  dismiss_toast (FK_WINDOW (widget));
}

static void
navigate_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  fk_window_navigate (FK_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
back_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkWindow *self = FK_WINDOW (widget);
  g_autofree char *previous = NULL;

  if (self->history->len < 2)
    return;
  previous = g_strdup (g_ptr_array_index (self->history, self->history->len - 2));
  fk_window_navigate (self, previous);
}

/* The guide on one procedure: from the intake's procedure step. */
static void
show_procedure_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkWindow *self = FK_WINDOW (widget);

  if (is_locked (self) ||
      !fk_guide_page_show (self->guide_page, g_variant_get_string (param, NULL)))
    return;
  fk_window_navigate (self, "guide");
}

/* A new dossier for a procedure: from the guide. */
static void
start_intake_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkWindow *self = FK_WINDOW (widget);
  FkCatalog *catalog = fk_application_get_catalog (fk_application_get_default ());
  FkProcedure *procedure =
    catalog != NULL ? fk_catalog_lookup (catalog, g_variant_get_string (param, NULL)) : NULL;
  g_autofree char *text = NULL;

  if (is_locked (self) || procedure == NULL)
    return;
  if (fk_intake_page_start_for (self->intake_page, fk_procedure_get_code (procedure)))
    /* Translators: %s is the procedure's title */
    text = g_strdup_printf (_ ("New dossier: %s. Start with the citizen's card."),
                            fk_procedure_get_title (procedure));
  else
    text = g_strdup (_ ("A dossier is under way: finish it or discard it first."));
  fk_window_navigate (self, "intake");
  fk_window_toast (self, text);
}

/* The guided tour of an intake, over the intake page: from anywhere behind
 * the PIN (the practice profile's first start asks for it too). */
static void
tour_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkWindow *self = FK_WINDOW (widget);

  if (is_locked (self))
    return;
  fk_window_navigate (self, "intake");
  fk_intake_page_start_tour (self->intake_page);
}

static void
lock_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  fk_window_lock (FK_WINDOW (widget));
}

static void
practice_switched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  self->switching = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.practice-start", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.practice-stop", TRUE);
  if (!fk_application_set_practice_finish (FK_APPLICATION (source), result, &error))
    {
      fk_window_toast (self, error->message);
      return;
    }
  /* Either profile starts at its own PIN. */
  fk_window_lock (self);
}

/* The practice profile, from the unlock page or the settings, and back. */
static void
practice_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkWindow *self = FK_WINDOW (widget);
  gboolean practice = g_str_equal (action_name, "win.practice-start");

  if (self->switching)
    return;
  self->switching = TRUE;
  gtk_widget_action_set_enabled (widget, "win.practice-start", FALSE);
  gtk_widget_action_set_enabled (widget, "win.practice-stop", FALSE);
  fk_application_set_practice_async (fk_application_get_default (), practice, NULL,
                                     practice_switched, g_object_ref (self));
}

static void
next_card_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  g_autoptr (GError) error = NULL;

  if (!fk_application_next_practice_citizen (fk_application_get_default (), &error))
    fk_window_toast (FK_WINDOW (widget), error->message);
}

static void
fk_window_dispose (GObject *object)
{
  g_clear_handle_id (&FK_WINDOW (object)->autolock_id, g_source_remove);
  g_clear_handle_id (&FK_WINDOW (object)->toast_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_WINDOW);
  G_OBJECT_CLASS (fk_window_parent_class)->dispose (object);
}

static void
fk_window_finalize (GObject *object)
{
  FkWindow *self = FK_WINDOW (object);

  g_ptr_array_unref (self->history);
  G_OBJECT_CLASS (fk_window_parent_class)->finalize (object);
}

static void
fk_window_class_init (FkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fk_window_dispose;
  object_class->finalize = fk_window_finalize;

  g_type_ensure (FK_TYPE_HOME_PAGE);
  g_type_ensure (FK_TYPE_SETTINGS_PAGE);
  g_type_ensure (FK_TYPE_HANDOVER_PAGE);
  g_type_ensure (FK_TYPE_REPORTS_PAGE);
  g_type_ensure (FK_TYPE_VNEID_PAGE);
  g_type_ensure (FK_TYPE_QUEUE_PAGE);
  g_type_ensure (FK_TYPE_INTAKE_PAGE);
  g_type_ensure (FK_TYPE_VISIT_PAGE);
  g_type_ensure (FK_TYPE_SETUP_PAGE);
  g_type_ensure (FK_TYPE_UNLOCK_PAGE);
  g_type_ensure (FK_TYPE_GUIDE_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/vn/fieldkit/app/ui/fk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FkWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, FkWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, FkWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, FkWindow, title);
  gtk_widget_class_bind_template_child (widget_class, FkWindow, toast);
  gtk_widget_class_bind_template_child (widget_class, FkWindow, toast_label);
  gtk_widget_class_bind_template_child (widget_class, FkWindow, settings_page);
  gtk_widget_class_bind_template_child (widget_class, FkWindow, setup_page);
  gtk_widget_class_bind_template_child (widget_class, FkWindow, unlock_page);
  gtk_widget_class_bind_template_child (widget_class, FkWindow, lock_button);
  gtk_widget_class_bind_template_child (widget_class, FkWindow, guide_page);
  gtk_widget_class_bind_template_child (widget_class, FkWindow, intake_page);
  gtk_widget_class_bind_template_child (widget_class, FkWindow, practice_band);
  gtk_widget_class_bind_template_child (widget_class, FkWindow, practice_card_button);
  gtk_widget_class_bind_template_child (widget_class, FkWindow, practice_card_label);

  gtk_widget_class_install_action (widget_class, "win.navigate", "s", navigate_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);
  gtk_widget_class_install_action (widget_class, "win.practice-start", NULL, practice_action);
  gtk_widget_class_install_action (widget_class, "win.practice-stop", NULL, practice_action);
  gtk_widget_class_install_action (widget_class, "win.practice-next-card", NULL, next_card_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-toast", NULL, dismiss_toast_action);
  gtk_widget_class_install_action (widget_class, "win.show-procedure", "s", show_procedure_action);
  gtk_widget_class_install_action (widget_class, "win.start-intake", "s", start_intake_action);
  gtk_widget_class_install_action (widget_class, "win.tour", NULL, tour_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.back", NULL);
}

static void
fk_window_init (FkWindow *self)
{
  GtkEventController *events = gtk_event_controller_legacy_new ();

  self->history = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_event_controller_set_propagation_phase (events, GTK_PHASE_CAPTURE);
  g_signal_connect (events, "event", G_CALLBACK (any_event), self);
  gtk_widget_add_controller (GTK_WIDGET (self), events);
  g_ptr_array_add (self->history, g_strdup ("setup"));
}

/* The kiosk session's window has no buttons of its own: closing it would
 * only end the session, which the system starts again. */
void
fk_window_set_kiosk (FkWindow *self, gboolean kiosk)
{
  g_return_if_fail (FK_IS_WINDOW (self));
  adw_header_bar_set_show_start_title_buttons (self->header_bar, !kiosk);
  adw_header_bar_set_show_end_title_buttons (self->header_bar, !kiosk);
}
