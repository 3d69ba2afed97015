/* fk-address-reform-csv.c: reading the shipped CSV lists
 *
 * The lists are resources of the core, UTF-8, with a header line; a field
 * in double quotes may hold commas and doubled quotes. A list that does not
 * read is damaged: the suggestion reports it and never guesses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>

#include "fk-address-reform-private.h"
#include "fk-core-error.h"
#include "fk-core-init.h"

/* Fields of one CSV record starting at *@p; moves *@p to the next record.
 * Quoted fields may hold commas and doubled quotes. */
static GPtrArray *
csv_record (const char **p, const char *end)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;

  while (*p < end)
    {
      char c = **p;

      (*p)++;
      if (quoted)
        {
          if (c == '"' && *p < end && **p == '"')
            {
              g_string_append_c (field, '"');
              (*p)++;
            }
          else if (c == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, c);
        }
      else if (c == '"')
        quoted = TRUE;
      else if (c == ',')
        {
          g_ptr_array_add (fields, g_string_free (field, FALSE));
          field = g_string_new (NULL);
        }
      else if (c == '\n')
        break;
      else if (c != '\r')
        g_string_append_c (field, c);
    }
  g_ptr_array_add (fields, g_string_free (field, FALSE));
  return fields;
}

gboolean
fk_reform_damaged (GError **error, const char *detail)
{
  g_set_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA,
               _ ("The list of old administrative units is damaged: %s"), detail);
  return FALSE;
}

/* Opens the list at @resource; @invalid_utf8 is the error detail should it
 * not be UTF-8. */
gboolean
fk_reform_csv_open (FkReformCsv *csv, const char *resource, const char *invalid_utf8,
                    GError **error)
{
  gsize size;

  fk_core_ensure_resources ();
  csv->bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (csv->bytes == NULL)
    return FALSE;
  csv->p = g_bytes_get_data (csv->bytes, &size);
  csv->end = csv->p + size;
  csv->header = TRUE;
  if (!g_utf8_validate_len (csv->p, size, NULL))
    return fk_reform_damaged (error, invalid_utf8);
  return TRUE;
}

/* The fields of the next record after the header, blank lines skipped;
 * NULL at the end. */
GPtrArray *
fk_reform_csv_next (FkReformCsv *csv)
{
  while (csv->p < csv->end)
    {
      GPtrArray *fields = csv_record (&csv->p, csv->end);

      if (csv->header || (fields->len == 1 && *(char *) fields->pdata[0] == '\0'))
        {
          csv->header = FALSE;
          g_ptr_array_unref (fields);
          continue;
        }
      return fields;
    }
  return NULL;
}

void
fk_reform_csv_clear (FkReformCsv *csv)
{
  g_clear_pointer (&csv->bytes, g_bytes_unref);
}
