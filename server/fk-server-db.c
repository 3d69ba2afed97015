/* fk-server-db.c: devices, nonces, commits, results and the catalog,
 * written once for both backends (blobs are in fk-server-db-blob.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-db-private.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "fk-server-error.h"

#define NONCE_KEEP_SECONDS (3 * 300)

static char *
now_iso (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
fk_server_db_device_add (FkServerDb *self, const char *pubkey, const char *name,
                         const char *commune, GError **error)
{
  g_autofree char *now = now_iso ();
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, TRUE, error);
  g_autoptr (FkDbResult) res = NULL;

  if (conn == NULL)
    return FALSE;
  res = FK_DB_QUERY (conn,
                     "INSERT INTO devices (pubkey, name, commune, created_at)"
                     " VALUES ($1, $2, $3, $4) ON CONFLICT (pubkey) DO NOTHING",
                     error, FK_DB_P_TEXT (pubkey), FK_DB_P_TEXT (name),
                     FK_DB_P_TEXT (commune != NULL ? commune : ""), FK_DB_P_TEXT (now));
  if (res == NULL)
    return FALSE;
  if (res->changes == 0)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_EXISTS,
                   _ ("This device key is already enrolled"));
      return FALSE;
    }
  return TRUE;
}

void
fk_server_device_free (FkServerDevice *device)
{
  g_free (device->pubkey);
  g_free (device->name);
  g_free (device->commune);
  g_free (device->created_at);
  g_free (device);
}

GPtrArray *
fk_server_db_device_list (FkServerDb *self, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, FALSE, error);
  g_autoptr (FkDbResult) res = NULL;
  GPtrArray *devices;

  if (conn == NULL)
    return NULL;
  res = FK_DB_QUERY0 (conn,
                      "SELECT pubkey, name, commune, created_at, revoked, last_seen FROM devices"
                      " ORDER BY created_at, name",
                      error);
  if (res == NULL)
    return NULL;
  devices = g_ptr_array_new_with_free_func ((GDestroyNotify) fk_server_device_free);
  for (guint i = 0; i < res->rows->len; i++)
    {
      FkServerDevice *d = g_new0 (FkServerDevice, 1);

      d->pubkey = g_strdup (fk_db_cell_text (res, i, 0));
      d->name = g_strdup (fk_db_cell_text (res, i, 1));
      d->commune = g_strdup (fk_db_cell_text (res, i, 2));
      d->created_at = g_strdup (fk_db_cell_text (res, i, 3));
      d->revoked = fk_db_cell_int (res, i, 4) != 0;
      d->last_seen = fk_db_cell_int (res, i, 5);
      g_ptr_array_add (devices, d);
    }
  return devices;
}

gboolean
fk_server_db_device_revoke (FkServerDb *self, const char *pubkey, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, TRUE, error);
  g_autoptr (FkDbResult) res = NULL;

  if (conn == NULL)
    return FALSE;
  res = FK_DB_QUERY (conn, "UPDATE devices SET revoked = 1 WHERE pubkey = $1", error,
                     FK_DB_P_TEXT (pubkey));
  if (res == NULL)
    return FALSE;
  if (res->changes == 0)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_NOT_FOUND,
                   _ ("No device with this key is enrolled"));
      return FALSE;
    }
  return TRUE;
}

gboolean
fk_server_db_device_seen (FkServerDb *self, const char *pubkey, gint64 when, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, TRUE, error);
  g_autoptr (FkDbResult) res = NULL;

  if (conn == NULL)
    return FALSE;
  res = FK_DB_QUERY (conn, "UPDATE devices SET last_seen = $2 WHERE pubkey = $1 AND last_seen < $2",
                     error, FK_DB_P_TEXT (pubkey), FK_DB_P_INT (when));
  return res != NULL;
}

FkServerDeviceState
fk_server_db_device_state (FkServerDb *self, const char *pubkey, char **commune, char **name,
                           GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, FALSE, error);
  g_autoptr (FkDbResult) res = NULL;

  if (conn == NULL)
    return FK_SERVER_DEVICE_UNKNOWN;
  res = FK_DB_QUERY (conn, "SELECT revoked, commune, name FROM devices WHERE pubkey = $1", error,
                     FK_DB_P_TEXT (pubkey));
  if (res == NULL || res->rows->len == 0)
    return FK_SERVER_DEVICE_UNKNOWN;
  if (commune != NULL)
    *commune = g_strdup (fk_db_cell_text (res, 0, 1));
  if (name != NULL)
    *name = g_strdup (fk_db_cell_text (res, 0, 2));
  return fk_db_cell_int (res, 0, 0) != 0 ? FK_SERVER_DEVICE_REVOKED : FK_SERVER_DEVICE_ACTIVE;
}

/**
 * fk_server_db_nonce_use:
 * @fresh: (out): %FALSE when this device already used this nonce
 *
 * Nonces are kept a little longer than the accepted clock skew, so a
 * replay within the window hits the unique key and one outside it fails
 * the timestamp check.
 */
gboolean
fk_server_db_nonce_use (FkServerDb *self, const char *device, const char *nonce, gint64 timestamp,
                        gboolean *fresh, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, TRUE, error);
  g_autoptr (FkDbResult) res = NULL;
  g_autoptr (FkDbResult) purge = NULL;

  if (conn == NULL)
    return FALSE;
  res = FK_DB_QUERY (conn,
                     "INSERT INTO nonces (device, nonce, ts) VALUES ($1, $2, $3)"
                     " ON CONFLICT (device, nonce) DO NOTHING",
                     error, FK_DB_P_TEXT (device), FK_DB_P_TEXT (nonce), FK_DB_P_INT (timestamp));
  if (res == NULL)
    return FALSE;
  *fresh = res->changes == 1;
  if (g_random_int_range (0, 64) == 0)
    purge = FK_DB_QUERY (conn, "DELETE FROM nonces WHERE ts < $1", NULL,
                         FK_DB_P_INT (g_get_real_time () / G_USEC_PER_SEC - NONCE_KEEP_SECONDS));
  return TRUE;
}

void
fk_server_commit_free (FkServerCommit *commit)
{
  if (commit == NULL)
    return;
  g_free (commit->dossier);
  g_free (commit->device);
  g_clear_pointer (&commit->manifest, g_bytes_unref);
  g_free (commit->manifest_sha256);
  g_clear_pointer (&commit->receipt, g_bytes_unref);
  g_free (commit->receipt_signature);
  g_free (commit);
}

/**
 * fk_server_db_commit_insert:
 *
 * Stores the commit unless one for this dossier UUID exists already: the
 * primary key decides between racing processes. Returns %TRUE either way;
 * the caller reads back the one that won with fk_server_db_commit_get().
 */
gboolean
fk_server_db_commit_insert (FkServerDb *self, const FkServerCommit *commit, GError **error)
{
  g_autofree char *now = now_iso ();
  gsize manifest_len = 0, receipt_len = 0;
  const void *manifest = g_bytes_get_data (commit->manifest, &manifest_len);
  const void *receipt = g_bytes_get_data (commit->receipt, &receipt_len);
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, TRUE, error);
  g_autoptr (FkDbResult) res = NULL;

  /* On disk before any receipt for it leaves the server. */
  if (conn == NULL || !fk_db_exec (conn, self->backend->durable_on, error))
    return FALSE;
  res = FK_DB_QUERY (conn,
                     "INSERT INTO dossiers (dossier, device, manifest, manifest_sha256, receipt,"
                     " receipt_signature, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                     " ON CONFLICT (dossier) DO NOTHING",
                     error, FK_DB_P_TEXT (commit->dossier), FK_DB_P_TEXT (commit->device),
                     FK_DB_P_BLOB (manifest, manifest_len), FK_DB_P_TEXT (commit->manifest_sha256),
                     FK_DB_P_BLOB (receipt, receipt_len), FK_DB_P_TEXT (commit->receipt_signature),
                     FK_DB_P_TEXT (now));
  if (!fk_db_exec (conn, self->backend->durable_off, res != NULL ? error : NULL))
    return FALSE;
  return res != NULL;
}

static FkServerCommit *
commit_from_row (FkDbResult *res, guint i)
{
  FkServerCommit *c = g_new0 (FkServerCommit, 1);

  c->dossier = g_strdup (fk_db_cell_text (res, i, 0));
  c->device = g_strdup (fk_db_cell_text (res, i, 1));
  c->manifest = fk_db_cell_bytes (res, i, 2);
  c->manifest_sha256 = g_strdup (fk_db_cell_text (res, i, 3));
  c->receipt = fk_db_cell_bytes (res, i, 4);
  c->receipt_signature = g_strdup (fk_db_cell_text (res, i, 5));
  return c;
}

FkServerCommit *
fk_server_db_commit_get (FkServerDb *self, const char *dossier, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, FALSE, error);
  g_autoptr (FkDbResult) res = NULL;

  if (conn == NULL)
    return NULL;
  res = FK_DB_QUERY (conn,
                     "SELECT dossier, device, manifest, manifest_sha256, receipt,"
                     " receipt_signature FROM dossiers WHERE dossier = $1",
                     error, FK_DB_P_TEXT (dossier));
  if (res == NULL)
    return NULL;
  if (res->rows->len == 0)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_NOT_FOUND, _ ("No such dossier"));
      return NULL;
    }
  return commit_from_row (res, 0);
}

GPtrArray *
fk_server_db_commit_list (FkServerDb *self, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, FALSE, error);
  g_autoptr (FkDbResult) res = NULL;
  GPtrArray *list;

  if (conn == NULL)
    return NULL;
  res = FK_DB_QUERY0 (conn,
                      "SELECT dossier, device, manifest, manifest_sha256, receipt,"
                      " receipt_signature FROM dossiers ORDER BY dossier",
                      error);
  if (res == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) fk_server_commit_free);
  for (guint i = 0; i < res->rows->len; i++)
    g_ptr_array_add (list, commit_from_row (res, i));
  return list;
}

/**
 * fk_server_db_result_add:
 * @user: who records it (an office account, or "fieldkit-server" for the
 *   command line), for the dossier's history
 *
 * Makes the result something devices of @commune pull, and, in the same
 * transaction, the dossier's state in the office (unless it was handed
 * over already) with a line in its history.
 */
gboolean
fk_server_db_result_add (FkServerDb *self, const char *commune, const char *dossier,
                         const char *status, const char *note, const char *user, GError **error)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *now_text = now_iso ();
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, TRUE, error);
  g_autoptr (FkDbResult) res = NULL;
  g_autoptr (FkDbResult) state = NULL;
  g_autoptr (FkDbResult) history = NULL;

  if (conn == NULL || !fk_db_exec (conn, self->backend->begin_write, error))
    return FALSE;
  res = FK_DB_QUERY (conn,
                     "INSERT INTO results (commune, dossier, status, note,"
                     " created_at) VALUES ($1, $2, $3, $4, $5)",
                     error, FK_DB_P_TEXT (commune), FK_DB_P_TEXT (dossier), FK_DB_P_TEXT (status),
                     FK_DB_P_TEXT (note != NULL ? note : ""), FK_DB_P_TEXT (now_text));
  if (res != NULL)
    state = FK_DB_QUERY (conn,
                         "UPDATE office_dossiers SET state = $2, state_at = $3 WHERE dossier = $1"
                         " AND state NOT IN ('handed-over', 'unreadable')"
                         " AND $2 IN ('ready', 'rejected', 'needs-documents')",
                         error, FK_DB_P_TEXT (dossier), FK_DB_P_TEXT (status), FK_DB_P_INT (now));
  if (state != NULL)
    history = FK_DB_QUERY (conn,
                           "INSERT INTO office_history (dossier, at, user_name, event, detail)"
                           " VALUES ($1, $2, $3, $4, $5)",
                           error, FK_DB_P_TEXT (dossier), FK_DB_P_INT (now), FK_DB_P_TEXT (user),
                           FK_DB_P_TEXT (status), FK_DB_P_TEXT (note != NULL ? note : ""));
  if (history == NULL || !fk_db_exec (conn, "COMMIT", error))
    {
      fk_db_exec (conn, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

/**
 * fk_server_db_catalog_add:
 * @out_seq: (out) (optional): its place in the sequence devices pull
 *
 * Stores a signed catalog version as it is; fk_server_catalog_publish()
 * checks and signs it first. A version stored already is
 * %FK_SERVER_ERROR_EXISTS.
 */
gboolean
fk_server_db_catalog_add (FkServerDb *self, const char *version, const char *body,
                          const char *signature, gint64 *out_seq, GError **error)
{
  g_autofree char *now = now_iso ();
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, TRUE, error);
  g_autoptr (FkDbResult) res = NULL;

  if (conn == NULL)
    return FALSE;
  res = FK_DB_QUERY (conn,
                     "INSERT INTO catalog (body, created_at, version, signature)"
                     " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING seq",
                     error, FK_DB_P_TEXT (body), FK_DB_P_TEXT (now), FK_DB_P_TEXT (version),
                     FK_DB_P_TEXT (signature));
  if (res == NULL)
    return FALSE;
  if (res->rows->len == 0)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_EXISTS,
                   _ ("Catalog version %s is published already"), version);
      return FALSE;
    }
  if (out_seq != NULL)
    *out_seq = fk_db_cell_int (res, 0, 0);
  return TRUE;
}

void
fk_server_catalog_entry_free (FkServerCatalogEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->version);
  g_clear_pointer (&entry->body, g_bytes_unref);
  g_free (entry->signature);
  g_free (entry->published_at);
  g_free (entry);
}

static FkServerCatalogEntry *
catalog_entry (FkDbResult *res, guint row, gboolean with_body)
{
  FkServerCatalogEntry *entry = g_new0 (FkServerCatalogEntry, 1);

  entry->seq = fk_db_cell_int (res, row, 0);
  entry->version = g_strdup (fk_db_cell_text (res, row, 1));
  entry->signature = g_strdup (fk_db_cell_text (res, row, 2));
  entry->published_at = g_strdup (fk_db_cell_text (res, row, 3));
  if (with_body)
    entry->body = fk_db_cell_bytes (res, row, 4);
  return entry;
}

static gboolean
catalog_latest_on (FkDbConn *conn, gint64 after, FkServerCatalogEntry **out_entry, GError **error)
{
  g_autoptr (FkDbResult) res = NULL;

  *out_entry = NULL;
  res = FK_DB_QUERY (conn,
                     "SELECT seq, version, signature, created_at, body FROM catalog"
                     " WHERE seq > $1 AND signature <> '' ORDER BY seq DESC LIMIT 1",
                     error, FK_DB_P_INT (after));
  if (res == NULL)
    return FALSE;
  if (res->rows->len > 0)
    *out_entry = catalog_entry (res, 0, TRUE);
  return TRUE;
}

/**
 * fk_server_db_catalog_latest:
 * @after: only versions published after this sequence number (0: any)
 * @out_entry: (out) (transfer full) (nullable): the newest signed
 *   version with its body, %NULL when there is none
 *
 * Returns: %FALSE only when the database fails
 */
gboolean
fk_server_db_catalog_latest (FkServerDb *self, gint64 after, FkServerCatalogEntry **out_entry,
                             GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, FALSE, error);

  *out_entry = NULL;
  return conn != NULL && catalog_latest_on (conn, after, out_entry, error);
}

/**
 * fk_server_db_catalog_list:
 *
 * Returns: (transfer full) (element-type FkServerCatalogEntry) (nullable):
 *   every signed version, newest first, without their bodies
 */
GPtrArray *
fk_server_db_catalog_list (FkServerDb *self, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, FALSE, error);
  g_autoptr (FkDbResult) res = NULL;
  GPtrArray *out;

  if (conn == NULL)
    return NULL;
  res = FK_DB_QUERY0 (conn,
                      "SELECT seq, version, signature, created_at FROM catalog"
                      " WHERE signature <> '' ORDER BY seq DESC",
                      error);
  if (res == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) fk_server_catalog_entry_free);
  for (guint i = 0; i < res->rows->len; i++)
    g_ptr_array_add (out, catalog_entry (res, i, FALSE));
  return out;
}

/* The newest signed catalog after @catalog_since, as the pull answer's
 * "catalog" list (one entry at most: every version is a whole catalog). */
static gboolean
build_pull_catalog (FkDbConn *conn, JsonBuilder *b, gint64 catalog_since, gint64 *catalog_next,
                    GError **error)
{
  g_autoptr (FkServerCatalogEntry) entry = NULL;
  g_autofree char *text = NULL;

  if (!catalog_latest_on (conn, catalog_since, &entry, error))
    return FALSE;
  json_builder_set_member_name (b, "catalog");
  json_builder_begin_array (b);
  if (entry != NULL)
    {
      text = g_strndup (g_bytes_get_data (entry->body, NULL), g_bytes_get_size (entry->body));
      *catalog_next = entry->seq;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "seq");
      json_builder_add_int_value (b, entry->seq);
      json_builder_set_member_name (b, "version");
      json_builder_add_string_value (b, entry->version);
      json_builder_set_member_name (b, "body");
      json_builder_add_string_value (b, text);
      json_builder_set_member_name (b, "signature");
      json_builder_add_string_value (b, entry->signature);
      json_builder_set_member_name (b, "published_at");
      json_builder_add_string_value (b, entry->published_at);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return TRUE;
}

/**
 * fk_server_db_pull:
 *
 * The newest catalog version published after @catalog_since and the
 * results for @commune after @results_since (two separate sequences), as
 * the JSON body of GET /v1/pull.
 */
char *
fk_server_db_pull (FkServerDb *self, const char *commune, gint64 catalog_since,
                   gint64 results_since, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, FALSE, error);
  g_autoptr (FkDbResult) results = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  gint64 catalog_next = catalog_since;
  gint64 results_next = results_since;

  if (conn == NULL)
    return NULL;
  results =
    FK_DB_QUERY (conn,
                 "SELECT seq, dossier, status, note, created_at FROM results WHERE commune = $1"
                 " AND seq > $2 ORDER BY seq LIMIT 100",
                 error, FK_DB_P_TEXT (commune), FK_DB_P_INT (results_since));
  if (results == NULL)
    return NULL;
  json_builder_begin_object (b);
  if (!build_pull_catalog (conn, b, catalog_since, &catalog_next, error))
    return NULL;
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = 0; i < results->rows->len; i++)
    {
      results_next = MAX (results_next, fk_db_cell_int (results, i, 0));
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "seq");
      json_builder_add_int_value (b, fk_db_cell_int (results, i, 0));
      json_builder_set_member_name (b, "dossier");
      json_builder_add_string_value (b, fk_db_cell_text (results, i, 1));
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, fk_db_cell_text (results, i, 2));
      json_builder_set_member_name (b, "note");
      json_builder_add_string_value (b, fk_db_cell_text (results, i, 3));
      json_builder_set_member_name (b, "ready_at");
      json_builder_add_string_value (b, fk_db_cell_text (results, i, 4));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "catalog_next");
  json_builder_add_int_value (b, catalog_next);
  json_builder_set_member_name (b, "results_next");
  json_builder_add_int_value (b, results_next);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}
