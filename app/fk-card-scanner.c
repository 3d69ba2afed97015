/* fk-card-scanner.c: the live camera reading the QR code of a chip ID card
 *
 * A preview with the guide frame the code goes in, a torch button shown
 * only when the camera has a light, and a status line. Every luminance
 * frame goes through the scanner's cheap live pass; the first code that
 * parses as a CCCD stops the camera, beeps, marks the preview green and
 * emits `card-read`. The intake wizard and the result handover both use it.
 *
 * The camera runs between fk_card_scanner_start() and a read, a
 * fk_card_scanner_stop() or the widget leaving the screen; an FkCameraFeed
 * starts it and shows it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-camera-feed.h"
#include "fk-card-scanner.h"
#include "fk-cccd.h"
#include "fk-qr-scanner.h"

struct _FkCardScanner
{
  AdwBin parent_instance;

  GtkPicture *preview;
  GtkToggleButton *torch_button;
  GtkLabel *status_label;

  FkCameraFeed *feed;
  FkCamera *camera; /* the feed's, while it runs */
  FkQrScanner *scanner;
  GBinding *torch_supported_binding;
};

G_DEFINE_FINAL_TYPE (FkCardScanner, fk_card_scanner, ADW_TYPE_BIN)

enum
{
  SIGNAL_CARD_READ,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void
set_status (FkCardScanner *self, const char *text, gboolean error)
{
  gtk_label_set_text (self->status_label, text);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

/**
 * fk_card_scanner_stop:
 *
 * Turns the camera (and its torch) off; the last frame stays on screen.
 */
void
fk_card_scanner_stop (FkCardScanner *self)
{
  g_return_if_fail (FK_IS_CARD_SCANNER (self));

  if (self->camera == NULL)
    return;
  g_clear_pointer (&self->torch_supported_binding, g_binding_unbind);
  g_signal_handlers_disconnect_by_data (self->camera, self);
  self->camera = NULL;
  fk_camera_feed_stop (self->feed);
  gtk_toggle_button_set_active (self->torch_button, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->torch_button), FALSE);
}

static void
on_luma_frame (FkCamera *camera, FkGrayImage *image, gpointer user_data)
{
  FkCardScanner *self = user_data;
  g_autoptr (FkQrResult) result = fk_qr_scanner_scan (self->scanner, image, FK_QR_MODE_LIVE);
  g_autoptr (FkCccdCard) card = NULL;
  const guint8 *data;
  gsize len;

  if (result == NULL)
    return;
  data = g_bytes_get_data (result->payload, &len);
  card = fk_cccd_parse (data, len);
  if (fk_cccd_card_has_problem (card, FK_CCCD_PROBLEM_TOO_FEW_FIELDS) ||
      fk_cccd_card_has_problem (card, FK_CCCD_PROBLEM_NOT_UTF8))
    {
      set_status (self,
                  _ ("This QR code is not from a chip ID card. Show the code on the front of "
                     "the card."),
                  TRUE);
      return;
    }
  /* A beep and a green frame: the officer hears the read without looking. */
  gdk_display_beep (gtk_widget_get_display (GTK_WIDGET (self)));
  gtk_widget_add_css_class (GTK_WIDGET (self->preview), "scan-ok");
  set_status (self, _ ("Card read."), FALSE);
  fk_card_scanner_stop (self);
  g_signal_emit (self, signals[SIGNAL_CARD_READ], 0, card);
}

/* The button shows the light as it is: a refused request springs back. */
static void
on_camera_torch (FkCamera *camera, GParamSpec *pspec, gpointer user_data)
{
  FkCardScanner *self = user_data;

  gtk_toggle_button_set_active (self->torch_button, fk_camera_get_torch (camera));
}

static void
torch_toggled (FkCardScanner *self, GtkToggleButton *button)
{
  gboolean on = gtk_toggle_button_get_active (button);

  if (self->camera == NULL)
    return;
  fk_camera_set_torch (self->camera, on);
  if (fk_camera_get_torch (self->camera) != on)
    gtk_toggle_button_set_active (button, !on);
}

static void
on_feed_problem (FkCardScanner *self, GParamSpec *pspec, FkCameraFeed *feed)
{
  if (fk_camera_feed_get_problem (feed) != NULL)
    set_status (self, fk_camera_feed_get_problem (feed), TRUE);
}

/**
 * fk_card_scanner_start:
 *
 * Starts the camera and the live QR pass, unless they already run. A camera
 * that cannot start is explained in the status line.
 */
void
fk_card_scanner_start (FkCardScanner *self)
{
  g_return_if_fail (FK_IS_CARD_SCANNER (self));

  if (self->camera != NULL || !fk_camera_feed_start (self->feed))
    return;
  self->camera = fk_camera_feed_get_camera (self->feed);
  g_signal_connect (self->camera, "luma-frame", G_CALLBACK (on_luma_frame), self);
  g_signal_connect (self->camera, "notify::torch", G_CALLBACK (on_camera_torch), self);
  /* whether there is a torch is known once the camera runs */
  self->torch_supported_binding = g_object_bind_property (
    self->camera, "torch-supported", self->torch_button, "visible", G_BINDING_SYNC_CREATE);
}

/**
 * fk_card_scanner_reset:
 *
 * Back to the guide message, without the green mark of a read.
 */
void
fk_card_scanner_reset (FkCardScanner *self)
{
  g_return_if_fail (FK_IS_CARD_SCANNER (self));

  gtk_widget_remove_css_class (GTK_WIDGET (self->preview), "scan-ok");
  set_status (self, _ ("Hold the QR code of the card inside the frame."), FALSE);
}

static void
fk_card_scanner_unmap (GtkWidget *widget)
{
  fk_card_scanner_stop (FK_CARD_SCANNER (widget));
  GTK_WIDGET_CLASS (fk_card_scanner_parent_class)->unmap (widget);
}

static void
fk_card_scanner_dispose (GObject *object)
{
  FkCardScanner *self = FK_CARD_SCANNER (object);

  fk_card_scanner_stop (self);
  g_clear_object (&self->feed);
  g_clear_object (&self->scanner);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_CARD_SCANNER);
  G_OBJECT_CLASS (fk_card_scanner_parent_class)->dispose (object);
}

static void
fk_card_scanner_class_init (FkCardScannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fk_card_scanner_dispose;
  widget_class->unmap = fk_card_scanner_unmap;

  /**
   * FkCardScanner::card-read:
   * @card: the parsed card; it may carry warnings and errors to check
   *
   * A chip ID card's code was read; the camera is already off.
   */
  signals[SIGNAL_CARD_READ] =
    g_signal_new ("card-read", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, FK_TYPE_CCCD_CARD);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-card-scanner.ui");
  gtk_widget_class_bind_template_child (widget_class, FkCardScanner, preview);
  gtk_widget_class_bind_template_child (widget_class, FkCardScanner, torch_button);
  gtk_widget_class_bind_template_child (widget_class, FkCardScanner, status_label);
  gtk_widget_class_bind_template_callback (widget_class, torch_toggled);
}

static void
fk_card_scanner_init (FkCardScanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->feed = fk_camera_feed_new (self->preview);
  g_signal_connect_object (self->feed, "notify::problem", G_CALLBACK (on_feed_problem), self,
                           G_CONNECT_SWAPPED);
  self->scanner = fk_qr_scanner_new ();
  fk_card_scanner_reset (self);
}
