/* fk-dossier.c: one citizen's application for one procedure
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>

#include "fk-citizen-private.h"
#include "fk-core-error.h"
#include "fk-dossier.h"
#include "fk-json-private.h"
#include "fk-json.h"

G_DEFINE_ENUM_TYPE (FkAttachmentKind, fk_attachment_kind,
                    G_DEFINE_ENUM_VALUE (FK_ATTACHMENT_DOCUMENT, "document"),
                    G_DEFINE_ENUM_VALUE (FK_ATTACHMENT_FINGERPRINT, "fingerprint"),
                    G_DEFINE_ENUM_VALUE (FK_ATTACHMENT_FINGERPRINT_TEMPLATE,
                                         "fingerprint-template"),
                    G_DEFINE_ENUM_VALUE (FK_ATTACHMENT_RECEIPT, "receipt"))

static const char *const kind_names[] = {
  [FK_ATTACHMENT_DOCUMENT] = "document",
  [FK_ATTACHMENT_FINGERPRINT] = "fingerprint",
  [FK_ATTACHMENT_FINGERPRINT_TEMPLATE] = "fingerprint-template",
  [FK_ATTACHMENT_RECEIPT] = "receipt",
};

const char *
fk_attachment_kind_to_string (FkAttachmentKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

gboolean
fk_attachment_kind_from_string (const char *s, FkAttachmentKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (s, kind_names[i]) == 0)
      {
        *kind = (FkAttachmentKind) i;
        return TRUE;
      }
  return FALSE;
}

G_DEFINE_BOXED_TYPE (FkAttachment, fk_attachment, fk_attachment_copy, fk_attachment_free)
G_DEFINE_BOXED_TYPE (FkConsent, fk_consent, fk_consent_copy, fk_consent_free)

/**
 * fk_attachment_new:
 * @kind: what the file is
 * @name: its file name
 * @size: size in bytes, -1 while unknown
 * @sha256: (nullable): lowercase hex SHA-256, %NULL while unknown
 *
 * Returns: (transfer full): a new attachment
 */
FkAttachment *
fk_attachment_new (FkAttachmentKind kind, const char *name, gint64 size, const char *sha256)
{
  FkAttachment *attachment = g_new0 (FkAttachment, 1);

  attachment->kind = kind;
  attachment->name = g_strdup (name);
  attachment->size = size;
  attachment->sha256 = g_strdup (sha256);
  return attachment;
}

FkAttachment *
fk_attachment_copy (const FkAttachment *attachment)
{
  FkAttachment *copy;

  g_return_val_if_fail (attachment != NULL, NULL);
  copy =
    fk_attachment_new (attachment->kind, attachment->name, attachment->size, attachment->sha256);
  copy->path = g_strdup (attachment->path);
  return copy;
}

void
fk_attachment_free (FkAttachment *attachment)
{
  if (attachment == NULL)
    return;
  g_free (attachment->name);
  g_free (attachment->path);
  g_free (attachment->sha256);
  g_free (attachment);
}

FkConsent *
fk_consent_new (const char *purpose, gboolean granted, const char *text_version)
{
  FkConsent *consent = g_new0 (FkConsent, 1);

  consent->purpose = g_strdup (purpose);
  consent->granted = granted;
  consent->text_version = g_strdup (text_version);
  return consent;
}

FkConsent *
fk_consent_copy (const FkConsent *consent)
{
  g_return_val_if_fail (consent != NULL, NULL);
  return fk_consent_new (consent->purpose, consent->granted, consent->text_version);
}

void
fk_consent_free (FkConsent *consent)
{
  if (consent == NULL)
    return;
  g_free (consent->purpose);
  g_free (consent->text_version);
  g_free (consent);
}

struct _FkDossier
{
  GObject parent_instance;

  char *id;
  char *procedure;
  FkCitizen *citizen;
  JsonObject *fields;
  GPtrArray *attachments; /* FkAttachment */
  GPtrArray *consents;    /* FkConsent */
  char *visit_id;
  GDateTime *created;
};

G_DEFINE_FINAL_TYPE (FkDossier, fk_dossier, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_PROCEDURE,
  PROP_CITIZEN,
  PROP_VISIT_ID,
  PROP_CREATED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fk_dossier_finalize (GObject *object)
{
  FkDossier *self = FK_DOSSIER (object);

  g_free (self->id);
  g_free (self->procedure);
  g_clear_object (&self->citizen);
  g_clear_pointer (&self->fields, json_object_unref);
  g_clear_pointer (&self->attachments, g_ptr_array_unref);
  g_clear_pointer (&self->consents, g_ptr_array_unref);
  g_free (self->visit_id);
  g_clear_pointer (&self->created, g_date_time_unref);
  G_OBJECT_CLASS (fk_dossier_parent_class)->finalize (object);
}

static void
fk_dossier_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FkDossier *self = FK_DOSSIER (object);

  switch (prop_id)
    {
      case PROP_ID:
        g_value_set_string (value, self->id);
        break;
      case PROP_PROCEDURE:
        g_value_set_string (value, self->procedure);
        break;
      case PROP_CITIZEN:
        g_value_set_object (value, self->citizen);
        break;
      case PROP_VISIT_ID:
        g_value_set_string (value, self->visit_id);
        break;
      case PROP_CREATED:
        g_value_set_boxed (value, self->created);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_dossier_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FkDossier *self = FK_DOSSIER (object);

  switch (prop_id)
    {
      case PROP_PROCEDURE:
        fk_dossier_set_procedure (self, g_value_get_string (value));
        break;
      case PROP_CITIZEN:
        fk_dossier_set_citizen (self, g_value_get_object (value));
        break;
      case PROP_VISIT_ID:
        fk_dossier_set_visit_id (self, g_value_get_string (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_dossier_class_init (FkDossierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = fk_dossier_finalize;
  object_class->get_property = fk_dossier_get_property;
  object_class->set_property = fk_dossier_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_PROCEDURE] = g_param_spec_string ("procedure", NULL, NULL, NULL, rw);
  properties[PROP_CITIZEN] = g_param_spec_object ("citizen", NULL, NULL, FK_TYPE_CITIZEN, rw);
  properties[PROP_VISIT_ID] = g_param_spec_string ("visit-id", NULL, NULL, NULL, rw);
  properties[PROP_CREATED] = g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fk_dossier_init (FkDossier *self)
{
  self->fields = json_object_new ();
  self->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) fk_attachment_free);
  self->consents = g_ptr_array_new_with_free_func ((GDestroyNotify) fk_consent_free);
}

/**
 * fk_dossier_new:
 * @procedure: (nullable): the procedure code from the catalog; %NULL while
 *   it is not chosen yet (an incomplete dossier: a draft)
 * @citizen: (nullable): who applies; %NULL while unknown
 *
 * A new dossier with a random UUID, created now. An incomplete one can be
 * saved as a draft; fk_dossier_validate() says when it can be sealed.
 *
 * Returns: (transfer full): the dossier
 */
FkDossier *
fk_dossier_new (const char *procedure, FkCitizen *citizen)
{
  FkDossier *self;

  g_return_val_if_fail (citizen == NULL || FK_IS_CITIZEN (citizen), NULL);

  self = g_object_new (FK_TYPE_DOSSIER, "procedure", procedure, "citizen", citizen, NULL);
  self->id = g_uuid_string_random ();
  self->created = g_date_time_new_now_utc ();
  return self;
}

const char *
fk_dossier_get_id (FkDossier *self)
{
  g_return_val_if_fail (FK_IS_DOSSIER (self), NULL);
  return self->id;
}

const char *
fk_dossier_get_procedure (FkDossier *self)
{
  g_return_val_if_fail (FK_IS_DOSSIER (self), NULL);
  return self->procedure;
}

void
fk_dossier_set_procedure (FkDossier *self, const char *procedure)
{
  g_return_if_fail (FK_IS_DOSSIER (self));
  if (g_strcmp0 (self->procedure, procedure) == 0)
    return;
  g_free (self->procedure);
  self->procedure = g_strdup (procedure);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROCEDURE]);
}

/**
 * fk_dossier_get_citizen:
 *
 * Returns: (transfer none): who applies
 */
FkCitizen *
fk_dossier_get_citizen (FkDossier *self)
{
  g_return_val_if_fail (FK_IS_DOSSIER (self), NULL);
  return self->citizen;
}

void
fk_dossier_set_citizen (FkDossier *self, FkCitizen *citizen)
{
  g_return_if_fail (FK_IS_DOSSIER (self));
  g_return_if_fail (citizen == NULL || FK_IS_CITIZEN (citizen));
  if (g_set_object (&self->citizen, citizen))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CITIZEN]);
}

/**
 * fk_dossier_get_fields:
 *
 * Returns: (transfer none): the procedure form's values by field name;
 *   callers may edit it
 */
JsonObject *
fk_dossier_get_fields (FkDossier *self)
{
  g_return_val_if_fail (FK_IS_DOSSIER (self), NULL);
  return self->fields;
}

/**
 * fk_dossier_set_fields:
 * @fields: the form's values; copied
 */
void
fk_dossier_set_fields (FkDossier *self, JsonObject *fields)
{
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonNode) copy = NULL;

  g_return_if_fail (FK_IS_DOSSIER (self));
  g_return_if_fail (fields != NULL);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, fields);
  copy = fk_json_deep_copy (node);
  json_object_unref (self->fields);
  self->fields = json_object_ref (json_node_get_object (copy));
}

/**
 * fk_dossier_get_attachments:
 *
 * Returns: (transfer none) (element-type FkAttachment): the files
 */
GPtrArray *
fk_dossier_get_attachments (FkDossier *self)
{
  g_return_val_if_fail (FK_IS_DOSSIER (self), NULL);
  return self->attachments;
}

/**
 * fk_dossier_add_attachment:
 * @attachment: (transfer full): the file to add
 */
void
fk_dossier_add_attachment (FkDossier *self, FkAttachment *attachment)
{
  g_return_if_fail (FK_IS_DOSSIER (self));
  g_return_if_fail (attachment != NULL);
  g_ptr_array_add (self->attachments, attachment);
}

/**
 * fk_dossier_get_consents:
 *
 * Returns: (transfer none) (element-type FkConsent): the recorded consents
 */
GPtrArray *
fk_dossier_get_consents (FkDossier *self)
{
  g_return_val_if_fail (FK_IS_DOSSIER (self), NULL);
  return self->consents;
}

/**
 * fk_dossier_add_consent:
 * @consent: (transfer full): the citizen's answer for one purpose; replaces
 *   an earlier answer for the same purpose
 */
void
fk_dossier_add_consent (FkDossier *self, FkConsent *consent)
{
  g_return_if_fail (FK_IS_DOSSIER (self));
  g_return_if_fail (consent != NULL && consent->purpose != NULL);

  for (guint i = 0; i < self->consents->len; i++)
    {
      FkConsent *old = g_ptr_array_index (self->consents, i);

      if (g_str_equal (old->purpose, consent->purpose))
        {
          g_ptr_array_remove_index (self->consents, i);
          break;
        }
    }
  g_ptr_array_add (self->consents, consent);
}

/**
 * fk_dossier_find_consent:
 *
 * Returns: (transfer none) (nullable): the answer recorded for @purpose
 */
const FkConsent *
fk_dossier_find_consent (FkDossier *self, const char *purpose)
{
  g_return_val_if_fail (FK_IS_DOSSIER (self), NULL);
  for (guint i = 0; i < self->consents->len; i++)
    {
      FkConsent *consent = g_ptr_array_index (self->consents, i);

      if (g_strcmp0 (consent->purpose, purpose) == 0)
        return consent;
    }
  return NULL;
}

const char *
fk_dossier_get_visit_id (FkDossier *self)
{
  g_return_val_if_fail (FK_IS_DOSSIER (self), NULL);
  return self->visit_id;
}

void
fk_dossier_set_visit_id (FkDossier *self, const char *visit_id)
{
  g_return_if_fail (FK_IS_DOSSIER (self));
  if (g_strcmp0 (self->visit_id, visit_id) == 0)
    return;
  g_free (self->visit_id);
  self->visit_id = g_strdup (visit_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIT_ID]);
}

/**
 * fk_dossier_get_created:
 *
 * Returns: (transfer none): when the dossier was opened, UTC
 */
GDateTime *
fk_dossier_get_created (FkDossier *self)
{
  g_return_val_if_fail (FK_IS_DOSSIER (self), NULL);
  return self->created;
}

/**
 * fk_dossier_validate:
 * @self: a dossier
 * @catalog: the procedure catalog
 * @error: return location for an error: %FK_CORE_ERROR_NOT_FOUND for a
 *   procedure the catalog does not have, %FK_CORE_ERROR_INVALID_DATA naming
 *   the citizen member or form field that is wrong
 *
 * Everything that must hold before a dossier is sealed: its procedure is
 * in the catalog, the citizen is complete and the form passes the
 * procedure's rules.
 *
 * Returns: whether the dossier can be sealed
 */
gboolean
fk_dossier_validate (FkDossier *self, FkCatalog *catalog, GError **error)
{
  FkProcedure *procedure;

  g_return_val_if_fail (FK_IS_DOSSIER (self), FALSE);
  g_return_val_if_fail (FK_IS_CATALOG (catalog), FALSE);

  if (self->procedure == NULL)
    return fk_json_error (error, "procedure", _ ("is missing"));
  procedure = fk_catalog_lookup (catalog, self->procedure);
  if (procedure == NULL)
    {
      g_set_error (error, FK_CORE_ERROR, FK_CORE_ERROR_NOT_FOUND,
                   _ ("The catalog has no procedure “%s” (see “fieldkit-ctl catalog list”)."),
                   self->procedure);
      return FALSE;
    }
  if (self->citizen == NULL)
    return fk_json_error (error, "citizen", _ ("is missing"));
  if (!fk_citizen_validate (self->citizen, error))
    return FALSE;
  return fk_procedure_validate_fields (procedure, self->fields, error);
}

/* JSON */

static gboolean
is_code (const char *s)
{
  if (s == NULL || *s == '\0' || strlen (s) > 64)
    return FALSE;
  for (const char *p = s; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

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

static const char *const attachment_members[] = { "kind", "name", "path", "size", "sha256", NULL };

static FkAttachment *
attachment_from_json (JsonNode *node, const char *path, GError **error)
{
  g_autoptr (FkAttachment) attachment = g_new0 (FkAttachment, 1);
  g_autofree char *where = NULL;
  JsonObject *obj;
  const char *kind, *name, *file, *sha256;
  gboolean has_size;
  gint64 size;

  if (!fk_json_expect_object (node, path, &obj, error) ||
      !fk_json_check_members (obj, path, attachment_members, error) ||
      !fk_json_get_string (obj, path, "kind", &kind, error) ||
      !fk_json_get_string (obj, path, "name", &name, error) ||
      !fk_json_get_string (obj, path, "path", &file, error) ||
      !fk_json_get_string (obj, path, "sha256", &sha256, error) ||
      !fk_json_get_int (obj, path, "size", &size, &has_size, error))
    return NULL;

  where = g_strdup_printf ("%s.kind", path);
  if (kind == NULL)
    {
      fk_json_error (error, where, _ ("is missing"));
      return NULL;
    }
  if (!fk_attachment_kind_from_string (kind, &attachment->kind))
    {
      fk_json_error (error, where,
                     _ ("must be “document”, “fingerprint”, “fingerprint-template” or "
                        "“receipt”"));
      return NULL;
    }

  if (file != NULL && *file == '\0')
    file = NULL;
  if (name == NULL && file == NULL)
    {
      fk_json_error (error, path, _ ("needs a “name” or a “path”"));
      return NULL;
    }
  attachment->path = g_strdup (file);
  attachment->name = name != NULL ? g_strdup (name) : g_path_get_basename (file);
  if (*attachment->name == '\0' || strchr (attachment->name, '/') != NULL ||
      g_str_equal (attachment->name, ".") || g_str_equal (attachment->name, ".."))
    {
      g_free (where);
      where = g_strdup_printf ("%s.name", path);
      {
        fk_json_error (error, where, _ ("must be a file name without “/”"));
        return NULL;
      }
    }

  attachment->size = has_size ? size : -1;
  if (has_size && size < 0)
    {
      g_free (where);
      where = g_strdup_printf ("%s.size", path);
      {
        fk_json_error (error, where, _ ("cannot be negative"));
        return NULL;
      }
    }
  if (sha256 != NULL)
    {
      if (!is_sha256 (sha256))
        {
          g_free (where);
          where = g_strdup_printf ("%s.sha256", path);
          {
            fk_json_error (error, where, _ ("must be 64 hexadecimal digits"));
            return NULL;
          }
        }
      attachment->sha256 = g_ascii_strdown (sha256, -1);
    }
  return g_steal_pointer (&attachment);
}

static const char *const consent_members[] = { "purpose", "granted", "text_version", NULL };

static FkConsent *
consent_from_json (JsonNode *node, const char *path, GError **error)
{
  g_autofree char *where = NULL;
  JsonObject *obj;
  const char *purpose, *text_version;
  gboolean granted = FALSE, has_granted;

  if (!fk_json_expect_object (node, path, &obj, error) ||
      !fk_json_check_members (obj, path, consent_members, error) ||
      !fk_json_get_string (obj, path, "purpose", &purpose, error) ||
      !fk_json_get_bool (obj, path, "granted", &granted, &has_granted, error) ||
      !fk_json_get_string (obj, path, "text_version", &text_version, error))
    return NULL;
  if (!is_code (purpose))
    {
      where = g_strdup_printf ("%s.purpose", path);
      {
        fk_json_error (error, where, _ ("must be a code such as “biometrics”"));
        return NULL;
      }
    }
  if (!has_granted)
    {
      where = g_strdup_printf ("%s.granted", path);
      {
        fk_json_error (error, where, _ ("is missing"));
        return NULL;
      }
    }
  if (text_version == NULL || *text_version == '\0')
    {
      where = g_strdup_printf ("%s.text_version", path);
      {
        fk_json_error (error, where, _ ("is missing"));
        return NULL;
      }
    }
  return fk_consent_new (purpose, granted, text_version);
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
  "schema",  "id",     "procedure",   "created",  "visit_id",
  "citizen", "fields", "attachments", "consents", NULL,
};

/* The citizen (required when @complete, checked only then) and the form. */
static gboolean
read_citizen_and_fields (FkDossier *self, JsonObject *obj, gboolean complete, GError **error)
{
  JsonNode *member = json_object_get_member (obj, "citizen");

  if ((member == NULL || JSON_NODE_HOLDS_NULL (member)) && complete)
    return fk_json_error (error, "citizen", _ ("is missing"));
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      self->citizen = fk_citizen_new_from_json_at (member, "citizen", complete, error);
      if (self->citizen == NULL)
        return FALSE;
    }

  member = json_object_get_member (obj, "fields");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      g_autoptr (JsonNode) copy = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        return fk_json_error (error, "fields", _ ("must be a JSON object"));
      copy = fk_json_deep_copy (member);
      json_object_unref (self->fields);
      self->fields = json_object_ref (json_node_get_object (copy));
    }
  return TRUE;
}

/* The attachments and the consents. */
static gboolean
read_lists (FkDossier *self, JsonObject *obj, GError **error)
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
          g_autofree char *where = g_strdup_printf ("%s.purpose", path);

          fk_json_error (error, where, _ ("“%s” is listed twice"), consent->purpose);
          fk_consent_free (consent);
          return FALSE;
        }
      g_ptr_array_add (self->consents, consent);
    }
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
  const char *id, *procedure, *created, *visit_id;

  if (!fk_json_expect_object (node, "dossier", &obj, error) ||
      !fk_json_check_schema (obj, "dossier", FK_DOSSIER_SCHEMA, error) ||
      !fk_json_check_members (obj, "dossier", dossier_members, error) ||
      !fk_json_get_string (obj, "dossier", "id", &id, error) ||
      !fk_json_get_string (obj, "dossier", "procedure", &procedure, error) ||
      !fk_json_get_string (obj, "dossier", "created", &created, error) ||
      !fk_json_get_string (obj, "dossier", "visit_id", &visit_id, error))
    return NULL;

  self = g_object_new (FK_TYPE_DOSSIER, NULL);
  if (id != NULL && !g_uuid_string_is_valid (id))
    {
      fk_json_error (error, "id", _ ("must be a UUID"));
      return NULL;
    }
  self->id = id != NULL ? g_ascii_strdown (id, -1) : g_uuid_string_random ();

  if (procedure == NULL && complete)
    {
      fk_json_error (error, "procedure", _ ("is missing"));
      return NULL;
    }
  if (procedure != NULL && complete && !is_code (procedure))
    {
      fk_json_error (error, "procedure",
                     _ ("must be a procedure code such as “birth-registration”"));
      return NULL;
    }
  self->procedure = g_strdup (procedure);

  if (created != NULL)
    {
      g_autoptr (GDateTime) when = g_date_time_new_from_iso8601 (created, NULL);

      if (when == NULL)
        {
          fk_json_error (error, "created",
                         _ ("must be a time with its time zone, such as "
                            "2026-11-24T08:30:00Z"));
          return NULL;
        }
      self->created = g_date_time_to_utc (when);
    }
  else
    self->created = g_date_time_new_now_utc ();

  if (visit_id != NULL && complete && !g_uuid_string_is_valid (visit_id))
    {
      fk_json_error (error, "visit_id", _ ("must be a UUID"));
      return NULL;
    }
  self->visit_id = visit_id == NULL ? NULL
                   : complete       ? g_ascii_strdown (visit_id, -1)
                                    : g_strdup (visit_id);

  if (!read_citizen_and_fields (self, obj, complete, error) || !read_lists (self, obj, error))
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
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
