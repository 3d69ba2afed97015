/* fk-mrz.c: the machine-readable zone of an ID card (ICAO Doc 9303 TD1)
 *
 * Doc 9303 part 3 §4.9: check digits weigh the characters 7, 3, 1 in turn,
 * digits by their value, A–Z as 10–35 and the filler '<' as 0, modulo 10.
 * Part 5 §4.2 lays out TD1; part 11 §9.7 takes the document number, birth
 * and expiry dates with their check digits as the BAC key seed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fk-core-error.h"
#include "fk-mrz.h"
#include "fk-tlv.h"

G_DEFINE_BOXED_TYPE (FkMrz, fk_mrz, fk_mrz_copy, fk_mrz_free)

FkMrz *
fk_mrz_copy (const FkMrz *mrz)
{
  FkMrz *copy = g_new0 (FkMrz, 1);

  copy->document_code = g_strdup (mrz->document_code);
  copy->issuing_state = g_strdup (mrz->issuing_state);
  copy->document_number = g_strdup (mrz->document_number);
  copy->optional1 = g_strdup (mrz->optional1);
  copy->birth = g_strdup (mrz->birth);
  copy->sex = mrz->sex;
  copy->expiry = g_strdup (mrz->expiry);
  copy->nationality = g_strdup (mrz->nationality);
  copy->optional2 = g_strdup (mrz->optional2);
  copy->name = g_strdup (mrz->name);
  copy->check_digits_ok = mrz->check_digits_ok;
  return copy;
}

void
fk_mrz_free (FkMrz *mrz)
{
  if (mrz == NULL)
    return;
  g_free (mrz->document_code);
  g_free (mrz->issuing_state);
  g_free (mrz->document_number);
  g_free (mrz->optional1);
  g_free (mrz->birth);
  g_free (mrz->expiry);
  g_free (mrz->nationality);
  g_free (mrz->optional2);
  g_free (mrz->name);
  g_free (mrz);
}

static int
char_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'Z')
    return c - 'A' + 10;
  if (c == '<')
    return 0;
  return -1;
}

/**
 * fk_mrz_check_digit:
 *
 * Returns: the check digit (0–9) of the @len characters at @s, or -1 when
 *   one of them is not a character of the zone.
 */
int
fk_mrz_check_digit (const char *s, gsize len)
{
  static const int weights[3] = { 7, 3, 1 };
  int sum = 0;

  for (gsize i = 0; i < len; i++)
    {
      int v = char_value (s[i]);

      if (v < 0)
        return -1;
      sum += v * weights[i % 3];
    }
  return sum % 10;
}

static gboolean
digit_matches (const char *field, gsize len, char check)
{
  int cd = fk_mrz_check_digit (field, len);

  return cd >= 0 && check == '0' + cd;
}

/* The field without its trailing fillers. */
static char *
field (const char *s, gsize len)
{
  while (len > 0 && s[len - 1] == '<')
    len--;
  return g_strndup (s, len);
}

static char *
name_field (const char *s, gsize len)
{
  g_autofree char *raw = field (s, len);
  g_auto (GStrv) parts = g_strsplit (raw, "<<", 2);
  GString *out = g_string_new (NULL);

  for (int i = 0; parts[i] != NULL; i++)
    {
      g_strdelimit (parts[i], "<", ' ');
      g_strstrip (parts[i]);
      if (*parts[i] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, parts[i]);
    }
  return g_string_free (out, FALSE);
}

/**
 * fk_mrz_parse_td1:
 * @text: 90 characters, or three lines of 30 separated by line breaks
 *
 * Returns: (transfer full): the zone, with check_digits_ok telling whether
 *   every check digit holds; %NULL with %FK_CORE_ERROR_INVALID_DATA when
 *   the text is not shaped like a TD1 zone.
 */
FkMrz *
fk_mrz_parse_td1 (const char *text, gsize len, GError **error)
{
  char z[FK_MRZ_TD1_LENGTH + 1];
  gsize n = 0;
  g_autoptr (FkMrz) mrz = g_new0 (FkMrz, 1);
  g_autofree char *composite = NULL;
  gboolean ok = TRUE;

  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '\n' || text[i] == '\r')
        continue;
      if (n == FK_MRZ_TD1_LENGTH || char_value (text[i]) < 0)
        {
          n = 0;
          break;
        }
      z[n++] = text[i];
    }
  if (n != FK_MRZ_TD1_LENGTH)
    {
      g_set_error_literal (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA,
                           _ ("The card's machine-readable zone is not in the ID-card layout."));
      return NULL;
    }
  z[n] = '\0';

  mrz->document_code = field (z, 2);
  mrz->issuing_state = field (z + 2, 3);
  if (z[14] == '<' && z[13] != '<')
    {
      /* Doc 9303 part 5 note j: a number longer than 9 characters goes on
       * in the optional field, ended by its check digit and a filler. */
      const char *rest = z + 15;
      gsize k = 0;

      while (k < 14 && rest[k] != '<')
        k++;
      if (k == 0)
        {
          ok = FALSE;
          mrz->document_number = field (z + 5, 9);
          mrz->optional1 = field (z + 15, 15);
        }
      else
        {
          mrz->document_number = g_strdup_printf ("%.9s%.*s", z + 5, (int) (k - 1), rest);
          ok =
            ok && digit_matches (mrz->document_number, strlen (mrz->document_number), rest[k - 1]);
          mrz->optional1 = k + 1 < 15 ? field (rest + k + 1, 15 - k - 1) : g_strdup ("");
        }
    }
  else
    {
      mrz->document_number = field (z + 5, 9);
      ok = ok && digit_matches (z + 5, 9, z[14]);
      mrz->optional1 = field (z + 15, 15);
    }
  mrz->birth = g_strndup (z + 30, 6);
  ok = ok && digit_matches (z + 30, 6, z[36]);
  mrz->sex = z[37];
  mrz->expiry = g_strndup (z + 38, 6);
  ok = ok && digit_matches (z + 38, 6, z[44]);
  mrz->nationality = field (z + 45, 3);
  mrz->optional2 = field (z + 48, 11);
  composite = g_strdup_printf ("%.25s%.7s%.7s%.11s", z + 5, z + 30, z + 38, z + 48);
  ok = ok && digit_matches (composite, strlen (composite), z[59]);
  mrz->name = name_field (z + 60, 30);
  mrz->check_digits_ok = ok;
  return g_steal_pointer (&mrz);
}

/**
 * fk_mrz_parse_dg1:
 * @dg1: the file EF.DG1 as read: `61 { 5F1F MRZ }`
 *
 * Returns: (transfer full): the zone, or %NULL with
 *   %FK_CORE_ERROR_INVALID_DATA.
 */
FkMrz *
fk_mrz_parse_dg1 (GBytes *dg1, GError **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (dg1, &len);
  FkTlv outer, mrz;

  if (!fk_tlv_find (data, len, 0x61, &outer) ||
      !fk_tlv_find (outer.value, outer.length, 0x5F1F, &mrz))
    {
      g_set_error_literal (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA,
                           _ ("The card's DG1 holds no machine-readable zone."));
      return NULL;
    }
  return fk_mrz_parse_td1 ((const char *) mrz.value, mrz.length, error);
}

/**
 * fk_mrz_format_date:
 * @date: (nullable): a date, or %NULL for a document without expiry
 *
 * Returns: (transfer full): YYMMDD, or "<<<<<<" for %NULL.
 */
char *
fk_mrz_format_date (const GDate *date)
{
  if (date == NULL || !g_date_valid (date))
    return g_strdup ("<<<<<<");
  return g_strdup_printf ("%02u%02u%02u", g_date_get_year (date) % 100, g_date_get_month (date),
                          g_date_get_day (date));
}

/**
 * fk_mrz_bac_key_seed_text:
 *
 * The "MRZ information" BAC derives its keys from: the document number
 * padded with fillers to at least 9 characters, the birth and expiry dates,
 * each followed by its check digit.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL when a field
 *   holds characters a zone cannot.
 */
char *
fk_mrz_bac_key_seed_text (const char *document_number, const char *birth_yymmdd,
                          const char *expiry_yymmdd)
{
  g_autoptr (GString) number = g_string_new (document_number);
  int cd_number, cd_birth, cd_expiry;

  while (number->len < 9)
    g_string_append_c (number, '<');
  cd_number = fk_mrz_check_digit (number->str, number->len);
  cd_birth = fk_mrz_check_digit (birth_yymmdd, strlen (birth_yymmdd));
  cd_expiry = fk_mrz_check_digit (expiry_yymmdd, strlen (expiry_yymmdd));
  if (cd_number < 0 || cd_birth < 0 || cd_expiry < 0 || strlen (birth_yymmdd) != 6 ||
      strlen (expiry_yymmdd) != 6)
    return NULL;
  return g_strdup_printf ("%s%d%s%d%s%d", number->str, cd_number, birth_yymmdd, cd_birth,
                          expiry_yymmdd, cd_expiry);
}

/**
 * fk_mrz_cccd_document_number:
 * @id_number: the 12-digit personal identification number
 *
 * A CCCD's zone carries the last 9 digits of the ID as its document
 * number.
 *
 * Returns: (transfer full) (nullable): those 9 digits, or %NULL when
 *   @id_number is not 12 digits.
 */
char *
fk_mrz_cccd_document_number (const char *id_number)
{
  if (id_number == NULL || strlen (id_number) != 12)
    return NULL;
  for (int i = 0; i < 12; i++)
    if (!g_ascii_isdigit (id_number[i]))
      return NULL;
  return g_strdup (id_number + 3);
}
