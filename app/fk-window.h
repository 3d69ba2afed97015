/* fk-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fk-application.h"

G_BEGIN_DECLS

#define FK_TYPE_WINDOW (fk_window_get_type ())

G_DECLARE_FINAL_TYPE (FkWindow, fk_window, FK, WINDOW, AdwApplicationWindow)

FkWindow *fk_window_new (FkApplication *app);
void fk_window_navigate (FkWindow *self, const char *page);
const char *fk_window_get_page (FkWindow *self);
const char *fk_window_get_page_title (FkWindow *self);
/* How long a message stays above its page. */
#define FK_WINDOW_TOAST_SECONDS 4
void fk_window_toast (FkWindow *self, const char *message);
void fk_window_lock (FkWindow *self);
void fk_window_set_kiosk (FkWindow *self, gboolean kiosk);
void fk_window_unlocked (FkWindow *self);

G_END_DECLS
