/* fk-office-dossiers.c: the inbox's queries, a dossier's row and history,
 * and the procedure catalog the office names procedures from
 *
 * Every list is cut to what the account may see before anything else: a
 * receiver's queries always carry their commune.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-private.h"

#include <string.h>

#include "fk-server-db-private.h"
#include "fk-server-error.h"

void
fk_office_row_free (FkOfficeRow *row)
{
  if (row == NULL)
    return;
  g_free (row->dossier);
  g_free (row->commune);
  g_free (row->device);
  g_free (row->device_name);
  g_free (row->procedure);
  g_free (row->visit_id);
  g_free (row->visit_date);
  g_free (row->hamlet);
  g_free (row->state);
  g_free (row->handed_over_by);
  if (row->name != NULL)
    memset (row->name, 0, strlen (row->name));
  g_free (row->name);
  g_free (row);
}

#define ROW_COLUMNS                                                                           \
  "o.dossier, o.commune, o.device, coalesce(v.name, ''), o.procedure, o.visit_id,"            \
  " o.visit_date, o.hamlet, o.created_at, o.received_at, o.state, o.state_at, o.name_sealed," \
  " o.purged_at, o.handed_over_at, o.handed_over_by"
#define ROW_FROM " FROM office_dossiers o LEFT JOIN devices v ON v.pubkey = o.device"

static FkOfficeRow *
row_from (FkOffice *self, FkDbResult *res, guint i)
{
  FkOfficeRow *row = g_new0 (FkOfficeRow, 1);
  g_autoptr (GBytes) sealed = fk_db_cell_bytes (res, i, 12);

  row->dossier = g_strdup (fk_db_cell_text (res, i, 0));
  row->commune = g_strdup (fk_db_cell_text (res, i, 1));
  row->device = g_strdup (fk_db_cell_text (res, i, 2));
  row->device_name = g_strdup (fk_db_cell_text (res, i, 3));
  row->procedure = g_strdup (fk_db_cell_text (res, i, 4));
  row->visit_id = g_strdup (fk_db_cell_text (res, i, 5));
  row->visit_date = g_strdup (fk_db_cell_text (res, i, 6));
  row->hamlet = g_strdup (fk_db_cell_text (res, i, 7));
  row->created_at = fk_db_cell_int (res, i, 8);
  row->received_at = fk_db_cell_int (res, i, 9);
  row->state = g_strdup (fk_db_cell_text (res, i, 10));
  row->state_at = fk_db_cell_int (res, i, 11);
  row->name = fk_office_open_name (self, sealed);
  row->purged_at = fk_db_cell_int (res, i, 13);
  row->handed_over_at = fk_db_cell_int (res, i, 14);
  row->handed_over_by = g_strdup (fk_db_cell_text (res, i, 15));
  return row;
}

typedef struct
{
  GString *where;
  GArray *params; /* FkDbParam */
} Query;

/* @clause, then the next parameter's place. */
static void
add_text (Query *q, const char *clause, const char *value)
{
  FkDbParam p = FK_DB_P_TEXT (value);

  g_array_append_val (q->params, p);
  g_string_append_printf (q->where, "%s$%u", clause, q->params->len);
}

/* WHERE …, with the parameters in @q->params. */
static void
build_where (FkOffice *self, const FkOfficeFilter *f, Query *q)
{
  g_string_append (q->where, " WHERE 1 = 1");
  if (f->commune != NULL && *f->commune != '\0')
    add_text (q, " AND o.commune = ", f->commune);
  if (f->visit_id != NULL && *f->visit_id != '\0')
    add_text (q, " AND o.visit_id = ", f->visit_id);
  if (f->procedure != NULL && *f->procedure != '\0')
    add_text (q, " AND o.procedure = ", f->procedure);
  if (f->state != NULL && *f->state != '\0')
    add_text (q, " AND o.state = ", f->state);
  if (f->id_hash != NULL)
    add_text (q, " AND o.id_hash = ", f->id_hash);
  if (f->name_tokens != NULL && f->name_tokens[0] != NULL)
    {
      guint n = g_strv_length (f->name_tokens);

      g_string_append (q->where, " AND o.dossier IN (SELECT dossier FROM office_name_tokens"
                                 " WHERE token IN (");
      for (guint i = 0; i < n; i++)
        add_text (q, i == 0 ? "" : ", ", f->name_tokens[i]);
      g_string_append_printf (q->where, ") GROUP BY dossier HAVING count(*) = %u)", n);
    }
}

/**
 * fk_office_dossiers_list:
 * @total: (out): how many match in all
 *
 * Returns: (transfer full) (element-type FkOfficeRow): the page of
 *   @filter's dossiers, newest first
 */
GPtrArray *
fk_office_dossiers_list (FkOffice *self, const FkOfficeFilter *filter, guint *total, GError **error)
{
  Query q = { g_string_new (NULL), g_array_new (FALSE, TRUE, sizeof (FkDbParam)) };
  g_autoptr (FkDbConn) conn = fk_db_acquire (self->db, FALSE, error);
  g_autoptr (FkDbResult) count = NULL;
  g_autoptr (FkDbResult) res = NULL;
  g_autofree char *count_sql = NULL;
  g_autofree char *sql = NULL;
  GPtrArray *rows = NULL;

  build_where (self, filter, &q);
  count_sql = g_strconcat ("SELECT count(*)", ROW_FROM, q.where->str, NULL);
  sql = g_strdup_printf ("SELECT %s%s%s ORDER BY o.received_at DESC, o.dossier LIMIT %u OFFSET %u",
                         ROW_COLUMNS, ROW_FROM, q.where->str, filter->limit, filter->offset);
  if (conn != NULL)
    count = fk_db_query (conn, count_sql, (FkDbParam *) q.params->data, q.params->len, error);
  if (count != NULL)
    res = fk_db_query (conn, sql, (FkDbParam *) q.params->data, q.params->len, error);
  if (res != NULL)
    {
      *total = (guint) fk_db_cell_int (count, 0, 0);
      rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fk_office_row_free);
      for (guint i = 0; i < res->rows->len; i++)
        g_ptr_array_add (rows, row_from (self, res, i));
    }
  g_string_free (q.where, TRUE);
  g_array_unref (q.params);
  return rows;
}

FkOfficeRow *
fk_office_dossier_row (FkOffice *self, const char *dossier, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self->db, FALSE, error);
  g_autoptr (FkDbResult) res = NULL;

  if (conn == NULL)
    return NULL;
  res = FK_DB_QUERY (conn, "SELECT " ROW_COLUMNS ROW_FROM " WHERE o.dossier = $1", error,
                     FK_DB_P_TEXT (dossier));
  if (res == NULL)
    return NULL;
  if (res->rows->len == 0)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_NOT_FOUND, "no such dossier");
      return NULL;
    }
  return row_from (self, res, 0);
}

/* The distinct values of @column (with a second column beside it, or
 * NULL) among the dossiers of @commune (NULL: all), as pairs of strings. */
GPtrArray *
fk_office_dossiers_values (FkOffice *self, const char *commune, const char *columns, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self->db, FALSE, error);
  g_autoptr (FkDbResult) res = NULL;
  g_autofree char *sql =
    g_strdup_printf ("SELECT %s, count(*) FROM office_dossiers o WHERE ($1 = '' OR o.commune = $1)"
                     " GROUP BY %s ORDER BY 1 DESC",
                     columns, columns);
  GPtrArray *values;

  if (conn == NULL)
    return NULL;
  res = FK_DB_QUERY (conn, sql, error, FK_DB_P_TEXT (commune != NULL ? commune : ""));
  if (res == NULL)
    return NULL;
  values = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; i < res->rows->len; i++)
    {
      GPtrArray *row = res->rows->pdata[i];
      char **cells = g_new0 (char *, row->len + 1);

      for (guint c = 0; c < row->len; c++)
        cells[c] = g_strdup (fk_db_cell_text (res, i, c));
      g_ptr_array_add (values, cells);
    }
  return values;
}

gboolean
fk_office_history_add (FkOffice *self, FkDbConn *conn, const char *dossier, const char *user,
                       const char *event, const char *detail, GError **error)
{
  g_autoptr (FkDbResult) res = FK_DB_QUERY (
    conn,
    "INSERT INTO office_history (dossier, at, user_name, event, detail)"
    " VALUES ($1, $2, $3, $4, $5)",
    error, FK_DB_P_TEXT (dossier), FK_DB_P_INT (g_get_real_time () / G_USEC_PER_SEC),
    FK_DB_P_TEXT (user), FK_DB_P_TEXT (event), FK_DB_P_TEXT (detail != NULL ? detail : ""));

  return res != NULL;
}

/* A receiver's first look moves a new dossier to "in progress". */
gboolean
fk_office_dossier_start (FkOffice *self, const char *dossier, const char *user, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self->db, TRUE, error);
  g_autoptr (FkDbResult) res = NULL;

  if (conn == NULL || !fk_db_exec (conn, self->db->backend->begin_write, error))
    return FALSE;
  res =
    FK_DB_QUERY (conn,
                 "UPDATE office_dossiers SET state = 'in-progress', state_at = $2"
                 " WHERE dossier = $1 AND state = 'new'",
                 error, FK_DB_P_TEXT (dossier), FK_DB_P_INT (g_get_real_time () / G_USEC_PER_SEC));
  if (res == NULL ||
      (res->changes == 1 &&
       !fk_office_history_add (self, conn, dossier, user, "in-progress", NULL, error)) ||
      !fk_db_exec (conn, "COMMIT", error))
    {
      fk_db_exec (conn, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

/* (element-type GStrv): at, user, event, detail; oldest first. */
GPtrArray *
fk_office_dossier_history (FkOffice *self, const char *dossier, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self->db, FALSE, error);
  g_autoptr (FkDbResult) res = NULL;
  GPtrArray *events;

  if (conn == NULL)
    return NULL;
  res = FK_DB_QUERY (conn,
                     "SELECT at, user_name, event, detail FROM office_history WHERE dossier = $1"
                     " ORDER BY at, id",
                     error, FK_DB_P_TEXT (dossier));
  if (res == NULL)
    return NULL;
  events = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; i < res->rows->len; i++)
    {
      char **e = g_new0 (char *, 5);

      for (guint c = 0; c < 4; c++)
        e[c] = g_strdup (fk_db_cell_text (res, i, c));
      g_ptr_array_add (events, e);
    }
  return events;
}

/* The newest published catalog that is a whole catalog and signed (the
 * one devices pull), else the one the server was built with; kept until
 * a newer one is published. */
FkCatalog *
fk_office_catalog (FkOffice *self)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self->db, FALSE, NULL);
  g_autoptr (FkDbResult) res = NULL;
  gint64 seq = 0;
  FkCatalog *catalog;

  if (conn != NULL)
    res = FK_DB_QUERY0 (
      conn, "SELECT seq, body FROM catalog WHERE signature <> '' ORDER BY seq DESC LIMIT 1", NULL);
  g_clear_pointer (&conn, fk_db_release);
  if (res != NULL && res->rows->len == 1)
    seq = fk_db_cell_int (res, 0, 0);
  g_mutex_lock (&self->catalog_lock);
  if (self->catalog == NULL || self->catalog_seq != seq)
    {
      g_autoptr (FkCatalog) fresh = NULL;

      if (seq > 0)
        {
          g_autoptr (GBytes) body = fk_db_cell_bytes (res, 0, 1);

          fresh = fk_catalog_new_from_bytes (body, NULL);
        }
      if (fresh == NULL && self->catalog == NULL)
        fresh = fk_catalog_new_default (NULL);
      if (fresh != NULL)
        g_set_object (&self->catalog, fresh);
      self->catalog_seq = seq;
    }
  catalog = self->catalog != NULL ? g_object_ref (self->catalog) : NULL;
  g_mutex_unlock (&self->catalog_lock);
  return catalog;
}

const char *
fk_office_procedure_title (FkOfficeContext *ctx, FkCatalog *catalog, const char *code)
{
  FkProcedure *procedure =
    catalog != NULL && code != NULL && *code != '\0' ? fk_catalog_lookup (catalog, code) : NULL;
  const char *title =
    procedure != NULL
      ? fk_procedure_get_title_in (procedure, ctx->lang == FK_OFFICE_LANG_VI ? "vi" : "en")
      : NULL;

  return title != NULL ? title : code != NULL ? code : "";
}

gboolean
fk_office_record_handover (FkOffice *self, const char *dossier, const char *commune,
                           const char *device_name, gint64 at, gboolean *placed, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (self->db, TRUE, error);
  g_autoptr (FkDbResult) res = NULL;

  *placed = FALSE;
  if (conn == NULL || !fk_db_exec (conn, self->db->backend->begin_write, error))
    return FALSE;
  res = FK_DB_QUERY (conn,
                     "UPDATE office_dossiers SET state = 'handed-over', state_at = $3,"
                     " handed_over_at = $3, handed_over_by = $4 WHERE dossier = $1"
                     " AND commune = $2 AND state NOT IN ('handed-over', 'unreadable')",
                     error, FK_DB_P_TEXT (dossier), FK_DB_P_TEXT (commune), FK_DB_P_INT (at),
                     FK_DB_P_TEXT (device_name != NULL ? device_name : ""));
  if (res == NULL ||
      (res->changes == 1 &&
       !fk_office_history_add (self, conn, dossier, device_name != NULL ? device_name : "",
                               "handed-over", NULL, error)) ||
      !fk_db_exec (conn, "COMMIT", error))
    {
      fk_db_exec (conn, "ROLLBACK", NULL);
      return FALSE;
    }
  *placed = res->changes == 1;
  return TRUE;
}
