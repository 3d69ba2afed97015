/* fk-fuzz-replay.c: runs the sync fuzz target over its seed corpus,
 * without libFuzzer
 *
 * Usage: fk-fuzz-sync DIR…  Every file is fed to LLVMFuzzerTestOneInput
 * once, in name order; a crash or a GLib warning (fatal in tests) fails the
 * run, and so does an empty corpus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

int
main (int argc, char **argv)
{
  guint count = 0;

  for (int i = 1; i < argc; i++)
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
      g_ptr_array_sort (names, compare_names);
      for (guint k = 0; k < names->len; k++)
        {
          g_autofree char *contents = NULL;
          gsize length = 0;

          if (!g_file_get_contents (names->pdata[k], &contents, &length, &error))
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
          LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
          count++;
        }
    }
  printf ("replayed %u inputs\n", count);
  return count > 0 ? 0 : 1;
}
