/* fk-ctl.h: what every fieldkit-ctl command shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <glib.h>
#include <json-glib/json-glib.h>

#include "fk-gray-image.h"
#include "fk-store.h"

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

/* fk-ctl.c: options, messages and exit codes */
gboolean fk_ctl_parse (FkCtl *ctl, const GOptionEntry *entries, const char *description, int *argc,
                       char ***argv);
int fk_ctl_usage_error (FkCtl *ctl, const char *format, ...) G_GNUC_PRINTF (2, 3);
int fk_ctl_fail (FkCtl *ctl, int exit_code, const GError *error);
int fk_ctl_fail_for (FkCtl *ctl, const GError *error);
FkGrayImage *fk_ctl_load_image_argument (FkCtl *ctl, int argc, char **argv, int *exit_code);

/* fk-ctl-json.c: JSON on standard output */
void fk_ctl_print_json (JsonNode *node);
void fk_ctl_json_string (JsonBuilder *builder, const char *name, const char *value);
void fk_ctl_json_int (JsonBuilder *builder, const char *name, gint64 value);
void fk_ctl_json_bool (JsonBuilder *builder, const char *name, gboolean value);
void fk_ctl_json_double (JsonBuilder *builder, const char *name, double value);

/* fk-ctl-access.c: the device store, the PIN and the recovery code */
const char *fk_ctl_require_data_dir (FkCtl *ctl, GError **error);
FkStore *fk_ctl_open_store (FkCtl *ctl, FkStoreOpenFlags flags, GError **error);
gboolean fk_ctl_unlock_store (FkStore *store, GError **error);
/* A PIN, recovery code or new PIN: wiped (sodium_memzero) before it is
 * freed. */
typedef char FkCtlSecret;
void fk_ctl_secret_free (FkCtlSecret *secret);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkCtlSecret, fk_ctl_secret_free)

FkCtlSecret *fk_ctl_get_secret (const char *env, const char *prompt, GError **error);
FkCtlSecret *fk_ctl_get_new_secret (const char *env, const char *prompt, const char *again,
                                    GError **error);
gboolean fk_ctl_check_recovery_code (FkStore *store, GError **error);

/* How sync and pull reach the server: --server URL, --ca-file FILE,
 * --timeout S (fk-ctl.c). */
typedef struct
{
  char *url;
  char *ca_file;
  int timeout;
} FkCtlServer;

void fk_ctl_server_clear (FkCtlServer *server);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FkCtlServer, fk_ctl_server_clear)
gboolean fk_ctl_parse_with_server (FkCtl *ctl, const GOptionEntry *entries, FkCtlServer *server,
                                   int *argc, char ***argv);

/* One asynchronous device operation at a time, waited for in a main loop
 * (fk-ctl.c); Ctrl-C cancels it. */
typedef struct
{
  GMainLoop *loop;
  GCancellable *cancellable;
  GAsyncResult *result;
} FkCtlWait;

#define FK_CTL_WAIT_INIT                                      \
  {                                                           \
    g_main_loop_new (NULL, FALSE), g_cancellable_new (), NULL \
  }

void fk_ctl_wait_clear (FkCtlWait *wait);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FkCtlWait, fk_ctl_wait_clear)
/* The GAsyncReadyCallback of the operation, with the FkCtlWait as its data. */
void fk_ctl_wait_done (GObject *source, GAsyncResult *res, gpointer user_data);
/* Runs the loop until the operation ends (Ctrl-C cancels it).
 * Returns: (transfer none): its result, for the _finish call. */
GAsyncResult *fk_ctl_wait_result (FkCtlWait *wait);

/* The commands, a file per command group (fk-ctl-<group>.c), listed in
 * fk-ctl.c. */
int fk_ctl_admin_pin_policy (FkCtl *ctl, int argc, char **argv);
int fk_ctl_admin_reset_pin (FkCtl *ctl, int argc, char **argv);
int fk_ctl_admin_retention (FkCtl *ctl, int argc, char **argv);
int fk_ctl_audit_verify (FkCtl *ctl, int argc, char **argv);
int fk_ctl_catalog_list (FkCtl *ctl, int argc, char **argv);
int fk_ctl_catalog_show (FkCtl *ctl, int argc, char **argv);
int fk_ctl_device_key (FkCtl *ctl, int argc, char **argv);
int fk_ctl_card_read (FkCtl *ctl, int argc, char **argv);
int fk_ctl_doc_check (FkCtl *ctl, int argc, char **argv);
int fk_ctl_doc_compress (FkCtl *ctl, int argc, char **argv);
int fk_ctl_dossier_show (FkCtl *ctl, int argc, char **argv);
int fk_ctl_fp_capture (FkCtl *ctl, int argc, char **argv);
int fk_ctl_fp_enroll (FkCtl *ctl, int argc, char **argv);
int fk_ctl_fp_list (FkCtl *ctl, int argc, char **argv);
int fk_ctl_fp_verify (FkCtl *ctl, int argc, char **argv);
int fk_ctl_handover (FkCtl *ctl, int argc, char **argv);
int fk_ctl_id_parse (FkCtl *ctl, int argc, char **argv);
int fk_ctl_init (FkCtl *ctl, int argc, char **argv);
int fk_ctl_intake_add (FkCtl *ctl, int argc, char **argv);
int fk_ctl_net_status (FkCtl *ctl, int argc, char **argv);
int fk_ctl_pull (FkCtl *ctl, int argc, char **argv);
int fk_ctl_qr_decode (FkCtl *ctl, int argc, char **argv);
int fk_ctl_queue_discard (FkCtl *ctl, int argc, char **argv);
int fk_ctl_queue_list (FkCtl *ctl, int argc, char **argv);
int fk_ctl_queue_purge (FkCtl *ctl, int argc, char **argv);
int fk_ctl_receipt (FkCtl *ctl, int argc, char **argv);
int fk_ctl_sync (FkCtl *ctl, int argc, char **argv);
int fk_ctl_units_from_old (FkCtl *ctl, int argc, char **argv);
int fk_ctl_units_search (FkCtl *ctl, int argc, char **argv);
int fk_ctl_visit_add (FkCtl *ctl, int argc, char **argv);
int fk_ctl_visit_list (FkCtl *ctl, int argc, char **argv);
int fk_ctl_vneid (FkCtl *ctl, int argc, char **argv);

G_END_DECLS
