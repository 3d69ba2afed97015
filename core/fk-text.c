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

/**
 * fk_text_fold:
 * @s: NUL-terminated text
 *
 * Folds text for comparing and searching: drops every diacritic (so the
 * tone-mark placement of "Hoá"/"Hóa" no longer matters), maps đ to d and
 * folds case. "Lai Châu" and "lai chau" fold to the same string.
 *
 * Returns: (transfer full) (nullable): the folded text, or %NULL when @s is
 *   not valid UTF-8
 */
char *
fk_text_fold (const char *s)
{
  g_autofree char *norm = NULL;
  g_autofree char *nfd = NULL;
  g_autoptr (GString) bare = NULL;

  g_return_val_if_fail (s != NULL, NULL);

  norm = fk_text_normalize (s);
  if (norm == NULL)
    return NULL;
  nfd = g_utf8_normalize (norm, -1, G_NORMALIZE_NFD);
  if (nfd == NULL)
    return NULL;

  bare = g_string_sized_new (strlen (nfd));
  for (const char *p = nfd; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
        continue;
      if (c == 0x0111 || c == 0x0110) /* đ Đ have no decomposition */
        c = 'd';
      g_string_append_unichar (bare, c);
    }
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
