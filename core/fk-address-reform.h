/* fk-address-reform.h: the 2025 commune for an address written with the
 * old (pre-July-2025) units
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fk-admin-units.h"

G_BEGIN_DECLS

typedef struct
{
  char *old_ward; /* "Phường Trúc Bạch", as in the pre-2025 list; NULL if none was found */
  char *old_district;  /* "Quận Ba Đình"; NULL if none */
  char *old_province;  /* "Thành phố Hà Nội"; NULL if none */
  GPtrArray *communes; /* const FkAdminUnit * (2025 communes, from fk_admin_units_get_default), best
                          first; never NULL, may be empty */
  gboolean whole;      /* the old ward went whole into communes[0] (not split) */
  gboolean current; /* the address already names a 2025 commune (communes[0]) and no old district */
} FkReformSuggestion;

void fk_reform_suggestion_free (FkReformSuggestion *suggestion);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkReformSuggestion, fk_reform_suggestion_free)

/* Returns NULL with @error set only when the shipped lists are damaged;
 * otherwise a suggestion, whose communes are empty when nothing in the
 * address could be placed. Thread-safe: callable from a worker thread. */
FkReformSuggestion *fk_address_reform_suggest (const char *address, GError **error);

G_END_DECLS
