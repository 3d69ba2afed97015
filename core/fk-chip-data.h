/* fk-chip-data.h: what the chip of a CCCD holds, as typed data
 *
 * Built from the data groups the reader brought back (DG1: the machine-
 * readable zone; DG13: the Vietnamese data), with how the chip was opened
 * and what passive authentication concluded. The portrait stays encoded
 * as the chip gave it (JPEG or JPEG 2000); hw/ decodes it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "fk-cccd.h"
#include "fk-mrz.h"

G_BEGIN_DECLS

typedef enum
{
  FK_CHIP_ACCESS_NONE,
  FK_CHIP_ACCESS_BAC,
  FK_CHIP_ACCESS_PACE,
} FkChipAccess;

/**
 * FkChipPa:
 * @FK_CHIP_PA_NOT_CHECKED: the security object was not examined
 * @FK_CHIP_PA_VERIFIED: signature, certificate chain to a trusted CSCA and
 *   every data-group hash check out
 * @FK_CHIP_PA_UNVERIFIED: the data are intact as far as the signature goes,
 *   but nothing ties the signer to a trusted CSCA (see the reason)
 * @FK_CHIP_PA_FAILED: a hash or the signature does not match: forged data
 */
typedef enum
{
  FK_CHIP_PA_NOT_CHECKED,
  FK_CHIP_PA_VERIFIED,
  FK_CHIP_PA_UNVERIFIED,
  FK_CHIP_PA_FAILED,
} FkChipPa;

typedef enum
{
  FK_CHIP_PA_REASON_NONE,
  FK_CHIP_PA_REASON_TRUSTED_CHAIN,   /* verified */
  FK_CHIP_PA_REASON_NO_TRUSTED_CSCA, /* unverified: no CSCA in the trust folder signs the DS */
  FK_CHIP_PA_REASON_CHAIN_EXPIRED,   /* unverified: the DS or CSCA certificate has expired */
  FK_CHIP_PA_REASON_HASH_MISMATCH,   /* failed: a data group differs from its signed hash */
  FK_CHIP_PA_REASON_BAD_SIGNATURE,   /* failed: the security object's signature is wrong */
  FK_CHIP_PA_REASON_MALFORMED,       /* failed: no usable security object, or a group unsigned */
} FkChipPaReason;

const char *fk_chip_access_to_string (FkChipAccess access);
const char *fk_chip_pa_to_string (FkChipPa pa);
const char *fk_chip_pa_reason_to_string (FkChipPaReason reason);
const char *fk_chip_pa_reason_get_message (FkChipPaReason reason);

/**
 * FkChipField:
 *
 * The text fields of DG13, numbered as the chip numbers them where it
 * does (1–12), then the parents, spouse and old ID.
 */
typedef enum
{
  FK_CHIP_FIELD_ID_NUMBER,
  FK_CHIP_FIELD_FULL_NAME,
  FK_CHIP_FIELD_NATIONALITY,
  FK_CHIP_FIELD_ETHNICITY,
  FK_CHIP_FIELD_RELIGION,
  FK_CHIP_FIELD_PLACE_OF_ORIGIN,
  FK_CHIP_FIELD_PLACE_OF_RESIDENCE,
  FK_CHIP_FIELD_IDENTIFICATION_MARKS,
  FK_CHIP_FIELD_FATHER_NAME,
  FK_CHIP_FIELD_MOTHER_NAME,
  FK_CHIP_FIELD_SPOUSE_NAME,
  FK_CHIP_FIELD_OLD_ID_NUMBER,
  FK_CHIP_FIELD_LAST,
} FkChipField;

/**
 * FkChipMemberKind:
 * @FK_CHIP_MEMBER_UNKNOWN: not a member of the chip's data
 * @FK_CHIP_MEMBER_TEXT: free text (a name, a place, the ethnicity…)
 * @FK_CHIP_MEMBER_DATE: a date, YYYY-MM-DD
 * @FK_CHIP_MEMBER_SEX: "male" or "female"
 * @FK_CHIP_MEMBER_ID_NUMBER: the 12-digit ID number
 * @FK_CHIP_MEMBER_OLD_ID: the old 9- or 12-digit ID number
 *
 * What a member of the chip's data holds, by the name `fieldkit-ctl card
 * read --json` gives it ("full_name", "ethnicity", …); a procedure's
 * field names the member it takes with `from_card` (fk-catalog.h).
 */
typedef enum
{
  FK_CHIP_MEMBER_UNKNOWN,
  FK_CHIP_MEMBER_TEXT,
  FK_CHIP_MEMBER_DATE,
  FK_CHIP_MEMBER_SEX,
  FK_CHIP_MEMBER_ID_NUMBER,
  FK_CHIP_MEMBER_OLD_ID,
} FkChipMemberKind;

FkChipMemberKind fk_chip_member_get_kind (const char *member);
gboolean fk_chip_member_is_sensitive (const char *member);

#define FK_TYPE_CHIP_DATA (fk_chip_data_get_type ())
G_DECLARE_FINAL_TYPE (FkChipData, fk_chip_data, FK, CHIP_DATA, GObject)

FkChipData *fk_chip_data_new_from_files (GBytes *dg1, GBytes *dg13, GError **error);

const char *fk_chip_data_get_text (FkChipData *self, FkChipField field);
const GDate *fk_chip_data_get_birth_date (FkChipData *self);
const GDate *fk_chip_data_get_issue_date (FkChipData *self);
const GDate *fk_chip_data_get_expiry_date (FkChipData *self);
gboolean fk_chip_data_has_no_expiry (FkChipData *self);
FkSex fk_chip_data_get_sex (FkChipData *self);
const FkMrz *fk_chip_data_get_mrz (FkChipData *self);

void fk_chip_data_set_access (FkChipData *self, FkChipAccess access);
FkChipAccess fk_chip_data_get_access (FkChipData *self);
void fk_chip_data_set_pa (FkChipData *self, FkChipPa pa, FkChipPaReason reason);
FkChipPa fk_chip_data_get_pa (FkChipData *self);
FkChipPaReason fk_chip_data_get_pa_reason (FkChipData *self);
void fk_chip_data_set_portrait (FkChipData *self, GBytes *encoded, const char *mime_type);
GBytes *fk_chip_data_get_portrait (FkChipData *self, const char **mime_type);

char *fk_chip_data_dup_member (FkChipData *self, const char *member);
GPtrArray *fk_chip_data_compare_qr (FkChipData *self, FkCccdCard *qr);
JsonNode *fk_chip_data_to_json (FkChipData *self);
void fk_chip_data_add_json_members (FkChipData *self, JsonBuilder *builder);

gboolean fk_chip_parse_date (const char *text, GDate *date);

G_END_DECLS
