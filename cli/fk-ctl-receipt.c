/* fk-ctl-receipt.c: fieldkit-ctl receipt, a dossier's receipt again
 *
 * For a reprint: the same receipt as the app's (paper/fk-receipt.h), as a
 * PDF file or printed through CUPS on the device factory's printer. The
 * dossier is named by its UUID or by the number on the receipt (its first
 * eight hex digits), when only one dossier has it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include <glib/gstdio.h>

#include "fk-ctl.h"
#include "fk-devices.h"
#include "fk-outbox.h"
#include "fk-receipt.h"

/* The dossier @given names: its UUID, or a prefix of it only one has. */
static char *
find_dossier (FkStore *store, const char *given, GError **error)
{
  g_autoptr (FkOutboxEntry) entry = fk_outbox_get (store, given, NULL);
  g_autoptr (GPtrArray) all = NULL;
  char *found = NULL;

  if (entry != NULL)
    return g_strdup (entry->id);
  all = strlen (given) >= 8 ? fk_outbox_list (store, FK_OUTBOX_ANY_STATE, error) : NULL;
  for (guint i = 0; all != NULL && i < all->len; i++)
    {
      FkOutboxEntry *e = g_ptr_array_index (all, i);

      if (g_ascii_strncasecmp (e->id, given, strlen (given)) != 0)
        continue;
      if (found != NULL)
        {
          g_free (found);
          g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                       _ ("More than one dossier starts with %s: give the whole UUID."), given);
          return NULL;
        }
      found = g_strdup (e->id);
    }
  if (found == NULL && (error == NULL || *error == NULL))
    g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_FOUND,
                 _ ("No dossier %s in this store: “fieldkit-ctl queue list” shows them."), given);
  return found;
}

/* Prints @receipt on @printer_name (NULL: the device factory's choice)
 * through a PDF in a temporary file. */
static gboolean
print_receipt (FkReceipt *receipt, FkPaper paper, const char *printer_name, int timeout,
               GError **error)
{
  g_autoptr (FkDevices) devices = fk_devices_new (FK_HW_BACKEND_DEFAULT);
  g_autoptr (FkPrinter) printer = fk_devices_open_printer (devices, printer_name);
  g_auto (FkCtlWait) wait = FK_CTL_WAIT_INIT;
  g_autofree char *path = NULL;
  g_autofree char *title = NULL;
  g_autofree char *printed = NULL;
  double width, height;
  int fd = g_file_open_tmp ("fieldkit-receipt-XXXXXX.pdf", &path, error);

  if (fd < 0)
    return FALSE;
  g_close (fd, NULL);
  if (!fk_receipt_write_pdf (receipt, paper, 1, path, error))
    {
      g_unlink (path);
      return FALSE;
    }
  if (timeout > 0)
    fk_printer_set_timeout (printer, (guint) timeout);
  /* TRANSLATORS: the print job's title, with the dossier number */
  title = g_strdup_printf (_ ("Receipt %s"), fk_receipt_get_number (receipt));
  fk_receipt_get_page_size (receipt, paper, &width, &height);
  fk_printer_print_file_async (printer, path, title, width * 25.4 / 72, height * 25.4 / 72,
                               wait.cancellable, fk_ctl_wait_done, &wait);
  printed = fk_printer_print_file_finish (printer, fk_ctl_wait_result (&wait), error);
  g_unlink (path);
  if (printed == NULL)
    return FALSE;
  g_printerr (_ ("Printed on %s.\n"), printed);
  return TRUE;
}

int
fk_ctl_receipt (FkCtl *ctl, int argc, char **argv)
{
  g_autofree char *pdf = NULL;
  g_autofree char *paper_name = NULL;
  g_autofree char *printer_name = NULL;
  gboolean print = FALSE;
  int timeout = 0;
  const GOptionEntry entries[] = {
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf, N_ ("Write the receipt to this PDF file"),
      N_ ("FILE") },
    { "print", 0, 0, G_OPTION_ARG_NONE, &print,
      N_ ("Print the receipt (on the default printer of the print service)"), NULL },
    { "printer", 0, 0, G_OPTION_ARG_STRING, &printer_name, N_ ("Print on this printer"),
      N_ ("NAME") },
    { "paper", 0, 0, G_OPTION_ARG_STRING, &paper_name,
      N_ ("Paper: 58mm or 80mm (thermal roll), a5 or a4 (default 80mm)"), N_ ("PAPER") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout,
      N_ ("Seconds the printer may take before it counts as not answering (default 60)"),
      N_ ("S") },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (FkCatalog) catalog = NULL;
  g_autoptr (FkReceipt) receipt = NULL;
  g_autofree char *id = NULL;
  FkPaper paper = FK_PAPER_80MM;

  if (!fk_ctl_parse (ctl, entries,
                     _ ("The receipt holds no personal data (no name, ID number, address or "
                        "birth date). Simulated hardware (FIELDKIT_HW=sim) prints on the print "
                        "service's cups-pdf queues only. Needs the PIN (FIELDKIT_PIN or the "
                        "terminal)."),
                     &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (argc != 2)
    return fk_ctl_usage_error (ctl, "%s", _ ("Give one dossier ID."));
  if ((pdf == NULL) == !print || (printer_name != NULL && !print))
    return fk_ctl_usage_error (ctl, "%s",
                               _ ("Say where the receipt goes: --pdf FILE, or --print "
                                  "[--printer NAME]."));
  if (timeout < 0)
    return fk_ctl_usage_error (ctl, "%s", _ ("--timeout must be a number of seconds."));
  if (paper_name != NULL && !fk_paper_from_string (paper_name, &paper, &error))
    return fk_ctl_usage_error (ctl, "%s", error->message);
  catalog = fk_catalog_new_default (&error);
  if (catalog == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  store = fk_ctl_open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail_for (ctl, error);
  /* Unknown IDs are reported before the PIN is asked (and counted). */
  id = find_dossier (store, argv[1], &error);
  if (id == NULL || !fk_ctl_unlock_store (store, &error))
    return fk_ctl_fail_for (ctl, error);
  receipt = fk_receipt_load (store, catalog, id, &error);
  if (receipt == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  if (pdf != NULL ? !fk_receipt_write_pdf (receipt, paper, 1, pdf, &error)
                  : !print_receipt (receipt, paper, printer_name, timeout, &error))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  return FK_CTL_EXIT_OK;
}
