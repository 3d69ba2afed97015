/* fk-test-device.c: a real device store, a real fieldkit-ctl sync and the
 * fault proxy, for the sync tests and benches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-test-device.h"

#include <string.h>

#include "fk-outbox.h"
#include "fk-test-store.h"

GPtrArray *
fk_test_device_new (const char *dir, const guint8 box_key[FK_SYNC_KEY_BYTES], guint n,
                    guint n_photos, gsize photo_size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autofree char *recovery = NULL;
  FkStoreInitOptions options = { 0 };
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  options.server_public_key = box_key;
  options.pin = FK_TEST_PIN;
  options.pin_opslimit = 1;
  options.pin_memlimit = 8192;
  store = fk_store_create (dir, &options, &recovery, &error);
  g_assert_no_error (error);
  g_assert_true (fk_store_unlock (store, FK_TEST_PIN, &error));
  for (guint i = 0; i < n; i++)
    {
      char *id =
        fk_test_commit (store, dir, FK_TEST_DOSSIER_JSON, n_photos, photo_size, NULL, &error);

      g_assert_no_error (error);
      g_ptr_array_add (ids, id);
    }
  return ids;
}

char *
fk_test_device_key (const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = fk_store_open (dir, FK_STORE_OPEN_SHARED, &error);

  g_assert_no_error (error);
  return fk_device_key_get_public_key_base64 (fk_store_get_device_key (store));
}

static const char *
ctl_binary (void)
{
  static char *path;

  if (path == NULL)
    path = g_build_filename (g_getenv ("FK_BUILD_ROOT"), "cli", "fieldkit-ctl", NULL);
  return path;
}

static char **sync_prefix;

void
fk_test_sync_set_prefix (const char *const *prefix)
{
  g_strfreev (sync_prefix);
  sync_prefix = g_strdupv ((char **) prefix);
}

GSubprocess *
fk_test_sync_start (const char *dir, const char *url, const char *server_pub, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  GSubprocess *p;
  va_list ap;
  const char *arg;

  for (guint i = 0; sync_prefix != NULL && sync_prefix[i] != NULL; i++)
    g_ptr_array_add (argv, sync_prefix[i]);
  g_ptr_array_add (argv, (char *) ctl_binary ());
  g_ptr_array_add (argv, "--data");
  g_ptr_array_add (argv, (char *) dir);
  g_ptr_array_add (argv, "sync");
  g_ptr_array_add (argv, "--server");
  g_ptr_array_add (argv, (char *) url);
  g_ptr_array_add (argv, "--json");
  if (server_pub != NULL)
    {
      g_ptr_array_add (argv, "--server-key");
      g_ptr_array_add (argv, (char *) server_pub);
    }
  va_start (ap, server_pub);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  p = fk_test_spawn ((const char *const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  return p;
}

JsonObject *
fk_test_sync_finish (GSubprocess *process, int *status)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autoptr (JsonNode) node = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  if (out == NULL || out[0] == '\0')
    return NULL;
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

guint
fk_test_count_state (const char *device_dir, FkOutboxState state)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = fk_store_open (device_dir, FK_STORE_OPEN_SHARED, &error);
  g_autoptr (GPtrArray) list = NULL;

  g_assert_no_error (error);
  list = fk_outbox_list (store, state, &error);
  g_assert_no_error (error);
  return list->len;
}

static void
assert_file_equals (const char *path, GBytes *expected)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpmem (contents, len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}
/* The export names attachment N "NN-kind.ext"; the extension depends on
 * the content. */
static char *
find_exported (const char *out_dir, const char *id, guint n, const char *kind)
{
  g_autofree char *dir = g_build_filename (out_dir, id, NULL);
  g_autofree char *prefix = g_strdup_printf ("%02u-%s.", n, kind);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix))
      return g_build_filename (dir, name, NULL);
  g_error ("no exported file %s* in %s", prefix, dir);
  return NULL;
}

static void
assert_device_delivered (const char *out_dir, const char *device_dir, GPtrArray *ids)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = fk_store_open (device_dir, FK_STORE_OPEN_SHARED, &error);

  g_assert_no_error (error);
  g_assert_true (fk_store_unlock (store, FK_TEST_PIN, &error));
  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = ids->pdata[i];
      g_autoptr (FkOutboxEntry) entry = fk_outbox_get (store, id, &error);
      g_autoptr (GPtrArray) parts = fk_outbox_list_parts (store, id, &error);
      g_autoptr (FkDossier) device_dossier = fk_store_read_dossier (store, id, &error);
      g_autoptr (JsonNode) device_json = NULL;
      g_autofree char *json_path = g_build_filename (out_dir, id, "dossier.json", NULL);
      g_autoptr (JsonNode) exported = NULL;
      g_autofree char *json_text = NULL;

      g_assert_no_error (error);
      device_json = fk_dossier_to_json (device_dossier);
      g_assert_cmpstr (fk_outbox_state_to_string (entry->state), ==,
                       fk_outbox_state_to_string (FK_OUTBOX_DELIVERED));
      g_assert_true (g_file_get_contents (json_path, &json_text, NULL, NULL));
      exported = json_from_string (json_text, &error);
      g_assert_no_error (error);
      g_assert_true (json_node_equal (exported, device_json));
      for (guint p = 1; p < parts->len; p++)
        {
          const FkOutboxPart *part = parts->pdata[p];
          g_autoptr (GOutputStream) mem = g_memory_output_stream_new_resizable ();
          g_autoptr (GBytes) bytes = NULL;
          g_autofree char *path = find_exported (out_dir, id, p, part->kind);

          g_assert_true (fk_store_read_attachment (store, id, p - 1, mem, NULL, NULL, &error));
          g_assert_no_error (error);
          g_output_stream_close (mem, NULL, NULL);
          bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
          assert_file_equals (path, bytes);
        }
    }
}

void
fk_test_assert_exactly_once_all (FkTestServer *server, GPtrArray *device_dirs, GPtrArray *ids)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out_dir = g_dir_make_tmp ("fk-export-XXXXXX", &error);
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;
  g_autoptr (GDir) dir = NULL;
  guint n_folders = 0, total = 0;

  g_assert_no_error (error);
  for (guint d = 0; d < ids->len; d++)
    total += ((GPtrArray *) ids->pdata[d])->len;
  out = fk_test_server_ctl (server, 0, "export", "--out", out_dir, NULL);
  expected = g_strdup_printf ("%u ", total);
  /* The export holds every dossier the server ever accepted: no extra one. */
  g_assert_true (g_str_has_prefix (out, expected));
  dir = g_dir_open (out_dir, 0, NULL);
  while (g_dir_read_name (dir) != NULL)
    n_folders++;
  g_assert_cmpuint (n_folders, ==, total);
  for (guint d = 0; d < device_dirs->len; d++)
    assert_device_delivered (out_dir, device_dirs->pdata[d], ids->pdata[d]);
  fk_test_rm_rf (out_dir);
}

void
fk_test_assert_exactly_once (FkTestServer *server, const char *device_dir, GPtrArray *ids)
{
  g_autoptr (GPtrArray) dirs = g_ptr_array_new ();
  g_autoptr (GPtrArray) all = g_ptr_array_new ();

  g_ptr_array_add (dirs, (char *) device_dir);
  g_ptr_array_add (all, ids);
  fk_test_assert_exactly_once_all (server, dirs, all);
}

FkTestProxy *
fk_test_proxy_new (guint16 target_port)
{
  FkTestProxy *self = g_new0 (FkTestProxy, 1);
  g_autofree char *script =
    g_build_filename (g_getenv ("FK_SOURCE_ROOT"), "tests", "sync", "fk-fault-proxy.py", NULL);
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", target_port);
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;

  {
    const char *argv[] = { "/usr/bin/python3", script, target, NULL };

    self->process =
      fk_test_spawn (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  }
  g_assert_no_error (error);
  self->in = g_subprocess_get_stdin_pipe (self->process);
  self->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  line = g_data_input_stream_read_line (self->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "listening "));
  self->url = g_strdup_printf ("http://127.0.0.1:%s/", line + strlen ("listening "));
  return self;
}

char *
fk_test_proxy_command (FkTestProxy *self, const char *format, ...)
{
  g_autofree char *cmd = NULL;
  g_autofree char *line = NULL;
  g_autoptr (GError) error = NULL;
  va_list ap;

  va_start (ap, format);
  cmd = g_strdup_vprintf (format, ap);
  va_end (ap);
  line = g_strconcat (cmd, "\n", NULL);
  g_assert_true (g_output_stream_write_all (self->in, line, strlen (line), NULL, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_flush (self->in, NULL, NULL);
  g_free (line);
  line = g_data_input_stream_read_line (self->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_false (g_str_has_prefix (line, "error"));
  return g_steal_pointer (&line);
}

guint
fk_test_proxy_stat (FkTestProxy *self, const char *name)
{
  g_autofree char *stats = fk_test_proxy_command (self, "stats");
  g_autofree char *key = g_strconcat (" ", name, "=", NULL);
  const char *found = strstr (stats, key);

  g_assert_nonnull (found);
  return (guint) g_ascii_strtoull (found + strlen (key), NULL, 10);
}

guint
fk_test_proxy_cuts (FkTestProxy *self)
{
  return fk_test_proxy_stat (self, "cuts");
}

void
fk_test_proxy_free (FkTestProxy *self)
{
  if (self == NULL)
    return;
  g_output_stream_close (self->in, NULL, NULL);
  g_subprocess_force_exit (self->process);
  g_subprocess_wait (self->process, NULL, NULL);
  g_clear_object (&self->out);
  g_clear_object (&self->process);
  g_free (self->url);
  g_free (self);
}
