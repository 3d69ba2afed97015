/* fk-server-cli.c: what the commands of fieldkit-server share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-server-cli.h"

#include <glib/gi18n.h>

#include "fk-server-error.h"

int
fk_server_cli_fail (const FkServerCli *g, const GError *error)
{
  g_printerr ("fieldkit-server %s: %s\n", g->command, error->message);
  return 1;
}

int
fk_server_cli_usage (const FkServerCli *g, const char *message)
{
  g_printerr ("fieldkit-server %s: %s\n", g->command, message);
  return 2;
}

gboolean
fk_server_cli_parse (const FkServerCli *g, const char *params, const GOptionEntry *entries,
                     int *argc, char ***argv)
{
  g_autofree char *p = g_strdup_printf ("%s %s", g->command, params);
  g_autoptr (GOptionContext) context = g_option_context_new (p);
  g_autoptr (GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("fieldkit-server %s: %s\n", g->command, error->message);
      return FALSE;
    }
  return TRUE;
}

static const char *
db_uri (const FkServerCli *g)
{
  return g->db_uri != NULL ? g->db_uri : g->config->db_uri;
}

static const char *
keys_dir (const FkServerCli *g)
{
  return g->keys_dir != NULL ? g->keys_dir : g->config->keys_dir;
}

FkServerDb *
fk_server_cli_open_db (const FkServerCli *g, GError **error)
{
  if (db_uri (g) == NULL)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_CONFIG,
                   _ ("Give the database with --db (a file path or postgresql://…)"));
      return NULL;
    }
  return fk_server_db_open (db_uri (g), error);
}

FkServerKeys *
fk_server_cli_load_keys (const FkServerCli *g, GError **error)
{
  if (keys_dir (g) == NULL)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_CONFIG,
                   _ ("Give the key folder with --keys (written by “fieldkit-server keygen”)"));
      return NULL;
    }
  return fk_server_keys_load (keys_dir (g), error);
}

void
fk_server_cli_print_json (JsonBuilder *builder)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}
