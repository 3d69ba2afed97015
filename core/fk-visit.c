/* fk-visit.c: one outreach morning in one hamlet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>

#include "fk-admin-units.h"
#include "fk-core-error.h"
#include "fk-json-private.h"
#include "fk-text.h"
#include "fk-visit.h"

struct _FkVisit
{
  GObject parent_instance;

  char *id;
  char *date;
  char *commune_code;
  char *hamlet;
  GPtrArray *team; /* NULL-terminated char * */
};

G_DEFINE_FINAL_TYPE (FkVisit, fk_visit, G_TYPE_OBJECT)

static void
fk_visit_finalize (GObject *object)
{
  FkVisit *self = FK_VISIT (object);

  g_free (self->id);
  g_free (self->date);
  g_free (self->commune_code);
  g_free (self->hamlet);
  g_ptr_array_unref (self->team);
  G_OBJECT_CLASS (fk_visit_parent_class)->finalize (object);
}

static void
fk_visit_class_init (FkVisitClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fk_visit_finalize;
}

static void
fk_visit_init (FkVisit *self)
{
  self->team = g_ptr_array_new_null_terminated (4, g_free, TRUE);
}

/**
 * fk_visit_new:
 * @date: YYYY-MM-DD
 * @commune_code: the 5-digit code of the commune (2025 units)
 * @hamlet: the hamlet (thôn, bản) visited
 *
 * Returns: (transfer full): a visit with a random UUID
 */
FkVisit *
fk_visit_new (const char *date, const char *commune_code, const char *hamlet)
{
  FkVisit *self = g_object_new (FK_TYPE_VISIT, NULL);

  self->id = g_uuid_string_random ();
  self->date = g_strdup (date);
  self->commune_code = g_strdup (commune_code);
  self->hamlet = hamlet != NULL ? fk_text_normalize (hamlet) : NULL;
  return self;
}

const char *
fk_visit_get_id (FkVisit *self)
{
  g_return_val_if_fail (FK_IS_VISIT (self), NULL);
  return self->id;
}

const char *
fk_visit_get_date (FkVisit *self)
{
  g_return_val_if_fail (FK_IS_VISIT (self), NULL);
  return self->date;
}

const char *
fk_visit_get_commune_code (FkVisit *self)
{
  g_return_val_if_fail (FK_IS_VISIT (self), NULL);
  return self->commune_code;
}

const char *
fk_visit_get_hamlet (FkVisit *self)
{
  g_return_val_if_fail (FK_IS_VISIT (self), NULL);
  return self->hamlet;
}

/**
 * fk_visit_get_team:
 *
 * Returns: (transfer none) (array zero-terminated=1): the team members' names
 */
const char *const *
fk_visit_get_team (FkVisit *self)
{
  g_return_val_if_fail (FK_IS_VISIT (self), NULL);
  return (const char *const *) self->team->pdata;
}

void
fk_visit_add_team_member (FkVisit *self, const char *name)
{
  g_autofree char *norm = NULL;

  g_return_if_fail (FK_IS_VISIT (self));
  g_return_if_fail (name != NULL);
  norm = fk_text_normalize (name);
  if (norm != NULL && *norm != '\0')
    g_ptr_array_add (self->team, g_steal_pointer (&norm));
}

static const char *const members[] = {
  "schema", "id", "date", "commune_code", "hamlet", "team", NULL,
};

/* The team's names, optional. */
static gboolean
read_team (FkVisit *self, JsonObject *obj, GError **error)
{
  JsonNode *team = json_object_get_member (obj, "team");
  JsonArray *array;

  if (team == NULL || JSON_NODE_HOLDS_NULL (team))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (team))
    return fk_json_error (error, "visit.team", _ ("must be a list of names"));
  array = json_node_get_array (team);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *member = json_array_get_element (array, i);
      g_autofree char *name = NULL;

      if (JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING)
        name = fk_text_normalize (json_node_get_string (member));
      if (name == NULL || *name == '\0')
        {
          g_autofree char *where = g_strdup_printf ("visit.team[%u]", i);

          return fk_json_error (error, where, _ ("must be a name"));
        }
      g_ptr_array_add (self->team, g_steal_pointer (&name));
    }
  return TRUE;
}

/**
 * fk_visit_new_from_json:
 * @node: a JSON object as fk_visit_to_json() writes it; `id` may be left
 *   out (a new UUID)
 * @error: return location for an error naming the member that is wrong
 *
 * Returns: (transfer full) (nullable): the visit
 */
FkVisit *
fk_visit_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr (FkVisit) self = NULL;
  g_autoptr (GError) local_error = NULL;
  FkAdminUnits *units;
  const FkAdminUnit *commune;
  JsonObject *obj;
  const char *id, *date, *commune_code, *hamlet;
  GDate parsed;

  if (!fk_json_expect_object (node, "visit", &obj, error) ||
      !fk_json_check_schema (obj, "visit", FK_VISIT_SCHEMA, error) ||
      !fk_json_check_members (obj, "visit", members, error) ||
      !fk_json_get_string (obj, "visit", "id", &id, error) ||
      !fk_json_get_string (obj, "visit", "date", &date, error) ||
      !fk_json_get_string (obj, "visit", "commune_code", &commune_code, error) ||
      !fk_json_get_string (obj, "visit", "hamlet", &hamlet, error))
    return NULL;

  if (id != NULL && !g_uuid_string_is_valid (id))
    {
      fk_json_error (error, "visit.id", _ ("must be a UUID"));
      return NULL;
    }
  if (!fk_iso_date_parse (date, &parsed))
    {
      fk_json_error (error, "visit.date", _ ("must be a real date written YYYY-MM-DD"));
      return NULL;
    }
  units = fk_admin_units_get_default (&local_error);
  if (units == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  commune = fk_admin_units_lookup (units, commune_code);
  if (commune == NULL || commune->level != FK_ADMIN_LEVEL_COMMUNE)
    {
      fk_json_error (error, "visit.commune_code", _ ("must be the 5-digit code of a commune"));
      return NULL;
    }

  self = fk_visit_new (date, commune_code, hamlet);
  if (id != NULL)
    {
      g_free (self->id);
      self->id = g_ascii_strdown (id, -1);
    }
  if (self->hamlet == NULL || *self->hamlet == '\0' || g_utf8_strlen (self->hamlet, -1) > 100)
    {
      fk_json_error (error, "visit.hamlet", _ ("must be a name of 1 to 100 characters"));
      return NULL;
    }

  if (!read_team (self, obj, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * fk_visit_to_json:
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
fk_visit_to_json (FkVisit *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (FK_IS_VISIT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, FK_VISIT_SCHEMA);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, self->date);
  json_builder_set_member_name (builder, "commune_code");
  json_builder_add_string_value (builder, self->commune_code);
  json_builder_set_member_name (builder, "hamlet");
  json_builder_add_string_value (builder, self->hamlet);
  json_builder_set_member_name (builder, "team");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->team->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (self->team, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
