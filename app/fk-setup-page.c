/* fk-setup-page.c: first run: the intake server and the operator's PIN
 *
 * The store creates itself (device keys, Argon2id-wrapped master key) in
 * its worker thread and comes back unlocked; the page then shows the
 * administrator's recovery code once. The PIN is read from the entries
 * (GTK's buffers) and copied only by the store, which wipes its copy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>
#include <sodium.h>

#include "fk-application.h"
#include "fk-settings.h"
#include "fk-setup-page.h"
#include "fk-sync-protocol.h"
#include "fk-uploader.h"
#include "fk-window.h"

struct _FkSetupPage
{
  AdwBin parent_instance;

  GtkStack *steps;
  AdwEntryRow *server_url_row;
  AdwEntryRow *server_key_row;
  AdwPasswordEntryRow *pin_row;
  AdwPasswordEntryRow *pin_again_row;
  GtkLabel *error_label;
  GtkLabel *recovery_label;
  GtkSpinner *spinner;

  GSettings *settings;
  gboolean busy;
  guint8 verify_key[FK_SYNC_KEY_BYTES]; /* the server's receipt key, stored once set up */
};

G_DEFINE_FINAL_TYPE (FkSetupPage, fk_setup_page, ADW_TYPE_BIN)

void
fk_setup_page_bind (FkSetupPage *self, GSettings *settings)
{
  g_autofree char *url = NULL;
  g_autofree char *key = NULL;

  g_set_object (&self->settings, settings);
  if (settings == NULL)
    return;
  url = g_settings_get_string (settings, "server-url");
  key = g_settings_get_string (settings, "server-key");
  gtk_editable_set_text (GTK_EDITABLE (self->server_url_row), url);
  /* server.pub has two lines; one entry line shows them side by side. */
  g_strdelimit (key, "\n", ' ');
  gtk_editable_set_text (GTK_EDITABLE (self->server_key_row), g_strstrip (key));
}

static void
show_error (FkSetupPage *self, const char *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
setup_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkSetupPage) self = user_data;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (GError) error = NULL;
  char *recovery = NULL;

  self->busy = FALSE;
  gtk_spinner_stop (self->spinner);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.create", TRUE);
  store = fk_store_create_finish (result, &recovery, &error);
  if (store != NULL)
    {
      g_autofree char *verify_b64 = fk_sync_key_to_base64 (self->verify_key);

      if (!fk_store_set_setting (store, FK_SYNC_SETTING_SERVER_VERIFY_KEY, verify_b64, &error))
        g_clear_object (&store);
    }
  if (store == NULL)
    {
      g_autofree char *text =
        g_strdup_printf (_ ("The device could not be set up: %s"), error->message);

      show_error (self, text);
    }
  else
    {
      fk_application_set_store (fk_application_get_default (), store);
      fk_session_start_sync (fk_application_get_session (fk_application_get_default ()));
      gtk_label_set_text (self->recovery_label, recovery);
      gtk_stack_set_visible_child_name (self->steps, "recovery");
    }
  if (recovery != NULL)
    sodium_memzero (recovery, strlen (recovery));
  g_free (recovery);
}

static void
create_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkSetupPage *self = FK_SETUP_PAGE (widget);
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->server_url_row));
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_row));
  const char *pin_again = gtk_editable_get_text (GTK_EDITABLE (self->pin_again_row));
  g_autofree char *key_text =
    g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_key_row)));
  g_autofree char *dir = NULL;
  guint8 box_key[FK_SYNC_KEY_BYTES];
  FkStoreInitOptions options = { 0 };

  if (self->busy)
    return;
  g_strdelimit (key_text, " \t", '\n');
  if (!fk_sync_server_pub_parse (key_text, box_key, self->verify_key, NULL))
    {
      show_error (self, _ ("The server key is not right: paste both lines of the server's "
                           "server.pub, or ask the administrator."));
      return;
    }
  if (strlen (pin) < 4 || strspn (pin, "0123456789") != strlen (pin))
    {
      show_error (self, _ ("The PIN must be at least 4 digits."));
      return;
    }
  if (!g_str_equal (pin, pin_again))
    {
      show_error (self, _ ("The two PINs differ. Type the same PIN twice."));
      return;
    }
  if (self->settings != NULL)
    {
      g_autofree char *stored_key = g_strdup (key_text);

      g_settings_set_string (self->settings, "server-url", g_strstrip ((char *) url));
      g_settings_set_string (self->settings, "server-key", stored_key);
    }
  dir = fk_settings_get_data_dir ();
  options.server_public_key = box_key;
  options.pin = pin;
  /* The store copies the PIN before this returns; the entries forget it. */
  fk_store_create_async (dir, &options, NULL, setup_done, g_object_ref (self));
  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->pin_again_row), "");
  show_error (self, NULL);
  self->busy = TRUE;
  gtk_spinner_start (self->spinner);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.create", FALSE);
}

static void
done_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkSetupPage *self = FK_SETUP_PAGE (widget);
  GtkWidget *window = gtk_widget_get_ancestor (widget, FK_TYPE_WINDOW);

  /* The code is shown once; it must not linger in a widget. */
  gtk_label_set_text (self->recovery_label, "");
  if (window != NULL)
    fk_window_unlocked (FK_WINDOW (window));
}

static void
fk_setup_page_dispose (GObject *object)
{
  FkSetupPage *self = FK_SETUP_PAGE (object);

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_SETUP_PAGE);
  G_OBJECT_CLASS (fk_setup_page_parent_class)->dispose (object);
}

static void
fk_setup_page_class_init (FkSetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fk_setup_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-setup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FkSetupPage, steps);
  gtk_widget_class_bind_template_child (widget_class, FkSetupPage, server_url_row);
  gtk_widget_class_bind_template_child (widget_class, FkSetupPage, server_key_row);
  gtk_widget_class_bind_template_child (widget_class, FkSetupPage, pin_row);
  gtk_widget_class_bind_template_child (widget_class, FkSetupPage, pin_again_row);
  gtk_widget_class_bind_template_child (widget_class, FkSetupPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, FkSetupPage, recovery_label);
  gtk_widget_class_bind_template_child (widget_class, FkSetupPage, spinner);

  gtk_widget_class_install_action (widget_class, "setup.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "setup.done", NULL, done_action);
}

static void
fk_setup_page_init (FkSetupPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
