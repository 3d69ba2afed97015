/* bench-store.c: commit latency and queue listing time of the sealed store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-store [--dir DIR] [--commits N] [--queue N]
 *
 * Commits N dossiers with 4 document photos of ~300 KB each (sealing and
 * every fsync included) and prints p50/p99; then fills the queue to the
 * given size with dossiers without photos and times fk_outbox_list().
 * The store goes in a new directory under DIR (default: the current
 * directory, so that fsync hits a real disk rather than a tmpfs).
 */
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fk-outbox.h"
#include "fk-store.h"

#define PIN "2580"
#define DOSSIER_JSON                                                                                      \
  "{\"procedure\": \"birth-registration\", \"citizen\": {\"id_number\": \"001099012345\", "               \
  "\"full_name\": \"Nguyễn Thị Hoà Bình\", \"address\": \"Thôn Nà Phặc, xã Bằng Thành\"}, " \
  "\"fields\": {\"child_name\": \"Lò Văn Khánh\", \"child_birth_date\": \"2026-10-02\", "              \
  "\"child_sex\": \"male\", \"child_birth_place\": \"Trạm y tế xã Bằng Thành\", "                 \
  "\"child_ethnicity\": \"Tày\", \"child_nationality\": \"Việt Nam\", \"submitter_relation\": "        \
  "\"mother\"}}"

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (double *sorted, guint n, double p)
{
  guint i = (guint) (p * (n - 1) + 0.5);

  return sorted[MIN (i, n - 1)];
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* A new dossier (a new id) each time, as the team takes them in. */
static char *
commit (FkStore *store, GPtrArray *photos)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkDossier) dossier = fk_dossier_new_from_data (DOSSIER_JSON, -1, &error);
  char *id = dossier != NULL
               ? fk_store_commit_dossier (store, dossier, photos, TRUE, NULL, NULL, &error)
               : NULL;

  if (id == NULL)
    {
      g_printerr ("commit failed: %s\n", error->message);
      exit (1);
    }
  return id;
}

int
main (int argc, char **argv)
{
  g_autofree char *base = NULL;
  int n_commits = 200;
  int n_queue = 10000;
  const GOptionEntry entries[] = {
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &base, "Where to create the store", "DIR" },
    { "commits", 0, 0, G_OPTION_ARG_INT, &n_commits, "Commits with 4 photos to time", "N" },
    { "queue", 0, 0, G_OPTION_ARG_INT, &n_queue, "Dossiers in the queue to list", "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— store benchmark");
  g_autoptr (GError) error = NULL;
  g_autofree char *template = NULL;
  g_autofree char *root = NULL;
  g_autofree char *data = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (GPtrArray) photos = NULL;
  g_autofree double *lat = NULL;
  guint8 pk[FK_VAULT_PUBLIC_KEY_BYTES], sk[FK_VAULT_SECRET_KEY_BYTES];
  FkStoreInitOptions options = { 0 };
  double list_ms[5];
  guint listed = 0;
  gint64 t0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_commits < 1 || n_queue < 0)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "bad numbers");
      return 2;
    }
  if (base == NULL)
    base = g_get_current_dir ();
  template = g_build_filename (base, "bench-store-XXXXXX", NULL);
  root = g_mkdtemp (template) != NULL ? g_strdup (template) : NULL;
  if (root == NULL)
    {
      g_printerr ("cannot create a directory in %s\n", base);
      return 1;
    }
  data = g_build_filename (root, "data", NULL);

  fk_vault_server_keypair_new (pk, sk);
  options.server_public_key = pk;
  options.pin = PIN;
  store = fk_store_create (data, &options, NULL, &error);
  if (store == NULL || !fk_store_unlock (store, PIN, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  photos = fk_store_attachments_new ();
  for (guint i = 0; i < 4; i++)
    {
      gsize size = 290 * 1024 + i * 7 * 1024;
      g_autofree guint8 *bytes = g_malloc (size);
      g_autofree char *name = g_strdup_printf ("photo-%u.jpg", i);
      g_autofree char *path = g_build_filename (root, name, NULL);
      g_autoptr (GFile) file = NULL;

      for (gsize k = 0; k < size; k++)
        bytes[k] = (guint8) g_random_int ();
      g_file_set_contents (path, (char *) bytes, size, NULL);
      file = g_file_new_for_path (path);
      g_ptr_array_add (photos,
                       fk_store_attachment_new_for_file (FK_ATTACHMENT_DOCUMENT, NULL, file));
    }

  /* Warm up the page cache and SQLite's caches. */
  for (guint i = 0; i < 5; i++)
    g_free (commit (store, photos));

  lat = g_new (double, n_commits);
  for (int i = 0; i < n_commits; i++)
    {
      t0 = g_get_monotonic_time ();
      g_free (commit (store, photos));
      lat[i] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  qsort (lat, n_commits, sizeof (double), compare_double);

  /* Fill the queue: dossiers without photos, committed the same way. */
  for (int have = n_commits + 5; have < n_queue; have++)
    g_free (commit (store, NULL));

  for (guint r = 0; r < G_N_ELEMENTS (list_ms); r++)
    {
      g_autoptr (GPtrArray) list = NULL;

      t0 = g_get_monotonic_time ();
      list = fk_outbox_list (store, FK_OUTBOX_QUEUED, &error);
      list_ms[r] = (g_get_monotonic_time () - t0) / 1000.0;
      if (list == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      listed = list->len;
    }
  qsort (list_ms, G_N_ELEMENTS (list_ms), sizeof (double), compare_double);

  printf ("store commit, 4 photos of ~300 KB, sealed and fsynced (%d commits in %s):\n", n_commits,
          base);
  printf ("  p50 %.1f ms   p99 %.1f ms   max %.1f ms   (target p99 <= 50 ms)\n",
          percentile (lat, n_commits, 0.50), percentile (lat, n_commits, 0.99), lat[n_commits - 1]);
  printf ("queue listing of %u dossiers: median %.1f ms, worst %.1f ms of %u runs (target <= 100 "
          "ms)\n",
          listed, list_ms[G_N_ELEMENTS (list_ms) / 2], list_ms[G_N_ELEMENTS (list_ms) - 1],
          (guint) G_N_ELEMENTS (list_ms));
  printf (
    "{\"bench\": \"store\", \"commits\": %d, \"commit_p50_ms\": %.2f, \"commit_p99_ms\": %.2f, "
    "\"queue\": %u, \"list_median_ms\": %.2f, \"list_worst_ms\": %.2f}\n",
    n_commits, percentile (lat, n_commits, 0.50), percentile (lat, n_commits, 0.99), listed,
    list_ms[G_N_ELEMENTS (list_ms) / 2], list_ms[G_N_ELEMENTS (list_ms) - 1]);

  g_clear_object (&store);
  remove_tree (root);
  return 0;
}
