/* fk-ctl-admin.c: fieldkit-ctl admin reset-pin, pin-policy, retention: what
 * the administrator's recovery code authorises
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-ctl.h"
#include "fk-store-error.h"

int
fk_ctl_admin_reset_pin (FkCtl *ctl, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (FkCtlSecret) code = NULL;
  g_autoptr (FkCtlSecret) pin = NULL;

  if (!fk_ctl_parse (
        ctl, NULL,
        _ ("Authorised by the administrator's recovery code printed by init "
           "(FIELDKIT_RECOVERY_CODE or the terminal). The new PIN comes from "
           "FIELDKIT_NEW_PIN or is asked twice. Clears a lock-out; sealed data is kept."),
        &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  store = fk_ctl_open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail_for (ctl, error);
  code = fk_ctl_get_secret ("FIELDKIT_RECOVERY_CODE", _ ("Recovery code: "), &error);
  if (code == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  pin = fk_ctl_get_new_secret ("FIELDKIT_NEW_PIN", _ ("New operator PIN: "), _ ("Same PIN again: "),
                               &error);
  if (pin == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  if (!fk_store_reset_pin (store, code, pin, &error))
    return fk_ctl_fail_for (ctl, error);
  g_print ("%s\n", _ ("The operator PIN was reset."));
  return FK_CTL_EXIT_OK;
}

int
fk_ctl_admin_pin_policy (FkCtl *ctl, int argc, char **argv)
{
  int max_attempts = FK_STORE_PIN_MAX_ATTEMPTS_DEFAULT;
  int free_attempts = FK_STORE_PIN_FREE_ATTEMPTS_DEFAULT;
  int delay = FK_STORE_PIN_DELAY_DEFAULT;
  const GOptionEntry entries[] = {
    { "max-attempts", 0, 0, G_OPTION_ARG_INT, &max_attempts,
      N_ ("Wrong PINs before the vault locks (default 10)"), N_ ("N") },
    { "free-attempts", 0, 0, G_OPTION_ARG_INT, &free_attempts,
      N_ ("Wrong PINs before delays start (default 3)"), N_ ("N") },
    { "delay", 0, 0, G_OPTION_ARG_INT, &delay,
      N_ ("First delay in seconds, doubled after each further wrong PIN, at most an hour "
          "(default 30)"),
      N_ ("SECONDS") },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;

  if (!fk_ctl_parse (ctl, entries, _ ("Authorised by the recovery code, like reset-pin."), &argc,
                     &argv))
    return FK_CTL_EXIT_USAGE;
  if (max_attempts < 1 || free_attempts < 0 || delay < 0)
    return fk_ctl_usage_error (ctl, "%s", _ ("The numbers must not be negative."));
  store = fk_ctl_open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail_for (ctl, error);
  if (!fk_ctl_check_recovery_code (store, &error) ||
      !fk_store_set_pin_policy (store, (guint) max_attempts, (guint) free_attempts, (guint) delay,
                                &error))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  return FK_CTL_EXIT_OK;
}

int
fk_ctl_admin_retention (FkCtl *ctl, int argc, char **argv)
{
  int days = -1;
  const GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_INT, &days,
      N_ ("Days a delivered dossier stays on the device (default 30)"), N_ ("DAYS") },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;

  if (!fk_ctl_parse (ctl, entries,
                     _ ("Setting it is authorised by the recovery code, like "
                        "reset-pin (FIELDKIT_RECOVERY_CODE or the terminal)."),
                     &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  store = fk_ctl_open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail_for (ctl, error);
  if (days >= 0 && (!fk_ctl_check_recovery_code (store, &error) ||
                    !fk_store_set_retention (store, (gint64) days * 24 * 3600, &error)))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  g_print (g_dngettext (GETTEXT_PACKAGE, "Delivered dossiers are kept %lld day.\n",
                        "Delivered dossiers are kept %lld days.\n",
                        (gulong) (fk_store_get_retention (store) / (24 * 3600))),
           (long long) (fk_store_get_retention (store) / (24 * 3600)));
  return FK_CTL_EXIT_OK;
}
