/* fk-ctl-units.c: fieldkit-ctl units search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "fk-core.h"
#include "fk-ctl.h"

int
fk_ctl_units_search (FkCtl *ctl, int argc, char **argv)
{
  gboolean json = FALSE;
  int limit = 20;
  g_autofree char *province = NULL;
  const GOptionEntry entries[] = {
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_ ("Show at most N units (0: all)"), N_ ("N") },
    { "province", 'p', 0, G_OPTION_ARG_STRING, &province,
      N_ ("Only this province (2-digit code) and its communes"), N_ ("CODE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the units as JSON"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = fk_ctl_option_context_new (ctl, entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) hits = NULL;
  g_autofree char *query = NULL;
  FkAdminUnits *units;

  g_option_context_set_description (
    context, _ ("Accents, tone placement and case do not matter: “lai chau” finds “Lai Châu”, "
                "“Thanh Hóa” finds “Thanh Hoá”. TEXT may also be the start of a code."));
  if (!fk_ctl_parse_options (ctl, context, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (argc < 2)
    return fk_ctl_usage_error (ctl, _ ("Give the TEXT to search for."));
  if (limit < 0)
    return fk_ctl_usage_error (ctl, _ ("--limit cannot be negative."));
  if (!g_utf8_validate (argv[1], -1, NULL))
    return fk_ctl_usage_error (ctl, _ ("TEXT is not valid UTF-8."));

  units = fk_admin_units_get_default (&error);
  if (units == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  if (province != NULL)
    {
      const FkAdminUnit *p = fk_admin_units_lookup (units, province);

      if (p == NULL || p->level != FK_ADMIN_LEVEL_PROVINCE)
        return fk_ctl_usage_error (ctl, _ ("“%s” is not the 2-digit code of a province."),
                                   province);
    }

  /* Several words without quotes are one search. */
  query = g_strjoinv (" ", argv + 1);
  hits = fk_admin_units_search (units, query, province, (guint) limit);

  if (json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < hits->len; i++)
        {
          const FkAdminUnit *unit = g_ptr_array_index (hits, i);
          const FkAdminUnit *p = fk_admin_units_lookup (units, unit->province_code);
          g_autofree char *full = fk_admin_unit_dup_full_name (unit);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "code");
          json_builder_add_string_value (builder, unit->code);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, unit->name);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, unit->type);
          json_builder_set_member_name (builder, "full_name");
          json_builder_add_string_value (builder, full);
          json_builder_set_member_name (builder, "level");
          json_builder_add_string_value (
            builder, unit->level == FK_ADMIN_LEVEL_PROVINCE ? "province" : "commune");
          json_builder_set_member_name (builder, "province_code");
          json_builder_add_string_value (builder, unit->province_code);
          json_builder_set_member_name (builder, "province_name");
          json_builder_add_string_value (builder, p != NULL ? p->name : NULL);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      fk_ctl_print_json (root);
    }
  else
    {
      for (guint i = 0; i < hits->len; i++)
        {
          const FkAdminUnit *unit = g_ptr_array_index (hits, i);
          g_autofree char *full = fk_admin_unit_dup_full_name (unit);

          if (unit->level == FK_ADMIN_LEVEL_PROVINCE)
            g_print ("%-5s  %s\n", unit->code, full);
          else
            {
              const FkAdminUnit *p = fk_admin_units_lookup (units, unit->province_code);
              g_autofree char *pfull = p != NULL ? fk_admin_unit_dup_full_name (p) : NULL;

              g_print ("%-5s  %s, %s\n", unit->code, full, pfull != NULL ? pfull : "");
            }
        }
      if (hits->len == 0)
        g_printerr ("%s\n", _ ("No province or commune matches."));
    }
  return hits->len > 0 ? FK_CTL_EXIT_OK : FK_CTL_EXIT_NEGATIVE;
}

int
fk_ctl_units_from_old (FkCtl *ctl, int argc, char **argv)
{
  const GOptionEntry entries[] = {
    { NULL },
  };
  g_autoptr (GOptionContext) context = fk_ctl_option_context_new (ctl, entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (FkReformSuggestion) suggestion = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *address = NULL;
  FkAdminUnits *units;

  g_option_context_set_description (
    context, _ ("Suggests the 2025 commune for an address written with the units before "
                "1 July 2025, as on chip ID cards: “Phường Trúc Bạch, Quận Ba Đình, Thành phố "
                "Hà Nội”. The officer confirms the suggestion."));
  if (!fk_ctl_parse_options (ctl, context, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (argc < 2)
    return fk_ctl_usage_error (ctl, _ ("Give the ADDRESS."));
  /* Several words without quotes are one address. */
  address = g_strjoinv (" ", argv + 1);
  if (!g_utf8_validate (address, -1, NULL))
    return fk_ctl_usage_error (ctl, _ ("ADDRESS is not valid UTF-8."));

  units = fk_admin_units_get_default (&error);
  if (units == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  suggestion = fk_address_reform_suggest (address, &error);
  if (suggestion == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "old_ward");
  json_builder_add_string_value (builder, suggestion->old_ward);
  json_builder_set_member_name (builder, "old_district");
  json_builder_add_string_value (builder, suggestion->old_district);
  json_builder_set_member_name (builder, "old_province");
  json_builder_add_string_value (builder, suggestion->old_province);
  json_builder_set_member_name (builder, "current");
  json_builder_add_boolean_value (builder, suggestion->current);
  json_builder_set_member_name (builder, "whole");
  json_builder_add_boolean_value (builder, suggestion->whole);
  json_builder_set_member_name (builder, "communes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < suggestion->communes->len; i++)
    {
      const FkAdminUnit *unit = g_ptr_array_index (suggestion->communes, i);
      const FkAdminUnit *p = fk_admin_units_lookup (units, unit->province_code);
      g_autofree char *full = fk_admin_unit_dup_full_name (unit);
      g_autofree char *pfull = p != NULL ? fk_admin_unit_dup_full_name (p) : NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, unit->code);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, full);
      json_builder_set_member_name (builder, "province");
      json_builder_add_string_value (builder, pfull);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  fk_ctl_print_json (root);
  if (suggestion->communes->len == 0)
    g_printerr ("%s\n", _ ("No 2025 commune can be suggested for this address."));
  return suggestion->communes->len > 0 ? FK_CTL_EXIT_OK : FK_CTL_EXIT_NEGATIVE;
}
