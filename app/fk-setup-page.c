/* fk-setup-page.c: first run: the intake server and the operator's PIN
 *
 * The server comes from its enrollment code, read by the camera (the
 * officer sees the server and commune the device will join before setting
 * the PIN; the store is then made and enrolled, or nothing is kept), or by
 * hand: its address and server.pub, the device key given to the server
 * apart.
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

#include "fk-admin-units.h"
#include "fk-application.h"
#include "fk-camera-feed.h"
#include "fk-enroll.h"
#include "fk-qr-scanner.h"
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
  AdwActionRow *joining_row;
  GtkPicture *scan_preview;
  GtkLabel *scan_status;

  GSettings *settings;
  FkCameraFeed *feed;
  FkCamera *camera; /* the feed's, while it runs */
  FkQrScanner *scanner;
  FkEnrollCode *code; /* scanned, not used yet */
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
set_manual_visible (FkSetupPage *self, gboolean visible)
{
  gtk_widget_set_visible (GTK_WIDGET (self->server_url_row), visible);
  gtk_widget_set_visible (GTK_WIDGET (self->server_key_row), visible);
  gtk_widget_set_visible (GTK_WIDGET (self->joining_row), !visible);
}

static char *
commune_label (const char *code)
{
  FkAdminUnits *units = fk_admin_units_get_default (NULL);
  const FkAdminUnit *unit = units != NULL ? fk_admin_units_lookup (units, code) : NULL;
  g_autofree char *name = unit != NULL ? fk_admin_unit_dup_full_name (unit) : NULL;

  return name != NULL ? g_strdup_printf ("%s (%s)", name, code) : g_strdup (code);
}

/* What the officer checks before the PIN: which server, which commune,
 * which name, and whether the link is encrypted. */
static void
show_code (FkSetupPage *self)
{
  g_autofree char *commune = commune_label (self->code->commune);
  g_autofree char *title = g_strdup_printf (_ ("Join %s"), commune);
  g_autoptr (GDateTime) expires = g_date_time_new_from_unix_local (self->code->expires);
  g_autofree char *until = expires != NULL ? g_date_time_format (expires, "%Y-%m-%d %H:%M") : NULL;
  g_autofree char *warning = NULL;
  g_autofree char *subtitle = NULL;

  fk_enroll_code_check_transport (self->code, FALSE, &warning, NULL);
  /* The expiry as the code says it: the server decides, the officer sees
   * whether to ask for a new code before setting the PIN. */
  subtitle = g_strdup_printf (_ ("Server: %s\nThis device: %s\nValid until %s%s%s"),
                              self->code->url, self->code->name, until != NULL ? until : "?",
                              warning != NULL ? "\n" : "", warning != NULL ? warning : "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->joining_row), title);
  adw_action_row_set_subtitle (self->joining_row, subtitle);
  set_manual_visible (self, FALSE);
}

static void
stop_scan (FkSetupPage *self)
{
  if (self->camera == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->camera, self);
  self->camera = NULL;
  fk_camera_feed_stop (self->feed);
}

static void
set_scan_status (FkSetupPage *self, const char *text, gboolean error)
{
  gtk_label_set_text (self->scan_status, text);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->scan_status), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->scan_status), "error");
}

static void
on_luma_frame (FkCamera *camera, FkGrayImage *image, gpointer user_data)
{
  FkSetupPage *self = user_data;
  g_autoptr (FkQrResult) result = fk_qr_scanner_scan (self->scanner, image, FK_QR_MODE_LIVE);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  FkEnrollCode *code;
  gsize len = 0;
  const char *data;

  if (result == NULL)
    return;
  data = g_bytes_get_data (result->payload, &len);
  text = g_strndup (data, len);
  code = fk_enroll_code_parse (text, &error);
  /* A code that starts like ours but fails its signature was changed or
   * cut: say so, not that it is some other QR code. */
  if (code == NULL && g_str_has_prefix (text, FK_ENROLL_CODE_PREFIX))
    {
      set_scan_status (self, error->message, TRUE);
      return;
    }
  if (code == NULL)
    {
      set_scan_status (self,
                       _ ("This QR code is not a FieldKit enrollment code. Show the code from the "
                          "commune office's Devices page."),
                       TRUE);
      return;
    }
  /* Refused before the PIN is asked: plain HTTP to another machine that
   * the administrator did not allow. */
  if (!fk_enroll_code_check_transport (code, FALSE, NULL, &error))
    {
      fk_enroll_code_free (code);
      set_scan_status (self, error->message, TRUE);
      return;
    }
  gdk_display_beep (gtk_widget_get_display (GTK_WIDGET (self)));
  stop_scan (self);
  fk_enroll_code_free (self->code);
  self->code = code;
  show_code (self);
  show_error (self, NULL);
  gtk_stack_set_visible_child_name (self->steps, "form");
}

static void
on_feed_problem (FkSetupPage *self, GParamSpec *pspec, FkCameraFeed *feed)
{
  if (fk_camera_feed_get_problem (feed) != NULL)
    set_scan_status (self, fk_camera_feed_get_problem (feed), TRUE);
}

static void
scan_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkSetupPage *self = FK_SETUP_PAGE (widget);

  if (self->busy)
    return;
  set_scan_status (
    self, _ ("Hold the enrollment code the commune office shows inside the picture."), FALSE);
  gtk_stack_set_visible_child_name (self->steps, "scan");
  if (self->camera != NULL || !fk_camera_feed_start (self->feed))
    return;
  self->camera = fk_camera_feed_get_camera (self->feed);
  g_signal_connect (self->camera, "luma-frame", G_CALLBACK (on_luma_frame), self);
}

static void
cancel_scan_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkSetupPage *self = FK_SETUP_PAGE (widget);

  stop_scan (self);
  gtk_stack_set_visible_child_name (self->steps, "form");
}

static void
forget_code_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkSetupPage *self = FK_SETUP_PAGE (widget);

  if (self->busy)
    return;
  g_clear_pointer (&self->code, fk_enroll_code_free);
  set_manual_visible (self, TRUE);
}

static void
finish_setup (FkSetupPage *self, FkStore *store, const char *recovery)
{
  fk_application_set_store (fk_application_get_default (), store);
  fk_session_start_sync (fk_application_get_session (fk_application_get_default ()));
  gtk_label_set_text (self->recovery_label, recovery);
  gtk_stack_set_visible_child_name (self->steps, "recovery");
}

static void
set_busy (FkSetupPage *self, gboolean busy)
{
  self->busy = busy;
  if (busy)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.create", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.scan", !busy);
}

static void
enroll_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkSetupPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkEnrollAnswer) answer = NULL;
  g_autoptr (FkStore) store = NULL;
  char *recovery = NULL;

  set_busy (self, FALSE);
  store = fk_enroll_new_device_finish (result, &recovery, &answer, &error);
  if (store == NULL)
    {
      g_autofree char *text =
        g_strdup_printf (_ ("The device could not join the server: %s"), error->message);

      show_error (self, text);
      return;
    }
  if (self->settings != NULL && self->code != NULL)
    {
      g_autofree char *pub =
        fk_sync_server_pub_format (self->code->box_key, self->code->verify_key);

      g_settings_set_string (self->settings, "server-url", self->code->url);
      g_settings_set_string (self->settings, "server-key", g_strstrip (pub));
    }
  g_clear_pointer (&self->code, fk_enroll_code_free);
  finish_setup (self, store, recovery);
  sodium_memzero (recovery, strlen (recovery));
  g_free (recovery);
}

static void
setup_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkSetupPage) self = user_data;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (GError) error = NULL;
  char *recovery = NULL;

  set_busy (self, FALSE);
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
    finish_setup (self, store, recovery);
  if (recovery != NULL)
    sodium_memzero (recovery, strlen (recovery));
  g_free (recovery);
}

/* With a scanned code: the store is made and enrolled in a worker. */
static gboolean
create_enrolled (FkSetupPage *self, const char *pin)
{
  g_autofree char *dir = fk_settings_get_data_dir ();
  g_autoptr (GError) error = NULL;
  FkEnrollOptions options = { 0 };

  if (!fk_enroll_code_check_transport (self->code, FALSE, NULL, &error))
    {
      show_error (self, error->message);
      return FALSE;
    }
  options.pin = pin;
  fk_enroll_new_device_async (dir, self->code, &options, NULL, enroll_done, g_object_ref (self));
  return TRUE;
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
  if (self->code == NULL && !fk_sync_server_pub_parse (key_text, box_key, self->verify_key, NULL))
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
  if (self->code != NULL)
    {
      if (!create_enrolled (self, pin))
        return;
      /* The worker copied the PIN; the entries forget it. */
      gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->pin_again_row), "");
      show_error (self, NULL);
      set_busy (self, TRUE);
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
  set_busy (self, TRUE);
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

  stop_scan (self);
  g_clear_object (&self->settings);
  g_clear_object (&self->feed);
  g_clear_object (&self->scanner);
  g_clear_pointer (&self->code, fk_enroll_code_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_SETUP_PAGE);
  G_OBJECT_CLASS (fk_setup_page_parent_class)->dispose (object);
}

static void
fk_setup_page_unmap (GtkWidget *widget)
{
  stop_scan (FK_SETUP_PAGE (widget));
  GTK_WIDGET_CLASS (fk_setup_page_parent_class)->unmap (widget);
}

static void
fk_setup_page_class_init (FkSetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->unmap = fk_setup_page_unmap;
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
  gtk_widget_class_bind_template_child (widget_class, FkSetupPage, joining_row);
  gtk_widget_class_bind_template_child (widget_class, FkSetupPage, scan_preview);
  gtk_widget_class_bind_template_child (widget_class, FkSetupPage, scan_status);

  gtk_widget_class_install_action (widget_class, "setup.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "setup.done", NULL, done_action);
  gtk_widget_class_install_action (widget_class, "setup.scan", NULL, scan_action);
  gtk_widget_class_install_action (widget_class, "setup.cancel-scan", NULL, cancel_scan_action);
  gtk_widget_class_install_action (widget_class, "setup.forget-code", NULL, forget_code_action);
}

static void
fk_setup_page_init (FkSetupPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->feed = fk_camera_feed_new (self->scan_preview);
  g_signal_connect_object (self->feed, "notify::problem", G_CALLBACK (on_feed_problem), self,
                           G_CONNECT_SWAPPED);
  self->scanner = fk_qr_scanner_new ();
}
