/* fk-intake-identity-step.c: who the citizen is, as read from the card or typed
 *
 * The rows show the model's citizen and write every change back to it; a
 * new citizen in the model (a card read, a draft opened, a reset) fills
 * the rows again. Dates are typed day/month/year and kept YYYY-MM-DD. The
 * 2025 commune follows the address, as read or typed (FkCommuneRow), and
 * the officer confirms it. The portrait read from the card's chip, if any,
 * is beside the rows for a face check.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-commune-row.h"
#include "fk-intake-chip-step.h"
#include "fk-intake-identity-step.h"

struct _FkIntakeIdentityStep
{
  FkIntakeStepView parent_instance;

  GtkLabel *identity_label;
  GtkImage *portrait;
  AdwEntryRow *id_row;
  AdwEntryRow *name_row;
  AdwEntryRow *birth_row;
  AdwComboRow *sex_row;
  AdwEntryRow *address_row;
  FkCommuneRow *commune_row;
  AdwEntryRow *phone_row;

  gboolean loading; /* the rows are being filled from the model */
};

G_DEFINE_FINAL_TYPE (FkIntakeIdentityStep, fk_intake_identity_step, FK_TYPE_INTAKE_STEP_VIEW)

static char *
iso_to_display (const char *iso)
{
  int y, m, d;

  if (iso == NULL || sscanf (iso, "%d-%d-%d", &y, &m, &d) != 3)
    return g_strdup (iso != NULL ? iso : "");
  return g_strdup_printf ("%02d/%02d/%04d", d, m, y);
}

static char *
display_to_iso (const char *text)
{
  int y, m, d;

  if (sscanf (text, "%d/%d/%d", &d, &m, &y) == 3)
    return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
  return g_strdup (text);
}

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_text (AdwEntryRow *row, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

/* What the rows hold, into the model's citizen. */
static void
push (FkIntakeIdentityStep *self)
{
  FkIntake *intake = fk_intake_step_view_get_intake (FK_INTAKE_STEP_VIEW (self));
  FkCitizen *citizen = intake != NULL ? fk_intake_get_citizen (intake) : NULL;
  g_autofree char *birth = NULL;
  guint sex;

  if (citizen == NULL || self->loading)
    return;
  birth = display_to_iso (text_of (self->birth_row));
  sex = adw_combo_row_get_selected (self->sex_row);
  g_object_freeze_notify (G_OBJECT (citizen));
  fk_citizen_set_id_number (citizen, text_of (self->id_row));
  fk_citizen_set_full_name (citizen, text_of (self->name_row));
  fk_citizen_set_birth_date (citizen, birth);
  fk_citizen_set_sex (citizen, sex == 1 ? FK_SEX_MALE : sex == 2 ? FK_SEX_FEMALE : FK_SEX_UNKNOWN);
  fk_citizen_set_address (citizen, text_of (self->address_row));
  fk_citizen_set_commune (citizen, fk_commune_row_get_code (self->commune_row));
  fk_citizen_set_phone (citizen,
                        *text_of (self->phone_row) != '\0' ? text_of (self->phone_row) : NULL);
  g_object_thaw_notify (G_OBJECT (citizen));
}

/* The model's citizen, into the rows. */
static void
load (FkIntakeIdentityStep *self)
{
  FkCitizen *citizen =
    fk_intake_get_citizen (fk_intake_step_view_get_intake (FK_INTAKE_STEP_VIEW (self)));
  g_autofree char *birth = iso_to_display (fk_citizen_get_birth_date (citizen));
  FkSex sex = fk_citizen_get_sex (citizen);

  self->loading = TRUE;
  set_text (self->id_row, fk_citizen_get_id_number (citizen));
  set_text (self->name_row, fk_citizen_get_full_name (citizen));
  set_text (self->birth_row, birth);
  adw_combo_row_set_selected (self->sex_row, sex == FK_SEX_MALE ? 1 : sex == FK_SEX_FEMALE ? 2 : 0);
  set_text (self->address_row, fk_citizen_get_address (citizen));
  set_text (self->phone_row, fk_citizen_get_phone (citizen));
  /* After the address: a new address forgets the choice made for the old. */
  fk_commune_row_set_code (self->commune_row, fk_citizen_get_commune (citizen));
  self->loading = FALSE;
}

/**
 * fk_intake_identity_step_show_card:
 * @card: the card just read
 *
 * Says what the officer should check with the citizen: the problems found
 * on the card, or that the rows come from it.
 */
void
fk_intake_identity_step_show_card (FkIntakeIdentityStep *self, FkCccdCard *card)
{
  g_autoptr (GString) problems = g_string_new (NULL);
  const GArray *lists[] = { fk_cccd_card_get_errors (card), fk_cccd_card_get_warnings (card) };

  g_return_if_fail (FK_IS_INTAKE_IDENTITY_STEP (self));

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] != NULL && i < lists[l]->len; i++)
      g_string_append_printf (
        problems, "• %s\n",
        fk_cccd_problem_get_message (g_array_index (lists[l], FkCccdProblem, i)));
  if (problems->len > 0)
    {
      g_string_prepend (problems, _ ("Check these points with the citizen:\n"));
      g_strchomp (problems->str);
      fk_intake_step_view_set_message (FK_INTAKE_STEP_VIEW (self), problems->str, TRUE);
    }
  else
    fk_intake_step_view_set_message (FK_INTAKE_STEP_VIEW (self),
                                     _ ("Read from the card. Check it with the citizen."), FALSE);
}

/* The 2025 commune follows the address, as read or typed. */
static void
address_changed (FkIntakeIdentityStep *self, GtkEditable *address)
{
  fk_commune_row_set_address (self->commune_row, gtk_editable_get_text (address));
}

static void
portrait_changed (FkIntakeIdentityStep *self)
{
  g_autoptr (GdkTexture) texture = fk_intake_chip_step_dup_portrait (
    fk_intake_step_view_get_intake (FK_INTAKE_STEP_VIEW (self)), 120);

  gtk_image_set_from_paintable (self->portrait, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->portrait), texture != NULL);
}

static void
fk_intake_identity_step_bind (FkIntakeStepView *view, FkIntake *intake)
{
  g_signal_connect_swapped (intake, "notify::citizen", G_CALLBACK (load), view);
  g_signal_connect_swapped (intake, "notify::portrait", G_CALLBACK (portrait_changed), view);
  load (FK_INTAKE_IDENTITY_STEP (view));
  portrait_changed (FK_INTAKE_IDENTITY_STEP (view));
}

/* Again for the same address: the visit may have started since. */
static void
fk_intake_identity_step_entered (FkIntakeStepView *view)
{
  FkIntakeIdentityStep *self = FK_INTAKE_IDENTITY_STEP (view);

  fk_commune_row_set_address (self->commune_row, text_of (self->address_row));
}

static void
fk_intake_identity_step_dispose (GObject *object)
{
  fk_intake_step_view_set_intake (FK_INTAKE_STEP_VIEW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_INTAKE_IDENTITY_STEP);
  G_OBJECT_CLASS (fk_intake_identity_step_parent_class)->dispose (object);
}

static void
fk_intake_identity_step_class_init (FkIntakeIdentityStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  FkIntakeStepViewClass *view_class = FK_INTAKE_STEP_VIEW_CLASS (klass);

  object_class->dispose = fk_intake_identity_step_dispose;
  view_class->bind = fk_intake_identity_step_bind;
  view_class->entered = fk_intake_identity_step_entered;

  g_type_ensure (FK_TYPE_COMMUNE_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-intake-identity-step.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, FkIntakeIdentityStep, name)
  BIND (identity_label);
  BIND (portrait);
  BIND (id_row);
  BIND (name_row);
  BIND (birth_row);
  BIND (sex_row);
  BIND (address_row);
  BIND (commune_row);
  BIND (phone_row);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, address_changed);
}

static void
fk_intake_identity_step_init (FkIntakeIdentityStep *self)
{
  g_autoptr (GtkStringList) sexes = NULL;
  const char *sex_labels[] = { _ ("— choose —"), _ ("Male"), _ ("Female"), NULL };

  gtk_widget_init_template (GTK_WIDGET (self));
  fk_intake_step_view_set_message_label (FK_INTAKE_STEP_VIEW (self), self->identity_label);
  sexes = gtk_string_list_new (sex_labels);
  adw_combo_row_set_model (self->sex_row, G_LIST_MODEL (sexes));
  {
    AdwEntryRow *rows[] = { self->id_row, self->name_row, self->birth_row, self->address_row,
                            self->phone_row };

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      g_signal_connect_swapped (rows[i], "changed", G_CALLBACK (push), self);
  }
  g_signal_connect_swapped (self->sex_row, "notify::selected", G_CALLBACK (push), self);
  g_signal_connect_swapped (self->commune_row, "notify::code", G_CALLBACK (push), self);
}
