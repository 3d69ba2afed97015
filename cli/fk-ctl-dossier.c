/* fk-ctl-dossier.c: fieldkit-ctl dossier show
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-ctl.h"
#include "fk-outbox.h"

int
fk_ctl_dossier_show (FkCtl *ctl, int argc, char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the dossier as JSON (the default)"),
      NULL },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (FkDossier) dossier = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (FkOutboxEntry) entry = NULL;

  if (!fk_ctl_parse (
        ctl, entries,
        _ ("Needs the PIN (FIELDKIT_PIN or the terminal). Wrong PINs are counted and delay "
           "the next try; too many lock the vault until an administrator resets the PIN."),
        &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (argc != 2)
    return fk_ctl_usage_error (ctl, "%s", _ ("Give one dossier ID."));
  store = fk_ctl_open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail_for (ctl, error);
  /* Unknown IDs are reported before the PIN is asked (and counted). */
  entry = fk_outbox_get (store, argv[1], &error);
  if (entry == NULL || !fk_ctl_unlock_store (store, &error))
    return fk_ctl_fail_for (ctl, error);
  dossier = fk_store_read_dossier (store, entry->id, &error);
  if (dossier == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  node = fk_dossier_to_json (dossier);
  json_object_set_string_member (json_node_get_object (node), "state",
                                 fk_outbox_state_to_string (entry->state));
  fk_ctl_print_json (node);
  return FK_CTL_EXIT_OK;
}
