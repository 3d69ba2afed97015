/* fk-visit.h: one outreach morning in one hamlet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define FK_VISIT_SCHEMA 1

#define FK_TYPE_VISIT (fk_visit_get_type ())
G_DECLARE_FINAL_TYPE (FkVisit, fk_visit, FK, VISIT, GObject)

FkVisit *fk_visit_new (const char *date, const char *commune_code, const char *hamlet);
FkVisit *fk_visit_new_from_json (JsonNode *node, GError **error);
JsonNode *fk_visit_to_json (FkVisit *self);

const char *fk_visit_get_id (FkVisit *self);
const char *fk_visit_get_date (FkVisit *self);
const char *fk_visit_get_commune_code (FkVisit *self);
const char *fk_visit_get_hamlet (FkVisit *self);
const char *const *fk_visit_get_team (FkVisit *self);
void fk_visit_add_team_member (FkVisit *self, const char *name);

G_END_DECLS
