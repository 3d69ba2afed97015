/* fk-address-reform-table.c: the old units and the 2025 communes, indexed
 * by key
 *
 * The old provinces, districts and wards come from the pre-2025 list in
 * its order: a district's wards stand in a row, a province's districts
 * too. Each level has an index from the key of a name (its folded words
 * run together: "hanoi") to the units of that name; the 2025 communes have
 * one as well. Built once, on the first suggestion, and read by any thread
 * after.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>

#include "fk-address-reform-private.h"

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

static void
note_words (FkReformTable *table, guint n_words)
{
  table->max_words = MAX (table->max_words, n_words);
}

/* A ward named with a type word ("Phường Phường Đúc") is also called
 * without it ("Phường Đúc"). */
static const char *
name_without_type_word (FkReformTable *table, const char *full)
{
  g_autofree char *low = g_utf8_strdown (full, -1);
  g_autoptr (GArray) tokens = fk_reform_tokenize (low, FALSE);
  g_autofree char *key = NULL;
  guint first, second;

  fk_reform_type_at (tokens, 0, tokens->len, TRUE, &first);
  if (fk_reform_type_at (tokens, first, tokens->len, TRUE, &second) == FK_REFORM_TYPE_NONE ||
      first + second >= tokens->len)
    return NULL;
  key = fk_reform_join_folded (tokens, first + second, tokens->len);
  return g_string_chunk_insert_const (table->strings, key);
}

/* The province of a row, added when it is not the last one added. */
static void
add_province (FkReformTable *table, const char *name)
{
  FkReformProvince *last = NULL;
  FkReformProvince province = { 0 };
  g_autofree char *low = NULL;
  g_autoptr (GArray) tokens = NULL;
  g_autofree char *key = NULL;
  g_autofree char *spaced = NULL;
  FkReformType type;
  guint n_words;

  if (table->provinces->len > 0)
    last = fk_reform_province (table, table->provinces->len - 1);
  if (last != NULL && g_str_equal (last->full, name))
    return;
  key = fk_reform_split_name (name, &type, &n_words, NULL);
  low = g_utf8_strdown (name, -1);
  tokens = fk_reform_tokenize (low, FALSE);
  /* Skip "tỉnh" or "thành phố". */
  spaced =
    fk_reform_join_key (tokens, type == FK_REFORM_TYPE_THANH_PHO ? 2 : 1, tokens->len, " ", FALSE);
  province.full = g_string_chunk_insert_const (table->strings, name);
  province.key = g_string_chunk_insert_const (table->strings, key);
  province.spaced = g_string_chunk_insert_const (table->strings, spaced);
  g_array_append_val (table->provinces, province);
  index_add (table->province_keys, province.key, table->provinces->len - 1);
  note_words (table, n_words);
}

/* The district of a row, added when it is not the last one added (in the
 * last province). */
static FkReformDistrict *
add_district (FkReformTable *table, const char *name, GError **error)
{
  FkReformDistrict *last = NULL;
  FkReformDistrict district = { 0 };
  g_autofree char *key = NULL;
  FkReformType type;
  guint n_words;

  if (table->districts->len > 0)
    last = fk_reform_district (table, table->districts->len - 1);
  if (last != NULL && g_str_equal (last->full, name) && last->province == table->provinces->len - 1)
    return last;
  key = fk_reform_split_name (name, &type, &n_words, NULL);
  if (!fk_reform_type_fits (type, FK_REFORM_LEVEL_DISTRICT) || *key == '\0')
    {
      fk_reform_damaged (error, _ ("an old district has no type word or name"));
      return NULL;
    }
  district.full = g_string_chunk_insert_const (table->strings, name);
  district.key = g_string_chunk_insert_const (table->strings, key);
  district.type = type;
  district.province = table->provinces->len - 1;
  district.first_ward = table->wards->len;
  g_array_append_val (table->districts, district);
  index_add (table->district_keys, district.key, table->districts->len - 1);
  note_words (table, n_words);
  return fk_reform_district (table, table->districts->len - 1);
}

/* The ward of a row, in @district (the last one added). An empty @name
 * is an island district without wards, which went whole into a special
 * zone: it stands for its own ward. */
static gboolean
add_ward (FkReformTable *table, FkReformDistrict *district, const char *name, GError **error)
{
  FkReformWard ward = { 0 };
  const char *alias;

  if (*name != '\0')
    {
      g_autofree char *key = NULL;
      g_autofree char *tone = NULL;
      guint n_words;

      key = fk_reform_split_name (name, &ward.type, &n_words, &tone);
      if (!fk_reform_type_fits (ward.type, FK_REFORM_LEVEL_WARD) || *key == '\0')
        return fk_reform_damaged (error, _ ("an old ward has no type word or name"));
      ward.tone = g_string_chunk_insert_const (table->strings, tone);
      ward.full = g_string_chunk_insert_const (table->strings, name);
      ward.key = g_string_chunk_insert_const (table->strings, key);
      note_words (table, n_words);
    }
  else
    {
      ward.key = district->key;
      ward.type = district->type;
    }
  ward.district = table->districts->len - 1;
  g_array_append_val (table->wards, ward);
  district->n_wards++;
  if (ward.full == NULL)
    return TRUE;
  index_add (table->ward_keys, ward.key, table->wards->len - 1);
  alias = name_without_type_word (table, name);
  if (alias != NULL)
    index_add (table->ward_keys, alias, table->wards->len - 1);
  return TRUE;
}

/* The pre-2025 list: province code and name, district code and name, ward
 * code and name; a ward's name empty for a district without wards. */
static gboolean
load_old_units (FkReformTable *table, GError **error)
{
  g_auto (FkReformCsv) csv = { 0 };

  if (!fk_reform_csv_open (&csv, FK_REFORM_OLD_UNITS_RESOURCE,
                           _ ("the old units are not valid UTF-8"), error))
    return FALSE;
  while (TRUE)
    {
      g_autoptr (GPtrArray) f = fk_reform_csv_next (&csv);
      FkReformDistrict *district;

      if (f == NULL)
        break;
      if (f->len != 6)
        return fk_reform_damaged (error, _ ("a line of the old units does not have six fields"));
      if (*(char *) f->pdata[1] == '\0' || *(char *) f->pdata[3] == '\0')
        return fk_reform_damaged (error, _ ("an old unit lacks its province or district"));
      add_province (table, f->pdata[1]);
      district = add_district (table, f->pdata[3], error);
      if (district == NULL || !add_ward (table, district, f->pdata[5], error))
        return FALSE;
    }
  if (table->wards->len == 0)
    return fk_reform_damaged (error, _ ("there are no old wards"));
  return TRUE;
}

static void
load_communes (FkReformTable *table, FkAdminUnits *units)
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
          g_autoptr (GArray) tokens = fk_reform_tokenize (low, FALSE);
          g_autofree char *key = fk_reform_join_folded (tokens, 0, tokens->len);
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

/* Short forms of province names on cards. */
static void
add_short_forms (FkReformTable *table)
{
  for (guint i = 0; i < table->provinces->len; i++)
    {
      const char *key = fk_reform_province (table, i)->key;

      if (g_str_equal (key, "hochiminh"))
        {
          index_add (table->province_keys, "hcm", i);
          index_add (table->province_keys, "tphcm", i);
          index_add (table->province_keys, "hcmc", i);
          index_add (table->province_keys, "saigon", i);
        }
      else if (g_str_equal (key, "hue"))
        index_add (table->province_keys, "thuathienhue", i);
      else if (g_str_equal (key, "bariavungtau"))
        index_add (table->province_keys, "brvt", i);
    }
}

static void
table_free (FkReformTable *table)
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

static FkReformTable *
table_new (void)
{
  FkReformTable *table = g_new0 (FkReformTable, 1);

  table->strings = g_string_chunk_new (64 * 1024);
  table->provinces = g_array_new (FALSE, TRUE, sizeof (FkReformProvince));
  table->districts = g_array_new (FALSE, TRUE, sizeof (FkReformDistrict));
  table->wards = g_array_new (FALSE, TRUE, sizeof (FkReformWard));
  table->links = g_array_new (FALSE, TRUE, sizeof (FkReformLink));
  table->province_keys = index_new ();
  table->district_keys = index_new ();
  table->ward_keys = index_new ();
  table->commune_keys =
    g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  return table;
}

static FkReformTable *
table_load (GError **error)
{
  FkAdminUnits *units = fk_admin_units_get_default (error);
  FkReformTable *table;

  if (units == NULL)
    return NULL;
  table = table_new ();
  if (!load_old_units (table, error) || !fk_reform_table_load_links (table, units, error))
    {
      table_free (table);
      return NULL;
    }
  load_communes (table, units);
  add_short_forms (table);
  note_words (table, 3);
  return table;
}

/* Loaded on the first suggestion, not at start: the touch app may never
 * need it. */
FkReformTable *
fk_reform_table_get (GError **error)
{
  static FkReformTable *table = NULL;
  static GError *load_error = NULL;
  G_LOCK_DEFINE_STATIC (table);
  FkReformTable *result;

  G_LOCK (table);
  if (table == NULL && load_error == NULL)
    table = table_load (&load_error);
  result = table;
  if (result == NULL)
    g_propagate_error (error, g_error_copy (load_error));
  G_UNLOCK (table);
  return result;
}
