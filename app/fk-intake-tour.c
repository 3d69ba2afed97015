/* fk-intake-tour.c: a guided tour of the intake wizard for a first-time volunteer
 *
 * The tour lies over the real intake page: stop by stop it shows a step of
 * the wizard, rings the real control that step is about (CSS class
 * `tour-target`), dims the rest, and explains it on a card placed above or
 * below that control, never over it, with an arrow to it. "Tiếp", "Quay
 * lại" and "Bỏ qua" walk it (`tour.next`, `tour.back`, `tour.skip`).
 *
 * Invariants: the tour never touches the intake's model, so it writes no
 * draft and changes nothing stored. It only switches the page's step stack,
 * scrolls the step shown so its control is in view, and keeps taps and
 * keys from the page underneath; stopping it, at any stop and for any
 * reason, puts back the step that was shown, every scroll position it
 * moved, and the page's input. `finished` is emitted when the volunteer
 * walked it to its end or skipped it, not when it was interrupted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-intake-tour.h"
#include "fk-widget-find.h"

typedef struct
{
  const char *step;   /* the page's step stack child */
  const char *target; /* the widget name of the control explained */
  const char *title;
  const char *text;
} TourStop;

static const TourStop stops[] = {
  /* The frame the code goes in, rather than the whole preview: at 800×480
   * the card fits below it. Not the chip step: on screen it waits for a
   * card and reads it into the intake (the scanner is paused meanwhile). */
  { "scan", "scanner-frame", N_ ("Scan the ID card"),
    N_ ("Hold the QR code of the chip ID card in the frame: it is read by itself. With a card "
        "reader, then touch the card to it.") },
  { "identity", "intake-id", N_ ("Identity"),
    N_ ("Check each line with the citizen and the card, correct what is wrong, then tap "
        "Next.") },
  { "procedure", "intake-procedure-search", N_ ("Procedure"),
    N_ ("Search what the citizen asks for and choose it. Its form comes next.") },
  { "photos", "intake-photo-preview", N_ ("Photos of the papers"),
    N_ ("Photograph each paper of the list. A blurred photo is refused: take it again.") },
  { "fingerprint", "intake-fp-start", N_ ("Fingerprint"),
    N_ ("The citizen puts a finger on the reader, then tap here. It signs the dossier.") },
  { "consent", "consent-personal-data", N_ ("Consent"),
    N_ ("Read each text to the citizen, then turn the switch on only if they agree.") },
  { "review", "intake-save", N_ ("Check and save"),
    N_ ("Check everything with the citizen, then seal the dossier. It is sent later by "
        "itself.") },
  { "receipt", "intake-receipt-print", N_ ("Receipt"),
    N_ ("Print the receipt and give it to the citizen: it has the dossier number.") },
};

/* Around the control: the ring's room; the card's distance with and
 * without the arrow; the card's margin to the page's edges. */
#define RING        8
#define ARROW_SIZE  32
#define ARROW_GAP   (ARROW_SIZE + 4)
#define GAP         4
#define MARGIN      8
#define CARD_WIDTH  760
#define SCROLL_ROOM 12

typedef enum
{
  ARROW_NONE,
  ARROW_UP,   /* the card is below the control */
  ARROW_DOWN, /* the card is above it */
} Arrow;

typedef struct
{
  GtkAdjustment *adjustment;
  double value;
} ScrollMark;

struct _FkIntakeTour
{
  GtkWidget parent_instance;

  GtkStack *steps;    /* the page's steps, shown one by one */
  GtkWidget *content; /* what the tour lies over */
  char *shown_before; /* the step the page showed */
  gboolean content_could_target;
  gboolean content_could_focus;
  int stop; /* -1 when not running */
  GtkWidget *target;
  GArray *scrolled; /* ScrollMark: adjustments moved, with their value before */
  guint tick_id;
  graphene_rect_t hole; /* the target with its ring, here; empty when not placed */
  Arrow arrow;

  /* template */
  GtkWidget *arrow_up;
  GtkWidget *arrow_down;
  GtkWidget *card;
  GtkLabel *counter;
  GtkLabel *title;
  GtkLabel *text;
  GtkWidget *next_button;
};

G_DEFINE_FINAL_TYPE (FkIntakeTour, fk_intake_tour, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_RUNNING,
  PROP_STOP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_FINISHED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

guint
fk_intake_tour_get_n_stops (void)
{
  return G_N_ELEMENTS (stops);
}

gboolean
fk_intake_tour_get_running (FkIntakeTour *self)
{
  g_return_val_if_fail (FK_IS_INTAKE_TOUR (self), FALSE);
  return self->stop >= 0;
}

/* Returns: the stop shown, from 0; -1 when the tour is not running */
int
fk_intake_tour_get_stop (FkIntakeTour *self)
{
  g_return_val_if_fail (FK_IS_INTAKE_TOUR (self), -1);
  return self->stop;
}

/* Returns: (nullable): the widget name of the control explained */
const char *
fk_intake_tour_get_target_name (FkIntakeTour *self)
{
  g_return_val_if_fail (FK_IS_INTAKE_TOUR (self), NULL);
  return self->stop >= 0 ? stops[self->stop].target : NULL;
}

/* Returns: (transfer none) (nullable): the control explained */
GtkWidget *
fk_intake_tour_get_target (FkIntakeTour *self)
{
  g_return_val_if_fail (FK_IS_INTAKE_TOUR (self), NULL);
  return self->target;
}

/* Returns: (transfer none): the card that explains it */
GtkWidget *
fk_intake_tour_get_card (FkIntakeTour *self)
{
  g_return_val_if_fail (FK_IS_INTAKE_TOUR (self), NULL);
  return self->card;
}

static void
clear_target (FkIntakeTour *self)
{
  if (self->target != NULL)
    gtk_widget_remove_css_class (self->target, "tour-target");
  g_clear_object (&self->target);
  self->hole = GRAPHENE_RECT_INIT (0, 0, 0, 0);
}

/* The target with its ring, in this widget's coordinates. */
static gboolean
compute_hole (FkIntakeTour *self, graphene_rect_t *hole)
{
  if (self->target == NULL || !gtk_widget_get_mapped (self->target) ||
      gtk_widget_get_width (self->target) == 0 ||
      !gtk_widget_compute_bounds (self->target, GTK_WIDGET (self), hole))
    return FALSE;
  graphene_rect_inset (hole, -RING, -RING);
  return TRUE;
}

/* Brings the target, when it is out of view, to the top of the step's
 * scrolled view, so the card has the room below it (or, when the view
 * cannot scroll that far, above it); the value before is kept to be put
 * back. */
static void
scroll_to_target (FkIntakeTour *self)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (self->target, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;
  gboolean known = FALSE;

  if (scrolled == NULL || !gtk_widget_is_ancestor (scrolled, GTK_WIDGET (self->steps)) ||
      !gtk_widget_compute_bounds (self->target, scrolled, &bounds))
    return;
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  for (guint i = 0; i < self->scrolled->len; i++)
    known |= g_array_index (self->scrolled, ScrollMark, i).adjustment == adjustment;
  if (!known)
    {
      ScrollMark mark = { g_object_ref (adjustment), gtk_adjustment_get_value (adjustment) };

      g_array_append_val (self->scrolled, mark);
    }
  gtk_adjustment_set_value (adjustment,
                            gtk_adjustment_get_value (adjustment) + bounds.origin.y - SCROLL_ROOM);
}

/* Whether all of @widget shows in the scrolled view around it. */
static gboolean
in_scrolled_view (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  if (scrolled == NULL || !gtk_widget_compute_bounds (widget, scrolled, &bounds))
    return TRUE;
  return bounds.origin.y >= 0 &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scrolled);
}

/* The target moves when its step is laid out or scrolled: the card
 * follows it. */
static gboolean
tick (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  FkIntakeTour *self = FK_INTAKE_TOUR (widget);
  graphene_rect_t hole;

  if (!compute_hole (self, &hole))
    return G_SOURCE_CONTINUE;
  /* Whenever it is partly out of view, also after a late layout (the step
   * filling itself, the page's title hidden). */
  if (!in_scrolled_view (self->target))
    scroll_to_target (self);
  if (!graphene_rect_equal (&hole, &self->hole))
    gtk_widget_queue_allocate (widget);
  return G_SOURCE_CONTINUE;
}

static void
remove_tick (FkIntakeTour *self)
{
  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
}

static void
show_stop (FkIntakeTour *self, int stop)
{
  const TourStop *shown = &stops[stop];
  GtkWidget *view;
  g_autofree char *counter = NULL;

  clear_target (self);
  self->stop = stop;
  gtk_stack_set_visible_child_name (self->steps, shown->step);
  view = gtk_stack_get_child_by_name (self->steps, shown->step);
  self->target = view != NULL ? fk_widget_find_named (view, shown->target) : NULL;
  if (self->target == NULL)
    g_warning ("The tour's control %s is not on the step %s", shown->target, shown->step);
  else
    {
      g_object_ref (self->target);
      gtk_widget_add_css_class (self->target, "tour-target");
    }
  /* Translators: the tour's stop and how many, as 3/8 */
  counter = g_strdup_printf (_ ("%d/%u"), stop + 1, (guint) G_N_ELEMENTS (stops));
  gtk_label_set_text (self->counter, counter);
  gtk_label_set_text (self->title, _ (shown->title));
  gtk_label_set_text (self->text, _ (shown->text));
  gtk_button_set_label (GTK_BUTTON (self->next_button), stop + 1 == G_N_ELEMENTS (stops)
                                                          ? C_ ("tour", "Done")
                                                          : C_ ("tour", "Next"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tour.back", stop > 0);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STOP]);
}

/**
 * fk_intake_tour_start:
 * @steps: the intake page's step stack
 * @content: what the tour lies over: it takes no tap and no key meanwhile
 *
 * Shows the first stop; a tour already running starts over.
 */
void
fk_intake_tour_start (FkIntakeTour *self, GtkStack *steps, GtkWidget *content)
{
  g_return_if_fail (FK_IS_INTAKE_TOUR (self));
  g_return_if_fail (GTK_IS_STACK (steps));

  if (self->stop < 0)
    {
      g_set_object (&self->steps, steps);
      g_set_object (&self->content, content);
      g_free (self->shown_before);
      self->shown_before = g_strdup (gtk_stack_get_visible_child_name (steps));
      self->content_could_target = gtk_widget_get_can_target (content);
      self->content_could_focus = gtk_widget_get_can_focus (content);
      gtk_widget_set_can_target (content, FALSE);
      gtk_widget_set_can_focus (content, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
      self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick, NULL, NULL);
    }
  show_stop (self, 0);
  gtk_widget_grab_focus (self->next_button);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/**
 * fk_intake_tour_stop:
 *
 * Ends the tour where it is and puts the page back as it was, without
 * `finished`: the page was left, the device locked, or the intake moved.
 */
void
fk_intake_tour_stop (FkIntakeTour *self)
{
  g_return_if_fail (FK_IS_INTAKE_TOUR (self));

  if (self->stop < 0)
    return;
  clear_target (self);
  self->stop = -1;
  self->arrow = ARROW_NONE;
  remove_tick (self);
  /* Last moved, first put back: the first value kept is the one before. */
  for (guint i = self->scrolled->len; i > 0; i--)
    {
      ScrollMark *mark = &g_array_index (self->scrolled, ScrollMark, i - 1);

      gtk_adjustment_set_value (mark->adjustment, mark->value);
    }
  g_array_set_size (self->scrolled, 0);
  if (self->shown_before != NULL)
    gtk_stack_set_visible_child_name (self->steps, self->shown_before);
  gtk_widget_set_can_target (self->content, self->content_could_target);
  gtk_widget_set_can_focus (self->content, self->content_could_focus);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STOP]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
finish (FkIntakeTour *self)
{
  fk_intake_tour_stop (self);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

static void
next_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakeTour *self = FK_INTAKE_TOUR (widget);

  if (self->stop < 0)
    return;
  if (self->stop + 1 < (int) G_N_ELEMENTS (stops))
    show_stop (self, self->stop + 1);
  else
    finish (self);
}

static void
back_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakeTour *self = FK_INTAKE_TOUR (widget);

  if (self->stop > 0)
    show_stop (self, self->stop - 1);
}

static void
skip_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  if (FK_INTAKE_TOUR (widget)->stop >= 0)
    finish (FK_INTAKE_TOUR (widget));
}

static void
fk_intake_tour_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                        int *natural, int *minimum_baseline, int *natural_baseline)
{
  /* It lies over the page and takes the page's size: it asks for none. */
  *minimum = *natural = 0;
}

static void
allocate_arrow (GtkWidget *arrow, float center_x, float y)
{
  gtk_widget_size_allocate (
    arrow,
    &(GtkAllocation){ (int) (center_x - ARROW_SIZE / 2.0f), (int) y, ARROW_SIZE, ARROW_SIZE }, -1);
}

/* The card below the control when it fits there, else above it; with the
 * arrow when there is room for it too. */
static void
fk_intake_tour_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  FkIntakeTour *self = FK_INTAKE_TOUR (widget);
  int card_min_width, card_height, card_width, x, y;
  graphene_rect_t hole;
  float below, above, center_x;

  gtk_widget_measure (self->card, GTK_ORIENTATION_HORIZONTAL, -1, &card_min_width, NULL, NULL,
                      NULL);
  card_width = MAX (card_min_width, MIN (width - 2 * MARGIN, CARD_WIDTH));
  gtk_widget_measure (self->card, GTK_ORIENTATION_VERTICAL, card_width, NULL, &card_height, NULL,
                      NULL);
  self->arrow = ARROW_NONE;
  if (!compute_hole (self, &hole))
    {
      self->hole = GRAPHENE_RECT_INIT (0, 0, 0, 0);
      hole = GRAPHENE_RECT_INIT (width / 2.0f, height, 0, 0);
    }
  else
    self->hole = hole;
  below = height - MARGIN - (hole.origin.y + hole.size.height);
  above = hole.origin.y - MARGIN;
  if (below >= card_height + ARROW_GAP)
    {
      self->arrow = ARROW_UP;
      y = hole.origin.y + hole.size.height + ARROW_GAP;
    }
  else if (above >= card_height + ARROW_GAP)
    {
      self->arrow = ARROW_DOWN;
      y = hole.origin.y - ARROW_GAP - card_height;
    }
  else if (below >= card_height + GAP)
    y = hole.origin.y + hole.size.height + GAP;
  else if (above >= card_height + GAP)
    y = hole.origin.y - GAP - card_height;
  else /* no room: the side with more (a test looks for this) */
    y = below >= above ? height - MARGIN - card_height : MARGIN;
  center_x = hole.origin.x + hole.size.width / 2;
  x =
    CLAMP ((int) (center_x - card_width / 2.0f), MARGIN, MAX (MARGIN, width - MARGIN - card_width));
  gtk_widget_size_allocate (self->card, &(GtkAllocation){ x, y, card_width, card_height }, -1);
  center_x = CLAMP (center_x, x + ARROW_SIZE, x + card_width - ARROW_SIZE);
  allocate_arrow (self->arrow_up, center_x, hole.origin.y + hole.size.height + 2);
  allocate_arrow (self->arrow_down, center_x, hole.origin.y - ARROW_SIZE - 2);
}

/* Everything but the control is dimmed; then the arrow and the card. */
static void
fk_intake_tour_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  FkIntakeTour *self = FK_INTAKE_TOUR (widget);
  const GdkRGBA dim = { 0, 0, 0, 0.5f };
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  const graphene_rect_t *h = &self->hole;
  float top = CLAMP (h->origin.y, 0, height);
  float bottom = CLAMP (h->origin.y + h->size.height, top, height);
  float left = CLAMP (h->origin.x, 0, width);
  float right = CLAMP (h->origin.x + h->size.width, left, width);

  if (h->size.width <= 0)
    gtk_snapshot_append_color (snapshot, &dim, &GRAPHENE_RECT_INIT (0, 0, width, height));
  else
    {
      gtk_snapshot_append_color (snapshot, &dim, &GRAPHENE_RECT_INIT (0, 0, width, top));
      gtk_snapshot_append_color (snapshot, &dim,
                                 &GRAPHENE_RECT_INIT (0, bottom, width, height - bottom));
      gtk_snapshot_append_color (snapshot, &dim, &GRAPHENE_RECT_INIT (0, top, left, bottom - top));
      gtk_snapshot_append_color (snapshot, &dim,
                                 &GRAPHENE_RECT_INIT (right, top, width - right, bottom - top));
    }
  if (self->arrow == ARROW_UP)
    gtk_widget_snapshot_child (widget, self->arrow_up, snapshot);
  else if (self->arrow == ARROW_DOWN)
    gtk_widget_snapshot_child (widget, self->arrow_down, snapshot);
  gtk_widget_snapshot_child (widget, self->card, snapshot);
}

static void
fk_intake_tour_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FkIntakeTour *self = FK_INTAKE_TOUR (object);

  switch (prop_id)
    {
      case PROP_RUNNING:
        g_value_set_boolean (value, fk_intake_tour_get_running (self));
        break;
      case PROP_STOP:
        g_value_set_int (value, self->stop);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
clear_mark (gpointer data)
{
  g_object_unref (((ScrollMark *) data)->adjustment);
}

static void
fk_intake_tour_dispose (GObject *object)
{
  FkIntakeTour *self = FK_INTAKE_TOUR (object);

  GtkWidget *child;

  remove_tick (self);
  clear_target (self);
  g_clear_object (&self->steps);
  g_clear_object (&self->content);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_INTAKE_TOUR);
  G_OBJECT_CLASS (fk_intake_tour_parent_class)->dispose (object);
}

static void
fk_intake_tour_finalize (GObject *object)
{
  FkIntakeTour *self = FK_INTAKE_TOUR (object);

  g_array_unref (self->scrolled);
  g_free (self->shown_before);
  G_OBJECT_CLASS (fk_intake_tour_parent_class)->finalize (object);
}

static void
fk_intake_tour_class_init (FkIntakeTourClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = fk_intake_tour_get_property;
  object_class->dispose = fk_intake_tour_dispose;
  object_class->finalize = fk_intake_tour_finalize;
  widget_class->measure = fk_intake_tour_measure;
  widget_class->size_allocate = fk_intake_tour_size_allocate;
  widget_class->snapshot = fk_intake_tour_snapshot;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STOP] = g_param_spec_int ("stop", NULL, NULL, -1, G_MAXINT, -1,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FkIntakeTour::finished:
   *
   * The volunteer walked the tour to its end or skipped it.
   */
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-intake-tour.ui");
  gtk_widget_class_bind_template_child (widget_class, FkIntakeTour, arrow_up);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeTour, arrow_down);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeTour, card);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeTour, counter);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeTour, title);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeTour, text);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeTour, next_button);
  gtk_widget_class_install_action (widget_class, "tour.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "tour.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "tour.skip", NULL, skip_action);
  gtk_widget_class_set_css_name (widget_class, "tour");
}

static void
fk_intake_tour_init (FkIntakeTour *self)
{
  self->stop = -1;
  self->scrolled = g_array_new (FALSE, FALSE, sizeof (ScrollMark));
  g_array_set_clear_func (self->scrolled, clear_mark);
  gtk_widget_init_template (GTK_WIDGET (self));
}
