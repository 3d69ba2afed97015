/* fk-homography.h: the projective map between two quadrilaterals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void fk_homography (const double from[8], const double to[8], double h[9]);

G_END_DECLS
