/* fk-read-aloud-button.c: "Read aloud" / "Stop" for one text
 *
 * One button that reads its text aloud through the session's speech
 * device (fk_session_get_speech()) and, while it speaks, says "Stop" with
 * a spinner beside it. The speech runs in the hw layer: the main loop
 * never waits for it. It stops on a second press, when the button leaves
 * the screen (its page or step is left, the app locks, the window closes:
 * all unmap it), when its text changes, and when another text is read
 * (one speech device: the newer read stops the older, whose button turns
 * back to "Read aloud"). "read-through" tells that the whole text was
 * said; a stopped read is never one. A failure shows, below the button,
 * what the officer can do (fk_read_aloud_explain()).
 *
 * The control's name (`control-name`) names the button, for the tests,
 * and `<name>-message` its message line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-application.h"
#include "fk-read-aloud-button.h"
#include "fk-read-aloud.h"
#include "fk-scroll.h"

struct _FkReadAloudButton
{
  AdwBin parent_instance;

  GtkButton *button;
  GtkSpinner *spinner;
  GtkLabel *state_label;
  GtkLabel *message_label;

  char *text;
  GCancellable *cancellable; /* the read under way, or NULL */
};

G_DEFINE_FINAL_TYPE (FkReadAloudButton, fk_read_aloud_button, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_TEXT,
  PROP_CONTROL_NAME,
  PROP_SPEAKING,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum
{
  SIGNAL_READ_THROUGH,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_speaking (FkReadAloudButton *self, gboolean speaking)
{
  gtk_button_set_label (self->button,
                        speaking ? C_ ("read aloud", "Stop") : C_ ("read aloud", "Read aloud"));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), speaking);
  gtk_widget_set_visible (GTK_WIDGET (self->state_label), speaking);
  gtk_spinner_set_spinning (self->spinner, speaking);
  if (speaking)
    gtk_widget_add_css_class (GTK_WIDGET (self->button), "speaking");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->button), "speaking");
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SPEAKING]);
}

static void
show_message (FkReadAloudButton *self, const char *message)
{
  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

typedef struct
{
  FkReadAloudButton *self;
  GCancellable *cancellable;
} Read;

static void
said (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Read *read = user_data;
  FkReadAloudButton *self = read->self;
  g_autoptr (GError) error = NULL;
  gboolean whole = fk_speech_say_finish (FK_SPEECH (source), result, &error);

  /* Only the read under way: a stopped one was let go at the stop. */
  if (self->cancellable == read->cancellable)
    {
      g_clear_object (&self->cancellable);
      show_speaking (self, FALSE);
      if (whole)
        g_signal_emit (self, signals[SIGNAL_READ_THROUGH], 0);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = fk_read_aloud_explain (error);

          g_message ("Reading aloud failed: %s", error->message);
          show_message (self, message);
          fk_scroll_into_view (GTK_WIDGET (self->message_label));
        }
    }
  g_object_unref (read->cancellable);
  g_object_unref (read->self);
  g_free (read);
}

/**
 * fk_read_aloud_button_play:
 *
 * Reads the text aloud (stopping any other text being read), unless it
 * is being read or there is none.
 */
void
fk_read_aloud_button_play (FkReadAloudButton *self)
{
  FkApplication *app = fk_application_get_default ();
  FkSession *session = app != NULL ? fk_application_get_session (app) : NULL;
  Read *read;

  g_return_if_fail (FK_IS_READ_ALOUD_BUTTON (self));
  if (self->cancellable != NULL || self->text == NULL || *self->text == '\0' || session == NULL)
    return;
  show_message (self, NULL);
  self->cancellable = g_cancellable_new ();
  read = g_new0 (Read, 1);
  read->self = g_object_ref (self);
  read->cancellable = g_object_ref (self->cancellable);
  show_speaking (self, TRUE);
  /* The text read is the one on screen. */
  fk_scroll_into_view (GTK_WIDGET (self));
  fk_speech_say_async (fk_session_get_speech (session), self->text, self->cancellable, said, read);
}

/**
 * fk_read_aloud_button_stop:
 *
 * Stops the read under way, if any; it does not count as read through.
 */
void
fk_read_aloud_button_stop (FkReadAloudButton *self)
{
  g_autoptr (GCancellable) cancellable = NULL;

  g_return_if_fail (FK_IS_READ_ALOUD_BUTTON (self));
  if (self->cancellable == NULL)
    return;
  cancellable = g_steal_pointer (&self->cancellable);
  g_cancellable_cancel (cancellable);
  show_speaking (self, FALSE);
}

static void
button_clicked (FkReadAloudButton *self)
{
  if (self->cancellable != NULL)
    fk_read_aloud_button_stop (self);
  else
    fk_read_aloud_button_play (self);
}

gboolean
fk_read_aloud_button_get_speaking (FkReadAloudButton *self)
{
  g_return_val_if_fail (FK_IS_READ_ALOUD_BUTTON (self), FALSE);
  return self->cancellable != NULL;
}

const char *
fk_read_aloud_button_get_text (FkReadAloudButton *self)
{
  g_return_val_if_fail (FK_IS_READ_ALOUD_BUTTON (self), NULL);
  return self->text;
}

/**
 * fk_read_aloud_button_set_text:
 * @text: (nullable): what to read; %NULL or empty leaves the button
 *   insensitive
 *
 * Another text stops the old one being read.
 */
void
fk_read_aloud_button_set_text (FkReadAloudButton *self, const char *text)
{
  g_return_if_fail (FK_IS_READ_ALOUD_BUTTON (self));
  if (g_strcmp0 (self->text, text) == 0)
    return;
  fk_read_aloud_button_stop (self);
  show_message (self, NULL);
  g_free (self->text);
  self->text = g_strdup (text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->button), text != NULL && *text != '\0');
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TEXT]);
}

/**
 * fk_read_aloud_button_set_control_name:
 * @name: (nullable): the button's widget name; its message line is
 *   `<name>-message`
 */
void
fk_read_aloud_button_set_control_name (FkReadAloudButton *self, const char *name)
{
  g_autofree char *message = NULL;

  g_return_if_fail (FK_IS_READ_ALOUD_BUTTON (self));
  if (name == NULL)
    return;
  message = g_strdup_printf ("%s-message", name);
  gtk_widget_set_name (GTK_WIDGET (self->button), name);
  gtk_widget_set_name (GTK_WIDGET (self->message_label), message);
}

/**
 * fk_read_aloud_button_new:
 * @control_name: (nullable): see fk_read_aloud_button_set_control_name()
 *
 * Returns: (transfer floating): a button without a text yet
 */
GtkWidget *
fk_read_aloud_button_new (const char *control_name)
{
  return g_object_new (FK_TYPE_READ_ALOUD_BUTTON, "control-name", control_name, NULL);
}

/* Leaving the screen stops the voice: another page, another step, the
 * lock, a closed window. */
static void
fk_read_aloud_button_unmap (GtkWidget *widget)
{
  fk_read_aloud_button_stop (FK_READ_ALOUD_BUTTON (widget));
  GTK_WIDGET_CLASS (fk_read_aloud_button_parent_class)->unmap (widget);
}

static void
fk_read_aloud_button_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FkReadAloudButton *self = FK_READ_ALOUD_BUTTON (object);

  switch (prop_id)
    {
      case PROP_TEXT:
        g_value_set_string (value, self->text);
        break;
      case PROP_CONTROL_NAME:
        g_value_set_string (value, gtk_widget_get_name (GTK_WIDGET (self->button)));
        break;
      case PROP_SPEAKING:
        g_value_set_boolean (value, self->cancellable != NULL);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_read_aloud_button_set_property (GObject *object, guint prop_id, const GValue *value,
                                   GParamSpec *pspec)
{
  FkReadAloudButton *self = FK_READ_ALOUD_BUTTON (object);

  switch (prop_id)
    {
      case PROP_TEXT:
        fk_read_aloud_button_set_text (self, g_value_get_string (value));
        break;
      case PROP_CONTROL_NAME:
        fk_read_aloud_button_set_control_name (self, g_value_get_string (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_read_aloud_button_dispose (GObject *object)
{
  FkReadAloudButton *self = FK_READ_ALOUD_BUTTON (object);

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_READ_ALOUD_BUTTON);
  G_OBJECT_CLASS (fk_read_aloud_button_parent_class)->dispose (object);
}

static void
fk_read_aloud_button_finalize (GObject *object)
{
  g_free (FK_READ_ALOUD_BUTTON (object)->text);
  G_OBJECT_CLASS (fk_read_aloud_button_parent_class)->finalize (object);
}

static void
fk_read_aloud_button_class_init (FkReadAloudButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fk_read_aloud_button_dispose;
  object_class->finalize = fk_read_aloud_button_finalize;
  object_class->get_property = fk_read_aloud_button_get_property;
  object_class->set_property = fk_read_aloud_button_set_property;
  widget_class->unmap = fk_read_aloud_button_unmap;

  /* What is read aloud. */
  props[PROP_TEXT] = g_param_spec_string (
    "text", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The button's widget name, for the tests. */
  props[PROP_CONTROL_NAME] = g_param_spec_string ("control-name", NULL, NULL, NULL,
                                                  G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* The text is being read. */
  props[PROP_SPEAKING] =
    g_param_spec_boolean ("speaking", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* The whole text was said, not stopped before its end. */
  signals[SIGNAL_READ_THROUGH] =
    g_signal_new ("read-through", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-read-aloud-button.ui");
  gtk_widget_class_bind_template_child (widget_class, FkReadAloudButton, button);
  gtk_widget_class_bind_template_child (widget_class, FkReadAloudButton, spinner);
  gtk_widget_class_bind_template_child (widget_class, FkReadAloudButton, state_label);
  gtk_widget_class_bind_template_child (widget_class, FkReadAloudButton, message_label);
  gtk_widget_class_bind_template_callback (widget_class, button_clicked);
}

static void
fk_read_aloud_button_init (FkReadAloudButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
