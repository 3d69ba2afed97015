/* fk-cccd.h: the QR payload of a Vietnamese chip ID card (CCCD)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Longest name and address, in characters, a card or a citizen may have */
#define FK_CCCD_MAX_NAME    100
#define FK_CCCD_MAX_ADDRESS 500

typedef enum
{
  FK_SEX_UNKNOWN,
  FK_SEX_MALE,
  FK_SEX_FEMALE,
} FkSex;

#define FK_TYPE_SEX (fk_sex_get_type ())
GType fk_sex_get_type (void);
const char *fk_sex_to_string (FkSex sex);
FkSex fk_sex_from_string (const char *s);

/**
 * FkCccdProblem:
 *
 * One rule a scanned payload broke. Everything up to
 * %FK_CCCD_PROBLEM_NAME_EMPTY is an error (the card data cannot be used);
 * the rest are warnings the officer should look at.
 */
typedef enum
{
  FK_CCCD_PROBLEM_NOT_UTF8,
  FK_CCCD_PROBLEM_GARBLED_TEXT,
  FK_CCCD_PROBLEM_TOO_FEW_FIELDS,
  FK_CCCD_PROBLEM_ID_FORMAT,
  FK_CCCD_PROBLEM_UNKNOWN_PROVINCE,
  FK_CCCD_PROBLEM_SEX_DIGIT_MISMATCH,
  FK_CCCD_PROBLEM_CENTURY_DIGIT_MISMATCH,
  FK_CCCD_PROBLEM_BIRTH_YEAR_MISMATCH,
  FK_CCCD_PROBLEM_BIRTH_DATE_INVALID,
  FK_CCCD_PROBLEM_BIRTH_DATE_FUTURE,
  FK_CCCD_PROBLEM_ISSUE_DATE_INVALID,
  FK_CCCD_PROBLEM_ISSUE_BEFORE_BIRTH,
  FK_CCCD_PROBLEM_ISSUE_DATE_FUTURE,
  FK_CCCD_PROBLEM_OLD_ID_FORMAT,
  FK_CCCD_PROBLEM_SEX_INVALID,
  FK_CCCD_PROBLEM_FIELD_TOO_LONG,
  FK_CCCD_PROBLEM_NAME_EMPTY,
  /* warnings */
  FK_CCCD_PROBLEM_EXTRA_FIELDS,
  FK_CCCD_PROBLEM_NAME_LOWERCASE,
  FK_CCCD_PROBLEM_NAME_HAS_DIGITS,
  FK_CCCD_PROBLEM_ADDRESS_EMPTY,
  FK_CCCD_PROBLEM_LAST,
} FkCccdProblem;

gboolean fk_cccd_problem_is_error (FkCccdProblem problem);
const char *fk_cccd_problem_to_string (FkCccdProblem problem);
const char *fk_cccd_problem_get_message (FkCccdProblem problem);
const char *fk_cccd_problem_get_message_en (FkCccdProblem problem);

#define FK_TYPE_CCCD_CARD (fk_cccd_card_get_type ())
G_DECLARE_FINAL_TYPE (FkCccdCard, fk_cccd_card, FK, CCCD_CARD, GObject)

FkCccdCard *fk_cccd_parse (const guint8 *data, gsize len);
FkCccdCard *fk_cccd_parse_full (const guint8 *data, gsize len, const GDate *today);

gboolean fk_cccd_card_is_valid (FkCccdCard *self);
const char *fk_cccd_card_get_id_number (FkCccdCard *self);
const char *fk_cccd_card_get_old_id (FkCccdCard *self);
const char *fk_cccd_card_get_full_name (FkCccdCard *self);
const GDate *fk_cccd_card_get_birth_date (FkCccdCard *self);
const char *fk_cccd_card_get_birth_date_iso (FkCccdCard *self);
FkSex fk_cccd_card_get_sex (FkCccdCard *self);
const char *fk_cccd_card_get_address (FkCccdCard *self);
const GDate *fk_cccd_card_get_issue_date (FkCccdCard *self);
const char *fk_cccd_card_get_issue_date_iso (FkCccdCard *self);
const char *fk_cccd_card_get_birth_province_code (FkCccdCard *self);
const char *fk_cccd_card_get_birth_province_name (FkCccdCard *self);
const char *const *fk_cccd_card_get_extra_fields (FkCccdCard *self);
GBytes *fk_cccd_card_get_raw (FkCccdCard *self);
const GArray *fk_cccd_card_get_errors (FkCccdCard *self);
const GArray *fk_cccd_card_get_warnings (FkCccdCard *self);
gboolean fk_cccd_card_has_problem (FkCccdCard *self, FkCccdProblem problem);
JsonNode *fk_cccd_card_to_json (FkCccdCard *self);

const char *fk_cccd_province_name (const char *code);

G_END_DECLS
