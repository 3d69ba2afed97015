/* fk-intake-form.c: the procedure of an intake and the answers to its form
 *
 * Answers are kept as entered (a date as typed, a half-typed number too),
 * so a draft gives back what the officer saw; fk_intake_collect_fields()
 * turns them into what the catalog expects and has the catalog check them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-intake-private.h"

/* Returns: (transfer none) (nullable) */
FkProcedure *
fk_intake_get_procedure (FkIntake *self)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), NULL);
  return self->procedure;
}

/* The visit's hamlet and commune go into the fields that ask for them,
 * unless the officer typed something there already. */
static void
prefill (FkIntake *self, const char *field, const char *value)
{
  FkProcedureField *f = fk_procedure_find_field (self->procedure, field);
  const char *now = g_hash_table_lookup (self->answers, field);
  FkFieldType type;

  if (f == NULL || value == NULL || (now != NULL && *now != '\0'))
    return;
  type = fk_procedure_field_get_field_type (f);
  if (type == FK_FIELD_CHOICE || type == FK_FIELD_BOOLEAN)
    return;
  g_hash_table_insert (self->answers, g_strdup (field), g_strdup (value));
}

/**
 * fk_intake_set_procedure:
 * @code: a catalog code
 *
 * Chooses the procedure. The same one again keeps its answers and photos;
 * another one starts its form afresh, with the visit's hamlet and commune
 * filled in.
 *
 * Returns: %FALSE when the catalog has no such procedure
 */
gboolean
fk_intake_set_procedure (FkIntake *self, const char *code)
{
  FkProcedure *procedure;

  g_return_val_if_fail (FK_IS_INTAKE (self), FALSE);

  procedure =
    self->catalog != NULL && code != NULL ? fk_catalog_lookup (self->catalog, code) : NULL;
  if (procedure == NULL)
    return FALSE;
  if (procedure == self->procedure)
    return TRUE;
  g_set_object (&self->procedure, procedure);
  g_hash_table_remove_all (self->answers);
  g_hash_table_remove_all (self->photos);
  if (self->visit != NULL)
    {
      prefill (self, "hamlet", fk_visit_get_hamlet (self->visit));
      prefill (self, "commune_code", fk_visit_get_commune_code (self->visit));
    }
  fk_intake_notify (self, PROP_PROCEDURE);
  fk_intake_notify (self, PROP_ANSWERS);
  fk_intake_notify (self, PROP_PHOTOS);
  return TRUE;
}

/**
 * fk_intake_get_answer:
 * @field: a field of the procedure
 *
 * Returns: (transfer none) (nullable): the answer as entered: the text
 *   typed, a choice's value, "true" for a boolean that is on
 */
const char *
fk_intake_get_answer (FkIntake *self, const char *field)
{
  g_return_val_if_fail (FK_IS_INTAKE (self), NULL);
  return g_hash_table_lookup (self->answers, field);
}

/**
 * fk_intake_set_answer:
 * @value: (nullable): as fk_intake_get_answer() returns it; checked by
 *   fk_intake_collect_fields(), not here, so a half-typed value is kept
 */
void
fk_intake_set_answer (FkIntake *self, const char *field, const char *value)
{
  g_return_if_fail (FK_IS_INTAKE (self));
  g_return_if_fail (field != NULL);

  if (g_strcmp0 (g_hash_table_lookup (self->answers, field), value) == 0)
    return;
  if (value == NULL)
    g_hash_table_remove (self->answers, field);
  else
    g_hash_table_insert (self->answers, g_strdup (field), g_strdup (value));
  fk_intake_notify (self, PROP_ANSWERS);
}

/* dd/mm/yyyy (as typed) or YYYY-MM-DD; anything else is passed on as typed
 * for the catalog's check to name. */
static char *
to_iso_date (const char *text)
{
  int d, m, y;

  if (sscanf (text, "%d/%d/%d", &d, &m, &y) == 3 && g_date_valid_dmy (d, m, y))
    return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
  return g_strdup (text);
}

/* One answer as the catalog expects it, or FALSE with @error. */
static gboolean
add_field (JsonObject *values, const FkProcedureField *field, const char *answer, GError **error)
{
  const char *name = fk_procedure_field_get_name (field);
  FkFieldType type = fk_procedure_field_get_field_type (field);
  g_autofree char *text = g_strstrip (g_strdup (answer != NULL ? answer : ""));
  gint64 n;

  if (type == FK_FIELD_BOOLEAN)
    json_object_set_boolean_member (values, name, g_strcmp0 (answer, "true") == 0);
  else if (*text == '\0')
    return TRUE;
  else if (type == FK_FIELD_CHOICE)
    json_object_set_string_member (values, name, text);
  else if (type == FK_FIELD_INTEGER)
    {
      if (!g_ascii_string_to_signed (text, 10, 0, G_MAXINT32, &n, NULL))
        {
          g_set_error (error, FK_INTAKE_ERROR, FK_INTAKE_ERROR_FORM,
                       _ ("“%s” must be a whole number."), fk_procedure_field_get_label (field));
          return FALSE;
        }
      json_object_set_int_member (values, name, n);
    }
  else if (type == FK_FIELD_DATE)
    {
      g_autofree char *iso = to_iso_date (text);

      json_object_set_string_member (values, name, iso);
    }
  else
    json_object_set_string_member (values, name, text);
  return TRUE;
}

/**
 * fk_intake_collect_fields:
 *
 * Returns: (transfer full) (nullable): the answers as the catalog expects
 *   them (dates YYYY-MM-DD, whole numbers, booleans), or %NULL with
 *   @error: %FK_INTAKE_ERROR_NO_PROCEDURE, or %FK_INTAKE_ERROR_FORM naming
 *   the first field to correct
 */
JsonObject *
fk_intake_collect_fields (FkIntake *self, GError **error)
{
  g_autoptr (JsonObject) values = NULL;
  g_autoptr (GError) local = NULL;
  GPtrArray *fields;

  g_return_val_if_fail (FK_IS_INTAKE (self), NULL);

  if (!fk_intake_check_procedure (self, error))
    return NULL;
  values = json_object_new ();
  fields = fk_procedure_get_fields (self->procedure);
  for (guint i = 0; i < fields->len; i++)
    {
      const FkProcedureField *field = g_ptr_array_index (fields, i);

      if (!add_field (values, field,
                      g_hash_table_lookup (self->answers, fk_procedure_field_get_name (field)),
                      error))
        return NULL;
    }
  if (!fk_procedure_validate_fields (self->procedure, values, &local))
    {
      g_set_error_literal (error, FK_INTAKE_ERROR, FK_INTAKE_ERROR_FORM, local->message);
      return NULL;
    }
  return g_steal_pointer (&values);
}
