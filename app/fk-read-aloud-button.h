/* fk-read-aloud-button.h: "Read aloud" / "Stop" for one text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FK_TYPE_READ_ALOUD_BUTTON (fk_read_aloud_button_get_type ())
G_DECLARE_FINAL_TYPE (FkReadAloudButton, fk_read_aloud_button, FK, READ_ALOUD_BUTTON, AdwBin)

GtkWidget *fk_read_aloud_button_new (const char *control_name);
void fk_read_aloud_button_set_text (FkReadAloudButton *self, const char *text);
const char *fk_read_aloud_button_get_text (FkReadAloudButton *self);
void fk_read_aloud_button_set_control_name (FkReadAloudButton *self, const char *name);
gboolean fk_read_aloud_button_get_speaking (FkReadAloudButton *self);
void fk_read_aloud_button_play (FkReadAloudButton *self);
void fk_read_aloud_button_stop (FkReadAloudButton *self);

G_END_DECLS
