/* fk-test-actions.c: actions that let a test drive and photograph the app
 *
 * Compiled into fieldkit only when the build is configured with
 * -Dtest_hooks=true (scripts/test does), and installed only when
 * FIELDKIT_TEST_ACTIONS=1. The UI tests run the real app and reach these
 * over D-Bus (GApplication exports its actions):
 *
 * - `app.activate-ui (s, av)`: activates a widget action (`win.navigate`,
 *   `intake.next`, …) on the visible page, so page actions resolve as a tap
 *   would; the array holds the parameter, or nothing.
 * - `app.screenshot (s)`: renders the active window to a PNG file (written
 *   to a temporary name, then renamed, so a reader never sees half a file).
 * - `app.resize ((ii))`: sets the window size (800×480, 1280×800).
 * - `app.dump-state (s)`: writes the visible page and widget facts as JSON
 *   (and under "speaking" whether the speech device is saying a text):
 *   every widget of the visible page with a `name` (labels, entries, stacks,
 *   progress bars, switches, rows with their title and subtitle) under
 *   "widgets", with its text and visibility, every control on screen
 *   with its bounds under "controls", and under "window_buttons" whether
 *   the window shows a close button (a kiosk's does not).
 * - `app.type (ss)`: sets the text of the entry named by the first string on
 *   the visible page, as typing on the on-screen keyboard would.
 * - `app.respond (s)`: answers the message dialog on top with this response
 *   id, as tapping its button would; dump-state names that dialog's heading
 *   under "dialog" (empty when none is open).
 * - `app.click (s)`: activates the named widget of the visible page (a
 *   button, a toggle button) as a tap would.
 * - `app.select (ss)`: picks the option with this label in the named combo
 *   row of the visible page, as a tap in its list would.
 * - `app.focus (s)`: gives the keyboard focus to the named widget of the
 *   visible page, as a tap on it would; the empty string takes the focus
 *   from every widget, as a tap beside the fields would. The on-screen
 *   keyboard follows it (tests/kiosk).
 *
 * While the intake's guided tour runs, dump-state tells it under "tour"
 * (the stop from 1, how many, the control explained with
 * its bounds, the card's bounds); its buttons are tapped with app.click
 * (tour-next, tour-back, tour-skip). A control that no tap can reach (the
 * page under the tour) is left out of "controls" and "small_targets".
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
#include "fk-window.h"

static GtkWidget *
visible_page (GtkApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (app);

  if (window == NULL)
    return NULL;
  /* Page actions resolve from the visible page up to the window, as a tap
   * on that page would; a dialog on top is the active window itself. */
  if (FK_IS_WINDOW (window))
    {
      GtkStack *stack =
        GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (window), FK_TYPE_WINDOW, "pages"));
      if (stack != NULL && gtk_stack_get_visible_child (stack) != NULL)
        return gtk_stack_get_visible_child (stack);
    }
  return GTK_WIDGET (window);
}

static void
activate_ui_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GtkApplication *app = user_data;
  const char *name;
  g_autoptr (GVariant) args = NULL;
  g_autoptr (GVariant) value = NULL;
  GtkWidget *widget = visible_page (app);

  g_variant_get (param, "(&s@av)", &name, &args);
  if (widget == NULL)
    return;
  if (g_variant_n_children (args) > 0)
    {
      g_autoptr (GVariant) boxed = g_variant_get_child_value (args, 0);
      value = g_variant_get_variant (boxed);
    }
  if (!gtk_widget_activate_action_variant (widget, name, value))
    g_message ("test action %s: not found from the visible page", name);
}

/* A window as its surface was last drawn: its CSS background, which the
 * generic snapshot adds around the class's, then its contents. A
 * GtkWidgetPaintable of a toplevel comes back empty once it is cached. */
static void
snapshot_window (GtkWidget *window, GtkSnapshot *snapshot)
{
  gtk_snapshot_render_background (snapshot, gtk_widget_get_style_context (window), 0, 0,
                                  gtk_widget_get_width (window), gtk_widget_get_height (window));
  GTK_WIDGET_GET_CLASS (window)->snapshot (window, snapshot);
}

static void
write_png (GtkWidget *widget, const char *path)
{
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *tmp = g_strdup_printf ("%s.part", path);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (widget));

  snapshot_window (widget, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL || renderer == NULL)
    return;
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (texture != NULL && gdk_texture_save_to_png (texture, tmp))
    g_rename (tmp, path);
}

/* A dialog is its own window: the officer sees it over the dimmed page, so
 * that is what the screenshot shows, at the size of the page. */
static void
write_dialog_png (GtkWidget *dialog, GtkWidget *parent, const char *path)
{
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *tmp = g_strdup_printf ("%s.part", path);
  int width = gtk_widget_get_width (parent);
  int height = gtk_widget_get_height (parent);
  int dialog_width = gtk_widget_get_width (dialog);
  int dialog_height = gtk_widget_get_height (dialog);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (parent));
  GdkRGBA background;
  GskRoundedRect card;

  snapshot_window (parent, snapshot);
  gtk_snapshot_append_color (snapshot, &(GdkRGBA){ 0, 0, 0, 0.4 },
                             &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (MAX (0, (width - dialog_width) / 2),
                                                          MAX (0, (height - dialog_height) / 2)));
  /* The compositor draws the dialog's rounded card; here it is drawn by hand. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (dialog), "dialog_bg_color",
                                       &background))
    background = (GdkRGBA){ 0.98, 0.98, 0.98, 1 };
  G_GNUC_END_IGNORE_DEPRECATIONS
  gsk_rounded_rect_init_from_rect (&card, &GRAPHENE_RECT_INIT (0, 0, dialog_width, dialog_height),
                                   12);
  gtk_snapshot_push_rounded_clip (snapshot, &card);
  gtk_snapshot_append_color (snapshot, &background, &card.bounds);
  GTK_WIDGET_GET_CLASS (dialog)->snapshot (dialog, snapshot);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_restore (snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL || renderer == NULL)
    return;
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (gdk_texture_save_to_png (texture, tmp))
    g_rename (tmp, path);
}

typedef struct
{
  GtkWidget *widget;
  char *path;
  gulong handler;
  int frames;
} Shot;

static void
shot_free (Shot *shot)
{
  g_object_unref (shot->widget);
  g_free (shot->path);
  g_free (shot);
}

static void
after_paint (GdkFrameClock *clock, gpointer user_data)
{
  Shot *shot = user_data;

  /* After a painted frame every widget has its allocation; one more frame
   * lets a page shown by the previous action settle. */
  if (++shot->frames < 2)
    {
      gtk_widget_queue_draw (shot->widget);
      return;
    }
  g_signal_handler_disconnect (clock, shot->handler);
  if (ADW_IS_MESSAGE_DIALOG (shot->widget) &&
      gtk_window_get_transient_for (GTK_WINDOW (shot->widget)) != NULL)
    write_dialog_png (shot->widget,
                      GTK_WIDGET (gtk_window_get_transient_for (GTK_WINDOW (shot->widget))),
                      shot->path);
  else
    write_png (shot->widget, shot->path);
  shot_free (shot);
}

static void
screenshot_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GdkFrameClock *clock;
  Shot *shot;

  if (window == NULL || (clock = gtk_widget_get_frame_clock (GTK_WIDGET (window))) == NULL)
    return;
  shot = g_new0 (Shot, 1);
  shot->widget = g_object_ref (GTK_WIDGET (window));
  shot->path = g_variant_dup_string (param, NULL);
  shot->handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint), shot);
  gtk_widget_queue_draw (GTK_WIDGET (window));
}

static void
resize_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  int width, height;
  int default_width, default_height;

  g_variant_get (param, "(ii)", &width, &height);
  if (window == NULL)
    return;
  /* The default size counts the client-side decoration's margins; the test
   * asks for the size of what the officer sees. */
  gtk_window_get_default_size (window, &default_width, &default_height);
  if (gtk_widget_get_mapped (GTK_WIDGET (window)))
    {
      width += MAX (0, default_width - gtk_widget_get_width (GTK_WIDGET (window)));
      height += MAX (0, default_height - gtk_widget_get_height (GTK_WIDGET (window)));
    }
  gtk_window_set_default_size (window, width, height);
}

static GtkWidget *
find_named (GtkWidget *widget, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
type_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  const char *name, *text;
  GtkWidget *page = visible_page (GTK_APPLICATION (user_data));
  GtkWidget *widget;

  g_variant_get (param, "(&s&s)", &name, &text);
  widget = page != NULL ? find_named (page, name) : NULL;
  if (widget == NULL || !GTK_IS_EDITABLE (widget))
    {
      g_message ("test type: no entry named %s on the visible page", name);
      return;
    }
  /* As a tap on the entry would, before the keyboard types. */
  gtk_widget_grab_focus (widget);
  gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

/* Picks the option of this label in the named combo row, as a tap in its
 * list would. */
static void
select_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  const char *name, *label;
  GtkWidget *page = visible_page (GTK_APPLICATION (user_data));
  GtkWidget *widget;
  GListModel *model;

  g_variant_get (param, "(&s&s)", &name, &label);
  widget = page != NULL ? find_named (page, name) : NULL;
  model = widget != NULL && ADW_IS_COMBO_ROW (widget)
            ? adw_combo_row_get_model (ADW_COMBO_ROW (widget))
            : NULL;
  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (GObject) option = g_list_model_get_item (model, i);

      if (GTK_IS_STRING_OBJECT (option) &&
          g_str_equal (gtk_string_object_get_string (GTK_STRING_OBJECT (option)), label))
        {
          adw_combo_row_set_selected (ADW_COMBO_ROW (widget), i);
          return;
        }
    }
  g_message ("test select: no combo row named %s with the option %s on the visible page", name,
             label);
}

static void
click_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  const char *name = g_variant_get_string (param, NULL);
  GtkWidget *page = visible_page (GTK_APPLICATION (user_data));
  GtkWidget *widget = page != NULL ? find_named (page, name) : NULL;

  if (widget == NULL || !gtk_widget_is_visible (widget) || !gtk_widget_is_sensitive (widget))
    {
      g_message ("test click: no visible, sensitive widget named %s on the visible page", name);
      return;
    }
  gtk_widget_activate (widget);
}

static void
focus_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  const char *name = g_variant_get_string (param, NULL);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GtkWidget *page = visible_page (GTK_APPLICATION (user_data));
  GtkWidget *widget;

  if (window == NULL)
    return;
  if (*name == '\0')
    {
      gtk_window_set_focus (window, NULL);
      return;
    }
  widget = page != NULL ? find_named (page, name) : NULL;
  if (widget == NULL || !gtk_widget_grab_focus (widget))
    g_message ("test focus: no widget named %s on the visible page that takes the focus", name);
}

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

static void
respond_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (!ADW_IS_MESSAGE_DIALOG (window))
    {
      g_message ("test respond: no message dialog open");
      return;
    }
  /* A tap on a response button also closes the dialog, without a second
   * (close) response. */
  g_object_ref (window);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (window), g_variant_get_string (param, NULL));
  if (gtk_widget_get_visible (GTK_WIDGET (window)))
    gtk_window_destroy (window);
  g_object_unref (window);
}

static void
dump_state_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tmp = g_strdup_printf ("%s.part", g_variant_get_string (param, NULL));

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
  json_builder_add_boolean_value (
    builder, fk_speech_get_speaking (
               fk_session_get_speech (fk_application_get_session (FK_APPLICATION (user_data)))));
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
  dump_tour (builder, visible_page (GTK_APPLICATION (user_data)));
  json_builder_set_member_name (builder, "widgets");
  json_builder_begin_object (builder);
  if (visible_page (GTK_APPLICATION (user_data)) != NULL)
    dump_widgets (builder, visible_page (GTK_APPLICATION (user_data)));
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
    g_rename (tmp, g_variant_get_string (param, NULL));
}

void
fk_test_actions_install (GtkApplication *app)
{
  const GActionEntry entries[] = {
    { "activate-ui", activate_ui_action, "(sav)" },
    { "screenshot", screenshot_action, "s" },
    { "resize", resize_action, "(ii)" },
    { "dump-state", dump_state_action, "s" },
    { "type", type_action, "(ss)" },
    { "respond", respond_action, "s" },
    { "click", click_action, "s" },
    { "select", select_action, "(ss)" },
    { "focus", focus_action, "s" },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
}
