/* fk-mrz.h: the machine-readable zone of an ID card (ICAO Doc 9303 TD1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define FK_MRZ_TD1_LENGTH 90 /* three lines of 30 characters, no line breaks */

/**
 * FkMrz:
 *
 * A TD1 zone as read from the chip's DG1. Dates stay as the zone writes
 * them (YYMMDD, or "<<<<<<" when the document has no expiry); the name has
 * its fillers turned into spaces and its two parts joined by one space.
 */
typedef struct
{
  char *document_code;   /* "ID", "I<" */
  char *issuing_state;   /* "VNM" */
  char *document_number; /* without fillers */
  char *optional1;       /* line 1 after the number: a CCCD puts the 12-digit ID here */
  char *birth;           /* YYMMDD */
  char sex;              /* 'M', 'F' or '<' */
  char *expiry;          /* YYMMDD or "<<<<<<" */
  char *nationality;
  char *optional2;
  char *name;
  gboolean check_digits_ok; /* every check digit, the composite one included */
} FkMrz;

#define FK_TYPE_MRZ (fk_mrz_get_type ())
GType fk_mrz_get_type (void);
FkMrz *fk_mrz_copy (const FkMrz *mrz);
void fk_mrz_free (FkMrz *mrz);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkMrz, fk_mrz_free)

int fk_mrz_check_digit (const char *s, gsize len);
FkMrz *fk_mrz_parse_td1 (const char *text, gsize len, GError **error);
FkMrz *fk_mrz_parse_dg1 (GBytes *dg1, GError **error);
char *fk_mrz_format_date (const GDate *date);
char *fk_mrz_bac_key_seed_text (const char *document_number, const char *birth_yymmdd,
                                const char *expiry_yymmdd);
char *fk_mrz_cccd_document_number (const char *id_number);

G_END_DECLS
