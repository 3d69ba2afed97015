/* fk-chip-data.c: what the chip of a CCCD holds, as typed data
 *
 * DG13 as public readers of these cards and their test builders lay it out
 * (it is not defined by ICAO; Doc 9303 part 10 leaves DG13 to the issuing
 * state):
 *
 *   6D { SEQUENCE { [SEQUENCE {] INTEGER 1, OID 1.0.10646.1.0.8,
 *        SET { SEQUENCE { INTEGER n, value } … } [}] } }
 *
 * Some builders put one more SEQUENCE around the content than others, so
 * the parser looks for the SET of numbered entries rather than walking a
 * fixed path. Values are UTF8String (PrintableString tolerated); entry 13
 * is a SEQUENCE { father, mother } and entry 14 the spouse, either bare or
 * in a SEQUENCE of one. The old ID number is entry 15 on most cards and 16
 * on some: 15 wins, 16 is taken only when it looks like an old ID (9 or 12
 * digits), since one reader reports a 16-character hex serial there.
 *
 * Invariants: every text is valid UTF-8 in NFC, trimmed, never empty
 * (absent fields are %NULL); every date is valid or cleared.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <time.h>

#include "fk-chip-data.h"
#include "fk-core-error.h"
#include "fk-text.h"
#include "fk-tlv.h"

#define MAX_DG13_DEPTH  4
#define MAX_FIELD_CHARS FK_CCCD_MAX_ADDRESS

struct _FkChipData
{
  GObject parent_instance;

  char *text[FK_CHIP_FIELD_LAST];
  GDate birth_date;
  GDate issue_date;
  GDate expiry_date;
  gboolean no_expiry;
  FkSex sex;
  FkMrz *mrz;

  FkChipAccess access;
  FkChipPa pa;
  FkChipPaReason pa_reason;
  GBytes *portrait;
  char *portrait_mime;
};

G_DEFINE_FINAL_TYPE (FkChipData, fk_chip_data, G_TYPE_OBJECT)

const char *
fk_chip_access_to_string (FkChipAccess access)
{
  switch (access)
    {
      case FK_CHIP_ACCESS_BAC:
        return "bac";
      case FK_CHIP_ACCESS_PACE:
        return "pace";
      case FK_CHIP_ACCESS_NONE:
      default:
        return NULL;
    }
}

const char *
fk_chip_pa_to_string (FkChipPa pa)
{
  switch (pa)
    {
      case FK_CHIP_PA_VERIFIED:
        return "verified";
      case FK_CHIP_PA_UNVERIFIED:
        return "unverified";
      case FK_CHIP_PA_FAILED:
        return "failed";
      case FK_CHIP_PA_NOT_CHECKED:
      default:
        return NULL;
    }
}

static const struct
{
  const char *code;
  const char *message;
} reasons[] = {
  [FK_CHIP_PA_REASON_NONE] = { NULL, NULL },
  [FK_CHIP_PA_REASON_TRUSTED_CHAIN] = { "trusted_chain",
                                        N_ ("The card's data are signed by its issuer, and the "
                                            "issuer's certificate chains to a trusted CSCA.") },
  [FK_CHIP_PA_REASON_NO_TRUSTED_CSCA] = { "no_trusted_csca",
                                          N_ ("The data are intact, but no trusted CSCA "
                                              "certificate vouches for the card's signer: add the "
                                              "CSCA certificate to the trust folder.") },
  [FK_CHIP_PA_REASON_CHAIN_EXPIRED] = { "chain_expired",
                                        N_ ("The data are intact, but a certificate in the "
                                            "signer's chain has expired.") },
  [FK_CHIP_PA_REASON_HASH_MISMATCH] = { "hash_mismatch",
                                        N_ ("A data group on the card differs from what its "
                                            "issuer signed: treat the card's data as forged.") },
  [FK_CHIP_PA_REASON_BAD_SIGNATURE] = { "bad_signature",
                                        N_ ("The signature over the card's data is wrong: treat "
                                            "the card's data as forged.") },
  [FK_CHIP_PA_REASON_MALFORMED] = { "malformed",
                                    N_ ("The card's security object is missing or unreadable, "
                                        "or leaves a data group unsigned: treat the data as "
                                        "forged.") },
};

const char *
fk_chip_pa_reason_to_string (FkChipPaReason reason)
{
  g_return_val_if_fail (reason <= FK_CHIP_PA_REASON_MALFORMED, NULL);
  return reasons[reason].code;
}

/**
 * fk_chip_pa_reason_get_message:
 *
 * Returns: (nullable): the translated explanation of @reason
 */
const char *
fk_chip_pa_reason_get_message (FkChipPaReason reason)
{
  g_return_val_if_fail (reason <= FK_CHIP_PA_REASON_MALFORMED, NULL);
  return reasons[reason].message != NULL ? _ (reasons[reason].message) : NULL;
}

static void
fk_chip_data_finalize (GObject *object)
{
  FkChipData *self = FK_CHIP_DATA (object);

  for (int i = 0; i < FK_CHIP_FIELD_LAST; i++)
    g_free (self->text[i]);
  g_clear_pointer (&self->mrz, fk_mrz_free);
  g_clear_pointer (&self->portrait, g_bytes_unref);
  g_free (self->portrait_mime);
  G_OBJECT_CLASS (fk_chip_data_parent_class)->finalize (object);
}

static void
fk_chip_data_class_init (FkChipDataClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fk_chip_data_finalize;
}

static void
fk_chip_data_init (FkChipData *self)
{
  g_date_clear (&self->birth_date, 1);
  g_date_clear (&self->issue_date, 1);
  g_date_clear (&self->expiry_date, 1);
}

/**
 * fk_chip_parse_date:
 *
 * Reads a DG13 date: dd/mm/yyyy (also with '-' or '.') or ddmmyyyy.
 *
 * Returns: %TRUE with @date set, or %FALSE with @date cleared.
 */
gboolean
fk_chip_parse_date (const char *text, GDate *date)
{
  char digits[9];
  gsize n = 0, len = strlen (text);
  guint d, m, y;

  g_date_clear (date, 1);
  if (len == 10 && strchr ("/-.", text[2]) != NULL && text[5] == text[2])
    {
      memcpy (digits, text, 2);
      memcpy (digits + 2, text + 3, 2);
      memcpy (digits + 4, text + 6, 4);
      n = 8;
    }
  else if (len == 8)
    {
      memcpy (digits, text, 8);
      n = 8;
    }
  if (n != 8 || !fk_text_is_digits (digits, 8))
    return FALSE;
  d = (guint) ((digits[0] - '0') * 10 + digits[1] - '0');
  m = (guint) ((digits[2] - '0') * 10 + digits[3] - '0');
  y = (guint) ((digits[4] - '0') * 1000 + (digits[5] - '0') * 100 + (digits[6] - '0') * 10 +
               digits[7] - '0');
  if (y < 1800 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  g_date_set_dmy (date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

/* "Không thời hạn" (no time limit) and its variants on lifetime cards. */
static gboolean
is_lifetime_text (const char *text)
{
  g_autofree char *folded = fk_text_fold (text);

  return folded != NULL &&
         (g_str_equal (folded, "khong thoi han") || g_str_equal (folded, "vo thoi han"));
}

/* The text of a string TLV, normalised; %NULL unless UTF-8 and not empty. */
static char *
tlv_text (const FkTlv *tlv)
{
  g_autofree char *norm = NULL;

  if (tlv->tag != 0x0C && tlv->tag != 0x13 && tlv->tag != 0x16)
    return NULL;
  norm = fk_text_normalize_len ((const char *) tlv->value, (gssize) tlv->length);
  if (norm == NULL || *norm == '\0' || g_utf8_strlen (norm, -1) > MAX_FIELD_CHARS)
    return NULL;
  return g_steal_pointer (&norm);
}

/* The n-th string in a SEQUENCE of strings, or a bare string for n = 0. */
static char *
nested_text (const FkTlv *value, guint n)
{
  const guint8 *p, *end;
  FkTlv item;
  guint i = 0;

  if (value->tag != 0x30)
    return n == 0 ? tlv_text (value) : NULL;
  p = value->value;
  end = p + value->length;
  while (fk_tlv_next (&p, end, &item))
    if (i++ == n)
      return tlv_text (&item);
  return NULL;
}

static gboolean
looks_like_old_id (const char *s)
{
  gsize len = s != NULL ? strlen (s) : 0;

  return (len == 9 || len == 12) && fk_text_is_digits (s, len);
}

static void
set_text (FkChipData *self, FkChipField field, char *text)
{
  if (text == NULL)
    return;
  g_free (self->text[field]);
  self->text[field] = text;
}

static void
take_entry (FkChipData *self, gint64 n, const FkTlv *value, char **entry16)
{
  static const FkChipField plain[] = {
    [1] = FK_CHIP_FIELD_ID_NUMBER,          [2] = FK_CHIP_FIELD_FULL_NAME,
    [5] = FK_CHIP_FIELD_NATIONALITY,        [6] = FK_CHIP_FIELD_ETHNICITY,
    [7] = FK_CHIP_FIELD_RELIGION,           [8] = FK_CHIP_FIELD_PLACE_OF_ORIGIN,
    [9] = FK_CHIP_FIELD_PLACE_OF_RESIDENCE, [10] = FK_CHIP_FIELD_IDENTIFICATION_MARKS,
    [15] = FK_CHIP_FIELD_OLD_ID_NUMBER,
  };
  g_autofree char *text = NULL;

  switch (n)
    {
      case 3:
      case 11:
      case 12:
        text = tlv_text (value);
        if (text == NULL)
          return;
        if (n == 12 && is_lifetime_text (text))
          self->no_expiry = TRUE;
        else
          fk_chip_parse_date (text, n == 3    ? &self->birth_date
                                    : n == 11 ? &self->issue_date
                                              : &self->expiry_date);
        return;
      case 4:
        text = tlv_text (value);
        if (text != NULL)
          {
            g_autofree char *folded = fk_text_fold (text);

            self->sex = g_strcmp0 (folded, "nam") == 0  ? FK_SEX_MALE
                        : g_strcmp0 (folded, "nu") == 0 ? FK_SEX_FEMALE
                                                        : FK_SEX_UNKNOWN;
          }
        return;
      case 13:
        set_text (self, FK_CHIP_FIELD_FATHER_NAME, nested_text (value, 0));
        set_text (self, FK_CHIP_FIELD_MOTHER_NAME, nested_text (value, 1));
        return;
      case 14:
        set_text (self, FK_CHIP_FIELD_SPOUSE_NAME, nested_text (value, 0));
        return;
      case 16:
        g_free (*entry16);
        *entry16 = tlv_text (value);
        return;
      default:
        if (n >= 1 && n < (gint64) G_N_ELEMENTS (plain) && (plain[n] != 0 || n == 1))
          set_text (self, plain[n], tlv_text (value));
        return;
    }
}

/* A SET whose elements are all SEQUENCE { INTEGER n, value }. */
static gboolean
parse_entries (FkChipData *self, const FkTlv *set)
{
  const guint8 *p = set->value;
  const guint8 *end = p + set->length;
  g_autofree char *entry16 = NULL;
  FkTlv entry;
  guint count = 0;

  while (fk_tlv_next (&p, end, &entry))
    {
      const guint8 *q = entry.value;
      const guint8 *qend = q + entry.length;
      FkTlv number, value;
      gint64 n;

      if (entry.tag != 0x30 || !fk_tlv_next (&q, qend, &number) || !fk_tlv_read_int (&number, &n))
        return count > 0;
      count++;
      if (fk_tlv_next (&q, qend, &value))
        take_entry (self, n, &value, &entry16);
    }
  if (self->text[FK_CHIP_FIELD_OLD_ID_NUMBER] == NULL && looks_like_old_id (entry16))
    self->text[FK_CHIP_FIELD_OLD_ID_NUMBER] = g_steal_pointer (&entry16);
  return count > 0;
}

static gboolean
find_entries (FkChipData *self, const FkTlv *node, int depth)
{
  const guint8 *p = node->value;
  const guint8 *end = p + node->length;
  FkTlv child;

  if (depth > MAX_DG13_DEPTH)
    return FALSE;
  while (fk_tlv_next (&p, end, &child))
    {
      if (child.tag == 0x31 && parse_entries (self, &child))
        return TRUE;
      if (child.tag == 0x30 && find_entries (self, &child, depth + 1))
        return TRUE;
    }
  return FALSE;
}

static void
date_from_mrz (GDate *date, const char *yymmdd, gboolean future)
{
  guint y, m, d;
  GDate today;

  if (yymmdd == NULL || strlen (yymmdd) != 6 || !fk_text_is_digits (yymmdd, 6))
    return;
  y = (guint) ((yymmdd[0] - '0') * 10 + yymmdd[1] - '0');
  m = (guint) ((yymmdd[2] - '0') * 10 + yymmdd[3] - '0');
  d = (guint) ((yymmdd[4] - '0') * 10 + yymmdd[5] - '0');
  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  /* two digits: an expiry lies up to 50 years ahead, a birth in the past */
  y += 2000;
  if (future ? y > g_date_get_year (&today) + 50u : y > g_date_get_year (&today))
    y -= 100;
  if (g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    g_date_set_dmy (date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

/**
 * fk_chip_data_new_from_files:
 * @dg1: (nullable): EF.DG1 as read
 * @dg13: EF.DG13 as read
 *
 * Returns: (transfer full): the card's data, or %NULL with
 *   %FK_CORE_ERROR_INVALID_DATA when DG13 has no numbered entries or DG1
 *   no readable zone.
 */
FkChipData *
fk_chip_data_new_from_files (GBytes *dg1, GBytes *dg13, GError **error)
{
  g_autoptr (FkChipData) self = g_object_new (FK_TYPE_CHIP_DATA, NULL);
  gsize len = 0;
  const guint8 *data;
  FkTlv root;

  g_return_val_if_fail (dg13 != NULL, NULL);

  data = g_bytes_get_data (dg13, &len);
  if (!fk_tlv_find (data, len, 0x6D, &root) || !find_entries (self, &root, 0))
    {
      g_set_error_literal (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA,
                           _ ("The card's DG13 is not in the layout of a Vietnamese ID card."));
      return NULL;
    }
  if (dg1 != NULL)
    {
      self->mrz = fk_mrz_parse_dg1 (dg1, error);
      if (self->mrz == NULL)
        return NULL;
      /* The zone fills what DG13 left out. */
      if (!g_date_valid (&self->birth_date))
        date_from_mrz (&self->birth_date, self->mrz->birth, FALSE);
      if (!g_date_valid (&self->expiry_date) && !self->no_expiry)
        {
          if (g_str_equal (self->mrz->expiry, "<<<<<<"))
            self->no_expiry = TRUE;
          else
            date_from_mrz (&self->expiry_date, self->mrz->expiry, TRUE);
        }
      if (self->sex == FK_SEX_UNKNOWN)
        self->sex = self->mrz->sex == 'M'   ? FK_SEX_MALE
                    : self->mrz->sex == 'F' ? FK_SEX_FEMALE
                                            : FK_SEX_UNKNOWN;
    }
  return g_steal_pointer (&self);
}

const char *
fk_chip_data_get_text (FkChipData *self, FkChipField field)
{
  g_return_val_if_fail (FK_IS_CHIP_DATA (self), NULL);
  g_return_val_if_fail (field < FK_CHIP_FIELD_LAST, NULL);
  return self->text[field];
}

static const GDate *
valid_or_null (const GDate *date)
{
  return g_date_valid (date) ? date : NULL;
}

const GDate *
fk_chip_data_get_birth_date (FkChipData *self)
{
  g_return_val_if_fail (FK_IS_CHIP_DATA (self), NULL);
  return valid_or_null (&self->birth_date);
}

const GDate *
fk_chip_data_get_issue_date (FkChipData *self)
{
  g_return_val_if_fail (FK_IS_CHIP_DATA (self), NULL);
  return valid_or_null (&self->issue_date);
}

/**
 * fk_chip_data_get_expiry_date:
 *
 * Returns: (nullable): the expiry, or %NULL when unknown or when the card
 *   has none (see fk_chip_data_has_no_expiry())
 */
const GDate *
fk_chip_data_get_expiry_date (FkChipData *self)
{
  g_return_val_if_fail (FK_IS_CHIP_DATA (self), NULL);
  return valid_or_null (&self->expiry_date);
}

gboolean
fk_chip_data_has_no_expiry (FkChipData *self)
{
  g_return_val_if_fail (FK_IS_CHIP_DATA (self), FALSE);
  return self->no_expiry;
}

FkSex
fk_chip_data_get_sex (FkChipData *self)
{
  g_return_val_if_fail (FK_IS_CHIP_DATA (self), FK_SEX_UNKNOWN);
  return self->sex;
}

/**
 * fk_chip_data_get_mrz:
 *
 * Returns: (nullable) (transfer none): the zone of DG1, when it was given
 */
const FkMrz *
fk_chip_data_get_mrz (FkChipData *self)
{
  g_return_val_if_fail (FK_IS_CHIP_DATA (self), NULL);
  return self->mrz;
}

void
fk_chip_data_set_access (FkChipData *self, FkChipAccess access)
{
  g_return_if_fail (FK_IS_CHIP_DATA (self));
  self->access = access;
}

FkChipAccess
fk_chip_data_get_access (FkChipData *self)
{
  g_return_val_if_fail (FK_IS_CHIP_DATA (self), FK_CHIP_ACCESS_NONE);
  return self->access;
}

void
fk_chip_data_set_pa (FkChipData *self, FkChipPa pa, FkChipPaReason reason)
{
  g_return_if_fail (FK_IS_CHIP_DATA (self));
  self->pa = pa;
  self->pa_reason = reason;
}

FkChipPa
fk_chip_data_get_pa (FkChipData *self)
{
  g_return_val_if_fail (FK_IS_CHIP_DATA (self), FK_CHIP_PA_NOT_CHECKED);
  return self->pa;
}

FkChipPaReason
fk_chip_data_get_pa_reason (FkChipData *self)
{
  g_return_val_if_fail (FK_IS_CHIP_DATA (self), FK_CHIP_PA_REASON_NONE);
  return self->pa_reason;
}

/**
 * fk_chip_data_set_portrait:
 * @encoded: (nullable): the image as the chip stores it
 * @mime_type: "image/jpeg" or "image/jp2"
 */
void
fk_chip_data_set_portrait (FkChipData *self, GBytes *encoded, const char *mime_type)
{
  g_return_if_fail (FK_IS_CHIP_DATA (self));
  g_clear_pointer (&self->portrait, g_bytes_unref);
  g_clear_pointer (&self->portrait_mime, g_free);
  if (encoded != NULL)
    {
      self->portrait = g_bytes_ref (encoded);
      self->portrait_mime = g_strdup (mime_type);
    }
}

/**
 * fk_chip_data_get_portrait:
 * @mime_type: (out) (optional): its type
 *
 * Returns: (nullable) (transfer none): the encoded portrait
 */
GBytes *
fk_chip_data_get_portrait (FkChipData *self, const char **mime_type)
{
  g_return_val_if_fail (FK_IS_CHIP_DATA (self), NULL);
  if (mime_type != NULL)
    *mime_type = self->portrait_mime;
  return self->portrait;
}

/* The members by their JSON names, in the order card read prints them. */
static const struct
{
  const char *name;
  FkChipMemberKind kind;
  int field; /* an FkChipField for a text, else -1 */
} members[] = {
  { "id_number", FK_CHIP_MEMBER_ID_NUMBER, FK_CHIP_FIELD_ID_NUMBER },
  { "full_name", FK_CHIP_MEMBER_TEXT, FK_CHIP_FIELD_FULL_NAME },
  { "birth_date", FK_CHIP_MEMBER_DATE, -1 },
  { "sex", FK_CHIP_MEMBER_SEX, -1 },
  { "nationality", FK_CHIP_MEMBER_TEXT, FK_CHIP_FIELD_NATIONALITY },
  { "ethnicity", FK_CHIP_MEMBER_TEXT, FK_CHIP_FIELD_ETHNICITY },
  { "religion", FK_CHIP_MEMBER_TEXT, FK_CHIP_FIELD_RELIGION },
  { "place_of_origin", FK_CHIP_MEMBER_TEXT, FK_CHIP_FIELD_PLACE_OF_ORIGIN },
  { "place_of_residence", FK_CHIP_MEMBER_TEXT, FK_CHIP_FIELD_PLACE_OF_RESIDENCE },
  { "identification_marks", FK_CHIP_MEMBER_TEXT, FK_CHIP_FIELD_IDENTIFICATION_MARKS },
  { "issue_date", FK_CHIP_MEMBER_DATE, -1 },
  { "expiry_date", FK_CHIP_MEMBER_DATE, -1 },
  { "father_name", FK_CHIP_MEMBER_TEXT, FK_CHIP_FIELD_FATHER_NAME },
  { "mother_name", FK_CHIP_MEMBER_TEXT, FK_CHIP_FIELD_MOTHER_NAME },
  { "spouse_name", FK_CHIP_MEMBER_TEXT, FK_CHIP_FIELD_SPOUSE_NAME },
  { "old_id_number", FK_CHIP_MEMBER_OLD_ID, FK_CHIP_FIELD_OLD_ID_NUMBER },
};

static int
member_index (const char *member)
{
  for (guint i = 0; member != NULL && i < G_N_ELEMENTS (members); i++)
    if (g_str_equal (members[i].name, member))
      return (int) i;
  return -1;
}

/**
 * fk_chip_member_get_kind:
 * @member: a member's JSON name ("ethnicity", "birth_date", …)
 *
 * Returns: what it holds; %FK_CHIP_MEMBER_UNKNOWN for a name the chip's
 *   data does not have
 */
FkChipMemberKind
fk_chip_member_get_kind (const char *member)
{
  int i = member_index (member);

  return i < 0 ? FK_CHIP_MEMBER_UNKNOWN : members[i].kind;
}

/**
 * fk_chip_member_is_sensitive:
 *
 * Returns: whether @member is sensitive personal data under Law
 *   91/2025/QH15 (ethnicity, religion): collected only where a
 *   procedure's form asks for it, never logged
 */
gboolean
fk_chip_member_is_sensitive (const char *member)
{
  return g_strcmp0 (member, "ethnicity") == 0 || g_strcmp0 (member, "religion") == 0;
}

static char *
dup_iso (const GDate *date)
{
  if (!g_date_valid (date))
    return NULL;
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

/**
 * fk_chip_data_dup_member:
 * @member: a member's JSON name, as fk_chip_member_get_kind() knows it
 *
 * Returns: (transfer full) (nullable): its value as `card read --json`
 *   prints it (dates YYYY-MM-DD, the sex "male" or "female"), or %NULL
 *   when the chip does not give it
 */
char *
fk_chip_data_dup_member (FkChipData *self, const char *member)
{
  int i = member_index (member);

  g_return_val_if_fail (FK_IS_CHIP_DATA (self), NULL);

  if (i < 0)
    return NULL;
  if (members[i].field >= 0)
    return g_strdup (self->text[members[i].field]);
  if (g_str_equal (member, "sex"))
    return self->sex != FK_SEX_UNKNOWN ? g_strdup (fk_sex_to_string (self->sex)) : NULL;
  if (g_str_equal (member, "birth_date"))
    return dup_iso (&self->birth_date);
  if (g_str_equal (member, "issue_date"))
    return dup_iso (&self->issue_date);
  return dup_iso (&self->expiry_date);
}

static gboolean
dates_differ (const GDate *a, const GDate *b)
{
  return a != NULL && b != NULL && g_date_compare (a, b) != 0;
}

/**
 * fk_chip_data_compare_qr:
 * @qr: the card's QR code as scanned
 *
 * Returns: (transfer full) (element-type utf8): the names of the JSON
 *   members ("id_number", "full_name", …) where the chip and the QR code
 *   disagree; empty when they agree on everything both carry.
 */
GPtrArray *
fk_chip_data_compare_qr (FkChipData *self, FkCccdCard *qr)
{
  GPtrArray *diff = g_ptr_array_new ();
  const char *chip_name = self->text[FK_CHIP_FIELD_FULL_NAME];
  const char *qr_name = fk_cccd_card_get_full_name (qr);
  const char *qr_old = fk_cccd_card_get_old_id (qr);

  if (g_strcmp0 (self->text[FK_CHIP_FIELD_ID_NUMBER], fk_cccd_card_get_id_number (qr)) != 0)
    g_ptr_array_add (diff, "id_number");
  if (chip_name != NULL && qr_name != NULL)
    {
      g_autofree char *a = fk_text_fold (chip_name);
      g_autofree char *b = fk_text_fold (qr_name);

      if (g_strcmp0 (a, b) != 0)
        g_ptr_array_add (diff, "full_name");
    }
  if (dates_differ (fk_chip_data_get_birth_date (self), fk_cccd_card_get_birth_date (qr)))
    g_ptr_array_add (diff, "birth_date");
  if (self->sex != FK_SEX_UNKNOWN && fk_cccd_card_get_sex (qr) != FK_SEX_UNKNOWN &&
      self->sex != fk_cccd_card_get_sex (qr))
    g_ptr_array_add (diff, "sex");
  if (dates_differ (fk_chip_data_get_issue_date (self), fk_cccd_card_get_issue_date (qr)))
    g_ptr_array_add (diff, "issue_date");
  if (qr_old != NULL && *qr_old != '\0' && self->text[FK_CHIP_FIELD_OLD_ID_NUMBER] != NULL &&
      !g_str_equal (qr_old, self->text[FK_CHIP_FIELD_OLD_ID_NUMBER]))
    g_ptr_array_add (diff, "old_id_number");
  return diff;
}

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_date (JsonBuilder *b, const char *name, FkChipData *self, const GDate *date)
{
  g_autofree char *iso = NULL;

  if (self != NULL && date != NULL && g_date_valid (date))
    iso = g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                           g_date_get_day (date));
  add_string (b, name, iso);
}

/**
 * fk_chip_data_add_json_members:
 * @self: (nullable): the data, or %NULL for a card that was not read
 *
 * Adds the members `fieldkit-ctl card read` prints, in its order, to the
 * object @builder is in; with @self %NULL every one of them is null.
 */
void
fk_chip_data_add_json_members (FkChipData *self, JsonBuilder *builder)
{
#define TEXT(f) (self != NULL ? self->text[f] : NULL)
  add_string (builder, "id_number", TEXT (FK_CHIP_FIELD_ID_NUMBER));
  add_string (builder, "full_name", TEXT (FK_CHIP_FIELD_FULL_NAME));
  add_date (builder, "birth_date", self, self != NULL ? &self->birth_date : NULL);
  add_string (builder, "sex", self != NULL ? fk_sex_to_string (self->sex) : NULL);
  add_string (builder, "nationality", TEXT (FK_CHIP_FIELD_NATIONALITY));
  add_string (builder, "ethnicity", TEXT (FK_CHIP_FIELD_ETHNICITY));
  add_string (builder, "religion", TEXT (FK_CHIP_FIELD_RELIGION));
  add_string (builder, "place_of_origin", TEXT (FK_CHIP_FIELD_PLACE_OF_ORIGIN));
  add_string (builder, "place_of_residence", TEXT (FK_CHIP_FIELD_PLACE_OF_RESIDENCE));
  add_string (builder, "identification_marks", TEXT (FK_CHIP_FIELD_IDENTIFICATION_MARKS));
  add_date (builder, "issue_date", self, self != NULL ? &self->issue_date : NULL);
  add_date (builder, "expiry_date", self, self != NULL ? &self->expiry_date : NULL);
  json_builder_set_member_name (builder, "no_expiry");
  json_builder_add_boolean_value (builder, self != NULL && self->no_expiry);
  add_string (builder, "father_name", TEXT (FK_CHIP_FIELD_FATHER_NAME));
  add_string (builder, "mother_name", TEXT (FK_CHIP_FIELD_MOTHER_NAME));
  add_string (builder, "spouse_name", TEXT (FK_CHIP_FIELD_SPOUSE_NAME));
  add_string (builder, "old_id_number", TEXT (FK_CHIP_FIELD_OLD_ID_NUMBER));
  add_string (builder, "access", self != NULL ? fk_chip_access_to_string (self->access) : NULL);
  add_string (builder, "passive_authentication",
              self != NULL ? fk_chip_pa_to_string (self->pa) : NULL);
  add_string (builder, "reason",
              self != NULL ? fk_chip_pa_reason_to_string (self->pa_reason) : NULL);
  add_string (builder, "reason_message",
              self != NULL ? fk_chip_pa_reason_get_message (self->pa_reason) : NULL);
#undef TEXT
}

/**
 * fk_chip_data_to_json:
 *
 * Returns: (transfer full): the members of
 *   fk_chip_data_add_json_members() as one object
 */
JsonNode *
fk_chip_data_to_json (FkChipData *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  fk_chip_data_add_json_members (self, builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
