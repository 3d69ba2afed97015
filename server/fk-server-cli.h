/* fk-server-cli.h: what the commands of fieldkit-server share (the
 * program's own files: fk-server-main.c and fk-server-cli-*.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "fk-server-config.h"
#include "fk-server-db.h"
#include "fk-server-keys.h"

G_BEGIN_DECLS

typedef struct
{
  char *db_uri;
  char *keys_dir;
  char *config_path; /* --config */
  const char *command;
  FkServerConfig *config; /* the configuration file, if any */
} FkServerCli;

/* Print "fieldkit-server COMMAND: …" and return the exit status: 1 for a
 * failure, 2 for bad usage. */
int fk_server_cli_fail (const FkServerCli *g, const GError *error);
int fk_server_cli_usage (const FkServerCli *g, const char *message);
gboolean fk_server_cli_parse (const FkServerCli *g, const char *params, const GOptionEntry *entries,
                              int *argc, char ***argv);
FkServerDb *fk_server_cli_open_db (const FkServerCli *g, GError **error);
FkServerKeys *fk_server_cli_load_keys (const FkServerCli *g, GError **error);
/* What @builder built, pretty-printed on standard output (--json). */
void fk_server_cli_print_json (JsonBuilder *builder);

/* fk-server-cli-user.c: user add, list, disable, reset-password */
int fk_server_cli_user_add (FkServerCli *g, int argc, char **argv);
int fk_server_cli_user_list (FkServerCli *g, int argc, char **argv);
int fk_server_cli_user_disable (FkServerCli *g, int argc, char **argv);
int fk_server_cli_user_reset_password (FkServerCli *g, int argc, char **argv);

/* fk-server-cli-invite.c: device invite, device invitations */
int fk_server_cli_device_invite (FkServerCli *g, int argc, char **argv);
int fk_server_cli_device_invitations (FkServerCli *g, int argc, char **argv);

G_END_DECLS
