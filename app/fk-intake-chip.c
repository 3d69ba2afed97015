/* fk-intake-chip.c: the ID card's chip in the intake
 *
 * After the card's QR code, while a card reader is plugged in, the wizard
 * offers the chip step: the chip is opened with the QR code's ID number and
 * birth date (the hw layer tries the expiry the laws predict, then the
 * other milestones, at most four times per tap, or the expiry the officer
 * typed), its data groups are read and checked against their signature
 * (passive authentication), all in the reader's worker thread.
 *
 * What the chip gives is proposed, never taken unseen: the identity's
 * members on the chip step (fk_intake_accept_chip_identity()), the fields
 * of the procedure's form that name a chip member with `from_card` on the
 * form step (fk_intake_accept_chip_answers()).
 *
 * Invariants:
 * - the chip's data stay in memory: no draft, log or message holds them;
 *   what the officer takes becomes the citizen or answers like typing
 *   would, and only those are written;
 * - ethnicity and religion (sensitive, Law 91/2025/QH15) leave the chip's
 *   data only into a field of the chosen procedure's form that asks for
 *   them;
 * - a read that fails (card lifted, access refused, no card) changes
 *   nothing: the model takes the chip's data whole or not at all;
 * - a chip whose data fail passive authentication is forged: its outcome
 *   is kept, its data and portrait are not;
 * - the portrait is kept in the draft like the photos, and in the sealed
 *   dossier only with the consent to ID-card images.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-hw-error.h"
#include "fk-intake-private.h"

void
fk_intake_chip_value_free (FkIntakeChipValue *value)
{
  if (value == NULL)
    return;
  g_free (value->name);
  g_free (value->value);
  g_free (value->current);
  g_free (value);
}

/* ---- the steps around it --------------------------------------------- */

static gboolean
chip_step_offered (FkIntake *self)
{
  return self->card != NULL && self->chip_reader;
}

/* The step fk_intake_next() goes to from @step: past the chip step when
 * it is not offered. */
FkIntakeStep
fk_intake_step_after (FkIntake *self, FkIntakeStep step)
{
  if (step + 1 == FK_INTAKE_STEP_CHIP && !chip_step_offered (self))
    return FK_INTAKE_STEP_IDENTITY;
  return step + 1;
}

FkIntakeStep
fk_intake_step_before (FkIntake *self, FkIntakeStep step)
{
  if (step - 1 == FK_INTAKE_STEP_CHIP && !chip_step_offered (self))
    return FK_INTAKE_STEP_SCAN;
  return step - 1;
}

/**
 * fk_intake_get_chip_reader:
 *
 * Returns: whether a card reader is plugged in, as the page last found
 *   out from the device factory
 */
gboolean
fk_intake_get_chip_reader (FkIntake *self)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), FALSE);
  return self->chip_reader;
}

/**
 * fk_intake_set_chip_reader:
 * @present: a card reader is plugged in
 *
 * With a reader, a card's QR code leads to the chip step; without, to the
 * identity as before.
 */
void
fk_intake_set_chip_reader (FkIntake *self, gboolean present)
{
  g_return_if_fail (FK_IS_INTAKE (self));
  if (self->chip_reader == !!present)
    return;
  self->chip_reader = !!present;
  fk_intake_notify (self, PROP_CHIP_READER);
}

/* ---- the chip's outcome ---------------------------------------------- */

/* Returns: (transfer none) (nullable): the chip's data, when read and not
 * refused as forged */
FkChipData *
fk_intake_get_chip (FkIntake *self)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), NULL);
  return self->chip;
}

/**
 * fk_intake_get_chip_pa:
 * @out_reason: (out) (optional): why
 *
 * Returns: what passive authentication concluded of the chip read for
 *   this citizen; %FK_CHIP_PA_NOT_CHECKED when none was read
 */
FkChipPa
fk_intake_get_chip_pa (FkIntake *self, FkChipPaReason *out_reason)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), FK_CHIP_PA_NOT_CHECKED);
  if (out_reason != NULL)
    *out_reason = self->chip_reason;
  return self->chip_pa;
}

/* Returns: (transfer none) (nullable): the portrait as the chip gave it */
GBytes *
fk_intake_get_portrait (FkIntake *self, const char **out_mime_type)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), NULL);
  if (out_mime_type != NULL)
    *out_mime_type = self->portrait_mime;
  return self->portrait;
}

gboolean
fk_intake_get_reading_chip (FkIntake *self)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), FALSE);
  return self->reading_chip;
}

static void
set_portrait (FkIntake *self, GBytes *portrait, const char *mime_type)
{
  if (self->portrait == NULL && portrait == NULL)
    return;
  g_clear_pointer (&self->portrait, g_bytes_unref);
  g_clear_pointer (&self->portrait_mime, g_free);
  if (portrait != NULL)
    {
      self->portrait = g_bytes_ref (portrait);
      self->portrait_mime = g_strdup (mime_type != NULL ? mime_type : "image/jpeg");
    }
  fk_intake_notify (self, PROP_PORTRAIT);
}

/* The chip's outcome without its data: a draft opened again, or a chip
 * whose data were refused. */
void
fk_intake_set_chip_outcome (FkIntake *self, FkChipPa pa, FkChipPaReason reason, GBytes *portrait,
                            const char *mime_type)
{
  g_clear_object (&self->chip);
  g_ptr_array_set_size (self->chip_mismatches, 0);
  self->chip_pa = pa;
  self->chip_reason = reason;
  set_portrait (self, portrait, mime_type);
  fk_intake_notify (self, PROP_CHIP);
}

/* Forgets the chip: another card, no card, the next citizen. */
void
fk_intake_clear_chip (FkIntake *self)
{
  if (self->chip == NULL && self->chip_pa == FK_CHIP_PA_NOT_CHECKED && self->portrait == NULL)
    return;
  fk_intake_set_chip_outcome (self, FK_CHIP_PA_NOT_CHECKED, FK_CHIP_PA_REASON_NONE, NULL, NULL);
}

/* Case does not matter (cards print names in capitals); tone marks do. */
static gboolean
same_text (const char *a, const char *b)
{
  g_autofree char *fa = NULL;
  g_autofree char *fb = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  fa = g_utf8_casefold (a, -1);
  fb = g_utf8_casefold (b, -1);
  return g_strcmp0 (fa, fb) == 0;
}

/* Where the chip and the QR code of the same card disagree: the QR code
 * is printed, the chip is signed; either may have been tampered with. */
static void
find_mismatches (FkIntake *self)
{
  g_autoptr (GPtrArray) others = NULL;
  g_autofree char *chip_name = NULL;
  g_autofree char *chip_birth = NULL;

  g_ptr_array_set_size (self->chip_mismatches, 0);
  if (self->chip == NULL || self->card == NULL)
    return;
  if (g_strcmp0 (fk_chip_data_get_text (self->chip, FK_CHIP_FIELD_ID_NUMBER),
                 fk_cccd_card_get_id_number (self->card)) != 0)
    g_ptr_array_add (self->chip_mismatches, "id_number");
  chip_name = fk_chip_data_dup_member (self->chip, "full_name");
  if (!same_text (chip_name, fk_cccd_card_get_full_name (self->card)))
    g_ptr_array_add (self->chip_mismatches, "full_name");
  chip_birth = fk_chip_data_dup_member (self->chip, "birth_date");
  if (g_strcmp0 (chip_birth, fk_cccd_card_get_birth_date_iso (self->card)) != 0)
    g_ptr_array_add (self->chip_mismatches, "birth_date");
  /* the rest as core compares them (sex, issue date, old ID) */
  others = fk_chip_data_compare_qr (self->chip, self->card);
  for (guint i = 0; i < others->len; i++)
    if (!g_ptr_array_find_with_equal_func (self->chip_mismatches, others->pdata[i], g_str_equal,
                                           NULL))
      g_ptr_array_add (self->chip_mismatches, others->pdata[i]);
}

/**
 * fk_intake_set_chip:
 * @chip: (nullable): the chip's data as the reader gave them; %NULL forgets
 *   the chip
 *
 * Takes the chip read for this citizen, with what passive authentication
 * concluded. Forged data (%FK_CHIP_PA_FAILED) are refused: only the
 * outcome is kept. Nothing of the identity or the form changes: the
 * values are proposed (fk_intake_dup_chip_identity(),
 * fk_intake_dup_chip_answers()).
 */
void
fk_intake_set_chip (FkIntake *self, FkChipData *chip)
{
  const char *mime = NULL;
  GBytes *portrait;

  g_return_if_fail (FK_IS_INTAKE (self));
  g_return_if_fail (chip == NULL || FK_IS_CHIP_DATA (chip));

  if (chip == NULL)
    {
      fk_intake_clear_chip (self);
      return;
    }
  if (fk_chip_data_get_pa (chip) == FK_CHIP_PA_FAILED)
    {
      fk_intake_set_chip_outcome (self, FK_CHIP_PA_FAILED, fk_chip_data_get_pa_reason (chip), NULL,
                                  NULL);
      return;
    }
  g_set_object (&self->chip, chip);
  self->chip_pa = fk_chip_data_get_pa (chip);
  self->chip_reason = fk_chip_data_get_pa_reason (chip);
  find_mismatches (self);
  portrait = fk_chip_data_get_portrait (chip, &mime);
  set_portrait (self, portrait, mime);
  fk_intake_notify (self, PROP_CHIP);
}

/**
 * fk_intake_get_chip_mismatches:
 *
 * Returns: (transfer none) (element-type utf8): the members where the
 *   chip and the card's QR code disagree ("id_number", "full_name",
 *   "birth_date", "sex", "issue_date", "old_id_number"); empty when they
 *   agree or no chip was read
 */
GPtrArray *
fk_intake_get_chip_mismatches (FkIntake *self)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), NULL);
  return self->chip_mismatches;
}

/* ---- the identity it proposes ---------------------------------------- */

/* The citizen's members the chip gives, and the chip's names for them. */
static const struct
{
  const char *citizen;
  const char *chip;
} identity_members[] = {
  { "id_number", "id_number" },        { "full_name", "full_name" },
  { "birth_date", "birth_date" },      { "sex", "sex" },
  { "address", "place_of_residence" }, { "issue_date", "issue_date" },
  { "old_id", "old_id_number" },
};

static char *
citizen_member (FkCitizen *citizen, const char *name)
{
  if (g_str_equal (name, "sex"))
    return g_strdup (fk_sex_to_string (fk_citizen_get_sex (citizen)));
  return g_strdup (g_str_equal (name, "id_number")    ? fk_citizen_get_id_number (citizen)
                   : g_str_equal (name, "full_name")  ? fk_citizen_get_full_name (citizen)
                   : g_str_equal (name, "birth_date") ? fk_citizen_get_birth_date (citizen)
                   : g_str_equal (name, "address")    ? fk_citizen_get_address (citizen)
                   : g_str_equal (name, "issue_date") ? fk_citizen_get_issue_date (citizen)
                                                      : fk_citizen_get_old_id (citizen));
}

static void
set_citizen_member (FkCitizen *citizen, const char *name, const char *value)
{
  if (g_str_equal (name, "sex"))
    fk_citizen_set_sex (citizen, fk_sex_from_string (value));
  else if (g_str_equal (name, "id_number"))
    fk_citizen_set_id_number (citizen, value);
  else if (g_str_equal (name, "full_name"))
    fk_citizen_set_full_name (citizen, value);
  else if (g_str_equal (name, "birth_date"))
    fk_citizen_set_birth_date (citizen, value);
  else if (g_str_equal (name, "address"))
    fk_citizen_set_address (citizen, value);
  else if (g_str_equal (name, "issue_date"))
    fk_citizen_set_issue_date (citizen, value);
  else
    fk_citizen_set_old_id (citizen, value);
}

/**
 * fk_intake_dup_chip_identity:
 *
 * Returns: (transfer full) (element-type FkIntakeChipValue): the members
 *   of the citizen the chip gives ("id_number", "full_name", "birth_date"
 *   YYYY-MM-DD, "sex", "address", "issue_date", "old_id"), each with what
 *   the citizen holds now; empty without a chip
 */
GPtrArray *
fk_intake_dup_chip_identity (FkIntake *self)
{
  GPtrArray *values = g_ptr_array_new_with_free_func ((GDestroyNotify) fk_intake_chip_value_free);

  g_return_val_if_fail (FK_IS_INTAKE (self), values);

  for (guint i = 0; self->chip != NULL && i < G_N_ELEMENTS (identity_members); i++)
    {
      g_autofree char *chip = fk_chip_data_dup_member (self->chip, identity_members[i].chip);
      FkIntakeChipValue *value;

      if (chip == NULL)
        continue;
      value = g_new0 (FkIntakeChipValue, 1);
      value->name = g_strdup (identity_members[i].citizen);
      value->value = g_steal_pointer (&chip);
      value->current = citizen_member (self->citizen, identity_members[i].citizen);
      if (value->current != NULL && *value->current == '\0')
        g_clear_pointer (&value->current, g_free);
      g_ptr_array_add (values, value);
    }
  return values;
}

/* A copy of @citizen, to change and put in the model's place. */
static FkCitizen *
copy_citizen (FkCitizen *citizen)
{
  g_autoptr (JsonNode) json = fk_citizen_to_json (citizen);
  FkCitizen *copy = fk_citizen_new_from_json (json, NULL);

  /* what the model holds always reads back; never lose the officer's typing */
  return copy != NULL ? copy : g_object_ref (citizen);
}

/**
 * fk_intake_accept_chip_identity:
 *
 * The officer takes the identity the chip gives: every member of
 * fk_intake_dup_chip_identity() becomes the citizen's (the phone and the
 * commune stay). The citizen is replaced (notify "citizen").
 *
 * Returns: %FALSE when there is no chip's data to take
 */
gboolean
fk_intake_accept_chip_identity (FkIntake *self)
{
  g_autoptr (GPtrArray) values = NULL;
  g_autoptr (FkCitizen) citizen = NULL;

  g_return_val_if_fail (FK_IS_INTAKE (self), FALSE);

  if (self->chip == NULL)
    return FALSE;
  values = fk_intake_dup_chip_identity (self);
  citizen = copy_citizen (self->citizen);
  for (guint i = 0; i < values->len; i++)
    {
      FkIntakeChipValue *value = g_ptr_array_index (values, i);

      set_citizen_member (citizen, value->name, value->value);
    }
  g_set_object (&self->citizen, citizen);
  fk_intake_notify (self, PROP_CITIZEN);
  return TRUE;
}

/* ---- the form's fields it proposes ----------------------------------- */

/* A chip's value as the officer would type it into the form. */
static char *
as_answer (FkChipMemberKind kind, char *value)
{
  int y, m, d;

  if (kind == FK_CHIP_MEMBER_DATE && sscanf (value, "%d-%d-%d", &y, &m, &d) == 3)
    {
      g_free (value);
      return g_strdup_printf ("%02d/%02d/%04d", d, m, y);
    }
  return value;
}

/**
 * fk_intake_dup_chip_answers:
 *
 * Returns: (transfer full) (element-type FkIntakeChipValue): for each
 *   field of the procedure's form that takes a chip member (`from_card`)
 *   and that the chip gives, the value as an answer is entered (a date
 *   day/month/year), with the answer now; empty without a chip or a
 *   procedure. Ethnicity and religion come out only this way: for a form
 *   that asks for them.
 */
GPtrArray *
fk_intake_dup_chip_answers (FkIntake *self)
{
  GPtrArray *values = g_ptr_array_new_with_free_func ((GDestroyNotify) fk_intake_chip_value_free);
  GPtrArray *fields;

  g_return_val_if_fail (FK_IS_INTAKE (self), values);

  if (self->chip == NULL || self->procedure == NULL)
    return values;
  fields = fk_procedure_get_fields (self->procedure);
  for (guint i = 0; i < fields->len; i++)
    {
      const FkProcedureField *field = g_ptr_array_index (fields, i);
      const char *member = fk_procedure_field_get_from_card (field);
      const char *name = fk_procedure_field_get_name (field);
      char *chip = member != NULL ? fk_chip_data_dup_member (self->chip, member) : NULL;
      const char *now = g_hash_table_lookup (self->answers, name);
      FkIntakeChipValue *value;

      if (chip == NULL)
        continue;
      value = g_new0 (FkIntakeChipValue, 1);
      value->name = g_strdup (name);
      value->value = as_answer (fk_chip_member_get_kind (member), chip);
      value->current = now != NULL && *now != '\0' ? g_strdup (now) : NULL;
      g_ptr_array_add (values, value);
    }
  return values;
}

/**
 * fk_intake_accept_chip_answers:
 *
 * The officer takes the chip's values for the form: each answer of
 * fk_intake_dup_chip_answers() is set (notify "answers" once).
 *
 * Returns: how many fields were filled in
 */
guint
fk_intake_accept_chip_answers (FkIntake *self)
{
  g_autoptr (GPtrArray) values = NULL;

  g_return_val_if_fail (FK_IS_INTAKE (self), 0);

  values = fk_intake_dup_chip_answers (self);
  for (guint i = 0; i < values->len; i++)
    {
      FkIntakeChipValue *value = g_ptr_array_index (values, i);

      g_hash_table_insert (self->answers, g_strdup (value->name), g_strdup (value->value));
    }
  if (values->len > 0)
    fk_intake_notify (self, PROP_ANSWERS);
  return values->len;
}

/* ---- reading --------------------------------------------------------- */

typedef struct
{
  guint generation;
  FkCardReadStats stats;
} ChipRead;

static void
set_reading (FkIntake *self, gboolean reading)
{
  self->reading_chip = reading;
  fk_intake_notify (self, PROP_READING_CHIP);
}

static void
chip_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  FkIntake *self = g_task_get_source_object (task);
  ChipRead *read = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr (FkChipData) chip =
    fk_card_reader_read_finish (FK_CARD_READER (source), result, &read->stats, &error);

  set_reading (self, FALSE);
  if (chip == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The wizard started over meanwhile: that card was the citizen before. */
  if (read->generation != self->generation)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                               _ ("The intake started over during the read."));
      return;
    }
  g_debug ("chip read: %s, %s, %u APDUs, %u BAC tries, %" G_GINT64_FORMAT " ms",
           fk_chip_access_to_string (fk_chip_data_get_access (chip)),
           fk_chip_pa_to_string (fk_chip_data_get_pa (chip)), read->stats.n_apdus,
           read->stats.n_bac_tries, read->stats.elapsed_us / 1000);
  fk_intake_set_chip (self, chip);
  g_task_return_boolean (task, TRUE);
}

/* The request the chip is opened with: the QR code's ID number, birth
 * and issue dates (the chip's key is printed on the same card), the expiry
 * typed. */
static FkCardRequest *
make_request (FkIntake *self, const char *expiry, gboolean no_expiry, const char *trust,
              GError **error)
{
  g_autoptr (FkCardRequest) request = NULL;
  GDate typed;
  int d, m, y;

  if (self->card == NULL)
    {
      g_set_error_literal (error, FK_INTAKE_ERROR, FK_INTAKE_ERROR_NO_CARD,
                           _ ("Scan the card's QR code first: its ID number and birth date open "
                              "the chip."));
      return NULL;
    }
  g_date_clear (&typed, 1);
  request = fk_card_request_new (fk_cccd_card_get_id_number (self->card),
                                 fk_cccd_card_get_birth_date (self->card));
  fk_card_request_set_issued (request, fk_cccd_card_get_issue_date (self->card));
  if (no_expiry)
    fk_card_request_set_expiry (request, NULL, TRUE);
  else if (expiry != NULL && *expiry != '\0')
    {
      if (sscanf (expiry, "%d/%d/%d", &d, &m, &y) != 3 || y < 1900 || y > 9999 ||
          !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
        {
          g_set_error_literal (error, FK_INTAKE_ERROR, FK_INTAKE_ERROR_CARD_EXPIRY,
                               _ ("Type the expiry date printed on the card as day/month/year."));
          return NULL;
        }
      g_date_set_dmy (&typed, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
      fk_card_request_set_expiry (request, &typed, FALSE);
    }
  fk_card_request_set_trust (request, trust != NULL && *trust != '\0' ? trust : NULL);
  if (!fk_card_request_is_valid (request, error))
    return NULL;
  return g_steal_pointer (&request);
}

/**
 * fk_intake_read_chip_async:
 * @reader: the card reader, with the card on it
 * @expiry: (nullable): the expiry printed on the card, day/month/year, as
 *   typed; %NULL or "" to try the predicted ones
 * @no_expiry: the card says it has no expiry ("Không thời hạn")
 * @trust: (nullable): the CSCA certificate or folder to check the chip's
 *   signature against; %NULL trusts none (the data read as unverified)
 *
 * Reads the chip in the reader's worker thread and takes its data
 * (fk_intake_set_chip()). A read that fails changes nothing.
 */
void
fk_intake_read_chip_async (FkIntake *self, FkCardReader *reader, const char *expiry,
                           gboolean no_expiry, const char *trust, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (FkCardRequest) request = NULL;
  GError *error = NULL;
  ChipRead *read;

  g_return_if_fail (FK_IS_INTAKE (self));
  g_return_if_fail (FK_IS_CARD_READER (reader));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_intake_read_chip_async);
  read = g_new0 (ChipRead, 1);
  read->generation = self->generation;
  g_task_set_task_data (task, read, g_free);
  request = make_request (self, expiry, no_expiry, trust, &error);
  if (request == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  set_reading (self, TRUE);
  fk_card_reader_read_async (reader, request, cancellable, chip_read, g_steal_pointer (&task));
}

/**
 * fk_intake_read_chip_finish:
 * @stats: (out) (optional): what the read cost (APDUs, BAC tries, time)
 *
 * Returns: %TRUE when the chip was read (see fk_intake_get_chip_pa() for
 *   whether its data can be trusted); else %FALSE with @error:
 *   %FK_HW_ERROR (card removed, access refused, no card, reader busy…),
 *   %FK_INTAKE_ERROR_CARD_EXPIRY or %FK_INTAKE_ERROR_NO_CARD, or
 *   %G_IO_ERROR_CANCELLED
 */
gboolean
fk_intake_read_chip_finish (FkIntake *self, GAsyncResult *result, FkCardReadStats *stats,
                            GError **error)
{
  ChipRead *read;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_intake_read_chip_async,
                        FALSE);
  read = g_task_get_task_data (G_TASK (result));
  if (stats != NULL)
    *stats = read->stats;
  return g_task_propagate_boolean (G_TASK (result), error);
}
