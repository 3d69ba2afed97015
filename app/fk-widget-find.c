/* fk-widget-find.c: a widget found by its name (gtk_widget_set_name(), the
 * `name` property of the templates)
 *
 * The guided tour points at a step's control by that name, and the test
 * actions reach controls the way a tap would, by the same names.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-widget-find.h"

/* (transfer none) (nullable): @root or the first of its descendants, depth
 * first, named @name. */
GtkWidget *
fk_widget_find_named (GtkWidget *root, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = fk_widget_find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}
