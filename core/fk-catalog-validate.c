/* fk-catalog-validate.c: checking a filled-in form against its procedure
 *
 * The rules come from the catalog (see fk-catalog-procedure.c); each
 * problem names the field by its label and its name, so an officer can
 * find it on the form and a developer in the catalog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>

#include "fk-admin-units.h"
#include "fk-catalog-private.h"
#include "fk-cccd.h"
#include "fk-core-error.h"
#include "fk-json-private.h"
#include "fk-text.h"

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
validate_date (const FkProcedureField *field, const char *s, GError **error)
{
  GDate date, today;

  if (s == NULL || !fk_iso_date_parse (s, &date))
    return field_error (error, field, _ ("must be a real date written YYYY-MM-DD"));
  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  if (field->past_only && g_date_compare (&date, &today) > 0)
    return field_error (error, field, _ ("cannot be in the future"));
  return TRUE;
}

static gboolean
validate_choice (const FkProcedureField *field, const char *s, GError **error)
{
  g_autofree char *list = NULL;

  if (s != NULL && g_strv_contains ((const char *const *) field->choices, s))
    return TRUE;
  list = g_strjoinv (", ", field->choices);
  return field_error (error, field, _ ("must be one of: %s"), list);
}

static gboolean
validate_citizen_id (const FkProcedureField *field, const char *s, GError **error)
{
  char province[4];

  if (s == NULL || strlen (s) != 12 || !fk_text_is_digits (s, 12))
    return field_error (error, field, _ ("must be a 12-digit citizen ID number"));
  memcpy (province, s, 3);
  province[3] = '\0';
  if (fk_cccd_province_name (province) == NULL)
    return field_error (error, field, _ ("does not start with a known province code (%s)"),
                        province);
  return TRUE;
}

static gboolean
validate_integer (const FkProcedureField *field, JsonNode *node, GError **error)
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

static gboolean
validate_commune (const FkProcedureField *field, const char *s, GError **error)
{
  FkAdminUnits *units = fk_admin_units_get_default (NULL);
  const FkAdminUnit *unit = units != NULL && s != NULL ? fk_admin_units_lookup (units, s) : NULL;

  if (unit == NULL || unit->level != FK_ADMIN_LEVEL_COMMUNE)
    return field_error (error, field, _ ("must be the 5-digit code of a commune"));
  return TRUE;
}

static gboolean
validate_field (const FkProcedureField *field, JsonNode *node, GError **error)
{
  const char *s = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                    ? json_node_get_string (node)
                    : NULL;

  switch (field->type)
    {
      case FK_FIELD_TEXT:
        if (s == NULL)
          return field_error (error, field, _ ("must be text"));
        return validate_string (field, s, error);

      case FK_FIELD_DIGITS:
        if (s == NULL || !fk_text_is_digits (s, strlen (s)))
          return field_error (error, field, _ ("must contain digits only"));
        return validate_string (field, s, error);

      case FK_FIELD_DATE:
        return validate_date (field, s, error);

      case FK_FIELD_CHOICE:
        return validate_choice (field, s, error);

      case FK_FIELD_CITIZEN_ID:
        return validate_citizen_id (field, s, error);

      case FK_FIELD_PHONE:
        if (s == NULL || !fk_phone_is_valid (s))
          return field_error (error, field, _ ("must be a phone number such as 0912345678"));
        return TRUE;

      case FK_FIELD_INTEGER:
        return validate_integer (field, node, error);

      case FK_FIELD_COMMUNE:
        return validate_commune (field, s, error);

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
