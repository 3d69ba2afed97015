/* fk-ctl.h: what every fieldkit-ctl command shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Exit codes every command keeps to. */
enum
{
  FK_CTL_EXIT_OK = 0,
  FK_CTL_EXIT_NEGATIVE = 1, /* ran fine, the answer is "no": invalid, not found… */
  FK_CTL_EXIT_USAGE = 2,    /* bad arguments or input that could not be read */
};

typedef struct _FkCtl FkCtl;

typedef int (*FkCtlRunFunc) (FkCtl *ctl, int argc, char **argv);

typedef struct
{
  const char *words;      /* "id parse" */
  const char *parameters; /* "[PAYLOAD]", shown by --help */
  const char *summary;    /* untranslated; shown through gettext */
  FkCtlRunFunc run;
} FkCtlCommand;

struct _FkCtl
{
  char *data_dir;           /* --data DIR, or NULL */
  const char *command;      /* "id parse", for messages */
  const FkCtlCommand *info; /* the running command's entry in the table */
};

GOptionContext *fk_ctl_option_context_new (FkCtl *ctl, const GOptionEntry *entries);
gboolean fk_ctl_parse_options (FkCtl *ctl, GOptionContext *context, int *argc, char ***argv);
int fk_ctl_usage_error (FkCtl *ctl, const char *format, ...) G_GNUC_PRINTF (2, 3);
int fk_ctl_fail (FkCtl *ctl, int exit_code, const GError *error);
void fk_ctl_print_json (JsonNode *node);
const char *fk_ctl_require_data_dir (FkCtl *ctl, GError **error);

/* Commands, one module per area (fk-ctl-<area>.c), listed in fk-ctl.c. */
int fk_ctl_run_device_key (FkCtl *ctl, int argc, char **argv);
int fk_ctl_run_sync (FkCtl *ctl, int argc, char **argv);
int fk_ctl_run_pull (FkCtl *ctl, int argc, char **argv);
int fk_ctl_fp_list (FkCtl *ctl, int argc, char **argv);
int fk_ctl_fp_enroll (FkCtl *ctl, int argc, char **argv);
int fk_ctl_fp_verify (FkCtl *ctl, int argc, char **argv);
int fk_ctl_fp_capture (FkCtl *ctl, int argc, char **argv);
int fk_ctl_net_status (FkCtl *ctl, int argc, char **argv);

/* fk-ctl-id.c */
int fk_ctl_id_parse (FkCtl *ctl, int argc, char **argv);

/* fk-ctl-units.c */
int fk_ctl_units_search (FkCtl *ctl, int argc, char **argv);
int fk_ctl_units_from_old (FkCtl *ctl, int argc, char **argv);

/* fk-ctl-catalog.c */
int fk_ctl_catalog_list (FkCtl *ctl, int argc, char **argv);

/* fk-ctl-store.c */
int fk_ctl_store_init (FkCtl *ctl, int argc, char **argv);
int fk_ctl_intake_add (FkCtl *ctl, int argc, char **argv);
int fk_ctl_queue_list (FkCtl *ctl, int argc, char **argv);
int fk_ctl_dossier_show (FkCtl *ctl, int argc, char **argv);
int fk_ctl_audit_verify (FkCtl *ctl, int argc, char **argv);
int fk_ctl_admin_reset_pin (FkCtl *ctl, int argc, char **argv);
int fk_ctl_admin_pin_policy (FkCtl *ctl, int argc, char **argv);
int fk_ctl_queue_purge (FkCtl *ctl, int argc, char **argv);
int fk_ctl_queue_discard (FkCtl *ctl, int argc, char **argv);
int fk_ctl_admin_retention (FkCtl *ctl, int argc, char **argv);

int fk_ctl_qr_decode (FkCtl *ctl, int argc, char **argv);
int fk_ctl_card_read (FkCtl *ctl, int argc, char **argv);
int fk_ctl_doc_check (FkCtl *ctl, int argc, char **argv);
int fk_ctl_doc_compress (FkCtl *ctl, int argc, char **argv);

G_END_DECLS
