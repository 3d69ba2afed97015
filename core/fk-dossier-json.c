/* fk-dossier-json.c: a dossier as JSON
 *
 * What a dossier's JSON may hold is checked member by member as it is
 * read, and a mistake names its member ("attachments[0].sha256"): the text
 * may come from an intake script or from another device. The form's
 * fields are checked against the procedure only by fk_dossier_validate().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>

#include "fk-citizen-private.h"
#include "fk-core-error.h"
#include "fk-dossier-private.h"
#include "fk-json-private.h"
#include "fk-json.h"

static gboolean
is_sha256 (const char *s)
{
  if (strlen (s) != 64)
    return FALSE;
  for (const char *p = s; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

static const char *const attachment_members[] = { "kind",   "name",     "path", "size",
                                                  "sha256", "document", NULL };

/* The file's name (from its path when it has none), never a path. */
static gboolean
attachment_read_name (FkAttachment *attachment, const char *name, const char *file,
                      const char *path, GError **error)
{
  if (file != NULL && *file == '\0')
    file = NULL;
  if (name == NULL && file == NULL)
    return fk_json_error (error, path, _ ("needs a “name” or a “path”"));
  attachment->path = g_strdup (file);
  attachment->name = name != NULL ? g_strdup (name) : g_path_get_basename (file);
  if (*attachment->name == '\0' || strchr (attachment->name, '/') != NULL ||
      g_str_equal (attachment->name, ".") || g_str_equal (attachment->name, ".."))
    return fk_json_member_error (error, path, "name", _ ("must be a file name without “/”"));
  return TRUE;
}

static FkAttachment *
attachment_from_json (JsonNode *node, const char *path, GError **error)
{
  g_autoptr (FkAttachment) attachment = g_new0 (FkAttachment, 1);
  JsonObject *obj;
  const char *kind, *name, *file, *sha256, *document;
  gboolean has_size;
  gint64 size;

  if (!fk_json_expect_object (node, path, &obj, error) ||
      !fk_json_check_members (obj, path, attachment_members, error) ||
      !fk_json_get_string (obj, path, "kind", &kind, error) ||
      !fk_json_get_string (obj, path, "name", &name, error) ||
      !fk_json_get_string (obj, path, "path", &file, error) ||
      !fk_json_get_string (obj, path, "sha256", &sha256, error) ||
      !fk_json_get_string (obj, path, "document", &document, error) ||
      !fk_json_get_int (obj, path, "size", &size, &has_size, error))
    return NULL;
  if (kind == NULL)
    {
      fk_json_member_error (error, path, "kind", _ ("is missing"));
      return NULL;
    }
  if (!fk_attachment_kind_from_string (kind, &attachment->kind))
    {
      fk_json_member_error (error, path, "kind",
                            _ ("must be “document”, “fingerprint”, “fingerprint-template” or "
                               "“receipt”"));
      return NULL;
    }
  if (!attachment_read_name (attachment, name, file, path, error))
    return NULL;
  attachment->size = has_size ? size : -1;
  if (has_size && size < 0)
    {
      fk_json_member_error (error, path, "size", _ ("cannot be negative"));
      return NULL;
    }
  if (sha256 != NULL && !is_sha256 (sha256))
    {
      fk_json_member_error (error, path, "sha256", _ ("must be 64 hexadecimal digits"));
      return NULL;
    }
  attachment->sha256 = sha256 != NULL ? g_ascii_strdown (sha256, -1) : NULL;
  if (document != NULL &&
      (attachment->kind != FK_ATTACHMENT_DOCUMENT || !fk_code_is_valid (document, "-")))
    {
      fk_json_member_error (error, path, "document",
                            _ ("must be the catalog code of a document, on a “document”"));
      return NULL;
    }
  attachment->document = g_strdup (document);
  return g_steal_pointer (&attachment);
}

static const char *const consent_members[] = { "purpose", "granted", "text_version", "read_aloud",
                                               NULL };

static FkConsent *
consent_from_json (JsonNode *node, const char *path, GError **error)
{
  JsonObject *obj;
  const char *purpose, *text_version, *read_aloud;
  gboolean granted = FALSE, has_granted;
  FkConsent *consent;

  if (!fk_json_expect_object (node, path, &obj, error) ||
      !fk_json_check_members (obj, path, consent_members, error) ||
      !fk_json_get_string (obj, path, "purpose", &purpose, error) ||
      !fk_json_get_bool (obj, path, "granted", &granted, &has_granted, error) ||
      !fk_json_get_string (obj, path, "text_version", &text_version, error) ||
      !fk_json_get_string (obj, path, "read_aloud", &read_aloud, error))
    return NULL;
  if (!fk_code_is_valid (purpose, "-"))
    {
      fk_json_member_error (error, path, "purpose", _ ("must be a code such as “biometrics”"));
      return NULL;
    }
  if (!has_granted)
    {
      fk_json_member_error (error, path, "granted", _ ("is missing"));
      return NULL;
    }
  if (text_version == NULL || *text_version == '\0')
    {
      fk_json_member_error (error, path, "text_version", _ ("is missing"));
      return NULL;
    }
  if (read_aloud != NULL && !g_str_equal (read_aloud, FK_CONSENT_READ_BY_DEVICE) &&
      !g_str_equal (read_aloud, FK_CONSENT_READ_BY_OFFICER))
    {
      fk_json_member_error (error, path, "read_aloud", _ ("must be “device” or “officer”"));
      return NULL;
    }
  consent = fk_consent_new (purpose, granted, text_version);
  consent->read_aloud = g_strdup (read_aloud);
  return consent;
}

static gboolean
get_array (JsonObject *obj, const char *name, JsonArray **array, GError **error)
{
  JsonNode *node = json_object_get_member (obj, name);

  *array = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fk_json_error (error, name, _ ("must be a list"));
  *array = json_node_get_array (node);
  return TRUE;
}

static const char *const dossier_members[] = {
  "schema",  "id",     "procedure",   "created",  "visit_id",        "visit",
  "citizen", "fields", "attachments", "consents", "catalog_version", NULL,
};

/* The id, the procedure, when it was created and the visit; an incomplete
 * dossier (@complete FALSE) may lack the procedure and keeps the visit id as
 * it was written. */
static gboolean
read_identity (FkDossier *self, JsonObject *obj, gboolean complete, GError **error)
{
  const char *id, *procedure, *created, *visit_id, *catalog_version;

  if (!fk_json_get_string (obj, "dossier", "id", &id, error) ||
      !fk_json_get_string (obj, "dossier", "catalog_version", &catalog_version, error) ||
      !fk_json_get_string (obj, "dossier", "procedure", &procedure, error) ||
      !fk_json_get_string (obj, "dossier", "created", &created, error) ||
      !fk_json_get_string (obj, "dossier", "visit_id", &visit_id, error))
    return FALSE;
  if (id != NULL && !g_uuid_string_is_valid (id))
    return fk_json_error (error, "id", _ ("must be a UUID"));
  self->id = id != NULL ? g_ascii_strdown (id, -1) : g_uuid_string_random ();
  if (procedure == NULL && complete)
    return fk_json_error (error, "procedure", _ ("is missing"));
  if (procedure != NULL && complete && !fk_code_is_valid (procedure, "-"))
    return fk_json_error (error, "procedure",
                          _ ("must be a procedure code such as “birth-registration”"));
  self->procedure = g_strdup (procedure);
  if (created != NULL)
    {
      g_autoptr (GDateTime) when = g_date_time_new_from_iso8601 (created, NULL);

      if (when == NULL)
        return fk_json_error (error, "created",
                              _ ("must be a time with its time zone, such as "
                                 "2026-11-24T08:30:00Z"));
      self->created = g_date_time_to_utc (when);
    }
  else
    self->created = g_date_time_new_now_utc ();
  if (visit_id != NULL && complete && !g_uuid_string_is_valid (visit_id))
    return fk_json_error (error, "visit_id", _ ("must be a UUID"));
  self->visit_id = visit_id == NULL ? NULL
                   : complete       ? g_ascii_strdown (visit_id, -1)
                                    : g_strdup (visit_id);
  if (catalog_version != NULL && !fk_catalog_version_is_valid (catalog_version))
    return fk_json_error (error, "catalog_version",
                          _ ("must be a catalog version such as 2026.11.1"));
  self->catalog_version = g_strdup (catalog_version);
  return TRUE;
}

/* The citizen (required and checked when @complete), and the form's fields
 * as they are (a copy). */
static gboolean
read_citizen_and_fields (FkDossier *self, JsonObject *obj, gboolean complete, GError **error)
{
  JsonNode *member = json_object_get_member (obj, "citizen");
  g_autoptr (JsonNode) copy = NULL;

  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    {
      if (complete)
        return fk_json_error (error, "citizen", _ ("is missing"));
    }
  else
    {
      self->citizen = fk_citizen_new_from_json_at (member, "citizen", complete, error);
      if (self->citizen == NULL)
        return FALSE;
    }
  member = json_object_get_member (obj, "fields");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (member))
    return fk_json_error (error, "fields", _ ("must be a JSON object"));
  copy = fk_json_deep_copy (member);
  json_object_unref (self->fields);
  self->fields = json_object_ref (json_node_get_object (copy));
  return TRUE;
}

static gboolean
read_attachments (FkDossier *self, JsonObject *obj, GError **error)
{
  JsonArray *array;

  if (!get_array (obj, "attachments", &array, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("attachments[%u]", i);
      FkAttachment *attachment =
        attachment_from_json (json_array_get_element (array, i), path, error);

      if (attachment == NULL)
        return FALSE;
      g_ptr_array_add (self->attachments, attachment);
    }
  return TRUE;
}

/* The consents, one per purpose. */
static gboolean
read_consents (FkDossier *self, JsonObject *obj, GError **error)
{
  JsonArray *array;

  if (!get_array (obj, "consents", &array, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("consents[%u]", i);
      FkConsent *consent = consent_from_json (json_array_get_element (array, i), path, error);

      if (consent == NULL)
        return FALSE;
      if (fk_dossier_find_consent (self, consent->purpose) != NULL)
        {
          fk_json_member_error (error, path, "purpose", _ ("“%s” is listed twice"),
                                consent->purpose);
          fk_consent_free (consent);
          return FALSE;
        }
      g_ptr_array_add (self->consents, consent);
    }
  return TRUE;
}

/* The visit, when the device sealed it with the dossier: it must be the
 * one the dossier names. */
static gboolean
read_visit (FkDossier *self, JsonObject *obj, GError **error)
{
  JsonNode *member = json_object_get_member (obj, "visit");
  g_autoptr (FkVisit) visit = NULL;

  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return TRUE;
  visit = fk_visit_new_from_json (member, error);
  if (visit == NULL)
    return FALSE;
  if (self->visit_id != NULL && g_ascii_strcasecmp (self->visit_id, fk_visit_get_id (visit)) != 0)
    return fk_json_error (error, "visit.id", _ ("must be the dossier's visit_id"));
  self->visit = g_steal_pointer (&visit);
  if (self->visit_id == NULL)
    self->visit_id = g_ascii_strdown (fk_visit_get_id (self->visit), -1);
  return TRUE;
}

/* The parser behind both readers below: @complete FALSE accepts what an
 * incomplete dossier (a draft) may hold: no procedure or citizen yet, and
 * values as typed, checked only for their JSON types. */
static FkDossier *
dossier_from_json (JsonNode *node, gboolean complete, GError **error)
{
  g_autoptr (FkDossier) self = NULL;
  JsonObject *obj;

  if (!fk_json_expect_object (node, "dossier", &obj, error) ||
      !fk_json_check_schema (obj, "dossier", FK_DOSSIER_SCHEMA, error) ||
      !fk_json_check_members (obj, "dossier", dossier_members, error))
    return NULL;
  self = g_object_new (FK_TYPE_DOSSIER, NULL);
  if (!read_identity (self, obj, complete, error) || !read_visit (self, obj, error) ||
      !read_citizen_and_fields (self, obj, complete, error) ||
      !read_attachments (self, obj, error) || !read_consents (self, obj, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * fk_dossier_new_from_json:
 * @node: a JSON object as fk_dossier_to_json() writes it, or as an intake
 *   script writes it: `id` and `created` may be left out (a new UUID, now),
 *   attachments may give a `path` instead of `name`, `size` and `sha256`
 * @error: return location for an %FK_CORE_ERROR_INVALID_DATA error naming
 *   the member that is wrong, or %FK_CORE_ERROR_UNSUPPORTED_VERSION
 *
 * Checks the structure and the citizen, not the procedure's form: that is
 * fk_procedure_validate_fields() with the catalog.
 *
 * Returns: (transfer full) (nullable): the dossier
 */
FkDossier *
fk_dossier_new_from_json (JsonNode *node, GError **error)
{
  return dossier_from_json (node, TRUE, error);
}

/**
 * fk_dossier_new_incomplete_from_json:
 * @node: a JSON object as fk_dossier_to_json() writes it for a dossier
 *   still being filled in (a draft)
 * @error: return location for an %FK_CORE_ERROR_INVALID_DATA error naming
 *   the member of the wrong JSON type, or %FK_CORE_ERROR_UNSUPPORTED_VERSION
 *
 * Reads back what fk_dossier_to_json() wrote for an incomplete dossier:
 * the procedure and the citizen may be missing, and the citizen's values
 * and the visit id are kept as typed, unchecked. fk_dossier_validate()
 * says when the dossier can be sealed.
 *
 * Returns: (transfer full) (nullable): the dossier
 */
FkDossier *
fk_dossier_new_incomplete_from_json (JsonNode *node, GError **error)
{
  return dossier_from_json (node, FALSE, error);
}

/**
 * fk_dossier_new_from_data:
 * @data: JSON text
 * @length: its length, or -1 when NUL-terminated
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the dossier
 */
/* json-glib parses recursively, so nesting is bounded before the text
 * reaches it; no dossier comes near this depth. */
#define MAX_NESTING 64

FkDossier *
fk_dossier_new_from_data (const char *data, gssize length, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (data == NULL)
    data = "";
  if (length < 0)
    length = (gssize) strlen (data);
  if (!fk_json_nesting_within (data, (gsize) length, MAX_NESTING))
    {
      g_set_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA,
                   _ ("The dossier is nested more than %d levels deep."), MAX_NESTING);
      return NULL;
    }

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA,
                   _ ("The dossier is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  return fk_dossier_new_from_json (json_parser_get_root (parser), error);
}

static void
add_string (JsonBuilder *builder, const char *name, const char *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/**
 * fk_dossier_to_json:
 *
 * Returns: (transfer full): the dossier as a JSON object that
 *   fk_dossier_new_from_json() reads back unchanged
 */
JsonNode *
fk_dossier_to_json (FkDossier *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autofree char *created = NULL;
  JsonNode *fields;

  g_return_val_if_fail (FK_IS_DOSSIER (self), NULL);

  created = g_date_time_format_iso8601 (self->created);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, FK_DOSSIER_SCHEMA);
  add_string (builder, "id", self->id);
  add_string (builder, "procedure", self->procedure);
  add_string (builder, "created", created);
  add_string (builder, "visit_id", self->visit_id);
  add_string (builder, "catalog_version", self->catalog_version);
  if (self->visit != NULL)
    {
      json_builder_set_member_name (builder, "visit");
      json_builder_add_value (builder, fk_visit_to_json (self->visit));
    }
  if (self->citizen != NULL)
    {
      json_builder_set_member_name (builder, "citizen");
      json_builder_add_value (builder, fk_citizen_to_json (self->citizen));
    }

  /* A copy, so the caller's tree never shares (or seals) the live form. */
  fields = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (fields, self->fields);
  json_builder_set_member_name (builder, "fields");
  json_builder_add_value (builder, fk_json_deep_copy (fields));
  json_node_unref (fields);

  json_builder_set_member_name (builder, "attachments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->attachments->len; i++)
    {
      FkAttachment *attachment = g_ptr_array_index (self->attachments, i);

      json_builder_begin_object (builder);
      add_string (builder, "kind", fk_attachment_kind_to_string (attachment->kind));
      add_string (builder, "name", attachment->name);
      add_string (builder, "path", attachment->path);
      if (attachment->size >= 0)
        {
          json_builder_set_member_name (builder, "size");
          json_builder_add_int_value (builder, attachment->size);
        }
      add_string (builder, "sha256", attachment->sha256);
      add_string (builder, "document", attachment->document);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "consents");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->consents->len; i++)
    {
      FkConsent *consent = g_ptr_array_index (self->consents, i);

      json_builder_begin_object (builder);
      add_string (builder, "purpose", consent->purpose);
      json_builder_set_member_name (builder, "granted");
      json_builder_add_boolean_value (builder, consent->granted);
      add_string (builder, "text_version", consent->text_version);
      add_string (builder, "read_aloud", consent->read_aloud);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
