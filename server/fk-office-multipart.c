/* fk-office-multipart.c: a multipart/form-data body (RFC 7578), whole
 *
 * The body is already read, within the request's size limit, so it is
 * split in place: each part's name from its Content-Disposition, text
 * fields (UTF-8) apart from files (any bytes).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <string.h>

#include "fk-office-private.h"

/* The value of parameter @key (boundary, name, filename) in a header. */
static char *
header_param (const char *header, const char *key)
{
  g_autofree char *needle = g_strconcat (key, "=", NULL);
  const char *p = header;

  while ((p = strstr (p, needle)) != NULL)
    {
      gboolean start = p == header || p[-1] == ' ' || p[-1] == ';' || p[-1] == '\t';

      p += strlen (needle);
      if (!start)
        continue;
      if (*p == '"')
        {
          const char *end = strchr (p + 1, '"');

          return end != NULL ? g_strndup (p + 1, end - p - 1) : NULL;
        }
      return g_strndup (p, strcspn (p, "; \t"));
    }
  return NULL;
}

/* One part: its headers up to the blank line, then its content. */
static gboolean
add_part (const guint8 *part, gsize len, GHashTable *fields, GHashTable *files)
{
  const guint8 *blank = memmem (part, len, "\r\n\r\n", 4);
  g_autofree char *headers = NULL;
  g_autofree char *name = NULL;
  g_autofree char *filename = NULL;
  g_auto (GStrv) lines = NULL;
  const guint8 *content;
  gsize content_len;

  if (blank == NULL)
    return FALSE;
  headers = g_strndup ((const char *) part, blank - part);
  content = blank + 4;
  content_len = len - (content - part);
  lines = g_strsplit (headers, "\r\n", -1);
  for (char **l = lines; *l != NULL; l++)
    if (g_ascii_strncasecmp (*l, "Content-Disposition:", 20) == 0 && name == NULL)
      {
        name = header_param (*l + 20, "name");
        filename = header_param (*l + 20, "filename");
      }
  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  if (filename != NULL)
    {
      if (content_len > 0)
        g_hash_table_replace (files, g_steal_pointer (&name), g_bytes_new (content, content_len));
      return TRUE;
    }
  if (!g_utf8_validate ((const char *) content, content_len, NULL) ||
      memchr (content, 0, content_len) != NULL)
    return FALSE;
  g_hash_table_replace (fields, g_steal_pointer (&name),
                        g_strndup ((const char *) content, content_len));
  return TRUE;
}

/**
 * fk_office_multipart_parse:
 * @content_type: the request's Content-Type, with its boundary
 * @fields: text fields are added here (name -> string)
 * @files: file fields that are not empty are added here (name -> #GBytes)
 *
 * Returns: %FALSE if the body is not well-formed multipart/form-data
 */
gboolean
fk_office_multipart_parse (const char *content_type, const guint8 *body, gsize len,
                           GHashTable *fields, GHashTable *files)
{
  g_autofree char *boundary = header_param (content_type, "boundary");
  g_autofree char *delimiter = NULL;
  gsize dlen;
  const guint8 *p, *end = body + len;

  if (boundary == NULL || *boundary == '\0' || strlen (boundary) > 70)
    return FALSE;
  delimiter = g_strconcat ("\r\n--", boundary, NULL);
  dlen = strlen (delimiter);
  /* The first delimiter has no line break before it. */
  if (len < dlen - 2 || memcmp (body, delimiter + 2, dlen - 2) != 0)
    return FALSE;
  p = body + dlen - 2;
  for (;;)
    {
      const guint8 *next;

      if (end - p >= 2 && memcmp (p, "--", 2) == 0)
        return TRUE; /* the closing delimiter */
      if (end - p < 2 || memcmp (p, "\r\n", 2) != 0)
        return FALSE;
      p += 2;
      next = memmem (p, end - p, delimiter, dlen);
      if (next == NULL || !add_part (p, next - p, fields, files))
        return FALSE;
      p = next + dlen;
    }
}
