/* fk-ctl-handover.c: fieldkit-ctl handover DOSSIER_ID: record that a
 * dossier's result was handed over to the citizen; the next pull reports
 * it to the server (fk-sync-report.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-ctl.h"
#include "fk-sync-report.h"

int
fk_ctl_handover (FkCtl *ctl, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  const GOptionEntry entries[] = {
    { NULL },
  };

  if (!fk_ctl_parse (ctl, entries, NULL, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (argc != 2)
    return fk_ctl_usage_error (ctl, "%s", _ ("Give the dossier's number (its UUID)"));
  store = fk_ctl_open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail_for (ctl, error);
  if (!fk_sync_record_handover (store, argv[1], NULL, &error))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  g_print (_ ("Handover recorded: %u to report at the next pull\n"),
           fk_sync_pending_reports (store));
  return FK_CTL_EXIT_OK;
}
