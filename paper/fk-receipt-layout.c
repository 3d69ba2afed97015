/* fk-receipt-layout.c: a receipt laid out on a thermal roll or a sheet
 *
 * One drawing serves the PDF file and a print operation's page: text with
 * Pango (DejaVu Sans, whose Vietnamese diacritics stay clear at 8 pt on a
 * 203 dpi thermal head), the QR code as whole modules with a four-module
 * quiet zone. A roll's page is as long as the receipt: the drawing is made
 * once on a recording surface to measure it. Units are points.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <cairo-pdf.h>
#include <math.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include "fk-receipt-private.h"

#define MM(x)         ((x) *72.0 / 25.4)
#define QR_QUIET_ZONE 4
#define FONT_FAMILY   "DejaVu Sans"
#define NUMBER_FAMILY "DejaVu Sans Mono"

typedef struct
{
  double width_mm;  /* the page */
  double height_mm; /* 0: as long as the receipt */
  double margin_mm; /* each side */
  double font_pt;   /* body text */
  double title_pt;  /* the title, one line wide */
  double qr_mm;     /* the QR code's side, quiet zone included */
} PaperSpec;

static const PaperSpec papers[] = {
  /* A 58 mm roll prints 48 mm; 80 mm prints 72 mm. */
  [FK_PAPER_58MM] = { 58, 0, 5, 8.5, 10, 30 },
  [FK_PAPER_80MM] = { 80, 0, 4, 9.5, 13, 36 },
  [FK_PAPER_A5] = { 148, 210, 14, 11, 15, 40 },
  [FK_PAPER_A4] = { 210, 297, 20, 12, 17, 45 },
};

/* Where the drawing is: its cairo context and the pen's place. */
typedef struct
{
  cairo_t *cr;
  const PaperSpec *spec;
  double x, width; /* the text column */
  double y;
} Pen;

static PangoLayout *
new_layout (Pen *pen, const char *text, double size_pt, gboolean bold, const char *family,
            PangoAlignment align)
{
  PangoLayout *layout = pango_cairo_create_layout (pen->cr);
  g_autoptr (PangoFontDescription) font = pango_font_description_new ();

  pango_font_description_set_family (font, family);
  pango_font_description_set_absolute_size (font, size_pt * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (pen->width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* Draws @text across the column and moves the pen below it. */
static void
put_text (Pen *pen, const char *text, double scale, gboolean bold, PangoAlignment align)
{
  g_autoptr (PangoLayout) layout =
    new_layout (pen, text, pen->spec->font_pt * scale, bold, FONT_FAMILY, align);
  int height;

  cairo_move_to (pen->cr, pen->x, pen->y);
  pango_cairo_show_layout (pen->cr, layout);
  pango_layout_get_size (layout, NULL, &height);
  pen->y += (double) height / PANGO_SCALE;
}

static void
skip (Pen *pen, double mm)
{
  pen->y += MM (mm);
}

static void
rule (Pen *pen, gboolean dotted)
{
  static const double dots[] = { 1.0, 2.0 };

  cairo_save (pen->cr);
  cairo_set_line_width (pen->cr, 0.6);
  if (dotted)
    cairo_set_dash (pen->cr, dots, G_N_ELEMENTS (dots), 0);
  cairo_move_to (pen->cr, pen->x, pen->y);
  cairo_line_to (pen->cr, pen->x + pen->width, pen->y);
  cairo_stroke (pen->cr);
  cairo_restore (pen->cr);
}

/* The practice band: white on black, the whole width of the page. */
static void
band (Pen *pen, double page_width)
{
  g_autoptr (PangoLayout) layout =
    new_layout (pen, _ ("PRACTICE — NOT VALID"), pen->spec->font_pt * 1.1, TRUE, FONT_FAMILY,
                PANGO_ALIGN_CENTER);
  int height;

  pango_layout_get_size (layout, NULL, &height);
  cairo_save (pen->cr);
  cairo_rectangle (pen->cr, 0, pen->y, page_width, (double) height / PANGO_SCALE + MM (3));
  cairo_fill (pen->cr);
  cairo_set_source_rgb (pen->cr, 1, 1, 1);
  cairo_move_to (pen->cr, pen->x, pen->y + MM (1.5));
  pango_cairo_show_layout (pen->cr, layout);
  cairo_restore (pen->cr);
  pen->y += (double) height / PANGO_SCALE + MM (3);
}

/* The whole UUID as a QR code, centred, @side points wide. */
static void
put_qr (Pen *pen, const char *text, double side)
{
  QRcode *code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  double module, left;

  if (code == NULL)
    return;
  module = side / (code->width + 2 * QR_QUIET_ZONE);
  left = pen->x + (pen->width - side) / 2 + QR_QUIET_ZONE * module;
  for (int y = 0; y < code->width; y++)
    for (int x = 0; x < code->width; x++)
      {
        int run = 0;

        /* A dark run of a row is one rectangle: no hairlines between modules. */
        while (x + run < code->width && (code->data[y * code->width + x + run] & 1))
          run++;
        if (run == 0)
          continue;
        cairo_rectangle (pen->cr, left + x * module, pen->y + (QR_QUIET_ZONE + y) * module,
                         run * module, module);
        x += run - 1;
      }
  cairo_fill (pen->cr);
  QRcode_free (code);
  pen->y += side;
}

static void
put_number (Pen *pen, const char *number)
{
  g_autoptr (PangoLayout) layout =
    new_layout (pen, number, pen->spec->font_pt * 2.6, TRUE, NUMBER_FAMILY, PANGO_ALIGN_CENTER);
  int height;

  cairo_move_to (pen->cr, pen->x, pen->y);
  pango_cairo_show_layout (pen->cr, layout);
  pango_layout_get_size (layout, NULL, &height);
  pen->y += (double) height / PANGO_SCALE;
}

/* A line: its label in bold, its value below it on a roll, beside it on a
 * sheet. */
static void
put_line (Pen *pen, const FkReceiptLine *line, gboolean roll)
{
  double label_width = pen->width * 0.32;
  g_autoptr (PangoLayout) label = NULL;
  g_autoptr (PangoLayout) value = NULL;
  int label_height, value_height;

  if (roll)
    {
      put_text (pen, line->label, 0.9, TRUE, PANGO_ALIGN_LEFT);
      put_text (pen, line->value, 1.0, FALSE, PANGO_ALIGN_LEFT);
      skip (pen, 1.5);
      return;
    }
  label = new_layout (pen, line->label, pen->spec->font_pt, TRUE, FONT_FAMILY, PANGO_ALIGN_LEFT);
  pango_layout_set_width (label, (int) ((label_width - MM (3)) * PANGO_SCALE));
  value = new_layout (pen, line->value, pen->spec->font_pt, FALSE, FONT_FAMILY, PANGO_ALIGN_LEFT);
  pango_layout_set_width (value, (int) ((pen->width - label_width) * PANGO_SCALE));
  cairo_move_to (pen->cr, pen->x, pen->y);
  pango_cairo_show_layout (pen->cr, label);
  cairo_move_to (pen->cr, pen->x + label_width, pen->y);
  pango_cairo_show_layout (pen->cr, value);
  pango_layout_get_size (label, NULL, &label_height);
  pango_layout_get_size (value, NULL, &value_height);
  pen->y += (double) MAX (label_height, value_height) / PANGO_SCALE + MM (2.5);
}

/* Draws the receipt from the top of the page; returns where it ends. */
static double
draw (FkReceipt *self, cairo_t *cr, FkPaper paper, FkReceiptCopy copy)
{
  const PaperSpec *spec = &papers[paper];
  gboolean roll = fk_paper_is_roll (paper);
  Pen pen = { cr, spec, MM (spec->margin_mm), MM (spec->width_mm - 2 * spec->margin_mm),
              MM (roll ? 4 : spec->margin_mm) };

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  if (self->practice)
    band (&pen, MM (spec->width_mm));
  put_text (&pen, self->centre, 1.0, TRUE, PANGO_ALIGN_CENTER);
  skip (&pen, 2);
  put_text (&pen, _ ("DOSSIER RECEIPT"), spec->title_pt / spec->font_pt, TRUE, PANGO_ALIGN_CENTER);
  if (copy == FK_RECEIPT_COPY_DOSSIER)
    put_text (&pen, _ ("(copy kept with the dossier)"), 0.9, FALSE, PANGO_ALIGN_CENTER);
  skip (&pen, 2);
  put_text (&pen, _ ("Dossier number"), 1.0, FALSE, PANGO_ALIGN_CENTER);
  put_number (&pen, self->number);
  put_qr (&pen, self->dossier_id, MM (spec->qr_mm));
  skip (&pen, 1);
  rule (&pen, FALSE);
  skip (&pen, 2.5);
  for (guint i = 0; i < self->lines->len; i++)
    put_line (&pen, g_ptr_array_index (self->lines, i), roll);
  rule (&pen, FALSE);
  skip (&pen, 2);
  put_text (&pen, _ ("Officer who took the dossier (name and signature)"), 0.9, TRUE,
            PANGO_ALIGN_LEFT);
  skip (&pen, roll ? 12 : 16);
  rule (&pen, TRUE);
  skip (&pen, 2.5);
  put_text (&pen,
            _ ("Keep this receipt to collect the result. It holds no personal data: show your "
               "ID card when you collect it."),
            0.85, FALSE, PANGO_ALIGN_CENTER);
  skip (&pen, 2);
  if (self->practice)
    band (&pen, MM (spec->width_mm));
  cairo_restore (cr);
  return pen.y + MM (roll ? 4 : 0);
}

/**
 * fk_receipt_get_page_size:
 *
 * The page @paper gives the receipt, in points: a sheet's size, or a
 * roll's width and the receipt's length.
 */
void
fk_receipt_get_page_size (FkReceipt *self, FkPaper paper, double *out_width_pt,
                          double *out_height_pt)
{
  const PaperSpec *spec;
  cairo_surface_t *surface;
  cairo_t *cr;

  g_return_if_fail (FK_IS_RECEIPT (self));
  g_return_if_fail (paper < G_N_ELEMENTS (papers));
  spec = &papers[paper];
  *out_width_pt = MM (spec->width_mm);
  if (spec->height_mm > 0)
    {
      *out_height_pt = MM (spec->height_mm);
      return;
    }
  surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cr = cairo_create (surface);
  *out_height_pt = ceil (draw (self, cr, paper, FK_RECEIPT_COPY_DOSSIER));
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/**
 * fk_receipt_draw:
 * @cr: a context whose user space is the page in points, from its top left
 *
 * Draws @copy of the receipt on a page of fk_receipt_get_page_size().
 */
void
fk_receipt_draw (FkReceipt *self, cairo_t *cr, FkPaper paper, FkReceiptCopy copy)
{
  g_return_if_fail (FK_IS_RECEIPT (self));
  g_return_if_fail (paper < G_N_ELEMENTS (papers));
  draw (self, cr, paper, copy);
}

typedef struct
{
  GOutputStream *out;
  GError *error; /* the first write that failed */
} PdfSink;

static cairo_status_t
sink_write (void *closure, const unsigned char *data, unsigned int length)
{
  PdfSink *sink = closure;

  if (sink->error == NULL)
    g_output_stream_write_all (sink->out, data, length, NULL, NULL, &sink->error);
  return sink->error == NULL ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static void
draw_pdf (FkReceipt *self, FkPaper paper, guint copies, PdfSink *sink)
{
  double width, height;
  cairo_surface_t *surface;
  cairo_t *cr;
  g_autofree char *title = NULL;

  fk_receipt_get_page_size (self, paper, &width, &height);
  surface = cairo_pdf_surface_create_for_stream (sink_write, sink, width, height);
  title = g_strdup_printf (_ ("Dossier receipt %s"), self->number);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "FieldKit");
  cr = cairo_create (surface);
  for (guint i = 0; i < MAX (copies, 1); i++)
    {
      draw (self, cr, paper, i == 0 ? FK_RECEIPT_COPY_CITIZEN : FK_RECEIPT_COPY_DOSSIER);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (sink->error == NULL && cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    g_set_error_literal (&sink->error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         cairo_status_to_string (cairo_surface_status (surface)));
  cairo_surface_destroy (surface);
}

/**
 * fk_receipt_write_pdf:
 * @copies: 1 for the citizen's copy, 2 to add the dossier's on a second page
 * @path: the PDF file to write; it is replaced only once the whole PDF is
 *   written
 *
 * Returns: %TRUE once written; else %FK_PAPER_ERROR_WRITE saying why
 */
gboolean
fk_receipt_write_pdf (FkReceipt *self, FkPaper paper, guint copies, const char *path,
                      GError **error)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GFileOutputStream) out = NULL;
  PdfSink sink = { NULL, NULL };

  g_return_val_if_fail (FK_IS_RECEIPT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (paper < G_N_ELEMENTS (papers), FALSE);
  file = g_file_new_for_path (path);
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, &sink.error);
  if (out != NULL)
    {
      sink.out = G_OUTPUT_STREAM (out);
      draw_pdf (self, paper, copies, &sink);
      if (sink.error != NULL)
        {
          /* Closed cancelled, the half-written PDF never replaces the file. */
          g_autoptr (GCancellable) abandon = g_cancellable_new ();

          g_cancellable_cancel (abandon);
          g_output_stream_close (sink.out, abandon, NULL);
        }
      else
        g_output_stream_close (sink.out, NULL, &sink.error);
    }
  if (sink.error != NULL)
    {
      g_set_error (error, FK_PAPER_ERROR, FK_PAPER_ERROR_WRITE,
                   _ ("Could not write the receipt to %s: %s"), path, sink.error->message);
      g_error_free (sink.error);
      return FALSE;
    }
  return TRUE;
}
