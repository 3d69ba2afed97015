/* fk-server-report.c: POST /v1/report, what a device tells besides its
 * dossiers: the state of its queue, the results its team handed over,
 * the VNeID helps it recorded (docs/protocol.md)
 *
 * The device is authenticated like for every request; a handover counts
 * only for a dossier of the device's commune, and a VNeID help is stored
 * once under the id the device gave it, so a report sent twice (its
 * answer lost) changes nothing more.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fk-server-db-private.h"

static const char *
member_text (JsonObject *obj, const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
             json_node_get_value_type (node) == G_TYPE_STRING
           ? json_node_get_string (node)
           : NULL;
}

static JsonArray *
member_array (JsonObject *obj, const char *name, gboolean *ok)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) > 100)
    *ok = FALSE;
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gint64
time_of (const char *text)
{
  g_autoptr (GDateTime) when = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* A device's clock ahead of the server's does not date anything in
   * the future. */
  return when != NULL ? MIN (g_date_time_to_unix (when), now) : -1;
}

static gboolean
handover (FkServer *self, FkServerRequest *req, const char *commune, JsonObject *h, guint *placed,
          GError **error)
{
  const char *dossier = member_text (h, "dossier");
  gint64 at = time_of (member_text (h, "at"));
  g_autofree char *canonical = NULL;
  gboolean done = FALSE;

  if (dossier == NULL || !g_uuid_string_is_valid (dossier) || at < 0)
    return FALSE;
  canonical = fk_sync_uuid_canonical (dossier);
  if (!fk_office_record_handover (self->office, canonical, commune, req->device_name, at, &done,
                                  error))
    return TRUE;
  if (done)
    (*placed)++;
  else
    g_message ("report: handover of dossier %s ignored: not a dossier of this device's commune "
               "waiting for handover",
               canonical);
  return TRUE;
}

static gboolean
is_code (const char *s, gsize max)
{
  if (s == NULL || *s == '\0' || strlen (s) > max)
    return FALSE;
  for (; *s != '\0'; s++)
    if (!(g_ascii_islower (*s) || g_ascii_isdigit (*s) || *s == '-'))
      return FALSE;
  return TRUE;
}

static gboolean
vneid (FkServer *self, FkServerRequest *req, const char *commune, JsonObject *v, GError **error)
{
  const char *id = member_text (v, "id");
  const char *outcome = member_text (v, "outcome");
  const char *date = member_text (v, "date");
  const char *hamlet = member_text (v, "hamlet");
  gint64 at = time_of (member_text (v, "at"));
  g_autoptr (FkDbConn) conn = NULL;
  g_autoptr (FkDbResult) res = NULL;

  if (id == NULL || !g_uuid_string_is_valid (id) || !is_code (outcome, 32) || date == NULL ||
      strlen (date) != 10 || at < 0 || (hamlet != NULL && strlen (hamlet) > 200))
    return FALSE;
  conn = fk_db_acquire (self->db, TRUE, error);
  if (conn != NULL)
    res = FK_DB_QUERY (conn,
                       "INSERT INTO office_vneid (id, device, commune, visit_date, hamlet,"
                       " outcome, at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                       " ON CONFLICT (id) DO NOTHING",
                       error, FK_DB_P_TEXT (id), FK_DB_P_TEXT (req->auth->device),
                       FK_DB_P_TEXT (commune), FK_DB_P_TEXT (date),
                       FK_DB_P_TEXT (hamlet != NULL ? hamlet : ""), FK_DB_P_TEXT (outcome),
                       FK_DB_P_INT (at));
  return TRUE;
}

static gboolean
queue (FkServer *self, FkServerRequest *req, JsonObject *q, GError **error)
{
  gint64 queued = json_object_get_int_member_with_default (q, "queued", -1);
  gint64 quarantined = json_object_get_int_member_with_default (q, "quarantined", -1);
  g_autoptr (FkDbConn) conn = NULL;
  g_autoptr (FkDbResult) res = NULL;

  if (queued < 0 || quarantined < 0)
    return FALSE;
  conn = fk_db_acquire (self->db, TRUE, error);
  if (conn != NULL)
    res =
      FK_DB_QUERY (conn,
                   "UPDATE devices SET queue_queued = $2, queue_quarantined = $3,"
                   " queue_at = $4 WHERE pubkey = $1",
                   error, FK_DB_P_TEXT (req->auth->device), FK_DB_P_INT (queued),
                   FK_DB_P_INT (quarantined), FK_DB_P_INT (g_get_real_time () / G_USEC_PER_SEC));
  return TRUE;
}

static FkServerResponse *
malformed (void)
{
  return fk_server_response_error (400, "malformed",
                                   _ ("A report holds “queue” (“queued”, “quarantined”), "
                                      "“handovers” (a dossier UUID and a time each) and “vneid” "
                                      "(an id, an outcome, a date and a time each), at most 100 "
                                      "of each"));
}

FkServerResponse *
fk_server_report (FkServer *self, FkServerRequest *req, const char *commune)
{
  g_autoptr (JsonObject) obj = fk_server_parse_object (req->body);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  gboolean ok = obj != NULL;
  JsonArray *handovers = ok ? member_array (obj, "handovers", &ok) : NULL;
  JsonArray *helps = ok ? member_array (obj, "vneid", &ok) : NULL;
  JsonNode *q = ok ? json_object_get_member (obj, "queue") : NULL;
  guint placed = 0;

  if (!ok || (q != NULL && (!JSON_NODE_HOLDS_OBJECT (q) ||
                            !queue (self, req, json_node_get_object (q), &error))))
    return malformed ();
  for (guint i = 0; error == NULL && handovers != NULL && i < json_array_get_length (handovers);
       i++)
    {
      JsonNode *h = json_array_get_element (handovers, i);

      if (!JSON_NODE_HOLDS_OBJECT (h) ||
          !handover (self, req, commune, json_node_get_object (h), &placed, &error))
        return malformed ();
    }
  for (guint i = 0; error == NULL && helps != NULL && i < json_array_get_length (helps); i++)
    {
      JsonNode *v = json_array_get_element (helps, i);

      if (!JSON_NODE_HOLDS_OBJECT (v) ||
          !vneid (self, req, commune, json_node_get_object (v), &error))
        return malformed ();
    }
  if (error != NULL)
    return fk_server_db_error (error);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "handovers");
  json_builder_add_int_value (b, placed);
  json_builder_end_object (b);
  return fk_server_response_json (200, b);
}
