/* fk-practice-card.h: an invented citizen's card, as the simulated camera
 * shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fk-practice.h"

G_BEGIN_DECLS

gboolean fk_practice_card_write (const FkPracticeCitizen *citizen, const char *path,
                                 GError **error);

G_END_DECLS
