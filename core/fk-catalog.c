/* fk-catalog.c: the commune procedures a team takes on in the field
 *
 * The catalog is a versioned list of procedures (see fk-catalog-procedure.c),
 * shipped as a resource and later updated from the server. A catalog is
 * read whole or refused: a mistake anywhere names where it is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>

#include "fk-catalog-private.h"
#include "fk-core-error.h"
#include "fk-core-init.h"
#include "fk-json-private.h"

#define CATALOG_RESOURCE "/vn/fieldkit/core/data/catalog.json"

struct _FkCatalog
{
  GObject parent_instance;

  char *version;
  GPtrArray *procedures; /* FkProcedure */
  GHashTable *by_code;   /* code → FkProcedure (borrowed) */
};

G_DEFINE_FINAL_TYPE (FkCatalog, fk_catalog, G_TYPE_OBJECT)

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

/**
 * fk_catalog_pick_language_in:
 * @text: (nullable): a string, or an object of strings by language code
 * @language: the language wanted ("vi", "en"), whatever the process's
 *
 * For a program that answers people in several languages at once (the
 * commune's office): the text in @language, falling back to Vietnamese,
 * then to any language present.
 *
 * Returns: (transfer none) (nullable): the text
 */
const char *
fk_catalog_pick_language_in (JsonNode *text, const char *language)
{
  JsonObject *obj;
  JsonNode *node;
  g_autoptr (GList) members = NULL;

  if (text == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (text) && json_node_get_value_type (text) == G_TYPE_STRING)
    return json_node_get_string (text);
  if (!JSON_NODE_HOLDS_OBJECT (text))
    return NULL;
  obj = json_node_get_object (text);
  node = language != NULL ? json_object_get_member (obj, language) : NULL;
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
    return json_node_get_string (node);
  if (json_object_has_member (obj, "vi"))
    return json_object_get_string_member (obj, "vi");
  members = json_object_get_values (obj);
  return members != NULL ? json_node_get_string (members->data) : NULL;
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

/* Sets an FK_CORE_ERROR_INVALID_DATA error saying where in the catalog
 * (a procedure, a member) and what is wrong. */
gboolean
fk_catalog_error (GError **error, const char *where, const char *format, ...)
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

/**
 * fk_catalog_version_is_valid:
 * @version: (nullable): a catalog version
 *
 * A version is whole numbers separated by dots ("2026.11.1"): at most 8
 * numbers of at most 9 digits each, so that versions compare as numbers.
 *
 * Returns: %TRUE when @version is written so
 */
gboolean
fk_catalog_version_is_valid (const char *version)
{
  guint parts = 0;
  const char *p = version;

  if (version == NULL || *version == '\0')
    return FALSE;
  while (TRUE)
    {
      guint digits = 0;

      while (g_ascii_isdigit (p[digits]))
        digits++;
      if (digits == 0 || digits > 9 || ++parts > 8)
        return FALSE;
      p += digits;
      if (*p == '\0')
        return TRUE;
      if (*p != '.')
        return FALSE;
      p++;
    }
}

/**
 * fk_catalog_version_compare:
 * @a: a valid catalog version
 * @b: another
 *
 * Compares number by number: "2026.12.1" is newer than "2026.9.3", and
 * "2026.11" older than "2026.11.1".
 *
 * Returns: less than, equal to or greater than 0 as @a is older than, the
 *   same as or newer than @b
 */
int
fk_catalog_version_compare (const char *a, const char *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, 0);

  while (*a != '\0' || *b != '\0')
    {
      guint64 x = *a != '\0' ? g_ascii_strtoull (a, (char **) &a, 10) : 0;
      guint64 y = *b != '\0' ? g_ascii_strtoull (b, (char **) &b, 10) : 0;

      if (x != y)
        return x < y ? -1 : 1;
      if (*a == '.')
        a++;
      if (*b == '.')
        b++;
      /* "2026.11" against "2026.11.0": the shorter one is older. */
      if (*a == '\0' && *b != '\0')
        return -1;
      if (*b == '\0' && *a != '\0')
        return 1;
    }
  return 0;
}

/* The root object's format and version. */
static gboolean
read_header (JsonObject *obj, const char **version, GError **error)
{
  gboolean has_schema;
  gint64 schema = 0;

  if (!fk_json_get_int (obj, "", "schema", &schema, &has_schema, NULL) || !has_schema || schema < 1)
    return fk_catalog_error (error, "schema", _ ("“schema” must be a positive whole number"));
  if (schema > FK_CATALOG_SCHEMA)
    {
      g_set_error (error, FK_CORE_ERROR, FK_CORE_ERROR_UNSUPPORTED_VERSION,
                   _ ("The procedure catalog uses format %lld, newer than this FieldKit "
                      "understands (%d): update FieldKit."),
                   (long long) schema, FK_CATALOG_SCHEMA);
      return FALSE;
    }
  fk_json_get_string (obj, "", "version", version, NULL);
  if (*version == NULL || **version == '\0')
    return fk_catalog_error (error, "version", _ ("the catalog has no version"));
  if (!fk_catalog_version_is_valid (*version))
    return fk_catalog_error (error, "version",
                             _ ("“%s” is not a version: write whole numbers separated by dots, "
                                "such as 2026.12.1"),
                             *version);
  return TRUE;
}

/* Nothing the format does not have: a misspelt member is a mistake. */
static gboolean
check_root_members (JsonObject *obj, GError **error)
{
  static const char *const members[] = { "schema", "version", "description", "procedures", NULL };
  g_autoptr (GList) names = json_object_get_members (obj);

  for (GList *l = names; l != NULL; l = l->next)
    if (!g_strv_contains (members, l->data))
      return fk_catalog_error (error, "/", _ ("unknown member “%s”"), (const char *) l->data);
  return TRUE;
}

/* The procedures, each code once. */
static gboolean
read_procedures (FkCatalog *self, JsonObject *obj, GError **error)
{
  JsonNode *member = json_object_get_member (obj, "procedures");
  JsonArray *array;

  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member) ||
      json_array_get_length (json_node_get_array (member)) == 0)
    return fk_catalog_error (error, "procedures", _ ("the catalog lists no procedures"));
  array = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      FkProcedure *procedure =
        fk_procedure_new_from_json (json_array_get_element (array, i), i, error);
      const char *code;

      if (procedure == NULL)
        return FALSE;
      code = fk_procedure_get_code (procedure);
      if (g_hash_table_contains (self->by_code, code))
        {
          fk_catalog_error (error, code, _ ("the procedure is listed twice"));
          g_object_unref (procedure);
          return FALSE;
        }
      g_ptr_array_add (self->procedures, procedure);
      g_hash_table_insert (self->by_code, (gpointer) code, procedure);
    }
  return TRUE;
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
  const char *version;
  gsize size;
  const char *data;

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
      fk_catalog_error (error, "/", _ ("the catalog must be a JSON object"));
      return NULL;
    }
  if (!read_header (json_node_get_object (root), &version, error) ||
      !check_root_members (json_node_get_object (root), error))
    return NULL;
  self = g_object_new (FK_TYPE_CATALOG, NULL);
  self->version = g_strdup (version);
  if (!read_procedures (self, json_node_get_object (root), error))
    return NULL;
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
