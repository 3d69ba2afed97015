/* fk-unlock-page.c: the operator's PIN pad
 *
 * Big keys for a finger outdoors. The PIN is checked by the store (Argon2id,
 * about a second on the device) in its worker thread; wrong PINs are
 * counted by the store, which also decides the waits and the lock-out this
 * page shows with a countdown. The digits typed live in one fixed buffer,
 * wiped once handed to the store (which keeps its own wiped copy).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>
#include <sodium.h>

#include "fk-application.h"
#include "fk-practice.h"
#include "fk-unlock-page.h"
#include "fk-window.h"

#define PIN_MAX_DIGITS 12

struct _FkUnlockPage
{
  AdwBin parent_instance;

  GtkLabel *dots_label;
  GtkLabel *message_label;
  GtkWidget *keypad;
  GtkSpinner *spinner;
  GtkLabel *practice_pin_label;
  GtkWidget *practice_button;
  GtkWidget *practice_stop_button;

  char pin[PIN_MAX_DIGITS + 1]; /* never moves, so no copy is left behind */
  gsize pin_len;
  GCancellable *cancellable;
  guint countdown_id;
  gboolean busy;
};

G_DEFINE_FINAL_TYPE (FkUnlockPage, fk_unlock_page, ADW_TYPE_BIN)

static void
wipe_pin (FkUnlockPage *self)
{
  sodium_memzero (self->pin, sizeof self->pin);
  self->pin_len = 0;
}

static void
update_dots (FkUnlockPage *self)
{
  g_autoptr (GString) dots = g_string_new (NULL);

  for (gsize i = 0; i < self->pin_len; i++)
    g_string_append (dots, "●");
  gtk_label_set_text (self->dots_label, self->pin_len > 0 ? dots->str : "");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "unlock.submit",
                                 !self->busy && self->pin_len >= 4);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "unlock.erase",
                                 !self->busy && self->pin_len > 0);
}

static void
set_keypad_enabled (FkUnlockPage *self, gboolean enabled)
{
  gtk_widget_set_sensitive (self->keypad, enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "unlock.digit", enabled);
  update_dots (self);
}

static char *
format_wait (gint64 seconds)
{
  if (seconds >= 60)
    return g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", (gulong) ((seconds + 59) / 60)),
      (int) ((seconds + 59) / 60));
  return g_strdup_printf (
    g_dngettext (GETTEXT_PACKAGE, "%d second", "%d seconds", (gulong) seconds), (int) seconds);
}

static gboolean countdown_tick (gpointer user_data);

/* Shows the store's wait, if any, and keeps the keypad off until it ends. */
static gboolean
show_wait (FkUnlockPage *self)
{
  FkStore *store = fk_application_get_store (fk_application_get_default ());
  g_autoptr (GError) error = NULL;
  gint64 wait;
  g_autofree char *text = NULL;
  g_autofree char *when = NULL;

  if (store == NULL)
    return FALSE;
  wait = fk_store_get_pin_wait (store, &error);
  if (wait == G_MAXINT64)
    {
      gtk_label_set_text (self->message_label,
                          _ ("Too many wrong PINs: this device is locked. An administrator must "
                             "reset the PIN with the recovery code."));
      set_keypad_enabled (self, FALSE);
      return TRUE;
    }
  if (wait <= 0)
    return FALSE;
  when = format_wait (wait);
  text = g_strdup_printf (_ ("Too many wrong PINs. Try again in %s."), when);
  gtk_label_set_text (self->message_label, text);
  set_keypad_enabled (self, FALSE);
  if (self->countdown_id == 0)
    self->countdown_id = g_timeout_add_seconds (1, countdown_tick, self);
  return TRUE;
}

static gboolean
countdown_tick (gpointer user_data)
{
  FkUnlockPage *self = user_data;

  if (show_wait (self))
    return G_SOURCE_CONTINUE;
  self->countdown_id = 0;
  gtk_label_set_text (self->message_label, _ ("Enter your PIN."));
  set_keypad_enabled (self, TRUE);
  return G_SOURCE_REMOVE;
}

/**
 * fk_unlock_page_reset:
 *
 * Clears what was typed and shows the store's current wait, if any.
 */
void
fk_unlock_page_reset (FkUnlockPage *self)
{
  FkApplication *app = fk_application_get_default ();
  gboolean practice = fk_application_get_practice (app);
  g_autofree char *pin_text = NULL;

  wipe_pin (self);
  self->busy = FALSE;
  /* In practice the PIN is no secret: the volunteer practises typing it. */
  /* Translators: %s is the practice profile's PIN */
  pin_text = g_strdup_printf (_ ("Practice PIN: %s"), FK_PRACTICE_PIN);
  gtk_label_set_text (self->practice_pin_label, pin_text);
  gtk_widget_set_visible (GTK_WIDGET (self->practice_pin_label), practice);
  gtk_widget_set_visible (self->practice_button, !practice);
  gtk_widget_set_visible (self->practice_stop_button, practice);
  if (fk_application_get_store_problem (app) != NULL)
    {
      gtk_label_set_text (self->message_label, fk_application_get_store_problem (app));
      set_keypad_enabled (self, FALSE);
      return;
    }
  if (!show_wait (self))
    {
      gtk_label_set_text (self->message_label, _ ("Enter your PIN."));
      set_keypad_enabled (self, TRUE);
    }
}

static void
unlock_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkUnlockPage) self = user_data;
  FkStore *store = FK_STORE (source);
  g_autoptr (GError) error = NULL;
  gboolean unlocked = fk_store_unlock_finish (store, result, &error);
  GtkWidget *window;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  gtk_spinner_stop (self->spinner);
  if (unlocked)
    {
      window = gtk_widget_get_ancestor (GTK_WIDGET (self), FK_TYPE_WINDOW);
      fk_unlock_page_reset (self);
      if (window != NULL)
        fk_window_unlocked (FK_WINDOW (window));
      return;
    }
  if (g_error_matches (error, FK_STORE_ERROR, FK_STORE_ERROR_WRONG_PIN))
    {
      g_autoptr (GError) count_error = NULL;
      guint failures = fk_store_get_pin_failures (store, &count_error);
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Wrong PIN (%u wrong try). Enter it again.",
                                      "Wrong PIN (%u wrong tries). Enter it again.", failures),
                         failures);

      gtk_label_set_text (self->message_label, text);
      set_keypad_enabled (self, TRUE);
    }
  else
    {
      gtk_label_set_text (self->message_label, error->message);
      set_keypad_enabled (self, TRUE);
    }
  gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  show_wait (self);
}

static void
submit_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkUnlockPage *self = FK_UNLOCK_PAGE (widget);
  FkStore *store = fk_application_get_store (fk_application_get_default ());

  if (store == NULL || self->busy || self->pin_len < 4)
    return;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  /* The store copies the PIN before this returns. */
  fk_store_unlock_async (store, self->pin, self->cancellable, unlock_done, g_object_ref (self));
  wipe_pin (self);
  self->busy = TRUE;
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
  gtk_label_set_text (self->message_label, _ ("Checking the PIN…"));
  gtk_spinner_start (self->spinner);
  set_keypad_enabled (self, FALSE);
}

static void
digit_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkUnlockPage *self = FK_UNLOCK_PAGE (widget);
  const char *digit = g_variant_get_string (param, NULL);

  if (self->busy || strlen (digit) != 1 || !g_ascii_isdigit (*digit) ||
      self->pin_len >= PIN_MAX_DIGITS)
    return;
  self->pin[self->pin_len++] = *digit;
  self->pin[self->pin_len] = '\0';
  update_dots (self);
}

static void
erase_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkUnlockPage *self = FK_UNLOCK_PAGE (widget);

  if (self->pin_len > 0)
    self->pin[--self->pin_len] = '\0';
  update_dots (self);
}

static gboolean
key_pressed (GtkEventControllerKey *controller, guint keyval, guint keycode, GdkModifierType state,
             gpointer user_data)
{
  FkUnlockPage *self = user_data;
  gunichar c = gdk_keyval_to_unicode (keyval);

  if (c >= '0' && c <= '9')
    {
      char digit[2] = { (char) c, '\0' };

      gtk_widget_activate_action (GTK_WIDGET (self), "unlock.digit", "s", digit);
      return TRUE;
    }
  if (keyval == GDK_KEY_BackSpace)
    return gtk_widget_activate_action (GTK_WIDGET (self), "unlock.erase", NULL);
  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter)
    return gtk_widget_activate_action (GTK_WIDGET (self), "unlock.submit", NULL);
  return FALSE;
}

static void
fk_unlock_page_dispose (GObject *object)
{
  FkUnlockPage *self = FK_UNLOCK_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_UNLOCK_PAGE);
  G_OBJECT_CLASS (fk_unlock_page_parent_class)->dispose (object);
}

static void
fk_unlock_page_finalize (GObject *object)
{
  FkUnlockPage *self = FK_UNLOCK_PAGE (object);

  wipe_pin (self);
  G_OBJECT_CLASS (fk_unlock_page_parent_class)->finalize (object);
}

static void
fk_unlock_page_class_init (FkUnlockPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fk_unlock_page_dispose;
  object_class->finalize = fk_unlock_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-unlock-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FkUnlockPage, dots_label);
  gtk_widget_class_bind_template_child (widget_class, FkUnlockPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, FkUnlockPage, keypad);
  gtk_widget_class_bind_template_child (widget_class, FkUnlockPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, FkUnlockPage, practice_pin_label);
  gtk_widget_class_bind_template_child (widget_class, FkUnlockPage, practice_button);
  gtk_widget_class_bind_template_child (widget_class, FkUnlockPage, practice_stop_button);

  gtk_widget_class_install_action (widget_class, "unlock.digit", "s", digit_action);
  gtk_widget_class_install_action (widget_class, "unlock.erase", NULL, erase_action);
  gtk_widget_class_install_action (widget_class, "unlock.submit", NULL, submit_action);
}

static void
fk_unlock_page_init (FkUnlockPage *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  update_dots (self);
}
