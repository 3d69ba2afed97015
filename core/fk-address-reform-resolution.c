/* fk-address-reform-resolution.c: the units a resolution's free text names
 *
 * Each 2025 commune comes with the words of the resolution that formed it:
 * "Phường Hoàng Liệt, Thị trấn Văn Điển, Xã Tam Hiệp (huyện Thanh Trì), Xã
 * Thanh Liệt, và một phần diện tích TN của Phường Đại Kim". They are read
 * into mentions: a unit type, the key of a name, how much of it went in
 * (whole, the rest, a part) and the district a parenthesis may add. Which
 * old wards a mention means is for fk-address-reform-links.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-address-reform-private.h"

/* Reading one resolution text, token by token. */
typedef struct
{
  GArray *tokens;
  GArray *mentions;       /* FkReformMention */
  FkReformKind mode;      /* how much of the units named next went in */
  FkReformType list_type; /* the type of "các xã": names after it lack one */
  FkReformMention *open;  /* the mention whose name is being read */
  gboolean stopped;       /* after "sau khi …": no names up to the next comma */
} Reader;

static void
mention_clear (FkReformMention *mention)
{
  g_free (mention->key);
  g_free (mention->tone);
  g_free (mention->qualifier);
  if (mention->wards != NULL)
    g_array_unref (mention->wards);
}

static GArray *
mentions_new (void)
{
  GArray *mentions = g_array_new (FALSE, TRUE, sizeof (FkReformMention));

  g_array_set_clear_func (mentions, (GDestroyNotify) mention_clear);
  return mentions;
}

/* Length of a phrase of the resolutions' wording that names no unit ("một
 * phần diện tích tự nhiên"), or 0; sets @kind when it says how much of the
 * next units went in. */
static guint
filler_at (GArray *tokens, guint i, guint hi, int *kind)
{
  static const struct
  {
    const char *words[5];
    int kind; /* -1: says nothing */
  } phrases[] = {
    { { "một", "phần", NULL }, FK_REFORM_KIND_PART },
    { { "toàn", "bộ", "diện", "tích", NULL }, FK_REFORM_KIND_WHOLE },
    { { "toàn", "bộ", NULL }, -1 },
    { { "toàn", "bố", NULL }, -1 },
    { { "diện", "tích", "tự", "nhiên", NULL }, -1 },
    { { "diện", "tích", "tn", NULL }, -1 },
    { { "diện", "tích", NULL }, -1 },
    { { "quy", "mô", "dân", "số", NULL }, -1 },
    { { "của", NULL }, -1 },
    { { "phần", "còn", "lại", "củ", NULL }, FK_REFORM_KIND_REST },
    { { "phần", "còn", "lại", NULL }, FK_REFORM_KIND_REST },
    { { "tn", NULL }, -1 },
  };

  for (guint p = 0; p < G_N_ELEMENTS (phrases); p++)
    {
      guint n = 0;

      while (phrases[p].words[n] != NULL &&
             fk_reform_word_is (tokens, i + n, hi, phrases[p].words[n]))
        n++;
      if (phrases[p].words[n] == NULL)
        {
          if (phrases[p].kind >= 0)
            *kind = phrases[p].kind;
          return n;
        }
    }
  return 0;
}

/* What a parenthesis says of the unit before it: a remainder or part, or
 * the district it lies in ("huyện Thanh Chương", "thuộc huyện Đăk Hà"). */
static void
read_paren (const char *text, FkReformMention *mention)
{
  g_autoptr (GArray) tokens = fk_reform_tokenize (text, FALSE);

  for (guint i = 0; i < tokens->len; i++)
    {
      int kind = -1;
      guint n_type;
      FkReformType type;

      if (filler_at (tokens, i, tokens->len, &kind) > 0 && kind >= 0)
        {
          if (kind != FK_REFORM_KIND_WHOLE)
            mention->kind = (FkReformKind) kind;
          return;
        }
      type = fk_reform_type_at (tokens, i, tokens->len, TRUE, &n_type);
      if (type != FK_REFORM_TYPE_NONE && !fk_reform_type_fits (type, FK_REFORM_LEVEL_WARD) &&
          mention->qualifier == NULL && i + n_type < tokens->len)
        {
          mention->qualifier = fk_reform_join_folded (tokens, i + n_type, tokens->len);
          return;
        }
    }
}

static void
append_word (FkReformMention *mention, const FkReformToken *token)
{
  char *key = g_strconcat (mention->key != NULL ? mention->key : "", token->fold, NULL);
  char *tone = g_strconcat (mention->tone != NULL ? mention->tone : "", token->tone, NULL);

  g_free (mention->key);
  g_free (mention->tone);
  mention->key = key;
  mention->tone = tone;
}

/* Moves past token @i when it names no unit: separators, parentheses,
 * "sau khi …", a "và" between names, the resolutions' wording, "các".
 * Returns how many tokens it took, 0 when @i is part of a name. */
static guint
read_wording (Reader *r, guint i)
{
  GArray *tokens = r->tokens;
  FkReformToken *token = FK_REFORM_TOKEN (tokens, i);
  guint n;
  int kind = -1;

  if (token->kind == FK_REFORM_TOKEN_BREAK || token->kind == FK_REFORM_TOKEN_STOP)
    {
      r->open = NULL;
      r->stopped = FALSE;
      return 1;
    }
  if (token->kind == FK_REFORM_TOKEN_PAREN)
    {
      if (r->mentions->len > 0)
        read_paren (token->low,
                    &g_array_index (r->mentions, FkReformMention, r->mentions->len - 1));
      r->open = NULL;
      return 1;
    }
  if (r->stopped)
    return 1;
  if (fk_reform_word_is (tokens, i, tokens->len, "sau") &&
      fk_reform_word_is (tokens, i + 1, tokens->len, "khi"))
    {
      r->open = NULL;
      r->stopped = TRUE;
      return 1;
    }
  /* "và" joins names unless it is part of one ("Xã Mường Và"). */
  if (fk_reform_word_is (tokens, i, tokens->len, "và") && i + 1 < tokens->len &&
      FK_REFORM_TOKEN (tokens, i + 1)->kind == FK_REFORM_TOKEN_WORD &&
      (fk_reform_type_at (tokens, i + 1, tokens->len, TRUE, &n) != FK_REFORM_TYPE_NONE ||
       filler_at (tokens, i + 1, tokens->len, &kind) > 0 ||
       fk_reform_word_is (tokens, i + 1, tokens->len, "các")))
    {
      r->open = NULL;
      return 1;
    }
  if ((n = filler_at (tokens, i, tokens->len, &kind)) > 0)
    {
      if (kind >= 0)
        r->mode = (FkReformKind) kind;
      r->open = NULL;
      return n;
    }
  /* "các phường", "các Xã": a list whose names may lack the type word. */
  if (fk_reform_word_is (tokens, i, tokens->len, "các") && r->open == NULL &&
      fk_reform_type_at (tokens, i + 1, tokens->len, TRUE, &n) != FK_REFORM_TYPE_NONE)
    return 1;
  return 0;
}

/* FkReformToken @i starts a mention with its type word, or adds to the name of the
 * open one (starting one of the list's type if none is open). Returns how
 * many tokens it took. */
static guint
read_name (Reader *r, guint i)
{
  GArray *tokens = r->tokens;
  guint n;
  FkReformType type = fk_reform_type_at (tokens, i, tokens->len, TRUE, &n);

  /* A type word that ends a name is part of it: "Xã Tân Xã". */
  if (type != FK_REFORM_TYPE_NONE && r->open != NULL && r->open->key != NULL &&
      (i + n >= tokens->len || FK_REFORM_TOKEN (tokens, i + n)->kind != FK_REFORM_TOKEN_WORD ||
       fk_reform_word_is (tokens, i + n, tokens->len, "và")))
    type = FK_REFORM_TYPE_NONE;
  if (type != FK_REFORM_TYPE_NONE)
    {
      FkReformMention mention = { type, NULL, NULL, NULL, r->mode, NULL };

      /* "các phường Phường Giảng Võ": the type said twice. */
      if (r->open != NULL && r->open->key == NULL)
        g_array_remove_index (r->mentions, r->mentions->len - 1);
      g_array_append_val (r->mentions, mention);
      r->open = &g_array_index (r->mentions, FkReformMention, r->mentions->len - 1);
      r->list_type = type;
      return n;
    }
  if (r->open == NULL)
    {
      FkReformMention mention = { r->list_type, NULL, NULL, NULL, r->mode, NULL };

      g_array_append_val (r->mentions, mention);
      r->open = &g_array_index (r->mentions, FkReformMention, r->mentions->len - 1);
    }
  append_word (r->open, FK_REFORM_TOKEN (tokens, i));
  return 1;
}

/* Reads the units named in one resolution text. */
static GArray *
read_formed_from (const char *text)
{
  g_autofree char *low = g_utf8_strdown (text, -1);
  g_autoptr (GArray) tokens = fk_reform_tokenize (low, TRUE);
  Reader r = { tokens, mentions_new (), FK_REFORM_KIND_WHOLE, FK_REFORM_TYPE_NONE, NULL, FALSE };

  for (guint i = 0; i < tokens->len;)
    {
      guint n = read_wording (&r, i);

      i += n > 0 ? n : read_name (&r, i);
    }
  for (guint i = r.mentions->len; i > 0; i--)
    if (g_array_index (r.mentions, FkReformMention, i - 1).key == NULL)
      g_array_remove_index (r.mentions, i - 1);
  return r.mentions;
}

/**
 * fk_reform_read_mentions:
 * @commune: a 2025 commune
 * @text: the resolution's words on what formed it
 *
 * Returns: (transfer full): the mentions in @text, each with its wards
 *   still %NULL; a commune kept as it was ("giữ nguyên") mentions the old
 *   ward of its own name
 */
GArray *
fk_reform_read_mentions (const FkAdminUnit *commune, const char *text)
{
  g_autofree char *low = g_utf8_strdown (text, -1);
  g_autofree char *full = NULL;
  GArray *mentions;
  FkReformMention mention = { 0 };
  guint n_words;

  if (strstr (low, "giữ nguyên") == NULL)
    return read_formed_from (text);
  full = fk_admin_unit_dup_full_name (commune);
  mentions = mentions_new ();
  mention.key = fk_reform_split_name (full, &mention.type, &n_words, &mention.tone);
  mention.kind = FK_REFORM_KIND_WHOLE;
  g_array_append_val (mentions, mention);
  return mentions;
}

/* Which old provinces went into each 2025 province, from the province rows
 * ("tỉnh Hà Giang và tỉnh Tuyên Quang", "giữ nguyên", "TPHCM, …"). */
void
fk_reform_read_province_row (FkReformTable *table, const FkAdminUnit *new_province,
                             const char *text)
{
  g_autofree char *low = g_utf8_strdown (text, -1);
  g_autoptr (GArray) tokens = fk_reform_tokenize (low, FALSE);
  g_autofree char *words = fk_reform_join_key (tokens, 0, tokens->len, " ", FALSE);
  g_autofree char *padded = g_strconcat (" ", words, " ", NULL);
  g_autofree char *own = fk_reform_name_key (new_province->name);

  for (guint i = 0; i < table->provinces->len; i++)
    {
      FkReformProvince *province = fk_reform_province (table, i);
      g_autofree char *needle = g_strconcat (" ", province->spaced, " ", NULL);

      if (g_str_equal (province->key, own) || strstr (padded, needle) != NULL ||
          (g_str_equal (province->key, "hochiminh") && strstr (padded, " tphcm ") != NULL))
        province->new_province = new_province;
    }
}
