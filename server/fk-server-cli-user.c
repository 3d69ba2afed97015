/* fk-server-cli-user.c: fieldkit-server user add, list, disable,
 * reset-password: the office's staff accounts (docs/office.md)
 *
 * A password comes from FIELDKIT_PASSWORD, or is asked twice on the
 * terminal without echo; it never comes from the command line, where
 * other users of the machine could read it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-server-cli.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "fk-office.h"
#include "fk-server-error.h"

static char *
read_line_quietly (FILE *tty, const char *prompt)
{
  struct termios saved, quiet;
  char buffer[1024];
  gboolean echo_off;
  char *line;

  fputs (prompt, tty);
  fflush (tty);
  echo_off = tcgetattr (fileno (tty), &saved) == 0;
  if (echo_off)
    {
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (fileno (tty), TCSAFLUSH, &quiet);
    }
  line = fgets (buffer, sizeof buffer, tty);
  if (echo_off)
    tcsetattr (fileno (tty), TCSAFLUSH, &saved);
  fputs ("\n", tty);
  if (line == NULL)
    return NULL;
  buffer[strcspn (buffer, "\r\n")] = '\0';
  line = g_strdup (buffer);
  sodium_memzero (buffer, sizeof buffer);
  return line;
}

/* (transfer full) (nullable): the new password, from the environment or
 * asked twice. */
static char *
new_password (GError **error)
{
  const char *env = g_getenv ("FIELDKIT_PASSWORD");
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  FILE *tty;

  if (env != NULL)
    return g_strdup (env);
  tty = fopen ("/dev/tty", "r+");
  if (tty == NULL)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_FAILED,
                   _ ("No terminal to ask the password on: give it in FIELDKIT_PASSWORD"));
      return NULL;
    }
  first = read_line_quietly (tty, _ ("New password: "));
  second = first != NULL ? read_line_quietly (tty, _ ("The same password again: ")) : NULL;
  fclose (tty);
  if (first == NULL || second == NULL || strcmp (first, second) != 0)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_FAILED,
                   _ ("The two passwords differ; nothing was changed"));
      return NULL;
    }
  return g_steal_pointer (&first);
}

static void
forget (char *password)
{
  if (password != NULL)
    sodium_memzero (password, strlen (password));
  g_free (password);
}

int
fk_server_cli_user_add (FkServerCli *g, int argc, char **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *role_text = NULL;
  g_autofree char *commune = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkServerDb) db = NULL;
  FkOfficeRole role;
  char *password;
  gboolean ok;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_ ("The account's name, e.g. tiepnhan"),
      N_ ("NAME") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_text, N_ ("receiver, supervisor or admin"),
      N_ ("ROLE") },
    { "commune", 0, 0, G_OPTION_ARG_STRING, &commune,
      N_ ("Code of the commune whose dossiers a receiver works on"), N_ ("CODE") },
    { NULL },
  };

  if (!fk_server_cli_parse (g, "", entries, &argc, &argv))
    return 2;
  if (name == NULL || role_text == NULL)
    return fk_server_cli_usage (
      g, _ ("Give --name NAME and --role receiver|supervisor|admin (and --commune CODE for a "
            "receiver)"));
  if (!fk_office_role_from_string (role_text, &role))
    return fk_server_cli_usage (g, _ ("The role is receiver, supervisor or admin"));
  db = fk_server_cli_open_db (g, &error);
  if (db == NULL)
    return fk_server_cli_fail (g, error);
  password = new_password (&error);
  if (password == NULL)
    return fk_server_cli_fail (g, error);
  ok = fk_office_user_add (db, name, role, commune, password, &error);
  forget (password);
  if (!ok)
    return fk_server_cli_fail (g, error);
  return 0;
}

static void
print_json (GPtrArray *users)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  json_builder_begin_array (b);
  for (guint i = 0; i < users->len; i++)
    {
      FkOfficeUser *u = users->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, u->name);
      json_builder_set_member_name (b, "role");
      json_builder_add_string_value (b, fk_office_role_to_string (u->role));
      json_builder_set_member_name (b, "commune");
      json_builder_add_string_value (b, u->commune);
      json_builder_set_member_name (b, "disabled");
      json_builder_add_boolean_value (b, u->disabled);
      json_builder_set_member_name (b, "locked");
      json_builder_add_boolean_value (b, u->locked_until > now);
      json_builder_set_member_name (b, "last_login");
      json_builder_add_int_value (b, u->last_login);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  fk_server_cli_print_json (b);
}

int
fk_server_cli_user_list (FkServerCli *g, int argc, char **argv)
{
  gboolean json = FALSE;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkServerDb) db = NULL;
  g_autoptr (GPtrArray) users = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };

  if (!fk_server_cli_parse (g, "", entries, &argc, &argv))
    return 2;
  db = fk_server_cli_open_db (g, &error);
  if (db == NULL || (users = fk_office_user_list (db, &error)) == NULL)
    return fk_server_cli_fail (g, error);
  if (json)
    {
      print_json (users);
      return 0;
    }
  for (guint i = 0; i < users->len; i++)
    {
      FkOfficeUser *u = users->pdata[i];

      g_print ("%-24s %-10s %-8s%s%s\n", u->name, fk_office_role_to_string (u->role),
               *u->commune != '\0' ? u->commune : "-", u->disabled ? _ ("  (disabled)") : "",
               u->locked_until > now ? _ ("  (locked)") : "");
    }
  return 0;
}

static int
name_command (FkServerCli *g, int argc, char **argv, char **name)
{
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, name, N_ ("The account's name"), N_ ("NAME") },
    { NULL },
  };

  if (!fk_server_cli_parse (g, "", entries, &argc, &argv))
    return 2;
  if (*name == NULL)
    return fk_server_cli_usage (g, _ ("Give --name NAME"));
  return 0;
}

int
fk_server_cli_user_disable (FkServerCli *g, int argc, char **argv)
{
  g_autofree char *name = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkServerDb) db = NULL;
  int status = name_command (g, argc, argv, &name);

  if (status != 0)
    return status;
  db = fk_server_cli_open_db (g, &error);
  if (db == NULL || !fk_office_user_disable (db, name, &error))
    return fk_server_cli_fail (g, error);
  return 0;
}

int
fk_server_cli_user_reset_password (FkServerCli *g, int argc, char **argv)
{
  g_autofree char *name = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkServerDb) db = NULL;
  g_autoptr (FkOfficeUser) user = NULL;
  int status = name_command (g, argc, argv, &name);
  char *password;
  gboolean ok;

  if (status != 0)
    return status;
  db = fk_server_cli_open_db (g, &error);
  if (db == NULL || (user = fk_office_user_get (db, name, &error)) == NULL)
    return fk_server_cli_fail (g, error);
  password = new_password (&error);
  if (password == NULL)
    return fk_server_cli_fail (g, error);
  ok = fk_office_user_reset_password (db, name, password, &error);
  forget (password);
  if (!ok)
    return fk_server_cli_fail (g, error);
  return 0;
}
