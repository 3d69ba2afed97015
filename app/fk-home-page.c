/* fk-home-page.c: large tiles to every task, one tap away
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-home-page.h"

struct _FkHomePage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (FkHomePage, fk_home_page, ADW_TYPE_BIN)

static void
fk_home_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_HOME_PAGE);
  G_OBJECT_CLASS (fk_home_page_parent_class)->dispose (object);
}

static void
fk_home_page_class_init (FkHomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fk_home_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/vn/fieldkit/app/ui/fk-home-page.ui");
}

static void
fk_home_page_init (FkHomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
