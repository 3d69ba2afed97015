/* fk-text.h: text normalisation for names, addresses and search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *fk_text_normalize (const char *s);
char *fk_text_normalize_len (const char *s, gssize len);
char *fk_text_fold (const char *s);
gboolean fk_text_is_digits (const char *s, gsize len);

G_END_DECLS
