/* fk-citizen-private.h: what the dossier model sees of the citizen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-citizen.h"

G_BEGIN_DECLS

/* @check: FALSE reads the members as they are, unchecked (a draft's
 * citizen, still being typed); fk_citizen_validate() checks them later. */
FkCitizen *fk_citizen_new_from_json_at (JsonNode *node, const char *path, gboolean check,
                                        GError **error);

G_END_DECLS
