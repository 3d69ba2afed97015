/* fk-doc.h: document capture: is this photo of a paper good enough to send,
 * and the page cropped and compressed for upload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "fk-gray-image.h"

G_BEGIN_DECLS

/**
 * FkDocIssue:
 *
 * What is wrong with a document photo, each with advice a user can follow
 * (fk_doc_issue_get_advice()).
 */
typedef enum
{
  FK_DOC_ISSUE_NONE = 0,
  FK_DOC_ISSUE_BLURRED = 1 << 0,
  FK_DOC_ISSUE_DARK = 1 << 1,
  FK_DOC_ISSUE_GLARE = 1 << 2,
  FK_DOC_ISSUE_PAGE_SMALL = 1 << 3,
  FK_DOC_ISSUE_NO_PAGE = 1 << 4,
} FkDocIssue;

typedef struct
{
  FkDocIssue issues;   /* a mask; FK_DOC_ISSUE_NONE when the photo is fine */
  double sharpness;    /* variance of the Laplacian on the page, at 1000 px */
  double brightness;   /* mean luminance of the page, 0–255 */
  double glare;        /* fraction of page pixels clipped white */
  double page_fill;    /* page area / frame area, 0 when no page was found */
  gboolean page_found; /* the page corners below are meaningful */
  double page[8];      /* corners TL, TR, BR, BL in image pixels */
} FkDocQuality;

/* Thresholds, measured on generated pages (see tests/hw/test-doc.c and the
 * report of bench/doc). */
#define FK_DOC_MIN_SHARPNESS  150.0
#define FK_DOC_MIN_BRIGHTNESS 90.0
#define FK_DOC_MAX_GLARE      0.01
#define FK_DOC_MIN_PAGE_FILL  0.45

void fk_doc_quality_check (const FkGrayImage *image, FkDocQuality *quality);
const char *fk_doc_issue_get_advice (FkDocIssue issue);
const char *fk_doc_issue_to_string (FkDocIssue issue);

FkGrayImage *fk_doc_crop_page (const FkGrayImage *image, const double page[8]);

/**
 * FkDocCompressed:
 *
 * A page ready to upload.
 */
typedef struct
{
  GBytes *jpeg;
  int width;
  int height;
  int quality;
} FkDocCompressed;

void fk_doc_compressed_free (FkDocCompressed *compressed);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkDocCompressed, fk_doc_compressed_free)

#define FK_DOC_MAX_UPLOAD_BYTES (150 * 1024)
#define FK_DOC_PAGE_LONG_SIDE   1600

FkDocCompressed *fk_doc_compress (const FkGrayImage *page, gsize max_bytes, GError **error);
FkDocCompressed *fk_doc_compress_at (const FkGrayImage *page, int long_side, int quality,
                                     GError **error);

G_END_DECLS
