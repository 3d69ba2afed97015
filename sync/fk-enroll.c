/* fk-enroll.c: a new device joins its server with an enrollment code
 *
 * Order of a first start: the code is checked (signature, transport)
 * before anything is written; the store is made in a folder that held
 * nothing; the device key signs POST /v1/enroll; only a signed answer from
 * the code's server keeps the store. Any refusal, a network failure or a
 * cancellation removes the folder's new contents again: a device is
 * enrolled with a store, or it has neither.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-enroll.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "fk-sync-client.h"
#include "fk-sync-error.h"
#include "fk-uploader.h"

/* The device's own words for each refusal: never the server's text, which
 * may be in another language or from another server. */
static void
set_refusal (const FkSyncResponse *r, GError **error)
{
  const char *code = r->error_code != NULL ? r->error_code : "";

  if (strcmp (code, FK_ENROLL_CODE_USED) == 0)
    g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVITATION_USED,
                 _ ("This enrollment code was used already. Ask the commune office for a new "
                    "one."));
  else if (strcmp (code, FK_ENROLL_CODE_EXPIRED) == 0)
    g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVITATION_EXPIRED,
                 _ ("This enrollment code has expired. Ask the commune office for a new one."));
  else if (strcmp (code, FK_ENROLL_CODE_UNKNOWN) == 0)
    g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVITATION_INVALID,
                 _ ("The server does not know this enrollment code: it was changed, or made "
                    "for another server. Ask for a new one."));
  else if (strcmp (code, FK_ENROLL_CODE_OTHER_SERVER) == 0)
    g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_OTHER_SERVER,
                 _ ("The server at this address did not make this enrollment code. Ask the "
                    "administrator for a code of the right server."));
  else if (strcmp (code, FK_ENROLL_CODE_ENROLLED) == 0)
    g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CONFLICT,
                 _ ("This device is enrolled on the server already."));
  else if (fk_sync_response_outcome (r) == FK_SYNC_OUTCOME_TRANSIENT)
    g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_TRANSIENT,
                 _ ("The server could not be reached (%s). Check the network and try again."),
                 r->message != NULL ? r->message : "");
  else
    g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_REJECTED,
                 _ ("The server refused the enrollment: %s"), r->message != NULL ? r->message : "");
}

static gboolean
keep_settings (FkStore *store, const FkEnrollCode *code, const FkEnrollAnswer *answer,
               GError **error)
{
  g_autofree char *verify = fk_sync_key_to_base64 (code->verify_key);

  return fk_store_set_setting (store, FK_SYNC_SETTING_SERVER_VERIFY_KEY, verify, error) &&
         fk_store_set_setting (store, FK_SYNC_SETTING_SERVER_URL, code->url, error) &&
         fk_store_set_setting (store, FK_SYNC_SETTING_COMMUNE, answer->commune, error) &&
         fk_store_set_setting (store, FK_SYNC_SETTING_DEVICE_NAME, answer->name, error);
}

FkEnrollAnswer *
fk_sync_enroll (FkStore *store, const FkEnrollCode *code, const char *ca_file,
                guint timeout_seconds, GCancellable *cancellable, GError **error)
{
  g_autoptr (FkSyncClient) client = fk_sync_client_new (
    code->url, fk_store_get_device_key (store), timeout_seconds > 0 ? timeout_seconds : 30, error);
  g_autoptr (FkSyncResponse) r = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (FkEnrollAnswer) answer = NULL;
  gsize len = 0;
  char *json;
  const char *data;

  if (client == NULL || (ca_file != NULL && !fk_sync_client_set_ca_file (client, ca_file, error)))
    return NULL;
  json = fk_enroll_request_to_json (code, &len);
  body = g_bytes_new_with_free_func (json, len, g_free, json);
  r = fk_sync_client_send (client, "POST", FK_ENROLL_ROUTE, body, NULL, NULL, cancellable);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (r->status != 200)
    {
      set_refusal (r, error);
      return NULL;
    }
  data = g_bytes_get_data (r->body, &len);
  answer =
    fk_enroll_answer_verify (data != NULL ? data : "", len,
                             soup_message_headers_get_one (r->headers, FK_SYNC_HEADER_RECEIPT_SIG),
                             code->verify_key, fk_sync_client_get_device (client), error);
  if (answer == NULL || !keep_settings (store, code, answer, error))
    return NULL;
  return g_steal_pointer (&answer);
}

static gboolean
dir_is_empty (const char *dir, gboolean *exists, GError **error)
{
  g_autoptr (GDir) d = NULL;
  g_autoptr (GError) local = NULL;

  d = g_dir_open (dir, 0, &local);
  *exists = d != NULL;
  if (d == NULL && g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    return TRUE;
  if (d == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (g_dir_read_name (d) != NULL)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("%s is not empty: a device joins with an enrollment code only into an "
                      "empty data folder"),
                   dir);
      return FALSE;
    }
  return TRUE;
}

/* Removes everything under @path (which this module filled itself). */
static void
remove_tree (const char *path, gboolean keep_top)
{
  g_autoptr (GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  if (d != NULL)
    while ((name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child, FALSE);
        else
          g_unlink (child);
      }
  if (!keep_top)
    g_rmdir (path);
}

FkStore *
fk_enroll_new_device (const char *dir, const FkEnrollCode *code, const FkEnrollOptions *options,
                      char **out_recovery_code, FkEnrollAnswer **out_answer,
                      GCancellable *cancellable, GError **error)
{
  g_autoptr (FkStore) store = NULL;
  g_autoptr (FkEnrollAnswer) answer = NULL;
  FkStoreInitOptions init = { 0 };
  char *recovery = NULL;
  gboolean existed = FALSE;

  if (!fk_enroll_code_check_transport (code, options->allow_http, NULL, error) ||
      !dir_is_empty (dir, &existed, error))
    return NULL;
  init.server_public_key = code->box_key;
  init.pin = options->pin;
  init.pin_opslimit = options->pin_opslimit;
  init.pin_memlimit = options->pin_memlimit;
  store = fk_store_create (dir, &init, &recovery, error);
  if (store != NULL)
    answer =
      fk_sync_enroll (store, code, options->ca_file, options->timeout_seconds, cancellable, error);
  if (answer == NULL)
    {
      g_clear_object (&store);
      remove_tree (dir, existed);
      if (recovery != NULL)
        sodium_memzero (recovery, strlen (recovery));
      g_free (recovery);
      return NULL;
    }
  if (out_recovery_code != NULL)
    *out_recovery_code = recovery;
  else
    {
      sodium_memzero (recovery, strlen (recovery));
      g_free (recovery);
    }
  if (out_answer != NULL)
    *out_answer = g_steal_pointer (&answer);
  return g_steal_pointer (&store);
}

typedef struct
{
  char *dir;
  FkEnrollCode *code;
  FkEnrollOptions options;
  char *pin;
  char *ca_file;
  char *recovery;
  FkEnrollAnswer *answer;
} EnrollData;

static void
enroll_data_free (EnrollData *d)
{
  g_free (d->dir);
  fk_enroll_code_free (d->code);
  if (d->pin != NULL)
    sodium_memzero (d->pin, strlen (d->pin));
  g_free (d->pin);
  g_free (d->ca_file);
  if (d->recovery != NULL)
    sodium_memzero (d->recovery, strlen (d->recovery));
  g_free (d->recovery);
  fk_enroll_answer_free (d->answer);
  g_free (d);
}

static void
enroll_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  EnrollData *d = task_data;
  GError *error = NULL;
  FkStore *store = fk_enroll_new_device (d->dir, d->code, &d->options, &d->recovery, &d->answer,
                                         cancellable, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

void
fk_enroll_new_device_async (const char *dir, const FkEnrollCode *code,
                            const FkEnrollOptions *options, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  EnrollData *d = g_new0 (EnrollData, 1);

  g_task_set_source_tag (task, fk_enroll_new_device_async);
  d->dir = g_strdup (dir);
  d->code = fk_enroll_code_copy (code);
  d->options = *options;
  d->pin = g_strdup (options->pin);
  d->options.pin = d->pin;
  d->ca_file = g_strdup (options->ca_file);
  d->options.ca_file = d->ca_file;
  g_task_set_task_data (task, d, (GDestroyNotify) enroll_data_free);
  g_task_run_in_thread (task, enroll_thread);
}

FkStore *
fk_enroll_new_device_finish (GAsyncResult *result, char **out_recovery_code,
                             FkEnrollAnswer **out_answer, GError **error)
{
  GTask *task = G_TASK (result);
  EnrollData *d;
  FkStore *store;

  g_return_val_if_fail (g_task_get_source_tag (task) == fk_enroll_new_device_async, NULL);
  store = g_task_propagate_pointer (task, error);
  if (store == NULL)
    return NULL;
  d = g_task_get_task_data (task);
  if (out_recovery_code != NULL)
    *out_recovery_code = g_steal_pointer (&d->recovery);
  if (out_answer != NULL)
    *out_answer = g_steal_pointer (&d->answer);
  return store;
}
