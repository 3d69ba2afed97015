/* fk-server-db-blob.c: resumable uploads, stored as chunk rows
 *
 * Invariants: a chunk row is written only in the transaction that moves
 * its blob's offset by compare-and-set, so chunks never overlap and never
 * change once written; a blob is complete only once its bytes hash to the
 * announced SHA-256. Hashing reads the chunks a few at a time on a read
 * connection, so the last chunk of a large blob holds neither the writer
 * nor much memory. No function here holds two connection leases at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-db-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fk-server-error.h"
#include "fk-sync-error.h"

#define CHUNKS_PER_PAGE 8

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
read_state (FkDbConn *conn, const char *device, const char *sha256, FkServerBlobState *state,
            GError **error)
{
  g_autoptr (FkDbResult) res = FK_DB_QUERY (
    conn, "SELECT length, received, complete FROM blobs WHERE device = $1 AND sha256 = $2", error,
    FK_DB_P_TEXT (device), FK_DB_P_TEXT (sha256));

  if (res == NULL)
    return FALSE;
  if (res->rows->len == 0)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_FOUND, _ ("No such upload"));
      return FALSE;
    }
  state->length = (guint64) fk_db_cell_int (res, 0, 0);
  state->offset = (guint64) fk_db_cell_int (res, 0, 1);
  state->complete = fk_db_cell_int (res, 0, 2) != 0;
  return TRUE;
}

static gboolean
damaged (GError **error)
{
  g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_STORAGE,
               _ ("The server database holds a damaged upload"));
  return FALSE;
}

gboolean
fk_server_db_blob_foreach (FkServerDb *self, const char *device, const char *sha256,
                           FkServerChunkFunc func, gpointer user_data, GError **error)
{
  guint64 next = 0;

  for (;;)
    {
      g_autoptr (FkDbConn) conn = fk_db_acquire (self, FALSE, error);
      g_autoptr (FkDbResult) res = NULL;

      if (conn == NULL)
        return FALSE;
      res = FK_DB_QUERY (conn,
                         "SELECT off, data FROM chunks WHERE device = $1 AND sha256 = $2"
                         " AND off >= $3 ORDER BY off LIMIT 8",
                         error, FK_DB_P_TEXT (device), FK_DB_P_TEXT (sha256),
                         FK_DB_P_INT ((gint64) next));
      if (res == NULL)
        return FALSE;
      g_clear_pointer (&conn, fk_db_release);
      for (guint i = 0; i < res->rows->len; i++)
        {
          g_autoptr (GBytes) chunk = fk_db_cell_bytes (res, i, 1);
          gsize len = 0;
          const guint8 *data = chunk != NULL ? g_bytes_get_data (chunk, &len) : NULL;

          if ((guint64) fk_db_cell_int (res, i, 0) != next || len == 0)
            return damaged (error);
          if (!func (data, len, user_data, error))
            return FALSE;
          next += len;
        }
      if (res->rows->len < CHUNKS_PER_PAGE)
        return TRUE;
    }
}

typedef struct
{
  GByteArray *bytes;
  guint64 max_length;
} ReadAll;

static gboolean
append_chunk (const guint8 *data, gsize length, gpointer user_data, GError **error)
{
  ReadAll *all = user_data;

  if (all->bytes->len + length > all->max_length)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_REJECTED,
                   _ ("The upload is larger than the server reads at once"));
      return FALSE;
    }
  g_byte_array_append (all->bytes, data, length);
  return TRUE;
}

GBytes *
fk_server_db_blob_read (FkServerDb *self, const char *device, const char *sha256,
                        guint64 max_length, GError **error)
{
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  ReadAll all = { bytes, max_length };

  if (!fk_server_db_blob_foreach (self, device, sha256, append_chunk, &all, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

static gboolean
hash_chunk (const guint8 *data, gsize length, gpointer user_data, GError **error)
{
  g_checksum_update (user_data, data, length);
  return TRUE;
}

/* A blob whose bytes are all in is complete only if they hash to what was
 * announced; otherwise it starts again from zero. Run by whoever sees it
 * full, so a process that died after the last chunk leaves nothing stuck.
 * The caller holds no lease. */
static gboolean
finish_if_full (FkServerDb *self, const char *device, const char *sha256, FkServerBlobState *state,
                GError **error)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (FkDbConn) conn = NULL;
  g_autoptr (FkDbResult) res = NULL;

  if (state->complete || state->offset != state->length)
    return TRUE;
  if (!fk_server_db_blob_foreach (self, device, sha256, hash_chunk, sum, error))
    return FALSE;
  conn = fk_db_acquire (self, TRUE, error);
  if (conn == NULL)
    return FALSE;
  if (strcmp (g_checksum_get_string (sum), sha256) == 0)
    {
      res = FK_DB_QUERY (conn,
                         "UPDATE blobs SET complete = 1 WHERE device = $1 AND sha256 = $2"
                         " AND received = length",
                         error, FK_DB_P_TEXT (device), FK_DB_P_TEXT (sha256));
      if (res == NULL)
        return FALSE;
      state->complete = TRUE;
      return TRUE;
    }
  if (!fk_db_exec (conn, self->backend->begin_write, error))
    return FALSE;
  res = FK_DB_QUERY (conn, "DELETE FROM chunks WHERE device = $1 AND sha256 = $2", error,
                     FK_DB_P_TEXT (device), FK_DB_P_TEXT (sha256));
  if (res != NULL)
    {
      g_clear_pointer (&res, fk_db_result_free);
      res = FK_DB_QUERY (conn,
                         "UPDATE blobs SET received = 0, updated_at = $3 WHERE device = $1"
                         " AND sha256 = $2",
                         error, FK_DB_P_TEXT (device), FK_DB_P_TEXT (sha256),
                         FK_DB_P_INT (now_unix ()));
    }
  if (res == NULL || !fk_db_exec (conn, "COMMIT", error))
    {
      fk_db_exec (conn, "ROLLBACK", NULL);
      return FALSE;
    }
  state->offset = 0;
  g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_REJECTED,
               _ ("The uploaded bytes do not match the announced SHA-256; the upload starts "
                  "again"));
  return FALSE;
}

/* A new upload counts against the device's quota with its whole length. */
static gboolean
check_quota (FkDbConn *conn, const char *device, guint64 length, guint64 quota, GError **error)
{
  g_autoptr (FkDbResult) res = NULL;
  guint64 used;

  if (quota == 0)
    return TRUE;
  res = FK_DB_QUERY (conn, "SELECT coalesce(sum(length), 0) FROM blobs WHERE device = $1", error,
                     FK_DB_P_TEXT (device));
  if (res == NULL)
    return FALSE;
  used = (guint64) fk_db_cell_int (res, 0, 0);
  if (used + length > quota)
    {
      g_autofree char *quota_text = g_format_size (quota);

      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_QUOTA,
                   _ ("This device has used its storage on the server (%s); ask the commune's "
                      "administrator"),
                   quota_text);
      return FALSE;
    }
  return TRUE;
}

gboolean
fk_server_db_blob_create (FkServerDb *self, const char *device, const char *sha256, guint64 length,
                          guint64 quota, FkServerBlobState *state, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, TRUE, error);
  g_autoptr (FkDbResult) res = NULL;
  g_autoptr (GError) local = NULL;

  if (conn == NULL)
    return FALSE;
  if (!read_state (conn, device, sha256, state, &local))
    {
      if (!g_error_matches (local, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (!check_quota (conn, device, length, quota, error))
        return FALSE;
      res = FK_DB_QUERY (conn,
                         "INSERT INTO blobs (device, sha256, length, updated_at) VALUES ($1, $2,"
                         " $3, $4) ON CONFLICT (device, sha256) DO NOTHING",
                         error, FK_DB_P_TEXT (device), FK_DB_P_TEXT (sha256),
                         FK_DB_P_INT ((gint64) length), FK_DB_P_INT (now_unix ()));
      if (res == NULL || !read_state (conn, device, sha256, state, error))
        return FALSE;
    }
  g_clear_pointer (&conn, fk_db_release);
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
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, FALSE, error);

  if (conn == NULL || !read_state (conn, device, sha256, state, error))
    return FALSE;
  g_clear_pointer (&conn, fk_db_release);
  return finish_if_full (self, device, sha256, state, error);
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
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, TRUE, error);
  g_autoptr (FkDbResult) upd = NULL;
  g_autoptr (FkDbResult) ins = NULL;

  if (conn == NULL || !fk_db_exec (conn, self->backend->begin_write, error))
    return FALSE;
  upd =
    FK_DB_QUERY (conn,
                 "UPDATE blobs SET received = received + $4, updated_at = $5 WHERE device = $1"
                 " AND sha256 = $2 AND received = $3 AND complete = 0"
                 " AND received + $4 <= length",
                 error, FK_DB_P_TEXT (device), FK_DB_P_TEXT (sha256), FK_DB_P_INT ((gint64) offset),
                 FK_DB_P_INT ((gint64) length), FK_DB_P_INT (now_unix ()));
  if (upd != NULL && upd->changes == 1)
    ins =
      FK_DB_QUERY (conn, "INSERT INTO chunks (device, sha256, off, data) VALUES ($1, $2, $3, $4)",
                   error, FK_DB_P_TEXT (device), FK_DB_P_TEXT (sha256),
                   FK_DB_P_INT ((gint64) offset), FK_DB_P_BLOB (data, length));
  if (ins == NULL || !fk_db_exec (conn, "COMMIT", error))
    {
      fk_db_exec (conn, "ROLLBACK", NULL);
      if (upd == NULL || (ins == NULL && upd->changes == 1))
        return FALSE;
      g_clear_error (error);
      if (!read_state (conn, device, sha256, state, error))
        return FALSE;
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CONFLICT,
                   state->complete ? _ ("The upload is already complete")
                                   : _ ("The chunk does not start at the upload's offset"));
      return FALSE;
    }
  if (!read_state (conn, device, sha256, state, error))
    return FALSE;
  g_clear_pointer (&conn, fk_db_release);
  return finish_if_full (self, device, sha256, state, error);
}

static gboolean
remove_one (FkServerDb *self, const char *device, const char *sha256, gint64 before,
            gboolean *removed, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self, TRUE, error);
  g_autoptr (FkDbResult) del = NULL;
  g_autoptr (FkDbResult) chunks = NULL;

  if (conn == NULL || !fk_db_exec (conn, self->backend->begin_write, error))
    return FALSE;
  /* Checked again in the transaction: a chunk that arrived since the
   * listing keeps the upload. */
  del = FK_DB_QUERY (conn,
                     "DELETE FROM blobs WHERE device = $1 AND sha256 = $2 AND complete = 0"
                     " AND updated_at < $3",
                     error, FK_DB_P_TEXT (device), FK_DB_P_TEXT (sha256), FK_DB_P_INT (before));
  if (del != NULL && del->changes == 1)
    chunks = FK_DB_QUERY (conn, "DELETE FROM chunks WHERE device = $1 AND sha256 = $2", error,
                          FK_DB_P_TEXT (device), FK_DB_P_TEXT (sha256));
  if (del == NULL || (del->changes == 1 && chunks == NULL) || !fk_db_exec (conn, "COMMIT", error))
    {
      fk_db_exec (conn, "ROLLBACK", NULL);
      return FALSE;
    }
  *removed = del->changes == 1;
  return TRUE;
}

gboolean
fk_server_db_blob_remove_stale (FkServerDb *self, gint64 before, guint *n_removed, GError **error)
{
  g_autoptr (FkDbResult) stamp = NULL;
  g_autoptr (FkDbResult) stale = NULL;

  *n_removed = 0;
  {
    g_autoptr (FkDbConn) conn = fk_db_acquire (self, TRUE, error);

    /* Uploads from before the time was recorded start their clock now. */
    if (conn != NULL)
      stamp = FK_DB_QUERY (conn, "UPDATE blobs SET updated_at = $1 WHERE updated_at = 0", error,
                           FK_DB_P_INT (now_unix ()));
    if (stamp == NULL)
      return FALSE;
  }
  {
    g_autoptr (FkDbConn) conn = fk_db_acquire (self, FALSE, error);

    if (conn != NULL)
      stale = FK_DB_QUERY (conn,
                           "SELECT device, sha256 FROM blobs WHERE complete = 0 AND"
                           " updated_at < $1 LIMIT 500",
                           error, FK_DB_P_INT (before));
    if (stale == NULL)
      return FALSE;
  }
  for (guint i = 0; i < stale->rows->len; i++)
    {
      gboolean removed = FALSE;

      if (!remove_one (self, fk_db_cell_text (stale, i, 0), fk_db_cell_text (stale, i, 1), before,
                       &removed, error))
        return FALSE;
      if (removed)
        (*n_removed)++;
    }
  return TRUE;
}
