/* fk-receipt-print.c: a dossier's receipt printed from the app
 *
 * The receipt step, the queue and the handover print the same way: the
 * receipt is made from the store in a worker thread (fk_receipt_load),
 * drawn by a GtkPrintOperation exported as a PDF (the paper's page: a roll
 * as long as the receipt), then sent by the device factory's printer
 * through libcups, which waits for the job in a worker thread. GTK's own
 * CUPS print backend is never loaded: an export needs none, and the
 * printer is a device like the camera. The settings say which printer,
 * which paper and whether a second copy goes with the dossier. The PDF
 * holds no personal data, and is removed once sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "fk-application.h"
#include "fk-hw-error.h"
#include "fk-receipt-print.h"
#include "fk-receipt.h"

typedef struct
{
  GtkWidget *widget; /* for the print operation's parent window */
  FkReceipt *receipt;
  FkPaper paper;
  guint copies;
  char *path;
  FkPrinter *printer;
} PrintData;

static void
print_data_free (PrintData *data)
{
  g_clear_object (&data->widget);
  g_clear_object (&data->receipt);
  g_clear_object (&data->printer);
  if (data->path != NULL)
    g_unlink (data->path);
  g_free (data->path);
  g_free (data);
}

static void
draw_page (GtkPrintOperation *operation, GtkPrintContext *context, int page, PrintData *data)
{
  fk_receipt_draw (data->receipt, gtk_print_context_get_cairo_context (context), data->paper,
                   page == 0 ? FK_RECEIPT_COPY_CITIZEN : FK_RECEIPT_COPY_DOSSIER);
}

/* The receipt drawn into data->path by a print operation exporting a PDF. */
static gboolean
export_pdf (PrintData *data, GError **error)
{
  g_autoptr (GtkPrintOperation) operation = gtk_print_operation_new ();
  g_autoptr (GtkPageSetup) setup = gtk_page_setup_new ();
  GtkPaperSize *size;
  GtkRoot *root = gtk_widget_get_root (data->widget);
  double width, height;
  int fd = g_file_open_tmp ("fieldkit-receipt-XXXXXX.pdf", &data->path, error);

  if (fd < 0)
    return FALSE;
  g_close (fd, NULL);
  fk_receipt_get_page_size (data->receipt, data->paper, &width, &height);
  size =
    gtk_paper_size_new_custom ("fieldkit-receipt", _ ("Receipt"), width, height, GTK_UNIT_POINTS);
  gtk_page_setup_set_paper_size (setup, size);
  gtk_paper_size_free (size);
  gtk_page_setup_set_top_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_bottom_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_left_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_right_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_n_pages (operation, (int) data->copies);
  gtk_print_operation_set_export_filename (operation, data->path);
  gtk_print_operation_set_job_name (operation, fk_receipt_get_number (data->receipt));
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page), data);
  return gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT,
                                  GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                  error) != GTK_PRINT_OPERATION_RESULT_ERROR;
}

static void
printed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  char *name = fk_printer_print_file_finish (FK_PRINTER (source), result, &error);

  if (name == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, name, g_free);
}

static void
loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  PrintData *data = g_task_get_task_data (task);
  FkApplication *app = fk_application_get_default ();
  GSettings *settings = fk_application_get_settings (app);
  g_autofree char *name = settings != NULL ? g_settings_get_string (settings, "printer") : NULL;
  g_autofree char *title = NULL;
  GError *error = NULL;
  double width, height;

  data->receipt = fk_receipt_load_finish (FK_STORE (source), result, &error);
  if (data->receipt == NULL || !export_pdf (data, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  data->printer = fk_devices_open_printer (fk_application_get_devices (app), name);
  fk_receipt_get_page_size (data->receipt, data->paper, &width, &height);
  /* TRANSLATORS: the print job's title, with the dossier number */
  title = g_strdup_printf (_ ("Receipt %s"), fk_receipt_get_number (data->receipt));
  fk_printer_print_file_async (data->printer, data->path, title, width * 25.4 / 72,
                               height * 25.4 / 72, g_task_get_cancellable (task), printed,
                               g_object_ref (task));
}

/**
 * fk_receipt_print_async:
 * @widget: the widget asking, for the print operation's window
 * @dossier_id: the sealed dossier whose receipt is printed
 *
 * Prints the receipt on the printer, paper and copies of the settings.
 */
void
fk_receipt_print_async (GtkWidget *widget, const char *dossier_id, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  FkApplication *app = fk_application_get_default ();
  FkStore *store = fk_application_get_store (app);
  FkCatalog *catalog = fk_application_get_catalog (app);
  GSettings *settings = fk_application_get_settings (app);
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  PrintData *data = g_new0 (PrintData, 1);

  g_task_set_source_tag (task, fk_receipt_print_async);
  g_task_set_task_data (task, data, (GDestroyNotify) print_data_free);
  data->widget = g_object_ref (widget);
  data->paper =
    settings != NULL ? (FkPaper) g_settings_get_enum (settings, "receipt-paper") : FK_PAPER_58MM;
  data->copies =
    settings != NULL && g_settings_get_boolean (settings, "receipt-second-copy") ? 2 : 1;
  if (store == NULL || catalog == NULL || !fk_store_is_unlocked (store))
    {
      g_task_return_new_error (task, FK_STORE_ERROR, FK_STORE_ERROR_LOCKED, "%s",
                               _ ("The store is locked: enter the PIN first."));
      return;
    }
  fk_receipt_load_async (store, catalog, dossier_id, cancellable, loaded, g_object_ref (task));
}

/**
 * fk_receipt_print_finish:
 *
 * Returns: (transfer full) (nullable): the name of the printer that
 *   printed it
 */
char *
fk_receipt_print_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_receipt_print_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * fk_receipt_print_explain:
 *
 * Returns: (transfer full): what to tell the officer when a print failed:
 *   the reason and, for the printer's own problems, that the receipt can
 *   be printed later from the queue
 */
char *
fk_receipt_print_explain (const GError *error)
{
  if (error->domain == FK_HW_ERROR)
    return g_strdup_printf (_ ("The receipt was not printed. %s The dossier is safe: print its "
                               "receipt later from the queue."),
                            error->message);
  return g_strdup_printf (_ ("The receipt was not printed: %s"), error->message);
}
