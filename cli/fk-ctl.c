/* fk-ctl.c: fieldkit-ctl, the scriptable face of FieldKit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>

#include "fk-core.h"
#include "fk-ctl.h"
#include "fk-store-error.h"
#include "fk-enroll.h"
#include "fk-sync-error.h"

/* Two-word commands are listed before any one-word command sharing their
 * first word, so the longest match wins. */
static const FkCtlCommand commands[] = {
  { "id parse", N_ ("[PAYLOAD]"), N_ ("Check the QR payload of a chip ID card (CCCD)"),
    fk_ctl_id_parse },
  { "units search", N_ ("TEXT"), N_ ("Find provinces and communes (2025 units) by name"),
    fk_ctl_units_search },
  { "units from-old", N_ ("ADDRESS"),
    N_ ("Suggest the 2025 commune for an address written with the old units"),
    fk_ctl_units_from_old },
  { "catalog list", "", N_ ("List the procedures the team can take in"), fk_ctl_catalog_list },
  { "catalog show", N_ ("CODE"),
    N_ ("What a procedure needs: papers, fee, time limit, legal basis, the online portal"),
    fk_ctl_catalog_show },
  { "init", "", N_ ("Set up the device store and keys"), fk_ctl_init },
  { "intake add", "", N_ ("Seal and queue a dossier"), fk_ctl_intake_add },
  { "queue list", "", N_ ("List the dossiers in the outbox"), fk_ctl_queue_list },
  { "queue purge", "", N_ ("Remove the content of dossiers delivered long enough ago"),
    fk_ctl_queue_purge },
  { "queue discard", N_ ("ID --yes"), N_ ("Erase a dossier the server refused, for good"),
    fk_ctl_queue_discard },
  { "dossier show", N_ ("ID"), N_ ("Decrypt and show a dossier"), fk_ctl_dossier_show },
  { "visit add", N_ ("--date YYYY-MM-DD --commune CODE --hamlet NAME"),
    N_ ("Record a visit to a hamlet, or plan one"), fk_ctl_visit_add },
  { "visit list", "", N_ ("List the visits, planned ones too"), fk_ctl_visit_list },
  { "receipt", N_ ("ID (--pdf FILE | --print [--printer NAME])"),
    N_ ("Make a dossier's receipt again, for a reprint"), fk_ctl_receipt },
  { "audit verify", "", N_ ("Check the signed audit chain of the store"), fk_ctl_audit_verify },
  { "admin reset-pin", "", N_ ("Set a new operator PIN with the recovery code"),
    fk_ctl_admin_reset_pin },
  { "admin pin-policy", "", N_ ("Set how wrong PINs are delayed and locked out"),
    fk_ctl_admin_pin_policy },
  { "admin retention", "", N_ ("Show or set how long delivered dossiers are kept"),
    fk_ctl_admin_retention },
  { "device-key", "", N_ ("Print this device's public key"), fk_ctl_device_key },
  { "sync", "", N_ ("Upload every queued dossier"), fk_ctl_sync },
  { "pull", "", N_ ("Fetch the newest catalog version and results ready for handover"),
    fk_ctl_pull },
  { "handover", N_ ("ID"), N_ ("Record that a dossier's result was handed over"), fk_ctl_handover },
  { "vneid", N_ ("OUTCOME --date YYYY-MM-DD"), N_ ("Record a VNeID help for the reports"),
    fk_ctl_vneid },
  { "fp list", "", N_ ("List the fingerprint readers"), fk_ctl_fp_list },
  { "fp enroll", "", N_ ("Enrol a finger and save its template"), fk_ctl_fp_enroll },
  { "fp verify", "", N_ ("Check a finger against a template"), fk_ctl_fp_verify },
  { "fp capture", "", N_ ("Take a fingerprint image"), fk_ctl_fp_capture },
  { "net status", "", N_ ("Show network and power state"), fk_ctl_net_status },
  { "doc check", N_ ("IMAGE"), N_ ("Check a photo of a paper document before sending it"),
    fk_ctl_doc_check },
  { "doc compress", N_ ("IMAGE --out FILE"), N_ ("Crop and compress a document photo for upload"),
    fk_ctl_doc_compress },
  { "card read", N_ ("--id ID --birth YYYY-MM-DD"),
    N_ ("Read the chip of an ID card (CCCD) and check its signature"), fk_ctl_card_read },
  { "qr decode", N_ ("IMAGE"), N_ ("Decode the QR code in a PNG or JPEG photo"), fk_ctl_qr_decode },
  { NULL },
};

static void
print_main_help (FILE *out)
{
  fprintf (out, "%s\n  fieldkit-ctl [--data DIR] %s\n\n%s\n", _ ("Usage:"),
           _ ("COMMAND [OPTIONS…]"), _ ("Commands:"));
  for (gsize i = 0; commands[i].words != NULL; i++)
    fprintf (out, "  %-16s %s\n", commands[i].words, _ (commands[i].summary));
  fprintf (out, "\n%s\n  --data DIR       %s\n  --version        %s\n\n%s\n", _ ("Global options:"),
           _ ("Data directory of the device store"), _ ("Print the version"),
           _ ("Run “fieldkit-ctl COMMAND --help” for the options of a command."));
}

static gboolean
parse (FkCtl *ctl, const GOptionEntry *entries, const GOptionEntry *more, const char *description,
       int *argc, char ***argv)
{
  const FkCtlCommand *cmd = ctl->info;
  /* The program name already holds the command's words; and gettext ("")
   * would be the catalog header, not an empty string. */
  const char *parameters =
    cmd->parameters != NULL && *cmd->parameters != '\0' ? _ (cmd->parameters) : NULL;
  g_autoptr (GOptionContext) context = g_option_context_new (parameters);
  g_autoptr (GError) error = NULL;

  g_option_context_set_summary (context, _ (cmd->summary));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (description != NULL)
    g_option_context_set_description (context, description);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (more != NULL)
    g_option_context_add_main_entries (context, more, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("fieldkit-ctl %s: %s\n", ctl->command, error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * fk_ctl_parse:
 * @entries: (nullable): the command's options
 * @description: (nullable): translated text shown after the options by
 *   `--help`
 *
 * Parses a command's options, with its name, parameters and summary from
 * the command table; on failure prints the reason and returns %FALSE, and
 * the command exits with %FK_CTL_EXIT_USAGE.
 */
gboolean
fk_ctl_parse (FkCtl *ctl, const GOptionEntry *entries, const char *description, int *argc,
              char ***argv)
{
  return parse (ctl, entries, NULL, description, argc, argv);
}

void
fk_ctl_server_clear (FkCtlServer *server)
{
  g_clear_pointer (&server->url, g_free);
  g_clear_pointer (&server->ca_file, g_free);
}

/**
 * fk_ctl_parse_with_server:
 *
 * Like fk_ctl_parse(), with the options that say how to reach the server
 * into @server; the server's address is required.
 */
gboolean
fk_ctl_parse_with_server (FkCtl *ctl, const GOptionEntry *entries, FkCtlServer *server, int *argc,
                          char ***argv)
{
  const GOptionEntry server_entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server->url, N_ ("Intake server address"), N_ ("URL") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &server->ca_file,
      N_ ("Certificates (PEM) to trust for the server instead of the system's"), N_ ("FILE") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &server->timeout,
      N_ ("Seconds before a silent request fails"), N_ ("S") },
    { NULL },
  };

  if (!parse (ctl, entries, server_entries, NULL, argc, argv))
    return FALSE;
  /* A device that joined with an enrollment code knows its server. */
  if (server->url == NULL && ctl->data_dir != NULL)
    {
      g_autoptr (FkStore) store = fk_store_open (ctl->data_dir, FK_STORE_OPEN_SHARED, NULL);

      if (store != NULL)
        server->url = fk_store_get_setting (store, FK_SYNC_SETTING_SERVER_URL);
    }
  if (server->url == NULL)
    {
      fk_ctl_usage_error (ctl, "%s", _ ("Give the server with --server URL"));
      return FALSE;
    }
  if (server->timeout < 0)
    {
      fk_ctl_usage_error (ctl, "%s", _ ("--chunk-kib, --timeout and --retries must be in range"));
      return FALSE;
    }
  return TRUE;
}

int
fk_ctl_usage_error (FkCtl *ctl, const char *format, ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("fieldkit-ctl %s: %s\n", ctl->command, msg);
  return FK_CTL_EXIT_USAGE;
}

int
fk_ctl_fail (FkCtl *ctl, int exit_code, const GError *error)
{
  g_printerr ("fieldkit-ctl %s: %s\n", ctl->command, error->message);
  return exit_code;
}

/**
 * fk_ctl_fail_for:
 *
 * Prints @error and returns the exit code its domain and code call for: a
 * bad argument (a missing --data, an invalid value) is bad usage, anything
 * else a negative answer.
 */
int
fk_ctl_fail_for (FkCtl *ctl, const GError *error)
{
  gboolean usage = error->domain == G_OPTION_ERROR ||
                   g_error_matches (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT) ||
                   g_error_matches (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT);

  return fk_ctl_fail (ctl, usage ? FK_CTL_EXIT_USAGE : FK_CTL_EXIT_NEGATIVE, error);
}

/**
 * fk_ctl_load_image_argument:
 * @exit_code: (out): %FK_CTL_EXIT_USAGE when %NULL is returned
 *
 * The one IMAGE argument of a command (PNG or JPEG), as grey levels.
 *
 * Returns: (transfer full) (nullable): the image, or %NULL after saying
 *   why not.
 */
FkGrayImage *
fk_ctl_load_image_argument (FkCtl *ctl, int argc, char **argv, int *exit_code)
{
  g_autoptr (GError) error = NULL;
  FkGrayImage *image;

  *exit_code = FK_CTL_EXIT_USAGE;
  if (argc != 2)
    {
      fk_ctl_usage_error (ctl, "%s", _ ("Give exactly one image file."));
      return NULL;
    }
  image = fk_gray_image_new_from_file (argv[1], &error);
  if (image == NULL)
    fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  return image;
}

/* Returns how many words of @argv name @cmd, or 0. */
static int
match_command (const FkCtlCommand *cmd, int argc, char **argv)
{
  g_auto (GStrv) words = g_strsplit (cmd->words, " ", -1);
  int n = (int) g_strv_length (words);

  if (n > argc)
    return 0;
  for (int i = 0; i < n; i++)
    if (!g_str_equal (words[i], argv[i]))
      return 0;
  return n;
}

int
main (int argc, char **argv)
{
  FkCtl ctl = { 0 };
  int i = 1;
  int status;

  /* The language of LANG / LC_ALL / LANGUAGE, like any command-line tool
   * (the touch app, not this, is Vietnamese whatever the locale). */
  fk_i18n_init_from_locale ();
  /* Standard output holds the command's answer (JSON, a payload…) only;
   * GLib's debug messages, when asked for, go to standard error. */
  g_log_writer_default_set_use_stderr (TRUE);

  /* Global options stand before the command. */
  while (i < argc && argv[i][0] == '-')
    {
      if (g_str_equal (argv[i], "--data") && i + 1 < argc)
        {
          g_free (ctl.data_dir);
          ctl.data_dir = g_strdup (argv[i + 1]);
          i += 2;
        }
      else if (g_str_has_prefix (argv[i], "--data="))
        {
          g_free (ctl.data_dir);
          ctl.data_dir = g_strdup (argv[i] + strlen ("--data="));
          i++;
        }
      else if (g_str_equal (argv[i], "--version"))
        {
          g_print ("fieldkit-ctl %s\n", FK_VERSION);
          return FK_CTL_EXIT_OK;
        }
      else if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          print_main_help (stdout);
          return FK_CTL_EXIT_OK;
        }
      else
        {
          g_printerr ("fieldkit-ctl: %s: %s\n\n", argv[i], _ ("unknown option"));
          print_main_help (stderr);
          return FK_CTL_EXIT_USAGE;
        }
    }

  if (i >= argc)
    {
      print_main_help (stderr);
      return FK_CTL_EXIT_USAGE;
    }

  for (gsize c = 0; commands[c].words != NULL; c++)
    {
      int n = match_command (&commands[c], argc - i, argv + i);

      if (n == 0)
        continue;
      ctl.command = commands[c].words;
      ctl.info = &commands[c];
      /* The command sees argv[0] = "fieldkit-ctl WORDS" and its own arguments. */
      {
        g_autofree char *prog = g_strdup_printf ("fieldkit-ctl %s", commands[c].words);
        int cargc = argc - i - n + 1;
        g_autofree char **cargv = g_new0 (char *, cargc + 1);

        cargv[0] = prog;
        for (int k = 1; k < cargc; k++)
          cargv[k] = argv[i + n + k - 1];
        g_set_prgname (prog);
        status = commands[c].run (&ctl, cargc, cargv);
      }
      g_free (ctl.data_dir);
      return status;
    }

  g_printerr ("fieldkit-ctl: %s: %s\n\n", argv[i], _ ("unknown command"));
  print_main_help (stderr);
  g_free (ctl.data_dir);
  return FK_CTL_EXIT_USAGE;
}

void
fk_ctl_wait_clear (FkCtlWait *wait)
{
  g_clear_pointer (&wait->loop, g_main_loop_unref);
  g_clear_object (&wait->cancellable);
  g_clear_object (&wait->result);
}

void
fk_ctl_wait_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  FkCtlWait *wait = user_data;

  g_set_object (&wait->result, res);
  g_main_loop_quit (wait->loop);
}

static gboolean
on_sigint (gpointer user_data)
{
  FkCtlWait *wait = user_data;

  g_cancellable_cancel (wait->cancellable);
  return G_SOURCE_CONTINUE;
}

GAsyncResult *
fk_ctl_wait_result (FkCtlWait *wait)
{
  guint id = g_unix_signal_add (SIGINT, on_sigint, wait);

  g_main_loop_run (wait->loop);
  g_source_remove (id);
  return wait->result;
}
