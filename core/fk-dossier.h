/* fk-dossier.h: one citizen's application for one procedure
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "fk-catalog.h"
#include "fk-citizen.h"
#include "fk-visit.h"

G_BEGIN_DECLS

#define FK_DOSSIER_SCHEMA 1

typedef enum
{
  FK_ATTACHMENT_DOCUMENT,
  FK_ATTACHMENT_FINGERPRINT,
  FK_ATTACHMENT_FINGERPRINT_TEMPLATE,
  FK_ATTACHMENT_RECEIPT,
  FK_ATTACHMENT_PORTRAIT, /* the holder's portrait read from the ID card's chip (DG2) */
} FkAttachmentKind;

#define FK_TYPE_ATTACHMENT_KIND (fk_attachment_kind_get_type ())
GType fk_attachment_kind_get_type (void);
const char *fk_attachment_kind_to_string (FkAttachmentKind kind);
gboolean fk_attachment_kind_from_string (const char *s, FkAttachmentKind *kind);

/**
 * FkAttachment:
 * @kind: what the file is
 * @name: file name shown to the officer and used in the upload manifest
 * @path: (nullable): where the file is on this device before the store
 *   takes it in; %NULL once it is stored
 * @size: size in bytes, -1 while unknown
 * @sha256: (nullable): lowercase hex SHA-256 of the content, %NULL while
 *   unknown
 * @document: (nullable): for a photo of a paper, the catalog code of the
 *   procedure's document it shows (JSON member `document`); what the
 *   citizen's receipt lists as taken
 */
typedef struct
{
  FkAttachmentKind kind;
  char *name;
  char *path;
  gint64 size;
  char *sha256;
  char *document;
} FkAttachment;

#define FK_TYPE_ATTACHMENT (fk_attachment_get_type ())
GType fk_attachment_get_type (void);
FkAttachment *fk_attachment_new (FkAttachmentKind kind, const char *name, gint64 size,
                                 const char *sha256);
FkAttachment *fk_attachment_copy (const FkAttachment *attachment);
void fk_attachment_free (FkAttachment *attachment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkAttachment, fk_attachment_free)

/**
 * FkConsent:
 * @purpose: what the data is used for, e.g. "biometrics", "id-card-image"
 * @granted: the citizen's answer
 * @text_version: version of the consent text read to the citizen
 * @read_aloud: (nullable): who read the text aloud to the citizen, one of
 *   %FK_CONSENT_READ_BY_DEVICE (its speech) or %FK_CONSENT_READ_BY_OFFICER;
 *   %NULL when nobody recorded it (JSON member `read_aloud`)
 */
typedef struct
{
  char *purpose;
  gboolean granted;
  char *text_version;
  char *read_aloud;
} FkConsent;

#define FK_CONSENT_READ_BY_DEVICE  "device"
#define FK_CONSENT_READ_BY_OFFICER "officer"

#define FK_TYPE_CONSENT (fk_consent_get_type ())
GType fk_consent_get_type (void);
FkConsent *fk_consent_new (const char *purpose, gboolean granted, const char *text_version);
FkConsent *fk_consent_copy (const FkConsent *consent);
void fk_consent_free (FkConsent *consent);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkConsent, fk_consent_free)

#define FK_TYPE_DOSSIER (fk_dossier_get_type ())
G_DECLARE_FINAL_TYPE (FkDossier, fk_dossier, FK, DOSSIER, GObject)

FkDossier *fk_dossier_new (const char *procedure, FkCitizen *citizen);
FkDossier *fk_dossier_new_from_json (JsonNode *node, GError **error);
FkDossier *fk_dossier_new_incomplete_from_json (JsonNode *node, GError **error);
FkDossier *fk_dossier_new_from_data (const char *data, gssize length, GError **error);
JsonNode *fk_dossier_to_json (FkDossier *self);

const char *fk_dossier_get_id (FkDossier *self);
const char *fk_dossier_get_procedure (FkDossier *self);
void fk_dossier_set_procedure (FkDossier *self, const char *procedure);
FkCitizen *fk_dossier_get_citizen (FkDossier *self);
void fk_dossier_set_citizen (FkDossier *self, FkCitizen *citizen);
JsonObject *fk_dossier_get_fields (FkDossier *self);
void fk_dossier_set_fields (FkDossier *self, JsonObject *fields);
GPtrArray *fk_dossier_get_attachments (FkDossier *self);
void fk_dossier_add_attachment (FkDossier *self, FkAttachment *attachment);
GPtrArray *fk_dossier_get_consents (FkDossier *self);
void fk_dossier_add_consent (FkDossier *self, FkConsent *consent);
const FkConsent *fk_dossier_find_consent (FkDossier *self, const char *purpose);
const char *fk_dossier_get_visit_id (FkDossier *self);
void fk_dossier_set_visit_id (FkDossier *self, const char *visit_id);
const char *fk_dossier_get_catalog_version (FkDossier *self);
void fk_dossier_set_catalog_version (FkDossier *self, const char *version);
FkVisit *fk_dossier_get_visit (FkDossier *self);
void fk_dossier_set_visit (FkDossier *self, FkVisit *visit);
GDateTime *fk_dossier_get_created (FkDossier *self);

gboolean fk_dossier_validate (FkDossier *self, FkCatalog *catalog, GError **error);

G_END_DECLS
