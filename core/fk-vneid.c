/* fk-vneid.c: the outcomes of a VNeID activation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>

#include "fk-vneid.h"

static const FkVneidOutcome outcomes[] = {
  { "success", N_ ("Activated"),
    N_ ("Done. Show the citizen how to open VNeID with the passcode.") },
  { "no-nfc", N_ ("Phone without NFC"),
    N_ ("Use the QR code of the card in VNeID instead, or a relative's phone with NFC; otherwise "
        "book the citizen with the commune police.") },
  { "face-fail", N_ ("Face capture fails"),
    N_ ("Move to even light, take off glasses and hat, hold the phone level with the face and "
        "try again.") },
  { "data-mismatch", N_ ("Data differ from the population database"),
    N_ ("The commune police must correct the population database first; activate again "
        "afterwards.") },
  { "other-device", N_ ("Account already on another phone"),
    N_ ("Log out on the old phone, or ask the commune police to reset the device.") },
  { "no-otp", N_ ("No SIM or no SMS code"),
    N_ ("The phone number must be the citizen's own and active; check the signal, wait a few "
        "minutes, then ask for a new code.") },
  { "other", N_ ("Other reason"),
    N_ ("Note what happened and offer another try on the next visit.") },
};

guint
fk_vneid_outcome_get_n (void)
{
  return G_N_ELEMENTS (outcomes);
}

/**
 * fk_vneid_outcome_get:
 *
 * Returns: (transfer none): outcome @index, success first
 */
const FkVneidOutcome *
fk_vneid_outcome_get (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (outcomes), NULL);
  return &outcomes[index];
}

/**
 * fk_vneid_outcome_lookup:
 *
 * Returns: (transfer none) (nullable): the outcome of @code
 */
const FkVneidOutcome *
fk_vneid_outcome_lookup (const char *code)
{
  for (gsize i = 0; i < G_N_ELEMENTS (outcomes); i++)
    if (g_strcmp0 (outcomes[i].code, code) == 0)
      return &outcomes[i];
  return NULL;
}
