/* fk-intake-consents.c: the consents of an intake, and who read them aloud
 *
 * Per purpose of the consent texts read now (core's fk-consent-text.c):
 * the citizen's answer, and who read the text aloud to the citizen — the
 * device (its speech said the whole text) or the officer —, one reader per
 * text, the last one recorded. Both go to the draft and the sealed
 * dossier (fk-intake-draft.c); purposes of no text are ignored. Every
 * change notifies `consents`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-intake-private.h"

guint
fk_intake_get_n_consent_texts (void)
{
  return fk_consent_text_get_n ();
}

/**
 * fk_intake_get_consent_text:
 *
 * Returns: (transfer none): consent @index, in the order they are read
 */
const FkIntakeConsentText *
fk_intake_get_consent_text (guint index)
{
  g_return_val_if_fail (index < fk_consent_text_get_n (), NULL);
  return fk_consent_text_get (index);
}

gboolean
fk_intake_get_consent (FkIntake *self, const char *purpose)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), FALSE);
  return GPOINTER_TO_INT (g_hash_table_lookup (self->consents, purpose));
}

/**
 * fk_intake_set_consent:
 * @purpose: one of the consent texts' purposes; others are ignored
 */
void
fk_intake_set_consent (FkIntake *self, const char *purpose, gboolean granted)
{
  g_return_if_fail (FK_IS_INTAKE (self));

  for (guint i = 0; i < fk_consent_text_get_n (); i++)
    if (g_strcmp0 (fk_consent_text_get (i)->purpose, purpose) == 0)
      {
        if (fk_intake_get_consent (self, purpose) == !!granted)
          return;
        g_hash_table_insert (self->consents, (gpointer) fk_consent_text_get (i)->purpose,
                             GINT_TO_POINTER (!!granted));
        fk_intake_notify (self, PROP_CONSENTS);
        return;
      }
}

/**
 * fk_intake_get_consent_read_aloud:
 *
 * Returns: (nullable): who read the text of @purpose aloud to the citizen,
 *   %FK_CONSENT_READ_BY_DEVICE or %FK_CONSENT_READ_BY_OFFICER; %NULL when
 *   nobody was recorded
 */
const char *
fk_intake_get_consent_read_aloud (FkIntake *self, const char *purpose)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), NULL);
  return g_hash_table_lookup (self->read_aloud, purpose);
}

/**
 * fk_intake_set_consent_read_aloud:
 * @purpose: one of the consent texts' purposes; others are ignored
 * @read_by: (nullable): %FK_CONSENT_READ_BY_DEVICE once the device said the
 *   whole text, %FK_CONSENT_READ_BY_OFFICER when the officer says they read
 *   it; %NULL forgets it
 *
 * The last one recorded is kept: one reader per text. Notifies `consents`.
 */
void
fk_intake_set_consent_read_aloud (FkIntake *self, const char *purpose, const char *read_by)
{
  const char *value = NULL;

  g_return_if_fail (FK_IS_INTAKE (self));
  if (g_strcmp0 (read_by, FK_CONSENT_READ_BY_DEVICE) == 0)
    value = FK_CONSENT_READ_BY_DEVICE;
  else if (g_strcmp0 (read_by, FK_CONSENT_READ_BY_OFFICER) == 0)
    value = FK_CONSENT_READ_BY_OFFICER;
  else
    g_return_if_fail (read_by == NULL);
  for (guint i = 0; i < fk_consent_text_get_n (); i++)
    if (g_strcmp0 (fk_consent_text_get (i)->purpose, purpose) == 0)
      {
        if (fk_intake_get_consent_read_aloud (self, purpose) == value)
          return;
        if (value != NULL)
          g_hash_table_insert (self->read_aloud, (gpointer) fk_consent_text_get (i)->purpose,
                               (gpointer) value);
        else
          g_hash_table_remove (self->read_aloud, purpose);
        fk_intake_notify (self, PROP_CONSENTS);
        return;
      }
}
