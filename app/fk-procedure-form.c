/* fk-procedure-form.c: a procedure's form, generated from the catalog
 *
 * One row per catalog field, with the input purpose its type calls for so
 * the on-screen keyboard shows digits for numbers and ID numbers. Values go
 * out as the catalog expects them (dates YYYY-MM-DD, integers, booleans)
 * and are checked with fk_procedure_validate_fields().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-admin-units.h"
#include "fk-procedure-form.h"

struct _FkProcedureForm
{
  AdwBin parent_instance;

  FkProcedure *procedure;
  GHashTable *inputs; /* field name → widget (owned by the form) */
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

FkProcedureForm *
fk_procedure_form_new (FkProcedure *procedure)
{
  FkProcedureForm *self = g_object_new (FK_TYPE_PROCEDURE_FORM, NULL);

  self->procedure = g_object_ref (procedure);
  build (self);
  return self;
}

FkProcedure *
fk_procedure_form_get_procedure (FkProcedureForm *self)
{
  return self->procedure;
}

/* dd/mm/yyyy (as typed) or YYYY-MM-DD; anything else is passed on as typed
 * for the catalog's check to name. */
static char *
to_iso_date (const char *text)
{
  int d, m, y;

  if (sscanf (text, "%d/%d/%d", &d, &m, &y) == 3 && g_date_valid_dmy (d, m, y))
    return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
  return g_strdup (text);
}

/**
 * fk_procedure_form_collect:
 *
 * Returns: (transfer full) (nullable): the fields as the catalog expects
 *   them, or %NULL with @error naming the first field to correct.
 */
JsonObject *
fk_procedure_form_collect (FkProcedureForm *self, GError **error)
{
  g_autoptr (JsonObject) values = json_object_new ();
  GPtrArray *fields = fk_procedure_get_fields (self->procedure);

  for (guint i = 0; i < fields->len; i++)
    {
      const FkProcedureField *field = g_ptr_array_index (fields, i);
      const char *name = fk_procedure_field_get_name (field);
      GtkWidget *input = g_hash_table_lookup (self->inputs, name);
      FkFieldType type = fk_procedure_field_get_field_type (field);

      if (type == FK_FIELD_CHOICE)
        {
          guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (input));
          const char *const *choices = fk_procedure_field_get_choices (field);

          if (selected > 0 && selected != GTK_INVALID_LIST_POSITION)
            json_object_set_string_member (values, name, choices[selected - 1]);
        }
      else if (type == FK_FIELD_BOOLEAN)
        json_object_set_boolean_member (values, name, gtk_switch_get_active (GTK_SWITCH (input)));
      else
        {
          g_autofree char *text =
            g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (input))));

          if (*text == '\0')
            continue;
          if (type == FK_FIELD_INTEGER)
            {
              gint64 n;

              if (!g_ascii_string_to_signed (text, 10, 0, G_MAXINT32, &n, NULL))
                {
                  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _ ("“%s” must be a whole number."),
                               fk_procedure_field_get_label (field));
                  return NULL;
                }
              json_object_set_int_member (values, name, n);
            }
          else if (type == FK_FIELD_DATE)
            {
              g_autofree char *iso = to_iso_date (text);

              json_object_set_string_member (values, name, iso);
            }
          else
            json_object_set_string_member (values, name, text);
        }
    }
  if (!fk_procedure_validate_fields (self->procedure, values, error))
    return NULL;
  return g_steal_pointer (&values);
}

/* Fills a text field the officer already gave elsewhere (the visit's hamlet
 * and commune); a field the officer typed in is left alone. */
void
fk_procedure_form_prefill (FkProcedureForm *self, const char *name, const char *text)
{
  GtkWidget *input = g_hash_table_lookup (self->inputs, name);

  if (input != NULL && GTK_IS_EDITABLE (input) &&
      *gtk_editable_get_text (GTK_EDITABLE (input)) == '\0' && text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (input), text);
}

/**
 * fk_procedure_form_save_state:
 *
 * Returns: (transfer full): what is in each input as typed, valid or not,
 *   for a draft
 */
JsonObject *
fk_procedure_form_save_state (FkProcedureForm *self)
{
  JsonObject *state = json_object_new ();
  GHashTableIter iter;
  gpointer name, input;

  g_hash_table_iter_init (&iter, self->inputs);
  while (g_hash_table_iter_next (&iter, &name, &input))
    if (ADW_IS_COMBO_ROW (input))
      json_object_set_int_member (state, name, adw_combo_row_get_selected (ADW_COMBO_ROW (input)));
    else if (GTK_IS_SWITCH (input))
      json_object_set_boolean_member (state, name, gtk_switch_get_active (GTK_SWITCH (input)));
    else
      json_object_set_string_member (state, name, gtk_editable_get_text (GTK_EDITABLE (input)));
  return state;
}

void
fk_procedure_form_load_state (FkProcedureForm *self, JsonObject *state)
{
  GHashTableIter iter;
  gpointer name, input;

  g_hash_table_iter_init (&iter, self->inputs);
  while (g_hash_table_iter_next (&iter, &name, &input))
    {
      JsonNode *node = json_object_get_member (state, name);

      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
        continue;
      if (ADW_IS_COMBO_ROW (input) && json_node_get_value_type (node) == G_TYPE_INT64)
        adw_combo_row_set_selected (ADW_COMBO_ROW (input), (guint) json_node_get_int (node));
      else if (GTK_IS_SWITCH (input) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        gtk_switch_set_active (GTK_SWITCH (input), json_node_get_boolean (node));
      else if (GTK_IS_EDITABLE (input) && json_node_get_value_type (node) == G_TYPE_STRING)
        gtk_editable_set_text (GTK_EDITABLE (input), json_node_get_string (node));
    }
}

static void
fk_procedure_form_dispose (GObject *object)
{
  FkProcedureForm *self = FK_PROCEDURE_FORM (object);

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
