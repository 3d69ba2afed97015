/* fk-intake-chip-step.c: the ID card's chip, touched to the reader
 *
 * Shown after the card's QR code while a card reader is plugged in. On
 * screen, the step waits for the card on the reader and has the model read
 * it (fk_intake_read_chip_async(): the reader's worker thread does the
 * work, the main loop only draws), with the CSCA trust folder of the
 * `csca-folder` setting. Then it shows the model's outcome: the badge
 * (verified, not verified and why, forged), the portrait beside the
 * identity the chip gives for a face check, and a warning where the chip
 * and the QR code disagree. The officer takes the chip's identity
 * (intake.chip-accept), or goes on without it (intake.next).
 *
 * A read that fails says why (card lifted, access refused, no reader…)
 * and waits for the officer (intake.chip-read), so a card left on the
 * reader is not read over and over; access refused shows where to type the
 * expiry printed on the card. Leaving the step stops the reader.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-application.h"
#include "fk-hw-error.h"
#include "fk-intake-chip-step.h"

struct _FkIntakeChipStep
{
  FkIntakeStepView parent_instance;

  GtkImage *card_icon;
  GtkImage *portrait;
  GtkLabel *badge;
  GtkSpinner *spinner;
  GtkLabel *message;
  GtkLabel *warning;
  GtkListBox *values;
  AdwPreferencesGroup *expiry_group;
  AdwEntryRow *expiry_row;
  GtkSwitch *no_expiry_switch;
  GtkWidget *accept_button;

  FkCardReader *reader;
  GCancellable *cancellable;
  gboolean running; /* waiting for the card, or reading it */
  gboolean stopped; /* the last try failed: the officer starts the next */
};

G_DEFINE_FINAL_TYPE (FkIntakeChipStep, fk_intake_chip_step, FK_TYPE_INTAKE_STEP_VIEW)

/**
 * fk_intake_chip_step_member_label:
 * @member: a member of the citizen or of the chip's data
 *
 * Returns: (nullable): its label, as the identity's rows say it
 */
const char *
fk_intake_chip_step_member_label (const char *member)
{
  static const struct
  {
    const char *member;
    const char *label;
  } labels[] = {
    { "id_number", N_ ("ID number") },      { "full_name", N_ ("Full name") },
    { "birth_date", N_ ("Date of birth") }, { "sex", N_ ("Sex") },
    { "address", N_ ("Address") },          { "issue_date", N_ ("Date of issue") },
    { "old_id", N_ ("Old ID number") },     { "old_id_number", N_ ("Old ID number") },
  };

  for (guint i = 0; member != NULL && i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (labels[i].member, member))
      return _ (labels[i].label);
  return NULL;
}

/**
 * fk_intake_chip_step_dup_value_text:
 *
 * Returns: (transfer full): @value as the officer reads it: a date
 *   day/month/year, the sex in words
 */
char *
fk_intake_chip_step_dup_value_text (const char *member, const char *value)
{
  int y, m, d;

  if (value == NULL)
    return g_strdup ("");
  if (g_str_equal (member, "sex"))
    return g_strdup (g_str_equal (value, "male")     ? _ ("Male")
                     : g_str_equal (value, "female") ? _ ("Female")
                                                     : value);
  if (g_str_has_suffix (member, "_date") && strlen (value) == 10 &&
      sscanf (value, "%d-%d-%d", &y, &m, &d) == 3)
    return g_strdup_printf ("%02d/%02d/%04d", d, m, y);
  return g_strdup (value);
}

static FkIntake *
intake_of (FkIntakeChipStep *self)
{
  return fk_intake_step_view_get_intake (FK_INTAKE_STEP_VIEW (self));
}

static void
say (FkIntakeChipStep *self, const char *text, gboolean error)
{
  fk_intake_step_view_set_message (FK_INTAKE_STEP_VIEW (self), text, error);
}

static void
set_running (FkIntakeChipStep *self, gboolean running)
{
  self->running = running;
  gtk_spinner_set_spinning (self->spinner, running);
}

static void
set_badge (FkIntakeChipStep *self, const char *text, const char *css)
{
  const char *classes[] = { "verified", "unverified", "forged" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->badge), classes[i]);
  gtk_label_set_text (self->badge, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->badge), text != NULL);
  if (css != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->badge), css);
}

/* The verdict of passive authentication, in the officer's words. */
static void
show_badge (FkIntakeChipStep *self, FkIntake *intake)
{
  FkChipPaReason reason = FK_CHIP_PA_REASON_NONE;
  FkChipPa pa = fk_intake_get_chip_pa (intake, &reason);
  const char *why = fk_chip_pa_reason_get_message (reason);
  g_autofree char *text = NULL;

  switch (pa)
    {
      case FK_CHIP_PA_VERIFIED:
        set_badge (self, _ ("✓ Verified: the chip's data are signed by the card's issuer."),
                   "verified");
        break;
      case FK_CHIP_PA_UNVERIFIED:
        text = g_strdup_printf (_ ("Not verified: %s"), why != NULL ? why : "");
        set_badge (self, text, "unverified");
        break;
      case FK_CHIP_PA_FAILED:
        text = g_strdup_printf (_ ("Forged data, refused: %s Nothing of the chip is used; check "
                                   "the card and the citizen carefully."),
                                why != NULL ? why : "");
        set_badge (self, text, "forged");
        break;
      case FK_CHIP_PA_NOT_CHECKED:
      default:
        set_badge (self, NULL, NULL);
        break;
    }
}

/**
 * fk_intake_chip_step_dup_portrait:
 *
 * @height: the height to show it at, in pixels
 *
 * Returns: (transfer full) (nullable): the portrait the model holds,
 *   decoded (JPEG or JPEG 2000) and scaled to @height, to show beside the
 *   citizen
 */
GdkTexture *
fk_intake_chip_step_dup_portrait (FkIntake *intake, int height)
{
  const char *mime = NULL;
  GBytes *encoded = fk_intake_get_portrait (intake, &mime);
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  g_autoptr (GdkPixbuf) scaled = NULL;
  g_autoptr (GError) error = NULL;

  if (encoded == NULL)
    return NULL;
  pixbuf = fk_chip_portrait_decode (encoded, mime, &error);
  if (pixbuf == NULL)
    {
      g_warning ("The chip's portrait cannot be shown: %s", error->message);
      return NULL;
    }
  scaled = gdk_pixbuf_scale_simple (
    pixbuf,
    MAX (1, gdk_pixbuf_get_width (pixbuf) * height / MAX (1, gdk_pixbuf_get_height (pixbuf))),
    height, GDK_INTERP_BILINEAR);
  return gdk_texture_new_for_pixbuf (scaled != NULL ? scaled : pixbuf);
}

static void
show_portrait (FkIntakeChipStep *self, FkIntake *intake)
{
  g_autoptr (GdkTexture) texture = fk_intake_chip_step_dup_portrait (intake, 160);

  gtk_image_set_from_paintable (self->portrait, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->portrait), texture != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->card_icon), texture == NULL);
}

/* Where the chip and the QR code of the card disagree: said plainly, the
 * officer decides. */
static void
show_mismatches (FkIntakeChipStep *self, FkIntake *intake)
{
  GPtrArray *members = fk_intake_get_chip_mismatches (intake);
  g_autoptr (GString) names = g_string_new (NULL);
  g_autofree char *text = NULL;

  for (guint i = 0; i < members->len; i++)
    {
      const char *label = fk_intake_chip_step_member_label (g_ptr_array_index (members, i));

      g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "",
                              label != NULL ? label : (const char *) members->pdata[i]);
    }
  if (names->len > 0)
    text = g_strdup_printf (_ ("The chip and the QR code of this card differ: %s. The card may "
                               "have been altered: compare it with the citizen, and decide "
                               "whether to use the chip's data."),
                            names->str);
  gtk_label_set_text (self->warning, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->warning), text != NULL);
}

static GtkWidget *
value_row (const FkIntakeChipValue *value)
{
  g_autofree char *shown = fk_intake_chip_step_dup_value_text (value->name, value->value);
  g_autofree char *now = fk_intake_chip_step_dup_value_text (value->name, value->current);
  g_autofree char *row_name = g_strdup_printf ("chip-%s", value->name);
  g_autofree char *was = NULL;
  g_autofree char *a = g_utf8_casefold (shown, -1);
  g_autofree char *b = g_utf8_casefold (now, -1);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *note;

  gtk_widget_set_name (row, row_name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 fk_intake_chip_step_member_label (value->name));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), shown);
  if (value->current == NULL)
    note = gtk_label_new (_ ("new"));
  else if (g_str_equal (a, b))
    note = gtk_label_new (_ ("as on the QR code"));
  else
    {
      was = g_strdup_printf (_ ("QR code: %s"), now);
      note = gtk_label_new (was);
      gtk_widget_add_css_class (note, "chip-warning");
    }
  /* short notes on one line, a differing value wrapped */
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_width_chars (
    GTK_LABEL (note), MIN (16, (int) g_utf8_strlen (gtk_label_get_text (GTK_LABEL (note)), -1)));
  gtk_label_set_max_width_chars (GTK_LABEL (note), 24);
  gtk_label_set_xalign (GTK_LABEL (note), 1);
  if (value->current != NULL && g_str_equal (a, b))
    gtk_widget_add_css_class (note, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), note);
  return row;
}

static void
show_values (FkIntakeChipStep *self, FkIntake *intake)
{
  g_autoptr (GPtrArray) values = fk_intake_dup_chip_identity (intake);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->values))) != NULL)
    gtk_list_box_remove (self->values, child);
  for (guint i = 0; i < values->len; i++)
    gtk_list_box_append (self->values, value_row (g_ptr_array_index (values, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->values), values->len > 0);
  gtk_widget_set_visible (self->accept_button, values->len > 0);
}

/* The model's chip, as it is now. */
static void
chip_changed (FkIntakeChipStep *self)
{
  FkIntake *intake = intake_of (self);

  show_badge (self, intake);
  show_portrait (self, intake);
  show_mismatches (self, intake);
  show_values (self, intake);
}

static gboolean
is_quiet (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
failed (FkIntakeChipStep *self, const GError *error)
{
  g_autofree char *text = NULL;

  /* stopped on purpose: whoever stopped it has set the step's state */
  if (is_quiet (error))
    return;
  set_running (self, FALSE);
  self->stopped = TRUE;
  /* the key tried did not open it: the expiry printed on the card will */
  if (g_error_matches (error, FK_HW_ERROR, FK_HW_ERROR_CARD_ACCESS_DENIED) ||
      g_error_matches (error, FK_INTAKE_ERROR, FK_INTAKE_ERROR_CARD_EXPIRY))
    gtk_widget_set_visible (GTK_WIDGET (self->expiry_group), TRUE);
  text = g_strdup_printf (_ ("The chip was not read: %s Nothing was filled in."), error->message);
  say (self, text, TRUE);
}

static void
read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkIntakeChipStep) self = user_data;
  g_autoptr (GError) error = NULL;
  FkCardReadStats stats = { 0 };
  g_autofree char *text = NULL;

  if (!fk_intake_read_chip_finish (FK_INTAKE (source), result, &stats, &error))
    {
      failed (self, error);
      return;
    }
  set_running (self, FALSE);
  if (fk_intake_get_chip_pa (FK_INTAKE (source), NULL) == FK_CHIP_PA_FAILED)
    {
      say (self, _ ("The chip was read, but its data do not match their signature."), TRUE);
      return;
    }
  text = g_strdup_printf (_ ("Read in %.1f s. Compare the portrait with the citizen's face and "
                             "the data with the card."),
                          (double) stats.elapsed_us / G_USEC_PER_SEC);
  say (self, text, FALSE);
}

/* The CSCA certificates the chip's signer must chain to: the setting. */
static char *
dup_trust_folder (void)
{
  GSettings *settings = fk_application_get_settings (fk_application_get_default ());

  return settings != NULL ? g_settings_get_string (settings, "csca-folder") : NULL;
}

static void
card_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkIntakeChipStep) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *name =
    fk_card_reader_wait_for_card_finish (FK_CARD_READER (source), result, &error);
  g_autofree char *trust = dup_trust_folder ();
  FkIntake *intake = intake_of (self);

  if (name == NULL || intake == NULL)
    {
      if (error != NULL)
        failed (self, error);
      return;
    }
  say (self, _ ("Reading the chip… Hold the card still on the reader."), FALSE);
  fk_intake_read_chip_async (intake, self->reader,
                             gtk_editable_get_text (GTK_EDITABLE (self->expiry_row)),
                             gtk_switch_get_active (self->no_expiry_switch), trust,
                             self->cancellable, read_done, g_object_ref (self));
}

/**
 * fk_intake_chip_step_read:
 *
 * Waits for the card on the reader, then reads it, unless it is at it
 * already. The expiry typed when the card is found, if any, opens the
 * chip.
 */
void
fk_intake_chip_step_read (FkIntakeChipStep *self)
{
  FkDevices *devices = fk_application_get_devices (fk_application_get_default ());

  g_return_if_fail (FK_IS_INTAKE_CHIP_STEP (self));

  /* waiting already: the card, once there, is read with what is typed now */
  if (intake_of (self) == NULL || devices == NULL || self->running)
    return;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->reader == NULL)
    self->reader = fk_devices_open_card_reader (devices, NULL);
  self->stopped = FALSE;
  set_running (self, TRUE);
  say (self, _ ("Touch the card to the reader and hold it still."), FALSE);
  fk_card_reader_wait_for_card_async (self->reader, self->cancellable, card_found,
                                      g_object_ref (self));
}

/* Stops waiting or reading; nothing of an unfinished read is kept. */
void
fk_intake_chip_step_stop (FkIntakeChipStep *self)
{
  g_return_if_fail (FK_IS_INTAKE_CHIP_STEP (self));
  g_cancellable_cancel (self->cancellable);
  set_running (self, FALSE);
}

/* On screen: the reader waits for the card, unless a chip was read for
 * this card already or the last try failed (the officer starts the next). */
static void
fk_intake_chip_step_map (GtkWidget *widget)
{
  FkIntakeChipStep *self = FK_INTAKE_CHIP_STEP (widget);
  FkIntake *intake = intake_of (self);

  GTK_WIDGET_CLASS (fk_intake_chip_step_parent_class)->map (widget);
  if (intake != NULL && !self->running && !self->stopped &&
      fk_intake_get_chip_pa (intake, NULL) == FK_CHIP_PA_NOT_CHECKED)
    fk_intake_chip_step_read (self);
}

static void
fk_intake_chip_step_unmap (GtkWidget *widget)
{
  fk_intake_chip_step_stop (FK_INTAKE_CHIP_STEP (widget));
  GTK_WIDGET_CLASS (fk_intake_chip_step_parent_class)->unmap (widget);
}

static void
forget_typing (FkIntakeChipStep *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->expiry_row), "");
  gtk_switch_set_active (self->no_expiry_switch, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->expiry_group), FALSE);
}

/* Another card: its chip is read afresh. */
static void
card_changed (FkIntakeChipStep *self)
{
  fk_intake_chip_step_stop (self);
  self->stopped = FALSE;
  forget_typing (self);
  say (self, NULL, FALSE);
}

static void
fk_intake_chip_step_bind (FkIntakeStepView *view, FkIntake *intake)
{
  g_signal_connect_swapped (intake, "notify::chip", G_CALLBACK (chip_changed), view);
  g_signal_connect_swapped (intake, "notify::card", G_CALLBACK (card_changed), view);
  chip_changed (FK_INTAKE_CHIP_STEP (view));
}

static void
fk_intake_chip_step_reset (FkIntakeStepView *view)
{
  card_changed (FK_INTAKE_CHIP_STEP (view));
}

static void
fk_intake_chip_step_dispose (GObject *object)
{
  FkIntakeChipStep *self = FK_INTAKE_CHIP_STEP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->reader);
  fk_intake_step_view_set_intake (FK_INTAKE_STEP_VIEW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_INTAKE_CHIP_STEP);
  G_OBJECT_CLASS (fk_intake_chip_step_parent_class)->dispose (object);
}

static void
fk_intake_chip_step_class_init (FkIntakeChipStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  FkIntakeStepViewClass *view_class = FK_INTAKE_STEP_VIEW_CLASS (klass);

  object_class->dispose = fk_intake_chip_step_dispose;
  widget_class->map = fk_intake_chip_step_map;
  widget_class->unmap = fk_intake_chip_step_unmap;
  view_class->bind = fk_intake_chip_step_bind;
  view_class->reset = fk_intake_chip_step_reset;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-intake-chip-step.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, FkIntakeChipStep, name)
  BIND (card_icon);
  BIND (portrait);
  BIND (badge);
  BIND (spinner);
  BIND (message);
  BIND (warning);
  BIND (values);
  BIND (expiry_group);
  BIND (expiry_row);
  BIND (no_expiry_switch);
  BIND (accept_button);
#undef BIND
}

static void
fk_intake_chip_step_init (FkIntakeChipStep *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fk_intake_step_view_set_message_label (FK_INTAKE_STEP_VIEW (self), self->message);
  self->cancellable = g_cancellable_new ();
}
