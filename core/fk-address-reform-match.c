/* fk-address-reform-match.c: reading an address from its end
 *
 * An address is cut at its commas into segments and read from the end:
 * the country, the province, the district, then the ward within at most
 * MAX_WARD_LOOKBACK segments before the district (further back are the
 * street and the house). A name is the longest run of words at the end of
 * a segment that is a key of the table, after its type word if there is
 * one. The wards found give the 2025 communes through their links.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-address-reform-private.h"

/* Segments further back than this from the district are street and house. */
#define MAX_WARD_LOOKBACK 3

/* Words before a hamlet, street or house number, never before a ward. */
static const char *const place_words[] = {
  "thon", "xom",  "ap",   "ban",  "to",  "khu", "khom", "so",  "duong", "pho",  "ngo", "ngach",
  "hem",  "kiet", "buon", "lang", "doi", "cum", "kp",   "tdp", "sn",    "plei", "soc", "kdc",
};

/* Where reading from the end of the address has got to: segments before
 * @seg are whole, @seg is read up to token @end. */
typedef struct
{
  GArray *tokens;
  GArray *starts; /* guint: first token of each segment */
  int seg;
  guint end;
} Cursor;

static guint
seg_start (const Cursor *c, int seg)
{
  return g_array_index (c->starts, guint, seg);
}

static guint
seg_end (const Cursor *c, int seg)
{
  return (guint) seg + 1 < c->starts->len ? g_array_index (c->starts, guint, seg + 1) - 1
                                          : c->tokens->len;
}

/* Moves to the end of the previous non-empty segment when this one is read. */
static void
cursor_settle (Cursor *c)
{
  while (c->seg >= 0 && c->end <= seg_start (c, c->seg))
    {
      c->seg--;
      if (c->seg >= 0)
        c->end = seg_end (c, c->seg);
    }
}

typedef gboolean (*Accept) (FkReformTable *table, guint index, gconstpointer data);

static FkReformType ward_type (FkReformTable *table, guint i);

/* Wards whose names fold alike ("Hoàng Phú", "Hoàng Phụ"): the one spelt
 * as in the address, when it has its accents. */
static void
prefer_spelling (FkReformTable *table, GArray *wards, GArray *tokens, guint from, guint to)
{
  g_autofree char *tone = fk_reform_join_tone (tokens, from, to);
  gboolean any = FALSE;

  for (guint i = 0; i < wards->len && !any; i++)
    any = g_strcmp0 (fk_reform_ward (table, g_array_index (wards, guint, i))->tone, tone) == 0;
  if (any)
    for (guint i = wards->len; i > 0; i--)
      if (g_strcmp0 (fk_reform_ward (table, g_array_index (wards, guint, i - 1))->tone, tone) != 0)
        g_array_remove_index (wards, i - 1);
}

static gboolean
is_place_word (const FkReformToken *token)
{
  for (guint i = 0; i < G_N_ELEMENTS (place_words); i++)
    if (g_str_equal (token->fold, place_words[i]))
      return TRUE;
  return FALSE;
}

/* The longest name of @index at the end of the cursor's segment that
 * @accept takes, with its type word if one precedes it; fills @out and
 * moves the cursor before it. @loose: a name may follow other words
 * without a type word ("Số 12 Trúc Bạch"). @type_of gives a candidate's
 * type, to prefer the one the address says. */
static gboolean
match_tail (FkReformTable *table, Cursor *c, GHashTable *index, FkReformLevel level, gboolean loose,
            Accept accept, gconstpointer data, FkReformType (*type_of) (FkReformTable *, guint),
            GArray *out)
{
  guint lo, end;

  if (c->seg < 0)
    return FALSE;
  lo = seg_start (c, c->seg);
  end = c->end;
  for (guint k = MIN (table->max_words, end - lo); k >= 1; k--)
    {
      g_autofree char *key = fk_reform_join_folded (c->tokens, end - k, end);
      GArray *found = g_hash_table_lookup (index, key);
      guint n_type = 0;
      FkReformType said;
      gboolean exact = FALSE;

      if (found == NULL)
        continue;
      said = fk_reform_type_before (c->tokens, lo, end - k, FALSE, &n_type);
      if (said != FK_REFORM_TYPE_NONE && !fk_reform_type_fits (said, level))
        continue;
      if (said == FK_REFORM_TYPE_NONE && end - k > lo &&
          (!loose || is_place_word (FK_REFORM_TOKEN (c->tokens, end - k - 1))))
        continue;
      /* A bare number is a house number, not "Phường 1". */
      if (said == FK_REFORM_TYPE_NONE && strspn (key, "0123456789") == strlen (key))
        continue;

      g_array_set_size (out, 0);
      for (guint i = 0; i < found->len; i++)
        {
          guint index_value = g_array_index (found, guint, i);

          if (accept == NULL || accept (table, index_value, data))
            {
              g_array_append_val (out, index_value);
              exact |= type_of != NULL && type_of (table, index_value) == said;
            }
        }
      if (out->len == 0)
        continue;
      if (exact)
        for (guint i = out->len; i > 0; i--)
          if (type_of (table, g_array_index (out, guint, i - 1)) != said)
            g_array_remove_index (out, i - 1);
      if (out->len > 1 && type_of == ward_type)
        prefer_spelling (table, out, c->tokens, end - k, end);
      c->end = end - k - n_type;
      cursor_settle (c);
      return TRUE;
    }
  return FALSE;
}

static FkReformType
district_type (FkReformTable *table, guint i)
{
  return fk_reform_district (table, i)->type;
}

static FkReformType
ward_type (FkReformTable *table, guint i)
{
  return fk_reform_ward (table, i)->type;
}

static gboolean
district_in_province (FkReformTable *table, guint i, gconstpointer data)
{
  const guint *province = data;

  return province == NULL || fk_reform_district (table, i)->province == *province;
}

typedef struct
{
  GArray *districts; /* nullable */
  const guint *province;
} WardScope;

static gboolean
ward_in_scope (FkReformTable *table, guint i, gconstpointer data)
{
  const WardScope *scope = data;
  const FkReformWard *ward = fk_reform_ward (table, i);

  if (scope->districts != NULL)
    {
      for (guint d = 0; d < scope->districts->len; d++)
        if (g_array_index (scope->districts, guint, d) == ward->district)
          return TRUE;
      return FALSE;
    }
  return scope->province == NULL ||
         fk_reform_district (table, ward->district)->province == *scope->province;
}

/* The ward, in the segments before the district: the nearest one naming a
 * ward; only the nearest may name it without a type word. */
static gboolean
find_wards (FkReformTable *table, Cursor *c, const WardScope *scope, GArray *out)
{
  gboolean nearest = TRUE;

  for (int tries = 0; c->seg >= 0 && tries < MAX_WARD_LOOKBACK; tries++)
    {
      Cursor here = *c;

      if (match_tail (table, &here, table->ward_keys, FK_REFORM_LEVEL_WARD, nearest, ward_in_scope,
                      scope, ward_type, out))
        {
          *c = here;
          return TRUE;
        }
      nearest = FALSE;
      c->end = seg_start (c, c->seg);
      cursor_settle (c);
    }
  return FALSE;
}

static gboolean
is_country (const Cursor *c)
{
  g_autofree char *key = fk_reform_join_folded (c->tokens, seg_start (c, c->seg), c->end);

  return g_str_equal (key, "vietnam") || g_str_equal (key, "vn");
}

typedef struct
{
  GPtrArray *communes; /* const FkAdminUnit * */
  GArray *kinds;       /* FkReformKind, per commune */
  GArray *wards;       /* guint: the old wards placed */
} Placing;

static int
commune_at (const Placing *placing, const FkAdminUnit *commune)
{
  for (guint i = 0; i < placing->communes->len; i++)
    if (placing->communes->pdata[i] == commune)
      return i;
  return -1;
}

static void
place_ward (FkReformTable *table, Placing *placing, guint w)
{
  const FkReformWard *ward = fk_reform_ward (table, w);

  g_array_append_val (placing->wards, w);
  for (guint l = ward->first_link; l < ward->first_link + ward->n_links; l++)
    {
      const FkReformLink *link = fk_reform_link (table, l);
      int at = commune_at (placing, link->commune);

      if (at < 0)
        {
          g_ptr_array_add (placing->communes, (gpointer) link->commune);
          g_array_append_val (placing->kinds, link->kind);
        }
      else if (link->kind < g_array_index (placing->kinds, FkReformKind, at))
        g_array_index (placing->kinds, FkReformKind, at) = link->kind;
    }
}

/* Wholes, then remainders, then parts; among equals, the commune that kept
 * the ward's name, then by code. */
static void
rank_communes (FkReformTable *table, Placing *placing, guint from)
{
  const char *name_key = NULL;

  if (placing->wards->len > 0)
    name_key = fk_reform_ward (table, g_array_index (placing->wards, guint, 0))->key;
  for (guint i = from + 1; i < placing->communes->len; i++)
    for (guint j = i; j > from; j--)
      {
        const FkAdminUnit *a = placing->communes->pdata[j - 1], *b = placing->communes->pdata[j];
        FkReformKind ka = g_array_index (placing->kinds, FkReformKind, j - 1);
        FkReformKind kb = g_array_index (placing->kinds, FkReformKind, j);
        int c = (int) ka - (int) kb;

        if (c == 0 && name_key != NULL)
          {
            g_autofree char *fa = fk_reform_name_key (a->name);
            g_autofree char *fb = fk_reform_name_key (b->name);

            c = (int) !g_str_equal (fa, name_key) - (int) !g_str_equal (fb, name_key);
          }
        if (c == 0)
          c = strcmp (a->code, b->code);
        if (c <= 0)
          break;
        g_ptr_array_index (placing->communes, j - 1) = (gpointer) b;
        g_ptr_array_index (placing->communes, j) = (gpointer) a;
        g_array_index (placing->kinds, FkReformKind, j - 1) = kb;
        g_array_index (placing->kinds, FkReformKind, j) = ka;
      }
}

/* The name shared by all the units, or NULL. */
static char *
common_name (GPtrArray *names)
{
  if (names->len == 0 || names->pdata[0] == NULL)
    return NULL;
  for (guint i = 1; i < names->len; i++)
    if (g_strcmp0 (names->pdata[i], names->pdata[0]) != 0)
      return NULL;
  return g_strdup (names->pdata[0]);
}

static void
fill_old_names (FkReformTable *table, FkReformSuggestion *suggestion, GArray *wards,
                gboolean with_ward)
{
  g_autoptr (GPtrArray) w = g_ptr_array_new ();
  g_autoptr (GPtrArray) d = g_ptr_array_new ();
  g_autoptr (GPtrArray) p = g_ptr_array_new ();

  for (guint i = 0; i < wards->len; i++)
    {
      const FkReformWard *ward = fk_reform_ward (table, g_array_index (wards, guint, i));
      const FkReformDistrict *district = fk_reform_district (table, ward->district);

      g_ptr_array_add (w, (gpointer) ward->full);
      g_ptr_array_add (d, (gpointer) district->full);
      g_ptr_array_add (p, (gpointer) fk_reform_province (table, district->province)->full);
    }
  if (with_ward)
    suggestion->old_ward = common_name (w);
  suggestion->old_district = common_name (d);
  suggestion->old_province = common_name (p);
}

static void
suggest_old (FkReformTable *table, FkReformSuggestion *suggestion, GArray *wards,
             gboolean with_ward)
{
  Placing placing = { suggestion->communes, g_array_new (FALSE, FALSE, sizeof (FkReformKind)),
                      g_array_new (FALSE, FALSE, sizeof (guint)) };

  for (guint i = 0; i < wards->len; i++)
    place_ward (table, &placing, g_array_index (wards, guint, i));
  rank_communes (table, &placing, 0);
  fill_old_names (table, suggestion, wards, with_ward);
  suggestion->whole = wards->len == 1 && suggestion->communes->len == 1 &&
                      g_array_index (placing.kinds, FkReformKind, 0) == FK_REFORM_KIND_WHOLE;
  g_array_unref (placing.kinds);
  g_array_unref (placing.wards);
}

/* The district, then the ward, from the cursor; @province limits the
 * district when not NULL. */
static gboolean
find_district_and_wards (FkReformTable *table, Cursor *c, const guint *province, GArray *districts,
                         GArray *wards)
{
  WardScope scope = { districts, NULL };

  if (!match_tail (table, c, table->district_keys, FK_REFORM_LEVEL_DISTRICT, TRUE,
                   district_in_province, province, district_type, districts))
    return FALSE;
  return find_wards (table, c, &scope, wards);
}

/* An island district without wards stands for its own ward. */
static gboolean
island_wards (FkReformTable *table, GArray *districts, GArray *wards)
{
  g_array_set_size (wards, 0);
  for (guint i = 0; i < districts->len; i++)
    {
      const FkReformDistrict *d = fk_reform_district (table, g_array_index (districts, guint, i));

      if (d->n_wards == 1 && fk_reform_ward (table, d->first_ward)->full == NULL)
        g_array_append_val (wards, d->first_ward);
    }
  return wards->len > 0;
}

/* A cursor at the end of the address's last segment, the country left
 * out; its seg is -1 when nothing is left. */
static Cursor
cursor_at_end (GArray *tokens, GArray *starts)
{
  Cursor end = { tokens, starts, 0, 0 };
  guint zero = 0;

  g_array_append_val (starts, zero);
  for (guint i = 0; i < tokens->len; i++)
    if (FK_REFORM_TOKEN (tokens, i)->kind == FK_REFORM_TOKEN_BREAK)
      {
        guint next = i + 1;

        g_array_append_val (starts, next);
      }
  end.seg = (int) starts->len - 1;
  end.end = tokens->len;
  cursor_settle (&end);
  if (end.seg >= 0 && is_country (&end))
    {
      end.end = seg_start (&end, end.seg);
      cursor_settle (&end);
    }
  return end;
}

/* The 2025 communes of @province that the end of the cursor's segment
 * names, added to @suggestion. */
static gboolean
find_current_communes (FkReformTable *table, const Cursor *c, const FkReformProvince *province,
                       FkReformSuggestion *suggestion)
{
  gboolean current = FALSE;
  guint lo;

  if (c->seg < 0)
    return FALSE;
  lo = seg_start (c, c->seg);
  for (guint k = MIN (table->max_words, c->end - lo); k >= 1 && !current; k--)
    {
      g_autofree char *key = fk_reform_join_folded (c->tokens, c->end - k, c->end);
      GPtrArray *same = g_hash_table_lookup (table->commune_keys, key);
      guint n_type;
      FkReformType said = fk_reform_type_before (c->tokens, lo, c->end - k, FALSE, &n_type);

      if (same == NULL ||
          (said != FK_REFORM_TYPE_NONE && !fk_reform_type_fits (said, FK_REFORM_LEVEL_WARD)) ||
          (said == FK_REFORM_TYPE_NONE && c->end - k > lo))
        continue;
      for (guint i = 0; i < same->len; i++)
        {
          const FkAdminUnit *commune = same->pdata[i];

          if (g_str_equal (commune->province_code, province->new_province->code))
            {
              g_ptr_array_add (suggestion->communes, (gpointer) commune);
              current = TRUE;
            }
        }
    }
  return current;
}

/* The communes of old @wards after those already suggested. */
static void
suggest_old_after (FkReformTable *table, FkReformSuggestion *suggestion, GArray *wards)
{
  Placing placing = { suggestion->communes, g_array_new (FALSE, FALSE, sizeof (FkReformKind)),
                      g_array_new (FALSE, FALSE, sizeof (guint)) };
  guint from = suggestion->communes->len;

  for (guint i = 0; i < from; i++)
    {
      FkReformKind whole = FK_REFORM_KIND_WHOLE;

      g_array_append_val (placing.kinds, whole);
    }
  for (guint i = 0; i < wards->len; i++)
    place_ward (table, &placing, g_array_index (wards, guint, i));
  rank_communes (table, &placing, from);
  g_array_unref (placing.kinds);
  g_array_unref (placing.wards);
}

/* No district: a 2025 address, or an old ward with its district left out.
 * Sets the old province whatever it finds. */
static void
suggest_without_district (FkReformTable *table, const Cursor *after_province, guint province_index,
                          FkReformSuggestion *suggestion)
{
  const FkReformProvince *province = fk_reform_province (table, province_index);
  g_autoptr (GArray) wards = g_array_new (FALSE, FALSE, sizeof (guint));
  Cursor old = *after_province;
  WardScope scope = { NULL, &province_index };

  if (find_current_communes (table, after_province, province, suggestion))
    {
      suggestion->current = TRUE;
      suggestion->old_province = g_strdup (province->full);
      /* The same words read as an old ward: its communes after. */
      if (find_wards (table, &old, &scope, wards))
        suggest_old_after (table, suggestion, wards);
      return;
    }
  if (find_wards (table, &old, &scope, wards))
    {
      suggest_old (table, suggestion, wards, TRUE);
      return;
    }
  suggestion->old_province = g_strdup (province->full);
}

/* An address that names an old district: province (when @province is not
 * NULL), district, ward; or a district without wards. */
static gboolean
suggest_with_district (FkReformTable *table, const Cursor *end, const Cursor *after_province,
                       const guint *province, FkReformSuggestion *suggestion)
{
  g_autoptr (GArray) districts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) wards = g_array_new (FALSE, FALSE, sizeof (guint));
  Cursor c;

  c = *after_province;
  if (province != NULL && find_district_and_wards (table, &c, province, districts, wards))
    {
      suggest_old (table, suggestion, wards, TRUE);
      return TRUE;
    }
  /* FkReformDistrict and ward, the province left out, or what looked like one a
   * district of the same name ("Phường 5, Thành phố Vĩnh Long"). */
  {
    g_autoptr (GArray) d = g_array_new (FALSE, FALSE, sizeof (guint));

    c = *end;
    if (find_district_and_wards (table, &c, NULL, d, wards))
      {
        suggest_old (table, suggestion, wards, TRUE);
        return TRUE;
      }
  }
  if (province == NULL)
    return FALSE;
  /* A district without wards: the island districts. */
  c = *after_province;
  if (match_tail (table, &c, table->district_keys, FK_REFORM_LEVEL_DISTRICT, TRUE,
                  district_in_province, province, district_type, districts) &&
      island_wards (table, districts, wards))
    {
      suggest_old (table, suggestion, wards, FALSE);
      return TRUE;
    }
  return FALSE;
}

/**
 * fk_reform_match:
 * @table: the table
 * @address: valid UTF-8, NFC
 * @suggestion: where to put what is found
 *
 * Reads @address from its end and fills @suggestion.
 */
void
fk_reform_match (FkReformTable *table, const char *address, FkReformSuggestion *suggestion)
{
  g_autofree char *low = g_utf8_strdown (address, -1);
  g_autoptr (GArray) tokens = fk_reform_tokenize (low, FALSE);
  g_autoptr (GArray) starts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) provinces = g_array_new (FALSE, FALSE, sizeof (guint));
  Cursor end = cursor_at_end (tokens, starts);
  Cursor after_province;
  guint province_index = 0;
  gboolean has_province;

  if (end.seg < 0)
    return;
  after_province = end;
  has_province = match_tail (table, &after_province, table->province_keys, FK_REFORM_LEVEL_PROVINCE,
                             TRUE, NULL, NULL, NULL, provinces);
  if (has_province)
    province_index = g_array_index (provinces, guint, 0);
  else
    after_province.seg = -1;
  if (suggest_with_district (table, &end, &after_province, has_province ? &province_index : NULL,
                             suggestion))
    return;
  if (has_province)
    suggest_without_district (table, &after_province, province_index, suggestion);
}
