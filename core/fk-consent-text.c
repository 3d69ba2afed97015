/* fk-consent-text.c: the consent texts, every version of them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>

#include "fk-consent-text.h"

/* Newest first; those of FK_CONSENT_TEXT_VERSION are the ones read now. */
static const FkConsentText texts[] = {
  /* 2026-12 names the chip's portrait */
  { "personal-data", "2026-12", N_ ("Personal data for this procedure"),
    N_ ("I agree that the commune's Public Administrative Service Centre collects and processes "
        "the personal data in this dossier to settle the procedure I ask for, and keeps it only "
        "as long as the law requires."),
    TRUE },
  { "id-card-image", "2026-12", N_ ("Photos of my ID card and papers"),
    N_ ("I agree that photos of my ID card and of my papers, and the portrait read from my "
        "card's chip, are taken and sent, sealed, to the commune's centre for this dossier "
        "only."),
    FALSE },
  { "biometrics", "2026-12", N_ ("My fingerprint"),
    N_ ("I agree that my fingerprint is taken to sign this dossier in place of a signature and "
        "to check that it is me when I collect the result. It is sealed on the device and "
        "deleted there once the server has received it."),
    FALSE },
  { "personal-data", "2026-01", N_ ("Personal data for this procedure"),
    N_ ("I agree that the commune's Public Administrative Service Centre collects and processes "
        "the personal data in this dossier to settle the procedure I ask for, and keeps it only "
        "as long as the law requires."),
    TRUE },
  { "id-card-image", "2026-01", N_ ("Photos of my ID card and papers"),
    N_ ("I agree that photos of my ID card and of my papers are taken and sent, sealed, to the "
        "commune's centre for this dossier only."),
    FALSE },
  { "biometrics", "2026-01", N_ ("My fingerprint"),
    N_ ("I agree that my fingerprint is taken to sign this dossier in place of a signature and "
        "to check that it is me when I collect the result. It is sealed on the device and "
        "deleted there once the server has received it."),
    FALSE },
};

guint
fk_consent_text_get_n (void)
{
  guint n = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    if (g_str_equal (texts[i].version, FK_CONSENT_TEXT_VERSION))
      n++;
  return n;
}

/**
 * fk_consent_text_get:
 *
 * Returns: (transfer none): text @index of those read now, in the order
 *   they are read
 */
const FkConsentText *
fk_consent_text_get (guint index)
{
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    if (g_str_equal (texts[i].version, FK_CONSENT_TEXT_VERSION) && index-- == 0)
      return &texts[i];
  g_return_val_if_reached (NULL);
}

/**
 * fk_consent_text_lookup:
 *
 * Returns: (transfer none) (nullable): the text
 */
const FkConsentText *
fk_consent_text_lookup (const char *purpose, const char *version)
{
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    if (g_strcmp0 (texts[i].purpose, purpose) == 0 && g_strcmp0 (texts[i].version, version) == 0)
      return &texts[i];
  return NULL;
}
