/* fk-test-server.c: run the real fieldkit-server from tests and benches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-test-server.h"

#include <gio/gio.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sqlite3.h>
#include <string.h>

const char *
fk_test_server_binary (void)
{
  static char *path;

  if (path == NULL)
    path = g_build_filename (g_getenv ("FK_BUILD_ROOT"), "server", "fieldkit-server", NULL);
  return path;
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Like g_subprocess_newv(), but the child is killed when the test dies,
 * so an aborted test leaves no server or proxy behind. */
GSubprocess *
fk_test_spawn (const char *const *argv, GSubprocessFlags flags, GError **error)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  return g_subprocess_launcher_spawnv (launcher, argv, error);
}

guint16
fk_test_free_port (void)
{
  g_autoptr (GSocket) sock =
    g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_nonnull (sock);
  g_assert_true (g_socket_bind (sock, addr, TRUE, NULL));
  bound = g_socket_get_local_address (sock, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

char *
fk_test_run (int expected_status, const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) p = g_subprocess_newv (
    argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (p, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (p) != expected_status)
    g_error ("%s exited %d (expected %d): %s%s", argv[0], g_subprocess_get_exit_status (p),
             expected_status, out, err);
  return g_steal_pointer (&out);
}

FkTestServer *
fk_test_server_new (const char *dir, const char *db_uri)
{
  FkTestServer *self = g_new0 (FkTestServer, 1);
  g_autofree char *pub_path = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *out = NULL;

  self->dir = g_strdup (dir);
  self->keys_dir = g_build_filename (dir, "keys", NULL);
  self->db_uri = db_uri != NULL ? g_strdup (db_uri) : g_build_filename (dir, "db.sqlite", NULL);
  g_mkdir_with_parents (dir, 0700);
  {
    const char *argv[] = { fk_test_server_binary (), "keygen", "--out", self->keys_dir, NULL };

    out = fk_test_run (0, argv);
  }
  pub_path = g_build_filename (self->keys_dir, "server.pub", NULL);
  g_assert_true (g_file_get_contents (pub_path, &pub, NULL, NULL));
  g_assert_true (fk_sync_server_pub_parse (pub, self->box_key, self->verify_key, NULL));
  return self;
}

char *
fk_test_server_ctl (FkTestServer *self, int expected_status, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  va_list ap;
  const char *arg;

  g_ptr_array_add (argv, (char *) fk_test_server_binary ());
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, self->db_uri);
  g_ptr_array_add (argv, "--keys");
  g_ptr_array_add (argv, self->keys_dir);
  va_start (ap, expected_status);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  return fk_test_run (expected_status, (const char *const *) argv->pdata);
}

void
fk_test_server_start (FkTestServer *self, ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  va_list ap;
  const char *arg;

  va_start (ap, self);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  fk_test_server_startv (self, (const char *const *) args->pdata);
}

void
fk_test_server_startv (FkTestServer *self, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) data = NULL;
  g_autofree char *line = NULL;

  g_assert_null (self->process);
  if (self->port == 0)
    self->port = fk_test_free_port ();
  g_ptr_array_add (argv, g_strdup (fk_test_server_binary ()));
  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_strdup (self->db_uri));
  g_ptr_array_add (argv, g_strdup ("--keys"));
  g_ptr_array_add (argv, g_strdup (self->keys_dir));
  g_ptr_array_add (argv, g_strdup ("serve"));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", self->port));
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  /* The port of a server just killed may linger a moment: retry. */
  for (guint attempt = 0; attempt < 50; attempt++)
    {
      g_clear_object (&self->process);
      g_clear_object (&data);
      g_clear_error (&error);
      self->process =
        fk_test_spawn ((const char *const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
      g_assert_no_error (error);
      data = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
      line = g_data_input_stream_read_line (data, NULL, NULL, &error);
      if (line != NULL && g_str_has_prefix (line, "listening "))
        break;
      g_clear_pointer (&line, g_free);
      g_subprocess_wait (self->process, NULL, NULL);
      g_usleep (100 * 1000);
    }
  g_assert_nonnull (line);
  g_free (self->url);
  self->url = g_strdup (line + strlen ("listening "));
}

void
fk_test_server_stop (FkTestServer *self, gboolean kill)
{
  if (self->process == NULL)
    return;
  if (kill)
    g_subprocess_force_exit (self->process);
  else
    g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait (self->process, NULL, NULL);
  g_clear_object (&self->process);
}

void
fk_test_server_free (FkTestServer *self)
{
  if (self == NULL)
    return;
  fk_test_server_stop (self, TRUE);
  g_free (self->dir);
  g_free (self->db_uri);
  g_free (self->keys_dir);
  g_free (self->url);
  g_free (self);
}

/* One integer from the server's database, SQLite or PostgreSQL. */
gint64
fk_test_server_query_int (FkTestServer *self, const char *sql)
{
  gint64 n = 0;

  if (g_str_has_prefix (self->db_uri, "postgresql://"))
    {
      PGconn *conn = PQconnectdb (self->db_uri);
      PGresult *res;

      g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
      res = PQexec (conn, sql);
      g_assert_cmpint (PQresultStatus (res), ==, PGRES_TUPLES_OK);
      if (PQntuples (res) > 0)
        n = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
      PQclear (res);
      PQfinish (conn);
    }
  else
    {
      sqlite3 *db = NULL;
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_open_v2 (self->db_uri, &db, SQLITE_OPEN_READONLY, NULL), ==,
                       SQLITE_OK);
      sqlite3_busy_timeout (db, 5000);
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      sqlite3_close (db);
    }
  return n;
}

void
fk_test_server_exec (FkTestServer *self, const char *sql)
{
  if (g_str_has_prefix (self->db_uri, "postgresql://"))
    {
      PGconn *conn = PQconnectdb (self->db_uri);
      PGresult *res;

      g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
      res = PQexec (conn, sql);
      g_assert_cmpint (PQresultStatus (res), ==, PGRES_COMMAND_OK);
      PQclear (res);
      PQfinish (conn);
    }
  else
    {
      sqlite3 *db = NULL;

      g_assert_cmpint (sqlite3_open (self->db_uri, &db), ==, SQLITE_OK);
      sqlite3_busy_timeout (db, 5000);
      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
    }
}

char *
fk_test_dossier_json (const char *uuid)
{
  return g_strdup_printf (
    "{\"schema\": 1, \"id\": \"%s\", \"procedure\": \"birth-registration\", "
    "\"created\": \"2026-11-24T08:30:00Z\", \"citizen\": {\"id_number\": \"001099012345\", "
    "\"full_name\": \"Nguyễn Thị Hoà Bình\", \"birth_date\": \"1999-03-14\", \"sex\": "
    "\"female\", \"address\": \"Thôn Nà Phặc, xã Bằng Thành\"}, \"fields\": {\"child_name\": "
    "\"Lò Văn Khánh\"}}",
    uuid);
}

static char *
http_get (guint16 port, const char *path)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *request =
    g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path);
  g_autoptr (GByteArray) answer = g_byte_array_new ();
  guint8 buf[8192];
  gssize n;

  conn = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)),
                                            request, strlen (request), NULL, NULL, &error));
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buf,
                                   sizeof buf, NULL, &error)) > 0)
    g_byte_array_append (answer, buf, (guint) n);
  g_assert_no_error (error);
  g_byte_array_append (answer, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&answer), FALSE);
}

double
fk_test_server_metric (FkTestServer *self, const char *name, const char *contains)
{
  g_autofree char *answer = http_get (self->port, "/metrics");
  const char *body = strstr (answer, "\r\n\r\n");
  g_auto (GStrv) lines = NULL;
  double total = 0;

  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200"));
  g_assert_nonnull (body);
  lines = g_strsplit (body + 4, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *space = strrchr (lines[i], ' ');
      gsize name_len = strlen (name);

      if (lines[i][0] == '#' || space == NULL || strncmp (lines[i], name, name_len) != 0 ||
          (lines[i][name_len] != '{' && lines[i][name_len] != ' '))
        continue;
      if (contains != NULL && g_strstr_len (lines[i], space - lines[i], contains) == NULL)
        continue;
      total += g_ascii_strtod (space + 1, NULL);
    }
  return total;
}

guint
fk_test_server_get_status (FkTestServer *self, const char *path)
{
  g_autofree char *answer = http_get (self->port, path);

  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 "));
  return (guint) g_ascii_strtoull (answer + strlen ("HTTP/1.1 "), NULL, 10);
}
