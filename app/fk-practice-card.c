/* fk-practice-card.c: an invented citizen's card, as the simulated camera
 * shows it
 *
 * A card-shaped picture: the QR code of the citizen's payload, as the card
 * would carry it (8-bit mode, the bytes as written, so a garbled payload
 * stays garbled), the name beside it and "LUYỆN TẬP" across the top, so a
 * photo of the screen is never mistaken for a card.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <cairo.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include "fk-practice-card.h"

#define CARD_WIDTH  1000
#define CARD_HEIGHT 630
#define MODULE      8
#define QUIET_ZONE  4

static void
draw_text (cairo_t *cr, const char *text, double x, double y, double width, int size_pt,
           gboolean bold)
{
  g_autoptr (PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autoptr (PangoFontDescription) font = pango_font_description_from_string ("Sans");

  pango_font_description_set_size (font, size_pt * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_code (cairo_t *cr, const QRcode *code, double x, double y)
{
  double side = (code->width + 2 * QUIET_ZONE) * MODULE;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, side, side);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int r = 0; r < code->width; r++)
    for (int c = 0; c < code->width; c++)
      if (code->data[r * code->width + c] & 1)
        cairo_rectangle (cr, x + (c + QUIET_ZONE) * MODULE, y + (r + QUIET_ZONE) * MODULE, MODULE,
                         MODULE);
  cairo_fill (cr);
}

/**
 * fk_practice_card_write:
 * @path: the PNG to write
 *
 * Returns: %FALSE with an error when the payload does not fit a QR code or
 *   the file cannot be written
 */
gboolean
fk_practice_card_write (const FkPracticeCitizen *citizen, const char *path, GError **error)
{
  QRcode *code = QRcode_encodeData ((int) strlen (citizen->payload),
                                    (const unsigned char *) citizen->payload, 0, QR_ECLEVEL_M);
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  double side;

  if (code == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _ ("The card of the practice citizen %s is too long for a QR code."),
                   citizen->name);
      return FALSE;
    }
  side = (code->width + 2 * QUIET_ZONE) * MODULE;
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, CARD_WIDTH, CARD_HEIGHT);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 0.55, 0.62, 0.58); /* a table under the card */
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.86, 0.91, 0.95);
  cairo_rectangle (cr, 30, 30, CARD_WIDTH - 60, CARD_HEIGHT - 60);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.75, 0.1, 0.1);
  cairo_rectangle (cr, 30, 30, CARD_WIDTH - 60, 64);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  draw_text (cr, _ ("PRACTICE CARD — INVENTED CITIZEN"), 50, 42, CARD_WIDTH - 100, 22, TRUE);
  draw_code (cr, code, CARD_WIDTH - 50 - side, 110);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.2);
  draw_text (cr, citizen->name, 60, 130, CARD_WIDTH - 140 - side, 26, TRUE);
  QRcode_free (code);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _ ("The practice card cannot be written to %s: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
