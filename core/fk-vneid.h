/* fk-vneid.h: the outcomes of a VNeID level-1 activation the team helps
 * with: success, or the usual reasons it fails, with the advice the
 * officer gives
 *
 * The device records one code per help; the commune's office counts them
 * in its reports under the same titles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * FkVneidOutcome:
 * @code: "success", "no-nfc", … (what the device reports)
 * @title: (not translated): translate it with gettext
 * @advice: (not translated): what the officer tells the citizen
 */
typedef struct
{
  const char *code;
  const char *title;
  const char *advice;
} FkVneidOutcome;

/* The first is success; the others are failures. */
guint fk_vneid_outcome_get_n (void);
const FkVneidOutcome *fk_vneid_outcome_get (guint index);
const FkVneidOutcome *fk_vneid_outcome_lookup (const char *code);

G_END_DECLS
