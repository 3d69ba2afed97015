/* fk-fuzz-replay.c: runs a fuzz target over a seed corpus, without libFuzzer
 *
 * Usage: fk-fuzz-TARGET DIR|FILE…  Every file is fed to
 * LLVMFuzzerTestOneInput once; a crash or a GLib warning (fatal in tests)
 * fails the run. An empty corpus fails too, so a lost corpus is noticed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean
replay_file (const char *path, guint *count)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
  (*count)++;
  return TRUE;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

int
main (int argc, char **argv)
{
  guint count = 0;

  if (argc < 2)
    {
      g_printerr ("usage: %s DIR|FILE…\n", argv[0]);
      return 2;
    }
  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (GDir) dir = g_dir_open (argv[i], 0, &error);
          g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
          const char *name;

          if (dir == NULL)
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
          while ((name = g_dir_read_name (dir)) != NULL)
            g_ptr_array_add (names, g_build_filename (argv[i], name, NULL));
          /* In name order, so a failure is reproducible. */
          g_ptr_array_sort (names, compare_names);
          for (guint k = 0; k < names->len; k++)
            if (!replay_file (g_ptr_array_index (names, k), &count))
              return 1;
        }
      else if (!replay_file (argv[i], &count))
        return 1;
    }
  printf ("replayed %u inputs\n", count);
  return count > 0 ? 0 : 1;
}
