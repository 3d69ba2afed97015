/* fk-server-main.c: fieldkit-server, the reference intake server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib-unix.h>
#include <signal.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "fk-core-init.h"
#include "fk-server-catalog.h"
#include "fk-server-cli.h"
#include "fk-server-config.h"
#include "fk-server-db.h"
#include "fk-server-export.h"
#include "fk-server-keys.h"
#include "fk-server-service.h"
#include "fk-server.h"
#include "fk-server-error.h"
#include "fk-sync-protocol.h"

/* export: every dossier that could be was exported, some could not. */
#define FK_SERVER_EXIT_SKIPPED 3

static int
cmd_keygen (FkServerCli *g, int argc, char **argv)
{
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  const GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_ ("Folder for server.secret and server.pub"),
      N_ ("DIR") },
    { NULL },
  };

  if (!fk_server_cli_parse (g, "", entries, &argc, &argv))
    return 2;
  if (out == NULL)
    return fk_server_cli_usage (g, _ ("Give the folder with --out DIR"));
  if (!fk_server_keys_generate (out, &error))
    return fk_server_cli_fail (g, &error[0]);
  g_print ("%s\n", _ ("Keys written. Give server.pub to the devices; keep server.secret on the "
                      "server only."));
  return 0;
}

static int
cmd_device_add (FkServerCli *g, int argc, char **argv)
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

  if (!fk_server_cli_parse (g, "", entries, &argc, &argv))
    return 2;
  if (pubkey == NULL || name == NULL)
    return fk_server_cli_usage (g, _ ("Give --pubkey KEY and --name NAME"));
  if (!fk_sync_key_from_base64 (pubkey, key, &error))
    return fk_server_cli_usage (g, error->message);
  db = fk_server_cli_open_db (g, &error);
  if (db == NULL || !fk_server_db_device_add (db, pubkey, name, commune, &error))
    return fk_server_cli_fail (g, error);
  return 0;
}

static int
cmd_device_list (FkServerCli *g, int argc, char **argv)
{
  gboolean json = FALSE;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkServerDb) db = NULL;
  g_autoptr (GPtrArray) devices = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };

  if (!fk_server_cli_parse (g, "", entries, &argc, &argv))
    return 2;
  db = fk_server_cli_open_db (g, &error);
  if (db == NULL || (devices = fk_server_db_device_list (db, &error)) == NULL)
    return fk_server_cli_fail (g, error);
  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();

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
      fk_server_cli_print_json (b);
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
cmd_device_revoke (FkServerCli *g, int argc, char **argv)
{
  g_autofree char *pubkey = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkServerDb) db = NULL;
  const GOptionEntry entries[] = {
    { "pubkey", 0, 0, G_OPTION_ARG_STRING, &pubkey, N_ ("The device's key"), N_ ("KEY") },
    { NULL },
  };

  if (!fk_server_cli_parse (g, "", entries, &argc, &argv))
    return 2;
  if (pubkey == NULL)
    return fk_server_cli_usage (g, _ ("Give --pubkey KEY"));
  db = fk_server_cli_open_db (g, &error);
  if (db == NULL || !fk_server_db_device_revoke (db, pubkey, &error))
    return fk_server_cli_fail (g, error);
  return 0;
}

static int
cmd_result_add (FkServerCli *g, int argc, char **argv)
{
  g_autofree char *commune = NULL;
  g_autofree char *dossier = NULL;
  g_autofree char *status = NULL;
  g_autofree char *note = NULL;
  g_autofree char *canonical = NULL;
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

  if (!fk_server_cli_parse (g, "", entries, &argc, &argv))
    return 2;
  if (commune == NULL || dossier == NULL || !g_uuid_string_is_valid (dossier))
    return fk_server_cli_usage (g, _ ("Give --commune CODE and --dossier UUID"));
  canonical = fk_sync_uuid_canonical (dossier);
  db = fk_server_cli_open_db (g, &error);
  if (db == NULL ||
      !fk_server_db_result_add (db, commune, canonical, status != NULL ? status : "ready", note,
                                "fieldkit-server", &error))
    return fk_server_cli_fail (g, error);
  return 0;
}

static int
cmd_catalog_add (FkServerCli *g, int argc, char **argv)
{
  g_autofree char *file = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkServerDb) db = NULL;
  g_autoptr (FkServerKeys) keys = NULL;
  g_autoptr (GBytes) catalog = NULL;
  g_autoptr (FkServerCatalogEntry) entry = NULL;
  const GOptionEntry entries[] = {
    { "file", 0, 0, G_OPTION_ARG_FILENAME, &file,
      N_ ("The whole catalog, in the format of assets/data/catalog.json, with a higher version"),
      N_ ("FILE") },
    { NULL },
  };

  if (!fk_server_cli_parse (g, "", entries, &argc, &argv))
    return 2;
  if (file == NULL)
    return fk_server_cli_usage (g, _ ("Give --file FILE"));
  if (!g_file_get_contents (file, &text, &length, &error))
    return fk_server_cli_fail (g, error);
  catalog = g_bytes_new_take (g_steal_pointer (&text), length);
  keys = fk_server_cli_load_keys (g, &error);
  if (keys == NULL || (db = fk_server_cli_open_db (g, &error)) == NULL)
    return fk_server_cli_fail (g, error);
  entry = fk_server_catalog_publish (db, keys, catalog, &error);
  if (entry == NULL)
    return fk_server_cli_fail (g, error);
  /* Translators: %s is the catalog's version, %lld its place in the sequence devices pull */
  g_print (_ ("Catalog version %s published (%lld); devices take it on their next pull.\n"),
           entry->version, (long long) entry->seq);
  return 0;
}

typedef struct
{
  GMainLoop *loop;
  FkServer *server;
  guint shutdown_timeout;
  gint64 deadline;
  gboolean stopping;
  gboolean timed_out;
} Serving;

static gboolean
check_drained (gpointer data)
{
  Serving *s = data;

  if (fk_server_in_flight (s->server) > 0 && g_get_monotonic_time () < s->deadline)
    return G_SOURCE_CONTINUE;
  s->timed_out = fk_server_in_flight (s->server) > 0;
  g_main_loop_quit (s->loop);
  return G_SOURCE_REMOVE;
}

/* SIGTERM: stop accepting, let what is in flight finish (bounded). */
static gboolean
on_term (gpointer data)
{
  Serving *s = data;

  /* A second signal: stop waiting. */
  if (s->stopping)
    {
      s->timed_out = fk_server_in_flight (s->server) > 0;
      g_main_loop_quit (s->loop);
      return G_SOURCE_CONTINUE;
    }
  s->stopping = TRUE;
  fk_server_notify ("STOPPING=1");
  g_message ("stopping: %u requests in flight, waiting at most %u s",
             fk_server_in_flight (s->server), s->shutdown_timeout);
  fk_server_begin_shutdown (s->server);
  s->deadline = g_get_monotonic_time () + (gint64) s->shutdown_timeout * G_USEC_PER_SEC;
  g_timeout_add (50, check_drained, s);
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  char *config;
  char **listen;
  char *tls_cert;
  char *tls_key;
  char **metrics_allow;
  char *log_requests;
  char *office_secure_cookie;
  int uints[11];
  double doubles[8];
  int quota;
} ServeOptions;

static void
serve_options_clear (ServeOptions *o)
{
  g_free (o->config);
  g_strfreev (o->listen);
  g_free (o->tls_cert);
  g_free (o->tls_key);
  g_strfreev (o->metrics_allow);
  g_free (o->log_requests);
  g_free (o->office_secure_cookie);
}

static void
take_string (char **dest, char **value)
{
  if (*value == NULL)
    return;
  g_free (*dest);
  *dest = g_steal_pointer (value);
}

static void
take_list (char ***dest, char ***value)
{
  if (*value == NULL)
    return;
  g_strfreev (*dest);
  *dest = g_steal_pointer (value);
}

static gboolean
is_true (const char *text)
{
  return g_ascii_strcasecmp (text, "false") != 0 && g_ascii_strcasecmp (text, "no") != 0 &&
         strcmp (text, "0") != 0;
}

/* Command-line options win over the configuration file. */
static gboolean
apply_options (FkServerCli *g, ServeOptions *o, FkServerConfig *c, GError **error)
{
  guint *uints[] = { &c->io_threads,
                     &c->workers,
                     &c->db_connections,
                     &c->max_connections,
                     &c->max_connections_per_address,
                     &c->idle_timeout,
                     &c->header_timeout,
                     &c->body_timeout,
                     &c->shutdown_timeout,
                     &c->office_lockout_failures,
                     &c->office_address_failures };
  double *doubles[] = { &c->rate_limit,
                        &c->burst,
                        &c->address_rate_limit,
                        &c->address_burst,
                        &c->stale_upload_hours,
                        &c->office_session_idle_minutes,
                        &c->office_lockout_minutes,
                        &c->office_retention_days };
  const char *path = o->config != NULL ? o->config : g->config_path;

  if (!fk_server_config_load (c, path != NULL ? path : FK_SERVER_DEFAULT_CONFIG, path != NULL,
                              error))
    return FALSE;
  if (g->db_uri != NULL)
    {
      g_free (c->db_uri);
      c->db_uri = g_strdup (g->db_uri);
    }
  if (g->keys_dir != NULL)
    {
      g_free (c->keys_dir);
      c->keys_dir = g_strdup (g->keys_dir);
    }
  take_list (&c->listen, &o->listen);
  take_string (&c->tls_cert, &o->tls_cert);
  take_string (&c->tls_key, &o->tls_key);
  take_list (&c->metrics_allow, &o->metrics_allow);
  for (gsize i = 0; i < G_N_ELEMENTS (uints); i++)
    if (o->uints[i] >= 0)
      *uints[i] = (guint) o->uints[i];
  for (gsize i = 0; i < G_N_ELEMENTS (doubles); i++)
    if (o->doubles[i] >= 0)
      *doubles[i] = o->doubles[i];
  if (o->quota >= 0)
    c->device_quota_mib = (guint64) o->quota;
  if (o->log_requests != NULL)
    c->log_requests = is_true (o->log_requests);
  if (o->office_secure_cookie != NULL)
    c->office_secure_cookie = is_true (o->office_secure_cookie);
  return fk_server_config_check (c, error);
}

/* The configuration file, then the options of "serve": 0 when the
 * configuration is complete, else the exit status. */
static int
configure_serve (FkServerCli *g, int argc, char **argv)
{
  ServeOptions o = { 0 };
  g_autoptr (GError) error = NULL;
  FkServerConfig *c = g->config;
  GOptionEntry entries[] = {
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &o.config,
      N_ ("Configuration file (default /etc/fieldkit/server.conf, if it exists)"), N_ ("FILE") },
    { "listen", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.listen,
      N_ ("Address to listen on (port 0: any); may be repeated"), N_ ("HOST:PORT") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &o.tls_cert, N_ ("TLS certificate (PEM)"),
      N_ ("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &o.tls_key, N_ ("TLS private key (PEM)"),
      N_ ("FILE") },
    { "io-threads", 0, 0, G_OPTION_ARG_INT, &o.uints[0], N_ ("Threads that read and write sockets"),
      N_ ("N") },
    { "workers", 0, 0, G_OPTION_ARG_INT, &o.uints[1],
      N_ ("Threads that check requests and use the database"), N_ ("N") },
    { "db-connections", 0, 0, G_OPTION_ARG_INT, &o.uints[2],
      N_ ("Database connections (SQLite: readers besides the one writer)"), N_ ("N") },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &o.uints[3],
      N_ ("Connections served at once; more get 503"), N_ ("N") },
    { "max-connections-per-address", 0, 0, G_OPTION_ARG_INT, &o.uints[4],
      N_ ("Connections from one address; more get 503"), N_ ("N") },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &o.uints[5],
      N_ ("Seconds a connection may stay silent"), N_ ("S") },
    { "header-timeout", 0, 0, G_OPTION_ARG_INT, &o.uints[6],
      N_ ("Seconds for a request's headers to arrive"), N_ ("S") },
    { "body-timeout", 0, 0, G_OPTION_ARG_INT, &o.uints[7],
      N_ ("Seconds for a request's body to arrive"), N_ ("S") },
    { "shutdown-timeout", 0, 0, G_OPTION_ARG_INT, &o.uints[8],
      N_ ("Seconds SIGTERM waits for requests in flight"), N_ ("S") },
    { "rate-limit", 0, 0, G_OPTION_ARG_DOUBLE, &o.doubles[0],
      N_ ("Requests per second per enrolled device (0: no limit)"), N_ ("N") },
    { "burst", 0, 0, G_OPTION_ARG_DOUBLE, &o.doubles[1],
      N_ ("Requests a device may make in a burst"), N_ ("N") },
    { "address-rate-limit", 0, 0, G_OPTION_ARG_DOUBLE, &o.doubles[2],
      N_ ("Requests per second per address not signed by an enrolled device (0: no limit)"),
      N_ ("N") },
    { "address-burst", 0, 0, G_OPTION_ARG_DOUBLE, &o.doubles[3],
      N_ ("Such requests allowed in a burst"), N_ ("N") },
    { "stale-upload-hours", 0, 0, G_OPTION_ARG_DOUBLE, &o.doubles[4],
      N_ ("Remove uploads left unfinished this long (0: never)"), N_ ("H") },
    { "device-quota-mib", 0, 0, G_OPTION_ARG_INT, &o.quota,
      N_ ("Storage per device on the server, in MiB (0: no limit)"), N_ ("MIB") },
    { "metrics-allow", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.metrics_allow,
      N_ ("Address or network that may read /metrics; may be repeated"), N_ ("CIDR") },
    { "log-requests", 0, 0, G_OPTION_ARG_STRING, &o.log_requests,
      N_ ("One log entry per request (true or false)"), N_ ("BOOL") },
    { "office-session-idle-minutes", 0, 0, G_OPTION_ARG_DOUBLE, &o.doubles[5],
      N_ ("An office session ends after this many minutes without use"), N_ ("M") },
    { "office-lockout-failures", 0, 0, G_OPTION_ARG_INT, &o.uints[9],
      N_ ("Wrong passwords in a row that lock an office account"), N_ ("N") },
    { "office-lockout-minutes", 0, 0, G_OPTION_ARG_DOUBLE, &o.doubles[6],
      N_ ("How long a locked office account or address waits"), N_ ("M") },
    { "office-address-failures", 0, 0, G_OPTION_ARG_INT, &o.uints[10],
      N_ ("Wrong passwords from one address that lock it out"), N_ ("N") },
    { "office-retention-days", 0, 0, G_OPTION_ARG_DOUBLE, &o.doubles[7],
      N_ ("Days after handover when a dossier's photos and fingerprint are removed (0: never)"),
      N_ ("D") },
    { "office-secure-cookie", 0, 0, G_OPTION_ARG_STRING, &o.office_secure_cookie,
      N_ ("Secure session cookies behind a TLS proxy (true or false)"), N_ ("BOOL") },
    { NULL },
  };

  memset (o.uints, 0xff, sizeof o.uints);
  for (gsize i = 0; i < G_N_ELEMENTS (o.doubles); i++)
    o.doubles[i] = -1;
  o.quota = -1;
  if (!fk_server_cli_parse (g, "", entries, &argc, &argv))
    {
      serve_options_clear (&o);
      return 2;
    }
  if (!apply_options (g, &o, c, &error))
    {
      serve_options_clear (&o);
      return fk_server_cli_usage (g, error->message);
    }
  serve_options_clear (&o);
  return 0;
}

/* Until SIGTERM or SIGINT, and the requests in flight have finished. */
static int
run_server (FkServer *server, guint shutdown_timeout)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Serving serving = { 0 };

  serving.loop = loop;
  serving.server = server;
  serving.shutdown_timeout = shutdown_timeout;
  g_unix_signal_add (SIGTERM, on_term, &serving);
  g_unix_signal_add (SIGINT, on_term, &serving);
  /* Tests and scripts read the addresses (with the port picked for :0). */
  for (const char *const *uri = fk_server_get_uris (server); *uri != NULL; uri++)
    g_print ("listening %s\n", *uri);
  fflush (stdout);
  g_message ("listening on %s", fk_server_get_uris (server)[0]);
  {
    g_autofree char *state = g_strdup_printf ("READY=1\nSTATUS=Listening on %s\nMAINPID=%d",
                                              fk_server_get_uris (server)[0], (int) getpid ());

    fk_server_notify (state);
  }
  g_main_loop_run (loop);
  if (serving.timed_out)
    {
      /* Workers still hold requests: leave without waiting for them. What
       * they had not committed is not committed; clients ask again. */
      g_warning ("stopped with %u requests unfinished after %u s", fk_server_in_flight (server),
                 shutdown_timeout);
      fflush (stdout);
      fflush (stderr);
      _exit (0);
    }
  return 0;
}

static int
cmd_serve (FkServerCli *g, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkServerDb) db = NULL;
  g_autoptr (FkServerKeys) keys = NULL;
  g_autoptr (FkServer) server = NULL;
  int status = configure_serve (g, argc, argv);

  if (status != 0)
    return status;
  keys = fk_server_cli_load_keys (g, &error);
  if (keys == NULL)
    return fk_server_cli_fail (g, error);
  db = fk_server_cli_open_db (g, &error);
  if (db == NULL)
    return fk_server_cli_fail (g, error);
  server = fk_server_new (db, keys, g->config);
  if (!fk_server_start (server, &error))
    return fk_server_cli_fail (g, error);
  status = run_server (server, g->config->shutdown_timeout);
  g_clear_pointer (&server, fk_server_free);
  g_message ("stopped");
  return status;
}

static void
report_skipped (const char *dossier, const GError *error, gpointer user_data)
{
  const FkServerCli *g = user_data;

  g_printerr ("fieldkit-server %s: ", g->command);
  g_printerr (_ ("skipped dossier %s: %s"), dossier, error->message);
  g_printerr ("\n");
}

static int
cmd_export (FkServerCli *g, int argc, char **argv)
{
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkServerDb) db = NULL;
  g_autoptr (FkServerKeys) keys = NULL;
  FkServerExportSummary summary = { 0 };
  const GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_ ("Folder for the decrypted dossiers"),
      N_ ("DIR") },
    { NULL },
  };

  if (!fk_server_cli_parse (g, "", entries, &argc, &argv))
    return 2;
  if (out == NULL)
    return fk_server_cli_usage (g, _ ("Give the folder with --out DIR"));
  keys = fk_server_cli_load_keys (g, &error);
  if (keys == NULL)
    return fk_server_cli_fail (g, error);
  db = fk_server_cli_open_db (g, &error);
  if (db == NULL || !fk_server_export (db, keys, out, &summary, report_skipped, g, &error))
    return fk_server_cli_fail (g, error);
  g_print (ngettext ("%u dossier exported\n", "%u dossiers exported\n", summary.exported),
           summary.exported);
  if (summary.skipped == 0)
    return 0;
  g_print (ngettext ("%u dossier skipped: it cannot be opened\n",
                     "%u dossiers skipped: they cannot be opened\n", summary.skipped),
           summary.skipped);
  return FK_SERVER_EXIT_SKIPPED;
}

static int
cmd_backup (FkServerCli *g, int argc, char **argv)
{
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkServerDb) db = NULL;
  const GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_ ("File for the copy of the database"),
      N_ ("FILE") },
    { NULL },
  };

  if (!fk_server_cli_parse (g, "", entries, &argc, &argv))
    return 2;
  if (out == NULL)
    return fk_server_cli_usage (g, _ ("Give the file with --out FILE"));
  db = fk_server_cli_open_db (g, &error);
  if (db == NULL || !fk_server_db_backup (db, out, &error))
    return fk_server_cli_fail (g, error);
  g_print (_ ("Backup written to %s\n"), out);
  return 0;
}

typedef int (*CommandFunc) (FkServerCli *g, int argc, char **argv);

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
  { "device invite", fk_server_cli_device_invite,
    N_ ("Make a one-time enrollment code (text and QR)") },
  { "device invitations", fk_server_cli_device_invitations,
    N_ ("List enrollment codes: pending, used, expired") },
  { "result add", cmd_result_add, N_ ("Mark a dossier's result ready for handover") },
  { "catalog add", cmd_catalog_add, N_ ("Publish a new version of the procedure catalog, signed") },
  { "user add", fk_server_cli_user_add, N_ ("Add an office account") },
  { "user list", fk_server_cli_user_list, N_ ("List the office's accounts") },
  { "user disable", fk_server_cli_user_disable, N_ ("Disable an office account") },
  { "user reset-password", fk_server_cli_user_reset_password,
    N_ ("Set a new password for an office account") },
  { "serve", cmd_serve, N_ ("Run the intake API") },
  { "export", cmd_export, N_ ("Decrypt delivered dossiers into a folder") },
  { "backup", cmd_backup, N_ ("Copy a SQLite database while the server runs") },
};

/* The command's own argv: its name, then its options. */
static int
run_command (FkServerCli *g, CommandFunc run, int argc, char **argv, char *program)
{
  g_autoptr (FkServerConfig) config = fk_server_config_new ();
  g_autoptr (GError) error = NULL;

  g->config = config;
  /* serve reads --config among its own options too. */
  if (strcmp (g->command, "serve") != 0 &&
      !fk_server_config_load (config,
                              g->config_path != NULL ? g->config_path : FK_SERVER_DEFAULT_CONFIG,
                              g->config_path != NULL, &error))
    return fk_server_cli_fail (g, error);
  argv[0] = program;
  return run (g, argc, argv);
}

static void
print_help (FILE *out)
{
  fprintf (out, "%s\n  fieldkit-server [--config FILE] [--db URI] [--keys DIR] %s\n\n%s\n",
           _ ("Usage:"), _ ("COMMAND [OPTIONS…]"), _ ("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-20s %s\n", commands[i].words, _ (commands[i].summary));
  fprintf (out, "\n  --config FILE    %s\n  --db URI         %s\n  --keys DIR       %s\n",
           _ ("Configuration file (default /etc/fieldkit/server.conf, if it exists)"),
           _ ("Database: a file path (SQLite) or postgresql://…"),
           _ ("Folder with the server's keys"));
}

int
main (int argc, char **argv)
{
  FkServerCli g = { 0 };
  int i = 1;

  /* The language of LANG / LC_ALL / LANGUAGE, like any command-line tool. */
  fk_i18n_init_from_locale ();
  fk_server_log_init ();
  if (sodium_init () < 0)
    {
      g_printerr ("fieldkit-server: libsodium cannot start\n");
      return 1;
    }
  signal (SIGPIPE, SIG_IGN);
  for (; i < argc; i++)
    {
      if (strcmp (argv[i], "--db") == 0 && i + 1 < argc)
        g.db_uri = argv[++i];
      else if (strcmp (argv[i], "--keys") == 0 && i + 1 < argc)
        g.keys_dir = argv[++i];
      else if (strcmp (argv[i], "--config") == 0 && i + 1 < argc)
        g.config_path = argv[++i];
      else if (g_str_has_prefix (argv[i], "--config="))
        g.config_path = argv[i] + strlen ("--config=");
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
      return run_command (&g, commands[c].run, argc - (i + n - 1), argv + i + n - 1, argv[0]);
    }
  g_printerr ("fieldkit-server: %s “%s”\n", _ ("unknown command"), argv[i]);
  print_help (stderr);
  return 2;
}
