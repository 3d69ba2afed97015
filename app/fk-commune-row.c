/* fk-commune-row.c: the commune an address is in since 1 July 2025
 *
 * Cards issued before the reform give the old ward, district and province.
 * This row offers, best first, the 2025 communes the old ward went into
 * (core's fk_address_reform_suggest, run off the main loop and a moment
 * after the typing stops), then the visit's commune, where most of the
 * citizens met live, then "not determined". The subtitle says where the
 * suggestion came from, so the officer asks the citizen and confirms.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-address-reform.h"
#include "fk-admin-units.h"
#include "fk-application.h"
#include "fk-commune-row.h"
#include "fk-scroll.h"
#include "fk-visit.h"

#define DELAY_MS 400

struct _FkCommuneRow
{
  AdwComboRow parent_instance;

  GtkStringList *titles;
  GPtrArray *codes; /* of the options, NULL for "not determined" */
  char *address;
  char *wanted;                   /* the officer's choice, kept across new suggestions */
  FkReformSuggestion *suggestion; /* for the current address, once known */
  guint delay_id;
  GCancellable *cancellable;
  gboolean filling;
};

G_DEFINE_FINAL_TYPE (FkCommuneRow, fk_commune_row, ADW_TYPE_COMBO_ROW)

enum
{
  PROP_0,
  PROP_CODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
commune_title (const FkAdminUnit *unit)
{
  FkAdminUnits *units = fk_admin_units_get_default (NULL);
  const FkAdminUnit *province =
    units != NULL ? fk_admin_units_lookup (units, unit->province_code) : NULL;
  g_autofree char *name = fk_admin_unit_dup_full_name (unit);

  return province != NULL ? g_strdup_printf ("%s, %s", name, province->name)
                          : g_steal_pointer (&name);
}

static void
add_option (FkCommuneRow *self, const FkAdminUnit *unit)
{
  g_autofree char *title = NULL;

  for (guint i = 0; i < self->codes->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->codes, i), unit->code) == 0)
      return;
  title = commune_title (unit);
  gtk_string_list_append (self->titles, title);
  g_ptr_array_add (self->codes, g_strdup (unit->code));
}

/* Rebuilds the options around the suggestion and selects the officer's
 * choice if there is one, else the best suggestion, else the visit's
 * commune. */
static void
fill (FkCommuneRow *self)
{
  FkReformSuggestion *suggestion = self->suggestion;
  FkAdminUnits *units = fk_admin_units_get_default (NULL);
  FkApplication *app = fk_application_get_default ();
  FkVisit *visit = app != NULL ? fk_session_get_visit (fk_application_get_session (app)) : NULL;
  const char *visit_code = visit != NULL ? fk_visit_get_commune_code (visit) : NULL;
  g_autofree char *explanation = NULL;
  const char *old = NULL;
  guint selected = 0;

  self->filling = TRUE;
  gtk_string_list_splice (self->titles, 0, g_list_model_get_n_items (G_LIST_MODEL (self->titles)),
                          NULL);
  g_ptr_array_set_size (self->codes, 0);
  for (guint i = 0; suggestion != NULL && i < suggestion->communes->len; i++)
    add_option (self, g_ptr_array_index (suggestion->communes, i));
  if (units != NULL && visit_code != NULL && fk_admin_units_lookup (units, visit_code) != NULL)
    add_option (self, fk_admin_units_lookup (units, visit_code));
  if (units != NULL && self->wanted != NULL && fk_admin_units_lookup (units, self->wanted) != NULL)
    add_option (self, fk_admin_units_lookup (units, self->wanted));
  gtk_string_list_append (self->titles, _ ("Not determined"));
  g_ptr_array_add (self->codes, NULL);

  for (guint i = 0; self->wanted != NULL && i < self->codes->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->codes, i), self->wanted) == 0)
      selected = i;
  adw_combo_row_set_selected (ADW_COMBO_ROW (self), selected);

  if (suggestion != NULL)
    old = suggestion->old_ward != NULL       ? suggestion->old_ward
          : suggestion->old_district != NULL ? suggestion->old_district
                                             : _ ("The old address");
  if (suggestion == NULL || suggestion->communes->len == 0)
    explanation = g_strdup (_ ("Ask the citizen which commune or ward they live in now."));
  else if (suggestion->current)
    explanation = g_strdup (_ ("The address already names a commune of 2025."));
  else if (suggestion->communes->len == 1 && suggestion->whole)
    explanation = g_strdup_printf (_ ("Suggested from the old address (%s): check it with the "
                                      "citizen."),
                                   old);
  else
    explanation = g_strdup_printf (_ ("%s was split or has namesakes: ask the citizen which "
                                      "of these it is."),
                                   old);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), explanation);
  self->filling = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
}

/* Whether the officer is typing in the row above, the address: then the
 * suggestion is scrolled into view under it. */
static gboolean
typing_above (FkCommuneRow *self)
{
  GtkWidget *above = gtk_widget_get_prev_sibling (GTK_WIDGET (self));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return above != NULL && focus != NULL && gtk_widget_is_ancestor (focus, above);
}

static void
suggest_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  FkReformSuggestion *suggestion = fk_address_reform_suggest (task_data, &error);

  if (suggestion == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, suggestion, (GDestroyNotify) fk_reform_suggestion_free);
}

static void
suggested (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkCommuneRow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkReformSuggestion) suggestion = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  /* Damaged lists: no suggestion, the officer still chooses. */
  g_clear_pointer (&self->suggestion, fk_reform_suggestion_free);
  self->suggestion = g_steal_pointer (&suggestion);
  fill (self);
  if (self->suggestion != NULL && self->suggestion->communes->len > 0 && typing_above (self))
    fk_scroll_into_view (GTK_WIDGET (self));
}

static gboolean
suggest_now (gpointer user_data)
{
  FkCommuneRow *self = user_data;
  g_autoptr (GTask) task = NULL;

  self->delay_id = 0;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->address == NULL || *self->address == '\0')
    {
      g_clear_pointer (&self->suggestion, fk_reform_suggestion_free);
      fill (self);
      return G_SOURCE_REMOVE;
    }
  self->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->cancellable, suggested, g_object_ref (self));
  g_task_set_source_tag (task, suggest_now);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, g_strdup (self->address), g_free);
  g_task_run_in_thread (task, suggest_thread);
  return G_SOURCE_REMOVE;
}

/**
 * fk_commune_row_set_address:
 * @address: (nullable): the address as typed or read from the card
 *
 * Offers the communes for @address a moment later (again, for the same
 * address: the visit may have started since). A new address forgets the
 * officer's earlier choice.
 */
void
fk_commune_row_set_address (FkCommuneRow *self, const char *address)
{
  g_return_if_fail (FK_IS_COMMUNE_ROW (self));

  if (g_strcmp0 (self->address, address) != 0)
    {
      g_free (self->address);
      self->address = g_strdup (address);
      g_clear_pointer (&self->wanted, g_free);
    }
  g_clear_handle_id (&self->delay_id, g_source_remove);
  self->delay_id = g_timeout_add (DELAY_MS, suggest_now, self);
}

/**
 * fk_commune_row_set_code:
 * @code: (nullable): a 2025 commune code, or %NULL for "not determined"
 *
 * Selects @code, now and after the suggestions change (a resumed draft).
 */
void
fk_commune_row_set_code (FkCommuneRow *self, const char *code)
{
  g_return_if_fail (FK_IS_COMMUNE_ROW (self));

  g_free (self->wanted);
  self->wanted = g_strdup (code);
  if (self->delay_id == 0 && self->cancellable == NULL)
    fill (self);
}

/**
 * fk_commune_row_dup_title:
 * @code: (nullable): a 2025 commune code
 *
 * Returns: (transfer full): the commune as the row names it ("Xã Bắc Yên,
 *   Sơn La"), or "Not determined"
 */
char *
fk_commune_row_dup_title (const char *code)
{
  FkAdminUnits *units = fk_admin_units_get_default (NULL);
  const FkAdminUnit *unit =
    units != NULL && code != NULL ? fk_admin_units_lookup (units, code) : NULL;

  if (unit == NULL)
    return g_strdup (_ ("Not determined"));
  return commune_title (unit);
}

/**
 * fk_commune_row_get_code:
 *
 * Returns: (nullable): the chosen 2025 commune code, %NULL when not
 *   determined
 */
const char *
fk_commune_row_get_code (FkCommuneRow *self)
{
  guint i;

  g_return_val_if_fail (FK_IS_COMMUNE_ROW (self), NULL);
  /* Chosen, but the options are still being worked out. */
  if (self->wanted != NULL && (self->delay_id != 0 || self->cancellable != NULL))
    return self->wanted;
  i = adw_combo_row_get_selected (ADW_COMBO_ROW (self));
  return i < self->codes->len ? g_ptr_array_index (self->codes, i) : NULL;
}

static void
selected_changed (FkCommuneRow *self, GParamSpec *pspec, gpointer user_data)
{
  if (self->filling)
    return;
  g_free (self->wanted);
  self->wanted = g_strdup (fk_commune_row_get_code (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
}

static void
fk_commune_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
      case PROP_CODE:
        g_value_set_string (value, fk_commune_row_get_code (FK_COMMUNE_ROW (object)));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_commune_row_dispose (GObject *object)
{
  FkCommuneRow *self = FK_COMMUNE_ROW (object);

  g_clear_handle_id (&self->delay_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (fk_commune_row_parent_class)->dispose (object);
}

static void
fk_commune_row_finalize (GObject *object)
{
  FkCommuneRow *self = FK_COMMUNE_ROW (object);

  g_clear_object (&self->titles);
  g_ptr_array_unref (self->codes);
  g_free (self->address);
  g_free (self->wanted);
  g_clear_pointer (&self->suggestion, fk_reform_suggestion_free);
  G_OBJECT_CLASS (fk_commune_row_parent_class)->finalize (object);
}

static void
fk_commune_row_class_init (FkCommuneRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = fk_commune_row_get_property;
  object_class->dispose = fk_commune_row_dispose;
  object_class->finalize = fk_commune_row_finalize;

  /* The chosen 2025 commune code, %NULL when not determined. */
  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fk_commune_row_init (FkCommuneRow *self)
{
  self->titles = gtk_string_list_new (NULL);
  self->codes = g_ptr_array_new_with_free_func (g_free);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), _ ("Commune or ward now"));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self), 3);
  adw_combo_row_set_model (ADW_COMBO_ROW (self), G_LIST_MODEL (self->titles));
  g_signal_connect (self, "notify::selected", G_CALLBACK (selected_changed), NULL);
  fill (self);
}
