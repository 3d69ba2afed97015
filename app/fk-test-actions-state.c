/* fk-test-actions-state.c: what `app.dump-state` writes (see
 * fk-test-actions.c): the visible page's named widgets, the controls and
 * texts on screen with their bounds, targets too small for a finger, the
 * guided tour, whether the window has buttons of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <math.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "fk-application.h"
#include "fk-intake-tour.h"
#include "fk-test-actions.h"
#include "private/fk-test-actions-private.h"
#include "fk-window.h"

/* The mean of R, G and B of the picture drawn at 32×32: enough for a test
 * to see a picture get lighter or darker. Drawn by the window's renderer,
 * as a screenshot is, so the download reads an ordinary rendered texture. */
static double
mean_level (GtkWidget *widget, GdkPaintable *paintable)
{
  enum
  {
    SIDE = 32
  };
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) small = NULL;
  g_autofree guchar *pixels = g_malloc (SIDE * SIDE * 4);
  guint64 sum = 0;

  gdk_paintable_snapshot (paintable, snapshot, SIDE, SIDE);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL || renderer == NULL)
    return 0;
  small = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, SIDE, SIDE));
  gdk_texture_download (small, pixels, SIDE * 4);
  for (gsize i = 0; i < SIDE * SIDE; i++)
    sum += pixels[i * 4] + pixels[i * 4 + 1] + pixels[i * 4 + 2];
  return (double) sum / (SIDE * SIDE * 3);
}

/* Whether all of @widget is on screen: drawn, and inside the visible part
 * of every scrolled window around it and of its window. */
static gboolean
in_view (GtkWidget *widget)
{
  if (!gtk_widget_is_drawable (widget))
    return FALSE;
  for (GtkWidget *outer = gtk_widget_get_parent (widget); outer != NULL;
       outer = gtk_widget_get_parent (outer))
    {
      graphene_rect_t bounds, area;

      if (!GTK_IS_SCROLLED_WINDOW (outer) && !GTK_IS_WINDOW (outer))
        continue;
      if (!gtk_widget_compute_bounds (widget, outer, &bounds))
        return FALSE;
      graphene_rect_init (&area, -1, -1, gtk_widget_get_width (outer) + 2,
                          gtk_widget_get_height (outer) + 2);
      if (!graphene_rect_contains_rect (&area, &bounds))
        return FALSE;
    }
  return TRUE;
}

/* Where @widget is in its window, [x, y, width, height], as on a
 * screenshot; all zero when it is not placed. */
static void
add_bounds (JsonBuilder *builder, GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  graphene_rect_t bounds;

  if (root == NULL || !gtk_widget_compute_bounds (widget, GTK_WIDGET (root), &bounds))
    graphene_rect_init (&bounds, 0, 0, 0, 0);
  json_builder_begin_array (builder);
  json_builder_add_int_value (builder, (gint64) floorf (bounds.origin.x));
  json_builder_add_int_value (builder, (gint64) floorf (bounds.origin.y));
  json_builder_add_int_value (builder, (gint64) ceilf (bounds.size.width));
  json_builder_add_int_value (builder, (gint64) ceilf (bounds.size.height));
  json_builder_end_array (builder);
}

#define MIN_TARGET 48

static gboolean
is_touch_target (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_SWITCH (widget) ||
         GTK_IS_DROP_DOWN (widget) || GTK_IS_ENTRY (widget) || GTK_IS_SEARCH_ENTRY (widget) ||
         GTK_IS_PASSWORD_ENTRY (widget) || GTK_IS_SPIN_BUTTON (widget) || GTK_IS_SCALE (widget);
}

/* Controls on screen that a finger could miss: smaller than 48×48 px,
 * unless the row around them is activatable and takes the tap. */
static void
dump_small_targets (JsonBuilder *builder, GtkWidget *widget)
{
  if (!gtk_widget_is_drawable (widget) || !gtk_widget_get_can_target (widget))
    return;
  if (is_touch_target (widget) && gtk_widget_is_sensitive (widget) && in_view (widget))
    {
      GtkWidget *target = widget;
      GtkWidget *row = gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW);

      if (row != NULL && gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)))
        target = row;
      if (gtk_widget_get_width (target) < MIN_TARGET || gtk_widget_get_height (target) < MIN_TARGET)
        {
          const char *label = GTK_IS_BUTTON (widget) ? gtk_button_get_label (GTK_BUTTON (widget))
                              : GTK_IS_CHECK_BUTTON (widget)
                                ? gtk_check_button_get_label (GTK_CHECK_BUTTON (widget))
                                : NULL;
          g_autofree char *text = g_strdup_printf (
            "%s %s%s%s %d×%d", G_OBJECT_TYPE_NAME (widget), gtk_widget_get_name (widget),
            label != NULL ? " " : "", label != NULL ? label : "", gtk_widget_get_width (target),
            gtk_widget_get_height (target));
          json_builder_add_string_value (builder, text);
        }
      /* A button's inside is not another target. */
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    dump_small_targets (builder, child);
}

/* Whether @widget shows window buttons (close, minimize, …) of its own. */
static gboolean
has_window_buttons (GtkWidget *widget)
{
  if (!gtk_widget_get_visible (widget))
    return FALSE;
  if (GTK_IS_WINDOW_CONTROLS (widget) &&
      !gtk_window_controls_get_empty (GTK_WINDOW_CONTROLS (widget)))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_window_buttons (child))
      return TRUE;
  return FALSE;
}

/* Every control on screen with where it is, for a test to check that no
 * message and no other control lies over it. */
static void
dump_controls (JsonBuilder *builder, GtkWidget *widget)
{
  if (!gtk_widget_is_drawable (widget) || !gtk_widget_get_can_target (widget))
    return;
  if (is_touch_target (widget) && in_view (widget))
    {
      const char *label =
        GTK_IS_BUTTON (widget) ? gtk_button_get_label (GTK_BUTTON (widget)) : NULL;
      g_autofree char *text =
        g_strdup_printf ("%s %s%s%s", G_OBJECT_TYPE_NAME (widget), gtk_widget_get_name (widget),
                         label != NULL ? " " : "", label != NULL ? label : "");

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "control");
      json_builder_add_string_value (builder, text);
      json_builder_set_member_name (builder, "bounds");
      add_bounds (builder, widget);
      json_builder_end_object (builder);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    dump_controls (builder, child);
}

/* Every text on screen with where it is, for a test to measure its
 * contrast on a screenshot. Insensitive controls are dimmed on purpose and
 * left out. */
static void
dump_texts (JsonBuilder *builder, GtkWidget *widget)
{
  if (!gtk_widget_is_drawable (widget) || !gtk_widget_is_sensitive (widget))
    return;
  if (GTK_IS_LABEL (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0' && in_view (widget))
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, gtk_label_get_text (GTK_LABEL (widget)));
      json_builder_set_member_name (builder, "bounds");
      add_bounds (builder, widget);
      json_builder_end_object (builder);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    dump_texts (builder, child);
}

/* A combo row's choice, its subtitle and every option it offers. */
static void
dump_combo_row (JsonBuilder *builder, AdwComboRow *row)
{
  gpointer item = adw_combo_row_get_selected_item (row);
  GListModel *model = adw_combo_row_get_model (row);

  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (
    builder, GTK_IS_STRING_OBJECT (item) ? gtk_string_object_get_string (item) : "");
  json_builder_set_member_name (builder, "subtitle");
  json_builder_add_string_value (builder, adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) ?: "");
  json_builder_set_member_name (builder, "options");
  json_builder_begin_array (builder);
  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (GObject) option = g_list_model_get_item (model, i);

      json_builder_add_string_value (builder,
                                     GTK_IS_STRING_OBJECT (option)
                                       ? gtk_string_object_get_string (GTK_STRING_OBJECT (option))
                                       : "");
    }
  json_builder_end_array (builder);
}

static void
dump_action_row (JsonBuilder *builder, AdwActionRow *row)
{
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder,
                                 adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)) ?: "");
  json_builder_set_member_name (builder, "subtitle");
  json_builder_add_string_value (builder, adw_action_row_get_subtitle (row) ?: "");
}

/* Whether a picture or an image shows something; a picture's brightness. */
static void
dump_image (JsonBuilder *builder, GtkWidget *widget)
{
  GdkPaintable *paintable = GTK_IS_PICTURE (widget)
                              ? gtk_picture_get_paintable (GTK_PICTURE (widget))
                              : gtk_image_get_paintable (GTK_IMAGE (widget));

  json_builder_set_member_name (builder, "has_image");
  json_builder_add_boolean_value (builder, paintable != NULL);
  if (paintable != NULL && GTK_IS_PICTURE (widget))
    {
      json_builder_set_member_name (builder, "mean_level");
      json_builder_add_double_value (builder, mean_level (widget, paintable));
    }
}

/* Widget names are set in the templates only where a test needs a fact;
 * GTK gives every other widget its type name, which starts with "Gtk"/"Adw". */
static void
dump_widgets (JsonBuilder *builder, GtkWidget *widget)
{
  const char *name = gtk_widget_get_name (widget);

  if (name != NULL && g_ascii_islower (name[0]))
    {
      json_builder_set_member_name (builder, name);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "visible");
      json_builder_add_boolean_value (builder, gtk_widget_is_visible (widget));
      json_builder_set_member_name (builder, "sensitive");
      json_builder_add_boolean_value (builder, gtk_widget_is_sensitive (widget));
      json_builder_set_member_name (builder, "in_view");
      json_builder_add_boolean_value (builder, in_view (widget));
      json_builder_set_member_name (builder, "bounds");
      add_bounds (builder, widget);
      if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
        {
          json_builder_set_member_name (builder, "text");
          json_builder_add_string_value (builder, gtk_button_get_label (GTK_BUTTON (widget)));
        }
      if (GTK_IS_LABEL (widget) || GTK_IS_EDITABLE (widget))
        {
          json_builder_set_member_name (builder, "text");
          json_builder_add_string_value (
            builder, GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget))
                                           : gtk_editable_get_text (GTK_EDITABLE (widget)));
        }
      if (ADW_IS_COMBO_ROW (widget))
        dump_combo_row (builder, ADW_COMBO_ROW (widget));
      else if (ADW_IS_ACTION_ROW (widget))
        dump_action_row (builder, ADW_ACTION_ROW (widget));
      if (GTK_IS_STACK (widget))
        {
          json_builder_set_member_name (builder, "child");
          json_builder_add_string_value (
            builder, gtk_stack_get_visible_child_name (GTK_STACK (widget)) ?: "");
        }
      if (GTK_IS_PROGRESS_BAR (widget))
        {
          json_builder_set_member_name (builder, "fraction");
          json_builder_add_double_value (builder,
                                         gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (widget)));
        }
      if (GTK_IS_SWITCH (widget) || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_TOGGLE_BUTTON (widget))
        {
          json_builder_set_member_name (builder, "active");
          json_builder_add_boolean_value (
            builder, GTK_IS_SWITCH (widget) ? gtk_switch_get_active (GTK_SWITCH (widget))
                     : GTK_IS_TOGGLE_BUTTON (widget)
                       ? gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (widget))
                       : gtk_check_button_get_active (GTK_CHECK_BUTTON (widget)));
        }
      if (GTK_IS_IMAGE (widget) || GTK_IS_PICTURE (widget))
        dump_image (builder, widget);
      json_builder_end_object (builder);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    dump_widgets (builder, child);
}

static FkIntakeTour *
find_tour (GtkWidget *widget)
{
  if (FK_IS_INTAKE_TOUR (widget))
    return FK_INTAKE_TOUR (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      FkIntakeTour *found = find_tour (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The guided tour on the visible page, when it runs. */
static void
dump_tour (JsonBuilder *builder, GtkWidget *page)
{
  FkIntakeTour *tour = page != NULL ? find_tour (page) : NULL;
  GtkWidget *target;

  if (tour == NULL || !fk_intake_tour_get_running (tour))
    return;
  target = fk_intake_tour_get_target (tour);
  json_builder_set_member_name (builder, "tour");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "stop");
  json_builder_add_int_value (builder, fk_intake_tour_get_stop (tour) + 1);
  json_builder_set_member_name (builder, "of");
  json_builder_add_int_value (builder, fk_intake_tour_get_n_stops ());
  json_builder_set_member_name (builder, "target");
  json_builder_add_string_value (builder, fk_intake_tour_get_target_name (tour));
  json_builder_set_member_name (builder, "target_found");
  json_builder_add_boolean_value (builder, target != NULL);
  json_builder_set_member_name (builder, "target_highlighted");
  json_builder_add_boolean_value (builder, target != NULL &&
                                             gtk_widget_has_css_class (target, "tour-target"));
  json_builder_set_member_name (builder, "target_in_view");
  json_builder_add_boolean_value (builder, target != NULL && in_view (target));
  json_builder_set_member_name (builder, "target_bounds");
  if (target != NULL)
    add_bounds (builder, target);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "card_bounds");
  add_bounds (builder, fk_intake_tour_get_card (tour));
  json_builder_end_object (builder);
}

void
fk_test_actions_dump_state (GtkApplication *app, GtkWidget *page, const char *path)
{
  GtkWindow *window = gtk_application_get_active_window (app);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tmp = g_strdup_printf ("%s.part", path);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "page");
  json_builder_add_string_value (
    builder, FK_IS_WINDOW (window) ? fk_window_get_page (FK_WINDOW (window)) : "");
  json_builder_set_member_name (builder, "dialog");
  json_builder_add_string_value (
    builder, ADW_IS_MESSAGE_DIALOG (window)
               ? adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)) ?: ""
               : "");
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (
    builder, FK_IS_WINDOW (window) ? fk_window_get_page_title (FK_WINDOW (window)) : "");
  json_builder_set_member_name (builder, "renderer");
  json_builder_add_string_value (
    builder, window != NULL && gtk_native_get_renderer (GTK_NATIVE (window)) != NULL
               ? G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window)))
               : "");
  json_builder_set_member_name (builder, "speaking");
  json_builder_add_boolean_value (builder, fk_speech_get_speaking (fk_session_get_speech (
                                             fk_application_get_session (FK_APPLICATION (app)))));
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, window ? gtk_widget_get_width (GTK_WIDGET (window)) : 0);
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, window ? gtk_widget_get_height (GTK_WIDGET (window)) : 0);
  json_builder_set_member_name (builder, "window_buttons");
  json_builder_add_boolean_value (builder,
                                  window != NULL && has_window_buttons (GTK_WIDGET (window)));
  json_builder_set_member_name (builder, "small_targets");
  json_builder_begin_array (builder);
  if (window != NULL)
    dump_small_targets (builder, GTK_WIDGET (window));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "controls");
  json_builder_begin_array (builder);
  if (window != NULL)
    dump_controls (builder, GTK_WIDGET (window));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "texts");
  json_builder_begin_array (builder);
  if (window != NULL)
    dump_texts (builder, GTK_WIDGET (window));
  json_builder_end_array (builder);
  dump_tour (builder, page);
  json_builder_set_member_name (builder, "widgets");
  json_builder_begin_object (builder);
  if (page != NULL)
    dump_widgets (builder, page);
  /* The message bar above the pages, as "toast", and the practice band. */
  if (FK_IS_WINDOW (window))
    {
      dump_widgets (builder, GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                        FK_TYPE_WINDOW, "toast")));
      dump_widgets (builder, GTK_WIDGET (gtk_widget_get_template_child (
                               GTK_WIDGET (window), FK_TYPE_WINDOW, "practice_band")));
      dump_widgets (builder, GTK_WIDGET (gtk_widget_get_template_child (
                               GTK_WIDGET (window), FK_TYPE_WINDOW, "practice_card_button")));
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  if (g_file_set_contents (tmp, text, -1, NULL))
    g_rename (tmp, path);
}
