/* fk-intake-tour.h: a guided tour of the intake wizard for a first-time volunteer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FK_TYPE_INTAKE_TOUR (fk_intake_tour_get_type ())
G_DECLARE_FINAL_TYPE (FkIntakeTour, fk_intake_tour, FK, INTAKE_TOUR, GtkWidget)

void fk_intake_tour_start (FkIntakeTour *self, GtkStack *steps, GtkWidget *content);
void fk_intake_tour_stop (FkIntakeTour *self);
gboolean fk_intake_tour_get_running (FkIntakeTour *self);
int fk_intake_tour_get_stop (FkIntakeTour *self);
guint fk_intake_tour_get_n_stops (void);
const char *fk_intake_tour_get_target_name (FkIntakeTour *self);
GtkWidget *fk_intake_tour_get_target (FkIntakeTour *self);
GtkWidget *fk_intake_tour_get_card (FkIntakeTour *self);

G_END_DECLS
