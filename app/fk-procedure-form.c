/* fk-procedure-form.c: a procedure's form, generated from the catalog
 *
 * One row per field of the intake's procedure, with the input purpose its
 * type calls for so the on-screen keyboard shows digits for numbers and ID
 * numbers. Each row shows the model's answer and writes every change back
 * as entered (a choice as its value, a switch as "true" or "false");
 * FkIntake turns the answers into what the catalog expects and checks
 * them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-procedure-form.h"

struct _FkProcedureForm
{
  AdwBin parent_instance;

  FkIntake *intake;
  FkProcedure *procedure;
  GHashTable *inputs; /* field name → widget (owned by the form) */
  gboolean loading;   /* the inputs are being filled from the model */
  gboolean pushing;   /* an input is being written to the model */
};

G_DEFINE_FINAL_TYPE (FkProcedureForm, fk_procedure_form, ADW_TYPE_BIN)

static GtkWidget *
choice_row (const FkProcedureField *field, GtkWidget **input)
{
  const char *const *choices = fk_procedure_field_get_choices (field);
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);
  GtkWidget *row = adw_combo_row_new ();

  gtk_string_list_append (labels, _ ("— choose —"));
  for (guint i = 0; choices != NULL && choices[i] != NULL; i++)
    gtk_string_list_append (labels, fk_procedure_field_get_choice_label (field, choices[i]));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (labels));
  *input = row;
  return row;
}

static GtkWidget *
make_row (const FkProcedureField *field, GtkWidget **input)
{
  FkFieldType type = fk_procedure_field_get_field_type (field);
  GtkWidget *row;

  switch (type)
    {
      case FK_FIELD_CHOICE:
        return choice_row (field, input);
      case FK_FIELD_BOOLEAN:
        row = adw_action_row_new ();
        *input = gtk_switch_new ();
        gtk_widget_set_valign (*input, GTK_ALIGN_CENTER);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), *input);
        adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), *input);
        return row;
      case FK_FIELD_TEXT:
      case FK_FIELD_DATE:
      case FK_FIELD_DIGITS:
      case FK_FIELD_CITIZEN_ID:
      case FK_FIELD_PHONE:
      case FK_FIELD_INTEGER:
      case FK_FIELD_COMMUNE:
      default:
        row = adw_entry_row_new ();
        *input = row;
        if (type == FK_FIELD_PHONE)
          gtk_editable_set_max_width_chars (GTK_EDITABLE (row), 12);
        g_object_set (row, "input-purpose",
                      type == FK_FIELD_PHONE  ? GTK_INPUT_PURPOSE_PHONE
                      : type == FK_FIELD_TEXT ? GTK_INPUT_PURPOSE_FREE_FORM
                                              : GTK_INPUT_PURPOSE_DIGITS,
                      NULL);
        if (type == FK_FIELD_TEXT &&
            g_str_has_suffix (fk_procedure_field_get_name (field), "_name"))
          g_object_set (row, "input-purpose", GTK_INPUT_PURPOSE_NAME, NULL);
        return row;
    }
}

static void
build (FkProcedureForm *self)
{
  GPtrArray *fields = fk_procedure_get_fields (self->procedure);
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group),
                                   fk_procedure_get_title (self->procedure));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         fk_procedure_get_description (self->procedure));
  for (guint i = 0; i < fields->len; i++)
    {
      const FkProcedureField *field = g_ptr_array_index (fields, i);
      FkFieldType type = fk_procedure_field_get_field_type (field);
      g_autofree char *title = NULL;
      g_autofree char *name = g_strdup_printf ("field-%s", fk_procedure_field_get_name (field));
      GtkWidget *input = NULL;
      GtkWidget *row = make_row (field, &input);
      const char *hint = type == FK_FIELD_DATE      ? _ (" (day/month/year)")
                         : type == FK_FIELD_COMMUNE ? _ (" (5-digit commune code)")
                                                    : "";

      title = g_strdup_printf ("%s%s%s", fk_procedure_field_get_label (field), hint,
                               fk_procedure_field_get_required (field) ? " *" : "");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_widget_set_name (input, name);
      g_hash_table_insert (self->inputs, g_strdup (fk_procedure_field_get_name (field)), input);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  adw_bin_set_child (ADW_BIN (self), group);
}

/* One input, into the model's answers. */
static void
push (FkProcedureForm *self, GtkWidget *input)
{
  const char *name = g_object_get_data (G_OBJECT (input), "fk-field");
  const FkProcedureField *field = fk_procedure_find_field (self->procedure, name);

  if (self->loading)
    return;
  self->pushing = TRUE;
  if (ADW_IS_COMBO_ROW (input))
    {
      guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (input));
      const char *const *choices = fk_procedure_field_get_choices (field);

      fk_intake_set_answer (
        self->intake, name,
        selected > 0 && selected != GTK_INVALID_LIST_POSITION ? choices[selected - 1] : NULL);
    }
  else if (GTK_IS_SWITCH (input))
    fk_intake_set_answer (self->intake, name,
                          gtk_switch_get_active (GTK_SWITCH (input)) ? "true" : "false");
  else
    fk_intake_set_answer (self->intake, name, gtk_editable_get_text (GTK_EDITABLE (input)));
  self->pushing = FALSE;
}

static void
input_changed (GtkWidget *input, GParamSpec *pspec, gpointer user_data)
{
  push (FK_PROCEDURE_FORM (user_data), input);
}

static guint
choice_index (const FkProcedureField *field, const char *value)
{
  const char *const *choices = fk_procedure_field_get_choices (field);

  for (guint i = 0; value != NULL && choices != NULL && choices[i] != NULL; i++)
    if (g_str_equal (choices[i], value))
      return i + 1;
  return 0;
}

/* The model's answers, into the inputs. */
static void
load (FkProcedureForm *self)
{
  GHashTableIter iter;
  gpointer name, input;

  self->loading = TRUE;
  g_hash_table_iter_init (&iter, self->inputs);
  while (g_hash_table_iter_next (&iter, &name, &input))
    {
      const char *value = fk_intake_get_answer (self->intake, name);

      if (ADW_IS_COMBO_ROW (input))
        adw_combo_row_set_selected (
          ADW_COMBO_ROW (input),
          choice_index (fk_procedure_find_field (self->procedure, name), value));
      else if (GTK_IS_SWITCH (input))
        gtk_switch_set_active (GTK_SWITCH (input), g_strcmp0 (value, "true") == 0);
      else if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (input)), value ?: "") != 0)
        gtk_editable_set_text (GTK_EDITABLE (input), value ?: "");
    }
  self->loading = FALSE;
}

static void
answers_changed (FkIntake *intake, GParamSpec *pspec, gpointer user_data)
{
  FkProcedureForm *self = user_data;

  /* A change the form made itself is already on screen. */
  if (!self->pushing && !self->loading)
    load (self);
}

static void
watch_inputs (FkProcedureForm *self)
{
  GHashTableIter iter;
  gpointer name, input;

  g_hash_table_iter_init (&iter, self->inputs);
  while (g_hash_table_iter_next (&iter, &name, &input))
    {
      g_object_set_data_full (G_OBJECT (input), "fk-field", g_strdup (name), g_free);
      g_signal_connect_object (input,
                               ADW_IS_COMBO_ROW (input) ? "notify::selected"
                               : GTK_IS_SWITCH (input)  ? "notify::active"
                                                        : "notify::text",
                               G_CALLBACK (input_changed), self, 0);
    }
}

/**
 * fk_procedure_form_new:
 * @intake: a model with a procedure chosen
 *
 * Returns: (transfer floating): the form of @intake's procedure, showing
 *   and editing its answers
 */
FkProcedureForm *
fk_procedure_form_new (FkIntake *intake)
{
  FkProcedureForm *self = g_object_new (FK_TYPE_PROCEDURE_FORM, NULL);

  self->intake = g_object_ref (intake);
  self->procedure = g_object_ref (fk_intake_get_procedure (intake));
  build (self);
  load (self);
  watch_inputs (self);
  g_signal_connect_object (intake, "notify::answers", G_CALLBACK (answers_changed), self, 0);
  return self;
}

FkProcedure *
fk_procedure_form_get_procedure (FkProcedureForm *self)
{
  return self->procedure;
}

static void
fk_procedure_form_dispose (GObject *object)
{
  FkProcedureForm *self = FK_PROCEDURE_FORM (object);

  if (self->intake != NULL)
    g_signal_handlers_disconnect_by_data (self->intake, self);
  g_clear_object (&self->intake);
  g_clear_object (&self->procedure);
  g_clear_pointer (&self->inputs, g_hash_table_unref);
  G_OBJECT_CLASS (fk_procedure_form_parent_class)->dispose (object);
}

static void
fk_procedure_form_class_init (FkProcedureFormClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = fk_procedure_form_dispose;
}

static void
fk_procedure_form_init (FkProcedureForm *self)
{
  self->inputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
