/* fk-admin-units.c: provinces and communes after the 1 July 2025 reform
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "fk-admin-units.h"
#include "fk-core-error.h"
#include "fk-core-init.h"
#include "fk-text.h"

#define UNITS_RESOURCE "/vn/fieldkit/core/data/admin-units/vn-units-2025.json"

typedef struct
{
  FkAdminUnit unit;
  const char *folded;       /* "lai chau" */
  const char *folded_full;  /* "tinh lai chau" */
  const char *const *words; /* folded name split into words */
} Entry;

struct _FkAdminUnits
{
  GStringChunk *strings;
  GArray *entries; /* Entry: provinces first, then communes, in file order */
  guint n_provinces;
  GHashTable *by_code; /* code → Entry* */
  GPtrArray *word_lists;
};

/* Units live as long as the process, so "copying" one hands out the same
 * pointer. */
static gpointer
unit_copy (gpointer unit)
{
  return unit;
}

static void
unit_free (gpointer unit)
{
}

G_DEFINE_BOXED_TYPE (FkAdminUnit, fk_admin_unit, unit_copy, unit_free)

/**
 * fk_admin_unit_dup_full_name:
 *
 * Returns: (transfer full): type and name, as written in an address:
 *   "Xã Mường Tè", "Thành phố Hà Nội"
 */
char *
fk_admin_unit_dup_full_name (const FkAdminUnit *unit)
{
  g_return_val_if_fail (unit != NULL, NULL);
  return g_strdup_printf ("%s %s", unit->type, unit->name);
}

static gboolean
units_error (GError **error, const char *detail)
{
  g_set_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA,
               _ ("The list of administrative units is damaged: %s"), detail);
  return FALSE;
}

static const char *
member_string (JsonObject *obj, const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
add_entries (FkAdminUnits *self, JsonArray *array, FkAdminLevel level, GError **error)
{
  /* A handful of type words: fold each once, not once per unit. */
  g_autoptr (GHashTable) folded_types =
    g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *folded = NULL;
      g_autofree char *folded_full = NULL;
      g_auto (GStrv) words = NULL;
      const char *code, *name, *type, *province;
      char *folded_type;
      Entry entry = { { 0 } };
      const char **chunk_words;
      guint n_words;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return units_error (error, _ ("a unit is not an object"));
      code = member_string (json_node_get_object (node), "code");
      name = member_string (json_node_get_object (node), "name");
      type = member_string (json_node_get_object (node), "type");
      province = level == FK_ADMIN_LEVEL_PROVINCE
                   ? code
                   : member_string (json_node_get_object (node), "province");
      if (code == NULL || name == NULL || type == NULL || province == NULL)
        return units_error (error, _ ("a unit lacks its code, name, type or province"));

      folded = fk_text_fold (name);
      folded_type = g_hash_table_lookup (folded_types, type);
      if (folded_type == NULL && (folded_type = fk_text_fold (type)) != NULL)
        g_hash_table_insert (folded_types, (gpointer) type, folded_type);
      if (folded == NULL || folded_type == NULL)
        return units_error (error, _ ("a name is not valid UTF-8"));
      folded_full = g_strconcat (folded_type, " ", folded, NULL);

      entry.unit.code = g_string_chunk_insert_const (self->strings, code);
      entry.unit.name = g_string_chunk_insert_const (self->strings, name);
      entry.unit.type = g_string_chunk_insert_const (self->strings, type);
      entry.unit.province_code = g_string_chunk_insert_const (self->strings, province);
      entry.unit.level = level;
      entry.folded = g_string_chunk_insert_const (self->strings, folded);
      entry.folded_full = g_string_chunk_insert_const (self->strings, folded_full);

      g_strdelimit (folded, "-", ' ');
      words = g_strsplit (folded, " ", -1);
      n_words = g_strv_length (words);
      chunk_words = g_new0 (const char *, n_words + 1);
      for (guint w = 0; w < n_words; w++)
        chunk_words[w] = g_string_chunk_insert_const (self->strings, words[w]);
      g_ptr_array_add (self->word_lists, chunk_words);
      entry.words = chunk_words;
      g_array_append_val (self->entries, entry);
    }
  return TRUE;
}

static FkAdminUnits *
load (GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GBytes) bytes = NULL;
  FkAdminUnits *self;
  JsonObject *root;
  JsonNode *provinces, *communes;
  gsize size;
  const char *data;

  fk_core_ensure_resources ();
  bytes = g_resources_lookup_data (UNITS_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  if (!json_parser_load_from_data (parser, data, (gssize) size, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      units_error (error, _ ("not a JSON object"));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  provinces = json_object_get_member (root, "provinces");
  communes = json_object_get_member (root, "communes");
  if (provinces == NULL || communes == NULL || !JSON_NODE_HOLDS_ARRAY (provinces) ||
      !JSON_NODE_HOLDS_ARRAY (communes))
    {
      units_error (error, _ ("no list of provinces or communes"));
      return NULL;
    }

  self = g_new0 (FkAdminUnits, 1);
  self->strings = g_string_chunk_new (64 * 1024);
  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  self->by_code = g_hash_table_new (g_str_hash, g_str_equal);
  self->word_lists = g_ptr_array_new_with_free_func (g_free);
  if (!add_entries (self, json_node_get_array (provinces), FK_ADMIN_LEVEL_PROVINCE, error))
    goto fail;
  self->n_provinces = self->entries->len;
  if (!add_entries (self, json_node_get_array (communes), FK_ADMIN_LEVEL_COMMUNE, error))
    goto fail;
  /* The array is complete: pointers into it are stable from here on. */
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      g_hash_table_insert (self->by_code, (gpointer) entry->unit.code, entry);
    }
  return self;

fail:
  g_hash_table_unref (self->by_code);
  g_array_unref (self->entries);
  g_ptr_array_unref (self->word_lists);
  g_string_chunk_free (self->strings);
  g_free (self);
  return NULL;
}

/**
 * fk_admin_units_get_default:
 * @error: return location for an error
 *
 * The units compiled into FieldKit, loaded on first use and kept for the
 * life of the process.
 *
 * Returns: (transfer none) (nullable): the table
 */
FkAdminUnits *
fk_admin_units_get_default (GError **error)
{
  static FkAdminUnits *units = NULL;
  G_LOCK_DEFINE_STATIC (units);
  FkAdminUnits *result;

  G_LOCK (units);
  if (units == NULL)
    units = load (error);
  result = units;
  G_UNLOCK (units);
  return result;
}

guint
fk_admin_units_get_n_provinces (FkAdminUnits *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_provinces;
}

guint
fk_admin_units_get_n_communes (FkAdminUnits *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->entries->len - self->n_provinces;
}

/**
 * fk_admin_units_lookup:
 * @code: a 2-digit province or 5-digit commune code
 *
 * Returns: (transfer none) (nullable): the unit
 */
const FkAdminUnit *
fk_admin_units_lookup (FkAdminUnits *self, const char *code)
{
  Entry *entry;

  g_return_val_if_fail (self != NULL, NULL);
  if (code == NULL)
    return NULL;
  entry = g_hash_table_lookup (self->by_code, code);
  return entry != NULL ? &entry->unit : NULL;
}

/**
 * fk_admin_units_get_provinces:
 *
 * Returns: (transfer container) (element-type FkAdminUnit): the 34
 *   provinces by code
 */
GPtrArray *
fk_admin_units_get_provinces (FkAdminUnits *self)
{
  GPtrArray *out;

  g_return_val_if_fail (self != NULL, NULL);
  out = g_ptr_array_sized_new (self->n_provinces);
  for (guint i = 0; i < self->n_provinces; i++)
    g_ptr_array_add (out, &g_array_index (self->entries, Entry, i).unit);
  return out;
}

/**
 * fk_admin_units_get_communes:
 * @province_code: a 2-digit province code
 *
 * Returns: (transfer container) (element-type FkAdminUnit): its communes by
 *   code; empty for an unknown province
 */
GPtrArray *
fk_admin_units_get_communes (FkAdminUnits *self, const char *province_code)
{
  GPtrArray *out;

  g_return_val_if_fail (self != NULL, NULL);
  out = g_ptr_array_new ();
  for (guint i = self->n_provinces; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      if (g_strcmp0 (entry->unit.province_code, province_code) == 0)
        g_ptr_array_add (out, &entry->unit);
    }
  return out;
}

typedef struct
{
  const Entry *entry;
  int score;
} Hit;

/* Lower is better: the whole name, then the name's start, then a run of
 * word starts ("chau" in "Lai Châu"), then with the type word ("xa muong"),
 * then the words in any order. -1: no match. */
static int
score_entry (const Entry *entry, const char *query, char **qwords, guint n_qwords)
{
  guint n_words = g_strv_length ((char **) entry->words);

  if (g_str_equal (entry->folded, query))
    return 0;
  if (g_str_has_prefix (entry->folded, query))
    return 1;
  for (guint start = 1; start + n_qwords <= n_words; start++)
    {
      guint k = 0;

      while (k < n_qwords &&
             (k + 1 < n_qwords ? g_str_equal (entry->words[start + k], qwords[k])
                               : g_str_has_prefix (entry->words[start + k], qwords[k])))
        k++;
      if (k == n_qwords)
        return 2;
    }
  if (g_str_has_prefix (entry->folded_full, query))
    return 3;
  for (guint k = 0; k < n_qwords; k++)
    {
      gboolean found = FALSE;

      for (guint w = 0; w < n_words && !found; w++)
        found = g_str_has_prefix (entry->words[w], qwords[k]);
      if (!found)
        return -1;
    }
  return 4;
}

static int
compare_hits (gconstpointer a, gconstpointer b)
{
  const Hit *x = a, *y = b;
  size_t lx, ly;
  int c;

  if (x->score != y->score)
    return x->score - y->score;
  if (x->entry->unit.level != y->entry->unit.level)
    return (int) x->entry->unit.level - (int) y->entry->unit.level;
  lx = strlen (x->entry->folded);
  ly = strlen (y->entry->folded);
  if (lx != ly)
    return lx < ly ? -1 : 1;
  c = strcmp (x->entry->folded, y->entry->folded);
  if (c != 0)
    return c;
  return strcmp (x->entry->unit.code, y->entry->unit.code);
}

/**
 * fk_admin_units_search:
 * @query: what the officer typed: "lai chau", "Thanh Hóa", "xa muong te",
 *   or the start of a code
 * @province_code: (nullable): only this province and its communes
 * @limit: the most results, 0 for all
 *
 * Accent-, tone-placement- and case-insensitive search on names and their
 * word starts. Best matches first: the whole name, then names starting with
 * @query, then names with a word starting with it; provinces before
 * communes, shorter names first.
 *
 * Returns: (transfer container) (element-type FkAdminUnit): the matches
 */
GPtrArray *
fk_admin_units_search (FkAdminUnits *self, const char *query, const char *province_code,
                       guint limit)
{
  g_autofree char *folded = NULL;
  g_auto (GStrv) qwords = NULL;
  g_autoptr (GArray) hits = NULL;
  GPtrArray *out;
  gboolean by_code;
  guint n_qwords;

  g_return_val_if_fail (self != NULL, NULL);
  out = g_ptr_array_new ();
  if (query == NULL || (folded = fk_text_fold (query)) == NULL || *folded == '\0')
    return out;

  by_code = fk_text_is_digits (folded, strlen (folded));
  g_strdelimit (folded, "-", ' ');
  {
    g_autofree char *collapsed = fk_text_normalize (folded);

    g_free (folded);
    folded = g_steal_pointer (&collapsed);
  }
  qwords = g_strsplit (folded, " ", -1);
  n_qwords = g_strv_length (qwords);
  hits = g_array_new (FALSE, FALSE, sizeof (Hit));

  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = &g_array_index (self->entries, Entry, i);
      Hit hit = { entry, -1 };

      if (province_code != NULL && !g_str_equal (entry->unit.province_code, province_code))
        continue;
      if (by_code)
        hit.score = g_str_equal (entry->unit.code, folded)        ? 0
                    : g_str_has_prefix (entry->unit.code, folded) ? 1
                                                                  : -1;
      else
        hit.score = score_entry (entry, folded, qwords, n_qwords);
      if (hit.score >= 0)
        g_array_append_val (hits, hit);
    }

  g_array_sort (hits, compare_hits);
  for (guint i = 0; i < hits->len && (limit == 0 || i < limit); i++)
    g_ptr_array_add (out, (gpointer) &g_array_index (hits, Hit, i).entry->unit);
  return out;
}
