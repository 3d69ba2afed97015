/* fk-receipt.h: the receipt a citizen takes home, on paper or as a PDF
 *
 * What a receipt says is made from the sealed dossier, the catalog and the
 * visits, and holds no personal data: no name, no ID number, no address,
 * no birth date (a lost receipt must not leak any). It says which centre
 * took the dossier, its number in large type and as a QR code (the whole
 * UUID), the procedure, when and where it was taken and by which team, the
 * papers taken, the expected date of the result (the catalog's time limit
 * in working days), where and when the result is handed over (the next
 * visit planned to that hamlet on or after that date, else the centre),
 * and a line for the officer's name and signature.
 *
 * Laid out with Pango on cairo: a thermal roll (58 mm, 80 mm), whose page
 * is as long as the receipt, or an A5/A4 sheet. The same drawing serves a
 * PDF file (fk_receipt_write_pdf()) and a print operation's page
 * (fk_receipt_draw()). fk_receipt_load() makes it from the store, for the
 * app and fieldkit-ctl alike. Texts go through gettext: the receipt speaks the
 * interface's language, Vietnamese by default.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib-object.h>

#include "fk-catalog.h"
#include "fk-dossier.h"
#include "fk-paper-error.h"
#include "fk-store.h"
#include "fk-visit.h"

G_BEGIN_DECLS

typedef enum
{
  FK_PAPER_58MM, /* thermal roll, 48 mm printed */
  FK_PAPER_80MM, /* thermal roll, 72 mm printed */
  FK_PAPER_A5,
  FK_PAPER_A4,
} FkPaper;

/* "58mm", "80mm", "a5", "a4" */
const char *fk_paper_to_string (FkPaper paper);
gboolean fk_paper_from_string (const char *name, FkPaper *out_paper, GError **error);
gboolean fk_paper_is_roll (FkPaper paper);

/* Which copy is drawn: the citizen's, or the one kept with the dossier
 * (marked as such). */
typedef enum
{
  FK_RECEIPT_COPY_CITIZEN,
  FK_RECEIPT_COPY_DOSSIER,
} FkReceiptCopy;

/**
 * FkReceiptLine:
 * @label: what the line is ("Procedure"), translated
 * @value: its value; several lines for the papers taken
 */
typedef struct
{
  char *label;
  char *value;
} FkReceiptLine;

#define FK_TYPE_RECEIPT (fk_receipt_get_type ())
G_DECLARE_FINAL_TYPE (FkReceipt, fk_receipt, FK, RECEIPT, GObject)

FkReceipt *fk_receipt_new (FkDossier *dossier, FkCatalog *catalog, FkVisit *visit,
                           GPtrArray *visits);

const char *fk_receipt_get_dossier_id (FkReceipt *self);
const char *fk_receipt_get_number (FkReceipt *self);
const char *fk_receipt_get_centre (FkReceipt *self);
GPtrArray *fk_receipt_get_lines (FkReceipt *self);
const GDate *fk_receipt_get_expected_date (FkReceipt *self);
FkVisit *fk_receipt_get_handover_visit (FkReceipt *self);
void fk_receipt_set_practice (FkReceipt *self, gboolean practice);
gboolean fk_receipt_get_practice (FkReceipt *self);
char *fk_receipt_to_text (FkReceipt *self);

/* fk-receipt-layout.c */
void fk_receipt_get_page_size (FkReceipt *self, FkPaper paper, double *out_width_pt,
                               double *out_height_pt);
void fk_receipt_draw (FkReceipt *self, cairo_t *cr, FkPaper paper, FkReceiptCopy copy);
gboolean fk_receipt_write_pdf (FkReceipt *self, FkPaper paper, guint copies, const char *path,
                               GError **error);

GDate *fk_receipt_add_working_days (const GDate *from, guint days);

/* fk-receipt-load.c: from the store. A store whose setting
 * FK_RECEIPT_PRACTICE_SETTING is "1" is a practice store: its receipts
 * carry the practice band. */
#define FK_RECEIPT_PRACTICE_SETTING FK_STORE_PRACTICE_SETTING

FkReceipt *fk_receipt_load (FkStore *store, FkCatalog *catalog, const char *id, GError **error);
void fk_receipt_load_async (FkStore *store, FkCatalog *catalog, const char *id,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data);
FkReceipt *fk_receipt_load_finish (FkStore *store, GAsyncResult *result, GError **error);

G_END_DECLS
