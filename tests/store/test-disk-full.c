/* test-disk-full.c: a full disk fails a commit clearly and loses nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store lives on a 3 MiB tmpfs mounted in a private mount namespace
 * (we run as root in CI). Without that, RLIMIT_FSIZE makes writes past a
 * size fail with EFBIG instead. Skipped only when neither can be set up.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sched.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include "fk-outbox.h"
#include "fk-store.h"
#include "fk-test-store.h"

static char *mount_dir;
static gboolean use_rlimit;

/* Before any thread exists: unshare() refuses CLONE_NEWNS otherwise. */
static gboolean
mount_small_tmpfs (void)
{
  mount_dir = g_dir_make_tmp ("fk-full-XXXXXX", NULL);
  if (mount_dir == NULL || unshare (CLONE_NEWNS) != 0)
    return FALSE;
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    return FALSE;
  return mount ("fk-full", mount_dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=3m,mode=0700") == 0;
}

static void
fill_disk (const char *dir, gsize leave)
{
  g_autofree char *ballast = g_build_filename (dir, "ballast", NULL);

  if (use_rlimit)
    {
      struct rlimit limit = { 0 };

      /* Writes past this offset in any file fail with EFBIG. */
      limit.rlim_cur = limit.rlim_max = 1024 * 1024;
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      return;
    }
  {
    int fd = g_open (ballast, O_WRONLY | O_CREAT, 0600);
    g_autofree char *zeros = g_malloc0 (4096);

    g_assert_cmpint (fd, >=, 0);
    while (write (fd, zeros, 4096) == 4096)
      ;
    /* Leave a little room so that some commits still fit. */
    g_assert_cmpint (ftruncate (fd, lseek (fd, 0, SEEK_CUR) - (off_t) leave), ==, 0);
    close (fd);
  }
}

/* A photo larger than the RLIMIT_FSIZE limit, written before it is set. */
static char *
commit_big_photo (FkStore *store, const char *photo, GError **error)
{
  g_autoptr (FkDossier) dossier = fk_test_dossier (FK_TEST_DOSSIER_JSON);
  g_autoptr (GPtrArray) attachments = fk_store_attachments_new ();
  g_autoptr (GFile) file = g_file_new_for_path (photo);

  g_ptr_array_add (attachments,
                   fk_store_attachment_new_for_file (FK_ATTACHMENT_DOCUMENT, NULL, file));
  return fk_store_commit_dossier (store, dossier, attachments, TRUE, NULL, NULL, error);
}

static void
test_disk_full (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *big_photo = NULL;
  guint8 pk[FK_VAULT_PUBLIC_KEY_BYTES], sk[FK_VAULT_SECRET_KEY_BYTES];
  g_autoptr (FkStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) committed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) list = NULL;
  guint parts_before;

  if (mount_dir == NULL && !use_rlimit)
    {
      g_test_skip ("neither a tmpfs nor RLIMIT_FSIZE can be set up here");
      return;
    }
  dir = use_rlimit ? g_dir_make_tmp ("fk-full-data-XXXXXX", NULL)
                   : g_build_filename (mount_dir, "data", NULL);
  store = fk_test_store_create (dir, pk, sk, NULL);
  g_assert_true (fk_store_unlock (store, FK_TEST_PIN, &error));
  /* Settle the database so later commits only append. */
  {
    g_autofree char *first =
      fk_test_commit (store, dir, FK_TEST_DOSSIER_JSON, 1, 100000, NULL, &error);

    g_assert_no_error (error);
    g_ptr_array_add (committed, g_steal_pointer (&first));
  }
  {
    g_autofree guint8 *bytes = fk_test_photo_bytes (7, 1536 * 1024);

    big_photo = g_build_filename (g_get_tmp_dir (), "big-photo.jpg", NULL);
    g_assert_true (g_file_set_contents (big_photo, (char *) bytes, 1536 * 1024, NULL));
  }
  fill_disk (use_rlimit ? dir : mount_dir, 700 * 1024);

  for (guint i = 0; i < 40; i++)
    {
      char *id;

      parts_before = fk_test_count_parts (dir);
      if (use_rlimit)
        id = commit_big_photo (store, big_photo, &error);
      else
        id = fk_test_commit (store, dir, FK_TEST_DOSSIER_JSON, 2, 150000, NULL, &error);
      if (id == NULL)
        break;
      g_ptr_array_add (committed, id);
    }
  g_assert_nonnull (error);
  g_test_message ("%u dossiers fit; then: %s", committed->len, error->message);
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_DISK_FULL);
  g_assert_nonnull (strstr (error->message, "full"));
  g_clear_error (&error);
  /* The failed commit left no sealed file behind. */
  g_assert_cmpuint (fk_test_count_parts (dir), ==, parts_before);

  /* Everything committed before is whole, after a restart too. */
  g_clear_object (&store);
  store = fk_store_open (dir, FK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  fk_store_unlock (store, FK_TEST_PIN, &error);
  g_assert_no_error (error);
  list = fk_outbox_list (store, FK_OUTBOX_QUEUED, &error);
  g_assert_cmpuint (list->len, ==, committed->len);
  for (guint i = 0; i < committed->len; i++)
    {
      g_autoptr (FkDossier) node = fk_store_read_dossier (store, committed->pdata[i], &error);
      g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();

      g_assert_no_error (error);
      g_assert_nonnull (node);
      g_assert_true (
        fk_store_read_attachment (store, committed->pdata[i], 0, out, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (fk_store_verify_audit (store, NULL, NULL, &error));
  g_assert_no_error (error);

  /* With space again, the same dossier goes in. */
  if (!use_rlimit)
    {
      g_autofree char *ballast = g_build_filename (mount_dir, "ballast", NULL);
      g_autofree char *id = NULL;

      g_unlink (ballast);
      id = fk_test_commit (store, dir, FK_TEST_DOSSIER_JSON, 2, 150000, NULL, &error);
      g_assert_no_error (error);
    }
}

int
main (int argc, char **argv)
{
  /* --rlimit exercises the fallback where a tmpfs could be mounted. */
  gboolean force_rlimit = argc > 1 && g_str_equal (argv[argc - 1], "--rlimit");

  if (force_rlimit)
    argv[--argc] = NULL;
  if (force_rlimit || !mount_small_tmpfs ())
    {
      g_clear_pointer (&mount_dir, g_free);
      use_rlimit = TRUE;
    }
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/disk-full", test_disk_full);
  return g_test_run ();
}
