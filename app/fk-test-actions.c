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
#include "private/fk-test-actions-private.h"
#include "fk-window.h"
#include "fk-widget-find.h"

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

static void
type_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  const char *name, *text;
  GtkWidget *page = visible_page (GTK_APPLICATION (user_data));
  GtkWidget *widget;

  g_variant_get (param, "(&s&s)", &name, &text);
  widget = page != NULL ? fk_widget_find_named (page, name) : NULL;
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
  widget = page != NULL ? fk_widget_find_named (page, name) : NULL;
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
  GtkWidget *widget = page != NULL ? fk_widget_find_named (page, name) : NULL;

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
  widget = page != NULL ? fk_widget_find_named (page, name) : NULL;
  if (widget == NULL || !gtk_widget_grab_focus (widget))
    g_message ("test focus: no widget named %s on the visible page that takes the focus", name);
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
  fk_test_actions_dump_state (GTK_APPLICATION (user_data),
                              visible_page (GTK_APPLICATION (user_data)),
                              g_variant_get_string (param, NULL));
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
