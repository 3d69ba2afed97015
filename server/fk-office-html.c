/* fk-office-html.c: HTML that escapes what it is given, the page shell,
 * and the answers every page gives
 *
 * Every value that reaches a page from a device or a user goes through
 * fk_html_escape(): a citizen named <img src=x onerror=alert(1)> shows as
 * that text. The shell (assets/office/shell.html, from the office's
 * GResource) is filled in one pass, so a value that looks like one of its
 * placeholders stays text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-page.h"

#include <gio/gio.h>
#include <string.h>

void
fk_html_escape (GString *out, const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    switch (*p)
      {
        case '&':
          g_string_append (out, "&amp;");
          break;
        case '<':
          g_string_append (out, "&lt;");
          break;
        case '>':
          g_string_append (out, "&gt;");
          break;
        case '"':
          g_string_append (out, "&quot;");
          break;
        case '\'':
          g_string_append (out, "&#39;");
          break;
        default:
          g_string_append_c (out, *p);
          break;
      }
}

void
fk_html (GString *out, const char *format, ...)
{
  va_list ap;
  const char *p = format;
  const char *value;

  va_start (ap, format);
  while (*p != '\0')
    {
      gboolean raw = g_str_has_prefix (p, "{!}");

      if (!raw && !g_str_has_prefix (p, "{}"))
        {
          g_string_append_c (out, *p++);
          continue;
        }
      value = va_arg (ap, const char *);
      if (value == NULL)
        {
          g_critical ("fk_html: fewer values than places in “%s”", format);
          break;
        }
      if (raw)
        g_string_append (out, value);
      else
        fk_html_escape (out, value);
      p += raw ? 3 : 2;
    }
  if (*p == '\0' && va_arg (ap, const char *) != NULL)
    g_critical ("fk_html: more values than places in “%s”", format);
  va_end (ap);
}

const char *
fk_office_keep (FkOfficeContext *ctx, char *text)
{
  g_ptr_array_add (ctx->keep, text);
  return text;
}

const char *
fk_office_printf (FkOfficeContext *ctx, const char *format, ...)
{
  va_list ap;
  char *text;

  va_start (ap, format);
  text = g_strdup_vprintf (format, ap);
  va_end (ap);
  return fk_office_keep (ctx, text);
}

const char *
fk_office_time (FkOfficeContext *ctx, gint64 unix_time)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;

  if (unix_time <= 0)
    return "";
  utc = g_date_time_new_from_unix_utc (unix_time);
  if (utc == NULL)
    return "";
  local = g_date_time_to_timezone (utc, ctx->office->tz);
  return fk_office_keep (ctx, g_date_time_format (local, "%d/%m/%Y %H:%M"));
}

void
fk_office_csrf_field (FkOfficeContext *ctx, GString *out)
{
  if (ctx->session != NULL)
    fk_html (out, "<input type=\"hidden\" name=\"csrf\" value=\"{}\">", ctx->session->csrf, NULL);
}

/* The shell with its {{placeholders}} filled in one pass. */
static GString *
fill_shell (const char *const *names, const char *const *values, guint n)
{
  g_autoptr (GBytes) shell =
    g_resources_lookup_data ("/vn/fieldkit/office/shell.html", G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  const char *p = shell != NULL ? g_bytes_get_data (shell, NULL) : NULL;
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (p != NULL, out);
  while (*p != '\0')
    {
      const char *end = g_str_has_prefix (p, "{{") ? strstr (p, "}}") : NULL;
      guint i;

      if (end == NULL)
        {
          g_string_append_c (out, *p++);
          continue;
        }
      for (i = 0; i < n; i++)
        if (strlen (names[i]) == (gsize) (end - p - 2) &&
            strncmp (p + 2, names[i], end - p - 2) == 0)
          break;
      if (i < n)
        g_string_append (out, values[i]);
      p = end + 2;
    }
  return out;
}

FkServerResponse *
fk_office_page (FkOfficeContext *ctx, guint status, const char *title, const char *active,
                GString *body)
{
  g_autoptr (GString) header = g_string_new (NULL);
  g_autoptr (GString) escaped_title = g_string_new (NULL);
  const char *names[] = { "lang", "title", "header", "body" };
  const char *values[G_N_ELEMENTS (names)];
  GString *page;

  fk_office_header (ctx, active, header);
  fk_html_escape (escaped_title, title);
  g_string_append (escaped_title, " · FieldKit");
  values[0] = ctx->lang == FK_OFFICE_LANG_VI ? "vi" : "en";
  values[1] = escaped_title->str;
  values[2] = header->str;
  values[3] = body->str;
  page = fill_shell (names, values, G_N_ELEMENTS (names));
  return fk_server_response_text (status, "text/html; charset=utf-8", g_string_free (page, FALSE));
}

FkServerResponse *
fk_office_message_page (FkOfficeContext *ctx, guint status, const char *title, const char *message)
{
  g_autoptr (GString) body = g_string_new (NULL);

  fk_html (body,
           "<section class=\"message\"><h1>{}</h1><p>{}</p>"
           "<p><a class=\"button\" href=\"/office/\">{}</a></p></section>",
           title, message, _ ("Back to the office"), NULL);
  return fk_office_page (ctx, status, title, NULL, body);
}

FkServerResponse *
fk_office_redirect (FkOfficeContext *ctx, const char *location)
{
  FkServerResponse *r = fk_server_response_new (303);

  fk_server_response_add_header (r, "Location", location);
  return r;
}
