/* fk-text.h: text normalisation for names, addresses and search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How fk_text_fold_append() folds. Without flags every diacritic goes. */
typedef enum
{
  FK_TEXT_FOLD_DEFAULT = 0,
  /* Keep the diacritics but move each word's tone mark to the word's end:
   * "Hoà" and "Hòa" fold alike, "Phú" and "Phụ" do not. */
  FK_TEXT_FOLD_TONE_LAST = 1 << 0,
  /* A word that is a Roman number from II to IX (but V) becomes digits:
   * "Phường IV" is "Phường 4". */
  FK_TEXT_FOLD_ROMAN = 1 << 1,
  /* A word's final y after a consonant (or in "qu") becomes i: "Quý" and
   * "Quí", "Vỹ" and "Vĩ" fold alike. */
  FK_TEXT_FOLD_FINAL_Y = 1 << 2,
} FkTextFoldFlags;

char *fk_text_normalize (const char *s);
char *fk_text_normalize_len (const char *s, gssize len);
char *fk_text_fold (const char *s);
void fk_text_fold_append (GString *out, const char *s, gssize len, FkTextFoldFlags flags);
gboolean fk_text_is_digits (const char *s, gsize len);

G_END_DECLS
