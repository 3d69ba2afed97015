/* fk-catalog-private.h: what the catalog's files share
 *
 * fk-catalog.c             the catalog: reading it, finding a procedure,
 *                          texts in the user's language
 * fk-catalog-procedure.c   a procedure, its fields and documents, read
 *                          from the catalog's JSON
 * fk-catalog-validate.c    checking a filled-in form against a procedure
 * fk-catalog-guide.c       what the procedure guide tells a citizen: fee,
 *                          time limit, where it is decided, the portal
 * fk-catalog-search.c      finding procedures without accents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-catalog.h"

G_BEGIN_DECLS

struct _FkProcedureField
{
  char *name;
  JsonNode *label;
  FkFieldType type;
  gboolean required;
  guint min_length;
  guint max_length; /* 0: no limit */
  char *pattern;
  GRegex *regex;
  GStrv choices;
  GPtrArray *choice_labels; /* JsonNode, parallel to choices */
  gboolean has_min, has_max;
  gint64 min, max;
  gboolean past_only;
  char *from_card; /* the chip member the field takes, or NULL */
};

struct _FkProcedureDocument
{
  char *code;
  JsonNode *title;
  gboolean required;
  FkDocumentHandling handling;
};

/* What the guide tells (fk-catalog-guide.c); every member optional. */
typedef struct
{
  JsonNode *fee_text;
  gboolean has_fee_amount;
  gint64 fee_amount;      /* VND; 0: free */
  gint64 time_limit_days; /* working days, 0: the same day; -1: not given */
  JsonNode *time_limit_note;
  gboolean has_online;
  gboolean online_available;
  gboolean online_full;
  char *portal_code;
  JsonNode *online_note;
  JsonNode *authority;
  GStrv keywords;
} FkProcedureGuide;

/* The folded texts a search looks in (fk-catalog-search.c): made at the
 * first search, since a procedure does not change once read. */
typedef struct
{
  char *title; /* title, code and keywords */
  char *all;   /* those and everything else the guide tells */
} FkProcedureSearchText;

void fk_procedure_search_text_free (FkProcedureSearchText *text);

struct _FkProcedure
{
  GObject parent_instance;

  char *code;
  JsonNode *title;
  JsonNode *description;
  char *legal_basis;
  GPtrArray *submitters; /* JsonNode */
  GPtrArray *fields;     /* FkProcedureField */
  GPtrArray *documents;  /* FkProcedureDocument */
  FkProcedureGuide guide;
  FkProcedureSearchText *search_text; /* set once (g_once_init_enter) */
};

gboolean fk_catalog_error (GError **error, const char *where, const char *format, ...)
  G_GNUC_PRINTF (3, 4);
FkProcedure *fk_procedure_new_from_json (JsonNode *node, guint index, GError **error);
gboolean fk_catalog_is_text_node (JsonNode *node);
gboolean fk_procedure_guide_read (FkProcedureGuide *guide, JsonObject *obj, const char *where,
                                  GError **error);
void fk_procedure_guide_clear (FkProcedureGuide *guide);

G_END_DECLS
