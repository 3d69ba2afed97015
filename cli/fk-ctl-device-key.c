/* fk-ctl-device-key.c: fieldkit-ctl device-key, the device's public key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-ctl.h"

int
fk_ctl_device_key (FkCtl *ctl, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autofree char *key = NULL;

  if (!fk_ctl_parse (ctl, NULL, NULL, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  store = fk_ctl_open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail_for (ctl, error);
  key = fk_device_key_get_public_key_base64 (fk_store_get_device_key (store));
  g_print ("%s\n", key);
  return FK_CTL_EXIT_OK;
}
