/* fk-ctl-init.c: fieldkit-ctl init, the device store's set-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fk-ctl.h"
#include "fk-enroll.h"
#include "fk-store-error.h"
#include "fk-sync-protocol.h"
#include "fk-uploader.h"

/* The server key file: 32 raw bytes, or their base64 (surrounding
 * whitespace ignored), or fieldkit-server's two-line server.pub, which also
 * gives the key that verifies the server's receipts. */
static gboolean
read_server_key (const char *path, guint8 key[FK_VAULT_PUBLIC_KEY_BYTES], char **verify_key,
                 GError **error)
{
  g_autofree char *contents = NULL;
  g_autofree guchar *decoded = NULL;
  gsize len, decoded_len = 0;
  guint8 verify[FK_SYNC_KEY_BYTES];

  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;
  /* fieldkit-server's server.pub: the sealing key, then the receipt key. */
  if (memchr (contents, '\0', len) == NULL &&
      fk_sync_server_pub_parse (contents, key, verify, NULL))
    {
      *verify_key = fk_sync_key_to_base64 (verify);
      return TRUE;
    }
  if (len == FK_VAULT_PUBLIC_KEY_BYTES)
    {
      memcpy (key, contents, len);
      return TRUE;
    }
  /* The server's server.pub holds this key on its first line (the receipt
   * key follows). */
  {
    g_auto (GStrv) lines = g_strsplit (contents, "\n", 2);

    g_strstrip (lines[0]);
    if (lines[0][0] != '\0')
      decoded = g_base64_decode (lines[0], &decoded_len);
  }
  if (decoded_len != FK_VAULT_PUBLIC_KEY_BYTES)
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                   _ ("%s does not hold a server key: expected 32 raw bytes or their base64."),
                   path);
      return FALSE;
    }
  memcpy (key, decoded, decoded_len);
  return TRUE;
}

static void
print_result (FkStore *store, const char *recovery, const FkEnrollAnswer *enrolled,
              const char *server_url, gboolean json)
{
  g_autofree char *device_key =
    fk_device_key_get_public_key_base64 (fk_store_get_device_key (store));

  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;

      json_builder_begin_object (b);
      fk_ctl_json_string (b, "device_key", device_key);
      fk_ctl_json_string (b, "recovery_code", recovery);
      if (enrolled != NULL)
        {
          fk_ctl_json_string (b, "server_url", server_url);
          fk_ctl_json_string (b, "commune", enrolled->commune);
          fk_ctl_json_string (b, "name", enrolled->name);
          fk_ctl_json_string (b, "enrolled_at", enrolled->enrolled_at);
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      fk_ctl_print_json (root);
      return;
    }
  g_print (_ ("Device store set up in %s.\n"), fk_store_get_dir (store));
  g_print (_ ("Device signing key (Ed25519, base64): %s\n"), device_key);
  g_print (_ ("Administrator recovery code, shown only this once: %s\n"), recovery);
  if (enrolled != NULL)
    g_print (_ ("Enrolled on %s as “%s” for commune %s.\n"), server_url, enrolled->name,
             enrolled->commune);
}

typedef struct
{
  char *server_key_path;
  char *enroll;
  char *ca_file;
  gboolean allow_http;
  gboolean json;
  int timeout;
  int kdf_passes;
  int kdf_memory;
} InitArgs;

static void
init_args_clear (InitArgs *a)
{
  g_free (a->server_key_path);
  g_free (a->enroll);
  g_free (a->ca_file);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (InitArgs, init_args_clear)

static gsize
pin_memlimit (const InitArgs *a)
{
  return a->kdf_memory == 0 ? 8192 : (gsize) a->kdf_memory * 1024 * 1024;
}

/* init --enroll CODE: the code's server, or nothing. */
static int
init_enrolled (FkCtl *ctl, const char *dir, const InitArgs *a)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkEnrollCode) code = fk_enroll_code_parse (a->enroll, &error);
  g_autoptr (FkStore) store = NULL;
  g_autoptr (FkEnrollAnswer) answer = NULL;
  g_autoptr (FkCtlSecret) recovery = NULL;
  g_autoptr (FkCtlSecret) pin = NULL;
  g_autofree char *warning = NULL;
  FkEnrollOptions options = { 0 };

  if (code == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  if (!fk_enroll_code_check_transport (code, a->allow_http, &warning, &error))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  if (warning != NULL)
    g_printerr ("fieldkit-ctl %s: %s\n", ctl->command, warning);
  pin = fk_ctl_get_new_secret ("FIELDKIT_PIN", _ ("New operator PIN: "), _ ("Same PIN again: "),
                               &error);
  if (pin == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  options.pin = pin;
  options.pin_opslimit = (guint64) a->kdf_passes;
  options.pin_memlimit = pin_memlimit (a);
  options.allow_http = a->allow_http;
  options.ca_file = a->ca_file;
  options.timeout_seconds = (guint) a->timeout;
  store = fk_enroll_new_device (dir, code, &options, &recovery, &answer, NULL, &error);
  if (store == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  print_result (store, recovery, answer, code->url, a->json);
  return FK_CTL_EXIT_OK;
}

/* init --server-key FILE: keys given by hand, the device enrolled apart. */
static int
init_with_key (FkCtl *ctl, const char *dir, const InitArgs *a)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (FkCtlSecret) pin = NULL;
  g_autoptr (FkCtlSecret) recovery = NULL;
  g_autofree char *verify_key = NULL;
  guint8 server_key[FK_VAULT_PUBLIC_KEY_BYTES];
  FkStoreInitOptions options = { 0 };

  if (!read_server_key (a->server_key_path, server_key, &verify_key, &error))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  pin = fk_ctl_get_new_secret ("FIELDKIT_PIN", _ ("New operator PIN: "), _ ("Same PIN again: "),
                               &error);
  if (pin == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  options.server_public_key = server_key;
  options.pin = pin;
  options.pin_opslimit = (guint64) a->kdf_passes;
  options.pin_memlimit = pin_memlimit (a);
  store = fk_store_create (dir, &options, &recovery, &error);
  if (store == NULL)
    return fk_ctl_fail_for (ctl, error);
  if (verify_key != NULL &&
      !fk_store_set_setting (store, FK_SYNC_SETTING_SERVER_VERIFY_KEY, verify_key, &error))
    return fk_ctl_fail_for (ctl, error);
  print_result (store, recovery, NULL, NULL, a->json);
  return FK_CTL_EXIT_OK;
}

int
fk_ctl_init (FkCtl *ctl, int argc, char **argv)
{
  g_auto (InitArgs) a = {
    .timeout = 30,
    .kdf_passes = FK_STORE_PIN_OPSLIMIT_DEFAULT,
    .kdf_memory = FK_STORE_PIN_MEMLIMIT_DEFAULT / (1024 * 1024),
  };
  const GOptionEntry entries[] = {
    { "server-key", 0, 0, G_OPTION_ARG_FILENAME, &a.server_key_path,
      N_ ("Intake server's X25519 public key: 32 raw bytes, or their base64 on the first "
          "line (as in the server's server.pub)"),
      N_ ("FILE") },
    { "enroll", 0, 0, G_OPTION_ARG_STRING, &a.enroll,
      N_ ("Join the server with its enrollment code (the text under the QR code), "
          "instead of --server-key"),
      N_ ("CODE") },
    { "allow-http", 0, 0, G_OPTION_ARG_NONE, &a.allow_http,
      N_ ("With --enroll: accept a plain-HTTP server that is not on this machine"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &a.ca_file,
      N_ ("With --enroll: certificates (PEM) to trust for the server instead of the system's"),
      N_ ("FILE") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &a.timeout,
      N_ ("With --enroll: seconds before a silent request fails"), N_ ("S") },
    { "kdf-passes", 0, 0, G_OPTION_ARG_INT, &a.kdf_passes,
      N_ ("Argon2id passes for the PIN (default 3, for a Raspberry Pi 4)"), N_ ("N") },
    { "kdf-memory", 0, 0, G_OPTION_ARG_INT, &a.kdf_memory,
      N_ ("Argon2id memory for the PIN in MiB (default 64; 0 means 8 KiB, tests only)"),
      N_ ("MIB") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &a.json, N_ ("Print the result as JSON"), NULL },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  const char *dir;

  if (!fk_ctl_parse (
        ctl, entries,
        _ ("The operator PIN comes from FIELDKIT_PIN or is asked twice on the terminal. "
           "The administrator's recovery code is printed once: keep it apart from the "
           "device; it is the only way to reset a forgotten or locked PIN."),
        &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if ((a.server_key_path == NULL) == (a.enroll == NULL))
    return fk_ctl_usage_error (
      ctl, "%s",
      _ ("Give the server's public key with --server-key FILE, or its enrollment code with "
         "--enroll CODE."));
  if (a.kdf_passes < 1 || a.kdf_memory < 0 || a.timeout < 1)
    return fk_ctl_usage_error (ctl, "%s",
                               _ ("--kdf-passes and --timeout must be at least 1 and "
                                  "--kdf-memory at least 0."));
  dir = fk_ctl_require_data_dir (ctl, &error);
  if (dir == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  return a.enroll != NULL ? init_enrolled (ctl, dir, &a) : init_with_key (ctl, dir, &a);
}
