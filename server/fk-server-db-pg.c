/* fk-server-db-pg.c: the intake server's storage in PostgreSQL, for a
 * province that runs several server processes on one database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-db-private.h"

#include <glib/gi18n.h>
#include <libpq-fe.h>
#include <stdlib.h>

#include "fk-server-error.h"

#define BYTEA_OID 17

static const char schema[] =
  "CREATE TABLE IF NOT EXISTS devices (pubkey TEXT PRIMARY KEY, name TEXT NOT NULL,"
  " commune TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL,"
  " revoked INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE IF NOT EXISTS nonces (device TEXT NOT NULL, nonce TEXT NOT NULL,"
  " ts BIGINT NOT NULL, PRIMARY KEY (device, nonce));"
  "CREATE TABLE IF NOT EXISTS blobs (device TEXT NOT NULL, sha256 TEXT NOT NULL,"
  " length BIGINT NOT NULL, received BIGINT NOT NULL DEFAULT 0,"
  " complete INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (device, sha256));"
  "CREATE TABLE IF NOT EXISTS chunks (device TEXT NOT NULL, sha256 TEXT NOT NULL,"
  " off BIGINT NOT NULL, data BYTEA NOT NULL, PRIMARY KEY (device, sha256, off));"
  "CREATE TABLE IF NOT EXISTS dossiers (dossier TEXT PRIMARY KEY, device TEXT NOT NULL,"
  " manifest BYTEA NOT NULL, manifest_sha256 TEXT NOT NULL, receipt BYTEA NOT NULL,"
  " receipt_signature TEXT NOT NULL, created_at TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS results (seq BIGSERIAL PRIMARY KEY,"
  " commune TEXT NOT NULL, dossier TEXT NOT NULL, status TEXT NOT NULL, note TEXT NOT NULL,"
  " created_at TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS catalog (seq BIGSERIAL PRIMARY KEY,"
  " body TEXT NOT NULL, created_at TEXT NOT NULL);";

static gboolean
pg_fail (PGconn *conn, GError **error)
{
  g_autofree char *msg = g_strdup (PQerrorMessage (conn));

  g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_STORAGE,
               _ ("The server database failed: %s"), g_strstrip (msg));
  return FALSE;
}

#define SESSION_SETUP "SET client_min_messages = warning; SET synchronous_commit = off"

/* A connection the database dropped (restart, network) is opened again
 * before the next statement, with the session's settings. */
static void
pg_revive (PGconn *conn)
{
  if (PQstatus (conn) == CONNECTION_OK)
    return;
  PQreset (conn);
  if (PQstatus (conn) == CONNECTION_OK)
    PQclear (PQexec (conn, SESSION_SETUP));
}

static gboolean
pg_exec (FkDbConn *db_conn, const char *sql, GError **error)
{
  PGconn *conn = db_conn->handle;
  PGresult *res;
  gboolean ok;

  pg_revive (conn);
  res = PQexec (conn, sql);
  ok = PQresultStatus (res) == PGRES_COMMAND_OK || PQresultStatus (res) == PGRES_TUPLES_OK;
  if (!ok)
    pg_fail (conn, error);
  PQclear (res);
  return ok;
}

static FkDbResult *
pg_query (FkDbConn *db_conn, const char *sql, const FkDbParam *params, guint n_params,
          GError **error)
{
  PGconn *conn = db_conn->handle;
  g_autofree const char **values = g_new0 (const char *, n_params + 1);
  g_autofree int *lengths = g_new0 (int, n_params + 1);
  g_autofree int *formats = g_new0 (int, n_params + 1);
  g_autoptr (GPtrArray) ints = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (FkDbResult) result = fk_db_result_new ();
  PGresult *res;
  ExecStatusType status;

  for (guint i = 0; i < n_params; i++)
    {
      switch (params[i].type)
        {
          case FK_DB_TEXT:
            values[i] = params[i].text;
            break;
          case FK_DB_INT:
            {
              char *text = g_strdup_printf ("%" G_GINT64_FORMAT, params[i].integer);

              g_ptr_array_add (ints, text);
              values[i] = text;
            }
            break;
          case FK_DB_BLOB:
          default:
            values[i] = params[i].data;
            lengths[i] = (int) params[i].length;
            formats[i] = 1;
            break;
        }
    }
  pg_revive (conn);
  res = PQexecParams (conn, sql, (int) n_params, NULL, values, lengths, formats, 0);
  status = PQresultStatus (res);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      pg_fail (conn, error);
      PQclear (res);
      return NULL;
    }
  for (int r = 0; r < PQntuples (res); r++)
    {
      GPtrArray *row = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

      for (int c = 0; c < PQnfields (res); c++)
        {
          if (PQgetisnull (res, r, c))
            g_ptr_array_add (row, NULL);
          else if (PQftype (res, c) == BYTEA_OID)
            {
              size_t len = 0;
              unsigned char *raw =
                PQunescapeBytea ((const unsigned char *) PQgetvalue (res, r, c), &len);

              g_ptr_array_add (row, fk_db_cell_new (raw, len));
              PQfreemem (raw);
            }
          else
            g_ptr_array_add (
              row, fk_db_cell_new (PQgetvalue (res, r, c), (gsize) PQgetlength (res, r, c)));
        }
      g_ptr_array_add (result->rows, row);
    }
  result->changes = g_ascii_strtoull (PQcmdTuples (res), NULL, 10);
  PQclear (res);
  return g_steal_pointer (&result);
}

static gpointer
pg_connect (FkServerDb *db, gboolean writer, GError **error)
{
  PGconn *conn = PQconnectdb (db->location);
  PGresult *res;
  gboolean ok;

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *msg = g_strdup (PQerrorMessage (conn));

      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_STORAGE,
                   _ ("Cannot connect to the PostgreSQL server: %s"), g_strstrip (msg));
      PQfinish (conn);
      return NULL;
    }
  res = PQexec (conn, SESSION_SETUP);
  ok = PQresultStatus (res) == PGRES_COMMAND_OK;
  PQclear (res);
  if (!ok)
    {
      pg_fail (conn, error);
      PQfinish (conn);
      return NULL;
    }
  return conn;
}

static void
pg_disconnect (gpointer handle)
{
  PQfinish (handle);
}

/* Server processes starting together must not race on CREATE TABLE. */
static const FkDbBackend pg_backend = {
  .query = pg_query,
  .exec = pg_exec,
  .connect = pg_connect,
  .disconnect = pg_disconnect,
  .schema_v1 = schema,
  .serial_key = "BIGSERIAL PRIMARY KEY",
  .blob_type = "BYTEA",
  .migrate_lock = "SELECT pg_advisory_lock(7275)",
  .migrate_unlock = "SELECT pg_advisory_unlock(7275)",
  .begin_write = "BEGIN",
  .durable_on = "SET synchronous_commit = on",
  .durable_off = "SET synchronous_commit = off",
};

FkServerDb *
fk_server_db_pg_open (const char *uri, GError **error)
{
  return fk_server_db_new (&pg_backend, uri, error);
}
