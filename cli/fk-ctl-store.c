/* fk-ctl-store.c: fieldkit-ctl commands of the sealed local store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PIN comes from FIELDKIT_PIN or is asked on the terminal without echo.
 * The administrator's recovery code (printed once by init) comes from
 * FIELDKIT_RECOVERY_CODE or the terminal; a new PIN from FIELDKIT_NEW_PIN
 * or the terminal.
 */
#include "fk-config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "fk-ctl.h"
#include "fk-outbox.h"
#include "fk-store.h"
#include "fk-sync-protocol.h"
#include "fk-uploader.h"

#define SECRET_MAX 256 /* bytes of a typed PIN or recovery code */

/* A PIN, recovery code or new PIN: wiped before it is freed. */
typedef char Secret;

static void
secret_free (Secret *secret)
{
  if (secret == NULL)
    return;
  sodium_memzero (secret, strlen (secret));
  g_free (secret);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Secret, secret_free)

/* Reads a line from the terminal with echo off, into a buffer that never
 * moves (a growing string would leave copies behind). */
static Secret *
ask_secret (const char *prompt, GError **error)
{
  struct termios old, quiet;
  char line[SECRET_MAX];
  gsize len = 0;
  gboolean restore;
  int fd = g_open ("/dev/tty", O_RDWR | O_CLOEXEC, 0);
  char c = 0;
  Secret *secret;

  if (fd < 0)
    {
      g_set_error_literal (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                           _ ("No terminal to ask for the PIN: set FIELDKIT_PIN."));
      return NULL;
    }
  restore = tcgetattr (fd, &old) == 0;
  if (restore)
    {
      quiet = old;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (fd, TCSAFLUSH, &quiet);
    }
  if (write (fd, prompt, strlen (prompt)) < 0)
    g_debug ("Could not write the prompt: %s", g_strerror (errno));
  while (read (fd, &c, 1) == 1 && c != '\n')
    if (len + 1 < sizeof line)
      line[len++] = c;
  line[len] = '\0';
  if (restore)
    tcsetattr (fd, TCSAFLUSH, &old);
  if (write (fd, "\n", 1) < 0)
    g_debug ("Could not end the prompt: %s", g_strerror (errno));
  close (fd);
  secret = g_strndup (line, len);
  sodium_memzero (line, sizeof line);
  sodium_memzero (&c, sizeof c);
  return secret;
}

static Secret *
get_secret (const char *env, const char *prompt, GError **error)
{
  const char *value = g_getenv (env);

  if (value != NULL)
    return g_strdup (value);
  return ask_secret (prompt, error);
}

/* A new secret, asked twice on a terminal. */
static Secret *
get_new_secret (const char *env, const char *prompt, const char *again, GError **error)
{
  g_autoptr (Secret) first = NULL;
  g_autoptr (Secret) second = NULL;

  if (g_getenv (env) != NULL)
    return g_strdup (g_getenv (env));
  first = ask_secret (prompt, error);
  if (first == NULL)
    return NULL;
  second = ask_secret (again, error);
  if (second == NULL)
    return NULL;
  if (!g_str_equal (first, second))
    {
      g_set_error_literal (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                           _ ("The two PINs differ: nothing was changed."));
      return NULL;
    }
  return g_steal_pointer (&first);
}

static int
exit_code_for (const GError *error)
{
  if (g_error_matches (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT))
    return FK_CTL_EXIT_USAGE;
  return FK_CTL_EXIT_NEGATIVE;
}

static FkStore *
open_store (FkCtl *ctl, FkStoreOpenFlags flags, GError **error)
{
  const char *dir = fk_ctl_require_data_dir (ctl, error);

  if (dir == NULL)
    return NULL;
  return fk_store_open (dir, flags, error);
}

static gboolean
unlock_store (FkStore *store, GError **error)
{
  g_autoptr (Secret) pin = get_secret ("FIELDKIT_PIN", _ ("Operator PIN: "), error);

  return pin != NULL && fk_store_unlock (store, pin, error);
}

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

int
fk_ctl_store_init (FkCtl *ctl, int argc, char **argv)
{
  g_autofree char *server_key_path = NULL;
  gboolean json = FALSE;
  int kdf_passes = FK_STORE_PIN_OPSLIMIT_DEFAULT;
  int kdf_memory = FK_STORE_PIN_MEMLIMIT_DEFAULT / (1024 * 1024);
  const GOptionEntry entries[] = {
    { "server-key", 0, 0, G_OPTION_ARG_FILENAME, &server_key_path,
      N_ ("Intake server's X25519 public key: 32 raw bytes, or their base64 on the first "
          "line (as in the server's server.pub)"),
      N_ ("FILE") },
    { "kdf-passes", 0, 0, G_OPTION_ARG_INT, &kdf_passes,
      N_ ("Argon2id passes for the PIN (default 3, for a Raspberry Pi 4)"), N_ ("N") },
    { "kdf-memory", 0, 0, G_OPTION_ARG_INT, &kdf_memory,
      N_ ("Argon2id memory for the PIN in MiB (default 64; 0 means 8 KiB, tests only)"),
      N_ ("MIB") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the result as JSON"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = fk_ctl_option_context_new (ctl, entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (Secret) pin = NULL;
  g_autoptr (Secret) recovery = NULL;
  g_autofree char *device_key = NULL;
  g_autofree char *verify_key = NULL;
  guint8 server_key[FK_VAULT_PUBLIC_KEY_BYTES];
  FkStoreInitOptions options = { 0 };
  const char *dir;

  g_option_context_set_description (
    context, _ ("The operator PIN comes from FIELDKIT_PIN or is asked twice on the terminal. "
                "The administrator's recovery code is printed once: keep it apart from the "
                "device; it is the only way to reset a forgotten or locked PIN."));
  if (!fk_ctl_parse_options (ctl, context, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (server_key_path == NULL)
    return fk_ctl_usage_error (ctl, "%s",
                               _ ("Give the server's public key with --server-key FILE."));
  if (kdf_passes < 1 || kdf_memory < 0)
    return fk_ctl_usage_error (ctl, "%s",
                               _ ("--kdf-passes must be at least 1 and --kdf-memory "
                                  "at least 0."));
  dir = fk_ctl_require_data_dir (ctl, &error);
  if (dir == NULL || !read_server_key (server_key_path, server_key, &verify_key, &error))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  pin = get_new_secret ("FIELDKIT_PIN", _ ("New operator PIN: "), _ ("Same PIN again: "), &error);
  if (pin == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);

  options.server_public_key = server_key;
  options.pin = pin;
  options.pin_opslimit = (guint64) kdf_passes;
  options.pin_memlimit = kdf_memory == 0 ? 8192 : (gsize) kdf_memory * 1024 * 1024;
  store = fk_store_create (dir, &options, &recovery, &error);
  if (store == NULL)
    return fk_ctl_fail (ctl, exit_code_for (error), error);
  if (verify_key != NULL &&
      !fk_store_set_setting (store, FK_SYNC_SETTING_SERVER_VERIFY_KEY, verify_key, &error))
    return fk_ctl_fail (ctl, exit_code_for (error), error);
  device_key = fk_device_key_get_public_key_base64 (fk_store_get_device_key (store));
  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "device_key");
      json_builder_add_string_value (b, device_key);
      json_builder_set_member_name (b, "recovery_code");
      json_builder_add_string_value (b, recovery);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      fk_ctl_print_json (root);
    }
  else
    {
      g_print (_ ("Device store set up in %s.\n"), fk_store_get_dir (store));
      g_print (_ ("Device signing key (Ed25519, base64): %s\n"), device_key);
      g_print (_ ("Administrator recovery code, shown only this once: %s\n"), recovery);
    }
  return FK_CTL_EXIT_OK;
}

/* The script's attachments, [{kind, path}], as files for the store to seal. */
static gboolean
add_attachments (JsonObject *dossier, const char *base_dir, GPtrArray *attachments, GError **error)
{
  JsonNode *node = json_object_get_member (dossier, "attachments");
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                           _ ("“attachments” must be a list of {kind, path}."));
      return FALSE;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *a = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *kind_name =
        a != NULL ? json_object_get_string_member_with_default (a, "kind", NULL) : NULL;
      const char *path =
        a != NULL ? json_object_get_string_member_with_default (a, "path", NULL) : NULL;
      g_autofree char *full = NULL;
      g_autoptr (GFile) file = NULL;
      FkAttachmentKind kind;

      if (kind_name == NULL || path == NULL)
        {
          g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                       _ ("Attachment %u needs a “kind” and a “path”."), i + 1);
          return FALSE;
        }
      if (!fk_attachment_kind_from_string (kind_name, &kind))
        {
          g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                       _ ("Attachment %u has the unknown kind “%s”: use “document”, "
                          "“fingerprint”, “fingerprint-template” or “receipt”."),
                       i + 1, kind_name);
          return FALSE;
        }
      full = g_canonicalize_filename (path, base_dir);
      if (g_access (full, R_OK) != 0 || g_file_test (full, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                       _ ("Cannot read the attachment %s: %s"), full,
                       g_file_test (full, G_FILE_TEST_IS_DIR) ? _ ("it is a directory")
                                                              : g_strerror (errno));
          return FALSE;
        }
      file = g_file_new_for_path (full);
      g_ptr_array_add (attachments, fk_store_attachment_new_for_file (kind, NULL, file));
    }
  return TRUE;
}

/* The dossier of @json_path: (transfer full) the dossier, its attachments
 * into @attachments. FALSE with an exit code in @out_exit. */
static FkDossier *
load_dossier (const char *json_path, GPtrArray *attachments, int *out_exit, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  g_autofree char *dirname = g_path_get_dirname (json_path);
  g_autofree char *base_dir = g_canonicalize_filename (dirname, NULL);
  JsonNode *root;
  FkDossier *dossier;

  *out_exit = FK_CTL_EXIT_USAGE;
  if (!json_parser_load_from_file (parser, json_path, &local))
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT, _ ("Cannot read %s: %s"),
                   json_path, local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                   _ ("%s does not hold a JSON object."), json_path);
      return NULL;
    }
  if (!add_attachments (json_node_get_object (root), base_dir, attachments, error))
    return NULL;
  /* The files go to the store beside the dossier, not inside it. */
  json_object_remove_member (json_node_get_object (root), "attachments");
  dossier = fk_dossier_new_from_json (root, &local);
  if (dossier == NULL)
    {
      *out_exit = FK_CTL_EXIT_NEGATIVE;
      g_propagate_error (error, g_steal_pointer (&local));
    }
  return dossier;
}

int
fk_ctl_intake_add (FkCtl *ctl, int argc, char **argv)
{
  g_autofree char *json_path = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json_path,
      N_ ("The dossier as JSON; attachment paths are relative to this file"), N_ ("FILE") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = fk_ctl_option_context_new (ctl, entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) attachments = fk_store_attachments_new ();
  g_autoptr (FkStore) store = NULL;
  g_autoptr (FkDossier) dossier = NULL;
  g_autofree char *id = NULL;
  int exit_code;

  g_option_context_set_description (
    context, _ ("The JSON holds “procedure”, “citizen”, “fields”, an optional “id” (UUID) and "
                "“attachments”: [{“kind”, “path”}]. The UUID is printed once the dossier is "
                "safely on disk. Adding the same “id” again creates nothing and prints the "
                "existing UUID. Needs the PIN (FIELDKIT_PIN or the terminal)."));
  if (!fk_ctl_parse_options (ctl, context, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (json_path == NULL)
    return fk_ctl_usage_error (ctl, "%s", _ ("Give the dossier with --json FILE."));
  dossier = load_dossier (json_path, attachments, &exit_code, &error);
  if (dossier == NULL)
    return fk_ctl_fail (ctl, exit_code, error);

  store = open_store (ctl, FK_STORE_OPEN_DEFAULT, &error);
  if (store == NULL || !unlock_store (store, &error))
    return fk_ctl_fail (ctl, exit_code_for (error), error);
  id = fk_store_commit_dossier (store, dossier, attachments, TRUE, NULL, NULL, &error);
  if (id == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  g_print ("%s\n", id);
  return FK_CTL_EXIT_OK;
}

int
fk_ctl_queue_list (FkCtl *ctl, int argc, char **argv)
{
  gboolean json = FALSE;
  char *state_name = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the queue as JSON"), NULL },
    { "state", 0, 0, G_OPTION_ARG_STRING, &state_name,
      N_ ("Only dossiers in this state (draft, sealed, queued, uploading, delivered, "
          "quarantined, discarded)"),
      N_ ("STATE") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = fk_ctl_option_context_new (ctl, entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autofree char *state_owned = NULL;
  FkOutboxState state = FK_OUTBOX_ANY_STATE;

  if (!fk_ctl_parse_options (ctl, context, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  state_owned = state_name;
  if (state_name != NULL && !fk_outbox_state_from_string (state_name, &state))
    return fk_ctl_usage_error (ctl, _ ("“%s” is not an outbox state."), state_name);
  store = open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail (ctl, exit_code_for (error), error);
  list = fk_outbox_list (store, state, &error);
  if (list == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);

  if (json)
    {
      g_autoptr (JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_sized_new (list->len);

      for (guint i = 0; i < list->len; i++)
        {
          FkOutboxEntry *e = g_ptr_array_index (list, i);
          JsonObject *o = json_object_new ();
          g_autoptr (GDateTime) created = g_date_time_new_from_unix_utc (e->created);
          g_autofree char *iso = g_date_time_format_iso8601 (created);

          json_object_set_string_member (o, "id", e->id);
          json_object_set_string_member (o, "state", fk_outbox_state_to_string (e->state));
          json_object_set_string_member (o, "procedure", e->procedure);
          json_object_set_string_member (o, "created", iso);
          json_object_set_int_member (o, "bytes", (gint64) e->bytes);
          if (e->reason != NULL)
            json_object_set_string_member (o, "reason", e->reason);
          json_array_add_object_element (array, o);
        }
      json_node_take_array (root, array);
      fk_ctl_print_json (root);
      return FK_CTL_EXIT_OK;
    }
  for (guint i = 0; i < list->len; i++)
    {
      FkOutboxEntry *e = g_ptr_array_index (list, i);
      g_autoptr (GDateTime) created = g_date_time_new_from_unix_local (e->created);
      g_autofree char *when = g_date_time_format (created, "%Y-%m-%d %H:%M");
      g_autofree char *size = g_format_size (e->bytes);

      g_print ("%s  %-11s  %-24s  %s  %s%s%s\n", e->id, fk_outbox_state_to_string (e->state),
               e->procedure, when, size, e->reason != NULL ? "  " : "",
               e->reason != NULL ? e->reason : "");
    }
  return FK_CTL_EXIT_OK;
}

int
fk_ctl_dossier_show (FkCtl *ctl, int argc, char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the dossier as JSON (the default)"),
      NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = fk_ctl_option_context_new (ctl, entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (FkDossier) dossier = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (FkOutboxEntry) entry = NULL;

  g_option_context_set_description (
    context, _ ("Needs the PIN (FIELDKIT_PIN or the terminal). Wrong PINs are counted and delay "
                "the next try; too many lock the vault until an administrator resets the PIN."));
  if (!fk_ctl_parse_options (ctl, context, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (argc != 2)
    return fk_ctl_usage_error (ctl, "%s", _ ("Give one dossier ID."));
  store = open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail (ctl, exit_code_for (error), error);
  /* Unknown IDs are reported before the PIN is asked (and counted). */
  entry = fk_outbox_get (store, argv[1], &error);
  if (entry == NULL || !unlock_store (store, &error))
    return fk_ctl_fail (ctl, exit_code_for (error), error);
  dossier = fk_store_read_dossier (store, entry->id, &error);
  if (dossier == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  node = fk_dossier_to_json (dossier);
  json_object_set_string_member (json_node_get_object (node), "state",
                                 fk_outbox_state_to_string (entry->state));
  fk_ctl_print_json (node);
  return FK_CTL_EXIT_OK;
}

int
fk_ctl_audit_verify (FkCtl *ctl, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = fk_ctl_option_context_new (ctl, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  guint64 n = 0;

  g_option_context_set_description (context, _ ("Exit status 0 when the chain is intact, 1 "
                                                "naming the first broken or edited entry."));
  if (!fk_ctl_parse_options (ctl, context, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  store = open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail (ctl, exit_code_for (error), error);
  if (!fk_store_verify_audit (store, NULL, &n, &error))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  g_print (g_dngettext (GETTEXT_PACKAGE, "Audit log intact: %llu entry.\n",
                        "Audit log intact: %llu entries.\n", (gulong) n),
           (unsigned long long) n);
  return FK_CTL_EXIT_OK;
}

int
fk_ctl_admin_reset_pin (FkCtl *ctl, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = fk_ctl_option_context_new (ctl, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (Secret) code = NULL;
  g_autoptr (Secret) pin = NULL;

  g_option_context_set_description (
    context, _ ("Authorised by the administrator's recovery code printed by init "
                "(FIELDKIT_RECOVERY_CODE or the terminal). The new PIN comes from "
                "FIELDKIT_NEW_PIN or is asked twice. Clears a lock-out; sealed data is kept."));
  if (!fk_ctl_parse_options (ctl, context, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  store = open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail (ctl, exit_code_for (error), error);
  code = get_secret ("FIELDKIT_RECOVERY_CODE", _ ("Recovery code: "), &error);
  if (code == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  pin =
    get_new_secret ("FIELDKIT_NEW_PIN", _ ("New operator PIN: "), _ ("Same PIN again: "), &error);
  if (pin == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  if (!fk_store_reset_pin (store, code, pin, &error))
    return fk_ctl_fail (ctl, exit_code_for (error), error);
  g_print ("%s\n", _ ("The operator PIN was reset."));
  return FK_CTL_EXIT_OK;
}

int
fk_ctl_admin_pin_policy (FkCtl *ctl, int argc, char **argv)
{
  int max_attempts = FK_STORE_PIN_MAX_ATTEMPTS_DEFAULT;
  int free_attempts = FK_STORE_PIN_FREE_ATTEMPTS_DEFAULT;
  int delay = FK_STORE_PIN_DELAY_DEFAULT;
  const GOptionEntry entries[] = {
    { "max-attempts", 0, 0, G_OPTION_ARG_INT, &max_attempts,
      N_ ("Wrong PINs before the vault locks (default 10)"), N_ ("N") },
    { "free-attempts", 0, 0, G_OPTION_ARG_INT, &free_attempts,
      N_ ("Wrong PINs before delays start (default 3)"), N_ ("N") },
    { "delay", 0, 0, G_OPTION_ARG_INT, &delay,
      N_ ("First delay in seconds, doubled after each further wrong PIN, at most an hour "
          "(default 30)"),
      N_ ("SECONDS") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = fk_ctl_option_context_new (ctl, entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;

  g_option_context_set_description (context,
                                    _ ("Authorised by the recovery code, like reset-pin."));
  if (!fk_ctl_parse_options (ctl, context, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (max_attempts < 1 || free_attempts < 0 || delay < 0)
    return fk_ctl_usage_error (ctl, "%s", _ ("The numbers must not be negative."));
  store = open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail (ctl, exit_code_for (error), error);
  {
    g_autoptr (Secret) code = get_secret ("FIELDKIT_RECOVERY_CODE", _ ("Recovery code: "), &error);

    if (code == NULL || !fk_store_check_recovery_code (store, code, &error))
      return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  }
  if (!fk_store_set_pin_policy (store, (guint) max_attempts, (guint) free_attempts, (guint) delay,
                                &error))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  return FK_CTL_EXIT_OK;
}

int
fk_ctl_queue_purge (FkCtl *ctl, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = fk_ctl_option_context_new (ctl, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  guint purged = 0;

  g_option_context_set_description (
    context, _ ("Keeps what result handover needs (dossier ID, procedure, dates, the keyed hash "
                "of the ID number, the server's receipt). The period is set with “admin "
                "retention”."));
  if (!fk_ctl_parse_options (ctl, context, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  store = open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL || !fk_store_purge_expired (store, &purged, &error))
    return fk_ctl_fail (ctl, exit_code_for (error), error);
  g_print (g_dngettext (GETTEXT_PACKAGE, "%u delivered dossier purged.\n",
                        "%u delivered dossiers purged.\n", purged),
           purged);
  return FK_CTL_EXIT_OK;
}

/* No PIN: discarding decrypts nothing, like purge, and the GUI that holds
 * the PIN is the officer's way; --yes stands for the GUI's confirmation. */
int
fk_ctl_queue_discard (FkCtl *ctl, int argc, char **argv)
{
  gboolean yes = FALSE;
  const GOptionEntry entries[] = {
    { "yes", 0, 0, G_OPTION_ARG_NONE, &yes, N_ ("Confirm that the dossier is erased for good"),
      NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = fk_ctl_option_context_new (ctl, entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (FkOutboxEntry) entry = NULL;

  g_option_context_set_description (
    context, _ ("Only a dossier the server refused (quarantined) can be discarded. Its sealed "
                "content and files are erased; the dossier ID, procedure, dates and the reason "
                "stay for the audit log and the reports."));
  if (!fk_ctl_parse_options (ctl, context, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (argc != 2)
    return fk_ctl_usage_error (ctl, "%s", _ ("Give one dossier ID."));
  if (!yes)
    return fk_ctl_usage_error (ctl, "%s",
                               _ ("Discarding erases the dossier for good: add --yes to confirm."));
  store = open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail (ctl, exit_code_for (error), error);
  entry = fk_outbox_get (store, argv[1], &error);
  if (entry == NULL ||
      !fk_outbox_transition (store, entry->id, FK_OUTBOX_DISCARDED, NULL, NULL, &error))
    return fk_ctl_fail (ctl, exit_code_for (error), error);
  g_print (_ ("Dossier %s discarded.\n"), entry->id);
  return FK_CTL_EXIT_OK;
}

int
fk_ctl_admin_retention (FkCtl *ctl, int argc, char **argv)
{
  int days = -1;
  const GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_INT, &days,
      N_ ("Days a delivered dossier stays on the device (default 30)"), N_ ("DAYS") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = fk_ctl_option_context_new (ctl, entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;

  g_option_context_set_description (context,
                                    _ ("Setting it is authorised by the recovery code, like "
                                       "reset-pin (FIELDKIT_RECOVERY_CODE or the terminal)."));
  if (!fk_ctl_parse_options (ctl, context, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  store = open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail (ctl, exit_code_for (error), error);
  if (days >= 0)
    {
      g_autoptr (Secret) code =
        get_secret ("FIELDKIT_RECOVERY_CODE", _ ("Recovery code: "), &error);

      if (code == NULL || !fk_store_check_recovery_code (store, code, &error) ||
          !fk_store_set_retention (store, (gint64) days * 24 * 3600, &error))
        return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
    }
  g_print (g_dngettext (GETTEXT_PACKAGE, "Delivered dossiers are kept %lld day.\n",
                        "Delivered dossiers are kept %lld days.\n",
                        (gulong) (fk_store_get_retention (store) / (24 * 3600))),
           (long long) (fk_store_get_retention (store) / (24 * 3600)));
  return FK_CTL_EXIT_OK;
}
