/* fk-settings-page.c: server, sync policy, language, hardware, the ID card
 * chips' CSCA trust folder, retention, the speed of reading aloud, the
 * receipt printer; the device's
 * key (as `fieldkit-ctl device-key` prints it) in text and as a QR code,
 * for the office to enroll the device from
 *
 * Every row is bound to GSettings: a change is kept at once, nothing to save.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-application.h"
#include "fk-qr-texture.h"
#include "fk-read-aloud.h"
#include "fk-settings-page.h"
#include "fk-window.h"

struct _FkSettingsPage
{
  AdwBin parent_instance;

  AdwEntryRow *server_row;
  GtkSwitch *wifi_only_switch;
  GtkSpinButton *metered_cap_spin;
  GtkSpinButton *battery_floor_spin;
  AdwComboRow *language_row;
  GtkSwitch *high_contrast_switch;
  AdwComboRow *hardware_row;
  AdwEntryRow *csca_row;
  GtkSpinButton *retention_spin;
  GtkSpinButton *autolock_spin;
  AdwComboRow *speech_speed_row;
  AdwEntryRow *printer_row;
  AdwComboRow *paper_row;
  GtkSwitch *second_copy_switch;
  GtkSwitch *tour_switch;
  GtkLabel *device_key_label;
  GtkPicture *device_key_qr;
  GtkWidget *practice_group;
  GtkWidget *practice_start_button;
  GtkWidget *practice_stop_button;

  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (FkSettingsPage, fk_settings_page, ADW_TYPE_BIN)

/* Combo rows list choices in the order of these arrays. */
static const char *const languages[] = { "vi", "en", NULL };
static const char *const hardware[] = { "real", "sim", NULL };
static const char *const papers[] = { "58mm", "80mm", "a5", "a4", NULL };
static const char *const speech_speeds[] = { "slow", "normal", "fast", NULL };

static gboolean
nick_to_index (GValue *value, GVariant *variant, gpointer user_data)
{
  const char *const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    if (g_str_equal (nicks[i], nick))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
index_to_nick (const GValue *value, const GVariantType *type, gpointer user_data)
{
  const char *const *nicks = user_data;
  guint i = g_value_get_uint (value);

  return i < g_strv_length ((char **) nicks) ? g_variant_new_string (nicks[i]) : NULL;
}

static gboolean
uint_to_double (GValue *value, GVariant *variant, gpointer user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant));
  return TRUE;
}

static GVariant *
double_to_uint (const GValue *value, const GVariantType *type, gpointer user_data)
{
  return g_variant_new_uint32 ((guint32) CLAMP (g_value_get_double (value), 0, G_MAXUINT32));
}

static void
bind_uint (GSettings *settings, const char *key, GtkSpinButton *spin)
{
  g_settings_bind_with_mapping (settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT,
                                uint_to_double, double_to_uint, NULL, NULL);
}

static void
language_changed (GSettings *settings, const char *key, FkSettingsPage *self)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), FK_TYPE_WINDOW);

  /* gettext reads the language once, at start. */
  if (window != NULL)
    fk_window_toast (FK_WINDOW (window), _ ("The new language is used from the next start"));
}

/* The store may be made while the app runs (first start): read the key
 * each time the page is shown. */
static void
show_device_key (GtkWidget *widget, gpointer user_data)
{
  FkSettingsPage *self = FK_SETTINGS_PAGE (widget);
  FkStore *store = fk_application_get_store (fk_application_get_default ());
  FkDeviceKey *device_key = store != NULL ? fk_store_get_device_key (store) : NULL;
  g_autofree char *key =
    device_key != NULL ? fk_device_key_get_public_key_base64 (device_key) : NULL;
  g_autoptr (GdkTexture) qr = key != NULL ? fk_qr_texture_new (key, 4) : NULL;

  gtk_label_set_text (self->device_key_label,
                      key != NULL ? key : _ ("The device is not set up yet: it has no key."));
  gtk_picture_set_paintable (self->device_key_qr, GDK_PAINTABLE (qr));
  gtk_widget_set_visible (GTK_WIDGET (self->device_key_qr), qr != NULL);
}

/**
 * fk_settings_page_bind:
 * @settings: (nullable): the app's settings; %NULL leaves the page insensitive
 */
void
fk_settings_page_bind (FkSettingsPage *self, GSettings *settings)
{
  g_return_if_fail (FK_IS_SETTINGS_PAGE (self));

  if (settings == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
      return;
    }
  g_set_object (&self->settings, settings);
  g_settings_bind (settings, "server-url", self->server_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "csca-folder", self->csca_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "high-contrast", self->high_contrast_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "sync-wifi-only", self->wifi_only_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  bind_uint (settings, "sync-metered-cap-mb", self->metered_cap_spin);
  bind_uint (settings, "sync-battery-floor", self->battery_floor_spin);
  bind_uint (settings, "retention-days", self->retention_spin);
  bind_uint (settings, "autolock-minutes", self->autolock_spin);
  g_settings_bind_with_mapping (settings, "language", self->language_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, nick_to_index, index_to_nick,
                                (gpointer) languages, NULL);
  g_settings_bind_with_mapping (settings, "hardware", self->hardware_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, nick_to_index, index_to_nick,
                                (gpointer) hardware, NULL);
  g_settings_bind_with_mapping (settings, FK_READ_ALOUD_SPEED_KEY, self->speech_speed_row,
                                "selected", G_SETTINGS_BIND_DEFAULT, nick_to_index, index_to_nick,
                                (gpointer) speech_speeds, NULL);
  g_settings_bind (settings, "printer", self->printer_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "receipt-paper", self->paper_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, nick_to_index, index_to_nick,
                                (gpointer) papers, NULL);
  g_settings_bind (settings, "receipt-second-copy", self->second_copy_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  /* On: the tour is still to be seen. */
  g_settings_bind (settings, "tour-seen", self->tour_switch, "active",
                   G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_INVERT_BOOLEAN);
  g_signal_connect_object (settings, "changed::language", G_CALLBACK (language_changed), self, 0);
}

/* In practice only the way back is offered: the device's settings belong
 * to the real profile and stay as they are. */
static void
practice_changed (FkSettingsPage *self)
{
  FkApplication *app = fk_application_get_default ();
  gboolean practice = app != NULL && fk_application_get_practice (app);
  GtkWidget *parent = gtk_widget_get_parent (self->practice_group);

  gtk_widget_set_visible (self->practice_start_button, !practice);
  gtk_widget_set_visible (self->practice_stop_button, practice);
  for (GtkWidget *group = gtk_widget_get_first_child (parent); group != NULL;
       group = gtk_widget_get_next_sibling (group))
    if (group != self->practice_group)
      gtk_widget_set_sensitive (group, !practice);
}

static void
fk_settings_page_dispose (GObject *object)
{
  FkSettingsPage *self = FK_SETTINGS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_SETTINGS_PAGE);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (fk_settings_page_parent_class)->dispose (object);
}

static void
fk_settings_page_class_init (FkSettingsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fk_settings_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-settings-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FkSettingsPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, FkSettingsPage, wifi_only_switch);
  gtk_widget_class_bind_template_child (widget_class, FkSettingsPage, metered_cap_spin);
  gtk_widget_class_bind_template_child (widget_class, FkSettingsPage, battery_floor_spin);
  gtk_widget_class_bind_template_child (widget_class, FkSettingsPage, language_row);
  gtk_widget_class_bind_template_child (widget_class, FkSettingsPage, high_contrast_switch);
  gtk_widget_class_bind_template_child (widget_class, FkSettingsPage, hardware_row);
  gtk_widget_class_bind_template_child (widget_class, FkSettingsPage, csca_row);
  gtk_widget_class_bind_template_child (widget_class, FkSettingsPage, retention_spin);
  gtk_widget_class_bind_template_child (widget_class, FkSettingsPage, autolock_spin);
  gtk_widget_class_bind_template_child (widget_class, FkSettingsPage, speech_speed_row);
  gtk_widget_class_bind_template_child (widget_class, FkSettingsPage, printer_row);
  gtk_widget_class_bind_template_child (widget_class, FkSettingsPage, paper_row);
  gtk_widget_class_bind_template_child (widget_class, FkSettingsPage, second_copy_switch);
  gtk_widget_class_bind_template_child (widget_class, FkSettingsPage, tour_switch);
  gtk_widget_class_bind_template_child (widget_class, FkSettingsPage, device_key_label);
  gtk_widget_class_bind_template_child (widget_class, FkSettingsPage, device_key_qr);
  gtk_widget_class_bind_template_child (widget_class, FkSettingsPage, practice_group);
  gtk_widget_class_bind_template_child (widget_class, FkSettingsPage, practice_start_button);
  gtk_widget_class_bind_template_child (widget_class, FkSettingsPage, practice_stop_button);
}

static void
fk_settings_page_init (FkSettingsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "map", G_CALLBACK (show_device_key), NULL);
  if (fk_application_get_default () != NULL)
    g_signal_connect_object (fk_application_get_default (), "notify::practice",
                             G_CALLBACK (practice_changed), self, G_CONNECT_SWAPPED);
  practice_changed (self);
}
