/* fk-office-static.c: the office's stylesheet, script and icon, from its
 * GResource (assets/fk-office.gresource.xml); nothing is fetched from
 * anywhere else
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-page.h"

#include <gio/gio.h>
#include <string.h>

static const struct
{
  const char *suffix;
  const char *type;
} types[] = {
  { ".css", "text/css; charset=utf-8" },
  { ".js", "text/javascript; charset=utf-8" },
  { ".svg", "image/svg+xml" },
};

FkServerResponse *
fk_office_static (FkOfficeContext *ctx)
{
  const char *name = ctx->req->path + strlen ("/office/static/");
  g_autofree char *path = NULL;
  g_autoptr (GBytes) data = NULL;
  const char *type = NULL;
  FkServerResponse *r;

  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_has_suffix (name, types[i].suffix))
      type = types[i].type;
  for (const char *p = name; *p != '\0'; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-' || *p == '.'))
      type = NULL;
  if (type != NULL)
    {
      path = g_strconcat ("/vn/fieldkit/office/static/", name, NULL);
      data = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
    }
  if (data == NULL)
    return fk_office_message_page (ctx, 404, _ ("Not found"),
                                   _ ("There is no such page in the office."));
  r = fk_server_response_new (200);
  r->content_type = type;
  r->body = g_steal_pointer (&data);
  fk_server_response_add_header (r, "Cache-Control", "private, max-age=300");
  return r;
}
