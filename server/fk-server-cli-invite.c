/* fk-server-cli-invite.c: fieldkit-server device invite, device invitations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <unistd.h>

#include "fk-enroll-code.h"
#include "fk-server-cli.h"
#include "fk-server-error.h"
#include "fk-server-invite.h"

static char *
format_time (gint64 unix_time)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (unix_time);

  return t != NULL ? g_date_time_format (t, "%Y-%m-%d %H:%M UTC") : g_strdup ("?");
}

static void
print_json_code (const char *code, const FkServerInviteOptions *o, gint64 expires_at)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "commune");
  json_builder_add_string_value (b, o->commune);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, o->name);
  json_builder_set_member_name (b, "url");
  json_builder_add_string_value (b, o->url);
  json_builder_set_member_name (b, "expires_at");
  json_builder_add_int_value (b, expires_at);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

/* On a terminal the QR code is drawn black on white whatever the
 * terminal's colours, so that a camera reads it. */
static void
print_qr (const char *qr)
{
  g_auto (GStrv) lines = g_strsplit (qr, "\n", -1);
  gboolean tty = isatty (STDOUT_FILENO);

  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    g_print (tty ? "\033[30;107m%s\033[0m\n" : "%s\n", lines[i]);
}

int
fk_server_cli_device_invite (FkServerCli *g, int argc, char **argv)
{
  g_autofree char *commune = NULL;
  g_autofree char *name = NULL;
  g_autofree char *url = NULL;
  g_autofree char *by = g_strdup_printf ("cli:%s", g_get_user_name ());
  g_autofree char *code = NULL;
  g_autofree char *qr = NULL;
  g_autofree char *until = NULL;
  gboolean allow_http = FALSE, json = FALSE;
  int hours = FK_ENROLL_DEFAULT_HOURS;
  gint64 expires_at = 0;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkServerDb) db = NULL;
  g_autoptr (FkServerKeys) keys = NULL;
  FkServerInviteOptions o = { 0 };
  const GOptionEntry entries[] = {
    { "commune", 0, 0, G_OPTION_ARG_STRING, &commune,
      N_ ("Code of the commune the device will serve"), N_ ("CODE") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name,
      N_ ("The device's name (its asset tag, never a person)"), N_ ("NAME") },
    { "expires", 0, 0, G_OPTION_ARG_INT, &hours, N_ ("Hours the code stays valid (default 24)"),
      N_ ("HOURS") },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url,
      N_ ("The address devices reach this server at (default: public-url of the "
          "configuration)"),
      N_ ("URL") },
    { "allow-http", 0, 0, G_OPTION_ARG_NONE, &allow_http,
      N_ ("Let the device use a plain-HTTP address that is not on its own machine"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };

  if (!fk_server_cli_parse (g, "", entries, &argc, &argv))
    return 2;
  if (commune == NULL || name == NULL)
    return fk_server_cli_usage (g, _ ("Give --commune CODE and --name NAME"));
  if (hours < 1 || hours > FK_SERVER_INVITE_MAX_HOURS)
    return fk_server_cli_usage (g, _ ("--expires must be between 1 and 720 hours"));
  keys = fk_server_cli_load_keys (g, &error);
  if (keys == NULL)
    return fk_server_cli_fail (g, error);
  db = fk_server_cli_open_db (g, &error);
  if (db == NULL)
    return fk_server_cli_fail (g, error);
  o.url = url != NULL ? url : g->config->public_url;
  o.commune = commune;
  o.name = name;
  o.hours = (guint) hours;
  o.allow_http = allow_http;
  o.created_by = by;
  code = fk_server_invite_create (db, keys, &o, &expires_at, &error);
  if (code == NULL)
    return fk_server_cli_fail (g, error);
  if (json)
    {
      print_json_code (code, &o, expires_at);
      return 0;
    }
  qr = fk_server_qr_text (code, &error);
  if (qr == NULL)
    return fk_server_cli_fail (g, error);
  until = format_time (expires_at);
  g_print (_ ("Enrollment code for the device “%s” of commune %s, valid once until %s:\n\n"), name,
           commune, until);
  g_print ("%s\n\n", code);
  print_qr (qr);
  g_print ("\n%s\n", _ ("Scan it at the device's first start (“Scan the enrollment code”), or "
                        "give the text to: fieldkit-ctl --data DIR init --enroll CODE"));
  return 0;
}

static const char *
state_of (const FkServerInvitation *inv, gint64 now)
{
  if (inv->used_at != 0)
    return "used";
  return inv->expires_at <= now ? "expired" : "pending";
}

int
fk_server_cli_device_invitations (FkServerCli *g, int argc, char **argv)
{
  g_autofree char *commune = NULL;
  gboolean json = FALSE;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkServerDb) db = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const GOptionEntry entries[] = {
    { "commune", 0, 0, G_OPTION_ARG_STRING, &commune, N_ ("Only this commune's"), N_ ("CODE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };

  if (!fk_server_cli_parse (g, "", entries, &argc, &argv))
    return 2;
  db = fk_server_cli_open_db (g, &error);
  if (db == NULL || (list = fk_server_db_invitation_list (db, commune, &error)) == NULL)
    return fk_server_cli_fail (g, error);
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      FkServerInvitation *inv = list->pdata[i];
      g_autofree char *until = format_time (inv->expires_at);

      if (!json)
        {
          g_print ("%s  %s  %-8s  %s  %s  %s  %s\n", inv->created_at, inv->commune,
                   state_of (inv, now), inv->name, until, inv->created_by, inv->device);
          continue;
        }
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "commune");
      json_builder_add_string_value (b, inv->commune);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, inv->name);
      json_builder_set_member_name (b, "state");
      json_builder_add_string_value (b, state_of (inv, now));
      json_builder_set_member_name (b, "created_by");
      json_builder_add_string_value (b, inv->created_by);
      json_builder_set_member_name (b, "created_at");
      json_builder_add_string_value (b, inv->created_at);
      json_builder_set_member_name (b, "expires_at");
      json_builder_add_int_value (b, inv->expires_at);
      json_builder_set_member_name (b, "used_at");
      json_builder_add_int_value (b, inv->used_at);
      json_builder_set_member_name (b, "device");
      json_builder_add_string_value (b, inv->device);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (json)
    fk_server_cli_print_json (b);
  return 0;
}
