/* fk-address-reform-private.h: what the files of the address reform share
 *
 * fk-address-reform.c        the public API
 * fk-address-reform-words.c  the words of an address or a resolution: tokens,
 *                            unit type words, name keys
 * fk-address-reform-csv.c    reading the shipped CSV lists
 * fk-address-reform-resolution.c  the units a resolution's free text names
 * fk-address-reform-table.c  the old units and the 2025 communes, indexed by key
 * fk-address-reform-links.c  which 2025 communes each old ward went into
 * fk-address-reform-match.c  reading an address from its end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fk-address-reform.h"
#include "fk-admin-units.h"

G_BEGIN_DECLS

#define FK_REFORM_OLD_UNITS_RESOURCE "/vn/fieldkit/core/data/admin-units/vn-units-pre2025.csv"
#define FK_REFORM_FORMED_FROM_RESOURCE \
  "/vn/fieldkit/core/data/admin-units/vn-units-2025-formed-from.csv"

typedef enum
{
  FK_REFORM_TYPE_NONE,
  FK_REFORM_TYPE_TINH,
  FK_REFORM_TYPE_THANH_PHO,
  FK_REFORM_TYPE_QUAN,
  FK_REFORM_TYPE_HUYEN,
  FK_REFORM_TYPE_THI_XA,
  FK_REFORM_TYPE_XA,
  FK_REFORM_TYPE_PHUONG,
  FK_REFORM_TYPE_THI_TRAN,
  FK_REFORM_TYPE_DAC_KHU,
} FkReformType;

typedef enum
{
  FK_REFORM_LEVEL_PROVINCE,
  FK_REFORM_LEVEL_DISTRICT,
  FK_REFORM_LEVEL_WARD,
} FkReformLevel;

/* How an old ward went into a 2025 commune; lower ranks first. */
typedef enum
{
  FK_REFORM_KIND_WHOLE,
  FK_REFORM_KIND_REST,
  FK_REFORM_KIND_PART,
} FkReformKind;

/* The table: strings live in its string chunk. */

typedef struct
{
  const char *full;   /* "Thành phố Hà Nội" */
  const char *key;    /* "hanoi" */
  const char *spaced; /* "ha noi" */
  const FkAdminUnit *new_province;
} FkReformProvince;

typedef struct
{
  const char *full;
  const char *key;
  FkReformType type;
  guint province;
  guint first_ward, n_wards;
} FkReformDistrict;

typedef struct
{
  const char *full; /* NULL for an island district without wards */
  const char *key;
  const char *tone; /* NULL for an island district */
  FkReformType type;
  guint district;
  guint first_link, n_links;
} FkReformWard;

typedef struct
{
  guint ward;
  const FkAdminUnit *commune;
  FkReformKind kind;
} FkReformLink;

typedef struct
{
  GStringChunk *strings;
  GArray *provinces;         /* FkReformProvince */
  GArray *districts;         /* FkReformDistrict */
  GArray *wards;             /* FkReformWard */
  GArray *links;             /* FkReformLink, by ward */
  GHashTable *province_keys; /* key → GArray of guint */
  GHashTable *district_keys;
  GHashTable *ward_keys;
  GHashTable *commune_keys; /* key → GPtrArray of const FkAdminUnit * */
  guint max_words;
} FkReformTable;

static inline FkReformProvince *
fk_reform_province (FkReformTable *table, guint i)
{
  return &g_array_index (table->provinces, FkReformProvince, i);
}

static inline FkReformDistrict *
fk_reform_district (FkReformTable *table, guint i)
{
  return &g_array_index (table->districts, FkReformDistrict, i);
}

static inline FkReformWard *
fk_reform_ward (FkReformTable *table, guint i)
{
  return &g_array_index (table->wards, FkReformWard, i);
}

static inline FkReformLink *
fk_reform_link (FkReformTable *table, guint i)
{
  return &g_array_index (table->links, FkReformLink, i);
}

FkReformTable *fk_reform_table_get (GError **error);

/* Words (fk-address-reform-words.c) */

typedef struct
{
  char *low;  /* lower case, accents kept: tells "phường" from "Phương" */
  char *fold; /* no accents: "phuong" */
  char *tone; /* accents kept, tone mark at the end: "hoà" and "hòa" alike */
  enum
  {
    FK_REFORM_TOKEN_WORD,
    FK_REFORM_TOKEN_BREAK, /* comma, semicolon */
    FK_REFORM_TOKEN_STOP,  /* full stop */
    FK_REFORM_TOKEN_PAREN, /* low holds the text in the parentheses */
  } kind;
} FkReformToken;

#define FK_REFORM_TOKEN(tokens, i) (&g_array_index ((tokens), FkReformToken, (i)))

GArray *fk_reform_tokenize (const char *text, gboolean keep_parens);
gboolean fk_reform_word_is (GArray *tokens, guint i, guint hi, const char *low);
FkReformType fk_reform_type_before (GArray *tokens, guint lo, guint end, gboolean official,
                                    guint *n_tokens);
FkReformType fk_reform_type_at (GArray *tokens, guint start, guint hi, gboolean official,
                                guint *n_tokens);
gboolean fk_reform_type_fits (FkReformType type, FkReformLevel level);
char *fk_reform_join_key (GArray *tokens, guint from, guint to, const char *separator,
                          gboolean tone);
char *fk_reform_join_folded (GArray *tokens, guint from, guint to);
char *fk_reform_join_tone (GArray *tokens, guint from, guint to);
char *fk_reform_name_key (const char *name);
char *fk_reform_split_name (const char *full, FkReformType *type, guint *n_words, char **tone);

/* CSV (fk-address-reform-csv.c) */

typedef struct
{
  GBytes *bytes;
  const char *p, *end;
  gboolean header;
} FkReformCsv;

gboolean fk_reform_csv_open (FkReformCsv *csv, const char *resource, const char *invalid_utf8,
                             GError **error);
GPtrArray *fk_reform_csv_next (FkReformCsv *csv);
void fk_reform_csv_clear (FkReformCsv *csv);
gboolean fk_reform_damaged (GError **error, const char *detail);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FkReformCsv, fk_reform_csv_clear)

/* Resolutions (fk-address-reform-resolution.c) */

/* A unit named in a resolution: "Xã Ngọc Sơn (huyện Thanh Chương)". */
typedef struct
{
  FkReformType type;
  char *key;
  char *tone;
  char *qualifier; /* key of the district or province named after it */
  FkReformKind kind;
  GArray *wards; /* guint, the old wards it may mean */
} FkReformMention;

GArray *fk_reform_read_mentions (const FkAdminUnit *commune, const char *text);
void fk_reform_read_province_row (FkReformTable *table, const FkAdminUnit *new_province,
                                  const char *text);

/* Links (fk-address-reform-links.c) */

gboolean fk_reform_table_load_links (FkReformTable *table, FkAdminUnits *units, GError **error);

/* The matcher (fk-address-reform-match.c) */

void fk_reform_match (FkReformTable *table, const char *address, FkReformSuggestion *suggestion);

G_END_DECLS
