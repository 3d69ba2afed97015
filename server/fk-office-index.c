/* fk-office-index.c: what the office's inbox lists and searches of each
 * delivered dossier, with no personal data in clear
 *
 * A row per dossier holds what is not personal (commune, device,
 * procedure, visit date and hamlet, times, state) and, for search, keyed
 * hashes: of the ID number, and of each word of the citizen's name folded
 * without accents ("Nguyễn Thị Hoà" gives nguyen, thi, hoa). The keys are
 * derived from the server's secret key, so a copy of the database alone
 * cannot test guesses against them. The name itself, to show in the
 * list, is kept sealed with another derived key and opened in memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-private.h"

#include <sodium.h>
#include <string.h>

#include "fk-server-db-private.h"
#include "fk-server-error.h"
#include "fk-text.h"

#define NAMES_AD "fieldkit office name"

static FkVaultKey *
derive (const FkServerKeys *keys, const char *purpose)
{
  guint8 out[32];
  FkVaultKey *key;

  crypto_generichash (out, sizeof out, (const guint8 *) purpose, strlen (purpose), keys->box_secret,
                      sizeof keys->box_secret);
  key = fk_vault_key_new_from_data (out, sizeof out, NULL);
  sodium_memzero (out, sizeof out);
  return key;
}

void
fk_office_index_init (FkOffice *self)
{
  if (self->keys == NULL)
    return;
  self->search_key = derive (self->keys, "fieldkit-office-search-v1");
  self->names_key = derive (self->keys, "fieldkit-office-names-v1");
}

char *
fk_office_id_hash (FkOffice *self, const char *id_number)
{
  g_autofree char *text = g_strconcat ("id:", id_number, NULL);

  return fk_vault_keyed_hash (self->search_key, text, strlen (text));
}

/* The keyed hashes of the words of @name, folded (NULL-terminated). */
char **
fk_office_name_tokens (FkOffice *self, const char *name)
{
  g_autofree char *folded = name != NULL ? fk_text_fold (name) : NULL;
  g_autoptr (GPtrArray) tokens = g_ptr_array_new_null_terminated (8, g_free, TRUE);
  const char *p = folded;

  while (p != NULL && *p != '\0')
    {
      const char *start = p;

      while (*p != '\0' && g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p > start)
        {
          g_autoptr (GString) text = g_string_new ("name:");
          char *hash;

          g_string_append_len (text, start, p - start);
          hash = fk_vault_keyed_hash (self->search_key, text->str, text->len);
          if (!g_ptr_array_find_with_equal_func (tokens, hash, g_str_equal, NULL))
            g_ptr_array_add (tokens, hash);
          else
            g_free (hash);
        }
      if (*p != '\0')
        p = g_utf8_next_char (p);
    }
  return (char **) g_ptr_array_free (g_steal_pointer (&tokens), FALSE);
}

GBytes *
fk_office_seal_name (FkOffice *self, const char *name)
{
  return fk_vault_wrap (self->names_key, name, strlen (name), NAMES_AD, strlen (NAMES_AD));
}

char *
fk_office_open_name (FkOffice *self, GBytes *sealed)
{
  g_autoptr (GBytes) plain = NULL;

  if (sealed == NULL || g_bytes_get_size (sealed) == 0)
    return NULL;
  plain = fk_vault_unwrap (self->names_key, g_bytes_get_data (sealed, NULL),
                           g_bytes_get_size (sealed), NAMES_AD, strlen (NAMES_AD), NULL);
  if (plain == NULL)
    return NULL;
  return g_strndup (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
}

static gint64
unix_of (GDateTime *when)
{
  return when != NULL ? g_date_time_to_unix (when) : g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
insert_tokens (FkDbConn *conn, const char *dossier, char **tokens, GError **error)
{
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      g_autoptr (FkDbResult) res =
        FK_DB_QUERY (conn,
                     "INSERT INTO office_name_tokens (token, dossier) VALUES ($1, $2)"
                     " ON CONFLICT (token, dossier) DO NOTHING",
                     error, FK_DB_P_TEXT (tokens[i]), FK_DB_P_TEXT (dossier));

      if (res == NULL)
        return FALSE;
    }
  return TRUE;
}

/* One row, and its name tokens, in one transaction; @dossier NULL: a
 * dossier that does not open, listed as such. */
static gboolean
insert_row (FkOffice *self, const char *id, FkDossier *dossier, const char *device,
            const char *commune, gint64 received_at, GError **error)
{
  FkCitizen *citizen = dossier != NULL ? fk_dossier_get_citizen (dossier) : NULL;
  FkVisit *visit = dossier != NULL ? fk_dossier_get_visit (dossier) : NULL;
  const char *id_number = citizen != NULL ? fk_citizen_get_id_number (citizen) : NULL;
  const char *name = citizen != NULL ? fk_citizen_get_full_name (citizen) : NULL;
  g_autofree char *id_hash =
    id_number != NULL && *id_number != '\0' ? fk_office_id_hash (self, id_number) : g_strdup ("");
  g_autoptr (GBytes) sealed =
    name != NULL ? fk_office_seal_name (self, name) : g_bytes_new (NULL, 0);
  g_auto (GStrv) tokens = fk_office_name_tokens (self, name);
  g_autoptr (FkDbConn) conn = fk_db_acquire (self->db, TRUE, error);
  g_autoptr (FkDbResult) res = NULL;

  if (conn == NULL || !fk_db_exec (conn, self->db->backend->begin_write, error))
    return FALSE;
  res = FK_DB_QUERY (
    conn,
    "INSERT INTO office_dossiers (dossier, commune, device, procedure, visit_id, visit_date,"
    " hamlet, created_at, received_at, state, state_at, id_hash, name_sealed)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $11, $12)"
    " ON CONFLICT (dossier) DO NOTHING",
    error, FK_DB_P_TEXT (id), FK_DB_P_TEXT (commune != NULL ? commune : ""), FK_DB_P_TEXT (device),
    FK_DB_P_TEXT (dossier != NULL ? fk_dossier_get_procedure (dossier) : ""),
    FK_DB_P_TEXT (dossier != NULL && fk_dossier_get_visit_id (dossier) != NULL
                    ? fk_dossier_get_visit_id (dossier)
                    : ""),
    FK_DB_P_TEXT (visit != NULL ? fk_visit_get_date (visit) : ""),
    FK_DB_P_TEXT (visit != NULL && fk_visit_get_hamlet (visit) != NULL ? fk_visit_get_hamlet (visit)
                                                                       : ""),
    FK_DB_P_INT (dossier != NULL ? unix_of (fk_dossier_get_created (dossier)) : received_at),
    FK_DB_P_INT (received_at), FK_DB_P_TEXT (dossier != NULL ? "new" : "unreadable"),
    FK_DB_P_TEXT (id_hash),
    FK_DB_P_BLOB (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed)));
  if (res == NULL || (res->changes == 1 && !insert_tokens (conn, id, tokens, error)) ||
      !fk_db_exec (conn, "COMMIT", error))
    {
      fk_db_exec (conn, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

gboolean
fk_office_index_dossier (FkOffice *self, FkDossier *dossier, const char *device,
                         const char *commune, GError **error)
{
  return insert_row (self, fk_dossier_get_id (dossier), dossier, device, commune,
                     g_get_real_time () / G_USEC_PER_SEC, error);
}

static gint64
parse_iso (const char *text)
{
  g_autoptr (GDateTime) when = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return when != NULL ? g_date_time_to_unix (when) : g_get_real_time () / G_USEC_PER_SEC;
}

/* Opens and indexes one delivered dossier; FALSE only when the database
 * fails (a dossier that does not open is listed as unreadable). */
static gboolean
index_commit (FkOffice *self, FkDbResult *res, guint i, GError **error)
{
  GBytes *manifest_bytes = ((GPtrArray *) res->rows->pdata[i])->pdata[2];
  gsize len = 0;
  const char *data = manifest_bytes != NULL ? g_bytes_get_data (manifest_bytes, &len) : NULL;
  g_autoptr (FkSyncManifest) manifest =
    data != NULL ? fk_sync_manifest_parse (data, len, NULL) : NULL;
  g_autoptr (FkDossier) dossier = NULL;
  g_autoptr (GError) local = NULL;

  if (manifest != NULL)
    dossier = fk_server_open_dossier (self->db, self->keys, manifest, NULL, &local);
  if (dossier == NULL && local != NULL && local->domain == FK_SERVER_ERROR)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (dossier == NULL)
    g_warning ("office: dossier %s cannot be opened: %s", fk_db_cell_text (res, i, 0),
               local != NULL ? local->message : "its manifest is damaged");
  return insert_row (self, fk_db_cell_text (res, i, 0), dossier, fk_db_cell_text (res, i, 1),
                     fk_db_cell_text (res, i, 4), parse_iso (fk_db_cell_text (res, i, 3)), error);
}

gboolean
fk_office_index_missing (FkOffice *self, guint *n_indexed, GError **error)
{
  *n_indexed = 0;
  if (self->keys == NULL)
    return TRUE;
  for (;;)
    {
      g_autoptr (FkDbConn) conn = fk_db_acquire (self->db, FALSE, error);
      g_autoptr (FkDbResult) res = NULL;

      if (conn == NULL)
        return FALSE;
      res = FK_DB_QUERY0 (conn,
                          "SELECT d.dossier, d.device, d.manifest, d.created_at,"
                          " coalesce(v.commune, '') FROM dossiers d"
                          " LEFT JOIN devices v ON v.pubkey = d.device"
                          " WHERE NOT EXISTS (SELECT 1 FROM office_dossiers o"
                          " WHERE o.dossier = d.dossier) ORDER BY d.created_at LIMIT 50",
                          error);
      g_clear_pointer (&conn, fk_db_release);
      if (res == NULL)
        return FALSE;
      for (guint i = 0; i < res->rows->len; i++)
        {
          if (!index_commit (self, res, i, error))
            return FALSE;
          (*n_indexed)++;
        }
      if (res->rows->len < 50)
        return TRUE;
    }
}
