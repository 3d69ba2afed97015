/* fk-intake-scan-step.c: the intake's first step, the card's QR code
 *
 * The card scanner runs while the step is on screen, unless the page
 * pauses it (a draft is being opened: the wizard may leave this step at
 * once). A card read is passed on as `card-read`; the page puts it in the
 * model. "No card" types the identity in instead (intake.manual).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-card-scanner.h"
#include "fk-intake-scan-step.h"

struct _FkIntakeScanStep
{
  FkIntakeStepView parent_instance;

  FkCardScanner *card_scanner;
  gboolean paused;
};

G_DEFINE_FINAL_TYPE (FkIntakeScanStep, fk_intake_scan_step, FK_TYPE_INTAKE_STEP_VIEW)

enum
{
  SIGNAL_CARD_READ,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void
card_read (FkIntakeScanStep *self, FkCccdCard *card, FkCardScanner *scanner)
{
  g_signal_emit (self, signals[SIGNAL_CARD_READ], 0, card);
}

/**
 * fk_intake_scan_step_set_paused:
 *
 * While paused the camera stays off, even on screen.
 */
void
fk_intake_scan_step_set_paused (FkIntakeScanStep *self, gboolean paused)
{
  g_return_if_fail (FK_IS_INTAKE_SCAN_STEP (self));

  self->paused = paused;
  if (paused)
    fk_card_scanner_stop (self->card_scanner);
  else if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    fk_card_scanner_start (self->card_scanner);
}

/* Back to the guide message, without the green mark of a read. */
static void
fk_intake_scan_step_entered (FkIntakeStepView *view)
{
  fk_card_scanner_reset (FK_INTAKE_SCAN_STEP (view)->card_scanner);
}

/* On screen: the camera starts (off screen, the scanner stops itself). */
static void
fk_intake_scan_step_map (GtkWidget *widget)
{
  FkIntakeScanStep *self = FK_INTAKE_SCAN_STEP (widget);

  GTK_WIDGET_CLASS (fk_intake_scan_step_parent_class)->map (widget);
  if (!self->paused)
    fk_card_scanner_start (self->card_scanner);
}

static void
fk_intake_scan_step_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_INTAKE_SCAN_STEP);
  G_OBJECT_CLASS (fk_intake_scan_step_parent_class)->dispose (object);
}

static void
fk_intake_scan_step_class_init (FkIntakeScanStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  FkIntakeStepViewClass *view_class = FK_INTAKE_STEP_VIEW_CLASS (klass);

  object_class->dispose = fk_intake_scan_step_dispose;
  widget_class->map = fk_intake_scan_step_map;
  view_class->entered = fk_intake_scan_step_entered;

  /**
   * FkIntakeScanStep::card-read:
   * @card: the card read; it may carry problems to check
   */
  signals[SIGNAL_CARD_READ] =
    g_signal_new ("card-read", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, FK_TYPE_CCCD_CARD);

  g_type_ensure (FK_TYPE_CARD_SCANNER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-intake-scan-step.ui");
  gtk_widget_class_bind_template_child (widget_class, FkIntakeScanStep, card_scanner);
  gtk_widget_class_bind_template_callback (widget_class, card_read);
}

static void
fk_intake_scan_step_init (FkIntakeScanStep *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
