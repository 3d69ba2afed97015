/* fk-widget-find.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkWidget *fk_widget_find_named (GtkWidget *root, const char *name);

G_END_DECLS
