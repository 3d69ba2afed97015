/* fk-ctl-pull.c: fieldkit-ctl pull, catalog updates and results for
 * handover
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-ctl.h"
#include "fk-sync-pull.h"

static const char *
member_text (JsonObject *obj, const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING
           ? json_node_get_string (node)
           : "";
}

static JsonArray *
member_array (JsonObject *obj, const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static void
print_answer (JsonObject *answer)
{
  JsonArray *results = member_array (answer, "results");
  JsonArray *catalog = member_array (answer, "catalog");

  g_print (_ ("Results ready for handover: %u\n"),
           results != NULL ? json_array_get_length (results) : 0);
  for (guint i = 0; results != NULL && i < json_array_get_length (results); i++)
    {
      JsonNode *element = json_array_get_element (results, i);
      JsonObject *r = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;

      if (r != NULL)
        g_print ("  %s  %s  %s\n", member_text (r, "dossier"), member_text (r, "status"),
                 member_text (r, "note"));
    }
  g_print (_ ("Catalog updates: %u\n"), catalog != NULL ? json_array_get_length (catalog) : 0);
  g_print (_ ("Handovers reported: %u\n"),
           (guint) json_object_get_int_member_with_default (answer, "handovers_reported", 0));
}

int
fk_ctl_pull (FkCtl *ctl, int argc, char **argv)
{
  g_auto (FkCtlServer) server = { 0 };
  gboolean json = FALSE;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (JsonNode) node = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the server's answer as JSON"), NULL },
    { NULL },
  };

  if (!fk_ctl_parse_with_server (ctl, entries, &server, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  store = fk_ctl_open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail_for (ctl, error);
  node = fk_sync_pull (store, server.url, server.ca_file, (guint) server.timeout, NULL, &error);
  if (node == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  if (json)
    fk_ctl_print_json (node);
  else
    print_answer (json_node_get_object (node));
  return FK_CTL_EXIT_OK;
}
