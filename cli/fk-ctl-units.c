/* fk-ctl-units.c: fieldkit-ctl units search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "fk-core.h"
#include "fk-ctl.h"

static void
print_units_json (FkAdminUnits *units, GPtrArray *hits)
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
      fk_ctl_json_string (builder, "code", unit->code);
      fk_ctl_json_string (builder, "name", unit->name);
      fk_ctl_json_string (builder, "type", unit->type);
      fk_ctl_json_string (builder, "full_name", full);
      fk_ctl_json_string (builder, "level",
                          unit->level == FK_ADMIN_LEVEL_PROVINCE ? "province" : "commune");
      fk_ctl_json_string (builder, "province_code", unit->province_code);
      fk_ctl_json_string (builder, "province_name", p != NULL ? p->name : NULL);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  fk_ctl_print_json (root);
}

static void
print_units_text (FkAdminUnits *units, GPtrArray *hits)
{
  for (guint i = 0; i < hits->len; i++)
    {
      const FkAdminUnit *unit = g_ptr_array_index (hits, i);
      g_autofree char *full = fk_admin_unit_dup_full_name (unit);
      const FkAdminUnit *p;
      g_autofree char *pfull = NULL;

      if (unit->level == FK_ADMIN_LEVEL_PROVINCE)
        {
          g_print ("%-5s  %s\n", unit->code, full);
          continue;
        }
      p = fk_admin_units_lookup (units, unit->province_code);
      pfull = p != NULL ? fk_admin_unit_dup_full_name (p) : NULL;
      g_print ("%-5s  %s, %s\n", unit->code, full, pfull != NULL ? pfull : "");
    }
  if (hits->len == 0)
    g_printerr ("%s\n", _ ("No province or commune matches."));
}

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
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) hits = NULL;
  g_autofree char *query = NULL;
  FkAdminUnits *units;

  if (!fk_ctl_parse (
        ctl, entries,
        _ ("Accents, tone placement and case do not matter: “lai chau” finds “Lai Châu”, "
           "“Thanh Hóa” finds “Thanh Hoá”. TEXT may also be the start of a code."),
        &argc, &argv))
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
    print_units_json (units, hits);
  else
    print_units_text (units, hits);
  return hits->len > 0 ? FK_CTL_EXIT_OK : FK_CTL_EXIT_NEGATIVE;
}

int
fk_ctl_units_from_old (FkCtl *ctl, int argc, char **argv)
{
  const GOptionEntry entries[] = {
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (FkReformSuggestion) suggestion = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *address = NULL;
  FkAdminUnits *units;

  if (!fk_ctl_parse (
        ctl, entries,
        _ ("Suggests the 2025 commune for an address written with the units before "
           "1 July 2025, as on chip ID cards: “Phường Trúc Bạch, Quận Ba Đình, Thành phố "
           "Hà Nội”. The officer confirms the suggestion."),
        &argc, &argv))
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
  fk_ctl_json_string (builder, "old_ward", suggestion->old_ward);
  fk_ctl_json_string (builder, "old_district", suggestion->old_district);
  fk_ctl_json_string (builder, "old_province", suggestion->old_province);
  fk_ctl_json_bool (builder, "current", suggestion->current);
  fk_ctl_json_bool (builder, "whole", suggestion->whole);
  json_builder_set_member_name (builder, "communes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < suggestion->communes->len; i++)
    {
      const FkAdminUnit *unit = g_ptr_array_index (suggestion->communes, i);
      const FkAdminUnit *p = fk_admin_units_lookup (units, unit->province_code);
      g_autofree char *full = fk_admin_unit_dup_full_name (unit);
      g_autofree char *pfull = p != NULL ? fk_admin_unit_dup_full_name (p) : NULL;

      json_builder_begin_object (builder);
      fk_ctl_json_string (builder, "code", unit->code);
      fk_ctl_json_string (builder, "name", full);
      fk_ctl_json_string (builder, "province", pfull);
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
