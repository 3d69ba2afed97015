/* fk-practice.c: the practice profile's store and invented citizens
 *
 * The practice profile is a store of its own in `practice/` under the data
 * folder, with its own device key, its setting FK_STORE_PRACTICE_SETTING
 * at "1" from the moment it is made (its receipts carry the practice band,
 * what it would upload is marked practice and refused by the server), and
 * dossiers sealed to a server key nobody holds: the secret half is thrown
 * away at creation, so a practice dossier opens on no server at all. The
 * real store is never opened for writing by practice.
 *
 * Nothing real is kept there, so its PIN is known (FK_PRACTICE_PIN) and
 * costs the least Argon2id: entering practice takes no second.
 *
 * The invented citizens come from `practice/citizens.json` in the app's
 * resources, or from the file `FIELDKIT_PRACTICE_CITIZENS` names (a team's
 * own set); a damaged file is refused as a whole with its name and what is
 * wrong.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <sodium.h>

#include "fk-practice.h"
#include "fk-settings.h"
#include "fk-vault.h"

#define MAX_CITIZENS 100
#define MAX_TEXT     600

void
fk_practice_citizen_free (FkPracticeCitizen *citizen)
{
  if (citizen == NULL)
    return;
  g_free (citizen->name);
  g_free (citizen->payload);
  g_free (citizen->finger);
  g_free (citizen->note);
  g_free (citizen);
}

/**
 * fk_practice_get_dir:
 *
 * Returns: (transfer full): the practice profile's folder, `practice/`
 *   in the data folder; its store is in `store/` there.
 */
char *
fk_practice_get_dir (void)
{
  g_autofree char *data = fk_settings_get_data_dir ();

  return g_build_filename (data, "practice", NULL);
}

static FkStore *
create_store (const char *dir, GError **error)
{
  guint8 server_pk[FK_VAULT_PUBLIC_KEY_BYTES];
  guint8 server_sk[crypto_box_SECRETKEYBYTES];
  FkStoreInitOptions options = { 0 };
  g_autoptr (FkStore) store = NULL;
  char *recovery = NULL;

  /* Sealed to a key nobody keeps: a practice dossier opens nowhere. */
  crypto_box_keypair (server_pk, server_sk);
  sodium_memzero (server_sk, sizeof server_sk);
  options.server_public_key = server_pk;
  options.pin = FK_PRACTICE_PIN;
  options.pin_opslimit = crypto_pwhash_OPSLIMIT_MIN;
  options.pin_memlimit = crypto_pwhash_MEMLIMIT_MIN;
  store = fk_store_create (dir, &options, &recovery, error);
  if (recovery != NULL)
    {
      sodium_memzero (recovery, strlen (recovery));
      g_free (recovery);
    }
  if (store == NULL)
    return NULL;
  /* Wrong PINs are practised too: short waits, never a lock-out. */
  if (!fk_store_set_setting (store, FK_STORE_PRACTICE_SETTING, "1", error) ||
      !fk_store_set_pin_policy (store, G_MAXINT32, 5, 5, error))
    return NULL;
  return g_steal_pointer (&store);
}

static void
open_store_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autofree char *practice = fk_practice_get_dir ();
  g_autofree char *dir = g_build_filename (practice, "store", NULL);
  GError *error = NULL;
  g_autoptr (FkStore) store = fk_store_open (dir, FK_STORE_OPEN_DEFAULT, &error);

  if (store == NULL && g_error_matches (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_INITIALIZED))
    {
      g_clear_error (&error);
      store = create_store (dir, &error);
    }
  if (store != NULL && !fk_store_is_practice (store))
    {
      g_clear_object (&store);
      g_set_error (&error, FK_STORE_ERROR, FK_STORE_ERROR_FAILED,
                   _ ("The folder %s holds a store that is not a practice store; move it away "
                      "to practise."),
                   dir);
    }
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The volunteer unlocks it like the real one. */
  fk_store_lock (store);
  g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
}

/**
 * fk_practice_open_store_async:
 *
 * Opens the practice store, making it the first time (in a worker
 * thread). It comes back locked: its PIN is FK_PRACTICE_PIN.
 */
void
fk_practice_open_store_async (GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, fk_practice_open_store_async);
  g_task_run_in_thread (task, open_store_thread);
}

/* Returns: (transfer full): the practice store, locked */
FkStore *
fk_practice_open_store_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_practice_open_store_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- invented citizens ------------------------------------------------ */

static gboolean
damaged (GError **error, const char *origin, const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               /* Translators: %s: a file; %s: what is wrong in it */
               _ ("The practice citizens in %s cannot be used: %s. Fix the file, or reinstall "
                  "FieldKit for the citizens it ships."),
               origin, what);
  return FALSE;
}

static const char *
member_text (JsonObject *obj, const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);
  const char *text;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  text = json_node_get_string (node);
  return *text != '\0' && g_utf8_strlen (text, -1) <= MAX_TEXT ? text : NULL;
}

static gboolean
is_file_name (const char *name)
{
  return name != NULL && strchr (name, '/') == NULL && strcmp (name, "..") != 0 &&
         strcmp (name, ".") != 0;
}

static FkPracticeCitizen *
parse_citizen (JsonNode *node, const char *base, guint index, const char *origin, GError **error)
{
  g_autoptr (FkPracticeCitizen) citizen = g_new0 (FkPracticeCitizen, 1);
  g_autofree char *what = NULL;
  JsonObject *obj;
  const char *finger;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    what = g_strdup_printf (_ ("citizen %u is not an object"), index + 1);
  else
    {
      obj = json_node_get_object (node);
      finger = member_text (obj, "finger");
      citizen->name = g_strdup (member_text (obj, "name"));
      citizen->payload = g_strdup (member_text (obj, "payload"));
      citizen->note = g_strdup (member_text (obj, "note"));
      if (citizen->name == NULL || citizen->payload == NULL)
        what = g_strdup_printf (_ ("citizen %u has no name or no card payload"), index + 1);
      else if (!is_file_name (finger))
        what = g_strdup_printf (_ ("citizen %u names no fingerprint file"), index + 1);
      else
        citizen->finger = g_strconcat (base, "/", finger, NULL);
    }
  if (what != NULL)
    {
      damaged (error, origin, what);
      return NULL;
    }
  return g_steal_pointer (&citizen);
}

/**
 * fk_practice_parse_citizens:
 * @json: the file's bytes: `{"citizens": [{"name", "payload", "finger",
 *   "note"}…]}`
 * @origin: (nullable): the file it came from, for messages and for the
 *   prints beside it; %NULL for the shipped resource
 *
 * Returns: (transfer full) (element-type FkPracticeCitizen): the citizens,
 *   or %NULL with a %G_IO_ERROR_INVALID_DATA naming the file and the fault
 */
GPtrArray *
fk_practice_parse_citizens (GBytes *json, const char *origin, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GPtrArray) citizens =
    g_ptr_array_new_with_free_func ((GDestroyNotify) fk_practice_citizen_free);
  g_autoptr (GError) local = NULL;
  g_autofree char *base = NULL;
  const char *where = origin != NULL ? origin : FK_PRACTICE_CITIZENS_RESOURCE;
  gsize len = 0;
  const char *data = g_bytes_get_data (json, &len);
  JsonNode *root, *list;

  if (!g_utf8_validate (data, (gssize) len, NULL))
    {
      damaged (error, where, _ ("it is not UTF-8 text"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local))
    {
      /* Translators: %s: the JSON parser's own words, with the line */
      g_autofree char *what = g_strdup_printf (_ ("it is not valid JSON (%s)"), local->message);

      damaged (error, where, what);
      return NULL;
    }
  root = json_parser_get_root (parser);
  list = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
           ? json_object_get_member (json_node_get_object (root), "citizens")
           : NULL;
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list) ||
      json_array_get_length (json_node_get_array (list)) == 0 ||
      json_array_get_length (json_node_get_array (list)) > MAX_CITIZENS)
    {
      damaged (error, where, _ ("it holds no list of 1 to 100 citizens"));
      return NULL;
    }
  if (origin != NULL)
    {
      g_autoptr (GFile) file = g_file_new_for_path (origin);
      g_autoptr (GFile) parent = g_file_get_parent (file);

      base = g_file_get_uri (parent);
    }
  else
    base = g_strdup ("resource:///vn/fieldkit/app/practice");
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      FkPracticeCitizen *citizen = parse_citizen (
        json_array_get_element (json_node_get_array (list), i), base, i, where, error);

      if (citizen == NULL)
        return NULL;
      g_ptr_array_add (citizens, citizen);
    }
  return g_steal_pointer (&citizens);
}

/**
 * fk_practice_load_citizens:
 *
 * The invented citizens: the file `FIELDKIT_PRACTICE_CITIZENS` names, else
 * the ones FieldKit ships.
 *
 * Returns: (transfer full) (element-type FkPracticeCitizen): the citizens,
 *   or %NULL with an error a trainer can act on
 */
GPtrArray *
fk_practice_load_citizens (GError **error)
{
  const char *path = g_getenv ("FIELDKIT_PRACTICE_CITIZENS");
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) local = NULL;

  if (path == NULL || *path == '\0')
    {
      bytes = g_resources_lookup_data (FK_PRACTICE_CITIZENS_RESOURCE, 0, &local);
      if (bytes == NULL)
        {
          damaged (error, FK_PRACTICE_CITIZENS_RESOURCE, local->message);
          return NULL;
        }
      return fk_practice_parse_citizens (bytes, NULL, error);
    }
  {
    g_autoptr (GFile) file = g_file_new_for_path (path);

    bytes = g_file_load_bytes (file, NULL, NULL, &local);
  }
  if (bytes == NULL)
    {
      damaged (error, path, local->message);
      return NULL;
    }
  return fk_practice_parse_citizens (bytes, path, error);
}

/**
 * fk_practice_write_finger:
 * @dir: where to write it (created if missing)
 *
 * The simulated fingerprint reader is pressed with a file: the citizen's
 * print is copied there.
 *
 * Returns: (transfer full): the file's path, or %NULL with an error naming
 *   the print
 */
char *
fk_practice_write_finger (const FkPracticeCitizen *citizen, const char *dir, GError **error)
{
  g_autoptr (GFile) source = g_file_new_for_uri (citizen->finger);
  g_autofree char *name = g_file_get_basename (source);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) local = NULL;

  bytes = g_file_load_bytes (source, NULL, NULL, &local);
  if (bytes == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _ ("The fingerprint of the practice citizen %s cannot be read: %s"),
                   citizen->name, local->message);
      return NULL;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes),
                            &local))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _ ("The practice fingerprint cannot be written in %s: %s"), dir,
                   local != NULL ? local->message : g_strerror (errno));
      return NULL;
    }
  return g_steal_pointer (&path);
}
