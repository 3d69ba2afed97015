/* fk-catalog.c: the commune procedures a team takes on in the field
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>

#include "fk-admin-units.h"
#include "fk-catalog.h"
#include "fk-cccd.h"
#include "fk-core-error.h"
#include "fk-core-init.h"
#include "fk-json-private.h"
#include "fk-text.h"

#define CATALOG_RESOURCE "/vn/fieldkit/core/data/catalog.json"

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
};

struct _FkProcedureDocument
{
  char *code;
  JsonNode *title;
  gboolean required;
};

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
};

struct _FkCatalog
{
  GObject parent_instance;

  char *version;
  GPtrArray *procedures; /* FkProcedure */
  GHashTable *by_code;   /* code → FkProcedure (borrowed) */
};

G_DEFINE_FINAL_TYPE (FkProcedure, fk_procedure, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (FkCatalog, fk_catalog, G_TYPE_OBJECT)

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

/**
 * fk_catalog_pick_language:
 * @text: (nullable): a string, or an object of strings by language code
 *   ({"vi": "Đăng ký khai sinh", "en": "Birth registration"})
 *
 * Picks the text in the user's language (as fk_i18n_init() set it), falling
 * back to Vietnamese, then to any language present.
 *
 * Returns: (transfer none) (nullable): the text
 */
const char *
fk_catalog_pick_language (JsonNode *text)
{
  const char *const *langs;
  JsonObject *obj;
  g_autoptr (GList) members = NULL;

  if (text == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (text) && json_node_get_value_type (text) == G_TYPE_STRING)
    return json_node_get_string (text);
  if (!JSON_NODE_HOLDS_OBJECT (text))
    return NULL;

  obj = json_node_get_object (text);
  langs = g_get_language_names ();
  for (guint i = 0; langs[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (obj, langs[i]);

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
        return json_node_get_string (node);
    }
  if (json_object_has_member (obj, "vi"))
    return json_object_get_string_member (obj, "vi");
  members = json_object_get_values (obj);
  return members != NULL ? json_node_get_string (members->data) : NULL;
}

static void
field_free (FkProcedureField *field)
{
  g_free (field->name);
  g_clear_pointer (&field->label, json_node_unref);
  g_free (field->pattern);
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
}

static void
fk_catalog_finalize (GObject *object)
{
  FkCatalog *self = FK_CATALOG (object);

  g_free (self->version);
  g_clear_pointer (&self->by_code, g_hash_table_unref);
  g_clear_pointer (&self->procedures, g_ptr_array_unref);
  G_OBJECT_CLASS (fk_catalog_parent_class)->finalize (object);
}

static void
fk_catalog_class_init (FkCatalogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fk_catalog_finalize;
}

static void
fk_catalog_init (FkCatalog *self)
{
  self->procedures = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_code = g_hash_table_new (g_str_hash, g_str_equal);
}

/* Loading */

static gboolean
is_code (const char *s, const char *punctuation)
{
  if (s == NULL || *s == '\0' || strlen (s) > 64)
    return FALSE;
  for (const char *p = s; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && strchr (punctuation, *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
is_text_node (JsonNode *node)
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

static gboolean G_GNUC_PRINTF (3, 4)
  catalog_error (GError **error, const char *where, const char *format, ...)
{
  va_list args;
  g_autofree char *detail = NULL;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  /* Translators: the first %s says where in the catalog, the second what is wrong */
  g_set_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA,
               _ ("The procedure catalog is damaged (%s): %s"), where, detail);
  return FALSE;
}

static gboolean
get_int_member (JsonObject *obj, const char *name, gboolean *has, gint64 *value)
{
  JsonNode *node = json_object_get_member (obj, name);

  *has = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *has = TRUE;
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_bool_member (JsonObject *obj, const char *name, gboolean *value)
{
  JsonNode *node = json_object_get_member (obj, name);

  *value = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  *value = json_node_get_boolean (node);
  return TRUE;
}

static const char *
get_string_member (JsonObject *obj, const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static FkProcedureField *
load_field (JsonNode *node, const char *where, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  FkProcedureField *field;
  JsonObject *obj;
  JsonNode *choices;
  gboolean has;
  gint64 value;
  const char *type;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      catalog_error (error, where, _ ("a field must be an object"));
      return NULL;
    }
  obj = json_node_get_object (node);
  field = g_new0 (FkProcedureField, 1);
  field->name = g_strdup (get_string_member (obj, "name"));
  if (!is_code (field->name, "_"))
    {
      catalog_error (error, where,
                     _ ("a field name must be lowercase ASCII letters, digits or “_”"));
      goto fail;
    }
  type = get_string_member (obj, "type");
  if (!field_type_from_string (type, &field->type))
    {
      catalog_error (error, where, _ ("field “%s” has an unknown type “%s”"), field->name,
                     type != NULL ? type : "");
      goto fail;
    }
  if (!is_text_node (json_object_get_member (obj, "label")))
    {
      catalog_error (error, where, _ ("field “%s” has no label"), field->name);
      goto fail;
    }
  field->label = json_node_ref (json_object_get_member (obj, "label"));

  if (!get_bool_member (obj, "required", &field->required) ||
      !get_bool_member (obj, "past_only", &field->past_only))
    {
      catalog_error (error, where,
                     _ ("field “%s”: “required” and “past_only” must be true or false"),
                     field->name);
      goto fail;
    }
  if (!get_int_member (obj, "max_length", &has, &value) || (has && (value < 1 || value > 100000)))
    {
      catalog_error (error, where, _ ("field “%s”: “%s” must be a positive number"), field->name,
                     "max_length");
      goto fail;
    }
  field->max_length = has ? (guint) value : 0;
  if (!get_int_member (obj, "min_length", &has, &value) || (has && (value < 0 || value > 100000)))
    {
      catalog_error (error, where, _ ("field “%s”: “%s” must be a positive number"), field->name,
                     "min_length");
      goto fail;
    }
  field->min_length = has ? (guint) value : 0;
  if (!get_int_member (obj, "min", &field->has_min, &field->min) ||
      !get_int_member (obj, "max", &field->has_max, &field->max))
    {
      catalog_error (error, where, _ ("field “%s”: “min” and “max” must be whole numbers"),
                     field->name);
      goto fail;
    }

  field->pattern = g_strdup (get_string_member (obj, "pattern"));
  if (field->pattern != NULL)
    {
      g_autofree char *anchored = g_strdup_printf ("^(?:%s)$", field->pattern);

      field->regex = g_regex_new (anchored, G_REGEX_OPTIMIZE, 0, &local_error);
      if (field->regex == NULL)
        {
          catalog_error (error, where, _ ("field “%s” has a broken pattern: %s"), field->name,
                         local_error->message);
          goto fail;
        }
    }

  choices = json_object_get_member (obj, "choices");
  if (field->type == FK_FIELD_CHOICE)
    {
      JsonArray *array;
      guint n;

      if (choices == NULL || !JSON_NODE_HOLDS_ARRAY (choices) ||
          json_array_get_length (json_node_get_array (choices)) == 0)
        {
          catalog_error (error, where, _ ("choice field “%s” lists no choices"), field->name);
          goto fail;
        }
      array = json_node_get_array (choices);
      n = json_array_get_length (array);
      field->choices = g_new0 (char *, n + 1);
      field->choice_labels = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *choice = json_array_get_element (array, i);
          const char *v;

          if (!JSON_NODE_HOLDS_OBJECT (choice) ||
              !is_code (v = get_string_member (json_node_get_object (choice), "value"), "_-") ||
              !is_text_node (json_object_get_member (json_node_get_object (choice), "label")))
            {
              catalog_error (error, where,
                             _ ("choice %u of field “%s” needs a lowercase “value” and a “label”"),
                             i + 1, field->name);
              goto fail;
            }
          field->choices[i] = g_strdup (v);
          g_ptr_array_add (field->choice_labels, json_node_ref (json_object_get_member (
                                                   json_node_get_object (choice), "label")));
        }
    }
  return field;

fail:
  field_free (field);
  return NULL;
}

static FkProcedure *
load_procedure (JsonNode *node, guint index, GError **error)
{
  g_autoptr (FkProcedure) self = NULL;
  g_autofree char *where = NULL;
  JsonObject *obj;
  JsonNode *member;
  const char *code;

  where = g_strdup_printf ("procedures[%u]", index);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      catalog_error (error, where, _ ("a procedure must be an object"));
      return NULL;
    }
  obj = json_node_get_object (node);
  code = get_string_member (obj, "code");
  if (!is_code (code, "-"))
    {
      catalog_error (error, where,
                     _ ("a procedure code must be lowercase ASCII letters, digits or “-”"));
      return NULL;
    }
  g_free (where);
  where = g_strdup_printf ("“%s”", code);

  self = g_object_new (FK_TYPE_PROCEDURE, NULL);
  self->code = g_strdup (code);
  if (!is_text_node (json_object_get_member (obj, "title")))
    {
      catalog_error (error, where, _ ("the procedure has no title"));
      return NULL;
    }
  self->title = json_node_ref (json_object_get_member (obj, "title"));
  member = json_object_get_member (obj, "description");
  if (member != NULL && is_text_node (member))
    self->description = json_node_ref (member);
  self->legal_basis = g_strdup (get_string_member (obj, "legal_basis"));

  member = json_object_get_member (obj, "submitters");
  if (member != NULL)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (member))
        {
          catalog_error (error, where, _ ("“submitters” must be a list of texts"));
          return NULL;
        }
      array = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *text = json_array_get_element (array, i);

          if (!is_text_node (text))
            {
              catalog_error (error, where, _ ("“submitters” must be a list of texts"));
              return NULL;
            }
          g_ptr_array_add (self->submitters, json_node_ref (text));
        }
    }

  member = json_object_get_member (obj, "documents");
  if (member != NULL)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (member))
        {
          catalog_error (error, where, _ ("“documents” must be a list"));
          return NULL;
        }
      array = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *d = json_array_get_element (array, i);
          FkProcedureDocument *document;
          JsonObject *dobj;

          if (!JSON_NODE_HOLDS_OBJECT (d) ||
              !is_code (get_string_member (json_node_get_object (d), "code"), "-") ||
              !is_text_node (json_object_get_member (json_node_get_object (d), "title")))
            {
              catalog_error (error, where, _ ("document %u needs a “code” and a “title”"), i + 1);
              return NULL;
            }
          dobj = json_node_get_object (d);
          document = g_new0 (FkProcedureDocument, 1);
          document->code = g_strdup (get_string_member (dobj, "code"));
          document->title = json_node_ref (json_object_get_member (dobj, "title"));
          g_ptr_array_add (self->documents, document);
          if (!get_bool_member (dobj, "required", &document->required))
            {
              catalog_error (error, where, _ ("document %u: “required” must be true or false"),
                             i + 1);
              return NULL;
            }
        }
    }

  member = json_object_get_member (obj, "fields");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    {
      catalog_error (error, where, _ ("the procedure has no list of fields"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (member)); i++)
    {
      FkProcedureField *field =
        load_field (json_array_get_element (json_node_get_array (member), i), where, error);

      if (field == NULL)
        return NULL;
      if (fk_procedure_find_field (self, field->name) != NULL)
        {
          catalog_error (error, where, _ ("field “%s” is defined twice"), field->name);
          field_free (field);
          return NULL;
        }
      g_ptr_array_add (self->fields, field);
    }
  return g_steal_pointer (&self);
}

/**
 * fk_catalog_new_from_bytes:
 * @json: the catalog as JSON
 * @error: return location for an error
 *
 * Loads and checks a catalog. A catalog written for a newer FieldKit is
 * refused with %FK_CORE_ERROR_UNSUPPORTED_VERSION; one with a mistake with
 * %FK_CORE_ERROR_INVALID_DATA saying where.
 *
 * Returns: (transfer full) (nullable): the catalog
 */
FkCatalog *
fk_catalog_new_from_bytes (GBytes *json, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (FkCatalog) self = NULL;
  g_autoptr (GError) local_error = NULL;
  JsonNode *root;
  JsonObject *obj;
  JsonNode *member;
  gboolean has_schema;
  gint64 schema = 0;
  gsize size;
  const char *data;
  const char *version;

  g_return_val_if_fail (json != NULL, NULL);

  data = g_bytes_get_data (json, &size);
  if (!json_parser_load_from_data (parser, data != NULL ? data : "", (gssize) size, &local_error))
    {
      g_set_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA,
                   _ ("The procedure catalog is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      catalog_error (error, "/", _ ("the catalog must be a JSON object"));
      return NULL;
    }
  obj = json_node_get_object (root);
  if (!get_int_member (obj, "schema", &has_schema, &schema) || !has_schema || schema < 1)
    {
      catalog_error (error, "schema", _ ("“schema” must be a positive whole number"));
      return NULL;
    }
  if (schema > FK_CATALOG_SCHEMA)
    {
      g_set_error (error, FK_CORE_ERROR, FK_CORE_ERROR_UNSUPPORTED_VERSION,
                   _ ("The procedure catalog uses format %lld, newer than this FieldKit "
                      "understands (%d): update FieldKit."),
                   (long long) schema, FK_CATALOG_SCHEMA);
      return NULL;
    }
  version = get_string_member (obj, "version");
  if (version == NULL || *version == '\0')
    {
      catalog_error (error, "version", _ ("the catalog has no version"));
      return NULL;
    }

  self = g_object_new (FK_TYPE_CATALOG, NULL);
  self->version = g_strdup (version);
  member = json_object_get_member (obj, "procedures");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member) ||
      json_array_get_length (json_node_get_array (member)) == 0)
    {
      catalog_error (error, "procedures", _ ("the catalog lists no procedures"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (member)); i++)
    {
      FkProcedure *procedure =
        load_procedure (json_array_get_element (json_node_get_array (member), i), i, error);

      if (procedure == NULL)
        return NULL;
      if (g_hash_table_contains (self->by_code, procedure->code))
        {
          catalog_error (error, procedure->code, _ ("the procedure is listed twice"));
          g_object_unref (procedure);
          return NULL;
        }
      g_ptr_array_add (self->procedures, procedure);
      g_hash_table_insert (self->by_code, procedure->code, procedure);
    }
  return g_steal_pointer (&self);
}

/**
 * fk_catalog_new_default:
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the catalog shipped with FieldKit
 */
FkCatalog *
fk_catalog_new_default (GError **error)
{
  g_autoptr (GBytes) bytes = NULL;

  fk_core_ensure_resources ();
  bytes = g_resources_lookup_data (CATALOG_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;
  return fk_catalog_new_from_bytes (bytes, error);
}

const char *
fk_catalog_get_version (FkCatalog *self)
{
  g_return_val_if_fail (FK_IS_CATALOG (self), NULL);
  return self->version;
}

/**
 * fk_catalog_get_procedures:
 *
 * Returns: (transfer container) (element-type FkProcedure): the procedures
 *   in catalog order
 */
GPtrArray *
fk_catalog_get_procedures (FkCatalog *self)
{
  GPtrArray *out;

  g_return_val_if_fail (FK_IS_CATALOG (self), NULL);
  out = g_ptr_array_new_full (self->procedures->len, g_object_unref);
  for (guint i = 0; i < self->procedures->len; i++)
    g_ptr_array_add (out, g_object_ref (g_ptr_array_index (self->procedures, i)));
  return out;
}

/**
 * fk_catalog_lookup:
 *
 * Returns: (transfer none) (nullable): the procedure with @code
 */
FkProcedure *
fk_catalog_lookup (FkCatalog *self, const char *code)
{
  g_return_val_if_fail (FK_IS_CATALOG (self), NULL);
  if (code == NULL)
    return NULL;
  return g_hash_table_lookup (self->by_code, code);
}

/* Procedures */

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

gboolean
fk_procedure_document_get_required (const FkProcedureDocument *document)
{
  return document->required;
}

/* Validation */

static gboolean G_GNUC_PRINTF (3, 4)
  field_error (GError **error, const FkProcedureField *field, const char *format, ...)
{
  va_list args;
  g_autofree char *rule = NULL;

  va_start (args, format);
  rule = g_strdup_vprintf (format, args);
  va_end (args);
  /* Translators: “label” (field_name): what is wrong */
  g_set_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA, _ ("“%s” (%s): %s"),
               fk_procedure_field_get_label (field), field->name, rule);
  return FALSE;
}

static gboolean
is_blank (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);

      while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
      return *s == '\0';
    }
  return FALSE;
}

static gboolean
validate_string (const FkProcedureField *field, const char *s, GError **error)
{
  glong chars = g_utf8_strlen (s, -1);

  if (field->max_length > 0 && chars > (glong) field->max_length)
    return field_error (error, field, _ ("at most %u characters, this has %ld"), field->max_length,
                        chars);
  if (chars < (glong) field->min_length)
    return field_error (error, field, _ ("at least %u characters"), field->min_length);
  if (field->regex != NULL && !g_regex_match (field->regex, s, 0, NULL))
    return field_error (error, field, _ ("not in the expected form"));
  return TRUE;
}

static gboolean
validate_field (const FkProcedureField *field, JsonNode *node, GError **error)
{
  gboolean is_string =
    JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
  const char *s = is_string ? json_node_get_string (node) : NULL;

  switch (field->type)
    {
      case FK_FIELD_TEXT:
        if (!is_string)
          return field_error (error, field, _ ("must be text"));
        return validate_string (field, s, error);

      case FK_FIELD_DIGITS:
        if (!is_string || !fk_text_is_digits (s, strlen (s)))
          return field_error (error, field, _ ("must contain digits only"));
        return validate_string (field, s, error);

      case FK_FIELD_DATE:
        {
          GDate date, today;

          if (!is_string || !fk_iso_date_parse (s, &date))
            return field_error (error, field, _ ("must be a real date written YYYY-MM-DD"));
          g_date_clear (&today, 1);
          g_date_set_time_t (&today, time (NULL));
          if (field->past_only && g_date_compare (&date, &today) > 0)
            return field_error (error, field, _ ("cannot be in the future"));
          return TRUE;
        }

      case FK_FIELD_CHOICE:
        if (is_string && g_strv_contains ((const char *const *) field->choices, s))
          return TRUE;
        {
          g_autofree char *list = g_strjoinv (", ", field->choices);

          return field_error (error, field, _ ("must be one of: %s"), list);
        }

      case FK_FIELD_CITIZEN_ID:
        if (!is_string || strlen (s) != 12 || !fk_text_is_digits (s, 12))
          return field_error (error, field, _ ("must be a 12-digit citizen ID number"));
        {
          char province[4] = { s[0], s[1], s[2], '\0' };

          if (fk_cccd_province_name (province) == NULL)
            return field_error (error, field, _ ("does not start with a known province code (%s)"),
                                province);
        }
        return TRUE;

      case FK_FIELD_PHONE:
        if (!is_string || !fk_phone_is_valid (s))
          return field_error (error, field, _ ("must be a phone number such as 0912345678"));
        return TRUE;

      case FK_FIELD_INTEGER:
        {
          gint64 v;

          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
            return field_error (error, field, _ ("must be a whole number"));
          v = json_node_get_int (node);
          if (field->has_min && v < field->min)
            return field_error (error, field, _ ("must be at least %lld"), (long long) field->min);
          if (field->has_max && v > field->max)
            return field_error (error, field, _ ("must be at most %lld"), (long long) field->max);
          return TRUE;
        }

      case FK_FIELD_COMMUNE:
        {
          FkAdminUnits *units = fk_admin_units_get_default (NULL);
          const FkAdminUnit *unit =
            units != NULL && is_string ? fk_admin_units_lookup (units, s) : NULL;

          if (unit == NULL || unit->level != FK_ADMIN_LEVEL_COMMUNE)
            return field_error (error, field, _ ("must be the 5-digit code of a commune"));
          return TRUE;
        }

      case FK_FIELD_BOOLEAN:
        if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
          return field_error (error, field, _ ("must be yes or no (true or false)"));
        return TRUE;

      default:
        g_assert_not_reached ();
    }
}

/**
 * fk_procedure_validate_fields:
 * @self: a procedure
 * @fields: the form's values by field name
 * @error: return location for an error
 *
 * Checks a filled-in form against the procedure: required fields present,
 * values of the right type and form, no field the procedure does not have.
 * The first problem found, in form order, is reported as
 * %FK_CORE_ERROR_INVALID_DATA naming the field and the rule.
 *
 * Returns: %TRUE when the form can be submitted
 */
gboolean
fk_procedure_validate_fields (FkProcedure *self, JsonObject *fields, GError **error)
{
  g_autoptr (GList) names = NULL;

  g_return_val_if_fail (FK_IS_PROCEDURE (self), FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  names = json_object_get_members (fields);
  for (GList *l = names; l != NULL; l = l->next)
    if (fk_procedure_find_field (self, l->data) == NULL)
      {
        g_set_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA,
                     _ ("Field “%s” is not part of the procedure “%s”."), (const char *) l->data,
                     fk_procedure_get_title (self));
        return FALSE;
      }

  for (guint i = 0; i < self->fields->len; i++)
    {
      FkProcedureField *field = g_ptr_array_index (self->fields, i);
      JsonNode *node = json_object_get_member (fields, field->name);

      if (is_blank (node))
        {
          if (field->required)
            {
              g_set_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA,
                           _ ("Missing required field “%s” (%s)."),
                           fk_procedure_field_get_label (field), field->name);
              return FALSE;
            }
          continue;
        }
      if (!validate_field (field, node, error))
        return FALSE;
    }
  return TRUE;
}
