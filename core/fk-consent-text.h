/* fk-consent-text.h: the exact words of each consent read to a citizen,
 * by purpose and version
 *
 * The device records, per purpose, the answer and the version of the
 * text read; the commune's office shows the same text next to it. A text
 * that changes gets a new version: the old one stays here for the
 * dossiers taken under it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The version read to citizens now; one more whenever a text changes
 * (2026-12 names the chip's portrait). */
#define FK_CONSENT_TEXT_VERSION "2026-12"

/**
 * FkConsentText:
 * @purpose: what the data is used for ("biometrics", …)
 * @version: the version of the words
 * @title: (not translated): the short title; translate it with gettext
 * @text: (not translated): the exact words read to the citizen
 * @required: without it the dossier cannot be taken
 */
typedef struct
{
  const char *purpose;
  const char *version;
  const char *title;
  const char *text;
  gboolean required;
} FkConsentText;

/* The texts read now (version FK_CONSENT_TEXT_VERSION), in their order. */
guint fk_consent_text_get_n (void);
const FkConsentText *fk_consent_text_get (guint index);
/* The text of @purpose as read under @version, or %NULL when unknown. */
const FkConsentText *fk_consent_text_lookup (const char *purpose, const char *version);

G_END_DECLS
