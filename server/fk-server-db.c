/* fk-server-db.c: the storage operations, written once for both backends
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-db-private.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "fk-sync-error.h"

#define NONCE_KEEP_SECONDS (3 * 300)

GBytes *
fk_db_cell_new (const void *data, gsize length)
{
  char *copy = g_malloc (length + 1);

  if (length > 0)
    memcpy (copy, data, length);
  copy[length] = '\0';
  return g_bytes_new_take (copy, length);
}

FkDbResult *
fk_db_result_new (void)
{
  FkDbResult *result = g_new0 (FkDbResult, 1);

  result->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  return result;
}

void
fk_db_result_free (FkDbResult *result)
{
  if (result == NULL)
    return;
  g_ptr_array_unref (result->rows);
  g_free (result);
}

static const char *
cell_text (FkDbResult *result, guint row, guint col)
{
  GPtrArray *r = result->rows->pdata[row];
  GBytes *cell = r->pdata[col];

  return cell != NULL ? g_bytes_get_data (cell, NULL) : NULL;
}

static gint64
cell_int (FkDbResult *result, guint row, guint col)
{
  const char *text = cell_text (result, row, col);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}

static GBytes *
cell_bytes (FkDbResult *result, guint row, guint col)
{
  GPtrArray *r = result->rows->pdata[row];

  return r->pdata[col] != NULL ? g_bytes_ref (r->pdata[col]) : NULL;
}

#define QUERY(self, sql, error, ...)                                        \
  ({                                                                        \
    const FkDbParam _p[] = { __VA_ARGS__ };                                 \
    (self)->backend->query ((self), (sql), _p, G_N_ELEMENTS (_p), (error)); \
  })

#define QUERY0(self, sql, error) (self)->backend->query ((self), (sql), NULL, 0, (error))

static char *
now_iso (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

FkServerDb *
fk_server_db_open (const char *uri, GError **error)
{
  if (g_str_has_prefix (uri, "postgresql://") || g_str_has_prefix (uri, "postgres://"))
    return fk_server_db_pg_open (uri, error);
  if (g_str_has_prefix (uri, "file:"))
    {
      g_autofree char *path = g_filename_from_uri (uri, NULL, error);

      return path != NULL ? fk_server_db_sqlite_open (path, error) : NULL;
    }
  return fk_server_db_sqlite_open (uri, error);
}

void
fk_server_db_close (FkServerDb *self)
{
  if (self == NULL)
    return;
  self->backend->close (self);
  g_free (self);
}

gboolean
fk_server_db_device_add (FkServerDb *self, const char *pubkey, const char *name,
                         const char *commune, GError **error)
{
  g_autofree char *now = now_iso ();
  g_autoptr (FkDbResult) res =
    QUERY (self,
           "INSERT INTO devices (pubkey, name, commune, created_at)"
           " VALUES ($1, $2, $3, $4) ON CONFLICT (pubkey) DO NOTHING",
           error, FK_DB_P_TEXT (pubkey), FK_DB_P_TEXT (name),
           FK_DB_P_TEXT (commune != NULL ? commune : ""), FK_DB_P_TEXT (now));

  if (res == NULL)
    return FALSE;
  if (res->changes == 0)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CONFLICT,
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
  g_autoptr (FkDbResult) res = QUERY0 (
    self,
    "SELECT pubkey, name, commune, created_at, revoked FROM devices ORDER BY created_at, name",
    error);
  GPtrArray *devices;

  if (res == NULL)
    return NULL;
  devices = g_ptr_array_new_with_free_func ((GDestroyNotify) fk_server_device_free);
  for (guint i = 0; i < res->rows->len; i++)
    {
      FkServerDevice *d = g_new0 (FkServerDevice, 1);

      d->pubkey = g_strdup (cell_text (res, i, 0));
      d->name = g_strdup (cell_text (res, i, 1));
      d->commune = g_strdup (cell_text (res, i, 2));
      d->created_at = g_strdup (cell_text (res, i, 3));
      d->revoked = cell_int (res, i, 4) != 0;
      g_ptr_array_add (devices, d);
    }
  return devices;
}

gboolean
fk_server_db_device_revoke (FkServerDb *self, const char *pubkey, GError **error)
{
  g_autoptr (FkDbResult) res =
    QUERY (self, "UPDATE devices SET revoked = 1 WHERE pubkey = $1", error, FK_DB_P_TEXT (pubkey));

  if (res == NULL)
    return FALSE;
  if (res->changes == 0)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_FOUND,
                   _ ("No device with this key is enrolled"));
      return FALSE;
    }
  return TRUE;
}

FkServerDeviceState
fk_server_db_device_state (FkServerDb *self, const char *pubkey, char **commune, GError **error)
{
  g_autoptr (FkDbResult) res = QUERY (
    self, "SELECT revoked, commune FROM devices WHERE pubkey = $1", error, FK_DB_P_TEXT (pubkey));

  if (res == NULL || res->rows->len == 0)
    return FK_SERVER_DEVICE_UNKNOWN;
  if (commune != NULL)
    *commune = g_strdup (cell_text (res, 0, 1));
  return cell_int (res, 0, 0) != 0 ? FK_SERVER_DEVICE_REVOKED : FK_SERVER_DEVICE_ACTIVE;
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
  g_autoptr (FkDbResult) res = NULL;
  g_autoptr (FkDbResult) purge = NULL;

  res = QUERY (self,
               "INSERT INTO nonces (device, nonce, ts) VALUES ($1, $2, $3)"
               " ON CONFLICT (device, nonce) DO NOTHING",
               error, FK_DB_P_TEXT (device), FK_DB_P_TEXT (nonce), FK_DB_P_INT (timestamp));
  if (res == NULL)
    return FALSE;
  *fresh = res->changes == 1;
  if (g_random_int_range (0, 64) == 0)
    purge = QUERY (self, "DELETE FROM nonces WHERE ts < $1", NULL,
                   FK_DB_P_INT (g_get_real_time () / G_USEC_PER_SEC - NONCE_KEEP_SECONDS));
  return TRUE;
}

static gboolean
read_state (FkServerDb *self, const char *device, const char *sha256, FkServerBlobState *state,
            GError **error)
{
  g_autoptr (FkDbResult) res =
    QUERY (self, "SELECT length, received, complete FROM blobs WHERE device = $1 AND sha256 = $2",
           error, FK_DB_P_TEXT (device), FK_DB_P_TEXT (sha256));

  if (res == NULL)
    return FALSE;
  if (res->rows->len == 0)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_FOUND, _ ("No such upload"));
      return FALSE;
    }
  state->length = (guint64) cell_int (res, 0, 0);
  state->offset = (guint64) cell_int (res, 0, 1);
  state->complete = cell_int (res, 0, 2) != 0;
  return TRUE;
}

GBytes *
fk_server_db_blob_read (FkServerDb *self, const char *device, const char *sha256, GError **error)
{
  g_autoptr (FkDbResult) res = QUERY (self,
                                      "SELECT off, data FROM chunks WHERE device = $1 AND"
                                      " sha256 = $2 ORDER BY off",
                                      error, FK_DB_P_TEXT (device), FK_DB_P_TEXT (sha256));
  g_autoptr (GByteArray) out = g_byte_array_new ();

  if (res == NULL)
    return NULL;
  for (guint i = 0; i < res->rows->len; i++)
    {
      g_autoptr (GBytes) chunk = cell_bytes (res, i, 1);
      gsize len = 0;
      const guint8 *data = g_bytes_get_data (chunk, &len);

      if ((guint64) cell_int (res, i, 0) != out->len)
        {
          g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_STORAGE,
                       _ ("The server database holds a damaged upload"));
          return NULL;
        }
      g_byte_array_append (out, data, len);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* A blob whose bytes are all in is complete only if they hash to what was
 * announced; otherwise it starts again from zero. Run by whoever sees it
 * full, so a process that died after the last chunk leaves nothing stuck. */
static gboolean
finish_if_full (FkServerDb *self, const char *device, const char *sha256, FkServerBlobState *state,
                GError **error)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *actual = NULL;
  g_autoptr (FkDbResult) res = NULL;
  gsize len = 0;
  const void *data;

  if (state->complete || state->offset != state->length)
    return TRUE;
  bytes = fk_server_db_blob_read (self, device, sha256, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &len);
  actual = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
  if (len == state->length && strcmp (actual, sha256) == 0)
    {
      res = QUERY (self, "UPDATE blobs SET complete = 1 WHERE device = $1 AND sha256 = $2", error,
                   FK_DB_P_TEXT (device), FK_DB_P_TEXT (sha256));
      if (res == NULL)
        return FALSE;
      state->complete = TRUE;
      return TRUE;
    }
  if (!self->backend->exec (self, self->backend->begin_write, error))
    return FALSE;
  res = QUERY (self, "DELETE FROM chunks WHERE device = $1 AND sha256 = $2", error,
               FK_DB_P_TEXT (device), FK_DB_P_TEXT (sha256));
  if (res != NULL)
    {
      g_clear_pointer (&res, fk_db_result_free);
      res = QUERY (self, "UPDATE blobs SET received = 0 WHERE device = $1 AND sha256 = $2", error,
                   FK_DB_P_TEXT (device), FK_DB_P_TEXT (sha256));
    }
  if (res == NULL || !self->backend->exec (self, "COMMIT", error))
    {
      self->backend->exec (self, "ROLLBACK", NULL);
      return FALSE;
    }
  state->offset = 0;
  g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_REJECTED,
               _ ("The uploaded bytes do not match the announced SHA-256; the upload starts "
                  "again"));
  return FALSE;
}

gboolean
fk_server_db_blob_create (FkServerDb *self, const char *device, const char *sha256, guint64 length,
                          FkServerBlobState *state, GError **error)
{
  g_autoptr (FkDbResult) res =
    QUERY (self,
           "INSERT INTO blobs (device, sha256, length) VALUES ($1, $2,"
           " $3) ON CONFLICT (device, sha256) DO NOTHING",
           error, FK_DB_P_TEXT (device), FK_DB_P_TEXT (sha256), FK_DB_P_INT ((gint64) length));

  if (res == NULL || !read_state (self, device, sha256, state, error))
    return FALSE;
  if (state->length != length)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CONFLICT,
                   _ ("An upload with this SHA-256 exists with another length"));
      return FALSE;
    }
  return finish_if_full (self, device, sha256, state, error);
}

gboolean
fk_server_db_blob_state (FkServerDb *self, const char *device, const char *sha256,
                         FkServerBlobState *state, GError **error)
{
  return read_state (self, device, sha256, state, error) &&
         finish_if_full (self, device, sha256, state, error);
}

/**
 * fk_server_db_blob_append:
 *
 * Appends a chunk only if @offset is where the upload stands now: the
 * offset moves by compare-and-set in the same transaction as the chunk is
 * stored, so a retried or concurrent chunk can never land twice. On a
 * mismatch fails with %FK_SYNC_ERROR_CONFLICT and @state holds the offset
 * the client must resume from.
 */
gboolean
fk_server_db_blob_append (FkServerDb *self, const char *device, const char *sha256, guint64 offset,
                          const void *data, gsize length, FkServerBlobState *state, GError **error)
{
  g_autoptr (FkDbResult) upd = NULL;
  g_autoptr (FkDbResult) ins = NULL;

  if (!self->backend->exec (self, self->backend->begin_write, error))
    return FALSE;
  upd = QUERY (self,
               "UPDATE blobs SET received = received + $4 WHERE device = $1 AND sha256 = $2"
               " AND received = $3 AND complete = 0 AND received + $4 <= length",
               error, FK_DB_P_TEXT (device), FK_DB_P_TEXT (sha256), FK_DB_P_INT ((gint64) offset),
               FK_DB_P_INT ((gint64) length));
  if (upd != NULL && upd->changes == 1)
    ins = QUERY (self, "INSERT INTO chunks (device, sha256, off, data) VALUES ($1, $2, $3, $4)",
                 error, FK_DB_P_TEXT (device), FK_DB_P_TEXT (sha256), FK_DB_P_INT ((gint64) offset),
                 FK_DB_P_BLOB (data, length));
  if (ins == NULL || !self->backend->exec (self, "COMMIT", error))
    {
      self->backend->exec (self, "ROLLBACK", NULL);
      if (upd == NULL || (ins == NULL && upd->changes == 1))
        return FALSE;
      g_clear_error (error);
      if (!read_state (self, device, sha256, state, error))
        return FALSE;
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CONFLICT,
                   state->complete ? _ ("The upload is already complete")
                                   : _ ("The chunk does not start at the upload's offset"));
      return FALSE;
    }
  return read_state (self, device, sha256, state, error) &&
         finish_if_full (self, device, sha256, state, error);
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
  g_autoptr (FkDbResult) res = NULL;

  /* On disk before any receipt for it leaves the server. */
  if (!self->backend->exec (self, self->backend->durable_on, error))
    return FALSE;
  res = QUERY (self,
               "INSERT INTO dossiers (dossier, device, manifest, manifest_sha256, receipt,"
               " receipt_signature, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
               " ON CONFLICT (dossier) DO NOTHING",
               error, FK_DB_P_TEXT (commit->dossier), FK_DB_P_TEXT (commit->device),
               FK_DB_P_BLOB (manifest, manifest_len), FK_DB_P_TEXT (commit->manifest_sha256),
               FK_DB_P_BLOB (receipt, receipt_len), FK_DB_P_TEXT (commit->receipt_signature),
               FK_DB_P_TEXT (now));
  if (!self->backend->exec (self, self->backend->durable_off, res != NULL ? error : NULL))
    return FALSE;
  return res != NULL;
}

static FkServerCommit *
commit_from_row (FkDbResult *res, guint i)
{
  FkServerCommit *c = g_new0 (FkServerCommit, 1);

  c->dossier = g_strdup (cell_text (res, i, 0));
  c->device = g_strdup (cell_text (res, i, 1));
  c->manifest = cell_bytes (res, i, 2);
  c->manifest_sha256 = g_strdup (cell_text (res, i, 3));
  c->receipt = cell_bytes (res, i, 4);
  c->receipt_signature = g_strdup (cell_text (res, i, 5));
  return c;
}

FkServerCommit *
fk_server_db_commit_get (FkServerDb *self, const char *dossier, GError **error)
{
  g_autoptr (FkDbResult) res = QUERY (self,
                                      "SELECT dossier, device, manifest, manifest_sha256, receipt,"
                                      " receipt_signature FROM dossiers WHERE dossier = $1",
                                      error, FK_DB_P_TEXT (dossier));

  if (res == NULL)
    return NULL;
  if (res->rows->len == 0)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_FOUND, _ ("No such dossier"));
      return NULL;
    }
  return commit_from_row (res, 0);
}

GPtrArray *
fk_server_db_commit_list (FkServerDb *self, GError **error)
{
  g_autoptr (FkDbResult) res = QUERY0 (self,
                                       "SELECT dossier, device, manifest, manifest_sha256, receipt,"
                                       " receipt_signature FROM dossiers ORDER BY dossier",
                                       error);
  GPtrArray *list;

  if (res == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) fk_server_commit_free);
  for (guint i = 0; i < res->rows->len; i++)
    g_ptr_array_add (list, commit_from_row (res, i));
  return list;
}

gboolean
fk_server_db_result_add (FkServerDb *self, const char *commune, const char *dossier,
                         const char *status, const char *note, GError **error)
{
  g_autofree char *now = now_iso ();
  g_autoptr (FkDbResult) res =
    QUERY (self,
           "INSERT INTO results (commune, dossier, status, note,"
           " created_at) VALUES ($1, $2, $3, $4, $5)",
           error, FK_DB_P_TEXT (commune), FK_DB_P_TEXT (dossier), FK_DB_P_TEXT (status),
           FK_DB_P_TEXT (note != NULL ? note : ""), FK_DB_P_TEXT (now));

  return res != NULL;
}

gboolean
fk_server_db_catalog_add (FkServerDb *self, const char *json, GError **error)
{
  g_autofree char *now = now_iso ();
  g_autoptr (FkDbResult) res =
    QUERY (self, "INSERT INTO catalog (body, created_at) VALUES ($1, $2)", error,
           FK_DB_P_TEXT (json), FK_DB_P_TEXT (now));

  return res != NULL;
}

/**
 * fk_server_db_pull:
 *
 * Catalog updates after @catalog_since and results for @commune after
 * @results_since (two separate sequences), as the
 * JSON body of GET /v1/pull.
 */
char *
fk_server_db_pull (FkServerDb *self, const char *commune, gint64 catalog_since,
                   gint64 results_since, GError **error)
{
  g_autoptr (FkDbResult) cat = QUERY (self,
                                      "SELECT seq, body FROM catalog WHERE seq > $1 ORDER BY seq"
                                      " LIMIT 100",
                                      error, FK_DB_P_INT (catalog_since));
  g_autoptr (FkDbResult) results = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  gint64 catalog_next = catalog_since;
  gint64 results_next = results_since;

  if (cat == NULL)
    return NULL;
  results = QUERY (self,
                   "SELECT seq, dossier, status, note, created_at FROM results WHERE commune = $1"
                   " AND seq > $2 ORDER BY seq LIMIT 100",
                   error, FK_DB_P_TEXT (commune), FK_DB_P_INT (results_since));
  if (results == NULL)
    return NULL;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "catalog");
  json_builder_begin_array (b);
  for (guint i = 0; i < cat->rows->len; i++)
    {
      g_autoptr (JsonNode) body = json_from_string (cell_text (cat, i, 1), NULL);

      catalog_next = MAX (catalog_next, cell_int (cat, i, 0));
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "seq");
      json_builder_add_int_value (b, cell_int (cat, i, 0));
      json_builder_set_member_name (b, "update");
      if (body != NULL)
        json_builder_add_value (b, g_steal_pointer (&body));
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = 0; i < results->rows->len; i++)
    {
      results_next = MAX (results_next, cell_int (results, i, 0));
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "seq");
      json_builder_add_int_value (b, cell_int (results, i, 0));
      json_builder_set_member_name (b, "dossier");
      json_builder_add_string_value (b, cell_text (results, i, 1));
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, cell_text (results, i, 2));
      json_builder_set_member_name (b, "note");
      json_builder_add_string_value (b, cell_text (results, i, 3));
      json_builder_set_member_name (b, "ready_at");
      json_builder_add_string_value (b, cell_text (results, i, 4));
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
