/* fk-office-i18n.c: the office's pages in the language of each request
 *
 * The server answers staff in Vietnamese and English at the same time, on
 * many threads, so gettext's process-wide language cannot choose it: the
 * Vietnamese catalog the build compiles from assets/po/vi.po (the same
 * fieldkit.mo the app and the command line read) is loaded once into a
 * table, and each page looks its strings up in it. English is the msgid.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-private.h"

#include <string.h>

#include "fk-core-init.h"

#define MO_MAGIC         0x950412deU
#define MO_MAGIC_SWAPPED 0xde120495U

static guint32
read_u32 (const guint8 *data, gsize offset, gboolean swapped)
{
  guint32 v;

  memcpy (&v, data + offset, sizeof v);
  return swapped ? GUINT32_SWAP_LE_BE (v) : v;
}

/* The string at table entry @i, or NULL when the file lies about it. */
static const char *
mo_string (const guint8 *data, gsize size, guint32 table, guint32 i, gboolean swapped,
           guint32 *length)
{
  gsize entry = (gsize) table + (gsize) i * 8;
  guint32 len, off;

  if (entry + 8 > size)
    return NULL;
  len = read_u32 (data, entry, swapped);
  off = read_u32 (data, entry + 4, swapped);
  if ((gsize) off + len + 1 > size || data[off + len] != '\0')
    return NULL;
  *length = len;
  return (const char *) data + off;
}

/**
 * fk_office_messages_parse:
 *
 * Returns: (transfer full) (nullable): msgid → msgstr (plural entries by
 *   their singular, with their first form; entries with a context by
 *   "context\004msgid"), or %NULL when @data is not a .mo file
 */
GHashTable *
fk_office_messages_parse (GBytes *bytes)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  g_autoptr (GHashTable) table = NULL;
  guint32 magic, n, originals, translations;
  gboolean swapped;

  if (size < 28)
    return NULL;
  memcpy (&magic, data, sizeof magic);
  if (magic != MO_MAGIC && magic != MO_MAGIC_SWAPPED)
    return NULL;
  swapped = magic == MO_MAGIC_SWAPPED;
  n = read_u32 (data, 8, swapped);
  originals = read_u32 (data, 12, swapped);
  translations = read_u32 (data, 16, swapped);
  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint32 i = 0; i < n; i++)
    {
      guint32 id_len = 0, str_len = 0;
      const char *id = mo_string (data, size, originals, i, swapped, &id_len);
      const char *str = mo_string (data, size, translations, i, swapped, &str_len);

      if (id == NULL || str == NULL)
        return NULL;
      /* The header (empty msgid) and untranslated entries are skipped. */
      if (*id == '\0' || *str == '\0')
        continue;
      g_hash_table_insert (table, g_strdup (id), g_strdup (str));
    }
  return g_steal_pointer (&table);
}

GHashTable *
fk_office_messages_load (void)
{
  g_autofree char *path =
    g_build_filename (fk_core_localedir (), "vi", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  g_autoptr (GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);
  g_autoptr (GBytes) bytes = NULL;
  GHashTable *table;

  if (file == NULL)
    {
      g_warning ("office: no Vietnamese catalog at %s; the office speaks English", path);
      return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    }
  bytes = g_mapped_file_get_bytes (file);
  table = fk_office_messages_parse (bytes);
  if (table == NULL)
    {
      g_warning ("office: %s is not a message catalog; the office speaks English", path);
      return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    }
  return table;
}

/* Translates @msgid into the request's language. */
const char *
fk_office_t (const FkOfficeContext *ctx, const char *msgid)
{
  const char *str;

  if (ctx == NULL || ctx->lang != FK_OFFICE_LANG_VI)
    return msgid;
  str = g_hash_table_lookup (ctx->office->messages, msgid);
  return str != NULL ? str : msgid;
}
