/* fk-ctl-visit.c: fieldkit-ctl visit add, visit list: the team's visits
 *
 * A visit dated after today is a planned one: a receipt names the first
 * planned visit to its hamlet as the time and place of the handover.
 * Visits name the team, so they are stored encrypted and need the PIN.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-ctl.h"

int
fk_ctl_visit_add (FkCtl *ctl, int argc, char **argv)
{
  g_autofree char *date = NULL;
  g_autofree char *commune = NULL;
  g_autofree char *hamlet = NULL;
  g_auto (GStrv) team = NULL;
  const GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, N_ ("Day of the visit"), N_ ("YYYY-MM-DD") },
    { "commune", 0, 0, G_OPTION_ARG_STRING, &commune,
      N_ ("The commune's 5-digit code (2025 units; “units search” finds it)"), N_ ("CODE") },
    { "hamlet", 0, 0, G_OPTION_ARG_STRING, &hamlet, N_ ("The hamlet (thôn, bản) visited"),
      N_ ("NAME") },
    { "team", 0, 0, G_OPTION_ARG_STRING_ARRAY, &team, N_ ("A member of the team (repeat)"),
      N_ ("NAME") },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) json = NULL;
  g_autoptr (FkVisit) visit = NULL;

  if (!fk_ctl_parse (ctl, entries,
                     _ ("Prints the visit's UUID. A visit dated after today is a planned one. "
                        "Needs the PIN (FIELDKIT_PIN or the terminal)."),
                     &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (argc != 1 || date == NULL || commune == NULL || hamlet == NULL)
    return fk_ctl_usage_error (ctl, "%s", _ ("Give --date, --commune and --hamlet."));
  /* Checked by core as any visit is: a real date, a 2025 commune, a name. */
  json_builder_begin_object (builder);
  fk_ctl_json_int (builder, "schema", FK_VISIT_SCHEMA);
  fk_ctl_json_string (builder, "date", date);
  fk_ctl_json_string (builder, "commune_code", commune);
  fk_ctl_json_string (builder, "hamlet", hamlet);
  json_builder_set_member_name (builder, "team");
  json_builder_begin_array (builder);
  for (guint i = 0; team != NULL && team[i] != NULL; i++)
    json_builder_add_string_value (builder, team[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json = json_builder_get_root (builder);
  visit = fk_visit_new_from_json (json, &error);
  if (visit == NULL)
    return fk_ctl_usage_error (ctl, "%s", error->message);
  store = fk_ctl_open_store (ctl, FK_STORE_OPEN_DEFAULT, &error);
  if (store == NULL || !fk_ctl_unlock_store (store, &error) ||
      !fk_store_save_visit (store, visit, &error))
    return fk_ctl_fail_for (ctl, error);
  g_print ("%s\n", fk_visit_get_id (visit));
  return FK_CTL_EXIT_OK;
}

int
fk_ctl_visit_list (FkCtl *ctl, int argc, char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the visits as JSON"), NULL },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (GPtrArray) visits = NULL;

  if (!fk_ctl_parse (ctl, entries, _ ("Needs the PIN (FIELDKIT_PIN or the terminal)."), &argc,
                     &argv))
    return FK_CTL_EXIT_USAGE;
  store = fk_ctl_open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL || !fk_ctl_unlock_store (store, &error))
    return fk_ctl_fail_for (ctl, error);
  visits = fk_store_list_visits (store, &error);
  if (visits == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  if (json)
    {
      g_autoptr (JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_sized_new (visits->len);

      for (guint i = 0; i < visits->len; i++)
        json_array_add_element (array, fk_visit_to_json (g_ptr_array_index (visits, i)));
      json_node_take_array (root, array);
      fk_ctl_print_json (root);
      return FK_CTL_EXIT_OK;
    }
  for (guint i = 0; i < visits->len; i++)
    {
      FkVisit *visit = g_ptr_array_index (visits, i);

      g_print ("%s  %s  %s  %s\n", fk_visit_get_id (visit), fk_visit_get_date (visit),
               fk_visit_get_commune_code (visit), fk_visit_get_hamlet (visit));
    }
  return FK_CTL_EXIT_OK;
}
