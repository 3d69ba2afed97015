/* fk-test-actions-private.h: what the test actions' files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* fk-test-actions-state.c: writes the state of @app's window, with @page
 * (nullable) as its visible page, as JSON to @path (through a temporary
 * name, so a reader never sees half a file). */
void fk_test_actions_dump_state (GtkApplication *app, GtkWidget *page, const char *path);

G_END_DECLS
