/* fk-catalog-search.c: finding a procedure the way a citizen asks for it
 *
 * Accents, tone marks and case do not matter ("khai sinh", "KHAI SINH",
 * "Khai sinh" alike), every word of the query must be found, and it is
 * looked for in everything the guide tells: titles in every language,
 * keywords, what the procedure is for, who may submit, the papers, the
 * fee, the time limit, who decides, the legal basis and the portal (its
 * code, and "dịch vụ công", "trực tuyến" when it can be done online).
 * Procedures whose title (or keywords) hold every word come first; the
 * catalog's order is kept otherwise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-catalog-private.h"
#include "fk-text.h"

/* Every language of a text node, folded, each followed by a space. */
static void
append_text (GString *out, JsonNode *text)
{
  g_autoptr (GList) values = NULL;

  if (text == NULL)
    return;
  if (JSON_NODE_HOLDS_VALUE (text) && json_node_get_value_type (text) == G_TYPE_STRING)
    {
      g_autofree char *folded = fk_text_fold (json_node_get_string (text));

      if (folded != NULL)
        g_string_append (g_string_append (out, folded), " ");
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (text))
    return;
  values = json_object_get_values (json_node_get_object (text));
  for (GList *l = values; l != NULL; l = l->next)
    append_text (out, l->data);
}

static void
append_string (GString *out, const char *s)
{
  g_autofree char *folded = s != NULL ? fk_text_fold (s) : NULL;

  if (folded != NULL)
    g_string_append (g_string_append (out, folded), " ");
}

/* What a procedure is found by first: its title, code and keywords. */
static char *
title_text (FkProcedure *procedure)
{
  GString *out = g_string_new (" ");
  g_autofree char *code = g_strdelimit (g_strdup (procedure->code), "-", ' ');

  append_text (out, procedure->title);
  append_string (out, code);
  for (guint i = 0; procedure->guide.keywords != NULL && procedure->guide.keywords[i] != NULL; i++)
    append_string (out, procedure->guide.keywords[i]);
  return g_string_free (out, FALSE);
}

/* Everything else the guide tells. */
static char *
body_text (FkProcedure *procedure)
{
  GString *out = g_string_new (" ");
  const FkProcedureGuide *guide = &procedure->guide;

  append_text (out, procedure->description);
  append_string (out, procedure->legal_basis);
  for (guint i = 0; i < procedure->submitters->len; i++)
    append_text (out, g_ptr_array_index (procedure->submitters, i));
  for (guint i = 0; i < procedure->documents->len; i++)
    append_text (out, ((FkProcedureDocument *) g_ptr_array_index (procedure->documents, i))->title);
  append_text (out, guide->fee_text);
  append_text (out, guide->time_limit_note);
  append_text (out, guide->authority);
  append_text (out, guide->online_note);
  append_string (out, guide->portal_code);
  if (guide->online_available)
    append_string (out, "dịch vụ công trực tuyến online");
  return g_string_free (out, FALSE);
}

static gboolean
holds_all (const char *text, char **words)
{
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0' && strstr (text, words[i]) == NULL)
      return FALSE;
  return TRUE;
}

void
fk_procedure_search_text_free (FkProcedureSearchText *text)
{
  if (text == NULL)
    return;
  g_free (text->title);
  g_free (text->all);
  g_free (text);
}

/* Folding every text of a procedure is most of a search's time: done once
 * per procedure, the first time it is searched. */
static const FkProcedureSearchText *
search_text (FkProcedure *procedure)
{
  if (g_once_init_enter (&procedure->search_text))
    {
      FkProcedureSearchText *text = g_new0 (FkProcedureSearchText, 1);
      g_autofree char *body = body_text (procedure);

      text->title = title_text (procedure);
      text->all = g_strconcat (text->title, body, NULL);
      g_once_init_leave (&procedure->search_text, text);
    }
  return procedure->search_text;
}

/**
 * fk_catalog_search:
 * @self: a catalog
 * @query: (nullable): what the officer typed
 * @out_n_best: (out) (optional): how many at the front hold every word in
 *   their title or keywords (the others only elsewhere in the guide)
 *
 * Returns: (transfer container) (element-type FkProcedure): the procedures
 *   that match every word of @query, best first; all of them, in catalog
 *   order, for an empty query
 */
GPtrArray *
fk_catalog_search (FkCatalog *self, const char *query, guint *out_n_best)
{
  g_autofree char *folded = query != NULL ? fk_text_fold (query) : NULL;
  g_auto (GStrv) words = NULL;
  g_autoptr (GPtrArray) procedures = NULL;
  g_autoptr (GPtrArray) in_body = g_ptr_array_new ();
  GPtrArray *out;

  g_return_val_if_fail (FK_IS_CATALOG (self), NULL);

  procedures = fk_catalog_get_procedures (self);
  out = g_ptr_array_new_with_free_func (g_object_unref);
  words = g_strsplit_set (folded != NULL ? g_strstrip (folded) : "", " \t\n,;.", -1);
  for (guint i = 0; i < procedures->len; i++)
    {
      FkProcedure *procedure = g_ptr_array_index (procedures, i);
      const FkProcedureSearchText *text = search_text (procedure);

      if (holds_all (text->title, words))
        g_ptr_array_add (out, g_object_ref (procedure));
      else if (holds_all (text->all, words))
        g_ptr_array_add (in_body, procedure);
    }
  if (out_n_best != NULL)
    *out_n_best = out->len;
  for (guint i = 0; i < in_body->len; i++)
    g_ptr_array_add (out, g_object_ref (g_ptr_array_index (in_body, i)));
  return out;
}
