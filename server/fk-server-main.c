/* fk-server-main.c: fieldkit-server, the reference intake server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "fk-core-init.h"
#include "fk-server-db.h"
#include "fk-server-export.h"
#include "fk-server-keys.h"
#include "fk-server.h"
#include "fk-sync-error.h"
#include "fk-sync-protocol.h"

typedef struct
{
  char *db_uri;
  char *keys_dir;
  const char *command;
} Globals;

static int
fail (const Globals *g, const GError *error)
{
  g_printerr ("fieldkit-server %s: %s\n", g->command, error->message);
  return 1;
}

static int
usage (const Globals *g, const char *message)
{
  g_printerr ("fieldkit-server %s: %s\n", g->command, message);
  return 2;
}

static gboolean
parse (const Globals *g, const char *params, const GOptionEntry *entries, int *argc, char ***argv)
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

static FkServerDb *
open_db (const Globals *g, GError **error)
{
  if (g->db_uri == NULL)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("Give the database with --db (a file path or postgresql://…)"));
      return NULL;
    }
  return fk_server_db_open (g->db_uri, error);
}

static FkServerKeys *
load_keys (const Globals *g, GError **error)
{
  if (g->keys_dir == NULL)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("Give the key folder with --keys (written by “fieldkit-server keygen”)"));
      return NULL;
    }
  return fk_server_keys_load (g->keys_dir, error);
}

static int
cmd_keygen (Globals *g, int argc, char **argv)
{
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  const GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_ ("Folder for server.secret and server.pub"),
      N_ ("DIR") },
    { NULL },
  };

  if (!parse (g, "", entries, &argc, &argv))
    return 2;
  if (out == NULL)
    return usage (g, _ ("Give the folder with --out DIR"));
  if (!fk_server_keys_generate (out, &error))
    return fail (g, &error[0]);
  g_print ("%s\n", _ ("Keys written. Give server.pub to the devices; keep server.secret on the "
                      "server only."));
  return 0;
}

static int
cmd_device_add (Globals *g, int argc, char **argv)
{
  g_autofree char *pubkey = NULL;
  g_autofree char *name = NULL;
  g_autofree char *commune = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkServerDb) db = NULL;
  guint8 key[FK_SYNC_KEY_BYTES];
  const GOptionEntry entries[] = {
    { "pubkey", 0, 0, G_OPTION_ARG_STRING, &pubkey,
      N_ ("The device's key, as printed by “fieldkit-ctl device-key”"), N_ ("KEY") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_ ("A name for the device"), N_ ("NAME") },
    { "commune", 0, 0, G_OPTION_ARG_STRING, &commune,
      N_ ("Code of the commune the device serves (for results)"), N_ ("CODE") },
    { NULL },
  };

  if (!parse (g, "", entries, &argc, &argv))
    return 2;
  if (pubkey == NULL || name == NULL)
    return usage (g, _ ("Give --pubkey KEY and --name NAME"));
  if (!fk_sync_key_from_base64 (pubkey, key, &error))
    return usage (g, error->message);
  db = open_db (g, &error);
  if (db == NULL || !fk_server_db_device_add (db, pubkey, name, commune, &error))
    return fail (g, error);
  return 0;
}

static int
cmd_device_list (Globals *g, int argc, char **argv)
{
  gboolean json = FALSE;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkServerDb) db = NULL;
  g_autoptr (GPtrArray) devices = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };

  if (!parse (g, "", entries, &argc, &argv))
    return 2;
  db = open_db (g, &error);
  if (db == NULL || (devices = fk_server_db_device_list (db, &error)) == NULL)
    return fail (g, error);
  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonGenerator) gen = json_generator_new ();
      g_autoptr (JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < devices->len; i++)
        {
          FkServerDevice *d = devices->pdata[i];

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "pubkey");
          json_builder_add_string_value (b, d->pubkey);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, d->name);
          json_builder_set_member_name (b, "commune");
          json_builder_add_string_value (b, d->commune);
          json_builder_set_member_name (b, "created_at");
          json_builder_add_string_value (b, d->created_at);
          json_builder_set_member_name (b, "revoked");
          json_builder_add_boolean_value (b, d->revoked);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      json_generator_set_root (gen, root);
      json_generator_set_pretty (gen, TRUE);
      text = json_generator_to_data (gen, NULL);
      g_print ("%s\n", text);
      return 0;
    }
  for (guint i = 0; i < devices->len; i++)
    {
      FkServerDevice *d = devices->pdata[i];

      g_print ("%s  %s  %s  %s%s\n", d->pubkey, d->created_at, d->commune, d->name,
               d->revoked ? _ ("  (revoked)") : "");
    }
  return 0;
}

static int
cmd_device_revoke (Globals *g, int argc, char **argv)
{
  g_autofree char *pubkey = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkServerDb) db = NULL;
  const GOptionEntry entries[] = {
    { "pubkey", 0, 0, G_OPTION_ARG_STRING, &pubkey, N_ ("The device's key"), N_ ("KEY") },
    { NULL },
  };

  if (!parse (g, "", entries, &argc, &argv))
    return 2;
  if (pubkey == NULL)
    return usage (g, _ ("Give --pubkey KEY"));
  db = open_db (g, &error);
  if (db == NULL || !fk_server_db_device_revoke (db, pubkey, &error))
    return fail (g, error);
  return 0;
}

static int
cmd_result_add (Globals *g, int argc, char **argv)
{
  g_autofree char *commune = NULL;
  g_autofree char *dossier = NULL;
  g_autofree char *status = NULL;
  g_autofree char *note = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkServerDb) db = NULL;
  const GOptionEntry entries[] = {
    { "commune", 0, 0, G_OPTION_ARG_STRING, &commune, N_ ("Commune code"), N_ ("CODE") },
    { "dossier", 0, 0, G_OPTION_ARG_STRING, &dossier, N_ ("Dossier UUID"), N_ ("UUID") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status, N_ ("Result status, e.g. ready"),
      N_ ("STATUS") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_ ("Note for the team"), N_ ("TEXT") },
    { NULL },
  };

  if (!parse (g, "", entries, &argc, &argv))
    return 2;
  if (commune == NULL || dossier == NULL || !g_uuid_string_is_valid (dossier))
    return usage (g, _ ("Give --commune CODE and --dossier UUID"));
  db = open_db (g, &error);
  if (db == NULL || !fk_server_db_result_add (db, commune, dossier,
                                              status != NULL ? status : "ready", note, &error))
    return fail (g, error);
  return 0;
}

static int
cmd_catalog_add (Globals *g, int argc, char **argv)
{
  g_autofree char *file = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkServerDb) db = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  const GOptionEntry entries[] = {
    { "file", 0, 0, G_OPTION_ARG_FILENAME, &file, N_ ("JSON file with the catalog update"),
      N_ ("FILE") },
    { NULL },
  };

  if (!parse (g, "", entries, &argc, &argv))
    return 2;
  if (file == NULL)
    return usage (g, _ ("Give --file FILE"));
  if (!g_file_get_contents (file, &text, NULL, &error) ||
      !json_parser_load_from_data (parser, text, -1, &error))
    return fail (g, error);
  db = open_db (g, &error);
  if (db == NULL || !fk_server_db_catalog_add (db, text, &error))
    return fail (g, error);
  return 0;
}

static gboolean
on_quit (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static int
cmd_serve (Globals *g, int argc, char **argv)
{
  g_autofree char *listen = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  double rate = 100, burst = 200;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkServerDb) db = NULL;
  g_autoptr (FkServerKeys) keys = NULL;
  g_autoptr (FkServer) server = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  const GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, N_ ("Address to listen on (port 0: any)"),
      N_ ("HOST:PORT") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, N_ ("TLS certificate (PEM)"),
      N_ ("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, N_ ("TLS private key (PEM)"), N_ ("FILE") },
    { "rate-limit", 0, 0, G_OPTION_ARG_DOUBLE, &rate,
      N_ ("Requests per second per client address (0: no limit)"), N_ ("N") },
    { "burst", 0, 0, G_OPTION_ARG_DOUBLE, &burst, N_ ("Requests allowed in a burst"), N_ ("N") },
    { NULL },
  };

  if (!parse (g, "", entries, &argc, &argv))
    return 2;
  if (listen == NULL)
    return usage (g, _ ("Give --listen HOST:PORT"));
  keys = load_keys (g, &error);
  if (keys == NULL)
    return fail (g, error);
  db = open_db (g, &error);
  if (db == NULL)
    return fail (g, error);
  server = fk_server_new (db, keys, rate, burst);
  if (!fk_server_listen (server, listen, tls_cert, tls_key, &error))
    return fail (g, error);
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_quit, loop);
  g_unix_signal_add (SIGINT, on_quit, loop);
  /* Tests and scripts read the address (with the port picked for :0). */
  {
    g_autofree char *uri = fk_server_get_uri (server);

    g_print ("listening %s\n", uri);
    fflush (stdout);
  }
  g_main_loop_run (loop);
  return 0;
}

static int
cmd_export (Globals *g, int argc, char **argv)
{
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkServerDb) db = NULL;
  g_autoptr (FkServerKeys) keys = NULL;
  guint n_exported = 0;
  const GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_ ("Folder for the decrypted dossiers"),
      N_ ("DIR") },
    { NULL },
  };

  if (!parse (g, "", entries, &argc, &argv))
    return 2;
  if (out == NULL)
    return usage (g, _ ("Give the folder with --out DIR"));
  keys = load_keys (g, &error);
  if (keys == NULL)
    return fail (g, error);
  db = open_db (g, &error);
  if (db == NULL || !fk_server_export (db, keys, out, &n_exported, &error))
    return fail (g, error);
  g_print (ngettext ("%u dossier exported\n", "%u dossiers exported\n", n_exported), n_exported);
  return 0;
}

typedef int (*CommandFunc) (Globals *g, int argc, char **argv);

static const struct
{
  const char *words;
  CommandFunc run;
  const char *summary;
} commands[] = {
  { "keygen", cmd_keygen, N_ ("Create the server's key pairs") },
  { "device add", cmd_device_add, N_ ("Enroll a device's key") },
  { "device list", cmd_device_list, N_ ("List enrolled devices") },
  { "device revoke", cmd_device_revoke, N_ ("Revoke a device") },
  { "result add", cmd_result_add, N_ ("Mark a dossier's result ready for handover") },
  { "catalog add", cmd_catalog_add, N_ ("Publish a procedure-catalog update") },
  { "serve", cmd_serve, N_ ("Run the intake API") },
  { "export", cmd_export, N_ ("Decrypt delivered dossiers into a folder") },
};

static void
print_help (FILE *out)
{
  fprintf (out, "%s\n  fieldkit-server [--db URI] [--keys DIR] %s\n\n%s\n", _ ("Usage:"),
           _ ("COMMAND [OPTIONS…]"), _ ("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-16s %s\n", commands[i].words, _ (commands[i].summary));
  fprintf (out, "\n  --db URI         %s\n  --keys DIR       %s\n",
           _ ("Database: a file path (SQLite) or postgresql://…"),
           _ ("Folder with the server's keys"));
}

int
main (int argc, char **argv)
{
  Globals g = { 0 };
  int i = 1;
  int ret;

  /* The language of LANG / LC_ALL / LANGUAGE, like any command-line tool. */
  fk_i18n_init_from_locale ();
  if (sodium_init () < 0)
    {
      g_printerr ("fieldkit-server: libsodium cannot start\n");
      return 1;
    }
  for (; i < argc; i++)
    {
      if (strcmp (argv[i], "--db") == 0 && i + 1 < argc)
        g.db_uri = argv[++i];
      else if (strcmp (argv[i], "--keys") == 0 && i + 1 < argc)
        g.keys_dir = argv[++i];
      else
        break;
    }
  if (i >= argc || strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
    {
      print_help (i >= argc ? stderr : stdout);
      return i >= argc ? 2 : 0;
    }
  for (gsize c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      g_auto (GStrv) words = g_strsplit (commands[c].words, " ", -1);
      guint n = g_strv_length (words);
      gboolean match = (guint) (argc - i) >= n;

      for (guint w = 0; match && w < n; w++)
        match = strcmp (argv[i + w], words[w]) == 0;
      if (!match)
        continue;
      g.command = commands[c].words;
      /* The command's own argv: its name, then its options. */
      argv[i + n - 1] = argv[0];
      ret = commands[c].run (&g, argc - (i + n - 1), argv + i + n - 1);
      return ret;
    }
  g_printerr ("fieldkit-server: %s “%s”\n", _ ("unknown command"), argv[i]);
  print_help (stderr);
  return 2;
}
