/* fk-catalog-procedure.c: a procedure of the catalog, its fields and the
 * papers to photograph
 *
 * A procedure is read from its JSON object in the catalog and checked as
 * it is read: codes are lowercase ASCII, every text has a label in at
 * least one language, a pattern compiles, a choice field lists its
 * choices, a field that takes a value from the ID card's chip
 * (`from_card`) names a member of the chip's data that fits its type.
 * Once read it does not change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>

#include "fk-catalog-private.h"
#include "fk-chip-data.h"
#include "fk-json-private.h"

G_DEFINE_FINAL_TYPE (FkProcedure, fk_procedure, G_TYPE_OBJECT)

static const char *const field_type_names[] = {
  [FK_FIELD_TEXT] = "text",
  [FK_FIELD_DATE] = "date",
  [FK_FIELD_DIGITS] = "digits",
  [FK_FIELD_CHOICE] = "choice",
  [FK_FIELD_CITIZEN_ID] = "citizen-id",
  [FK_FIELD_PHONE] = "phone",
  [FK_FIELD_INTEGER] = "integer",
  [FK_FIELD_BOOLEAN] = "boolean",
  [FK_FIELD_COMMUNE] = "commune",
};

const char *
fk_field_type_to_string (FkFieldType type)
{
  g_return_val_if_fail (type < G_N_ELEMENTS (field_type_names), NULL);
  return field_type_names[type];
}

static gboolean
field_type_from_string (const char *s, FkFieldType *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_type_names); i++)
    if (g_strcmp0 (s, field_type_names[i]) == 0)
      {
        *type = (FkFieldType) i;
        return TRUE;
      }
  return FALSE;
}

static void
field_free (FkProcedureField *field)
{
  g_free (field->name);
  g_clear_pointer (&field->label, json_node_unref);
  g_free (field->pattern);
  g_free (field->from_card);
  g_clear_pointer (&field->regex, g_regex_unref);
  g_strfreev (field->choices);
  g_clear_pointer (&field->choice_labels, g_ptr_array_unref);
  g_free (field);
}

static void
document_free (FkProcedureDocument *document)
{
  g_free (document->code);
  g_clear_pointer (&document->title, json_node_unref);
  g_free (document);
}

static void
fk_procedure_finalize (GObject *object)
{
  FkProcedure *self = FK_PROCEDURE (object);

  g_free (self->code);
  g_clear_pointer (&self->title, json_node_unref);
  g_clear_pointer (&self->description, json_node_unref);
  g_free (self->legal_basis);
  g_clear_pointer (&self->submitters, g_ptr_array_unref);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->documents, g_ptr_array_unref);
  fk_procedure_guide_clear (&self->guide);
  g_clear_pointer (&self->search_text, fk_procedure_search_text_free);
  G_OBJECT_CLASS (fk_procedure_parent_class)->finalize (object);
}

static void
fk_procedure_class_init (FkProcedureClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fk_procedure_finalize;
}

static void
fk_procedure_init (FkProcedure *self)
{
  self->submitters = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  self->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  self->documents = g_ptr_array_new_with_free_func ((GDestroyNotify) document_free);
  self->guide.time_limit_days = -1;
}

gboolean
fk_catalog_is_text_node (JsonNode *node)
{
  JsonObject *obj;
  g_autoptr (GList) values = NULL;

  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_VALUE (node))
    return json_node_get_value_type (node) == G_TYPE_STRING;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  obj = json_node_get_object (node);
  values = json_object_get_values (obj);
  if (values == NULL)
    return FALSE;
  for (GList *l = values; l != NULL; l = l->next)
    if (!JSON_NODE_HOLDS_VALUE (l->data) || json_node_get_value_type (l->data) != G_TYPE_STRING)
      return FALSE;
  return TRUE;
}

/* The text member @name of @obj, or NULL when it is missing or no text. */
static const char *
string_member (JsonObject *obj, const char *name)
{
  const char *value;

  fk_json_get_string (obj, "", name, &value, NULL);
  return value;
}

/* A field's name, type and label. */
static gboolean
read_field_identity (FkProcedureField *field, JsonObject *obj, const char *where, GError **error)
{
  const char *type;

  field->name = g_strdup (string_member (obj, "name"));
  if (!fk_code_is_valid (field->name, "_"))
    return fk_catalog_error (error, where,
                             _ ("a field name must be lowercase ASCII letters, digits or “_”"));
  type = string_member (obj, "type");
  if (!field_type_from_string (type, &field->type))
    return fk_catalog_error (error, where, _ ("field “%s” has an unknown type “%s”"), field->name,
                             type != NULL ? type : "");
  if (!fk_catalog_is_text_node (json_object_get_member (obj, "label")))
    return fk_catalog_error (error, where, _ ("field “%s” has no label"), field->name);
  field->label = json_node_ref (json_object_get_member (obj, "label"));
  return TRUE;
}

/* Whether it must be filled in, how long, how large, how recent. */
static gboolean
read_field_limits (FkProcedureField *field, JsonObject *obj, const char *where, GError **error)
{
  gboolean has;
  gint64 value;

  if (!fk_json_get_bool (obj, where, "required", &field->required, NULL, NULL) ||
      !fk_json_get_bool (obj, where, "past_only", &field->past_only, NULL, NULL))
    return fk_catalog_error (error, where,
                             _ ("field “%s”: “required” and “past_only” must be true or false"),
                             field->name);
  if (!fk_json_get_int (obj, where, "max_length", &value, &has, NULL) ||
      (has && (value < 1 || value > 100000)))
    return fk_catalog_error (error, where, _ ("field “%s”: “%s” must be a positive number"),
                             field->name, "max_length");
  field->max_length = has ? (guint) value : 0;
  if (!fk_json_get_int (obj, where, "min_length", &value, &has, NULL) ||
      (has && (value < 0 || value > 100000)))
    return fk_catalog_error (error, where, _ ("field “%s”: “%s” must be a positive number"),
                             field->name, "min_length");
  field->min_length = has ? (guint) value : 0;
  if (!fk_json_get_int (obj, where, "min", &field->min, &field->has_min, NULL) ||
      !fk_json_get_int (obj, where, "max", &field->max, &field->has_max, NULL))
    return fk_catalog_error (error, where, _ ("field “%s”: “min” and “max” must be whole numbers"),
                             field->name);
  return TRUE;
}

/* The regular expression a text must match, whole. */
static gboolean
read_field_pattern (FkProcedureField *field, JsonObject *obj, const char *where, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *anchored = NULL;

  field->pattern = g_strdup (string_member (obj, "pattern"));
  if (field->pattern == NULL)
    return TRUE;
  anchored = g_strdup_printf ("^(?:%s)$", field->pattern);
  field->regex = g_regex_new (anchored, G_REGEX_OPTIMIZE, 0, &local_error);
  if (field->regex == NULL)
    return fk_catalog_error (error, where, _ ("field “%s” has a broken pattern: %s"), field->name,
                             local_error->message);
  return TRUE;
}

/* The values and labels of a choice field. */
static gboolean
read_field_choices (FkProcedureField *field, JsonObject *obj, const char *where, GError **error)
{
  JsonNode *choices = json_object_get_member (obj, "choices");
  JsonArray *array;
  guint n;

  if (field->type != FK_FIELD_CHOICE)
    return TRUE;
  if (choices == NULL || !JSON_NODE_HOLDS_ARRAY (choices) ||
      json_array_get_length (json_node_get_array (choices)) == 0)
    return fk_catalog_error (error, where, _ ("choice field “%s” lists no choices"), field->name);
  array = json_node_get_array (choices);
  n = json_array_get_length (array);
  field->choices = g_new0 (char *, n + 1);
  field->choice_labels = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *choice = json_array_get_element (array, i);
      JsonObject *choice_obj =
        JSON_NODE_HOLDS_OBJECT (choice) ? json_node_get_object (choice) : NULL;
      const char *value = choice_obj != NULL ? string_member (choice_obj, "value") : NULL;

      if (choice_obj == NULL || !fk_code_is_valid (value, "_-") ||
          !fk_catalog_is_text_node (json_object_get_member (choice_obj, "label")))
        return fk_catalog_error (
          error, where, _ ("choice %u of field “%s” needs a lowercase “value” and a “label”"),
          i + 1, field->name);
      field->choices[i] = g_strdup (value);
      g_ptr_array_add (field->choice_labels,
                       json_node_ref (json_object_get_member (choice_obj, "label")));
    }
  return TRUE;
}

static const char *const field_members[] = {
  "name",    "type", "label", "required",  "max_length", "min_length", "pattern",
  "choices", "min",  "max",   "past_only", "from_card",  NULL,
};

static const char *const procedure_members[] = {
  "code", "title",           "description",     "legal_basis", "submitters", "documents", "fields",
  "fee",  "time_limit_days", "time_limit_note", "online",      "authority",  "keywords",  NULL,
};

static const char *const document_members[] = { "code", "title", "required", "original", NULL };

/* A member the format does not have is a mistake (a misspelt name would
 * else be dropped without a word). */
static gboolean
check_members (JsonObject *obj, const char *const *allowed, const char *where, GError **error)
{
  g_autoptr (GList) names = json_object_get_members (obj);

  for (GList *l = names; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return fk_catalog_error (error, where, _ ("unknown member “%s”"), (const char *) l->data);
  return TRUE;
}

/* Whether a field of @type can hold what the chip's @kind of member
 * holds: a text as text, a date as a date, the sex as a choice of "male"
 * and "female", an ID number as one. */
static gboolean
fits_chip_member (const FkProcedureField *field, FkChipMemberKind kind)
{
  switch (kind)
    {
      case FK_CHIP_MEMBER_TEXT:
        return field->type == FK_FIELD_TEXT;
      case FK_CHIP_MEMBER_DATE:
        return field->type == FK_FIELD_DATE;
      case FK_CHIP_MEMBER_SEX:
        return field->type == FK_FIELD_CHOICE &&
               g_strv_contains ((const char *const *) field->choices, "male") &&
               g_strv_contains ((const char *const *) field->choices, "female");
      case FK_CHIP_MEMBER_ID_NUMBER:
        return field->type == FK_FIELD_CITIZEN_ID || field->type == FK_FIELD_DIGITS ||
               field->type == FK_FIELD_TEXT;
      case FK_CHIP_MEMBER_OLD_ID:
        return field->type == FK_FIELD_DIGITS || field->type == FK_FIELD_TEXT;
      case FK_CHIP_MEMBER_UNKNOWN:
      default:
        return FALSE;
    }
}

/* The chip member the field takes, proposed to the officer: optional. */
static gboolean
read_field_from_card (FkProcedureField *field, JsonObject *obj, const char *where, GError **error)
{
  JsonNode *member = json_object_get_member (obj, "from_card");
  FkChipMemberKind kind;

  if (member == NULL)
    return TRUE;
  field->from_card = g_strdup (string_member (obj, "from_card"));
  kind = fk_chip_member_get_kind (field->from_card);
  if (kind == FK_CHIP_MEMBER_UNKNOWN)
    return fk_catalog_error (error, where,
                             _ ("field “%s”: “from_card” must name a member of the card's chip "
                                "data, such as “full_name” or “ethnicity”"),
                             field->name);
  if (!fits_chip_member (field, kind))
    return fk_catalog_error (error, where,
                             _ ("field “%s” of type “%s” cannot take the chip's “%s”"), field->name,
                             fk_field_type_to_string (field->type), field->from_card);
  return TRUE;
}

static FkProcedureField *
read_field (JsonNode *node, const char *where, GError **error)
{
  FkProcedureField *field;
  JsonObject *obj;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fk_catalog_error (error, where, _ ("a field must be an object"));
      return NULL;
    }
  obj = json_node_get_object (node);
  if (!check_members (obj, field_members, where, error))
    return NULL;
  field = g_new0 (FkProcedureField, 1);
  if (!read_field_identity (field, obj, where, error) ||
      !read_field_limits (field, obj, where, error) ||
      !read_field_pattern (field, obj, where, error) ||
      !read_field_choices (field, obj, where, error) ||
      !read_field_from_card (field, obj, where, error))
    {
      field_free (field);
      return NULL;
    }
  return field;
}

/* Who may submit: a list of texts, optional. */
static gboolean
read_submitters (FkProcedure *self, JsonObject *obj, const char *where, GError **error)
{
  JsonNode *member = json_object_get_member (obj, "submitters");
  JsonArray *array;

  if (member == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (member))
    return fk_catalog_error (error, where, _ ("“submitters” must be a list of texts"));
  array = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *text = json_array_get_element (array, i);

      if (!fk_catalog_is_text_node (text))
        return fk_catalog_error (error, where, _ ("“submitters” must be a list of texts"));
      g_ptr_array_add (self->submitters, json_node_ref (text));
    }
  return TRUE;
}

/* The papers to photograph: a list, optional. */
static gboolean
read_documents (FkProcedure *self, JsonObject *obj, const char *where, GError **error)
{
  JsonNode *member = json_object_get_member (obj, "documents");
  JsonArray *array;

  if (member == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (member))
    return fk_catalog_error (error, where, _ ("“documents” must be a list"));
  array = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *d = json_array_get_element (array, i);
      JsonObject *dobj = JSON_NODE_HOLDS_OBJECT (d) ? json_node_get_object (d) : NULL;
      FkProcedureDocument *document;

      gboolean original, has_original;

      if (dobj == NULL || !fk_code_is_valid (string_member (dobj, "code"), "-") ||
          !fk_catalog_is_text_node (json_object_get_member (dobj, "title")))
        return fk_catalog_error (error, where, _ ("document %u needs a “code” and a “title”"),
                                 i + 1);
      if (!check_members (dobj, document_members, where, error))
        return FALSE;
      if (!fk_json_get_bool (dobj, where, "original", &original, &has_original, NULL))
        return fk_catalog_error (error, where, _ ("document %u: “original” must be true or false"),
                                 i + 1);
      document = g_new0 (FkProcedureDocument, 1);
      document->code = g_strdup (string_member (dobj, "code"));
      document->title = json_node_ref (json_object_get_member (dobj, "title"));
      document->handling = !has_original ? FK_DOCUMENT_UNSPECIFIED
                           : original    ? FK_DOCUMENT_ORIGINAL_SHOWN
                                         : FK_DOCUMENT_KEPT;
      g_ptr_array_add (self->documents, document);
      if (!fk_json_get_bool (dobj, where, "required", &document->required, NULL, NULL))
        return fk_catalog_error (error, where, _ ("document %u: “required” must be true or false"),
                                 i + 1);
    }
  return TRUE;
}

/* The form: a list of fields, each name once. */
static gboolean
read_fields (FkProcedure *self, JsonObject *obj, const char *where, GError **error)
{
  JsonNode *member = json_object_get_member (obj, "fields");
  JsonArray *array;

  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    return fk_catalog_error (error, where, _ ("the procedure has no list of fields"));
  array = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      FkProcedureField *field = read_field (json_array_get_element (array, i), where, error);

      if (field == NULL)
        return FALSE;
      if (fk_procedure_find_field (self, field->name) != NULL)
        {
          fk_catalog_error (error, where, _ ("field “%s” is defined twice"), field->name);
          field_free (field);
          return FALSE;
        }
      g_ptr_array_add (self->fields, field);
    }
  return TRUE;
}

/**
 * fk_procedure_new_from_json:
 * @node: the procedure's object in the catalog
 * @index: its place in the catalog's list, to say where a mistake is
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the procedure, or %NULL with
 *   %FK_CORE_ERROR_INVALID_DATA saying what is wrong where
 */
FkProcedure *
fk_procedure_new_from_json (JsonNode *node, guint index, GError **error)
{
  g_autoptr (FkProcedure) self = NULL;
  g_autofree char *where = NULL;
  JsonObject *obj;
  JsonNode *member;
  const char *code;

  where = g_strdup_printf ("procedures[%u]", index);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fk_catalog_error (error, where, _ ("a procedure must be an object"));
      return NULL;
    }
  obj = json_node_get_object (node);
  code = string_member (obj, "code");
  if (!fk_code_is_valid (code, "-"))
    {
      fk_catalog_error (error, where,
                        _ ("a procedure code must be lowercase ASCII letters, digits or “-”"));
      return NULL;
    }
  g_free (where);
  where = g_strdup_printf ("“%s”", code);

  if (!check_members (obj, procedure_members, where, error))
    return NULL;
  self = g_object_new (FK_TYPE_PROCEDURE, NULL);
  self->code = g_strdup (code);
  if (!fk_catalog_is_text_node (json_object_get_member (obj, "title")))
    {
      fk_catalog_error (error, where, _ ("the procedure has no title"));
      return NULL;
    }
  self->title = json_node_ref (json_object_get_member (obj, "title"));
  member = json_object_get_member (obj, "description");
  if (member != NULL && fk_catalog_is_text_node (member))
    self->description = json_node_ref (member);
  self->legal_basis = g_strdup (string_member (obj, "legal_basis"));
  if (!read_submitters (self, obj, where, error) || !read_documents (self, obj, where, error) ||
      !read_fields (self, obj, where, error) ||
      !fk_procedure_guide_read (&self->guide, obj, where, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
fk_procedure_get_code (FkProcedure *self)
{
  g_return_val_if_fail (FK_IS_PROCEDURE (self), NULL);
  return self->code;
}

/**
 * fk_procedure_get_title:
 *
 * Returns: (transfer none): the title in the user's language
 */
const char *
fk_procedure_get_title (FkProcedure *self)
{
  g_return_val_if_fail (FK_IS_PROCEDURE (self), NULL);
  return fk_catalog_pick_language (self->title);
}

const char *
fk_procedure_get_title_in (FkProcedure *self, const char *language)
{
  g_return_val_if_fail (FK_IS_PROCEDURE (self), NULL);
  return fk_catalog_pick_language_in (self->title, language);
}

/**
 * fk_procedure_get_description:
 *
 * Returns: (transfer none) (nullable): the description in the user's language
 */
const char *
fk_procedure_get_description (FkProcedure *self)
{
  g_return_val_if_fail (FK_IS_PROCEDURE (self), NULL);
  return fk_catalog_pick_language (self->description);
}

/**
 * fk_procedure_get_legal_basis:
 *
 * Returns: (transfer none) (nullable): the legal texts, in Vietnamese
 */
const char *
fk_procedure_get_legal_basis (FkProcedure *self)
{
  g_return_val_if_fail (FK_IS_PROCEDURE (self), NULL);
  return self->legal_basis;
}

/**
 * fk_procedure_get_submitters:
 *
 * Returns: (transfer container) (element-type utf8): who may submit, in the
 *   user's language; the strings belong to @self
 */
GPtrArray *
fk_procedure_get_submitters (FkProcedure *self)
{
  GPtrArray *out;

  g_return_val_if_fail (FK_IS_PROCEDURE (self), NULL);
  out = g_ptr_array_new_full (self->submitters->len, NULL);
  for (guint i = 0; i < self->submitters->len; i++)
    g_ptr_array_add (out,
                     (gpointer) fk_catalog_pick_language (g_ptr_array_index (self->submitters, i)));
  return out;
}

/**
 * fk_procedure_get_fields:
 *
 * Returns: (transfer none) (element-type FkProcedureField): the form's
 *   fields in order
 */
GPtrArray *
fk_procedure_get_fields (FkProcedure *self)
{
  g_return_val_if_fail (FK_IS_PROCEDURE (self), NULL);
  return self->fields;
}

/**
 * fk_procedure_find_field:
 *
 * Returns: (transfer none) (nullable): the field called @name
 */
FkProcedureField *
fk_procedure_find_field (FkProcedure *self, const char *name)
{
  g_return_val_if_fail (FK_IS_PROCEDURE (self), NULL);
  for (guint i = 0; i < self->fields->len; i++)
    {
      FkProcedureField *field = g_ptr_array_index (self->fields, i);

      if (g_strcmp0 (field->name, name) == 0)
        return field;
    }
  return NULL;
}

/**
 * fk_procedure_get_documents:
 *
 * Returns: (transfer none) (element-type FkProcedureDocument): the papers
 *   to photograph
 */
GPtrArray *
fk_procedure_get_documents (FkProcedure *self)
{
  g_return_val_if_fail (FK_IS_PROCEDURE (self), NULL);
  return self->documents;
}

const char *
fk_procedure_field_get_name (const FkProcedureField *field)
{
  return field->name;
}

const char *
fk_procedure_field_get_label (const FkProcedureField *field)
{
  return fk_catalog_pick_language (field->label);
}

const char *
fk_procedure_field_get_label_in (const FkProcedureField *field, const char *language)
{
  return fk_catalog_pick_language_in (field->label, language);
}

FkFieldType
fk_procedure_field_get_field_type (const FkProcedureField *field)
{
  return field->type;
}

gboolean
fk_procedure_field_get_required (const FkProcedureField *field)
{
  return field->required;
}

/**
 * fk_procedure_field_get_max_length:
 *
 * Returns: the longest value in characters, 0 for no limit
 */
guint
fk_procedure_field_get_max_length (const FkProcedureField *field)
{
  return field->max_length;
}

const char *
fk_procedure_field_get_pattern (const FkProcedureField *field)
{
  return field->pattern;
}

/**
 * fk_procedure_field_get_choices:
 *
 * Returns: (transfer none) (nullable): the values of a choice field
 */
const char *const *
fk_procedure_field_get_choices (const FkProcedureField *field)
{
  return (const char *const *) field->choices;
}

const char *
fk_procedure_field_get_choice_label (const FkProcedureField *field, const char *value)
{
  if (field->choices == NULL)
    return NULL;
  for (guint i = 0; field->choices[i] != NULL; i++)
    if (g_strcmp0 (field->choices[i], value) == 0)
      return fk_catalog_pick_language (g_ptr_array_index (field->choice_labels, i));
  return NULL;
}

/**
 * fk_procedure_field_get_from_card:
 *
 * Returns: (nullable): the member of the ID card's chip data whose value
 *   the field takes ("ethnicity", "father_name", …; see
 *   fk_chip_data_dup_member()), proposed to the officer, never filled in
 *   unseen; %NULL for a field the chip does not fill
 */
const char *
fk_procedure_field_get_from_card (const FkProcedureField *field)
{
  return field->from_card;
}

const char *
fk_procedure_field_get_choice_label_in (const FkProcedureField *field, const char *value,
                                        const char *language)
{
  if (field->choices == NULL)
    return NULL;
  for (guint i = 0; field->choices[i] != NULL; i++)
    if (g_strcmp0 (field->choices[i], value) == 0)
      return fk_catalog_pick_language_in (g_ptr_array_index (field->choice_labels, i), language);
  return NULL;
}

const char *
fk_procedure_document_get_code (const FkProcedureDocument *document)
{
  return document->code;
}

const char *
fk_procedure_document_get_title (const FkProcedureDocument *document)
{
  return fk_catalog_pick_language (document->title);
}

const char *
fk_procedure_document_get_title_in (const FkProcedureDocument *document, const char *language)
{
  return fk_catalog_pick_language_in (document->title, language);
}

gboolean
fk_procedure_document_get_required (const FkProcedureDocument *document)
{
  return document->required;
}

FkDocumentHandling
fk_procedure_document_get_handling (const FkProcedureDocument *document)
{
  return document->handling;
}
