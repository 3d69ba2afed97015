/* fk-dossier-private.h: what the dossier's files share
 *
 * fk-dossier.c       the model
 * fk-dossier-json.c  reading and writing it as JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-dossier.h"

G_BEGIN_DECLS

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
  char *catalog_version; /* the catalog the form was filled against */
  FkVisit *visit;        /* the visit itself, as the device seals it; nullable */
  GDateTime *created;
};

G_END_DECLS
