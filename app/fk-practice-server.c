/* fk-practice-server.c: the practice profile's own intake server
 *
 * Practice dossiers are sent for real, to a server of their own: the app
 * runs `fieldkit-server serve --practice` (docs/server.md) as its child on
 * 127.0.0.1, port picked by the system, with its SQLite database and keys
 * in `practice/server/` of the data folder. The practice store seals to
 * that server's key (fk_practice_server_prepare(), keygen the first time)
 * and its device key is enrolled there before serving; nothing is typed.
 * A practice server takes practice dossiers only, as the intake server
 * takes real ones only, so the two never mix.
 *
 * The child gets SIGTERM when practice ends, when the app quits, and from
 * the kernel if the app dies first (PR_SET_PDEATHSIG).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sys/prctl.h>

#include "fk-practice-server.h"
#include "fk-practice.h"

struct _FkPracticeServer
{
  GObject parent_instance;

  GCancellable *cancellable;
  GSubprocess *child;    /* serving */
  GDataInputStream *out; /* its stdout: the address it listens on */
};

G_DEFINE_FINAL_TYPE (FkPracticeServer, fk_practice_server, G_TYPE_OBJECT)

static char *
server_file (const char *name)
{
  g_autofree char *practice = fk_practice_get_dir ();

  return g_build_filename (practice, "server", name, NULL);
}

/* The program, or NULL with an error saying where it was looked for */
static char *
find_program (GError **error)
{
  const char *env = g_getenv (FK_PRACTICE_SERVER_ENV);
  g_autofree char *path = NULL;

  path = env != NULL && *env != '\0' ? g_strdup (env) : g_find_program_in_path ("fieldkit-server");
  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   /* Translators: %s: where the program was looked for */
                   _ ("fieldkit-server is not installed (%s)"), path != NULL ? path : "PATH");
      return NULL;
    }
  return g_steal_pointer (&path);
}

/* Its own configuration: the system's (/etc/fieldkit/server.conf) is not
 * read. */
static gboolean
write_config (GError **error)
{
  g_autofree char *dir = server_file (NULL);
  g_autofree char *conf = server_file ("server.conf");
  g_autofree char *db = server_file ("server.db");
  g_autofree char *keys = server_file ("keys");
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  const char *group = "server";

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", dir,
                   g_strerror (errno));
      return FALSE;
    }
  g_key_file_set_string (kf, group, "database", db);
  g_key_file_set_string (kf, group, "keys", keys);
  g_key_file_set_string (kf, group, "listen", "127.0.0.1:0");
  g_key_file_set_boolean (kf, group, "practice", TRUE);
  /* One tablet, one device: few threads. */
  g_key_file_set_integer (kf, group, "workers", 2);
  g_key_file_set_integer (kf, group, "db-connections", 1);
  g_key_file_set_integer (kf, group, "shutdown-timeout", 2);
  return g_key_file_save_to_file (kf, conf, error);
}

/* Runs `fieldkit-server --config … ARGS…` to its end. */
static char *
run (const char *program, GError **error, ...)
{
  g_autofree char *conf = server_file ("server.conf");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) program);
  g_ptr_array_add (argv, (char *) "--config");
  g_ptr_array_add (argv, conf);
  va_start (args, error);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process =
    g_subprocess_newv ((const char *const *) argv->pdata,
                       G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, error))
    return NULL;
  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "fieldkit-server %s: %s",
                   (const char *) argv->pdata[3], g_strstrip (err));
      return NULL;
    }
  return g_steal_pointer (&out);
}

/**
 * fk_practice_server_prepare:
 * @box_key: (out): the practice server's sealing key
 * @verify_key: (out): the key its receipts are signed with
 *
 * Writes the practice server's configuration and makes its keys the first
 * time (`fieldkit-server keygen`); runs programs and waits: call it in a
 * worker thread.
 *
 * Returns: %FALSE with an error when there is no practice server (not
 *   installed, or its keys cannot be made)
 */
gboolean
fk_practice_server_prepare (guint8 box_key[FK_SYNC_KEY_BYTES], guint8 verify_key[FK_SYNC_KEY_BYTES],
                            GError **error)
{
  g_autofree char *program = find_program (error);
  g_autofree char *keys = server_file ("keys");
  g_autofree char *pub = g_build_filename (keys, "server.pub", NULL);
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;

  if (program == NULL || !write_config (error))
    return FALSE;
  if (!g_file_test (pub, G_FILE_TEST_EXISTS) &&
      (out = run (program, error, "keygen", "--out", keys, NULL)) == NULL)
    return FALSE;
  return g_file_get_contents (pub, &text, NULL, error) &&
         fk_sync_server_pub_parse (text, box_key, verify_key, error);
}

FkPracticeServer *
fk_practice_server_new (void)
{
  return g_object_new (FK_TYPE_PRACTICE_SERVER, NULL);
}

/* The practice device is enrolled once (in a worker thread). */
static void
enroll_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char *device = task_data;
  GError *error = NULL;
  g_autofree char *program = find_program (&error);
  g_autofree char *list = NULL;
  g_autofree char *added = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (program == NULL || (list = run (program, &error, "device", "list", "--json", NULL)) == NULL ||
      !json_parser_load_from_data (parser, list, -1, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  root = json_parser_get_root (parser);
  for (guint i = 0; root != NULL && JSON_NODE_HOLDS_ARRAY (root) &&
                    i < json_array_get_length (json_node_get_array (root));
       i++)
    {
      JsonObject *d = json_array_get_object_element (json_node_get_array (root), i);

      if (g_strcmp0 (json_object_get_string_member_with_default (d, "pubkey", ""), device) == 0)
        {
          g_task_return_pointer (task, g_steal_pointer (&program), g_free);
          return;
        }
    }
  added = run (program, &error, "device", "add", "--pubkey", device, "--name", "practice", NULL);
  if (added == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&program), g_free);
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
line_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  FkPracticeServer *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *line =
    g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &error);

  if (line == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _ ("fieldkit-server stopped before it listened (%s)"),
                               error != NULL ? error->message : _ ("see the log"));
      return;
    }
  /* "listening http://127.0.0.1:PORT/", once it serves */
  if (g_str_has_prefix (line, "listening "))
    {
      g_task_return_pointer (task, g_strdup (line + strlen ("listening ")), g_free);
      return;
    }
  g_data_input_stream_read_line_async (self->out, G_PRIORITY_DEFAULT, self->cancellable, line_read,
                                       g_steal_pointer (&task));
}

static void
enrolled (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  FkPracticeServer *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *program = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *conf = server_file ("server.conf");
  g_autoptr (GSubprocessLauncher) launcher = NULL;

  if (program == NULL || g_task_return_error_if_cancelled (task))
    {
      if (program == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Spawned from the main thread: PR_SET_PDEATHSIG follows the thread. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  self->child = g_subprocess_launcher_spawn (launcher, &error, program, "--config", conf, "serve",
                                             "--practice", NULL);
  if (self->child == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->child));
  g_data_input_stream_read_line_async (self->out, G_PRIORITY_DEFAULT, self->cancellable, line_read,
                                       g_steal_pointer (&task));
}

/**
 * fk_practice_server_start_async:
 * @store: the practice store, whose device key is enrolled
 *
 * Enrolls the practice device and starts the server; finishes with the
 * address it listens on. fk_practice_server_prepare() ran before.
 */
void
fk_practice_server_start_async (FkPracticeServer *self, FkStore *store,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, callback, user_data);
  g_autoptr (GTask) enroll = g_task_new (self, self->cancellable, enrolled, g_object_ref (task));

  g_task_set_source_tag (task, fk_practice_server_start_async);
  g_task_set_task_data (
    enroll, fk_device_key_get_public_key_base64 (fk_store_get_device_key (store)), g_free);
  g_task_run_in_thread (enroll, enroll_thread);
}

/* Returns: (transfer full): the server's address, http://127.0.0.1:PORT/ */
char *
fk_practice_server_start_finish (FkPracticeServer *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * fk_practice_server_stop:
 *
 * Stops the server: SIGTERM, and waits for it to end (it finishes the
 * requests in flight, two seconds at most). A start under way is given up.
 */
void
fk_practice_server_stop (FkPracticeServer *self)
{
  g_autoptr (GError) error = NULL;

  g_cancellable_cancel (self->cancellable);
  if (self->child == NULL)
    return;
  g_subprocess_send_signal (self->child, SIGTERM);
  if (!g_subprocess_wait (self->child, NULL, &error))
    g_warning ("The practice server did not stop: %s", error->message);
  g_clear_object (&self->out);
  g_clear_object (&self->child);
}

static void
fk_practice_server_dispose (GObject *object)
{
  FkPracticeServer *self = FK_PRACTICE_SERVER (object);

  fk_practice_server_stop (self);
  G_OBJECT_CLASS (fk_practice_server_parent_class)->dispose (object);
}

static void
fk_practice_server_finalize (GObject *object)
{
  FkPracticeServer *self = FK_PRACTICE_SERVER (object);

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (fk_practice_server_parent_class)->finalize (object);
}

static void
fk_practice_server_class_init (FkPracticeServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fk_practice_server_dispose;
  object_class->finalize = fk_practice_server_finalize;
}

static void
fk_practice_server_init (FkPracticeServer *self)
{
  self->cancellable = g_cancellable_new ();
}
