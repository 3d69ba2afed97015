/* fk-window.c: the main window, sized for a 800×480 touchscreen and up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-window.h"

struct _FkWindow
{
  AdwApplicationWindow parent_instance;

  AdwViewStack *stack;
};

G_DEFINE_FINAL_TYPE (FkWindow, fk_window, ADW_TYPE_APPLICATION_WINDOW)

FkWindow *
fk_window_new (FkApplication *app)
{
  return g_object_new (FK_TYPE_WINDOW, "application", app, NULL);
}

static void
fk_window_class_init (FkWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/vn/fieldkit/app/ui/fk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FkWindow, stack);
}

static void
fk_window_init (FkWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
