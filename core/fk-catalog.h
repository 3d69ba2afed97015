/* fk-catalog.h: the commune procedures a team takes on in the field
 *
 * The catalog is data (assets/data/catalog.json, later updated from the
 * server), so its texts carry both languages in the JSON rather than going
 * through gettext; messages about the data go through gettext.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define FK_CATALOG_SCHEMA 1

typedef enum
{
  FK_FIELD_TEXT,
  FK_FIELD_DATE,
  FK_FIELD_DIGITS,
  FK_FIELD_CHOICE,
  FK_FIELD_CITIZEN_ID,
  FK_FIELD_PHONE,
  FK_FIELD_INTEGER,
  FK_FIELD_BOOLEAN,
  FK_FIELD_COMMUNE, /* 5-digit code of a 2025 commune: show the address picker */
} FkFieldType;

const char *fk_field_type_to_string (FkFieldType type);

/* What happens to a paper of the dossier: its original is shown to the
 * officer and handed back, or the paper (a copy) is kept in the dossier. */
typedef enum
{
  FK_DOCUMENT_UNSPECIFIED,
  FK_DOCUMENT_ORIGINAL_SHOWN,
  FK_DOCUMENT_KEPT,
} FkDocumentHandling;

typedef struct _FkProcedureField FkProcedureField;
typedef struct _FkProcedureDocument FkProcedureDocument;

#define FK_TYPE_PROCEDURE (fk_procedure_get_type ())
G_DECLARE_FINAL_TYPE (FkProcedure, fk_procedure, FK, PROCEDURE, GObject)

#define FK_TYPE_CATALOG (fk_catalog_get_type ())
G_DECLARE_FINAL_TYPE (FkCatalog, fk_catalog, FK, CATALOG, GObject)

FkCatalog *fk_catalog_new_default (GError **error);
FkCatalog *fk_catalog_new_from_bytes (GBytes *json, GError **error);
const char *fk_catalog_get_version (FkCatalog *self);
gboolean fk_catalog_version_is_valid (const char *version);
int fk_catalog_version_compare (const char *a, const char *b);
GPtrArray *fk_catalog_get_procedures (FkCatalog *self);
FkProcedure *fk_catalog_lookup (FkCatalog *self, const char *code);

const char *fk_procedure_get_code (FkProcedure *self);
const char *fk_procedure_get_title (FkProcedure *self);
const char *fk_procedure_get_description (FkProcedure *self);
const char *fk_procedure_get_legal_basis (FkProcedure *self);
GPtrArray *fk_procedure_get_submitters (FkProcedure *self);
GPtrArray *fk_procedure_get_fields (FkProcedure *self);
FkProcedureField *fk_procedure_find_field (FkProcedure *self, const char *name);
GPtrArray *fk_procedure_get_documents (FkProcedure *self);
gboolean fk_procedure_validate_fields (FkProcedure *self, JsonObject *fields, GError **error);

/* What the procedure guide tells (fk-catalog-guide.c). */
const char *fk_procedure_get_fee (FkProcedure *self);
gboolean fk_procedure_get_fee_amount (FkProcedure *self, gint64 *amount);
int fk_procedure_get_time_limit_days (FkProcedure *self);
char *fk_procedure_format_time_limit (FkProcedure *self);
const char *fk_procedure_get_time_limit_note (FkProcedure *self);
gboolean fk_procedure_get_online (FkProcedure *self, gboolean *full);
gboolean fk_procedure_has_online_info (FkProcedure *self);
const char *fk_procedure_get_portal_code (FkProcedure *self);
const char *fk_procedure_get_online_note (FkProcedure *self);
const char *fk_procedure_get_authority (FkProcedure *self);
const char *const *fk_procedure_get_keywords (FkProcedure *self);

/* Finding procedures (fk-catalog-search.c). */
GPtrArray *fk_catalog_search (FkCatalog *self, const char *query, guint *out_n_best);

const char *fk_procedure_field_get_name (const FkProcedureField *field);
const char *fk_procedure_field_get_label (const FkProcedureField *field);
FkFieldType fk_procedure_field_get_field_type (const FkProcedureField *field);
gboolean fk_procedure_field_get_required (const FkProcedureField *field);
guint fk_procedure_field_get_max_length (const FkProcedureField *field);
const char *fk_procedure_field_get_pattern (const FkProcedureField *field);
const char *const *fk_procedure_field_get_choices (const FkProcedureField *field);
const char *fk_procedure_field_get_choice_label (const FkProcedureField *field, const char *value);
const char *fk_procedure_field_get_from_card (const FkProcedureField *field);

const char *fk_procedure_document_get_code (const FkProcedureDocument *document);
const char *fk_procedure_document_get_title (const FkProcedureDocument *document);
gboolean fk_procedure_document_get_required (const FkProcedureDocument *document);
FkDocumentHandling fk_procedure_document_get_handling (const FkProcedureDocument *document);

const char *fk_catalog_pick_language (JsonNode *text);

/* The same texts in a language named by the caller (the office answers
 * Vietnamese and English at once). */
const char *fk_catalog_pick_language_in (JsonNode *text, const char *language);
const char *fk_procedure_get_title_in (FkProcedure *self, const char *language);
const char *fk_procedure_field_get_label_in (const FkProcedureField *field, const char *language);
const char *fk_procedure_field_get_choice_label_in (const FkProcedureField *field,
                                                    const char *value, const char *language);
const char *fk_procedure_document_get_title_in (const FkProcedureDocument *document,
                                                const char *language);

G_END_DECLS
