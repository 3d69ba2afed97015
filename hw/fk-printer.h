/* fk-printer.h: the receipt printer, through CUPS
 *
 * Both backends go through libcups to the print service (`CUPS_SERVER`, else
 * the machine's cupsd): "real" prints on CUPS's default printer, or the
 * first one, leaving out cups-pdf's virtual ones; "sim" only on cups-pdf
 * queues, where tests (with a cupsd of their own) and demonstrations read
 * the PDF back. A printer asked for by name is used whatever the backend.
 *
 * A print sends a PDF and waits until the printer has printed it: a queue
 * that is stopped or refuses jobs, a printer out of paper, one that gives
 * the job up or does not finish it in time (off, unplugged) each fail with
 * their own FK_HW_ERROR_PRINTER_* code and a message naming the printer;
 * the job is then cancelled, so that it never comes out later unexpected.
 * Nothing blocks the caller: the work runs in a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The device URI scheme of cups-pdf, the simulated backend's queues. */
#define FK_PRINTER_SIM_SCHEME "cups-pdf:"

/* Seconds a print may take before the printer counts as not answering. */
#define FK_PRINTER_TIMEOUT_DEFAULT 60

#define FK_TYPE_PRINTER (fk_printer_get_type ())
G_DECLARE_FINAL_TYPE (FkPrinter, fk_printer, FK, PRINTER, GObject)

const char *fk_printer_get_name (FkPrinter *self);
void fk_printer_set_timeout (FkPrinter *self, guint seconds);

void fk_printer_print_file_async (FkPrinter *self, const char *pdf_path, const char *title,
                                  double width_mm, double height_mm, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
char *fk_printer_print_file_finish (FkPrinter *self, GAsyncResult *result, GError **error);

G_END_DECLS
