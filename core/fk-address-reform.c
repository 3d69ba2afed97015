/* fk-address-reform.c: the 2025 commune for an address written with the
 * old (pre-July-2025) units
 *
 * Two lists shipped as resources: the old provinces, districts and wards,
 * and, for each 2025 commune, the free text of the resolution saying which
 * old units formed it. The text is read once, on the first suggestion, into
 * links from each old ward to the 2025 communes that took it (whole, the
 * rest of it, or a part). An address is then read from its end: province,
 * district, ward.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>

#include "fk-address-reform.h"
#include "fk-core-error.h"
#include "fk-core-init.h"

#define OLD_UNITS_RESOURCE   "/vn/fieldkit/core/data/admin-units/vn-units-pre2025.csv"
#define FORMED_FROM_RESOURCE "/vn/fieldkit/core/data/admin-units/vn-units-2025-formed-from.csv"

/* Nothing on a card is longer; beyond this only the end of the text, where
 * the units are, is read. */
#define MAX_ADDRESS_BYTES 2048
/* Segments further back than this from the district are street and house. */
#define MAX_WARD_LOOKBACK 3

typedef enum
{
  TYPE_NONE,
  TYPE_TINH,
  TYPE_THANH_PHO,
  TYPE_QUAN,
  TYPE_HUYEN,
  TYPE_THI_XA,
  TYPE_XA,
  TYPE_PHUONG,
  TYPE_THI_TRAN,
  TYPE_DAC_KHU,
} UnitType;

typedef enum
{
  LEVEL_PROVINCE,
  LEVEL_DISTRICT,
  LEVEL_WARD,
} Level;

/* How an old ward went into a 2025 commune; lower ranks first. */
typedef enum
{
  KIND_WHOLE,
  KIND_REST,
  KIND_PART,
} Kind;

typedef struct
{
  const char *full;   /* "Thành phố Hà Nội" */
  const char *key;    /* "hanoi" */
  const char *spaced; /* "ha noi" */
  const FkAdminUnit *new_province;
} Province;

typedef struct
{
  const char *full;
  const char *key;
  UnitType type;
  guint province;
  guint first_ward, n_wards;
} District;

typedef struct
{
  const char *full; /* NULL for an island district without wards */
  const char *key;
  const char *tone; /* NULL for an island district */
  UnitType type;
  guint district;
  guint first_link, n_links;
} Ward;

typedef struct
{
  guint ward;
  const FkAdminUnit *commune;
  Kind kind;
} Link;

typedef struct
{
  GStringChunk *strings;
  GArray *provinces;         /* Province */
  GArray *districts;         /* District */
  GArray *wards;             /* Ward */
  GArray *links;             /* Link, by ward */
  GHashTable *province_keys; /* key → GArray of guint */
  GHashTable *district_keys;
  GHashTable *ward_keys;
  GHashTable *commune_keys; /* key → GPtrArray of const FkAdminUnit * */
  guint max_words;
} Table;

typedef struct
{
  char *low;  /* lower case, accents kept: tells "phường" from "Phương" */
  char *fold; /* no accents: "phuong" */
  char *tone; /* accents kept, tone mark at the end: "hoà" and "hòa" alike */
  enum
  {
    TOKEN_WORD,
    TOKEN_BREAK, /* comma, semicolon */
    TOKEN_STOP,  /* full stop */
    TOKEN_PAREN, /* low holds the text in the parentheses */
  } kind;
} Token;

static void
token_clear (Token *token)
{
  g_free (token->low);
  g_free (token->fold);
  g_free (token->tone);
}

/* Lower case with the accents dropped and đ as d, one character at a time:
 * a name's words fold alike whatever the tone placement or normal form. */
static void
fold_append (GString *out, gunichar c)
{
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];

  if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
    return;
  if (g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed)) > 0)
    c = decomposed[0];
  if (c == 0x0111 || c == 0x0110)
    c = 'd';
  g_string_append_unichar (out, g_unichar_tolower (c));
}

static gboolean
is_tone_mark (gunichar c)
{
  return c == 0x0300 || c == 0x0301 || c == 0x0303 || c == 0x0309 || c == 0x0323;
}

/* The word's letters with their vowel marks, and its tone mark last: two
 * spellings of one name ("Hoà", "Hòa") compare equal, two names that fold
 * alike ("Hoàng Phú", "Hoàng Phụ") do not. */
static char *
tone_key (const char *word)
{
  GString *out = g_string_new (NULL);
  gunichar tone = 0;

  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar d[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
      gsize n = g_unichar_fully_decompose (g_utf8_get_char (p), FALSE, d, G_N_ELEMENTS (d));

      for (gsize i = 0; i < n; i++)
        if (is_tone_mark (d[i]))
          tone = d[i];
        else
          g_string_append_unichar (out, d[i]);
    }
  if (tone != 0)
    g_string_append_unichar (out, tone);
  return g_string_free (out, FALSE);
}

/* Spellings that differ on cards and in the lists: "Quí"/"Quý", "Vĩ"/"Vỹ"
 * (a final y after a consonant), Roman numbers ("Phường IV"). */
static void
fold_word_variants (GString *fold)
{
  static const char *const roman[] = { "ii", "iii", "iv", "vi", "vii", "viii", "ix" };
  static const char *const arabic[] = { "2", "3", "4", "6", "7", "8", "9" };
  gsize n = fold->len;

  for (guint i = 0; i < G_N_ELEMENTS (roman); i++)
    if (g_str_equal (fold->str, roman[i]))
      {
        g_string_assign (fold, arabic[i]);
        return;
      }
  if (n >= 2 && fold->str[n - 1] == 'y' &&
      (strchr ("aeiouy", fold->str[n - 2]) == NULL ||
       (n >= 3 && fold->str[n - 2] == 'u' && fold->str[n - 3] == 'q')))
    fold->str[n - 1] = 'i';
}

/* Words, separators and parentheses of @text (valid UTF-8, lower case).
 * Numbers lose their leading zeros: "Phường 01" is "Phường 1". */
static GArray *
tokenize (const char *text, gboolean keep_parens)
{
  GArray *tokens = g_array_new (FALSE, FALSE, sizeof (Token));
  g_autoptr (GString) low = g_string_new (NULL);
  g_autoptr (GString) fold = g_string_new (NULL);
  const char *p = text;

  g_array_set_clear_func (tokens, (GDestroyNotify) token_clear);
  while (TRUE)
    {
      gunichar c = *p != '\0' ? g_utf8_get_char (p) : 0;
      gboolean word_char = c != 0 && (g_unichar_isalnum (c) || g_unichar_ismark (c));

      if (word_char)
        {
          g_string_append_unichar (low, c);
          fold_append (fold, c);
          p = g_utf8_next_char (p);
          continue;
        }
      if (fold->len > 0)
        {
          Token token = { .kind = TOKEN_WORD };
          gsize zeros = 0;

          while (zeros + 1 < fold->len && fold->str[zeros] == '0')
            zeros++;
          if (zeros > 0 && strspn (fold->str, "0123456789") == fold->len)
            {
              g_string_erase (fold, 0, (gssize) zeros);
              g_string_assign (low, fold->str);
            }
          fold_word_variants (fold);
          token.low = g_strdup (low->str);
          token.fold = g_strdup (fold->str);
          token.tone = tone_key (low->str);
          g_array_append_val (tokens, token);
          g_string_truncate (low, 0);
          g_string_truncate (fold, 0);
        }
      if (c == 0)
        break;
      if (c == ',' || c == ';' || c == '|' || c == '\n')
        {
          Token token = { .kind = TOKEN_BREAK };

          g_array_append_val (tokens, token);
        }
      else if (c == '.' && keep_parens)
        {
          Token token = { .kind = TOKEN_STOP };

          g_array_append_val (tokens, token);
        }
      else if (c == '(' && keep_parens)
        {
          const char *start = p + 1, *q = start;
          int depth = 1;
          Token token = { .kind = TOKEN_PAREN };

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
          p = q;
          continue;
        }
      p = g_utf8_next_char (p);
    }
  return tokens;
}

#define TOKEN(tokens, i) (&g_array_index ((tokens), Token, (i)))

static const struct
{
  const char *first, *second; /* folded words */
  const char *low_first;      /* the accented first word, for official text */
  UnitType type;
  gboolean abbreviation;
} type_words[] = {
  { "thanh", "pho", "thành", TYPE_THANH_PHO, FALSE },
  { "thi", "tran", "thị", TYPE_THI_TRAN, FALSE },
  { "thi", "xa", "thị", TYPE_THI_XA, FALSE },
  { "dac", "khu", "đặc", TYPE_DAC_KHU, FALSE },
  { "tinh", NULL, "tỉnh", TYPE_TINH, FALSE },
  { "quan", NULL, "quận", TYPE_QUAN, FALSE },
  { "huyen", NULL, "huyện", TYPE_HUYEN, FALSE },
  { "xa", NULL, "xã", TYPE_XA, FALSE },
  { "phuong", NULL, "phường", TYPE_PHUONG, FALSE },
  { "tp", NULL, NULL, TYPE_THANH_PHO, TRUE },
  { "tx", NULL, NULL, TYPE_THI_XA, TRUE },
  { "tt", NULL, NULL, TYPE_THI_TRAN, TRUE },
  { "t", NULL, NULL, TYPE_TINH, TRUE },
  { "q", NULL, NULL, TYPE_QUAN, TRUE },
  { "h", NULL, NULL, TYPE_HUYEN, TRUE },
  { "x", NULL, NULL, TYPE_XA, TRUE },
  { "p", NULL, NULL, TYPE_PHUONG, TRUE },
};

/* Second words of two-word type words, accented. */
static const char *const type_second_low[] = { "phố", "trấn", "xã", "khu" };

/* Words before a hamlet, street or house number, never before a ward. */
static const char *const place_words[] = {
  "thon", "xom",  "ap",   "ban",  "to",  "khu", "khom", "so",  "duong", "pho",  "ngo", "ngach",
  "hem",  "kiet", "buon", "lang", "doi", "cum", "kp",   "tdp", "sn",    "plei", "soc", "kdc",
};

/* The type word that ends at token @end (exclusive), not before @lo; sets
 * @n_tokens to its length. @official: the text is accented (resolutions),
 * so "Phương" or "Xa" in a name is no type word. */
static UnitType
type_before (GArray *tokens, guint lo, guint end, gboolean official, guint *n_tokens)
{
  *n_tokens = 0;
  if (end <= lo)
    return TYPE_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (type_words); i++)
    {
      guint n = type_words[i].second != NULL ? 2 : 1;
      Token *first;

      if (end - lo < n || (official && type_words[i].abbreviation))
        continue;
      first = TOKEN (tokens, end - n);
      if (first->kind != TOKEN_WORD || !g_str_equal (first->fold, type_words[i].first))
        continue;
      if (n == 2)
        {
          Token *second = TOKEN (tokens, end - 1);

          if (second->kind != TOKEN_WORD || !g_str_equal (second->fold, type_words[i].second))
            continue;
          if (official && !g_strv_contains (type_second_low, second->low))
            continue;
        }
      if (official && !g_str_equal (first->low, type_words[i].low_first))
        continue;
      *n_tokens = n;
      return type_words[i].type;
    }
  return TYPE_NONE;
}

/* The type word that starts at token @start, before @hi. */
static UnitType
type_at (GArray *tokens, guint start, guint hi, gboolean official, guint *n_tokens)
{
  UnitType type = TYPE_NONE;

  *n_tokens = 0;
  /* Two words first: "thị xã" is not the ward type "xã". */
  if (start + 2 <= hi)
    {
      type = type_before (tokens, start, start + 2, official, n_tokens);
      if (*n_tokens != 2)
        type = TYPE_NONE;
    }
  if (type == TYPE_NONE && start + 1 <= hi)
    type = type_before (tokens, start, start + 1, official, n_tokens);
  if (type == TYPE_NONE)
    *n_tokens = 0;
  return type;
}

static gboolean
type_fits (UnitType type, Level level)
{
  switch (level)
    {
      case LEVEL_PROVINCE:
        return type == TYPE_TINH || type == TYPE_THANH_PHO;
      case LEVEL_DISTRICT:
        return type == TYPE_QUAN || type == TYPE_HUYEN || type == TYPE_THI_XA ||
               type == TYPE_THANH_PHO;
      case LEVEL_WARD:
      default:
        return type == TYPE_XA || type == TYPE_PHUONG || type == TYPE_THI_TRAN ||
               type == TYPE_DAC_KHU;
    }
}

/* The key of a name: its folded words without spaces, as the lists write
 * "Ea Bar" and "EaBar", "Ga Ri" and "Gari"; "NT" is "Nông trường". */
static char *
join_key (GArray *tokens, guint from, guint to, const char *separator, gboolean tone)
{
  GString *key = g_string_new (NULL);

  for (guint i = from; i < to; i++)
    {
      Token *token = TOKEN (tokens, i);

      if (token->kind != TOKEN_WORD)
        continue;
      if (key->len > 0)
        g_string_append (key, separator);
      if (!tone && g_str_equal (token->fold, "nt") && i + 1 < to)
        g_string_append (key, "nongtruong");
      else if (!tone && g_str_equal (token->fold, "n") && i + 2 < to &&
               g_str_equal (TOKEN (tokens, i + 1)->fold, "t"))
        {
          g_string_append (key, "nongtruong");
          i++;
        }
      else
        g_string_append (key, tone ? token->tone : token->fold);
    }
  return g_string_free (key, FALSE);
}

static char *
join_folded (GArray *tokens, guint from, guint to)
{
  return join_key (tokens, from, to, "", FALSE);
}

static char *
join_tone (GArray *tokens, guint from, guint to)
{
  return join_key (tokens, from, to, "", TRUE);
}

/* Splits a full name from a list ("Thành phố Hà Nội") into its type and the
 * key of its name ("ha noi"). */
static char *
split_name (const char *full, UnitType *type, guint *n_words, char **tone)
{
  g_autofree char *low = g_utf8_strdown (full, -1);
  g_autoptr (GArray) tokens = tokenize (low, FALSE);
  guint n_type;

  *type = type_at (tokens, 0, tokens->len, TRUE, &n_type);
  *n_words = tokens->len - n_type;
  if (tone != NULL)
    *tone = join_tone (tokens, n_type, tokens->len);
  return join_folded (tokens, n_type, tokens->len);
}

static void
index_add (GHashTable *index, const char *key, guint value)
{
  GArray *values = g_hash_table_lookup (index, key);

  if (values == NULL)
    {
      values = g_array_new (FALSE, FALSE, sizeof (guint));
      g_hash_table_insert (index, (gpointer) key, values);
    }
  g_array_append_val (values, value);
}

static GHashTable *
index_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_array_unref);
}

/* Fields of one CSV record starting at *@p; moves *@p to the next record.
 * Quoted fields may hold commas and doubled quotes. */
static GPtrArray *
csv_record (const char **p, const char *end)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;

  while (*p < end)
    {
      char c = **p;

      (*p)++;
      if (quoted)
        {
          if (c == '"' && *p < end && **p == '"')
            {
              g_string_append_c (field, '"');
              (*p)++;
            }
          else if (c == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, c);
        }
      else if (c == '"')
        quoted = TRUE;
      else if (c == ',')
        {
          g_ptr_array_add (fields, g_string_free (field, FALSE));
          field = g_string_new (NULL);
        }
      else if (c == '\n')
        break;
      else if (c != '\r')
        g_string_append_c (field, c);
    }
  g_ptr_array_add (fields, g_string_free (field, FALSE));
  return fields;
}

static gboolean
damaged (GError **error, const char *detail)
{
  g_set_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA,
               _ ("The list of old administrative units is damaged: %s"), detail);
  return FALSE;
}

static GBytes *
load_resource (const char *path, GError **error)
{
  fk_core_ensure_resources ();
  return g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
}

static void
note_words (Table *table, guint n_words)
{
  table->max_words = MAX (table->max_words, n_words);
}

/* A ward named with a type word ("Phường Phường Đúc") is also called
 * without it ("Phường Đúc"). */
static const char *
name_without_type_word (Table *table, const char *full)
{
  g_autofree char *low = g_utf8_strdown (full, -1);
  g_autoptr (GArray) tokens = tokenize (low, FALSE);
  g_autofree char *key = NULL;
  guint first, second;

  type_at (tokens, 0, tokens->len, TRUE, &first);
  if (type_at (tokens, first, tokens->len, TRUE, &second) == TYPE_NONE ||
      first + second >= tokens->len)
    return NULL;
  key = join_folded (tokens, first + second, tokens->len);
  return g_string_chunk_insert_const (table->strings, key);
}

static gboolean
load_old_units (Table *table, GError **error)
{
  g_autoptr (GBytes) bytes = load_resource (OLD_UNITS_RESOURCE, error);
  const char *p, *end;
  gsize size;
  gboolean header = TRUE;

  if (bytes == NULL)
    return FALSE;
  p = g_bytes_get_data (bytes, &size);
  end = p + size;
  if (!g_utf8_validate_len (p, size, NULL))
    return damaged (error, _ ("the old units are not valid UTF-8"));
  while (p < end)
    {
      g_autoptr (GPtrArray) f = csv_record (&p, end);
      const char *province_name, *district_name, *ward_name;
      Province *province = NULL;
      District *district = NULL;
      UnitType type;
      guint n_words;

      if (header)
        {
          header = FALSE;
          continue;
        }
      if (f->len == 1 && *(char *) f->pdata[0] == '\0')
        continue;
      if (f->len != 6)
        return damaged (error, _ ("a line of the old units does not have six fields"));
      province_name = f->pdata[1];
      district_name = f->pdata[3];
      ward_name = f->pdata[5];
      if (*province_name == '\0' || *district_name == '\0')
        return damaged (error, _ ("an old unit lacks its province or district"));

      if (table->provinces->len > 0)
        province = &g_array_index (table->provinces, Province, table->provinces->len - 1);
      if (province == NULL || !g_str_equal (province->full, province_name))
        {
          Province new_province = { 0 };
          g_autofree char *key = split_name (province_name, &type, &n_words, NULL);

          new_province.full = g_string_chunk_insert_const (table->strings, province_name);
          new_province.key = g_string_chunk_insert_const (table->strings, key);
          {
            g_autofree char *low = g_utf8_strdown (province_name, -1);
            g_autoptr (GArray) tokens = tokenize (low, FALSE);
            g_autofree char *spaced = join_key (tokens, 1, tokens->len, " ", FALSE);

            /* Skip "tỉnh" or "thành phố". */
            if (type == TYPE_THANH_PHO)
              {
                g_free (spaced);
                spaced = join_key (tokens, 2, tokens->len, " ", FALSE);
              }
            new_province.spaced = g_string_chunk_insert_const (table->strings, spaced);
          }
          g_array_append_val (table->provinces, new_province);
          index_add (table->province_keys, new_province.key, table->provinces->len - 1);
          note_words (table, n_words);
        }
      if (table->districts->len > 0)
        district = &g_array_index (table->districts, District, table->districts->len - 1);
      if (district == NULL || !g_str_equal (district->full, district_name) ||
          district->province != table->provinces->len - 1)
        {
          District new_district = { 0 };
          g_autofree char *key = split_name (district_name, &type, &n_words, NULL);

          if (!type_fits (type, LEVEL_DISTRICT) || *key == '\0')
            return damaged (error, _ ("an old district has no type word or name"));
          new_district.full = g_string_chunk_insert_const (table->strings, district_name);
          new_district.key = g_string_chunk_insert_const (table->strings, key);
          new_district.type = type;
          new_district.province = table->provinces->len - 1;
          new_district.first_ward = table->wards->len;
          g_array_append_val (table->districts, new_district);
          index_add (table->district_keys, new_district.key, table->districts->len - 1);
          note_words (table, n_words);
          district = &g_array_index (table->districts, District, table->districts->len - 1);
        }
      {
        Ward ward = { 0 };
        g_autofree char *key = NULL;

        if (*ward_name != '\0')
          {
            g_autofree char *tone = NULL;

            key = split_name (ward_name, &type, &n_words, &tone);
            ward.tone = g_string_chunk_insert_const (table->strings, tone);
            if (!type_fits (type, LEVEL_WARD) || *key == '\0')
              return damaged (error, _ ("an old ward has no type word or name"));
            ward.full = g_string_chunk_insert_const (table->strings, ward_name);
            ward.key = g_string_chunk_insert_const (table->strings, key);
            ward.type = type;
            note_words (table, n_words);
          }
        else
          {
            /* An island district without wards went whole into a special
             * zone: it stands for its own ward. */
            ward.key = district->key;
            ward.type = district->type;
          }
        ward.district = table->districts->len - 1;
        g_array_append_val (table->wards, ward);
        district->n_wards++;
        if (ward.full != NULL)
          {
            const char *alias = name_without_type_word (table, ward_name);

            index_add (table->ward_keys, ward.key, table->wards->len - 1);
            if (alias != NULL)
              index_add (table->ward_keys, alias, table->wards->len - 1);
          }
      }
    }
  if (table->wards->len == 0)
    return damaged (error, _ ("there are no old wards"));
  return TRUE;
}

/* A unit named in a resolution: "Xã Ngọc Sơn (huyện Thanh Chương)". */
typedef struct
{
  UnitType type;
  char *key;
  char *tone;
  char *qualifier; /* key of the district or province named after it */
  Kind kind;
  GArray *wards; /* guint */
} Mention;

static void
mention_clear (Mention *mention)
{
  g_free (mention->key);
  g_free (mention->tone);
  g_free (mention->qualifier);
  if (mention->wards != NULL)
    g_array_unref (mention->wards);
}

static gboolean
word_is (GArray *tokens, guint i, guint hi, const char *low)
{
  return i < hi && TOKEN (tokens, i)->kind == TOKEN_WORD &&
         g_str_equal (TOKEN (tokens, i)->low, low);
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
    { { "một", "phần", NULL }, KIND_PART },
    { { "toàn", "bộ", "diện", "tích", NULL }, KIND_WHOLE },
    { { "toàn", "bộ", NULL }, -1 },
    { { "toàn", "bố", NULL }, -1 },
    { { "diện", "tích", "tự", "nhiên", NULL }, -1 },
    { { "diện", "tích", "tn", NULL }, -1 },
    { { "diện", "tích", NULL }, -1 },
    { { "quy", "mô", "dân", "số", NULL }, -1 },
    { { "của", NULL }, -1 },
    { { "phần", "còn", "lại", "củ", NULL }, KIND_REST },
    { { "phần", "còn", "lại", NULL }, KIND_REST },
    { { "tn", NULL }, -1 },
  };

  for (guint p = 0; p < G_N_ELEMENTS (phrases); p++)
    {
      guint n = 0;

      while (phrases[p].words[n] != NULL && word_is (tokens, i + n, hi, phrases[p].words[n]))
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
read_paren (const char *text, Mention *mention)
{
  g_autoptr (GArray) tokens = tokenize (text, FALSE);

  for (guint i = 0; i < tokens->len; i++)
    {
      int kind = -1;
      guint n_type;
      UnitType type;

      if (filler_at (tokens, i, tokens->len, &kind) > 0 && kind >= 0)
        {
          if (kind != KIND_WHOLE)
            mention->kind = (Kind) kind;
          return;
        }
      type = type_at (tokens, i, tokens->len, TRUE, &n_type);
      if (type != TYPE_NONE && !type_fits (type, LEVEL_WARD) && mention->qualifier == NULL &&
          i + n_type < tokens->len)
        {
          mention->qualifier = join_folded (tokens, i + n_type, tokens->len);
          return;
        }
    }
}

static void
append_word (Mention *mention, const Token *token)
{
  char *key = g_strconcat (mention->key != NULL ? mention->key : "", token->fold, NULL);
  char *tone = g_strconcat (mention->tone != NULL ? mention->tone : "", token->tone, NULL);

  g_free (mention->key);
  g_free (mention->tone);
  mention->key = key;
  mention->tone = tone;
}

/* Reads the units named in one resolution text. */
static GArray *
read_formed_from (const char *text)
{
  g_autofree char *low = g_utf8_strdown (text, -1);
  g_autoptr (GArray) tokens = tokenize (low, TRUE);
  GArray *mentions = g_array_new (FALSE, TRUE, sizeof (Mention));
  Kind mode = KIND_WHOLE;
  UnitType list_type = TYPE_NONE;
  Mention *open = NULL;     /* the mention whose name is being read */
  gboolean stopped = FALSE; /* after "sau khi …": no names up to the next comma */

  g_array_set_clear_func (mentions, (GDestroyNotify) mention_clear);
  for (guint i = 0; i < tokens->len;)
    {
      Token *token = TOKEN (tokens, i);
      guint n;
      int kind = -1;
      UnitType type;

      if (token->kind == TOKEN_BREAK || token->kind == TOKEN_STOP)
        {
          open = NULL;
          stopped = FALSE;
          i++;
          continue;
        }
      if (token->kind == TOKEN_PAREN)
        {
          if (mentions->len > 0)
            read_paren (token->low, &g_array_index (mentions, Mention, mentions->len - 1));
          open = NULL;
          i++;
          continue;
        }
      if (stopped)
        {
          i++;
          continue;
        }
      if (word_is (tokens, i, tokens->len, "sau") && word_is (tokens, i + 1, tokens->len, "khi"))
        {
          open = NULL;
          stopped = TRUE;
          continue;
        }
      /* "và" joins names unless it is part of one ("Xã Mường Và"). */
      if (word_is (tokens, i, tokens->len, "và") && i + 1 < tokens->len &&
          TOKEN (tokens, i + 1)->kind == TOKEN_WORD &&
          (type_at (tokens, i + 1, tokens->len, TRUE, &n) != TYPE_NONE ||
           filler_at (tokens, i + 1, tokens->len, &kind) > 0 ||
           word_is (tokens, i + 1, tokens->len, "các")))
        {
          open = NULL;
          i++;
          continue;
        }
      if ((n = filler_at (tokens, i, tokens->len, &kind)) > 0)
        {
          if (kind >= 0)
            mode = (Kind) kind;
          open = NULL;
          i += n;
          continue;
        }
      /* "các phường", "các Xã": a list whose names may lack the type word. */
      if (word_is (tokens, i, tokens->len, "các") && open == NULL &&
          type_at (tokens, i + 1, tokens->len, TRUE, &n) != TYPE_NONE)
        {
          i++;
          continue;
        }
      type = type_at (tokens, i, tokens->len, TRUE, &n);
      /* A type word that ends a name is part of it: "Xã Tân Xã". */
      if (type != TYPE_NONE && open != NULL && open->key != NULL &&
          (i + n >= tokens->len || TOKEN (tokens, i + n)->kind != TOKEN_WORD ||
           word_is (tokens, i + n, tokens->len, "và")))
        type = TYPE_NONE;
      if (type != TYPE_NONE)
        {
          Mention mention = { type, NULL, NULL, NULL, mode, NULL };

          /* "các phường Phường Giảng Võ": the type said twice. */
          if (open != NULL && open->key == NULL)
            g_array_remove_index (mentions, mentions->len - 1);
          g_array_append_val (mentions, mention);
          open = &g_array_index (mentions, Mention, mentions->len - 1);
          list_type = type;
          i += n;
          continue;
        }
      if (open == NULL)
        {
          Mention mention = { list_type, NULL, NULL, NULL, mode, NULL };

          g_array_append_val (mentions, mention);
          open = &g_array_index (mentions, Mention, mentions->len - 1);
        }
      append_word (open, token);
      i++;
    }
  for (guint i = mentions->len; i > 0; i--)
    if (g_array_index (mentions, Mention, i - 1).key == NULL)
      g_array_remove_index (mentions, i - 1);
  return mentions;
}

/* Which old provinces went into each 2025 province, from the province rows
 * ("tỉnh Hà Giang và tỉnh Tuyên Quang", "giữ nguyên", "TPHCM, …"). */
static void
read_province_row (Table *table, const FkAdminUnit *new_province, const char *text)
{
  g_autofree char *low = g_utf8_strdown (text, -1);
  g_autoptr (GArray) tokens = tokenize (low, FALSE);
  g_autofree char *words = join_key (tokens, 0, tokens->len, " ", FALSE);
  g_autofree char *padded = g_strconcat (" ", words, " ", NULL);
  g_autofree char *own = NULL;
  g_autofree char *own_low = g_utf8_strdown (new_province->name, -1);
  g_autoptr (GArray) own_tokens = tokenize (own_low, FALSE);

  own = join_folded (own_tokens, 0, own_tokens->len);
  for (guint i = 0; i < table->provinces->len; i++)
    {
      Province *province = &g_array_index (table->provinces, Province, i);
      g_autofree char *needle = g_strconcat (" ", province->spaced, " ", NULL);

      if (g_str_equal (province->key, own) || strstr (padded, needle) != NULL ||
          (g_str_equal (province->key, "hochiminh") && strstr (padded, " tphcm ") != NULL))
        province->new_province = new_province;
    }
}

static gboolean
in_provinces (Table *table, guint ward, const FkAdminUnit *new_province)
{
  const Ward *w = &g_array_index (table->wards, Ward, ward);
  const District *d = &g_array_index (table->districts, District, w->district);

  return g_array_index (table->provinces, Province, d->province).new_province == new_province;
}

static gboolean
qualifier_fits (Table *table, guint ward, const char *qualifier)
{
  const Ward *w = &g_array_index (table->wards, Ward, ward);
  const District *d = &g_array_index (table->districts, District, w->district);
  const Province *p = &g_array_index (table->provinces, Province, d->province);
  /* The qualifier may run on: "huyện Kim Sơn quản lý". */
  return g_str_has_prefix (qualifier, d->key) || g_str_equal (qualifier, p->key);
}

/* The old wards a mention can mean, within the old provinces of @commune's
 * province. */
static void
resolve_mention (Table *table, const FkAdminUnit *new_province, Mention *mention)
{
  g_autoptr (GArray) found = g_array_new (FALSE, FALSE, sizeof (guint));

  mention->wards = g_array_new (FALSE, FALSE, sizeof (guint));
  if (type_fits (mention->type, LEVEL_DISTRICT))
    {
      /* "Huyện Côn Đảo": the whole district. */
      GArray *districts = g_hash_table_lookup (table->district_keys, mention->key);

      for (guint i = 0; districts != NULL && i < districts->len; i++)
        {
          const District *d =
            &g_array_index (table->districts, District, g_array_index (districts, guint, i));

          if (g_array_index (table->provinces, Province, d->province).new_province != new_province)
            continue;
          for (guint w = d->first_ward; w < d->first_ward + d->n_wards; w++)
            g_array_append_val (mention->wards, w);
        }
      return;
    }
  {
    GArray *wards = g_hash_table_lookup (table->ward_keys, mention->key);

    for (guint i = 0; wards != NULL && i < wards->len; i++)
      {
        guint w = g_array_index (wards, guint, i);

        if (in_provinces (table, w, new_province))
          g_array_append_val (found, w);
      }
  }
  if (mention->qualifier != NULL)
    {
      gboolean any = FALSE;

      for (guint i = 0; i < found->len && !any; i++)
        any = qualifier_fits (table, g_array_index (found, guint, i), mention->qualifier);
      if (any)
        for (guint i = found->len; i > 0; i--)
          if (!qualifier_fits (table, g_array_index (found, guint, i - 1), mention->qualifier))
            g_array_remove_index (found, i - 1);
    }
  g_array_append_vals (mention->wards, found->data, found->len);
}

static gboolean
mention_has_district (Table *table, const Mention *mention, guint district)
{
  for (guint i = 0; i < mention->wards->len; i++)
    if (g_array_index (table->wards, Ward, g_array_index (mention->wards, guint, i)).district ==
        district)
      return TRUE;
  return FALSE;
}

/* A name that several old wards share means, first, the one in the
 * district the commune's other units came from (communes were formed from
 * neighbours: "Phường 1, Phường 3 (quận Gò Vấp)"); then the one of the type
 * the text gives ("Thị trấn Thạnh An", not "Xã Thạnh An"); then the one
 * spelt as written ("Hoàng Phụ", not "Hoàng Phú"). */
static void
choose_wards (Table *table, GArray *mentions)
{
  for (guint m = 0; m < mentions->len; m++)
    {
      Mention *mention = &g_array_index (mentions, Mention, m);
      g_autoptr (GArray) scores = NULL;
      guint best = 0;

      if (mention->wards->len < 2 || type_fits (mention->type, LEVEL_DISTRICT))
        continue;
      scores = g_array_sized_new (FALSE, TRUE, sizeof (guint), mention->wards->len);
      g_array_set_size (scores, mention->wards->len);
      for (guint i = 0; i < mention->wards->len; i++)
        {
          const Ward *ward =
            &g_array_index (table->wards, Ward, g_array_index (mention->wards, guint, i));
          guint votes = 0;

          for (guint o = 0; o < mentions->len; o++)
            if (o != m &&
                mention_has_district (table, &g_array_index (mentions, Mention, o), ward->district))
              votes++;
          g_array_index (scores, guint, i) = 4 * votes + 2 * (ward->type == mention->type) +
                                             (g_strcmp0 (ward->tone, mention->tone) == 0);
          best = MAX (best, g_array_index (scores, guint, i));
        }
      for (guint i = mention->wards->len; i > 0; i--)
        if (g_array_index (scores, guint, i - 1) < best)
          g_array_remove_index (mention->wards, i - 1);
    }
}

static int
compare_links (gconstpointer a, gconstpointer b)
{
  const Link *x = a, *y = b;

  if (x->ward != y->ward)
    return x->ward < y->ward ? -1 : 1;
  if (x->kind != y->kind)
    return (int) x->kind - (int) y->kind;
  return strcmp (x->commune->code, y->commune->code);
}

/* Candidates choose_wards() set aside though spelt and typed exactly as the
 * text has them: a ward the text names in no other way is still placed
 * ("Xã Văn Tự" of a neighbouring district, not "Xã Vân Từ"). */
static void
keep_spelt_alike (Table *table, const FkAdminUnit *commune, const Mention *mention, GArray *before,
                  GArray *spelt_alike)
{
  for (guint i = 0; i < before->len; i++)
    {
      guint w = g_array_index (before, guint, i);
      const Ward *ward = &g_array_index (table->wards, Ward, w);
      gboolean kept = FALSE;

      for (guint k = 0; k < mention->wards->len && !kept; k++)
        kept = g_array_index (mention->wards, guint, k) == w;
      if (!kept && ward->type == mention->type && g_strcmp0 (ward->tone, mention->tone) == 0)
        {
          Link link = { w, commune, mention->kind };

          g_array_append_val (spelt_alike, link);
        }
    }
}

static void
place_orphans (Table *table, GArray *spelt_alike)
{
  g_autoptr (GHashTable) linked = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < table->links->len; i++)
    g_hash_table_add (linked, GUINT_TO_POINTER (g_array_index (table->links, Link, i).ward + 1));
  for (guint i = 0; i < spelt_alike->len; i++)
    {
      const Link *link = &g_array_index (spelt_alike, Link, i);

      if (!g_hash_table_contains (linked, GUINT_TO_POINTER (link->ward + 1)))
        g_array_append_val (table->links, *link);
    }
}

/* A name in a resolution that matched no old ward. */
typedef struct
{
  const FkAdminUnit *commune;
  const FkAdminUnit *new_province;
  char *key;
  Kind kind;
} Unplaced;

static void
unplaced_clear (Unplaced *u)
{
  g_free (u->key);
}

/* Whether two keys are at most one letter apart (one changed, added or
 * dropped). */
static gboolean
one_letter_apart (const char *a, const char *b)
{
  gsize la = strlen (a), lb = strlen (b), i = 0;

  if (la < lb)
    return one_letter_apart (b, a);
  if (la - lb > 1)
    return FALSE;
  while (i < lb && a[i] == b[i])
    i++;
  if (la == lb)
    return g_str_equal (a + i + (i < la), b + i + (i < lb));
  return g_str_equal (a + i + 1, b + i);
}

/* The resolutions misspell some names ("Sán Sả Hồ" for "Sán Xả Hồ"): an old
 * ward no name matched takes the unmatched name one letter from its own in
 * the same province, when there is exactly one. */
static void
place_misspelt (Table *table, GArray *unplaced)
{
  g_autoptr (GHashTable) linked = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < table->links->len; i++)
    g_hash_table_add (linked, GUINT_TO_POINTER (g_array_index (table->links, Link, i).ward + 1));
  for (guint w = 0; w < table->wards->len; w++)
    {
      const Ward *ward = &g_array_index (table->wards, Ward, w);
      const Unplaced *match = NULL;
      guint n = 0;

      if (ward->full == NULL || g_hash_table_contains (linked, GUINT_TO_POINTER (w + 1)) ||
          strlen (ward->key) < 4)
        continue;
      for (guint u = 0; u < unplaced->len; u++)
        {
          const Unplaced *candidate = &g_array_index (unplaced, Unplaced, u);

          if (in_provinces (table, w, candidate->new_province) &&
              one_letter_apart (ward->key, candidate->key))
            {
              match = candidate;
              n++;
            }
        }
      if (n == 1)
        {
          Link link = { w, match->commune, match->kind };

          g_array_append_val (table->links, link);
        }
    }
}

static gboolean
load_formed_from (Table *table, FkAdminUnits *units, GError **error)
{
  g_autoptr (GBytes) bytes = load_resource (FORMED_FROM_RESOURCE, error);
  g_autoptr (GPtrArray) communes = g_ptr_array_new ();
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) unplaced = g_array_new (FALSE, FALSE, sizeof (Unplaced));
  g_autoptr (GArray) spelt_alike = g_array_new (FALSE, FALSE, sizeof (Link));
  const char *p, *end;
  gsize size;
  gboolean header = TRUE;

  g_array_set_clear_func (unplaced, (GDestroyNotify) unplaced_clear);

  if (bytes == NULL)
    return FALSE;
  p = g_bytes_get_data (bytes, &size);
  end = p + size;
  if (!g_utf8_validate_len (p, size, NULL))
    return damaged (error, _ ("the formation of the 2025 units is not valid UTF-8"));
  while (p < end)
    {
      g_autoptr (GPtrArray) f = csv_record (&p, end);
      const FkAdminUnit *unit;

      if (header)
        {
          header = FALSE;
          continue;
        }
      if (f->len == 1 && *(char *) f->pdata[0] == '\0')
        continue;
      if (f->len != 5)
        return damaged (error, _ ("a line of the 2025 formation does not have five fields"));
      unit = fk_admin_units_lookup (units, f->pdata[1]);
      if (unit == NULL)
        return damaged (error, _ ("the 2025 formation names a unit that is not in the 2025 list"));
      if (unit->level == FK_ADMIN_LEVEL_PROVINCE)
        read_province_row (table, unit, f->pdata[4]);
      else
        {
          g_ptr_array_add (communes, (gpointer) unit);
          g_ptr_array_add (texts, g_strdup (f->pdata[4]));
        }
    }
  for (guint i = 0; i < table->provinces->len; i++)
    if (g_array_index (table->provinces, Province, i).new_province == NULL)
      return damaged (error, _ ("an old province went into no 2025 province"));

  for (guint c = 0; c < communes->len; c++)
    {
      const FkAdminUnit *commune = communes->pdata[c];
      const FkAdminUnit *new_province = fk_admin_units_lookup (units, commune->province_code);
      g_autoptr (GArray) mentions = NULL;
      g_autofree char *low = g_utf8_strdown (texts->pdata[c], -1);

      if (strstr (low, "giữ nguyên") != NULL)
        {
          /* Unchanged: the old ward of the same name. */
          g_autofree char *full = fk_admin_unit_dup_full_name (commune);
          Mention mention = { 0 };
          guint n_words;

          mentions = g_array_new (FALSE, TRUE, sizeof (Mention));
          g_array_set_clear_func (mentions, (GDestroyNotify) mention_clear);
          mention.key = split_name (full, &mention.type, &n_words, &mention.tone);
          mention.kind = KIND_WHOLE;
          g_array_append_val (mentions, mention);
        }
      else
        mentions = read_formed_from (texts->pdata[c]);
      for (guint m = 0; m < mentions->len; m++)
        resolve_mention (table, new_province, &g_array_index (mentions, Mention, m));
      {
        g_autoptr (GPtrArray) before =
          g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

        for (guint m = 0; m < mentions->len; m++)
          {
            GArray *wards = g_array_index (mentions, Mention, m).wards;

            g_ptr_array_add (before, g_array_copy (wards));
          }
        choose_wards (table, mentions);
        for (guint m = 0; m < mentions->len; m++)
          keep_spelt_alike (table, commune, &g_array_index (mentions, Mention, m), before->pdata[m],
                            spelt_alike);
      }
      for (guint m = 0; m < mentions->len; m++)
        {
          Mention *mention = &g_array_index (mentions, Mention, m);

          if (mention->wards->len == 0 && !type_fits (mention->type, LEVEL_DISTRICT))
            {
              Unplaced u = { commune, new_province, g_strdup (mention->key), mention->kind };

              g_array_append_val (unplaced, u);
            }
          for (guint i = 0; i < mention->wards->len; i++)
            {
              Link link = { g_array_index (mention->wards, guint, i), commune, mention->kind };

              g_array_append_val (table->links, link);
            }
        }
    }

  place_orphans (table, spelt_alike);
  place_misspelt (table, unplaced);

  /* One link per ward and commune, its best kind; each ward's links in a
   * row. */
  g_array_sort (table->links, compare_links);
  {
    guint out = 0;

    for (guint i = 0; i < table->links->len; i++)
      {
        Link *link = &g_array_index (table->links, Link, i);

        if (out > 0 && g_array_index (table->links, Link, out - 1).ward == link->ward &&
            g_array_index (table->links, Link, out - 1).commune == link->commune)
          continue;
        g_array_index (table->links, Link, out++) = *link;
      }
    g_array_set_size (table->links, out);
  }
  for (guint i = 0; i < table->links->len; i++)
    {
      Link *link = &g_array_index (table->links, Link, i);
      Ward *ward = &g_array_index (table->wards, Ward, link->ward);

      if (ward->n_links == 0)
        ward->first_link = i;
      ward->n_links++;
    }
  return TRUE;
}

static void
load_communes (Table *table, FkAdminUnits *units)
{
  g_autoptr (GPtrArray) provinces = fk_admin_units_get_provinces (units);

  for (guint p = 0; p < provinces->len; p++)
    {
      const FkAdminUnit *province = provinces->pdata[p];
      g_autoptr (GPtrArray) communes = fk_admin_units_get_communes (units, province->code);

      for (guint c = 0; c < communes->len; c++)
        {
          const FkAdminUnit *commune = communes->pdata[c];
          g_autofree char *low = g_utf8_strdown (commune->name, -1);
          g_autoptr (GArray) tokens = tokenize (low, FALSE);
          g_autofree char *key = join_folded (tokens, 0, tokens->len);
          const char *chunk_key = g_string_chunk_insert_const (table->strings, key);
          GPtrArray *same = g_hash_table_lookup (table->commune_keys, chunk_key);

          if (same == NULL)
            {
              same = g_ptr_array_new ();
              g_hash_table_insert (table->commune_keys, (gpointer) chunk_key, same);
            }
          g_ptr_array_add (same, (gpointer) commune);
          note_words (table, tokens->len);
        }
    }
}

static void
table_free (Table *table)
{
  g_hash_table_unref (table->province_keys);
  g_hash_table_unref (table->district_keys);
  g_hash_table_unref (table->ward_keys);
  g_hash_table_unref (table->commune_keys);
  g_array_unref (table->provinces);
  g_array_unref (table->districts);
  g_array_unref (table->wards);
  g_array_unref (table->links);
  g_string_chunk_free (table->strings);
  g_free (table);
}

static Table *
table_load (GError **error)
{
  FkAdminUnits *units = fk_admin_units_get_default (error);
  Table *table;

  if (units == NULL)
    return NULL;
  table = g_new0 (Table, 1);
  table->strings = g_string_chunk_new (64 * 1024);
  table->provinces = g_array_new (FALSE, TRUE, sizeof (Province));
  table->districts = g_array_new (FALSE, TRUE, sizeof (District));
  table->wards = g_array_new (FALSE, TRUE, sizeof (Ward));
  table->links = g_array_new (FALSE, TRUE, sizeof (Link));
  table->province_keys = index_new ();
  table->district_keys = index_new ();
  table->ward_keys = index_new ();
  table->commune_keys =
    g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  if (!load_old_units (table, error) || !load_formed_from (table, units, error))
    {
      table_free (table);
      return NULL;
    }
  load_communes (table, units);
  /* Short forms of province names on cards. */
  for (guint i = 0; i < table->provinces->len; i++)
    {
      Province *province = &g_array_index (table->provinces, Province, i);

      if (g_str_equal (province->key, "hochiminh"))
        {
          index_add (table->province_keys, "hcm", i);
          index_add (table->province_keys, "tphcm", i);
          index_add (table->province_keys, "hcmc", i);
          index_add (table->province_keys, "saigon", i);
        }
      else if (g_str_equal (province->key, "hue"))
        index_add (table->province_keys, "thuathienhue", i);
      else if (g_str_equal (province->key, "bariavungtau"))
        index_add (table->province_keys, "brvt", i);
    }
  note_words (table, 3);
  return table;
}

/* Loaded on the first suggestion, not at start: the touch app may never
 * need it. */
static Table *
table_get (GError **error)
{
  static Table *table = NULL;
  static GError *load_error = NULL;
  G_LOCK_DEFINE_STATIC (table);
  Table *result;

  G_LOCK (table);
  if (table == NULL && load_error == NULL)
    table = table_load (&load_error);
  result = table;
  if (result == NULL)
    g_propagate_error (error, g_error_copy (load_error));
  G_UNLOCK (table);
  return result;
}

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

typedef gboolean (*Accept) (Table *table, guint index, gconstpointer data);

static UnitType ward_type (Table *table, guint i);

/* Wards whose names fold alike ("Hoàng Phú", "Hoàng Phụ"): the one spelt
 * as in the address, when it has its accents. */
static void
prefer_spelling (Table *table, GArray *wards, GArray *tokens, guint from, guint to)
{
  g_autofree char *tone = join_tone (tokens, from, to);
  gboolean any = FALSE;

  for (guint i = 0; i < wards->len && !any; i++)
    any = g_strcmp0 (g_array_index (table->wards, Ward, g_array_index (wards, guint, i)).tone,
                     tone) == 0;
  if (any)
    for (guint i = wards->len; i > 0; i--)
      if (g_strcmp0 (g_array_index (table->wards, Ward, g_array_index (wards, guint, i - 1)).tone,
                     tone) != 0)
        g_array_remove_index (wards, i - 1);
}

static gboolean
is_place_word (const Token *token)
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
match_tail (Table *table, Cursor *c, GHashTable *index, Level level, gboolean loose, Accept accept,
            gconstpointer data, UnitType (*type_of) (Table *, guint), GArray *out)
{
  guint lo, end;

  if (c->seg < 0)
    return FALSE;
  lo = seg_start (c, c->seg);
  end = c->end;
  for (guint k = MIN (table->max_words, end - lo); k >= 1; k--)
    {
      g_autofree char *key = join_folded (c->tokens, end - k, end);
      GArray *found = g_hash_table_lookup (index, key);
      guint n_type = 0;
      UnitType said;
      gboolean exact = FALSE;

      if (found == NULL)
        continue;
      said = type_before (c->tokens, lo, end - k, FALSE, &n_type);
      if (said != TYPE_NONE && !type_fits (said, level))
        continue;
      if (said == TYPE_NONE && end - k > lo &&
          (!loose || is_place_word (TOKEN (c->tokens, end - k - 1))))
        continue;
      /* A bare number is a house number, not "Phường 1". */
      if (said == TYPE_NONE && strspn (key, "0123456789") == strlen (key))
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

static UnitType
district_type (Table *table, guint i)
{
  return g_array_index (table->districts, District, i).type;
}

static UnitType
ward_type (Table *table, guint i)
{
  return g_array_index (table->wards, Ward, i).type;
}

static gboolean
district_in_province (Table *table, guint i, gconstpointer data)
{
  const guint *province = data;

  return province == NULL || g_array_index (table->districts, District, i).province == *province;
}

typedef struct
{
  GArray *districts; /* nullable */
  const guint *province;
} WardScope;

static gboolean
ward_in_scope (Table *table, guint i, gconstpointer data)
{
  const WardScope *scope = data;
  const Ward *ward = &g_array_index (table->wards, Ward, i);

  if (scope->districts != NULL)
    {
      for (guint d = 0; d < scope->districts->len; d++)
        if (g_array_index (scope->districts, guint, d) == ward->district)
          return TRUE;
      return FALSE;
    }
  return scope->province == NULL ||
         g_array_index (table->districts, District, ward->district).province == *scope->province;
}

/* The ward, in the segments before the district: the nearest one naming a
 * ward; only the nearest may name it without a type word. */
static gboolean
find_wards (Table *table, Cursor *c, const WardScope *scope, GArray *out)
{
  gboolean nearest = TRUE;

  for (int tries = 0; c->seg >= 0 && tries < MAX_WARD_LOOKBACK; tries++)
    {
      Cursor here = *c;

      if (match_tail (table, &here, table->ward_keys, LEVEL_WARD, nearest, ward_in_scope, scope,
                      ward_type, out))
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
  g_autofree char *key = join_folded (c->tokens, seg_start (c, c->seg), c->end);

  return g_str_equal (key, "vietnam") || g_str_equal (key, "vn");
}

typedef struct
{
  GPtrArray *communes; /* const FkAdminUnit * */
  GArray *kinds;       /* Kind, per commune */
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
place_ward (Table *table, Placing *placing, guint w)
{
  const Ward *ward = &g_array_index (table->wards, Ward, w);

  g_array_append_val (placing->wards, w);
  for (guint l = ward->first_link; l < ward->first_link + ward->n_links; l++)
    {
      const Link *link = &g_array_index (table->links, Link, l);
      int at = commune_at (placing, link->commune);

      if (at < 0)
        {
          g_ptr_array_add (placing->communes, (gpointer) link->commune);
          g_array_append_val (placing->kinds, link->kind);
        }
      else if (link->kind < g_array_index (placing->kinds, Kind, at))
        g_array_index (placing->kinds, Kind, at) = link->kind;
    }
}

/* Wholes, then remainders, then parts; among equals, the commune that kept
 * the ward's name, then by code. */
static void
rank_communes (Table *table, Placing *placing, guint from)
{
  const char *name_key = NULL;

  if (placing->wards->len > 0)
    name_key = g_array_index (table->wards, Ward, g_array_index (placing->wards, guint, 0)).key;
  for (guint i = from + 1; i < placing->communes->len; i++)
    for (guint j = i; j > from; j--)
      {
        const FkAdminUnit *a = placing->communes->pdata[j - 1], *b = placing->communes->pdata[j];
        Kind ka = g_array_index (placing->kinds, Kind, j - 1);
        Kind kb = g_array_index (placing->kinds, Kind, j);
        int c = (int) ka - (int) kb;

        if (c == 0 && name_key != NULL)
          {
            g_autofree char *la = g_utf8_strdown (a->name, -1);
            g_autofree char *lb = g_utf8_strdown (b->name, -1);
            g_autoptr (GArray) ta = tokenize (la, FALSE);
            g_autoptr (GArray) tb = tokenize (lb, FALSE);
            g_autofree char *fa = join_folded (ta, 0, ta->len);
            g_autofree char *fb = join_folded (tb, 0, tb->len);

            c = (int) !g_str_equal (fa, name_key) - (int) !g_str_equal (fb, name_key);
          }
        if (c == 0)
          c = strcmp (a->code, b->code);
        if (c <= 0)
          break;
        g_ptr_array_index (placing->communes, j - 1) = (gpointer) b;
        g_ptr_array_index (placing->communes, j) = (gpointer) a;
        g_array_index (placing->kinds, Kind, j - 1) = kb;
        g_array_index (placing->kinds, Kind, j) = ka;
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
fill_old_names (Table *table, FkReformSuggestion *suggestion, GArray *wards, gboolean with_ward)
{
  g_autoptr (GPtrArray) w = g_ptr_array_new ();
  g_autoptr (GPtrArray) d = g_ptr_array_new ();
  g_autoptr (GPtrArray) p = g_ptr_array_new ();

  for (guint i = 0; i < wards->len; i++)
    {
      const Ward *ward = &g_array_index (table->wards, Ward, g_array_index (wards, guint, i));
      const District *district = &g_array_index (table->districts, District, ward->district);

      g_ptr_array_add (w, (gpointer) ward->full);
      g_ptr_array_add (d, (gpointer) district->full);
      g_ptr_array_add (
        p, (gpointer) g_array_index (table->provinces, Province, district->province).full);
    }
  if (with_ward)
    suggestion->old_ward = common_name (w);
  suggestion->old_district = common_name (d);
  suggestion->old_province = common_name (p);
}

static void
suggest_old (Table *table, FkReformSuggestion *suggestion, GArray *wards, gboolean with_ward)
{
  Placing placing = { suggestion->communes, g_array_new (FALSE, FALSE, sizeof (Kind)),
                      g_array_new (FALSE, FALSE, sizeof (guint)) };

  for (guint i = 0; i < wards->len; i++)
    place_ward (table, &placing, g_array_index (wards, guint, i));
  rank_communes (table, &placing, 0);
  fill_old_names (table, suggestion, wards, with_ward);
  suggestion->whole = wards->len == 1 && suggestion->communes->len == 1 &&
                      g_array_index (placing.kinds, Kind, 0) == KIND_WHOLE;
  g_array_unref (placing.kinds);
  g_array_unref (placing.wards);
}

/* The district, then the ward, from the cursor; @province limits the
 * district when not NULL. */
static gboolean
find_district_and_wards (Table *table, Cursor *c, const guint *province, GArray *districts,
                         GArray *wards)
{
  WardScope scope = { districts, NULL };

  if (!match_tail (table, c, table->district_keys, LEVEL_DISTRICT, TRUE, district_in_province,
                   province, district_type, districts))
    return FALSE;
  return find_wards (table, c, &scope, wards);
}

/* An island district without wards stands for its own ward. */
static gboolean
island_wards (Table *table, GArray *districts, GArray *wards)
{
  g_array_set_size (wards, 0);
  for (guint i = 0; i < districts->len; i++)
    {
      const District *d =
        &g_array_index (table->districts, District, g_array_index (districts, guint, i));

      if (d->n_wards == 1 && g_array_index (table->wards, Ward, d->first_ward).full == NULL)
        g_array_append_val (wards, d->first_ward);
    }
  return wards->len > 0;
}

static void
suggest (Table *table, const char *address, FkReformSuggestion *suggestion)
{
  g_autofree char *low = g_utf8_strdown (address, -1);
  g_autoptr (GArray) tokens = tokenize (low, FALSE);
  g_autoptr (GArray) starts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) provinces = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) districts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) wards = g_array_new (FALSE, FALSE, sizeof (guint));
  Cursor end = { tokens, starts, 0, 0 };
  Cursor after_province;
  const Province *province = NULL;
  guint province_index = 0;

  {
    guint zero = 0;

    g_array_append_val (starts, zero);
    for (guint i = 0; i < tokens->len; i++)
      if (TOKEN (tokens, i)->kind == TOKEN_BREAK)
        {
          guint next = i + 1;

          g_array_append_val (starts, next);
        }
  }
  end.seg = (int) starts->len - 1;
  end.end = tokens->len;
  cursor_settle (&end);
  if (end.seg >= 0 && is_country (&end))
    {
      end.end = seg_start (&end, end.seg);
      cursor_settle (&end);
    }
  if (end.seg < 0)
    return;

  after_province = end;
  if (match_tail (table, &after_province, table->province_keys, LEVEL_PROVINCE, TRUE, NULL, NULL,
                  NULL, provinces))
    {
      province_index = g_array_index (provinces, guint, 0);
      province = &g_array_index (table->provinces, Province, province_index);
    }
  else
    after_province.seg = -1;

  /* Province, district, ward. */
  if (province != NULL)
    {
      Cursor c = after_province;

      if (find_district_and_wards (table, &c, &province_index, districts, wards))
        {
          suggest_old (table, suggestion, wards, TRUE);
          return;
        }
    }
  /* District and ward, the province left out, or what looked like one a
   * district of the same name ("Phường 5, Thành phố Vĩnh Long"). */
  {
    Cursor c = end;
    g_autoptr (GArray) d = g_array_new (FALSE, FALSE, sizeof (guint));

    if (find_district_and_wards (table, &c, NULL, d, wards))
      {
        suggest_old (table, suggestion, wards, TRUE);
        return;
      }
  }
  if (province == NULL)
    return;
  /* A district without wards: the island districts. */
  {
    Cursor c = after_province;

    if (match_tail (table, &c, table->district_keys, LEVEL_DISTRICT, TRUE, district_in_province,
                    &province_index, district_type, districts) &&
        island_wards (table, districts, wards))
      {
        suggest_old (table, suggestion, wards, FALSE);
        return;
      }
  }
  /* No district: a 2025 address, or an old ward with its district left
   * out. */
  {
    Cursor c = after_province;
    Cursor old = after_province;
    WardScope scope = { NULL, &province_index };
    gboolean current = FALSE;

    if (c.seg >= 0)
      {
        guint lo = seg_start (&c, c.seg);

        for (guint k = MIN (table->max_words, c.end - lo); k >= 1 && !current; k--)
          {
            g_autofree char *key = join_folded (tokens, c.end - k, c.end);
            GPtrArray *same = g_hash_table_lookup (table->commune_keys, key);
            guint n_type;
            UnitType said = type_before (tokens, lo, c.end - k, FALSE, &n_type);

            if (same == NULL || (said != TYPE_NONE && !type_fits (said, LEVEL_WARD)) ||
                (said == TYPE_NONE && c.end - k > lo))
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
      }
    if (current)
      {
        suggestion->current = TRUE;
        suggestion->old_province = g_strdup (province->full);
        /* The same words read as an old ward: its communes after. */
        if (find_wards (table, &old, &scope, wards))
          {
            Placing placing = { suggestion->communes, g_array_new (FALSE, FALSE, sizeof (Kind)),
                                g_array_new (FALSE, FALSE, sizeof (guint)) };
            guint from = suggestion->communes->len;

            for (guint i = 0; i < from; i++)
              {
                Kind whole = KIND_WHOLE;

                g_array_append_val (placing.kinds, whole);
              }
            for (guint i = 0; i < wards->len; i++)
              place_ward (table, &placing, g_array_index (wards, guint, i));
            rank_communes (table, &placing, from);
            g_array_unref (placing.kinds);
            g_array_unref (placing.wards);
          }
        return;
      }
    if (find_wards (table, &old, &scope, wards))
      {
        suggest_old (table, suggestion, wards, TRUE);
        return;
      }
  }
  suggestion->old_province = g_strdup (province->full);
}

/**
 * fk_reform_suggestion_free:
 */
void
fk_reform_suggestion_free (FkReformSuggestion *suggestion)
{
  if (suggestion == NULL)
    return;
  g_free (suggestion->old_ward);
  g_free (suggestion->old_district);
  g_free (suggestion->old_province);
  g_ptr_array_unref (suggestion->communes);
  g_free (suggestion);
}

/**
 * fk_address_reform_suggest:
 * @address: a place of residence as written on a card, old units or new
 * @error: return location for an error
 *
 * Suggests the 2025 commune(s) for @address, for an officer to confirm.
 * The lists are read on the first call (tens of milliseconds) and kept.
 *
 * Returns: (transfer full) (nullable): the suggestion; %NULL with @error
 *   set only when the shipped lists are damaged
 */
FkReformSuggestion *
fk_address_reform_suggest (const char *address, GError **error)
{
  g_autoptr (FkReformSuggestion) suggestion = g_new0 (FkReformSuggestion, 1);
  Table *table = table_get (error);
  g_autofree char *tail = NULL;
  gsize len;

  if (table == NULL)
    return NULL;
  suggestion->communes = g_ptr_array_new ();
  if (address == NULL)
    return g_steal_pointer (&suggestion);
  len = strlen (address);
  if (!g_utf8_validate_len (address, len, NULL))
    return g_steal_pointer (&suggestion);
  if (len > MAX_ADDRESS_BYTES)
    {
      const char *from = address + len - MAX_ADDRESS_BYTES;

      while ((*from & 0xC0) == 0x80)
        from++;
      address = from;
    }
  tail = g_utf8_normalize (address, -1, G_NORMALIZE_NFC);
  if (tail != NULL)
    suggest (table, tail, suggestion);
  return g_steal_pointer (&suggestion);
}
