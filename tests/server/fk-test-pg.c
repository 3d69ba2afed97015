/* fk-test-pg.c: a throwaway PostgreSQL cluster for the sync tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-test-pg.h"

#include <gio/gio.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <unistd.h>

#include "fk-test-server.h"

static char *pg_bin;
static char *pg_dir;
static guint16 pg_port;
static char *pg_opts;
static guint n_databases;

static char *
find_bin (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/usr/lib/postgresql", 0, NULL);
  const char *name;
  char *best = NULL;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *bin = g_build_filename ("/usr/lib/postgresql", name, "bin", NULL);
      g_autofree char *initdb = g_build_filename (bin, "initdb", NULL);
      g_autofree char *pg_ctl = g_build_filename (bin, "pg_ctl", NULL);

      if (g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE) &&
          g_file_test (pg_ctl, G_FILE_TEST_IS_EXECUTABLE))
        {
          g_free (best);
          best = g_steal_pointer (&bin);
        }
    }
  return best;
}

static GPtrArray *
as_postgres (const char *const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, "/usr/sbin/runuser");
  g_ptr_array_add (argv, "-u");
  g_ptr_array_add (argv, "postgres");
  g_ptr_array_add (argv, "--");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  return argv;
}

static void
run_as_postgres (const char *const *args)
{
  g_autoptr (GPtrArray) argv = as_postgres (args);

  g_free (fk_test_run (0, (const char *const *) argv->pdata));
}

/* Starts the cluster on a free port. The port is free when chosen, but
 * another program may take it before the server binds it (the log then
 * says "Address already in use"): then again, on another port. */
static void
start_cluster (const char *pg_ctl, const char *data, const char *log)
{
  for (guint attempt = 1;; attempt++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) argv = NULL;
      g_autoptr (GSubprocess) p = NULL;
      g_autofree char *out = NULL;

      pg_port = fk_test_free_port ();
      g_free (pg_opts);
      pg_opts = g_strdup_printf ("-h 127.0.0.1 -p %u -k %s -c fsync=off -c max_connections=50",
                                 pg_port, pg_dir);
      {
        const char *args[] = { pg_ctl, "-D", data, "-l", log, "-o", pg_opts, "-w", "start", NULL };

        argv = as_postgres (args);
      }
      p = g_subprocess_newv ((const char *const *) argv->pdata,
                             G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                             &error);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (p, NULL, NULL, &out, NULL, &error);
      g_assert_no_error (error);
      if (g_subprocess_get_exit_status (p) == 0)
        return;
      if (attempt == 5)
        {
          g_autofree char *text = NULL;

          g_file_get_contents (log, &text, NULL, NULL);
          g_error ("pg_ctl start failed 5 times: %s%s", out, text != NULL ? text : "");
        }
      g_test_message ("PostgreSQL did not start on port %u, again on another", pg_port);
    }
}

gboolean
fk_test_pg_start (char **reason)
{
  struct passwd *pw;
  g_autofree char *initdb = NULL;
  g_autofree char *pg_ctl = NULL;
  g_autofree char *data = NULL;
  g_autofree char *log = NULL;

  pg_bin = find_bin ();
  if (pg_bin == NULL)
    {
      *reason = g_strdup ("PostgreSQL server binaries (initdb, pg_ctl) are not installed");
      return FALSE;
    }
  pw = getpwnam ("postgres");
  if (pw == NULL || geteuid () != 0)
    {
      *reason = g_strdup ("needs root and a postgres user to run initdb as postgres");
      return FALSE;
    }
  /* Not under the test's TMPDIR: its parents are private to root. */
  pg_dir = g_strdup ("/tmp/fk-pg-XXXXXX");
  g_assert_nonnull (g_mkdtemp_full (pg_dir, 0700));
  g_assert_cmpint (chown (pg_dir, pw->pw_uid, pw->pw_gid), ==, 0);
  initdb = g_build_filename (pg_bin, "initdb", NULL);
  pg_ctl = g_build_filename (pg_bin, "pg_ctl", NULL);
  data = g_build_filename (pg_dir, "data", NULL);
  log = g_build_filename (pg_dir, "log", NULL);
  {
    const char *args[] = { initdb,     "-D",        data, "-A",   "trust", "-U",
                           "postgres", "--no-sync", "-E", "UTF8", NULL };

    run_as_postgres (args);
  }
  start_cluster (pg_ctl, data, log);
  /* A failed assertion aborts the test before fk_test_pg_stop(): a watcher
   * stops the cluster and removes it once this process is gone. */
  {
    g_autofree char *script = g_strdup_printf (
      "while kill -0 %d 2>/dev/null; do sleep 1; done; "
      "if [ -d '%s' ]; then /usr/sbin/runuser -u postgres -- '%s' -D '%s' -m immediate stop "
      ">/dev/null 2>&1; rm -rf '%s'; fi",
      (int) getpid (), pg_dir, pg_ctl, data, pg_dir);
    const char *argv[] = { "/bin/sh", "-c", script, NULL };
    g_autoptr (GError) error = NULL;

    g_spawn_async (NULL, (char **) argv, NULL,
                   G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL,
                   &error);
    g_assert_no_error (error);
  }
  return TRUE;
}

char *
fk_test_pg_new_database (void)
{
  g_autofree char *admin = g_strdup_printf ("postgresql://postgres@127.0.0.1:%u/postgres", pg_port);
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE fk_%u", ++n_databases);
  PGconn *conn = PQconnectdb (admin);
  PGresult *res;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  res = PQexec (conn, sql);
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_COMMAND_OK);
  PQclear (res);
  PQfinish (conn);
  return g_strdup_printf ("postgresql://postgres@127.0.0.1:%u/fk_%u", pg_port, n_databases);
}

void
fk_test_pg_stop (void)
{
  g_autofree char *pg_ctl = NULL;
  g_autofree char *data = NULL;
  g_autofree char *cmd = NULL;

  if (pg_dir == NULL)
    return;
  pg_ctl = g_build_filename (pg_bin, "pg_ctl", NULL);
  data = g_build_filename (pg_dir, "data", NULL);
  {
    const char *args[] = { pg_ctl, "-D", data, "-m", "immediate", "-w", "stop", NULL };

    run_as_postgres (args);
  }
  cmd = g_strdup_printf ("rm -rf '%s'", pg_dir);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_clear_pointer (&pg_dir, g_free);
}

void
fk_test_pg_pause (void)
{
  g_autofree char *pg_ctl = g_build_filename (pg_bin, "pg_ctl", NULL);
  g_autofree char *data = g_build_filename (pg_dir, "data", NULL);
  const char *args[] = { pg_ctl, "-D", data, "-m", "fast", "-w", "stop", NULL };

  run_as_postgres (args);
}

void
fk_test_pg_resume (void)
{
  g_autofree char *pg_ctl = g_build_filename (pg_bin, "pg_ctl", NULL);
  g_autofree char *data = g_build_filename (pg_dir, "data", NULL);
  g_autofree char *log = g_build_filename (pg_dir, "log", NULL);
  const char *args[] = { pg_ctl, "-D", data, "-l", log, "-o", pg_opts, "-w", "start", NULL };

  run_as_postgres (args);
}
