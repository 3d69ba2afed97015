/* fk-cccd.c: the QR payload of a Vietnamese chip ID card (CCCD)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>

#include "fk-cccd.h"
#include "fk-core-init.h"
#include "fk-text.h"

#define PROVINCE_RESOURCE "/vn/fieldkit/core/data/cccd-province-codes.csv"
#define MIN_FIELDS        7

G_DEFINE_ENUM_TYPE (FkSex, fk_sex, G_DEFINE_ENUM_VALUE (FK_SEX_UNKNOWN, "unknown"),
                    G_DEFINE_ENUM_VALUE (FK_SEX_MALE, "male"),
                    G_DEFINE_ENUM_VALUE (FK_SEX_FEMALE, "female"))

/**
 * fk_sex_to_string:
 *
 * Returns: (nullable): "male", "female", or %NULL when unknown
 */
const char *
fk_sex_to_string (FkSex sex)
{
  switch (sex)
    {
      case FK_SEX_MALE:
        return "male";
      case FK_SEX_FEMALE:
        return "female";
      case FK_SEX_UNKNOWN:
      default:
        return NULL;
    }
}

FkSex
fk_sex_from_string (const char *s)
{
  if (g_strcmp0 (s, "male") == 0)
    return FK_SEX_MALE;
  if (g_strcmp0 (s, "female") == 0)
    return FK_SEX_FEMALE;
  return FK_SEX_UNKNOWN;
}

typedef struct
{
  const char *code;
  const char *message;
} ProblemInfo;

static const ProblemInfo problems[FK_CCCD_PROBLEM_LAST] = {
  [FK_CCCD_PROBLEM_NOT_UTF8] = { "not-utf8",
                                 N_ ("The scanner produced garbled text (not UTF-8). Set the "
                                     "scanner to UTF-8 or binary mode and scan the card again.") },
  [FK_CCCD_PROBLEM_GARBLED_TEXT] = { "garbled-text",
                                     N_ ("The scanner produced garbled text: the accents were "
                                         "decoded wrongly. Scan the card again.") },
  [FK_CCCD_PROBLEM_TOO_FEW_FIELDS] = { "too-few-fields",
                                       N_ ("This is not a complete CCCD code: it has fewer than 7 "
                                           "fields separated by “|”. Scan the "
                                           "QR code on the chip ID card again.") },
  [FK_CCCD_PROBLEM_ID_FORMAT] = { "id-format", N_ ("The ID number must be exactly 12 digits.") },
  [FK_CCCD_PROBLEM_UNKNOWN_PROVINCE] = { "unknown-province",
                                         N_ ("The first 3 digits of the ID number are not a known "
                                             "province code.") },
  [FK_CCCD_PROBLEM_SEX_DIGIT_MISMATCH] = { "sex-digit-mismatch",
                                           N_ ("The 4th digit of the ID number does not match the "
                                               "sex on the card.") },
  [FK_CCCD_PROBLEM_CENTURY_DIGIT_MISMATCH] = { "century-digit-mismatch",
                                               N_ ("The 4th digit of the ID number does not match "
                                                   "the century of the birth date.") },
  [FK_CCCD_PROBLEM_BIRTH_YEAR_MISMATCH] = { "birth-year-mismatch",
                                            N_ ("Digits 5–6 of the ID number do not match the last "
                                                "two digits of the birth year.") },
  [FK_CCCD_PROBLEM_BIRTH_DATE_INVALID] = { "birth-date-invalid", N_ ("The birth date is not a real "
                                                                     "date (expected ddmmyyyy).") },
  [FK_CCCD_PROBLEM_BIRTH_DATE_FUTURE] = { "birth-date-future",
                                          N_ ("The birth date is in the future.") },
  [FK_CCCD_PROBLEM_ISSUE_DATE_INVALID] = { "issue-date-invalid", N_ ("The issue date is not a real "
                                                                     "date (expected ddmmyyyy).") },
  [FK_CCCD_PROBLEM_ISSUE_BEFORE_BIRTH] = { "issue-before-birth",
                                           N_ ("The issue date is before the birth date.") },
  [FK_CCCD_PROBLEM_ISSUE_DATE_FUTURE] = { "issue-date-future",
                                          N_ ("The issue date is in the future. Check the date of "
                                              "this device.") },
  [FK_CCCD_PROBLEM_OLD_ID_FORMAT] = { "old-id-format", N_ ("The old ID number (CMND) must be "
                                                           "empty, 9 digits or 12 digits.") },
  [FK_CCCD_PROBLEM_SEX_INVALID] = { "sex-invalid", N_ ("The sex must be “Nam” or “Nữ”.") },
  [FK_CCCD_PROBLEM_FIELD_TOO_LONG] = { "field-too-long",
                                       N_ ("The name or the address is longer than a card can "
                                           "hold. Scan the card again.") },
  [FK_CCCD_PROBLEM_NAME_EMPTY] = { "name-empty", N_ ("The full name is empty.") },
  [FK_CCCD_PROBLEM_EXTRA_FIELDS] = { "extra-fields", N_ ("The card carries extra fields (newer "
                                                         "card); they were kept as they "
                                                         "are.") },
  [FK_CCCD_PROBLEM_NAME_LOWERCASE] = { "name-lowercase",
                                       N_ ("The full name is all lowercase; check it against the "
                                           "printed card.") },
  [FK_CCCD_PROBLEM_NAME_HAS_DIGITS] = { "name-has-digits",
                                        N_ ("The full name contains digits; check it against the "
                                            "printed card.") },
  [FK_CCCD_PROBLEM_ADDRESS_EMPTY] = { "address-empty",
                                      N_ ("The address is empty; ask the citizen for it.") },
};

gboolean
fk_cccd_problem_is_error (FkCccdProblem problem)
{
  return problem <= FK_CCCD_PROBLEM_NAME_EMPTY;
}

/**
 * fk_cccd_problem_to_string:
 *
 * Returns: a stable code such as "id-format", for scripts and logs
 */
const char *
fk_cccd_problem_to_string (FkCccdProblem problem)
{
  g_return_val_if_fail (problem < FK_CCCD_PROBLEM_LAST, NULL);
  return problems[problem].code;
}

/**
 * fk_cccd_problem_get_message:
 *
 * Returns: what the officer should know and do, in the user's language
 */
const char *
fk_cccd_problem_get_message (FkCccdProblem problem)
{
  g_return_val_if_fail (problem < FK_CCCD_PROBLEM_LAST, NULL);
  return _ (problems[problem].message);
}

const char *
fk_cccd_problem_get_message_en (FkCccdProblem problem)
{
  g_return_val_if_fail (problem < FK_CCCD_PROBLEM_LAST, NULL);
  return problems[problem].message;
}

/* Province codes of Circular 07/2016/TT-BCA */

static GHashTable *
province_table (void)
{
  static GHashTable *table = NULL;
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      GHashTable *t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_autoptr (GBytes) bytes = NULL;
      g_auto (GStrv) lines = NULL;

      fk_core_ensure_resources ();
      /* Compiled into the library: failing to find it is a build bug. */
      bytes = g_resources_lookup_data (PROVINCE_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      g_assert (bytes != NULL);
      lines = g_strsplit (g_bytes_get_data (bytes, NULL), "\n", -1);
      for (guint i = 1; lines[i] != NULL; i++)
        {
          g_auto (GStrv) cols = g_strsplit (g_strchomp (lines[i]), ",", 2);

          if (g_strv_length (cols) == 2 && strlen (cols[0]) == 3)
            g_hash_table_insert (t, g_strdup (cols[0]), g_strdup (cols[1]));
        }
      table = t;
      g_once_init_leave (&once, 1);
    }
  return table;
}

/**
 * fk_cccd_province_name:
 * @code: a 3-digit code as on the ID card ("001")
 *
 * The province where the birth was registered, as it was before the 2025
 * merger. Never map this code to a 2025 province by number.
 *
 * Returns: (nullable): the pre-2025 province name, %NULL when unknown
 */
const char *
fk_cccd_province_name (const char *code)
{
  if (code == NULL)
    return NULL;
  return g_hash_table_lookup (province_table (), code);
}

/* The card */

struct _FkCccdCard
{
  GObject parent_instance;

  GBytes *raw;
  char *id_number;
  char *old_id;
  char *full_name;
  GDate birth_date;
  char *birth_date_iso;
  FkSex sex;
  char *address;
  GDate issue_date;
  char *issue_date_iso;
  char *province_code;
  const char *province_name;
  GStrv extra_fields;
  GArray *errors;   /* FkCccdProblem */
  GArray *warnings; /* FkCccdProblem */
};

G_DEFINE_FINAL_TYPE (FkCccdCard, fk_cccd_card, G_TYPE_OBJECT)

static void
fk_cccd_card_finalize (GObject *object)
{
  FkCccdCard *self = FK_CCCD_CARD (object);

  g_clear_pointer (&self->raw, g_bytes_unref);
  g_free (self->id_number);
  g_free (self->old_id);
  g_free (self->full_name);
  g_free (self->birth_date_iso);
  g_free (self->address);
  g_free (self->issue_date_iso);
  g_free (self->province_code);
  g_strfreev (self->extra_fields);
  g_array_unref (self->errors);
  g_array_unref (self->warnings);
  G_OBJECT_CLASS (fk_cccd_card_parent_class)->finalize (object);
}

static void
fk_cccd_card_class_init (FkCccdCardClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fk_cccd_card_finalize;
}

static void
fk_cccd_card_init (FkCccdCard *self)
{
  g_date_clear (&self->birth_date, 1);
  g_date_clear (&self->issue_date, 1);
  self->errors = g_array_new (FALSE, FALSE, sizeof (FkCccdProblem));
  self->warnings = g_array_new (FALSE, FALSE, sizeof (FkCccdProblem));
}

static void
add_problem (FkCccdCard *self, FkCccdProblem problem)
{
  GArray *list = fk_cccd_problem_is_error (problem) ? self->errors : self->warnings;

  for (guint i = 0; i < list->len; i++)
    if (g_array_index (list, FkCccdProblem, i) == problem)
      return;
  g_array_append_val (list, problem);
}

/* Windows-1252 characters of bytes 0x80–0x9F, which a scanner decoding UTF-8
 * bytes as that code page produces. */
static const gunichar cp1252_high[32] = {
  0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
  0x2039, 0x0152, 0x8D,   0x017D, 0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
  0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178,
};

static int
cp1252_byte (gunichar c)
{
  if (c <= 0xFF)
    return (int) c;
  for (int i = 0; i < 32; i++)
    if (cp1252_high[i] == c)
      return 0x80 + i;
  return -1;
}

/* A scanner that could not decode a byte puts U+FFFD in its place. UTF-8
 * that was decoded as Latin-1 or Windows-1252 and encoded again
 * ("Nguyá»…n" for "Nguyễn") is valid UTF-8 but unreadable: such text maps
 * back to bytes one character each, and those bytes are UTF-8 with
 * multi-byte sequences; genuine Vietnamese never does both. */
static gboolean
looks_garbled (const char *text)
{
  g_autoptr (GString) bytes = g_string_new (NULL);
  gboolean high = FALSE;

  if (strstr (text, "\xef\xbf\xbd") != NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int b = cp1252_byte (c);

      if (b < 0)
        return FALSE;
      high = high || b >= 0x80;
      g_string_append_c (bytes, (char) b);
    }
  return high && g_utf8_validate_len (bytes->str, bytes->len, NULL);
}

static gboolean
parse_dmy (const char *s, GDate *date)
{
  guint d, m, y;

  g_date_clear (date, 1);
  if (strlen (s) != 8 || !fk_text_is_digits (s, 8))
    return FALSE;
  d = (guint) ((s[0] - '0') * 10 + (s[1] - '0'));
  m = (guint) ((s[2] - '0') * 10 + (s[3] - '0'));
  y = (guint) g_ascii_strtoull (s + 4, NULL, 10);
  if (y < 1800 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  g_date_set_dmy (date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

static char *
date_to_iso (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

static gboolean
has_lowercase_only (const char *s)
{
  gboolean lower = FALSE;

  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isupper (c) || g_unichar_istitle (c))
        return FALSE;
      lower = lower || g_unichar_islower (c);
    }
  return lower;
}

static gboolean
has_digit (const char *s)
{
  for (const char *p = s; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      return TRUE;
  return FALSE;
}

static void
check_id_number (FkCccdCard *self)
{
  const char *id = self->id_number;
  int century_digit;

  if (strlen (id) != 12 || !fk_text_is_digits (id, 12))
    {
      add_problem (self, FK_CCCD_PROBLEM_ID_FORMAT);
      return;
    }

  self->province_code = g_strndup (id, 3);
  self->province_name = fk_cccd_province_name (self->province_code);
  if (self->province_name == NULL)
    add_problem (self, FK_CCCD_PROBLEM_UNKNOWN_PROVINCE);

  /* 0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s, … */
  century_digit = id[3] - '0';
  if (self->sex != FK_SEX_UNKNOWN &&
      (century_digit % 2 == 0 ? FK_SEX_MALE : FK_SEX_FEMALE) != self->sex)
    add_problem (self, FK_CCCD_PROBLEM_SEX_DIGIT_MISMATCH);
  if (g_date_valid (&self->birth_date))
    {
      guint year = g_date_get_year (&self->birth_date);

      if (year / 100 != 19u + (guint) century_digit / 2)
        add_problem (self, FK_CCCD_PROBLEM_CENTURY_DIGIT_MISMATCH);
      if (year % 100 != (guint) ((id[4] - '0') * 10 + (id[5] - '0')))
        add_problem (self, FK_CCCD_PROBLEM_BIRTH_YEAR_MISMATCH);
    }
}

static void
parse_fields (FkCccdCard *self, char **fields, const GDate *today)
{
  guint n = g_strv_length (fields);
  g_autofree char *sex = NULL;
  gboolean extra_content = FALSE;

  self->id_number = g_strstrip (g_strdup (fields[0]));
  self->old_id = g_strstrip (g_strdup (fields[1]));
  self->full_name = fk_text_normalize (fields[2]);
  sex = fk_text_normalize (fields[4]);
  self->address = fk_text_normalize (fields[5]);

  self->extra_fields = g_new0 (char *, n - MIN_FIELDS + 1);
  for (guint i = MIN_FIELDS; i < n; i++)
    {
      self->extra_fields[i - MIN_FIELDS] = fk_text_normalize (fields[i]);
      extra_content = extra_content || *self->extra_fields[i - MIN_FIELDS] != '\0';
    }

  /* The limits of the citizen model: beyond them the scan is garbage. */
  if (g_utf8_strlen (self->full_name, -1) > FK_CCCD_MAX_NAME ||
      g_utf8_strlen (self->address, -1) > FK_CCCD_MAX_ADDRESS)
    add_problem (self, FK_CCCD_PROBLEM_FIELD_TOO_LONG);
  if (*self->full_name == '\0')
    add_problem (self, FK_CCCD_PROBLEM_NAME_EMPTY);
  else if (has_lowercase_only (self->full_name))
    add_problem (self, FK_CCCD_PROBLEM_NAME_LOWERCASE);
  if (has_digit (self->full_name))
    add_problem (self, FK_CCCD_PROBLEM_NAME_HAS_DIGITS);

  if (g_str_equal (sex, "Nam"))
    self->sex = FK_SEX_MALE;
  else if (g_str_equal (sex, "Nữ"))
    self->sex = FK_SEX_FEMALE;
  else
    add_problem (self, FK_CCCD_PROBLEM_SEX_INVALID);

  {
    g_autofree char *birth = g_strstrip (g_strdup (fields[3]));
    g_autofree char *issue = g_strstrip (g_strdup (fields[6]));

    if (parse_dmy (birth, &self->birth_date))
      {
        self->birth_date_iso = date_to_iso (&self->birth_date);
        if (g_date_compare (&self->birth_date, today) > 0)
          add_problem (self, FK_CCCD_PROBLEM_BIRTH_DATE_FUTURE);
      }
    else
      add_problem (self, FK_CCCD_PROBLEM_BIRTH_DATE_INVALID);

    if (parse_dmy (issue, &self->issue_date))
      {
        self->issue_date_iso = date_to_iso (&self->issue_date);
        if (g_date_valid (&self->birth_date) &&
            g_date_compare (&self->issue_date, &self->birth_date) < 0)
          add_problem (self, FK_CCCD_PROBLEM_ISSUE_BEFORE_BIRTH);
        if (g_date_compare (&self->issue_date, today) > 0)
          add_problem (self, FK_CCCD_PROBLEM_ISSUE_DATE_FUTURE);
      }
    else
      add_problem (self, FK_CCCD_PROBLEM_ISSUE_DATE_INVALID);
  }

  check_id_number (self);

  {
    gsize len = strlen (self->old_id);

    if (len != 0 && !((len == 9 || len == 12) && fk_text_is_digits (self->old_id, len)))
      add_problem (self, FK_CCCD_PROBLEM_OLD_ID_FORMAT);
  }

  if (*self->address == '\0')
    add_problem (self, FK_CCCD_PROBLEM_ADDRESS_EMPTY);
  if (extra_content)
    add_problem (self, FK_CCCD_PROBLEM_EXTRA_FIELDS);
}

/**
 * fk_cccd_parse_full:
 * @data: (array length=len): the bytes the scanner read
 * @len: how many
 * @today: (nullable): the date for the "not in the future" rules; %NULL
 *   for the local date
 *
 * Parses and checks a CCCD QR payload. Never fails: every broken rule is
 * recorded on the card (fk_cccd_card_get_errors()), so the officer sees
 * all of them at once.
 *
 * Returns: (transfer full): the card
 */
FkCccdCard *
fk_cccd_parse_full (const guint8 *data, gsize len, const GDate *today)
{
  g_autoptr (FkCccdCard) self = g_object_new (FK_TYPE_CCCD_CARD, NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) fields = NULL;
  GDate now;
  gsize end = len;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  self->raw = g_bytes_new (data, len);
  if (today == NULL)
    {
      g_date_clear (&now, 1);
      g_date_set_time_t (&now, time (NULL));
      today = &now;
    }

  while (end > 0 && (data[end - 1] == '\n' || data[end - 1] == '\r'))
    end--;
  /* An empty payload may come as NULL. */
  text = g_malloc (end + 1);
  if (end > 0)
    memcpy (text, data, end);
  text[end] = '\0';
  if (!g_utf8_validate_len (text, end, NULL))
    {
      add_problem (self, FK_CCCD_PROBLEM_NOT_UTF8);
      return g_steal_pointer (&self);
    }
  if (looks_garbled (text))
    {
      add_problem (self, FK_CCCD_PROBLEM_GARBLED_TEXT);
      return g_steal_pointer (&self);
    }

  fields = g_strsplit (text, "|", -1);
  if (g_strv_length (fields) < MIN_FIELDS)
    {
      add_problem (self, FK_CCCD_PROBLEM_TOO_FEW_FIELDS);
      return g_steal_pointer (&self);
    }
  parse_fields (self, fields, today);
  return g_steal_pointer (&self);
}

/**
 * fk_cccd_parse:
 *
 * fk_cccd_parse_full() against today's date.
 *
 * Returns: (transfer full): the card
 */
FkCccdCard *
fk_cccd_parse (const guint8 *data, gsize len)
{
  return fk_cccd_parse_full (data, len, NULL);
}

gboolean
fk_cccd_card_is_valid (FkCccdCard *self)
{
  g_return_val_if_fail (FK_IS_CCCD_CARD (self), FALSE);
  return self->errors->len == 0;
}

/**
 * fk_cccd_card_get_id_number:
 *
 * Returns: (nullable): the 12-digit ID as read, %NULL when the payload
 *   could not be split into fields
 */
const char *
fk_cccd_card_get_id_number (FkCccdCard *self)
{
  g_return_val_if_fail (FK_IS_CCCD_CARD (self), NULL);
  return self->id_number;
}

const char *
fk_cccd_card_get_old_id (FkCccdCard *self)
{
  g_return_val_if_fail (FK_IS_CCCD_CARD (self), NULL);
  return self->old_id;
}

const char *
fk_cccd_card_get_full_name (FkCccdCard *self)
{
  g_return_val_if_fail (FK_IS_CCCD_CARD (self), NULL);
  return self->full_name;
}

/**
 * fk_cccd_card_get_birth_date:
 *
 * Returns: (nullable): the birth date, %NULL when it is not a real date
 */
const GDate *
fk_cccd_card_get_birth_date (FkCccdCard *self)
{
  g_return_val_if_fail (FK_IS_CCCD_CARD (self), NULL);
  return g_date_valid (&self->birth_date) ? &self->birth_date : NULL;
}

const char *
fk_cccd_card_get_birth_date_iso (FkCccdCard *self)
{
  g_return_val_if_fail (FK_IS_CCCD_CARD (self), NULL);
  return self->birth_date_iso;
}

FkSex
fk_cccd_card_get_sex (FkCccdCard *self)
{
  g_return_val_if_fail (FK_IS_CCCD_CARD (self), FK_SEX_UNKNOWN);
  return self->sex;
}

const char *
fk_cccd_card_get_address (FkCccdCard *self)
{
  g_return_val_if_fail (FK_IS_CCCD_CARD (self), NULL);
  return self->address;
}

const GDate *
fk_cccd_card_get_issue_date (FkCccdCard *self)
{
  g_return_val_if_fail (FK_IS_CCCD_CARD (self), NULL);
  return g_date_valid (&self->issue_date) ? &self->issue_date : NULL;
}

const char *
fk_cccd_card_get_issue_date_iso (FkCccdCard *self)
{
  g_return_val_if_fail (FK_IS_CCCD_CARD (self), NULL);
  return self->issue_date_iso;
}

const char *
fk_cccd_card_get_birth_province_code (FkCccdCard *self)
{
  g_return_val_if_fail (FK_IS_CCCD_CARD (self), NULL);
  return self->province_code;
}

const char *
fk_cccd_card_get_birth_province_name (FkCccdCard *self)
{
  g_return_val_if_fail (FK_IS_CCCD_CARD (self), NULL);
  return self->province_name;
}

/**
 * fk_cccd_card_get_extra_fields:
 *
 * Returns: (transfer none) (nullable): fields after the 7th, normalised,
 *   often empty strings
 */
const char *const *
fk_cccd_card_get_extra_fields (FkCccdCard *self)
{
  g_return_val_if_fail (FK_IS_CCCD_CARD (self), NULL);
  return (const char *const *) self->extra_fields;
}

/**
 * fk_cccd_card_get_raw:
 *
 * Returns: (transfer none): the payload exactly as scanned
 */
GBytes *
fk_cccd_card_get_raw (FkCccdCard *self)
{
  g_return_val_if_fail (FK_IS_CCCD_CARD (self), NULL);
  return self->raw;
}

/**
 * fk_cccd_card_get_errors:
 *
 * Returns: (transfer none) (element-type FkCccdProblem): the broken rules
 */
const GArray *
fk_cccd_card_get_errors (FkCccdCard *self)
{
  g_return_val_if_fail (FK_IS_CCCD_CARD (self), NULL);
  return self->errors;
}

/**
 * fk_cccd_card_get_warnings:
 *
 * Returns: (transfer none) (element-type FkCccdProblem): what to check
 */
const GArray *
fk_cccd_card_get_warnings (FkCccdCard *self)
{
  g_return_val_if_fail (FK_IS_CCCD_CARD (self), NULL);
  return self->warnings;
}

gboolean
fk_cccd_card_has_problem (FkCccdCard *self, FkCccdProblem problem)
{
  GArray *list;

  g_return_val_if_fail (FK_IS_CCCD_CARD (self), FALSE);
  list = fk_cccd_problem_is_error (problem) ? self->errors : self->warnings;
  for (guint i = 0; i < list->len; i++)
    if (g_array_index (list, FkCccdProblem, i) == problem)
      return TRUE;
  return FALSE;
}

static void
add_nullable_string (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_problems (JsonBuilder *builder, const char *name, GArray *list)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    {
      FkCccdProblem problem = g_array_index (list, FkCccdProblem, i);

      json_builder_begin_object (builder);
      add_nullable_string (builder, "code", fk_cccd_problem_to_string (problem));
      add_nullable_string (builder, "message", fk_cccd_problem_get_message (problem));
      add_nullable_string (builder, "message_en", fk_cccd_problem_get_message_en (problem));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/**
 * fk_cccd_card_to_json:
 *
 * The card as `fieldkit-ctl id parse` prints it. Fields that could not be
 * read are null.
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
fk_cccd_card_to_json (FkCccdCard *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (FK_IS_CCCD_CARD (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "valid");
  json_builder_add_boolean_value (builder, fk_cccd_card_is_valid (self));
  add_nullable_string (builder, "id_number", self->id_number);
  add_nullable_string (builder, "old_id", self->old_id);
  add_nullable_string (builder, "full_name", self->full_name);
  add_nullable_string (builder, "birth_date", self->birth_date_iso);
  add_nullable_string (builder, "sex", fk_sex_to_string (self->sex));
  add_nullable_string (builder, "address", self->address);
  add_nullable_string (builder, "issue_date", self->issue_date_iso);
  json_builder_set_member_name (builder, "birth_province");
  if (self->province_code != NULL)
    {
      json_builder_begin_object (builder);
      add_nullable_string (builder, "code", self->province_code);
      add_nullable_string (builder, "name", self->province_name);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "extra_fields");
  json_builder_begin_array (builder);
  for (guint i = 0; self->extra_fields != NULL && self->extra_fields[i] != NULL; i++)
    json_builder_add_string_value (builder, self->extra_fields[i]);
  json_builder_end_array (builder);
  add_problems (builder, "errors", self->errors);
  add_problems (builder, "warnings", self->warnings);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
