/* fk-outbox.c: the per-dossier upload queue and its state machine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-outbox.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fk-store-private.h"

static const char *const state_names[] = {
  [FK_OUTBOX_DRAFT] = "draft",         [FK_OUTBOX_SEALED] = "sealed",
  [FK_OUTBOX_QUEUED] = "queued",       [FK_OUTBOX_UPLOADING] = "uploading",
  [FK_OUTBOX_DELIVERED] = "delivered", [FK_OUTBOX_QUARANTINED] = "quarantined",
  [FK_OUTBOX_DISCARDED] = "discarded",
};

const char *
fk_outbox_state_to_string (FkOutboxState state)
{
  if ((guint) state >= G_N_ELEMENTS (state_names))
    return NULL;
  return state_names[state];
}

gboolean
fk_outbox_state_from_string (const char *name, FkOutboxState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    if (g_strcmp0 (name, state_names[i]) == 0)
      {
        *state = (FkOutboxState) i;
        return TRUE;
      }
  return FALSE;
}

/* The whole state machine. */
static gboolean
transition_allowed (FkOutboxState from, FkOutboxState to)
{
  switch (from)
    {
      case FK_OUTBOX_DRAFT:
        return to == FK_OUTBOX_SEALED;
      case FK_OUTBOX_SEALED:
        return to == FK_OUTBOX_QUEUED;
      case FK_OUTBOX_QUEUED:
        return to == FK_OUTBOX_UPLOADING;
      case FK_OUTBOX_UPLOADING:
        return to == FK_OUTBOX_DELIVERED || to == FK_OUTBOX_QUARANTINED || to == FK_OUTBOX_QUEUED;
      case FK_OUTBOX_QUARANTINED:
        return to == FK_OUTBOX_QUEUED || to == FK_OUTBOX_DISCARDED;
      case FK_OUTBOX_DELIVERED:
      case FK_OUTBOX_DISCARDED:
      default:
        return FALSE;
    }
}

void
fk_outbox_entry_free (FkOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->procedure);
  g_free (entry->reason);
  g_free (entry);
}

void
fk_outbox_part_free (FkOutboxPart *part)
{
  if (part == NULL)
    return;
  g_free (part->kind);
  g_free (part->name);
  g_free (part->path);
  g_free (part);
}

/* CROSS JOIN keeps dossiers as the outer loop: one pass in rowid (commit)
 * order, one primary-key lookup in the outbox per dossier, no sort. */
#define ENTRY_COLUMNS                                                                       \
  "SELECT d.id, o.state, d.procedure, d.created, o.changed, d.bytes, o.attempts, o.reason " \
  "FROM dossiers d CROSS JOIN outbox o ON o.dossier_id = d.id "

static FkOutboxEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  FkOutboxEntry *entry = g_new0 (FkOutboxEntry, 1);

  entry->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (!fk_outbox_state_from_string ((const char *) sqlite3_column_text (stmt, 1), &entry->state))
    entry->state = FK_OUTBOX_QUARANTINED;
  entry->procedure = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  entry->created = sqlite3_column_int64 (stmt, 3);
  entry->changed = sqlite3_column_int64 (stmt, 4);
  entry->bytes = (guint64) sqlite3_column_int64 (stmt, 5);
  entry->attempts = (guint) sqlite3_column_int (stmt, 6);
  entry->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  return entry;
}

GPtrArray *
fk_outbox_list (FkStore *store, FkOutboxState state, GError **error)
{
  g_autoptr (GPtrArray) list =
    g_ptr_array_new_with_free_func ((GDestroyNotify) fk_outbox_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FK_IS_STORE (store), NULL);
  g_rec_mutex_lock (&store->db_mutex);
  if (state == FK_OUTBOX_ANY_STATE)
    stmt = fk_store_prepare (store, ENTRY_COLUMNS "ORDER BY d.rowid", error);
  else
    stmt = fk_store_prepare (store, ENTRY_COLUMNS "WHERE o.state = ? ORDER BY d.rowid", error);
  if (stmt == NULL)
    {
      g_rec_mutex_unlock (&store->db_mutex);
      return NULL;
    }
  if (state != FK_OUTBOX_ANY_STATE)
    sqlite3_bind_text (stmt, 1, fk_outbox_state_to_string (state), -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, entry_from_row (stmt));
  sqlite3_finalize (stmt);
  g_rec_mutex_unlock (&store->db_mutex);
  if (rc != SQLITE_DONE)
    {
      fk_store_set_sqlite_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

FkOutboxEntry *
fk_outbox_get (FkStore *store, const char *id, GError **error)
{
  sqlite3_stmt *stmt;
  FkOutboxEntry *entry = NULL;

  g_return_val_if_fail (FK_IS_STORE (store), NULL);
  g_rec_mutex_lock (&store->db_mutex);
  stmt = fk_store_prepare (store, ENTRY_COLUMNS "WHERE d.id = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        entry = entry_from_row (stmt);
      else
        fk_store_set_not_found (error, id);
      sqlite3_finalize (stmt);
    }
  g_rec_mutex_unlock (&store->db_mutex);
  return entry;
}

static FkOutboxPart *
part_new (FkStore *store, const char *kind, const char *name, gint64 size, const char *sha256)
{
  FkOutboxPart *part = g_new0 (FkOutboxPart, 1);

  part->kind = g_strdup (kind);
  part->name = g_strdup (name);
  part->path = g_build_filename (store->parts_dir, name, NULL);
  part->size = (guint64) size;
  g_strlcpy (part->sha256, sha256 != NULL ? sha256 : "", sizeof part->sha256);
  return part;
}

GPtrArray *
fk_outbox_list_parts (FkStore *store, const char *id, GError **error)
{
  g_autoptr (GPtrArray) parts =
    g_ptr_array_new_with_free_func ((GDestroyNotify) fk_outbox_part_free);
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  g_return_val_if_fail (FK_IS_STORE (store), NULL);
  g_rec_mutex_lock (&store->db_mutex);
  stmt = fk_store_prepare (
    store, "SELECT blob_name, blob_size, blob_sha256 FROM dossiers WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        g_ptr_array_add (parts, part_new (store, FK_OUTBOX_PART_DOSSIER,
                                          (const char *) sqlite3_column_text (stmt, 0),
                                          sqlite3_column_int64 (stmt, 1),
                                          (const char *) sqlite3_column_text (stmt, 2)));
    }
  sqlite3_finalize (stmt);
  if (!found)
    {
      fk_store_set_not_found (error, id);
      goto fail;
    }
  stmt = fk_store_prepare (
    store, "SELECT kind, name, size, sha256 FROM attachments WHERE dossier_id = ? ORDER BY idx",
    error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (parts, part_new (store, (const char *) sqlite3_column_text (stmt, 0),
                                      (const char *) sqlite3_column_text (stmt, 1),
                                      sqlite3_column_int64 (stmt, 2),
                                      (const char *) sqlite3_column_text (stmt, 3)));
  sqlite3_finalize (stmt);
  g_rec_mutex_unlock (&store->db_mutex);
  return g_steal_pointer (&parts);

fail:
  g_rec_mutex_unlock (&store->db_mutex);
  return NULL;
}

gboolean
fk_outbox_lookup_state (FkStore *store, const char *id, FkOutboxState *state)
{
  sqlite3_stmt *stmt =
    fk_store_prepare (store, "SELECT state FROM outbox WHERE dossier_id = ?", NULL);
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    found = fk_outbox_state_from_string ((const char *) sqlite3_column_text (stmt, 0), state);
  sqlite3_finalize (stmt);
  return found;
}

static gboolean
get_state (FkStore *store, const char *id, FkOutboxState *state, GError **error)
{
  if (fk_outbox_lookup_state (store, id, state))
    return TRUE;
  fk_store_set_not_found (error, id);
  return FALSE;
}

gboolean
fk_outbox_transition_locked (FkStore *store, const char *id, FkOutboxState to, const char *reason,
                             GBytes *receipt, GPtrArray *removed_parts, GError **error)
{
  FkOutboxState from;
  sqlite3_stmt *stmt;
  g_autofree char *detail = NULL;

  if (!get_state (store, id, &from, error))
    return FALSE;
  if (!transition_allowed (from, to))
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_TRANSITION,
                   _ ("Dossier %s cannot go from “%s” to “%s”."), id,
                   fk_outbox_state_to_string (from), fk_outbox_state_to_string (to));
      return FALSE;
    }
  if (to == FK_OUTBOX_QUARANTINED && (reason == NULL || *reason == '\0'))
    {
      g_set_error_literal (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                           _ ("A quarantined dossier needs a reason."));
      return FALSE;
    }
  if (to == FK_OUTBOX_DELIVERED && (receipt == NULL || g_bytes_get_size (receipt) == 0))
    {
      g_set_error_literal (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                           _ ("A delivered dossier needs the server's receipt."));
      return FALSE;
    }
  stmt = fk_store_prepare (store,
                           "UPDATE outbox SET state = ?2, changed = ?3, "
                           "attempts = attempts + (?2 = 'uploading'), "
                           /* A discarded dossier keeps why it was refused. */
                           "reason = CASE WHEN ?2 = 'discarded' THEN reason ELSE ?4 END, "
                           "receipt = coalesce (?5, receipt) WHERE dossier_id = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, fk_outbox_state_to_string (to), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, fk_store_now ());
  if (to == FK_OUTBOX_QUARANTINED)
    sqlite3_bind_text (stmt, 4, reason, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 4);
  if (to == FK_OUTBOX_DELIVERED)
    sqlite3_bind_blob (stmt, 5, g_bytes_get_data (receipt, NULL), (int) g_bytes_get_size (receipt),
                       SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 5);
  if (!fk_store_step_done (store, stmt, error))
    return FALSE;
  if (to == FK_OUTBOX_DISCARDED &&
      !fk_store_erase_content_locked (store, id, TRUE, removed_parts, error))
    return FALSE;
  detail =
    g_strdup_printf ("%s>%s%s%s", fk_outbox_state_to_string (from), fk_outbox_state_to_string (to),
                     reason != NULL ? " " : "", reason != NULL ? reason : "");
  return fk_audit_append (store, id, "state", detail, error);
}

static gboolean
transition_once (FkStore *store, const char *id, FkOutboxState to, const char *reason,
                 GBytes *receipt, GError **error)
{
  g_autoptr (GPtrArray) removed = g_ptr_array_new_with_free_func (g_free);

  if (!fk_store_begin (store, error))
    return FALSE;
  if (!fk_outbox_transition_locked (store, id, to, reason, receipt, removed, error))
    {
      fk_store_rollback (store);
      return FALSE;
    }
  if (!fk_store_commit (store, error))
    return FALSE;
  return fk_store_remove_part_files (store, removed, error);
}

gboolean
fk_outbox_transition (FkStore *store, const char *id, FkOutboxState to, const char *reason,
                      GBytes *receipt, GError **error)
{
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (FK_IS_STORE (store), FALSE);
  if (transition_once (store, id, to, reason, receipt, &local))
    return TRUE;
  /* Uploading is how space comes back: a full disk must not stop it. */
  if (g_error_matches (local, FK_STORE_ERROR, FK_STORE_ERROR_DISK_FULL) &&
      fk_store_release_reserve (store))
    return transition_once (store, id, to, reason, receipt, error);
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

GBytes *
fk_outbox_get_receipt (FkStore *store, const char *id, GError **error)
{
  sqlite3_stmt *stmt;
  GBytes *receipt = NULL;

  g_return_val_if_fail (FK_IS_STORE (store), NULL);
  g_rec_mutex_lock (&store->db_mutex);
  stmt = fk_store_prepare (store, "SELECT receipt FROM outbox WHERE dossier_id = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        fk_store_set_not_found (error, id);
      else if (sqlite3_column_type (stmt, 0) == SQLITE_BLOB)
        receipt = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
      sqlite3_finalize (stmt);
    }
  g_rec_mutex_unlock (&store->db_mutex);
  return receipt;
}
