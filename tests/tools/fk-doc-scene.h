/* fk-doc-scene.h: photographs of a rendered Vietnamese form page, for the
 * document-capture tests and bench/doc
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-gray-image.h"

G_BEGIN_DECLS

typedef struct
{
  double page_height; /* page height / frame height */
  double turn;        /* degrees in plane */
  double tilt;        /* degrees about the horizontal axis */
  int blur;           /* box radius, three passes */
  double light;       /* 1 = normal exposure */
  double glare;       /* strength of a specular blob on the page, 0 = none */
  double noise;       /* sensor noise, standard deviation */
} FkDocShot;

FkGrayImage *fk_doc_scene_render_page (char **text);
FkGrayImage *fk_doc_scene_photograph (const FkGrayImage *page, const FkDocShot *shot, guint32 seed);

G_END_DECLS
