/* fk-citizen-private.h: what the dossier model sees of the citizen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-citizen.h"

G_BEGIN_DECLS

FkCitizen *fk_citizen_new_from_json_at (JsonNode *node, const char *path, GError **error);

G_END_DECLS
