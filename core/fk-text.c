/* fk-text.c: text normalisation for names, addresses and search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-text.h"

/**
 * fk_text_normalize_len:
 * @s: text of @len bytes, or NUL-terminated when @len is -1
 * @len: length in bytes, or -1
 *
 * Validates UTF-8, composes to NFC (names scanned or typed on some
 * keyboards arrive decomposed), trims, turns every run of white space or
 * control characters into one space.
 *
 * Returns: (transfer full) (nullable): the normalised text, or %NULL when
 *   @s is not valid UTF-8
 */
char *
fk_text_normalize_len (const char *s, gssize len)
{
  g_autofree char *nfc = NULL;
  GString *out;
  gboolean pending_space = FALSE;

  g_return_val_if_fail (s != NULL || len == 0, NULL);

  if (len < 0)
    len = (gssize) strlen (s);
  if (!g_utf8_validate_len (s, (gsize) len, NULL))
    return NULL;
  nfc = g_utf8_normalize (s, len, G_NORMALIZE_NFC);
  if (nfc == NULL)
    return NULL;

  out = g_string_sized_new (strlen (nfc));
  for (const char *p = nfc; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c) || c == 0xFEFF || c == 0x200B)
        {
          pending_space = out->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/**
 * fk_text_normalize:
 * @s: NUL-terminated text
 *
 * Returns: (transfer full) (nullable): see fk_text_normalize_len()
 */
char *
fk_text_normalize (const char *s)
{
  g_return_val_if_fail (s != NULL, NULL);
  return fk_text_normalize_len (s, -1);
}

static gboolean
is_tone_mark (gunichar c)
{
  /* grave, acute, tilde, hook above, dot below */
  return c == 0x0300 || c == 0x0301 || c == 0x0303 || c == 0x0309 || c == 0x0323;
}

static gboolean
is_word_char (gunichar c)
{
  if (c < 0x80)
    return g_ascii_isalnum (c);
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

/* Appends @c decomposed; without @keep_marks the accents dropped and đ
 * as d. With @keep_marks and @tone, a tone mark goes to *@tone instead. */
static void
fold_char (GString *out, gunichar c, gboolean keep_marks, gunichar *tone)
{
  gunichar pieces[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gsize n;

  /* Most letters of a Vietnamese name are ASCII, which nothing changes. */
  if (c < 0x80)
    {
      g_string_append_c (out, (char) c);
      return;
    }
  n = g_unichar_fully_decompose (c, FALSE, pieces, G_N_ELEMENTS (pieces));
  for (gsize i = 0; i < n; i++)
    {
      gunichar piece = pieces[i];

      if (keep_marks && tone != NULL && is_tone_mark (piece))
        {
          *tone = piece;
          continue;
        }
      if (!keep_marks && g_unichar_type (piece) == G_UNICODE_NON_SPACING_MARK)
        continue;
      if (!keep_marks && (piece == 0x0111 || piece == 0x0110)) /* đ Đ have no decomposition */
        piece = 'd';
      g_string_append_unichar (out, piece);
    }
}

/* The spellings FK_TEXT_FOLD_ROMAN and FK_TEXT_FOLD_FINAL_Y make alike, in
 * the word that starts at byte @from of @out. */
static void
fold_word_variants (GString *out, gsize from, FkTextFoldFlags flags)
{
  /* I, V and X alone are abbreviations of unit types ("X. Tân Lập"). */
  static const char *const roman[] = { "ii", "iii", "iv", "vi", "vii", "viii", "ix" };
  static const char *const arabic[] = { "2", "3", "4", "6", "7", "8", "9" };
  const char *word = out->str + from;
  gsize n = out->len - from;

  if (flags & FK_TEXT_FOLD_ROMAN)
    for (guint i = 0; i < G_N_ELEMENTS (roman); i++)
      if (g_str_equal (word, roman[i]))
        {
          g_string_truncate (out, from);
          g_string_append (out, arabic[i]);
          return;
        }
  if ((flags & FK_TEXT_FOLD_FINAL_Y) && n >= 2 && word[n - 1] == 'y' &&
      (strchr ("aeiouy", word[n - 2]) == NULL ||
       (n >= 3 && word[n - 2] == 'u' && word[n - 3] == 'q')))
    out->str[out->len - 1] = 'i';
}

static void
end_word (GString *out, gsize word_start, gunichar tone, FkTextFoldFlags flags)
{
  if (out->len == word_start)
    return;
  if (tone != 0)
    g_string_append_unichar (out, tone);
  fold_word_variants (out, word_start, flags);
}

/**
 * fk_text_fold_append:
 * @out: where to append
 * @s: valid UTF-8 of @len bytes, or NUL-terminated when @len is -1
 * @len: length in bytes, or -1
 * @flags: what else to fold
 *
 * The folding every comparison of Vietnamese names shares: every
 * character decomposed, the diacritics dropped and đ and Đ as d (or, with
 * %FK_TEXT_FOLD_TONE_LAST, the diacritics kept and each word's tone mark
 * last). Words are runs of letters, digits and marks; @flags may fold
 * whole words further. Case is left alone: lower-case @s first
 * (g_utf8_strdown()) or fold the result (g_utf8_casefold(), as
 * fk_text_fold() does); the word flags expect lower case. @s is taken as
 * it is: normalise it first (see fk_text_normalize()) where white space or
 * invalid UTF-8 may come in.
 */
void
fk_text_fold_append (GString *out, const char *s, gssize len, FkTextFoldFlags flags)
{
  gboolean keep_marks = (flags & FK_TEXT_FOLD_TONE_LAST) != 0;
  gboolean by_word = flags != FK_TEXT_FOLD_DEFAULT;
  gsize word_start;
  gunichar tone = 0;
  const char *end;

  g_return_if_fail (out != NULL);
  g_return_if_fail (s != NULL || len == 0);

  end = s + (len < 0 ? strlen (s) : (gsize) len);
  word_start = out->len;
  for (const char *p = s; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!by_word || is_word_char (c))
        {
          fold_char (out, c, keep_marks, by_word ? &tone : NULL);
          continue;
        }
      end_word (out, word_start, tone, flags);
      fold_char (out, c, keep_marks, NULL);
      word_start = out->len;
      tone = 0;
    }
  if (by_word)
    end_word (out, word_start, tone, flags);
}

/**
 * fk_text_fold:
 * @s: NUL-terminated text
 *
 * Folds text for comparing and searching: normalises it (see
 * fk_text_normalize()), drops every diacritic (so the tone-mark placement
 * of "Hoá"/"Hóa" no longer matters), maps đ to d and folds case. "Lai
 * Châu" and "lai chau" fold to the same string.
 *
 * Returns: (transfer full) (nullable): the folded text, or %NULL when @s is
 *   not valid UTF-8
 */
char *
fk_text_fold (const char *s)
{
  g_autofree char *norm = NULL;
  g_autoptr (GString) bare = NULL;

  g_return_val_if_fail (s != NULL, NULL);

  norm = fk_text_normalize (s);
  if (norm == NULL)
    return NULL;
  bare = g_string_sized_new (strlen (norm));
  fk_text_fold_append (bare, norm, -1, FK_TEXT_FOLD_DEFAULT);
  return g_utf8_casefold (bare->str, (gssize) bare->len);
}

/**
 * fk_text_is_digits:
 * @s: bytes
 * @len: how many
 *
 * Returns: whether @s is @len ASCII digits (and @len > 0)
 */
gboolean
fk_text_is_digits (const char *s, gsize len)
{
  if (s == NULL || len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}
