/* fk-scroll.c: bring what just appeared into view
 *
 * On the 800×480 screen a page's lower part is often below the fold: the
 * advice that appears for a chosen outcome, the camera preview that opens
 * under a search row. The officer should not have to guess that it is
 * there and scroll for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-scroll.h"

#define TARGET_KEY "fk-scroll-target"

static void
scroll_now (GtkScrolledWindow *scrolled, GtkWidget *widget)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  double value = gtk_adjustment_get_value (adjustment);
  double page = gtk_adjustment_get_page_size (adjustment);
  graphene_rect_t bounds;

  if (!gtk_widget_get_mapped (widget) ||
      !gtk_widget_compute_bounds (widget, GTK_WIDGET (scrolled), &bounds))
    return;
  /* Its bottom edge into view, but never its top out of it. */
  if (bounds.origin.y + bounds.size.height > page)
    value += MIN (bounds.origin.y + bounds.size.height - page, bounds.origin.y);
  else if (bounds.origin.y < 0)
    value += bounds.origin.y;
  gtk_adjustment_set_value (adjustment, value);
}

static void
after_paint (GdkFrameClock *clock, gpointer user_data)
{
  g_autoptr (GtkScrolledWindow) scrolled = user_data;
  g_autoptr (GtkWidget) target = g_object_steal_data (G_OBJECT (scrolled), TARGET_KEY);

  g_signal_handlers_disconnect_by_func (clock, after_paint, user_data);
  if (target != NULL)
    scroll_now (scrolled, target);
}

/**
 * fk_scroll_into_view:
 * @widget: a widget inside a #GtkScrolledWindow, such as a page's
 *   #AdwPreferencesPage
 *
 * Scrolls so all of @widget is visible (its top if it is taller than the
 * view), once the frame being prepared has placed it: call it right after
 * showing @widget or changing its contents. Of several calls before that
 * frame, the last one wins.
 */
void
fk_scroll_into_view (GtkWidget *widget)
{
  GtkWidget *scrolled;
  GdkFrameClock *clock;
  gboolean pending;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  clock = gtk_widget_get_frame_clock (widget);
  if (scrolled == NULL || clock == NULL)
    return;
  pending = g_object_get_data (G_OBJECT (scrolled), TARGET_KEY) != NULL;
  g_object_set_data_full (G_OBJECT (scrolled), TARGET_KEY, g_object_ref (widget), g_object_unref);
  if (pending)
    return;
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint), g_object_ref (scrolled));
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
}
