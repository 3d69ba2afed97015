/* fk-ctl-vneid.c: fieldkit-ctl vneid OUTCOME --date D [--commune C]
 * [--hamlet H]: record a VNeID help (its outcome and the visit only); the
 * next pull reports it to the server for the commune's reports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-ctl.h"
#include "fk-sync-report.h"

int
fk_ctl_vneid (FkCtl *ctl, int argc, char **argv)
{
  g_autofree char *date = NULL;
  g_autofree char *commune = NULL;
  g_autofree char *hamlet = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  const GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, N_ ("The visit's date"), N_ ("YYYY-MM-DD") },
    { "commune", 0, 0, G_OPTION_ARG_STRING, &commune, N_ ("The visit's commune code"),
      N_ ("CODE") },
    { "hamlet", 0, 0, G_OPTION_ARG_STRING, &hamlet, N_ ("The visit's hamlet"), N_ ("NAME") },
    { NULL },
  };

  if (!fk_ctl_parse (ctl, entries, NULL, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (argc != 2 || date == NULL)
    return fk_ctl_usage_error (ctl, "%s",
                               _ ("Give the outcome (success, no-nfc, face-fail, data-mismatch, "
                                  "other-device, no-otp, other) and --date YYYY-MM-DD"));
  store = fk_ctl_open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail_for (ctl, error);
  if (!fk_sync_record_vneid (store, argv[1], date, commune, hamlet, NULL, &error))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  g_print (_ ("VNeID help recorded: %u to report at the next pull\n"),
           fk_sync_pending_reports (store));
  return FK_CTL_EXIT_OK;
}
