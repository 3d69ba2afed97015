/* fk-dossier.c: one citizen's application for one procedure
 *
 * The model: the citizen, the procedure's form, the attachments and the
 * consents. Reading and writing it as JSON is fk-dossier-json.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>

#include "fk-core-error.h"
#include "fk-dossier-private.h"
#include "fk-json-private.h"

G_DEFINE_ENUM_TYPE (FkAttachmentKind, fk_attachment_kind,
                    G_DEFINE_ENUM_VALUE (FK_ATTACHMENT_DOCUMENT, "document"),
                    G_DEFINE_ENUM_VALUE (FK_ATTACHMENT_FINGERPRINT, "fingerprint"),
                    G_DEFINE_ENUM_VALUE (FK_ATTACHMENT_FINGERPRINT_TEMPLATE,
                                         "fingerprint-template"),
                    G_DEFINE_ENUM_VALUE (FK_ATTACHMENT_RECEIPT, "receipt"),
                    G_DEFINE_ENUM_VALUE (FK_ATTACHMENT_PORTRAIT, "portrait"))

static const char *const kind_names[] = {
  [FK_ATTACHMENT_DOCUMENT] = "document",
  [FK_ATTACHMENT_FINGERPRINT] = "fingerprint",
  [FK_ATTACHMENT_FINGERPRINT_TEMPLATE] = "fingerprint-template",
  [FK_ATTACHMENT_RECEIPT] = "receipt",
  [FK_ATTACHMENT_PORTRAIT] = "portrait",
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
  copy->document = g_strdup (attachment->document);
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
  g_free (attachment->document);
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
  FkConsent *copy;

  g_return_val_if_fail (consent != NULL, NULL);
  copy = fk_consent_new (consent->purpose, consent->granted, consent->text_version);
  copy->read_aloud = g_strdup (consent->read_aloud);
  return copy;
}

void
fk_consent_free (FkConsent *consent)
{
  if (consent == NULL)
    return;
  g_free (consent->purpose);
  g_free (consent->text_version);
  g_free (consent->read_aloud);
  g_free (consent);
}

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
  g_free (self->catalog_version);
  g_clear_object (&self->visit);
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
 * fk_dossier_get_catalog_version:
 *
 * Returns: (nullable): the version of the procedure catalog the form was
 *   filled against (the store sets it when it seals the dossier)
 */
const char *
fk_dossier_get_catalog_version (FkDossier *self)
{
  g_return_val_if_fail (FK_IS_DOSSIER (self), NULL);
  return self->catalog_version;
}

void
fk_dossier_set_catalog_version (FkDossier *self, const char *version)
{
  g_return_if_fail (FK_IS_DOSSIER (self));
  g_free (self->catalog_version);
  self->catalog_version = g_strdup (version);
}

/**
 * fk_dossier_get_visit:
 *
 * Returns: (transfer none) (nullable): the visit the dossier was taken
 *   on, when the device sealed it with the dossier (the commune's office
 *   shows its date, hamlet and team); %NULL when only its id is known
 */
FkVisit *
fk_dossier_get_visit (FkDossier *self)
{
  g_return_val_if_fail (FK_IS_DOSSIER (self), NULL);
  return self->visit;
}

/**
 * fk_dossier_set_visit:
 * @visit: (nullable): the visit; its id becomes the dossier's visit id
 */
void
fk_dossier_set_visit (FkDossier *self, FkVisit *visit)
{
  g_return_if_fail (FK_IS_DOSSIER (self));
  g_set_object (&self->visit, visit);
  if (visit != NULL)
    fk_dossier_set_visit_id (self, fk_visit_get_id (visit));
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
