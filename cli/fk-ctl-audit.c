/* fk-ctl-audit.c: fieldkit-ctl audit verify, the store's signed audit chain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-ctl.h"

int
fk_ctl_audit_verify (FkCtl *ctl, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  guint64 n = 0;

  if (!fk_ctl_parse (ctl, NULL,
                     _ ("Exit status 0 when the chain is intact, 1 "
                        "naming the first broken or edited entry."),
                     &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  store = fk_ctl_open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail_for (ctl, error);
  if (!fk_store_verify_audit (store, NULL, &n, &error))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  g_print (g_dngettext (GETTEXT_PACKAGE, "Audit log intact: %llu entry.\n",
                        "Audit log intact: %llu entries.\n", (gulong) n),
           (unsigned long long) n);
  return FK_CTL_EXIT_OK;
}
