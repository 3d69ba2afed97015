/* fk-address-reform-words.c: the words of an address or a resolution
 *
 * Text is cut into words, separators and parentheses; each word is kept
 * three ways (as written in lower case, folded, and with its tone mark
 * last) so that names compare whatever the accents or the tone placement.
 * The type words ("Phường", "Thị xã", "TP") are recognised here, and the
 * key of a name is its folded words run together.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-address-reform-private.h"
#include "fk-text.h"

static void
token_clear (FkReformToken *token)
{
  g_free (token->low);
  g_free (token->fold);
  g_free (token->tone);
}

/* A word's three forms, from @low (its characters in lower case); @fold
 * and @tone are room to work in. Numbers lose their leading zeros:
 * "Phường 01" is "Phường 1". */
static void
add_word (GArray *tokens, GString *low, GString *fold, GString *tone)
{
  FkReformToken token = { .kind = FK_REFORM_TOKEN_WORD };
  gsize zeros = 0;

  g_string_truncate (fold, 0);
  fk_text_fold_append (fold, low->str, (gssize) low->len,
                       FK_TEXT_FOLD_ROMAN | FK_TEXT_FOLD_FINAL_Y);
  if (fold->len == 0)
    return;
  while (zeros + 1 < fold->len && fold->str[zeros] == '0')
    zeros++;
  if (zeros > 0 && strspn (fold->str, "0123456789") == fold->len)
    {
      g_string_erase (fold, 0, (gssize) zeros);
      g_string_assign (low, fold->str);
    }
  g_string_truncate (tone, 0);
  fk_text_fold_append (tone, low->str, (gssize) low->len, FK_TEXT_FOLD_TONE_LAST);
  token.low = g_strndup (low->str, low->len);
  token.fold = g_strndup (fold->str, fold->len);
  token.tone = g_strndup (tone->str, tone->len);
  g_array_append_val (tokens, token);
}

/* The text in the parentheses that open at @p, as a token; returns where
 * reading goes on. */
static const char *
add_paren (GArray *tokens, const char *p)
{
  const char *start = p + 1, *q = start;
  int depth = 1;
  FkReformToken token = { .kind = FK_REFORM_TOKEN_PAREN };

  while (*q != '\0' && depth > 0)
    {
      if (*q == '(')
        depth++;
      else if (*q == ')')
        depth--;
      q++;
    }
  token.low = g_strndup (start, (gsize) (q - start) - (depth == 0 ? 1 : 0));
  g_array_append_val (tokens, token);
  return q;
}

static void
add_mark (GArray *tokens, int kind)
{
  FkReformToken token = { .kind = kind };

  g_array_append_val (tokens, token);
}

/* Words, separators and parentheses of @text (valid UTF-8, lower case). */
GArray *
fk_reform_tokenize (const char *text, gboolean keep_parens)
{
  GArray *tokens = g_array_new (FALSE, FALSE, sizeof (FkReformToken));
  g_autoptr (GString) low = g_string_new (NULL);
  g_autoptr (GString) fold = g_string_new (NULL);
  g_autoptr (GString) tone = g_string_new (NULL);
  const char *p = text;

  g_array_set_clear_func (tokens, (GDestroyNotify) token_clear);
  while (TRUE)
    {
      gunichar c = *p != '\0' ? g_utf8_get_char (p) : 0;

      if (c != 0 && (g_unichar_isalnum (c) || g_unichar_ismark (c)))
        {
          g_string_append_unichar (low, c);
          p = g_utf8_next_char (p);
          continue;
        }
      if (low->len > 0)
        {
          add_word (tokens, low, fold, tone);
          g_string_truncate (low, 0);
        }
      if (c == 0)
        break;
      if (c == ',' || c == ';' || c == '|' || c == '\n')
        add_mark (tokens, FK_REFORM_TOKEN_BREAK);
      else if (c == '.' && keep_parens)
        add_mark (tokens, FK_REFORM_TOKEN_STOP);
      else if (c == '(' && keep_parens)
        {
          p = add_paren (tokens, p);
          continue;
        }
      p = g_utf8_next_char (p);
    }
  return tokens;
}

gboolean
fk_reform_word_is (GArray *tokens, guint i, guint hi, const char *low)
{
  return i < hi && FK_REFORM_TOKEN (tokens, i)->kind == FK_REFORM_TOKEN_WORD &&
         g_str_equal (FK_REFORM_TOKEN (tokens, i)->low, low);
}

/* The words that say a unit's type, two-word ones first ("thị xã" before
 * "xã"); the abbreviations only in addresses, never in official text. */
static const struct
{
  const char *first, *second; /* folded words */
  const char *low_first;      /* the accented first word, for official text */
  FkReformType type;
  gboolean abbreviation;
} type_words[] = {
  { "thanh", "pho", "thành", FK_REFORM_TYPE_THANH_PHO, FALSE },
  { "thi", "tran", "thị", FK_REFORM_TYPE_THI_TRAN, FALSE },
  { "thi", "xa", "thị", FK_REFORM_TYPE_THI_XA, FALSE },
  { "dac", "khu", "đặc", FK_REFORM_TYPE_DAC_KHU, FALSE },
  { "tinh", NULL, "tỉnh", FK_REFORM_TYPE_TINH, FALSE },
  { "quan", NULL, "quận", FK_REFORM_TYPE_QUAN, FALSE },
  { "huyen", NULL, "huyện", FK_REFORM_TYPE_HUYEN, FALSE },
  { "xa", NULL, "xã", FK_REFORM_TYPE_XA, FALSE },
  { "phuong", NULL, "phường", FK_REFORM_TYPE_PHUONG, FALSE },
  { "tp", NULL, NULL, FK_REFORM_TYPE_THANH_PHO, TRUE },
  { "tx", NULL, NULL, FK_REFORM_TYPE_THI_XA, TRUE },
  { "tt", NULL, NULL, FK_REFORM_TYPE_THI_TRAN, TRUE },
  { "t", NULL, NULL, FK_REFORM_TYPE_TINH, TRUE },
  { "q", NULL, NULL, FK_REFORM_TYPE_QUAN, TRUE },
  { "h", NULL, NULL, FK_REFORM_TYPE_HUYEN, TRUE },
  { "x", NULL, NULL, FK_REFORM_TYPE_XA, TRUE },
  { "p", NULL, NULL, FK_REFORM_TYPE_PHUONG, TRUE },
};

/* Second words of two-word type words, accented. */
static const char *const type_second_low[] = { "phố", "trấn", "xã", "khu" };

/* The type word that ends at token @end (exclusive), not before @lo; sets
 * @n_tokens to its length. @official: the text is accented (resolutions),
 * so "Phương" or "Xa" in a name is no type word. */
FkReformType
fk_reform_type_before (GArray *tokens, guint lo, guint end, gboolean official, guint *n_tokens)
{
  *n_tokens = 0;
  if (end <= lo)
    return FK_REFORM_TYPE_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (type_words); i++)
    {
      guint n = type_words[i].second != NULL ? 2 : 1;
      FkReformToken *first;

      if (end - lo < n || (official && type_words[i].abbreviation))
        continue;
      first = FK_REFORM_TOKEN (tokens, end - n);
      if (first->kind != FK_REFORM_TOKEN_WORD || !g_str_equal (first->fold, type_words[i].first))
        continue;
      if (n == 2)
        {
          FkReformToken *second = FK_REFORM_TOKEN (tokens, end - 1);

          if (second->kind != FK_REFORM_TOKEN_WORD ||
              !g_str_equal (second->fold, type_words[i].second))
            continue;
          if (official && !g_strv_contains (type_second_low, second->low))
            continue;
        }
      if (official && !g_str_equal (first->low, type_words[i].low_first))
        continue;
      *n_tokens = n;
      return type_words[i].type;
    }
  return FK_REFORM_TYPE_NONE;
}

/* The type word that starts at token @start, before @hi. */
FkReformType
fk_reform_type_at (GArray *tokens, guint start, guint hi, gboolean official, guint *n_tokens)
{
  FkReformType type = FK_REFORM_TYPE_NONE;

  *n_tokens = 0;
  /* Two words first: "thị xã" is not the ward type "xã". */
  if (start + 2 <= hi)
    {
      type = fk_reform_type_before (tokens, start, start + 2, official, n_tokens);
      if (*n_tokens != 2)
        type = FK_REFORM_TYPE_NONE;
    }
  if (type == FK_REFORM_TYPE_NONE && start + 1 <= hi)
    type = fk_reform_type_before (tokens, start, start + 1, official, n_tokens);
  if (type == FK_REFORM_TYPE_NONE)
    *n_tokens = 0;
  return type;
}

gboolean
fk_reform_type_fits (FkReformType type, FkReformLevel level)
{
  switch (level)
    {
      case FK_REFORM_LEVEL_PROVINCE:
        return type == FK_REFORM_TYPE_TINH || type == FK_REFORM_TYPE_THANH_PHO;
      case FK_REFORM_LEVEL_DISTRICT:
        return type == FK_REFORM_TYPE_QUAN || type == FK_REFORM_TYPE_HUYEN ||
               type == FK_REFORM_TYPE_THI_XA || type == FK_REFORM_TYPE_THANH_PHO;
      case FK_REFORM_LEVEL_WARD:
      default:
        return type == FK_REFORM_TYPE_XA || type == FK_REFORM_TYPE_PHUONG ||
               type == FK_REFORM_TYPE_THI_TRAN || type == FK_REFORM_TYPE_DAC_KHU;
    }
}

/* The key of a name: its folded words without spaces, as the lists write
 * "Ea Bar" and "EaBar", "Ga Ri" and "Gari"; "NT" is "Nông trường". */
char *
fk_reform_join_key (GArray *tokens, guint from, guint to, const char *separator, gboolean tone)
{
  GString *key = g_string_new (NULL);

  for (guint i = from; i < to; i++)
    {
      FkReformToken *token = FK_REFORM_TOKEN (tokens, i);

      if (token->kind != FK_REFORM_TOKEN_WORD)
        continue;
      if (key->len > 0)
        g_string_append (key, separator);
      if (!tone && g_str_equal (token->fold, "nt") && i + 1 < to)
        g_string_append (key, "nongtruong");
      else if (!tone && g_str_equal (token->fold, "n") && i + 2 < to &&
               g_str_equal (FK_REFORM_TOKEN (tokens, i + 1)->fold, "t"))
        {
          g_string_append (key, "nongtruong");
          i++;
        }
      else
        g_string_append (key, tone ? token->tone : token->fold);
    }
  return g_string_free (key, FALSE);
}

char *
fk_reform_join_folded (GArray *tokens, guint from, guint to)
{
  return fk_reform_join_key (tokens, from, to, "", FALSE);
}

char *
fk_reform_join_tone (GArray *tokens, guint from, guint to)
{
  return fk_reform_join_key (tokens, from, to, "", TRUE);
}

/* Splits a full name from a list ("Thành phố Hà Nội") into its type and the
 * key of its name ("ha noi"). */
char *
fk_reform_split_name (const char *full, FkReformType *type, guint *n_words, char **tone)
{
  g_autofree char *low = g_utf8_strdown (full, -1);
  g_autoptr (GArray) tokens = fk_reform_tokenize (low, FALSE);
  guint n_type;

  *type = fk_reform_type_at (tokens, 0, tokens->len, TRUE, &n_type);
  *n_words = tokens->len - n_type;
  if (tone != NULL)
    *tone = fk_reform_join_tone (tokens, n_type, tokens->len);
  return fk_reform_join_folded (tokens, n_type, tokens->len);
}

/* The key of a 2025 name ("Hà Nội" → "hanoi"). */
char *
fk_reform_name_key (const char *name)
{
  g_autofree char *low = g_utf8_strdown (name, -1);
  g_autoptr (GArray) tokens = fk_reform_tokenize (low, FALSE);

  return fk_reform_join_folded (tokens, 0, tokens->len);
}
