/* fk-ctl-pull.c: fieldkit-ctl pull, the newest catalog version and the
 * results ready for handover
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
print_summary (const FkSyncPullSummary *summary)
{
  JsonObject *answer = json_node_get_object (summary->answer);
  JsonArray *results = member_array (answer, "results");

  g_print (_ ("Results ready for handover: %u\n"), summary->results);
  for (guint i = 0; results != NULL && i < json_array_get_length (results); i++)
    {
      JsonNode *element = json_array_get_element (results, i);
      JsonObject *r = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;

      if (r != NULL)
        g_print ("  %s  %s  %s\n", member_text (r, "dossier"), member_text (r, "status"),
                 member_text (r, "note"));
    }
  if (summary->catalog_applied)
    g_print (_ ("Procedure catalog updated to version %s.\n"), summary->catalog_version);
  else
    g_print (_ ("Procedure catalog in use: version %s.\n"), summary->catalog_version);
  g_print (_ ("Handovers reported: %u\n"), summary->handovers_reported);
}

/* What --json prints: the results as the server sent them (notes
 * included, on the terminal only), the cursors, and the catalog in use. */
static JsonNode *
summary_to_json (const FkSyncPullSummary *summary)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  JsonObject *answer = json_node_get_object (summary->answer);
  JsonNode *results = json_object_get_member (answer, "results");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "results");
  json_builder_add_value (b, json_node_copy (results));
  fk_ctl_json_int (b, "results_next", json_object_get_int_member (answer, "results_next"));
  fk_ctl_json_int (b, "catalog_next", json_object_get_int_member (answer, "catalog_next"));
  fk_ctl_json_string (b, "catalog_version", summary->catalog_version);
  fk_ctl_json_bool (b, "catalog_applied", summary->catalog_applied);
  fk_ctl_json_int (b, "handovers_reported", summary->handovers_reported);
  if (summary->catalog_error != NULL)
    fk_ctl_json_string (b, "catalog_error", summary->catalog_error->message);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

int
fk_ctl_pull (FkCtl *ctl, int argc, char **argv)
{
  g_auto (FkCtlServer) server = { 0 };
  gboolean json = FALSE;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autoptr (FkSyncPullSummary) summary = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_ ("Print what came (results, the catalog version in use) as JSON"), NULL },
    { NULL },
  };

  if (!fk_ctl_parse_with_server (ctl, entries, &server, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  store = fk_ctl_open_store (ctl, FK_STORE_OPEN_SHARED, &error);
  if (store == NULL)
    return fk_ctl_fail_for (ctl, error);
  summary = fk_sync_pull (store, server.url, server.ca_file, (guint) server.timeout, NULL, &error);
  if (summary == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  if (json)
    {
      g_autoptr (JsonNode) node = summary_to_json (summary);

      fk_ctl_print_json (node);
    }
  else
    print_summary (summary);
  /* The results are kept; a refused catalog version is still a "no". */
  if (summary->catalog_error != NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, summary->catalog_error);
  return FK_CTL_EXIT_OK;
}
