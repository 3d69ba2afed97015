/* fk-address-reform-links.c: which 2025 communes each old ward went into
 *
 * The resolutions name the old units of each 2025 commune (see
 * fk-address-reform-resolution.c); here each mention becomes the old wards
 * it can mean, in the old provinces that went into the commune's province,
 * and each of those wards gets a link to the commune with how much of it
 * went in. A name several wards share is settled by the neighbours the
 * text also names; names the resolutions misspell are placed last.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>

#include "fk-address-reform-private.h"

static gboolean
in_provinces (FkReformTable *table, guint ward, const FkAdminUnit *new_province)
{
  const FkReformWard *w = fk_reform_ward (table, ward);
  const FkReformDistrict *d = fk_reform_district (table, w->district);

  return fk_reform_province (table, d->province)->new_province == new_province;
}

static gboolean
qualifier_fits (FkReformTable *table, guint ward, const char *qualifier)
{
  const FkReformWard *w = fk_reform_ward (table, ward);
  const FkReformDistrict *d = fk_reform_district (table, w->district);
  const FkReformProvince *p = fk_reform_province (table, d->province);
  /* The qualifier may run on: "huyện Kim Sơn quản lý". */
  return g_str_has_prefix (qualifier, d->key) || g_str_equal (qualifier, p->key);
}

/* The old wards a mention can mean, within the old provinces of @commune's
 * province. */
static void
resolve_mention (FkReformTable *table, const FkAdminUnit *new_province, FkReformMention *mention)
{
  g_autoptr (GArray) found = g_array_new (FALSE, FALSE, sizeof (guint));

  mention->wards = g_array_new (FALSE, FALSE, sizeof (guint));
  if (fk_reform_type_fits (mention->type, FK_REFORM_LEVEL_DISTRICT))
    {
      /* "Huyện Côn Đảo": the whole district. */
      GArray *districts = g_hash_table_lookup (table->district_keys, mention->key);

      for (guint i = 0; districts != NULL && i < districts->len; i++)
        {
          const FkReformDistrict *d =
            fk_reform_district (table, g_array_index (districts, guint, i));

          if (fk_reform_province (table, d->province)->new_province != new_province)
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
mention_has_district (FkReformTable *table, const FkReformMention *mention, guint district)
{
  for (guint i = 0; i < mention->wards->len; i++)
    if (fk_reform_ward (table, g_array_index (mention->wards, guint, i))->district == district)
      return TRUE;
  return FALSE;
}

/* A name that several old wards share means, first, the one in the
 * district the commune's other units came from (communes were formed from
 * neighbours: "Phường 1, Phường 3 (quận Gò Vấp)"); then the one of the type
 * the text gives ("Thị trấn Thạnh An", not "Xã Thạnh An"); then the one
 * spelt as written ("Hoàng Phụ", not "Hoàng Phú"). */
static void
choose_wards (FkReformTable *table, GArray *mentions)
{
  for (guint m = 0; m < mentions->len; m++)
    {
      FkReformMention *mention = &g_array_index (mentions, FkReformMention, m);
      g_autoptr (GArray) scores = NULL;
      guint best = 0;

      if (mention->wards->len < 2 || fk_reform_type_fits (mention->type, FK_REFORM_LEVEL_DISTRICT))
        continue;
      scores = g_array_sized_new (FALSE, TRUE, sizeof (guint), mention->wards->len);
      g_array_set_size (scores, mention->wards->len);
      for (guint i = 0; i < mention->wards->len; i++)
        {
          const FkReformWard *ward =
            fk_reform_ward (table, g_array_index (mention->wards, guint, i));
          guint votes = 0;

          for (guint o = 0; o < mentions->len; o++)
            if (o != m && mention_has_district (
                            table, &g_array_index (mentions, FkReformMention, o), ward->district))
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
  const FkReformLink *x = a, *y = b;

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
keep_spelt_alike (FkReformTable *table, const FkAdminUnit *commune, const FkReformMention *mention,
                  GArray *before, GArray *spelt_alike)
{
  for (guint i = 0; i < before->len; i++)
    {
      guint w = g_array_index (before, guint, i);
      const FkReformWard *ward = fk_reform_ward (table, w);
      gboolean kept = FALSE;

      for (guint k = 0; k < mention->wards->len && !kept; k++)
        kept = g_array_index (mention->wards, guint, k) == w;
      if (!kept && ward->type == mention->type && g_strcmp0 (ward->tone, mention->tone) == 0)
        {
          FkReformLink link = { w, commune, mention->kind };

          g_array_append_val (spelt_alike, link);
        }
    }
}

/* The old wards with a link so far, each as its index + 1. */
static GHashTable *
linked_wards (FkReformTable *table)
{
  GHashTable *linked = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < table->links->len; i++)
    g_hash_table_add (linked, GUINT_TO_POINTER (fk_reform_link (table, i)->ward + 1));
  return linked;
}

static void
place_orphans (FkReformTable *table, GArray *spelt_alike)
{
  g_autoptr (GHashTable) linked = linked_wards (table);

  for (guint i = 0; i < spelt_alike->len; i++)
    {
      const FkReformLink *link = &g_array_index (spelt_alike, FkReformLink, i);

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
  FkReformKind kind;
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
place_misspelt (FkReformTable *table, GArray *unplaced)
{
  g_autoptr (GHashTable) linked = linked_wards (table);

  for (guint w = 0; w < table->wards->len; w++)
    {
      const FkReformWard *ward = fk_reform_ward (table, w);
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
          FkReformLink link = { w, match->commune, match->kind };

          g_array_append_val (table->links, link);
        }
    }
}

/* What linking the communes gathers on the way. */
typedef struct
{
  GArray *spelt_alike; /* FkReformLink: see keep_spelt_alike() */
  GArray *unplaced;    /* Unplaced */
} Leftovers;

/* The rows of the formation list: a province row says which old provinces
 * went into it (read at once); a commune row's text is kept in @texts. */
static gboolean
read_rows (FkReformTable *table, FkAdminUnits *units, GPtrArray *communes, GPtrArray *texts,
           GError **error)
{
  g_auto (FkReformCsv) csv = { 0 };

  if (!fk_reform_csv_open (&csv, FK_REFORM_FORMED_FROM_RESOURCE,
                           _ ("the formation of the 2025 units is not valid UTF-8"), error))
    return FALSE;
  while (TRUE)
    {
      g_autoptr (GPtrArray) f = fk_reform_csv_next (&csv);
      const FkAdminUnit *unit;

      if (f == NULL)
        break;
      if (f->len != 5)
        return fk_reform_damaged (error,
                                  _ ("a line of the 2025 formation does not have five fields"));
      unit = fk_admin_units_lookup (units, f->pdata[1]);
      if (unit == NULL)
        return fk_reform_damaged (
          error, _ ("the 2025 formation names a unit that is not in the 2025 list"));
      if (unit->level == FK_ADMIN_LEVEL_PROVINCE)
        fk_reform_read_province_row (table, unit, f->pdata[4]);
      else
        {
          g_ptr_array_add (communes, (gpointer) unit);
          g_ptr_array_add (texts, g_strdup (f->pdata[4]));
        }
    }
  for (guint i = 0; i < table->provinces->len; i++)
    if (fk_reform_province (table, i)->new_province == NULL)
      return fk_reform_damaged (error, _ ("an old province went into no 2025 province"));
  return TRUE;
}

/* Links the old wards that @text names to @commune. */
static void
link_commune (FkReformTable *table, FkAdminUnits *units, const FkAdminUnit *commune,
              const char *text, Leftovers *leftovers)
{
  const FkAdminUnit *new_province = fk_admin_units_lookup (units, commune->province_code);
  g_autoptr (GArray) mentions = fk_reform_read_mentions (commune, text);
  g_autoptr (GPtrArray) before = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  for (guint m = 0; m < mentions->len; m++)
    {
      FkReformMention *mention = &g_array_index (mentions, FkReformMention, m);

      resolve_mention (table, new_province, mention);
      g_ptr_array_add (before, g_array_copy (mention->wards));
    }
  choose_wards (table, mentions);
  for (guint m = 0; m < mentions->len; m++)
    keep_spelt_alike (table, commune, &g_array_index (mentions, FkReformMention, m),
                      before->pdata[m], leftovers->spelt_alike);
  for (guint m = 0; m < mentions->len; m++)
    {
      FkReformMention *mention = &g_array_index (mentions, FkReformMention, m);

      if (mention->wards->len == 0 &&
          !fk_reform_type_fits (mention->type, FK_REFORM_LEVEL_DISTRICT))
        {
          Unplaced u = { commune, new_province, g_strdup (mention->key), mention->kind };

          g_array_append_val (leftovers->unplaced, u);
        }
      for (guint i = 0; i < mention->wards->len; i++)
        {
          FkReformLink link = { g_array_index (mention->wards, guint, i), commune, mention->kind };

          g_array_append_val (table->links, link);
        }
    }
}

/* One link per ward and commune, its best kind; each ward's links in a
 * row. */
static void
index_links (FkReformTable *table)
{
  guint out = 0;

  g_array_sort (table->links, compare_links);
  for (guint i = 0; i < table->links->len; i++)
    {
      FkReformLink *link = fk_reform_link (table, i);

      if (out > 0 && fk_reform_link (table, out - 1)->ward == link->ward &&
          fk_reform_link (table, out - 1)->commune == link->commune)
        continue;
      *fk_reform_link (table, out++) = *link;
    }
  g_array_set_size (table->links, out);
  for (guint i = 0; i < table->links->len; i++)
    {
      FkReformWard *ward = fk_reform_ward (table, fk_reform_link (table, i)->ward);

      if (ward->n_links == 0)
        ward->first_link = i;
      ward->n_links++;
    }
}

/**
 * fk_reform_table_load_links:
 * @table: a table with its old units
 * @units: the 2025 units
 * @error: return location for an error
 *
 * Reads the formation list: sets each old province's 2025 province and
 * fills the links of the old wards.
 *
 * Returns: %FALSE with @error set when the list is damaged
 */
gboolean
fk_reform_table_load_links (FkReformTable *table, FkAdminUnits *units, GError **error)
{
  g_autoptr (GPtrArray) communes = g_ptr_array_new ();
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) unplaced = g_array_new (FALSE, FALSE, sizeof (Unplaced));
  g_autoptr (GArray) spelt_alike = g_array_new (FALSE, FALSE, sizeof (FkReformLink));
  Leftovers leftovers = { spelt_alike, unplaced };

  g_array_set_clear_func (unplaced, (GDestroyNotify) unplaced_clear);
  if (!read_rows (table, units, communes, texts, error))
    return FALSE;
  for (guint c = 0; c < communes->len; c++)
    link_commune (table, units, communes->pdata[c], texts->pdata[c], &leftovers);
  place_orphans (table, spelt_alike);
  place_misspelt (table, unplaced);
  index_links (table);
  return TRUE;
}
