/* fk-citizen.h: the person a dossier is about
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "fk-cccd.h"

G_BEGIN_DECLS

#define FK_CITIZEN_SCHEMA 1

/* A member of a citizen, as fk_citizen_check() names the wrong one. */
typedef enum
{
  FK_CITIZEN_MEMBER_NONE,
  FK_CITIZEN_MEMBER_ID_NUMBER,
  FK_CITIZEN_MEMBER_OLD_ID,
  FK_CITIZEN_MEMBER_FULL_NAME,
  FK_CITIZEN_MEMBER_BIRTH_DATE,
  FK_CITIZEN_MEMBER_SEX,
  FK_CITIZEN_MEMBER_ISSUE_DATE,
  FK_CITIZEN_MEMBER_ADDRESS,
  FK_CITIZEN_MEMBER_COMMUNE,
  FK_CITIZEN_MEMBER_PHONE,
  FK_CITIZEN_MEMBER_ETHNICITY,
} FkCitizenMember;

#define FK_TYPE_CITIZEN (fk_citizen_get_type ())
G_DECLARE_FINAL_TYPE (FkCitizen, fk_citizen, FK, CITIZEN, GObject)

FkCitizen *fk_citizen_new (void);
FkCitizen *fk_citizen_new_from_cccd (FkCccdCard *card);
FkCitizen *fk_citizen_new_from_json (JsonNode *node, GError **error);
JsonNode *fk_citizen_to_json (FkCitizen *self);

const char *fk_citizen_get_id_number (FkCitizen *self);
void fk_citizen_set_id_number (FkCitizen *self, const char *id_number);
const char *fk_citizen_get_old_id (FkCitizen *self);
void fk_citizen_set_old_id (FkCitizen *self, const char *old_id);
const char *fk_citizen_get_full_name (FkCitizen *self);
void fk_citizen_set_full_name (FkCitizen *self, const char *full_name);
const char *fk_citizen_get_birth_date (FkCitizen *self);
void fk_citizen_set_birth_date (FkCitizen *self, const char *birth_date);
FkSex fk_citizen_get_sex (FkCitizen *self);
void fk_citizen_set_sex (FkCitizen *self, FkSex sex);
const char *fk_citizen_get_address (FkCitizen *self);
void fk_citizen_set_address (FkCitizen *self, const char *address);
const char *fk_citizen_get_commune (FkCitizen *self);
void fk_citizen_set_commune (FkCitizen *self, const char *code);
const char *fk_citizen_get_issue_date (FkCitizen *self);
void fk_citizen_set_issue_date (FkCitizen *self, const char *issue_date);
const char *fk_citizen_get_phone (FkCitizen *self);
void fk_citizen_set_phone (FkCitizen *self, const char *phone);
const char *fk_citizen_get_ethnicity (FkCitizen *self);
void fk_citizen_set_ethnicity (FkCitizen *self, const char *ethnicity);

gboolean fk_citizen_validate (FkCitizen *self, GError **error);
gboolean fk_citizen_check (FkCitizen *self, FkCitizenMember *out_member, GError **error);

G_END_DECLS
