/* test-crash.c: dossiers survive SIGKILL at any moment of a commit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A child process commits dossiers in a loop and prints each UUID once its
 * commit returned; the parent kills it with SIGKILL after a random time,
 * again and again. Afterwards every reported dossier must be whole (fields
 * and every attachment decrypt and match their hashes), none duplicated,
 * no sealed file left unreferenced, the database intact.
 *
 *   test-crash [--kills=N]      (the parent, a GTest program)
 *   test-crash --child DIR SEQ  (commits dossiers SEQ, SEQ+1, …)
 */
#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fk-outbox.h"
#include "fk-store.h"
#include "fk-test-store.h"

static guint n_kills = 15;

static char *
dossier_id (guint seq)
{
  return g_strdup_printf ("00000000-0000-4000-8000-%012u", seq);
}

static guint
photos_for (guint seq)
{
  return seq % 4;
}

static gsize
photo_size (guint seq, guint i)
{
  return 40000 + ((seq * 7 + i * 13) % 5) * 30000;
}

static guint
photo_index (guint seq, guint i)
{
  return seq * 8 + i;
}

static int
run_child (const char *dir, guint seq)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = fk_store_open (dir, FK_STORE_OPEN_DEFAULT, &error);
  g_autofree char *photo_dir = NULL;

  if (store == NULL || !fk_store_unlock (store, FK_TEST_PIN, &error))
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }
  photo_dir = g_dir_make_tmp ("fk-crash-photos-XXXXXX", NULL);
  for (;; seq++)
    {
      g_autofree char *id = dossier_id (seq);
      g_autofree char *json =
        g_strdup_printf ("{\"id\": \"%s\", \"procedure\": \"" FK_TEST_PROCEDURE
                         "\", " FK_TEST_CITIZEN_JSON ", \"fields\": {\"child_name\": \"Lò Văn "
                         "Khánh %u\", \"child_birth_date\": \"2026-10-02\", \"child_sex\": "
                         "\"male\", \"child_birth_place\": \"Trạm y tế\", \"child_ethnicity\": "
                         "\"Tày\", \"child_nationality\": \"Việt Nam\", "
                         "\"submitter_relation\": \"mother\"}}",
                         id, seq);
      g_autoptr (FkDossier) dossier = fk_test_dossier (json);
      g_autoptr (GPtrArray) attachments = fk_store_attachments_new ();
      g_autofree char *got = NULL;
      g_autofree char *line = NULL;

      for (guint i = 0; i < photos_for (seq); i++)
        {
          g_autofree char *name = g_strdup_printf ("%u-%u.jpg", seq, i);
          g_autofree char *path = g_build_filename (photo_dir, name, NULL);
          g_autofree guint8 *bytes =
            fk_test_photo_bytes (photo_index (seq, i), photo_size (seq, i));
          g_autoptr (GFile) file = g_file_new_for_path (path);

          if (!g_file_set_contents (path, (char *) bytes, photo_size (seq, i), &error))
            {
              g_printerr ("child: %s\n", error->message);
              return 1;
            }
          g_ptr_array_add (attachments,
                           fk_store_attachment_new_for_file (FK_ATTACHMENT_DOCUMENT, NULL, file));
        }
      got = fk_store_commit_dossier (store, dossier, attachments, TRUE, NULL, NULL, &error);
      if (got == NULL)
        {
          g_printerr ("child: %s\n", error->message);
          return 1;
        }
      /* Reported only now that the commit is durable; one write, so a line
       * is either whole or absent. */
      line = g_strdup_printf ("%s %u\n", got, seq);
      if (write (STDOUT_FILENO, line, strlen (line)) < 0)
        return 1;
    }
}

typedef struct
{
  char *id;
  guint seq;
} Reported;

static void
check_dossier (FkStore *store, const char *id, guint seq)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkDossier) dossier = fk_store_read_dossier (store, id, &error);
  GPtrArray *attachments;

  g_assert_no_error (error);
  {
    g_autofree char *name = g_strdup_printf ("Lò Văn Khánh %u", seq);

    g_assert_cmpstr (json_object_get_string_member (fk_dossier_get_fields (dossier), "child_name"),
                     ==, name);
  }
  attachments = fk_dossier_get_attachments (dossier);
  g_assert_cmpuint (attachments->len, ==, photos_for (seq));
  for (guint i = 0; i < photos_for (seq); i++)
    {
      g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
      g_autoptr (GBytes) bytes = NULL;
      g_autofree guint8 *expected = fk_test_photo_bytes (photo_index (seq, i), photo_size (seq, i));
      FkAttachment *a = g_ptr_array_index (attachments, i);
      FkVaultFileInfo info;

      g_assert_true (fk_store_read_attachment (store, id, i, out, &info, NULL, &error));
      g_assert_no_error (error);
      g_output_stream_close (out, NULL, NULL);
      bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
      g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected,
                       photo_size (seq, i));
      g_assert_cmpstr (a->sha256, ==, info.plain_sha256);
    }
}

static gint64
count (const char *dir, const char *sql)
{
  g_autofree char *path = g_build_filename (dir, FK_STORE_DB_FILE, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static char *
integrity_check (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, FK_STORE_DB_FILE, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

/* Starts a child at @seq, kills it after @delay_us, returns its output. */
static char *
run_and_kill (const char *dir, guint seq, gulong delay_us, gboolean *exited_on_its_own)
{
  int fds[2];
  pid_t pid;
  GString *out = g_string_new (NULL);
  char buf[4096];
  ssize_t n;
  int status;

  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autofree char *seq_str = g_strdup_printf ("%u", seq);

      dup2 (fds[1], STDOUT_FILENO);
      close (fds[0]);
      close (fds[1]);
      execl ("/proc/self/exe", "test-crash", "--child", dir, seq_str, (char *) NULL);
      _exit (127);
    }
  close (fds[1]);
  g_usleep (delay_us);
  kill (pid, SIGKILL);
  while ((n = read (fds[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      g_string_append_len (out, buf, n);
  close (fds[0]);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  *exited_on_its_own = !(WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
  return g_string_free (out, FALSE);
}

static void
test_sigkill (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fk-crash-XXXXXX", NULL);
  guint8 pk[FK_VAULT_PUBLIC_KEY_BYTES], sk[FK_VAULT_SECRET_KEY_BYTES];
  g_autoptr (GHashTable) reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (FkStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autofree char *integrity = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint next_seq = 1;
  gint32 upper_us = 120000;

  store = fk_test_store_create (dir, pk, sk, NULL);
  g_clear_object (&store);

  for (guint k = 0; k < n_kills; k++)
    {
      /* Start again from the last reported dossier: committing it again
       * must not make a second one. */
      guint start = next_seq > 1 ? next_seq - 1 : 1;
      gulong delay = (gulong) g_test_rand_int_range (2000, upper_us);
      gboolean exited = FALSE;
      g_autofree char *out = run_and_kill (dir, start, delay, &exited);
      g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
      guint got = 0;

      g_assert_false (exited);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_auto (GStrv) words = NULL;

          /* The last piece has no newline: empty, since lines are written whole. */
          if (lines[i + 1] == NULL)
            {
              g_assert_cmpstr (lines[i], ==, "");
              break;
            }
          words = g_strsplit (lines[i], " ", 2);
          g_assert_cmpuint (g_strv_length (words), ==, 2);
          g_hash_table_insert (reported, g_strdup (words[0]),
                               GUINT_TO_POINTER ((guint) g_ascii_strtoull (words[1], NULL, 10)));
          next_seq = MAX (next_seq, (guint) g_ascii_strtoull (words[1], NULL, 10) + 1);
          got++;
        }
      g_test_message ("kill %u after %lu us: %u commits reported", k + 1, delay, got);
      /* A loaded machine starts the child slowly: widen the window until
       * kills land in the middle of commits, not only during start-up. */
      if (got == 0)
        upper_us = MIN (upper_us * 2, 4000000);
      else if (got > 8)
        upper_us = MAX (upper_us / 2, 60000);
    }
  g_test_message ("%u dossiers reported over %u kills", g_hash_table_size (reported), n_kills);
  g_assert_cmpuint (g_hash_table_size (reported), >, 0);

  store = fk_store_open (dir, FK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (fk_store_unlock (store, FK_TEST_PIN, &error));
  g_hash_table_iter_init (&iter, reported);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *expected_id = dossier_id (GPOINTER_TO_UINT (value));

      g_assert_cmpstr (key, ==, expected_id);
      check_dossier (store, key, GPOINTER_TO_UINT (value));
    }

  /* Each dossier once, with exactly its parts; nothing unreferenced. */
  list = fk_outbox_list (store, FK_OUTBOX_ANY_STATE, &error);
  g_assert_cmpuint (list->len, >=, g_hash_table_size (reported));
  g_assert_cmpuint (list->len, <=, g_hash_table_size (reported) + n_kills);
  for (guint i = 0; i < list->len; i++)
    {
      FkOutboxEntry *e = list->pdata[i];

      g_assert_cmpint (e->state, ==, FK_OUTBOX_QUEUED);
    }
  g_assert_cmpint (count (dir, "SELECT count(*) FROM dossiers"), ==, list->len);
  g_assert_cmpint (count (dir, "SELECT count(DISTINCT id) FROM dossiers"), ==, list->len);
  g_assert_cmpint (fk_test_count_parts (dir), ==,
                   count (dir, "SELECT (SELECT count(*) FROM dossiers) + "
                               "(SELECT count(*) FROM attachments)"));
  g_assert_true (fk_store_verify_audit (store, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  integrity = integrity_check (dir);
  g_assert_cmpstr (integrity, ==, "ok");
  fk_test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  if (argc == 4 && g_str_equal (argv[1], "--child"))
    return run_child (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--kills="))
      {
        n_kills = (guint) g_ascii_strtoull (argv[i] + strlen ("--kills="), NULL, 10);
        memmove (argv + i, argv + i + 1, (argc - i) * sizeof (char *));
        argc--;
        i--;
      }
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/crash/sigkill", test_sigkill);
  return g_test_run ();
}
