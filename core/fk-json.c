/* fk-json.c: what the core's JSON models share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>

#include "fk-cccd.h"
#include "fk-core-error.h"
#include "fk-json-private.h"
#include "fk-json.h"
#include "fk-text.h"

static gboolean G_GNUC_PRINTF (3, 0)
  set_invalid_data (GError **error, const char *where, const char *format, va_list args)
{
  g_autofree char *rule = g_strdup_vprintf (format, args);

  /* Translators: a JSON member such as citizen.birth_date, then what is wrong with it */
  g_set_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA, _ ("%s: %s"), where, rule);
  return FALSE;
}

/* Sets an FK_CORE_ERROR_INVALID_DATA error naming the JSON member at @path
 * ("citizen.birth_date") and the rule it breaks. */
gboolean
fk_json_error (GError **error, const char *path, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  set_invalid_data (error, path, format, args);
  va_end (args);
  return FALSE;
}

/* The same for the member @name of the object at @path ("attachments[0]"
 * and "sha256"). */
gboolean
fk_json_member_error (GError **error, const char *path, const char *name, const char *format, ...)
{
  g_autofree char *where = g_strdup_printf ("%s.%s", path, name);
  va_list args;

  va_start (args, format);
  set_invalid_data (error, where, format, args);
  va_end (args);
  return FALSE;
}

gboolean
fk_json_expect_object (JsonNode *node, const char *path, JsonObject **obj, GError **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return fk_json_error (error, path, _ ("must be a JSON object"));
  *obj = json_node_get_object (node);
  return TRUE;
}

/* A missing "schema" means version 1, so hand-written files stay short. */
gboolean
fk_json_check_schema (JsonObject *obj, const char *path, gint64 newest, GError **error)
{
  g_autofree char *where = g_strdup_printf ("%s.schema", path);
  JsonNode *node = json_object_get_member (obj, "schema");
  gint64 schema;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      (schema = json_node_get_int (node)) < 1)
    return fk_json_error (error, where, _ ("must be a positive whole number"));
  if (schema > newest)
    {
      g_set_error (error, FK_CORE_ERROR, FK_CORE_ERROR_UNSUPPORTED_VERSION,
                   _ ("%s: format version %lld is newer than this FieldKit understands (%lld): "
                      "update FieldKit."),
                   path, (long long) schema, (long long) newest);
      return FALSE;
    }
  return TRUE;
}

/* Unknown members are refused rather than dropped: in a hand-written file
 * they are typos, and dropping them would lose what the officer typed. */
gboolean
fk_json_check_members (JsonObject *obj, const char *path, const char *const *allowed,
                       GError **error)
{
  g_autoptr (GList) members = json_object_get_members (obj);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return fk_json_error (error, path, _ ("unknown member “%s”"), (const char *) l->data);
  return TRUE;
}

/* The member @name of @obj in *@node when it holds a value of @type,
 * NULL when it is missing or null; a value of another type breaks @rule
 * (untranslated: only an error translates it). */
static gboolean
get_value (JsonObject *obj, const char *path, const char *name, GType type, const char *rule,
           JsonNode **node, GError **error)
{
  *node = json_object_get_member (obj, name);
  if (*node == NULL || JSON_NODE_HOLDS_NULL (*node))
    {
      *node = NULL;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (*node) || json_node_get_value_type (*node) != type)
    {
      *node = NULL;
      return fk_json_member_error (error, path, name, "%s", _ (rule));
    }
  return TRUE;
}

/* The fk_json_get_*() getters: a member that is missing or null leaves
 * *@value alone (fk_json_get_string() sets it to NULL) and sets *@present,
 * when not NULL, to FALSE; a member of another type is an error naming
 * @path.@name. @error may be NULL where the caller words the problem
 * itself. */
gboolean
fk_json_get_string (JsonObject *obj, const char *path, const char *name, const char **value,
                    GError **error)
{
  JsonNode *node;
  gboolean ok = get_value (obj, path, name, G_TYPE_STRING, N_ ("must be text"), &node, error);

  *value = node != NULL ? json_node_get_string (node) : NULL;
  return ok;
}

gboolean
fk_json_get_bool (JsonObject *obj, const char *path, const char *name, gboolean *value,
                  gboolean *present, GError **error)
{
  JsonNode *node;
  gboolean ok =
    get_value (obj, path, name, G_TYPE_BOOLEAN, N_ ("must be true or false"), &node, error);

  if (present != NULL)
    *present = node != NULL;
  if (node != NULL)
    *value = json_node_get_boolean (node);
  return ok;
}

gboolean
fk_json_get_int (JsonObject *obj, const char *path, const char *name, gint64 *value,
                 gboolean *present, GError **error)
{
  JsonNode *node;
  gboolean ok =
    get_value (obj, path, name, G_TYPE_INT64, N_ ("must be a whole number"), &node, error);

  if (present != NULL)
    *present = node != NULL;
  if (node != NULL)
    *value = json_node_get_int (node);
  return ok;
}

/* json_node_copy() shares objects and arrays, and a tree from an immutable
 * parser is sealed: a model that lets callers edit what it holds takes a
 * copy of its own. */
JsonNode *
fk_json_deep_copy (JsonNode *node)
{
  JsonNode *copy;

  if (node == NULL)
    return NULL;
  switch (JSON_NODE_TYPE (node))
    {
      case JSON_NODE_OBJECT:
        {
          JsonObject *src = json_node_get_object (node);
          g_autoptr (JsonObject) dst = json_object_new ();
          g_autoptr (GList) members = json_object_get_members (src);

          for (GList *l = members; l != NULL; l = l->next)
            json_object_set_member (dst, l->data,
                                    fk_json_deep_copy (json_object_get_member (src, l->data)));
          copy = json_node_new (JSON_NODE_OBJECT);
          json_node_set_object (copy, dst);
          return copy;
        }
      case JSON_NODE_ARRAY:
        {
          JsonArray *src = json_node_get_array (node);
          g_autoptr (JsonArray) dst = json_array_sized_new (json_array_get_length (src));

          for (guint i = 0; i < json_array_get_length (src); i++)
            json_array_add_element (dst, fk_json_deep_copy (json_array_get_element (src, i)));
          copy = json_node_new (JSON_NODE_ARRAY);
          json_node_set_array (copy, dst);
          return copy;
        }
      case JSON_NODE_VALUE:
        {
          g_auto (GValue) value = G_VALUE_INIT;

          json_node_get_value (node, &value);
          copy = json_node_new (JSON_NODE_VALUE);
          json_node_set_value (copy, &value);
          return copy;
        }
      case JSON_NODE_NULL:
      default:
        return json_node_new (JSON_NODE_NULL);
    }
}

/* YYYY-MM-DD, a real calendar date from 1800 on. */
gboolean
fk_iso_date_parse (const char *s, GDate *date)
{
  guint y, m, d;

  g_date_clear (date, 1);
  if (s == NULL || strlen (s) != 10 || s[4] != '-' || s[7] != '-' || !fk_text_is_digits (s, 4) ||
      !fk_text_is_digits (s + 5, 2) || !fk_text_is_digits (s + 8, 2))
    return FALSE;
  y = (guint) g_ascii_strtoull (s, NULL, 10);
  m = (guint) g_ascii_strtoull (s + 5, NULL, 10);
  d = (guint) g_ascii_strtoull (s + 8, NULL, 10);
  if (y < 1800 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  g_date_set_dmy (date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

/* Vietnamese numbers: 0 or +84, then 9 digits (mobile) or 10 (landline),
 * never a second leading 0. */
gboolean
fk_phone_is_valid (const char *s)
{
  const char *digits;
  gsize n;

  if (s == NULL)
    return FALSE;
  if (g_str_has_prefix (s, "+84"))
    digits = s + 3;
  else if (s[0] == '0')
    digits = s + 1;
  else
    return FALSE;
  n = strlen (digits);
  return n >= 9 && n <= 10 && fk_text_is_digits (digits, n) && digits[0] != '0';
}

/* A code in a catalog or a dossier: lowercase ASCII letters, digits and
 * the characters of @punctuation, at most 64 bytes. */
gboolean
fk_code_is_valid (const char *s, const char *punctuation)
{
  if (s == NULL || *s == '\0' || strlen (s) > 64)
    return FALSE;
  for (const char *p = s; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && strchr (punctuation, *p) == NULL)
      return FALSE;
  return TRUE;
}

/* 12 digits opening with a province code of Circular 07/2016/TT-BCA. */
gboolean
fk_citizen_id_is_valid (const char *s)
{
  char province[4];

  if (s == NULL || strlen (s) != 12 || !fk_text_is_digits (s, 12))
    return FALSE;
  memcpy (province, s, 3);
  province[3] = '\0';
  return fk_cccd_province_name (province) != NULL;
}

/**
 * fk_json_nesting_within:
 * @data: JSON text, not necessarily valid
 * @length: its length in bytes
 * @max: the deepest nesting of arrays and objects allowed
 *
 * json-glib parses nested containers recursively, so text from outside is
 * checked with this before it reaches the parser: hostile nesting cannot
 * exhaust the stack.
 *
 * Returns: %FALSE when arrays and objects nest deeper than @max
 */
gboolean
fk_json_nesting_within (const char *data, gsize length, guint max)
{
  gboolean in_string = FALSE, escaped = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}
