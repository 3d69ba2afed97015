/* fk-store-commit.c: sealing and committing dossiers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Invariants:
 * - A commit writes every sealed part under a temporary name, fsyncs it,
 *   renames it to a random name, fsyncs the directory, and only then
 *   inserts the rows that reference the parts, in one transaction with
 *   synchronous=FULL. A crash before COMMIT leaves only unreferenced
 *   files, removed at the next open; after COMMIT the dossier is whole.
 * - What is sealed is the caller's dossier as it was when the call was
 *   made, checked by core and the catalog, listing exactly the attachments
 *   sealed with it, each named by its part file (the upload manifest's
 *   name) with its plaintext size and SHA-256. A document photo the caller
 *   named after one of the procedure's documents records that code as its
 *   `document` (the intake wizard names each photo so).
 * - A dossier id is committed once: a second commit of the same id writes
 *   nothing and returns it; a draft of that id is sealed in place.
 * - Plaintext leaves memory only encrypted; the dossier JSON is wiped
 *   once sealed.
 */
#include "fk-store-private.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "fk-core.h"
#include "fk-file-util.h"

#define NAME_BYTES 16

/* A sealed part written so far; removed again unless the commit succeeds. */
typedef struct
{
  char *kind;
  char *name;
  char *caller_name; /* the name the caller gave the attachment */
  FkVaultFileInfo info;
  FkDurableFile *file; /* written, not yet fsynced and renamed */
} Part;

static void
part_free (Part *part)
{
  g_clear_pointer (&part->file, fk_durable_file_free);
  g_free (part->kind);
  g_free (part->name);
  g_free (part->caller_name);
  g_free (part);
}

static char *
random_part_name (const char *ext)
{
  guint8 bytes[NAME_BYTES];
  char hex[NAME_BYTES * 2 + 1];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2hex (hex, sizeof hex, bytes, sizeof bytes);
  return g_strconcat (hex, ext, NULL);
}

static void
remove_parts (FkStore *self, GPtrArray *parts)
{
  for (guint i = 0; i < parts->len; i++)
    {
      Part *part = g_ptr_array_index (parts, i);
      g_autofree char *path = g_build_filename (self->parts_dir, part->name, NULL);

      g_unlink (path);
    }
}

static FkDurableFile *
new_part_file (FkStore *self, GError **error)
{
  g_autoptr (GError) local = NULL;
  FkDurableFile *file = fk_durable_file_new (self->parts_dir, 0600, &local);

  if (file == NULL)
    fk_store_propagate_error (error, g_steal_pointer (&local));
  return file;
}

static Part *
seal_attachment (FkStore *self, const FkVaultKey *key, FkStoreAttachment *attachment,
                 GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GInputStream) in = NULL;
  g_autoptr (FkDurableFile) out = NULL;
  Part *part;
  FkVaultFileInfo info;

  in = fk_store_attachment_open (attachment, cancellable, error);
  if (in == NULL)
    return NULL;
  out = new_part_file (self, error);
  if (out == NULL)
    return NULL;
  if (!fk_vault_seal_stream (key, in, fk_durable_file_get_stream (out), &info, cancellable, &local))
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NO_SPACE) ||
          g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fk_store_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_IO,
                     _ ("Could not seal the attachment %s: %s"),
                     fk_store_attachment_describe (attachment), local->message);
      return NULL;
    }
  part = g_new0 (Part, 1);
  part->kind = g_strdup (fk_attachment_kind_to_string (fk_store_attachment_get_kind (attachment)));
  part->name = random_part_name (".fkf");
  part->caller_name = g_strdup (fk_store_attachment_get_name (attachment));
  part->info = info;
  part->file = g_steal_pointer (&out);
  return part;
}

typedef struct
{
  FkStore *store;
  const FkVaultKey *key;
  FkStoreAttachment *attachment;
  GCancellable *cancellable;
  Part *part;
  GError *error;
} SealJob;

static gpointer
seal_thread (gpointer data)
{
  SealJob *job = data;

  job->part =
    seal_attachment (job->store, job->key, job->attachment, job->cancellable, &job->error);
  return NULL;
}

/* Hashing and encrypting photos is the bulk of a commit's CPU time: one
 * thread per attachment uses every core (four on a Raspberry Pi 4). */
static gboolean
seal_attachments (FkStore *self, const FkVaultKey *key, GPtrArray *attachments, GPtrArray *parts,
                  GCancellable *cancellable, GError **error)
{
  guint n = attachments->len;
  g_autofree SealJob *jobs = g_new0 (SealJob, n);
  g_autofree GThread **threads = g_new0 (GThread *, n);
  gboolean ok = TRUE;

  for (guint i = 0; i < n; i++)
    {
      jobs[i] = (SealJob){ self, key, g_ptr_array_index (attachments, i), cancellable, NULL, NULL };
      threads[i] = i > 0 ? g_thread_new ("fk-seal", seal_thread, &jobs[i]) : NULL;
    }
  if (n > 0)
    seal_thread (&jobs[0]);
  for (guint i = 0; i < n; i++)
    {
      if (threads[i] != NULL)
        g_thread_join (threads[i]);
      /* Parts are added even after a failure so that the caller removes them. */
      if (jobs[i].part != NULL)
        g_ptr_array_add (parts, jobs[i].part);
      if (jobs[i].error != NULL)
        {
          if (ok)
            g_propagate_error (error, jobs[i].error);
          else
            g_error_free (jobs[i].error);
          ok = FALSE;
        }
    }
  return ok;
}

static Part *
seal_blob (FkStore *self, const FkVaultKey *key, const char *id, const char *json, GError **error)
{
  g_autoptr (GBytes) blob = NULL;
  g_autoptr (FkDurableFile) out = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *sum = NULL;
  Part *part;

  blob = fk_vault_seal_dossier (key, self->server_public_key, id, json, strlen (json), &local);
  if (blob == NULL)
    {
      fk_store_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  out = new_part_file (self, error);
  if (out == NULL)
    return NULL;
  if (!g_output_stream_write_all (fk_durable_file_get_stream (out), g_bytes_get_data (blob, NULL),
                                  g_bytes_get_size (blob), NULL, NULL, &local))
    {
      fk_store_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, blob);
  part = g_new0 (Part, 1);
  part->kind = g_strdup (FK_OUTBOX_PART_DOSSIER);
  part->name = random_part_name (".fkd");
  part->file = g_steal_pointer (&out);
  part->info.sealed_size = g_bytes_get_size (blob);
  g_strlcpy (part->info.sealed_sha256, sum, sizeof part->info.sealed_sha256);
  return part;
}

/* fsync every part (in parallel), rename each to its name, fsync the
 * directory: from here the parts survive a crash, unreferenced until the
 * database commit. */
static gboolean
commit_files (GPtrArray *parts, GError **error)
{
  g_autofree FkDurableFile **files = g_new0 (FkDurableFile *, parts->len);
  g_autofree const char **names = g_new0 (const char *, parts->len);
  g_autoptr (GError) local = NULL;

  for (guint i = 0; i < parts->len; i++)
    {
      Part *part = g_ptr_array_index (parts, i);

      files[i] = part->file;
      names[i] = part->name;
    }
  if (fk_durable_files_commit (files, names, parts->len, &local))
    return TRUE;
  fk_store_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

static gboolean
dossier_committed (FkStore *self, const char *id)
{
  FkOutboxState state;
  gboolean found;

  g_rec_mutex_lock (&self->db_mutex);
  found = fk_outbox_lookup_state (self, id, &state);
  g_rec_mutex_unlock (&self->db_mutex);
  return found && state != FK_OUTBOX_DRAFT;
}

/* The dossier to seal, read back by core from @json (the caller's dossier
 * without its attachments) and checked against the procedure catalog. */
static FkDossier *
check_dossier (FkStore *self, JsonNode *json, GError **error)
{
  g_autoptr (FkDossier) parsed = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (FkCatalog) catalog = NULL;
  FkProcedure *procedure;

  parsed = fk_dossier_new_from_json (json, &local);
  if (parsed == NULL)
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT, "%s", local->message);
      return NULL;
    }
  catalog = fk_store_get_catalog (self, error);
  if (catalog == NULL)
    return NULL;
  procedure = fk_catalog_lookup (catalog, fk_dossier_get_procedure (parsed));
  if (procedure == NULL)
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                   _ ("Unknown procedure “%s”: “fieldkit-ctl catalog list” shows the procedures "
                      "of this device."),
                   fk_dossier_get_procedure (parsed));
      return NULL;
    }
  if (!fk_procedure_validate_fields (procedure, fk_dossier_get_fields (parsed), &local))
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT, "%s", local->message);
      return NULL;
    }
  /* What the form was checked against is what it was filled against. */
  fk_dossier_set_catalog_version (parsed, fk_catalog_get_version (catalog));
  return g_steal_pointer (&parsed);
}

/* The procedure's document code @part was named after, or NULL. */
static const char *
document_of (FkStore *self, FkDossier *dossier, Part *part)
{
  g_autoptr (FkCatalog) catalog = fk_store_get_catalog (self, NULL);
  FkProcedure *procedure =
    catalog != NULL ? fk_catalog_lookup (catalog, fk_dossier_get_procedure (dossier)) : NULL;
  GPtrArray *documents = procedure != NULL ? fk_procedure_get_documents (procedure) : NULL;

  for (guint i = 0; documents != NULL && i < documents->len; i++)
    if (g_strcmp0 (part->caller_name,
                   fk_procedure_document_get_code (g_ptr_array_index (documents, i))) == 0)
      return part->caller_name;
  return NULL;
}

/* The JSON that is sealed: the dossier as core writes it, its attachments
 * named by their part files, with plaintext sizes and hashes. */
static char *
build_sealed_json (FkStore *self, FkDossier *dossier, GPtrArray *parts)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;

  for (guint i = 0; i < parts->len; i++)
    {
      Part *part = g_ptr_array_index (parts, i);
      FkAttachmentKind kind = FK_ATTACHMENT_DOCUMENT;
      FkAttachment *attachment;

      if (!fk_attachment_kind_from_string (part->kind, &kind))
        continue;
      attachment = fk_attachment_new (kind, part->name, (gint64) part->info.plain_size,
                                      part->info.plain_sha256);
      if (kind == FK_ATTACHMENT_DOCUMENT)
        attachment->document = g_strdup (document_of (self, dossier, part));
      fk_dossier_add_attachment (dossier, attachment);
    }
  root = fk_dossier_to_json (dossier);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static gboolean
link_citizen (FkStore *self, FkDossier *dossier, char **out_citizen_id, GError **error)
{
  const char *id_number = fk_citizen_get_id_number (fk_dossier_get_citizen (dossier));
  g_autofree char *id_hash = NULL;
  g_autofree char *citizen_id = NULL;
  sqlite3_stmt *stmt;

  *out_citizen_id = NULL;
  if (id_number == NULL || *id_number == '\0')
    return TRUE;
  id_hash = fk_store_hash_id_number (self, id_number);
  stmt = fk_store_prepare (self, "SELECT id FROM citizens WHERE id_hash = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id_hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    citizen_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (citizen_id == NULL)
    {
      citizen_id = g_uuid_string_random ();
      stmt = fk_store_prepare (self, "INSERT INTO citizens (id, id_hash, created) VALUES (?, ?, ?)",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, citizen_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, id_hash, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, fk_store_now ());
      if (!fk_store_step_done (self, stmt, error))
        return FALSE;
    }
  *out_citizen_id = g_steal_pointer (&citizen_id);
  return TRUE;
}

static gboolean
insert_dossier_row (FkStore *self, FkDossier *dossier, const char *citizen_id,
                    const FkVaultKey *data_key, GPtrArray *parts, GError **error)
{
  const char *id = fk_dossier_get_id (dossier);
  g_autoptr (GBytes) wrapped = fk_store_wrap_data_key (self, id, data_key);
  Part *blob = g_ptr_array_index (parts, parts->len - 1);
  guint64 bytes = 0;
  sqlite3_stmt *stmt;

  for (guint i = 0; i < parts->len; i++)
    bytes += ((Part *) g_ptr_array_index (parts, i))->info.sealed_size;
  stmt = fk_store_prepare (self,
                           "INSERT INTO dossiers (id, visit_id, citizen_id, procedure, created, "
                           "wrapped_key, blob_name, blob_size, blob_sha256, bytes) VALUES (?, "
                           "(SELECT id FROM visits WHERE id = ?), ?, ?, ?, ?, ?, ?, ?, ?) "
                           /* A draft's row is sealed in place; its draft goes. */
                           "ON CONFLICT (id) DO UPDATE SET visit_id = excluded.visit_id, "
                           "citizen_id = excluded.citizen_id, procedure = excluded.procedure, "
                           "created = excluded.created, wrapped_key = excluded.wrapped_key, "
                           "blob_name = excluded.blob_name, blob_size = excluded.blob_size, "
                           "blob_sha256 = excluded.blob_sha256, bytes = excluded.bytes, "
                           "draft = NULL",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, fk_dossier_get_visit_id (dossier), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, citizen_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, fk_dossier_get_procedure (dossier), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, g_date_time_to_unix (fk_dossier_get_created (dossier)));
  sqlite3_bind_blob (stmt, 6, g_bytes_get_data (wrapped, NULL), (int) g_bytes_get_size (wrapped),
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, blob->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, (gint64) blob->info.sealed_size);
  sqlite3_bind_text (stmt, 9, blob->info.sealed_sha256, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 10, (gint64) bytes);
  return fk_store_step_done (self, stmt, error);
}

static gboolean
insert_attachment_rows (FkStore *self, const char *id, GPtrArray *parts, GError **error)
{
  /* The last part is the dossier blob. */
  for (guint i = 0; i + 1 < parts->len; i++)
    {
      Part *part = g_ptr_array_index (parts, i);
      sqlite3_stmt *stmt =
        fk_store_prepare (self,
                          "INSERT INTO attachments (dossier_id, idx, kind, name, size, sha256) "
                          "VALUES (?, ?, ?, ?, ?, ?)",
                          error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, (int) i);
      sqlite3_bind_text (stmt, 3, part->kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, part->name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, (gint64) part->info.sealed_size);
      sqlite3_bind_text (stmt, 6, part->info.sealed_sha256, -1, SQLITE_STATIC);
      if (!fk_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* The outbox entry (a new one, or the draft's moving on) and its audit. */
static gboolean
enter_outbox (FkStore *self, FkDossier *dossier, gboolean from_draft, gboolean queue,
              GError **error)
{
  const char *id = fk_dossier_get_id (dossier);
  const char *procedure = fk_dossier_get_procedure (dossier);
  sqlite3_stmt *stmt;

  if (from_draft)
    {
      if (!fk_audit_append (self, id, "update", procedure, error) ||
          !fk_outbox_transition_locked (self, id, FK_OUTBOX_SEALED, NULL, NULL, NULL, error))
        return FALSE;
    }
  else
    {
      stmt = fk_store_prepare (
        self, "INSERT INTO outbox (dossier_id, state, changed) VALUES (?, 'sealed', ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, g_date_time_to_unix (fk_dossier_get_created (dossier)));
      if (!fk_store_step_done (self, stmt, error) ||
          !fk_audit_append (self, id, "create", procedure, error))
        return FALSE;
    }
  return !queue ||
         fk_outbox_transition_locked (self, id, FK_OUTBOX_QUEUED, NULL, NULL, NULL, error);
}

/* Inside the transaction: every row of the commit. */
static gboolean
insert_rows (FkStore *self, FkDossier *dossier, const FkVaultKey *data_key, GPtrArray *parts,
             gboolean queue, GError **error)
{
  FkOutboxState state;
  gboolean from_draft = fk_outbox_lookup_state (self, fk_dossier_get_id (dossier), &state);
  g_autofree char *citizen_id = NULL;

  /* Locked by another thread since the commit began? */
  return fk_store_require_unlocked (self, error) &&
         link_citizen (self, dossier, &citizen_id, error) &&
         insert_dossier_row (self, dossier, citizen_id, data_key, parts, error) &&
         insert_attachment_rows (self, fk_dossier_get_id (dossier), parts, error) &&
         enter_outbox (self, dossier, from_draft, queue, error);
}

/* Seals @dossier with @attachments into @parts (the blob last). */
static gboolean
seal_parts (FkStore *self, FkDossier *dossier, const FkVaultKey *data_key, GPtrArray *attachments,
            GPtrArray *parts, GCancellable *cancellable, GError **error)
{
  g_autofree char *json = NULL;
  Part *blob;

  if (!seal_attachments (self, data_key, attachments, parts, cancellable, error))
    return FALSE;
  json = build_sealed_json (self, dossier, parts);
  blob = seal_blob (self, data_key, fk_dossier_get_id (dossier), json, error);
  sodium_memzero (json, strlen (json));
  if (blob == NULL)
    return FALSE;
  g_ptr_array_add (parts, blob);
  return commit_files (parts, error);
}

/* The visit goes into the sealed dossier, so that the commune's office
 * can show its date, hamlet and team; a visit no longer in the store is
 * left out (the dossier keeps its id). */
static void
attach_visit (FkStore *self, FkDossier *dossier)
{
  const char *visit_id = fk_dossier_get_visit_id (dossier);
  g_autoptr (FkVisit) visit = NULL;

  if (visit_id == NULL || fk_dossier_get_visit (dossier) != NULL)
    return;
  visit = fk_store_load_visit (self, visit_id, NULL);
  if (visit != NULL)
    fk_dossier_set_visit (dossier, visit);
}

/* The commit proper, from the caller's dossier as JSON (no attachments). */
static char *
commit_json (FkStore *self, JsonNode *json, GPtrArray *attachments, gboolean queue,
             gboolean *out_existed, GCancellable *cancellable, GError **error)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) part_free);
  g_autoptr (FkVaultKey) data_key = NULL;
  g_autoptr (FkDossier) dossier = NULL;
  g_autofree char *id = NULL;

  if (out_existed != NULL)
    *out_existed = FALSE;
  if (!fk_store_require_writer (self, error) || !fk_store_require_unlocked (self, error))
    return NULL;
  dossier = check_dossier (self, json, error);
  if (dossier == NULL)
    return NULL;
  attach_visit (self, dossier);
  id = g_strdup (fk_dossier_get_id (dossier));
  if (dossier_committed (self, id))
    goto existed;

  data_key = fk_vault_key_new_random ();
  if (!seal_parts (self, dossier, data_key, attachments, parts, cancellable, error) ||
      !fk_store_begin (self, error))
    goto fail;
  if (dossier_committed (self, id))
    {
      /* Committed meanwhile by another process: keep theirs. */
      fk_store_rollback (self);
      remove_parts (self, parts);
      goto existed;
    }
  if (!insert_rows (self, dossier, data_key, parts, queue, error))
    {
      fk_store_rollback (self);
      goto fail;
    }
  if (!fk_store_commit (self, error))
    goto fail;
  return g_steal_pointer (&id);

existed:
  if (out_existed != NULL)
    *out_existed = TRUE;
  return g_steal_pointer (&id);

fail:
  remove_parts (self, parts);
  return NULL;
}

/* The caller's dossier as it is now, without its attachments: the sealed
 * copy lists the ones sealed with it. */
static JsonNode *
dossier_snapshot (FkDossier *dossier)
{
  JsonNode *json = fk_dossier_to_json (dossier);

  json_object_remove_member (json_node_get_object (json), "attachments");
  return json;
}

/**
 * fk_store_commit_dossier:
 * @dossier: the dossier to seal; not changed
 * @attachments: (element-type FkStoreAttachment) (nullable): its files
 * @out_existed: (out) (optional): set when that id was committed before
 *
 * Returns: (transfer full) (nullable): the dossier's id, once on disk
 */
char *
fk_store_commit_dossier (FkStore *self, FkDossier *dossier, GPtrArray *attachments, gboolean queue,
                         gboolean *out_existed, GCancellable *cancellable, GError **error)
{
  g_autoptr (JsonNode) json = NULL;
  g_autoptr (GPtrArray) owned = NULL;

  g_return_val_if_fail (FK_IS_STORE (self), NULL);
  g_return_val_if_fail (FK_IS_DOSSIER (dossier), NULL);
  json = dossier_snapshot (dossier);
  owned = fk_store_attachments_copy (attachments);
  return commit_json (self, json, owned, queue, out_existed, cancellable, error);
}

typedef struct
{
  JsonNode *json;
  GPtrArray *attachments;
  gboolean queue;
  gboolean existed;
} CommitData;

static void
commit_data_free (CommitData *data)
{
  json_node_unref (data->json);
  g_ptr_array_unref (data->attachments);
  g_free (data);
}

static void
commit_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CommitData *data = task_data;
  GError *error = NULL;
  char *id = commit_json (source, data->json, data->attachments, data->queue, &data->existed,
                          cancellable, &error);

  if (id == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, id, g_free);
}

void
fk_store_commit_dossier_async (FkStore *self, FkDossier *dossier, GPtrArray *attachments,
                               gboolean queue, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  CommitData *data;

  g_return_if_fail (FK_IS_STORE (self));
  g_return_if_fail (FK_IS_DOSSIER (dossier));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_store_commit_dossier_async);
  data = g_new0 (CommitData, 1);
  data->json = dossier_snapshot (dossier);
  data->attachments = fk_store_attachments_copy (attachments);
  data->queue = queue;
  g_task_set_task_data (task, data, (GDestroyNotify) commit_data_free);
  g_task_run_in_thread (task, commit_thread);
}

/**
 * fk_store_commit_dossier_finish:
 * @out_existed: (out) (optional): set when that id was committed before
 *
 * Returns: (transfer full) (nullable): the dossier's id, once on disk
 */
char *
fk_store_commit_dossier_finish (FkStore *self, GAsyncResult *result, gboolean *out_existed,
                                GError **error)
{
  char *id;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_store_commit_dossier_async,
                        NULL);
  id = g_task_propagate_pointer (G_TASK (result), error);
  if (out_existed != NULL)
    *out_existed = id != NULL && ((CommitData *) g_task_get_task_data (G_TASK (result)))->existed;
  return id;
}
