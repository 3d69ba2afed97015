/* fk-intake-review-step.c: everything at a glance before the dossier is sealed
 *
 * What will be sealed, as the officer and the citizen check it together:
 * the citizen, the procedure, each paper's photo as a thumbnail, the
 * fingerprint image and the consents given, with who read each aloud; written when the step is
 * entered (the pictures are decoded then, never kept beyond the step's
 * widgets), and the
 * button that seals the dossier (intake.save); the spinner turns while the
 * model commits. The message line says how the sealing went.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-commune-row.h"
#include "fk-intake-review-step.h"

struct _FkIntakeReviewStep
{
  FkIntakeStepView parent_instance;

  GtkLabel *review_label;
  GtkFlowBox *photo_box;
  GtkLabel *no_photo_label;
  GtkPicture *fingerprint_picture;
  GtkLabel *fingerprint_label;
  GtkLabel *consent_label;
  GtkLabel *save_label;
  GtkSpinner *save_spinner;
};

G_DEFINE_FINAL_TYPE (FkIntakeReviewStep, fk_intake_review_step, FK_TYPE_INTAKE_STEP_VIEW)

static const char *
fingerprint_line (FkIntake *intake)
{
  if (fk_intake_get_fingerprint_template (intake) == NULL)
    return _ ("Fingerprint: not taken");
  if (fk_intake_get_consent (intake, "biometrics"))
    return _ ("Fingerprint: taken");
  return _ ("Fingerprint: taken, but not kept (no consent)");
}

/* A paper's photo and its name; a photo that does not decode shows its
 * name only. */
static GtkWidget *
photo_tile (const char *code, const char *title, GBytes *jpeg)
{
  g_autoptr (GdkTexture) texture = gdk_texture_new_from_bytes (jpeg, NULL);
  g_autofree char *name = g_strdup_printf ("review-photo-%s", code);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
  GtkWidget *label = gtk_label_new (title);

  gtk_widget_set_name (picture, name);
  gtk_widget_set_size_request (picture, 120, 90);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_add_css_class (picture, "review-thumbnail");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 18);
  gtk_box_append (GTK_BOX (box), picture);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static void
show_pictures (FkIntakeReviewStep *self, FkIntake *intake)
{
  FkProcedure *procedure = fk_intake_get_procedure (intake);
  GPtrArray *documents = procedure != NULL ? fk_procedure_get_documents (procedure) : NULL;
  GBytes *image = fk_intake_get_fingerprint_image (intake);
  g_autoptr (GdkTexture) print = NULL;
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->photo_box))) != NULL)
    gtk_flow_box_remove (self->photo_box, child);
  for (guint i = 0; documents != NULL && i < documents->len; i++)
    {
      const FkProcedureDocument *doc = g_ptr_array_index (documents, i);
      GBytes *jpeg = fk_intake_get_photo (intake, fk_procedure_document_get_code (doc), NULL);

      if (jpeg == NULL)
        continue;
      gtk_flow_box_append (self->photo_box,
                           photo_tile (fk_procedure_document_get_code (doc),
                                       fk_procedure_document_get_title (doc), jpeg));
      shown++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->photo_box), shown > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->no_photo_label), shown == 0);
  if (image != NULL)
    print = gdk_texture_new_from_bytes (image, NULL);
  gtk_picture_set_paintable (self->fingerprint_picture, GDK_PAINTABLE (print));
  gtk_widget_set_visible (GTK_WIDGET (self->fingerprint_picture), print != NULL);
  gtk_label_set_text (self->fingerprint_label, fingerprint_line (intake));
}

/* What the card's chip said, and whether its portrait is kept. */
static const char *
chip_line (FkIntake *intake)
{
  gboolean kept = fk_intake_get_consent (intake, "id-card-image");

  switch (fk_intake_get_chip_pa (intake, NULL))
    {
      case FK_CHIP_PA_VERIFIED:
        return kept ? _ ("Card's chip: verified; portrait kept")
                    : _ ("Card's chip: verified; portrait not kept (no consent)");
      case FK_CHIP_PA_UNVERIFIED:
        return kept ? _ ("Card's chip: not verified; portrait kept")
                    : _ ("Card's chip: not verified; portrait not kept (no consent)");
      case FK_CHIP_PA_FAILED:
        return _ ("Card's chip: forged data, refused");
      case FK_CHIP_PA_NOT_CHECKED:
      default:
        return NULL;
    }
}

static const char *
read_aloud_words (const char *read_by)
{
  if (g_strcmp0 (read_by, FK_CONSENT_READ_BY_DEVICE) == 0)
    return _ ("read aloud by the device");
  if (g_strcmp0 (read_by, FK_CONSENT_READ_BY_OFFICER) == 0)
    return _ ("read aloud by the officer");
  return _ ("not recorded as read aloud");
}

static void
fk_intake_review_step_entered (FkIntakeStepView *view)
{
  FkIntakeReviewStep *self = FK_INTAKE_REVIEW_STEP (view);
  FkIntake *intake = fk_intake_step_view_get_intake (view);
  FkCitizen *citizen = fk_intake_get_citizen (intake);
  FkProcedure *procedure = fk_intake_get_procedure (intake);
  g_autoptr (JsonObject) fields = fk_intake_collect_fields (intake, NULL);
  g_autofree char *commune = fk_commune_row_dup_title (fk_citizen_get_commune (citizen));
  guint n_photos = fk_intake_get_n_photos (intake);
  g_autoptr (GString) text = g_string_new (NULL);

  g_string_append_printf (text, _ ("Citizen: %s, ID %s\n"), fk_citizen_get_full_name (citizen),
                          fk_citizen_get_id_number (citizen));
  g_string_append_printf (text, _ ("Commune or ward now: %s\n"), commune);
  g_string_append_printf (text, _ ("Procedure: %s\n"),
                          procedure != NULL ? fk_procedure_get_title (procedure) : "");
  g_string_append_printf (text, _ ("Form: %u fields filled in\n"),
                          fields != NULL ? json_object_get_size (fields) : 0);
  g_string_append_printf (
    text, g_dngettext (GETTEXT_PACKAGE, "Papers: %u photo\n", "Papers: %u photos\n", n_photos),
    n_photos);
  if (chip_line (intake) != NULL)
    g_string_append_printf (text, "%s\n", chip_line (intake));
  g_strchomp (text->str);
  gtk_label_set_text (self->review_label, text->str);
  g_string_truncate (text, 0);
  for (guint i = 0; i < fk_intake_get_n_consent_texts (); i++)
    {
      const FkIntakeConsentText *consent = fk_intake_get_consent_text (i);
      gboolean given = fk_intake_get_consent (intake, consent->purpose);

      /* A mark as well as a word: seen at a glance, read out by a screen reader. */
      g_string_append_printf (
        text, "%s %s: %s (%s)\n", given ? "✔" : "✘", _ (consent->title),
        given ? _ ("agreed") : _ ("refused"),
        read_aloud_words (fk_intake_get_consent_read_aloud (intake, consent->purpose)));
    }
  g_strchomp (text->str);
  gtk_label_set_text (self->consent_label, text->str);
  show_pictures (self, intake);
}

static void
committing_changed (FkIntakeReviewStep *self, GParamSpec *pspec, FkIntake *intake)
{
  if (fk_intake_get_committing (intake))
    gtk_spinner_start (self->save_spinner);
  else
    gtk_spinner_stop (self->save_spinner);
}

static void
fk_intake_review_step_bind (FkIntakeStepView *view, FkIntake *intake)
{
  g_signal_connect_swapped (intake, "notify::committing", G_CALLBACK (committing_changed), view);
}

static void
fk_intake_review_step_dispose (GObject *object)
{
  fk_intake_step_view_set_intake (FK_INTAKE_STEP_VIEW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_INTAKE_REVIEW_STEP);
  G_OBJECT_CLASS (fk_intake_review_step_parent_class)->dispose (object);
}

static void
fk_intake_review_step_class_init (FkIntakeReviewStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  FkIntakeStepViewClass *view_class = FK_INTAKE_STEP_VIEW_CLASS (klass);

  object_class->dispose = fk_intake_review_step_dispose;
  view_class->bind = fk_intake_review_step_bind;
  view_class->entered = fk_intake_review_step_entered;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-intake-review-step.ui");
  gtk_widget_class_bind_template_child (widget_class, FkIntakeReviewStep, review_label);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeReviewStep, photo_box);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeReviewStep, no_photo_label);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeReviewStep, fingerprint_picture);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeReviewStep, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeReviewStep, consent_label);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeReviewStep, save_label);
  gtk_widget_class_bind_template_child (widget_class, FkIntakeReviewStep, save_spinner);
}

static void
fk_intake_review_step_init (FkIntakeReviewStep *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fk_intake_step_view_set_message_label (FK_INTAKE_STEP_VIEW (self), self->save_label);
}
