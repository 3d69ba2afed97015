/* fk-store-dossier.c: committing, reading and purging sealed dossiers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A commit writes every sealed part under a temporary name, fsyncs it,
 * renames it to a random name, fsyncs the directory, and only then inserts
 * the rows that reference the parts, in one transaction with
 * synchronous=FULL. A crash before COMMIT leaves only unreferenced files,
 * removed at the next open; after COMMIT the dossier is whole.
 */
#include "fk-store-private.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "fk-core.h"
#include "fk-file-util.h"
#include "fk-sync-error.h"

#define DATA_KEY_AD "FKDK1"
#define DRAFT_AD    "FKDR1"
#define VISIT_AD    "FKVI1"
#define NAME_BYTES  16

FkStoreAttachment *
fk_store_attachment_new (const char *kind, GFile *file)
{
  FkStoreAttachment *attachment = g_new0 (FkStoreAttachment, 1);

  attachment->kind = g_strdup (kind);
  attachment->file = g_object_ref (file);
  return attachment;
}

void
fk_store_attachment_free (FkStoreAttachment *attachment)
{
  if (attachment == NULL)
    return;
  g_free (attachment->kind);
  g_clear_object (&attachment->file);
  g_free (attachment);
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

static GBytes *
prefixed_ad (const char *prefix, const char *id)
{
  g_autofree char *ad = g_strconcat (prefix, id, NULL);
  gsize len = strlen (ad);

  return g_bytes_new_take (g_steal_pointer (&ad), len);
}

static GBytes *
draft_ad (const char *id)
{
  return prefixed_ad (DRAFT_AD, id);
}

static GBytes *
visit_ad (const char *id)
{
  return prefixed_ad (VISIT_AD, id);
}

static const char *
get_string_member (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Parses decrypted JSON, then wipes it. */
static JsonNode *
parse_plain (GBytes *plain, const char *id, GError **error)
{
  JsonNode *node = json_from_string (g_bytes_get_data (plain, NULL), NULL);

  sodium_memzero ((void *) g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_clear_pointer (&node, json_node_unref);
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CORRUPT,
                   _ ("Dossier %s opened but does not hold a JSON object."), id);
      return NULL;
    }
  return node;
}

static GBytes *
data_key_ad (const char *id)
{
  g_autofree char *ad = g_strconcat (DATA_KEY_AD, id, NULL);
  gsize len = strlen (ad);

  return g_bytes_new_take (g_steal_pointer (&ad), len);
}

/* Sealed parts written so far; removed again unless the commit succeeds. */
typedef struct
{
  char *kind;
  char *name;
  FkVaultFileInfo info;
  FkDurableFile *file; /* written, not yet fsynced and renamed */
} Part;

static void
part_free (Part *part)
{
  g_clear_pointer (&part->file, fk_durable_file_free);
  g_free (part->kind);
  g_free (part->name);
  g_free (part);
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

static Part *
seal_attachment (FkStore *self, const FkVaultKey *key, FkStoreAttachment *attachment,
                 GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GFileInputStream) in = NULL;
  g_autoptr (FkDurableFile) out = NULL;
  Part *part;
  FkVaultFileInfo info;

  in = g_file_read (attachment->file, cancellable, &local);
  if (in == NULL)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("Cannot read the attachment %s: %s"), g_file_peek_path (attachment->file),
                   local->message);
      return NULL;
    }
  out = fk_durable_file_new (self->parts_dir, 0600, error);
  if (out == NULL)
    return NULL;
  if (!fk_vault_seal_stream (key, G_INPUT_STREAM (in), fk_durable_file_get_stream (out), &info,
                             cancellable, &local))
    {
      if (local->domain == FK_SYNC_ERROR)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_IO,
                     _ ("Could not seal the attachment %s: %s"),
                     g_file_peek_path (attachment->file), local->message);
      return NULL;
    }
  part = g_new0 (Part, 1);
  part->kind = g_strdup (attachment->kind);
  part->name = random_part_name (".fkf");
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
  guint n = attachments != NULL ? attachments->len : 0;
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

  blob = fk_vault_seal_dossier (key, self->server_public_key, id, json, strlen (json), error);
  if (blob == NULL)
    return NULL;
  out = fk_durable_file_new (self->parts_dir, 0600, error);
  if (out == NULL)
    return NULL;
  if (!g_output_stream_write_all (fk_durable_file_get_stream (out), g_bytes_get_data (blob, NULL),
                                  g_bytes_get_size (blob), NULL, NULL, &local))
    {
      fk_propagate_io_error (error, g_steal_pointer (&local));
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

  for (guint i = 0; i < parts->len; i++)
    {
      Part *part = g_ptr_array_index (parts, i);

      files[i] = part->file;
      names[i] = part->name;
    }
  return fk_durable_files_commit (files, names, parts->len, error);
}

/* Whether dossier @id exists, and in which state. */
static gboolean
dossier_state (FkStore *self, const char *id, FkOutboxState *state)
{
  sqlite3_stmt *stmt =
    fk_store_prepare (self, "SELECT state FROM outbox WHERE dossier_id = ?", NULL);
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
dossier_committed (FkStore *self, const char *id)
{
  FkOutboxState state;

  return dossier_state (self, id, &state) && state != FK_OUTBOX_DRAFT;
}

static char *normalize_id_number (const char *id_number);

/* The dossier as core reads it, checked against the procedure catalog.
 * Attachments come separately, as files to seal. */
static FkDossier *
parse_dossier (FkStore *self, JsonObject *dossier, GPtrArray *attachments, GError **error)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr (JsonObject) copy = json_object_new ();
  g_autoptr (FkDossier) parsed = NULL;
  g_autoptr (GError) local = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;
  FkProcedure *procedure;

  json_object_iter_init (&iter, dossier);
  while (json_object_iter_next (&iter, &name, &value))
    if (!g_str_equal (name, "attachments"))
      json_object_set_member (copy, name, json_node_copy (value));
  json_node_set_object (node, copy);
  parsed = fk_dossier_new_from_json (node, &local);
  if (parsed == NULL)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT, "%s", local->message);
      return NULL;
    }
  g_rec_mutex_lock (&self->db_mutex);
  if (self->catalog == NULL)
    self->catalog = fk_catalog_new_default (&local);
  g_rec_mutex_unlock (&self->db_mutex);
  if (self->catalog == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  procedure = fk_catalog_lookup (self->catalog, fk_dossier_get_procedure (parsed));
  if (procedure == NULL)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                   _ ("Unknown procedure “%s”: “fieldkit-ctl catalog list” shows the procedures "
                      "of this device."),
                   fk_dossier_get_procedure (parsed));
      return NULL;
    }
  if (!fk_procedure_validate_fields (procedure, fk_dossier_get_fields (parsed), &local))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT, "%s", local->message);
      return NULL;
    }
  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      FkStoreAttachment *a = g_ptr_array_index (attachments, i);
      FkAttachmentKind kind;

      if (!fk_attachment_kind_from_string (a->kind, &kind))
        {
          g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                       _ ("Attachment %u has the unknown kind “%s”: use “document”, "
                          "“fingerprint”, “fingerprint-template” or “receipt”."),
                       i + 1, a->kind);
          return NULL;
        }
    }
  return g_steal_pointer (&parsed);
}

/* The ID number as hashed for the index: digits only. */
static char *
normalize_id_number (const char *id_number)
{
  GString *out = g_string_new (NULL);

  for (const char *p = id_number; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* The JSON that is sealed: the dossier as core writes it, its attachments
 * named by their part files, with plaintext sizes and hashes. */
static char *
build_sealed_json (FkDossier *dossier, GPtrArray *parts)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;

  for (guint i = 0; i < parts->len; i++)
    {
      Part *part = g_ptr_array_index (parts, i);
      FkAttachmentKind kind = FK_ATTACHMENT_DOCUMENT;

      if (!fk_attachment_kind_from_string (part->kind, &kind))
        continue;
      fk_dossier_add_attachment (dossier, fk_attachment_new (kind, part->name,
                                                             (gint64) part->info.plain_size,
                                                             part->info.plain_sha256));
    }
  root = fk_dossier_to_json (dossier);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static gboolean
step_done (FkStore *self, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      fk_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_citizen (FkStore *self, const char *id_hash, char **out_citizen_id, GError **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *citizen_id = NULL;

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
      if (!step_done (self, stmt, error))
        return FALSE;
    }
  *out_citizen_id = g_steal_pointer (&citizen_id);
  return TRUE;
}

static gboolean
insert_rows (FkStore *self, FkDossier *dossier, gint64 created, const FkVaultKey *data_key,
             GPtrArray *parts, gboolean queue, GError **error)
{
  FkOutboxState state;
  gboolean from_draft = dossier_state (self, fk_dossier_get_id (dossier), &state);
  const char *id = fk_dossier_get_id (dossier);
  g_autoptr (GBytes) ad = data_key_ad (id);
  g_autoptr (GBytes) wrapped = NULL;
  g_autofree char *citizen_id = NULL;
  const char *id_number = fk_citizen_get_id_number (fk_dossier_get_citizen (dossier));
  const char *procedure = fk_dossier_get_procedure (dossier);
  Part *blob = g_ptr_array_index (parts, parts->len - 1);
  guint64 bytes = 0;
  sqlite3_stmt *stmt;

  /* Locked by another thread since the commit began? */
  if (!fk_store_require_unlocked (self, error))
    return FALSE;
  if (id_number != NULL && *id_number != '\0')
    {
      g_autofree char *normal = normalize_id_number (id_number);
      g_autofree char *id_hash = fk_vault_keyed_hash (self->index_key, normal, strlen (normal));

      if (!insert_citizen (self, id_hash, &citizen_id, error))
        return FALSE;
    }
  for (guint i = 0; i < parts->len; i++)
    bytes += ((Part *) g_ptr_array_index (parts, i))->info.sealed_size;
  wrapped = fk_vault_wrap (self->wrap_key, fk_vault_key_get_data (data_key), FK_VAULT_KEY_BYTES,
                           g_bytes_get_data (ad, NULL), g_bytes_get_size (ad));

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
  sqlite3_bind_text (stmt, 4, procedure, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, created);
  sqlite3_bind_blob (stmt, 6, g_bytes_get_data (wrapped, NULL), (int) g_bytes_get_size (wrapped),
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, blob->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, (gint64) blob->info.sealed_size);
  sqlite3_bind_text (stmt, 9, blob->info.sealed_sha256, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 10, (gint64) bytes);
  if (!step_done (self, stmt, error))
    return FALSE;

  for (guint i = 0; i + 1 < parts->len; i++)
    {
      Part *part = g_ptr_array_index (parts, i);

      stmt =
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
      if (!step_done (self, stmt, error))
        return FALSE;
    }

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
      sqlite3_bind_int64 (stmt, 2, created);
      if (!step_done (self, stmt, error) || !fk_audit_append (self, id, "create", procedure, error))
        return FALSE;
    }
  return !queue ||
         fk_outbox_transition_locked (self, id, FK_OUTBOX_QUEUED, NULL, NULL, NULL, error);
}

/* Only the writing process creates parts: a shared opener's files could be
 * taken for orphans by a writer opening meanwhile. */
static gboolean
require_writer (FkStore *self, GError **error)
{
  if (self->flags & FK_STORE_OPEN_SHARED)
    {
      g_set_error_literal (error, FK_SYNC_ERROR, FK_SYNC_ERROR_BUSY,
                           _ ("Dossiers are saved only by the process that opened the store for "
                              "writing."));
      return FALSE;
    }
  return TRUE;
}

char *
fk_store_commit_dossier (FkStore *self, JsonObject *dossier, GPtrArray *attachments, gboolean queue,
                         gboolean *out_existed, GCancellable *cancellable, GError **error)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) part_free);
  g_autoptr (FkVaultKey) data_key = NULL;
  g_autoptr (FkDossier) parsed = NULL;
  g_autofree char *id = NULL;
  g_autofree char *json = NULL;
  gint64 created;
  gboolean exists;
  Part *part;

  g_return_val_if_fail (FK_IS_STORE (self), NULL);
  if (out_existed != NULL)
    *out_existed = FALSE;
  if (!require_writer (self, error) || !fk_store_require_unlocked (self, error))
    return NULL;
  parsed = parse_dossier (self, dossier, attachments, error);
  if (parsed == NULL)
    return NULL;
  id = g_strdup (fk_dossier_get_id (parsed));
  created = g_date_time_to_unix (fk_dossier_get_created (parsed));

  g_rec_mutex_lock (&self->db_mutex);
  exists = dossier_committed (self, id);
  g_rec_mutex_unlock (&self->db_mutex);
  if (exists)
    {
      if (out_existed != NULL)
        *out_existed = TRUE;
      return g_steal_pointer (&id);
    }

  data_key = fk_vault_key_new_random ();
  if (!seal_attachments (self, data_key, attachments, parts, cancellable, error))
    goto fail;
  json = build_sealed_json (parsed, parts);
  part = seal_blob (self, data_key, id, json, error);
  sodium_memzero (json, strlen (json));
  if (part == NULL)
    goto fail;
  g_ptr_array_add (parts, part);
  if (!commit_files (parts, error))
    goto fail;

  if (!fk_store_begin (self, error))
    goto fail;
  if (dossier_committed (self, id))
    {
      /* Committed meanwhile by another process: keep theirs. */
      fk_store_rollback (self);
      remove_parts (self, parts);
      if (out_existed != NULL)
        *out_existed = TRUE;
      return g_steal_pointer (&id);
    }
  if (!insert_rows (self, parsed, created, data_key, parts, queue, error))
    {
      fk_store_rollback (self);
      goto fail;
    }
  if (!fk_store_commit (self, error))
    goto fail;
  return g_steal_pointer (&id);

fail:
  remove_parts (self, parts);
  return NULL;
}

char *
fk_store_save_draft (FkStore *self, JsonObject *dossier, GError **error)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr (JsonObject) copy = json_object_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (FkVaultKey) data_key = NULL;
  g_autoptr (GBytes) key_ad = NULL;
  g_autoptr (GBytes) ad = NULL;
  g_autoptr (GBytes) wrapped_key = NULL;
  g_autoptr (GBytes) draft = NULL;
  g_autofree char *id = NULL;
  g_autofree char *json = NULL;
  const char *given_id = get_string_member (dossier, "id");
  const char *procedure = get_string_member (dossier, "procedure");
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;
  FkOutboxState state;
  gboolean exists;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FK_IS_STORE (self), NULL);
  if (!require_writer (self, error) || !fk_store_require_unlocked (self, error))
    return NULL;
  /* The identity is saved before the procedure is chosen; sealing needs it. */
  if (procedure == NULL)
    procedure = "";
  if (json_object_has_member (dossier, "id") &&
      (given_id == NULL || !g_uuid_string_is_valid (given_id)))
    {
      g_set_error_literal (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                           _ ("The dossier id must be a UUID."));
      return NULL;
    }
  id = given_id != NULL ? g_ascii_strdown (given_id, -1) : g_uuid_string_random ();
  json_object_iter_init (&iter, dossier);
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (copy, name, json_node_copy (value));
  json_object_set_string_member (copy, "id", id);
  json_node_set_object (node, copy);
  json_generator_set_root (gen, node);
  json = json_generator_to_data (gen, NULL);

  /* A fresh data key per save: nothing of an older version stays readable. */
  data_key = fk_vault_key_new_random ();
  key_ad = data_key_ad (id);
  ad = draft_ad (id);
  wrapped_key = fk_vault_wrap (self->wrap_key, fk_vault_key_get_data (data_key), FK_VAULT_KEY_BYTES,
                               g_bytes_get_data (key_ad, NULL), g_bytes_get_size (key_ad));
  draft = fk_vault_wrap (data_key, json, strlen (json), g_bytes_get_data (ad, NULL),
                         g_bytes_get_size (ad));
  sodium_memzero (json, strlen (json));

  if (!fk_store_begin (self, error))
    return NULL;
  exists = dossier_state (self, id, &state);
  if (exists && state != FK_OUTBOX_DRAFT)
    {
      fk_store_rollback (self);
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_TRANSITION,
                   _ ("Dossier %s is already sealed: it can no longer be changed."), id);
      return NULL;
    }
  stmt = fk_store_prepare (self,
                           "INSERT INTO dossiers (id, procedure, created, wrapped_key, draft) "
                           "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO UPDATE SET "
                           "procedure = ?2, wrapped_key = ?4, draft = ?5",
                           error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, procedure, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, fk_store_now ());
  sqlite3_bind_blob (stmt, 4, g_bytes_get_data (wrapped_key, NULL),
                     (int) g_bytes_get_size (wrapped_key), SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 5, g_bytes_get_data (draft, NULL), (int) g_bytes_get_size (draft),
                     SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    goto fail;
  if (!exists)
    {
      stmt = fk_store_prepare (
        self, "INSERT INTO outbox (dossier_id, state, changed) VALUES (?, 'draft', ?)", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, fk_store_now ());
      if (!step_done (self, stmt, error))
        goto fail;
    }
  if (!fk_audit_append (self, id, exists ? "update" : "create", procedure, error))
    goto fail;
  if (!fk_store_commit (self, error))
    return NULL;
  return g_steal_pointer (&id);

fail:
  fk_store_rollback (self);
  return NULL;
}

gboolean
fk_store_delete_draft (FkStore *self, const char *id, GError **error)
{
  FkOutboxState state;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  if (!fk_store_begin (self, error))
    return FALSE;
  if (!dossier_state (self, id, &state))
    {
      fk_store_rollback (self);
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_FOUND,
                   _ ("No dossier %s in this store."), id);
      return FALSE;
    }
  if (state != FK_OUTBOX_DRAFT)
    {
      fk_store_rollback (self);
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_TRANSITION,
                   _ ("Dossier %s is already sealed: it can no longer be changed."), id);
      return FALSE;
    }
  /* A draft has no part files; secure_delete zeroes its encrypted row. The
   * outbox row goes with it (ON DELETE CASCADE). */
  stmt = fk_store_prepare (self, "DELETE FROM dossiers WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error) || !fk_audit_append (self, id, "delete-draft", "", error))
    goto fail;
  return fk_store_commit (self, error);

fail:
  fk_store_rollback (self);
  return FALSE;
}

gboolean
fk_store_save_visit (FkStore *self, JsonNode *visit, GError **error)
{
  g_autoptr (FkVisit) parsed = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (JsonNode) canonical = NULL;
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (GBytes) ad = NULL;
  g_autoptr (GBytes) wrapped = NULL;
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  if (!fk_store_require_unlocked (self, error))
    return FALSE;
  parsed = fk_visit_new_from_json (visit, &local);
  if (parsed == NULL)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT, "%s", local->message);
      return FALSE;
    }
  canonical = fk_visit_to_json (parsed);
  json_generator_set_root (gen, canonical);
  json = json_generator_to_data (gen, NULL);
  ad = visit_ad (fk_visit_get_id (parsed));
  wrapped = fk_vault_wrap (self->local_key, json, strlen (json), g_bytes_get_data (ad, NULL),
                           g_bytes_get_size (ad));
  sodium_memzero (json, strlen (json));

  if (!fk_store_begin (self, error))
    return FALSE;
  stmt = fk_store_prepare (self,
                           "INSERT INTO visits (id, created, data) VALUES (?1, ?2, ?3) "
                           "ON CONFLICT (id) DO UPDATE SET data = ?3",
                           error);
  if (stmt == NULL)
    {
      fk_store_rollback (self);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, fk_visit_get_id (parsed), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, fk_store_now ());
  sqlite3_bind_blob (stmt, 3, g_bytes_get_data (wrapped, NULL), (int) g_bytes_get_size (wrapped),
                     SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    {
      fk_store_rollback (self);
      return FALSE;
    }
  return fk_store_commit (self, error);
}

JsonNode *
fk_store_load_visit (FkStore *self, const char *id, GError **error)
{
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GBytes) ad = NULL;
  g_autoptr (GBytes) plain = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FK_IS_STORE (self), NULL);
  if (!fk_store_require_unlocked (self, error))
    return NULL;
  g_rec_mutex_lock (&self->db_mutex);
  stmt = fk_store_prepare (self, "SELECT data FROM visits WHERE id = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        data = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
      sqlite3_finalize (stmt);
    }
  g_rec_mutex_unlock (&self->db_mutex);
  if (stmt == NULL)
    return NULL;
  if (data == NULL)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_FOUND, _ ("No visit %s in this store."),
                   id);
      return NULL;
    }
  ad = visit_ad (id);
  plain = fk_vault_unwrap (self->local_key, g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                           g_bytes_get_data (ad, NULL), g_bytes_get_size (ad), error);
  if (plain == NULL)
    return NULL;
  return parse_plain (plain, id, error);
}

typedef struct
{
  JsonObject *dossier;
  GPtrArray *attachments;
  gboolean queue;
} CommitData;

static void
commit_data_free (CommitData *data)
{
  json_object_unref (data->dossier);
  g_clear_pointer (&data->attachments, g_ptr_array_unref);
  g_free (data);
}

static void
commit_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CommitData *data = task_data;
  GError *error = NULL;
  char *id = fk_store_commit_dossier (source, data->dossier, data->attachments, data->queue, NULL,
                                      cancellable, &error);

  if (id == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, id, g_free);
}

void
fk_store_commit_dossier_async (FkStore *self, JsonObject *dossier, GPtrArray *attachments,
                               gboolean queue, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  CommitData *data = g_new0 (CommitData, 1);

  g_task_set_source_tag (task, fk_store_commit_dossier_async);
  data->dossier = json_object_ref (dossier);
  data->attachments = attachments != NULL ? g_ptr_array_ref (attachments) : NULL;
  data->queue = queue;
  g_task_set_task_data (task, data, (GDestroyNotify) commit_data_free);
  g_task_run_in_thread (task, commit_thread);
}

char *
fk_store_commit_dossier_finish (FkStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The data key and blob name of a dossier that still has its content. */
static FkVaultKey *
load_data_key (FkStore *self, const char *id, char **out_blob_name, GBytes **out_draft,
               GError **error)
{
  g_autoptr (GBytes) draft = NULL;
  g_autoptr (GBytes) ad = data_key_ad (id);
  g_autoptr (GBytes) wrapped = NULL;
  g_autoptr (GBytes) key = NULL;
  g_autofree char *blob_name = NULL;
  gboolean found = FALSE;
  sqlite3_stmt *stmt;
  FkVaultKey *result;

  if (!fk_store_require_unlocked (self, error))
    return NULL;
  g_rec_mutex_lock (&self->db_mutex);
  stmt = fk_store_prepare (self, "SELECT wrapped_key, blob_name, draft FROM dossiers WHERE id = ?",
                           error);
  if (stmt == NULL)
    {
      g_rec_mutex_unlock (&self->db_mutex);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      if (sqlite3_column_type (stmt, 0) == SQLITE_BLOB)
        wrapped = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
      blob_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      if (sqlite3_column_type (stmt, 2) == SQLITE_BLOB)
        draft = g_bytes_new (sqlite3_column_blob (stmt, 2), sqlite3_column_bytes (stmt, 2));
    }
  sqlite3_finalize (stmt);
  g_rec_mutex_unlock (&self->db_mutex);
  if (!found)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_FOUND,
                   _ ("No dossier %s in this store."), id);
      return NULL;
    }
  if (wrapped == NULL || (blob_name == NULL && draft == NULL))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_FOUND,
                   _ ("The content of dossier %s has been removed from this device (delivered "
                      "long enough ago, or discarded)."),
                   id);
      return NULL;
    }
  /* Under the lock: fk_store_lock() may run in another thread. */
  g_rec_mutex_lock (&self->db_mutex);
  key = self->wrap_key == NULL
          ? NULL
          : fk_vault_unwrap (self->wrap_key, g_bytes_get_data (wrapped, NULL),
                             g_bytes_get_size (wrapped), g_bytes_get_data (ad, NULL),
                             g_bytes_get_size (ad), NULL);
  g_rec_mutex_unlock (&self->db_mutex);
  if (key == NULL)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CORRUPT,
                   _ ("The key of dossier %s does not open: the store was damaged or changed."),
                   id);
      return NULL;
    }
  result = fk_vault_key_new_from_data (g_bytes_get_data (key, NULL), g_bytes_get_size (key), error);
  sodium_memzero ((void *) g_bytes_get_data (key, NULL), g_bytes_get_size (key));
  if (out_blob_name != NULL)
    *out_blob_name = g_steal_pointer (&blob_name);
  if (out_draft != NULL)
    *out_draft = g_steal_pointer (&draft);
  return result;
}

JsonNode *
fk_store_read_dossier (FkStore *self, const char *id, GError **error)
{
  g_autoptr (FkVaultKey) key = NULL;
  g_autofree char *blob_name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (GBytes) blob = NULL;
  g_autoptr (GBytes) plain = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (GBytes) draft = NULL;
  gsize len;

  g_return_val_if_fail (FK_IS_STORE (self), NULL);

  key = load_data_key (self, id, &blob_name, &draft, error);
  if (key == NULL)
    return NULL;
  if (blob_name == NULL)
    {
      g_autoptr (GBytes) ad = draft_ad (id);

      plain = fk_vault_unwrap (key, g_bytes_get_data (draft, NULL), g_bytes_get_size (draft),
                               g_bytes_get_data (ad, NULL), g_bytes_get_size (ad), error);
      if (plain == NULL)
        return NULL;
      return parse_plain (plain, id, error);
    }
  path = g_build_filename (self->parts_dir, blob_name, NULL);
  if (!g_file_get_contents (path, &contents, &len, &local))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CORRUPT,
                   _ ("The sealed file of dossier %s is missing or unreadable: %s"), id,
                   local->message);
      return NULL;
    }
  blob = g_bytes_new_take (g_steal_pointer (&contents), len);
  plain = fk_vault_open_dossier (blob, key, id, error);
  if (plain == NULL)
    return NULL;
  return parse_plain (plain, id, error);
}

gboolean
fk_store_read_attachment (FkStore *self, const char *id, guint index, GOutputStream *out,
                          FkVaultFileInfo *info, GCancellable *cancellable, GError **error)
{
  g_autoptr (FkVaultKey) key = NULL;
  g_autofree char *name = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GFileInputStream) in = NULL;
  g_autoptr (GError) local = NULL;
  FkVaultFileInfo got;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  key = load_data_key (self, id, NULL, NULL, error);
  if (key == NULL)
    return FALSE;
  g_rec_mutex_lock (&self->db_mutex);
  stmt = fk_store_prepare (
    self, "SELECT name, sha256 FROM attachments WHERE dossier_id = ? AND idx = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, (int) index);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          sha256 = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        }
      sqlite3_finalize (stmt);
    }
  g_rec_mutex_unlock (&self->db_mutex);
  if (name == NULL)
    {
      if (stmt != NULL)
        g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_FOUND,
                     _ ("Dossier %s has no attachment %u."), id, index);
      return FALSE;
    }
  path = g_build_filename (self->parts_dir, name, NULL);
  file = g_file_new_for_path (path);
  in = g_file_read (file, cancellable, &local);
  if (in == NULL)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CORRUPT,
                   _ ("A sealed attachment of dossier %s is missing or unreadable: %s"), id,
                   local->message);
      return FALSE;
    }
  if (!fk_vault_open_stream (key, G_INPUT_STREAM (in), out, &got, cancellable, error))
    return FALSE;
  if (!g_str_equal (got.sealed_sha256, sha256))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CORRUPT,
                   _ ("A sealed attachment of dossier %s is not the one that was committed."), id);
      return FALSE;
    }
  if (info != NULL)
    *info = got;
  return TRUE;
}

GPtrArray *
fk_store_find_by_id_number (FkStore *self, const char *id_number, GError **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *normal = NULL;
  g_autofree char *id_hash = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FK_IS_STORE (self), NULL);
  if (!fk_store_require_unlocked (self, error))
    return NULL;
  normal = normalize_id_number (id_number);
  id_hash = fk_vault_keyed_hash (self->index_key, normal, strlen (normal));
  g_rec_mutex_lock (&self->db_mutex);
  stmt = fk_store_prepare (self,
                           "SELECT d.id FROM dossiers d JOIN citizens c ON c.id = d.citizen_id "
                           "WHERE c.id_hash = ? ORDER BY d.created, d.rowid",
                           error);
  if (stmt == NULL)
    {
      g_rec_mutex_unlock (&self->db_mutex);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, id_hash, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  g_rec_mutex_unlock (&self->db_mutex);
  return g_steal_pointer (&ids);
}

gboolean
fk_store_erase_content_locked (FkStore *self, const char *id, gboolean forget_citizen,
                               GPtrArray *removed_parts, GError **error)
{
  g_autofree char *citizen_id = NULL;
  sqlite3_stmt *stmt;

  stmt = fk_store_prepare (self,
                           "SELECT blob_name, citizen_id FROM dossiers WHERE id = ?1 UNION ALL "
                           "SELECT name, NULL FROM attachments WHERE dossier_id = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  for (gboolean first = TRUE; sqlite3_step (stmt) == SQLITE_ROW; first = FALSE)
    {
      if (removed_parts != NULL && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        g_ptr_array_add (removed_parts, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      if (first && sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        citizen_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_finalize (stmt);

  stmt = fk_store_prepare (self, "DELETE FROM attachments WHERE dossier_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return FALSE;
  stmt = fk_store_prepare (self,
                           "UPDATE dossiers SET wrapped_key = NULL, blob_name = NULL, "
                           "blob_size = NULL, blob_sha256 = NULL, draft = NULL, purged = ?1, "
                           "citizen_id = CASE WHEN ?3 THEN NULL ELSE citizen_id END WHERE id = ?2",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, fk_store_now ());
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, forget_citizen ? 1 : 0);
  if (!step_done (self, stmt, error))
    return FALSE;
  if (!forget_citizen || citizen_id == NULL)
    return TRUE;
  /* The ID-number hash goes too unless another dossier still needs it. */
  stmt = fk_store_prepare (self,
                           "DELETE FROM citizens WHERE id = ?1 AND NOT EXISTS "
                           "(SELECT 1 FROM dossiers WHERE citizen_id = ?1)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, citizen_id, -1, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

gboolean
fk_store_remove_part_files (FkStore *self, GPtrArray *names, GError **error)
{
  /* The rows are gone; a crash before these unlinks leaves orphans that the
   * next writer open removes. */
  for (guint i = 0; names != NULL && i < names->len; i++)
    {
      g_autofree char *path =
        g_build_filename (self->parts_dir, g_ptr_array_index (names, i), NULL);

      g_unlink (path);
    }
  return names == NULL || names->len == 0 || fk_fsync_dir (self->parts_dir, error);
}

gboolean
fk_store_purge_delivered (FkStore *self, gint64 older_than_seconds, guint *out_purged,
                          GError **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  gint64 now = fk_store_now ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  if (out_purged != NULL)
    *out_purged = 0;
  if (!fk_store_begin (self, error))
    return FALSE;
  stmt = fk_store_prepare (self,
                           "SELECT d.id FROM dossiers d JOIN outbox o ON o.dossier_id "
                           "= d.id WHERE o.state = 'delivered' AND d.purged IS NULL AND o.changed "
                           "<= ?",
                           error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, now - older_than_seconds);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);

      if (!fk_store_erase_content_locked (self, id, FALSE, names, error) ||
          !fk_audit_append (self, id, "purge", "", error))
        goto fail;
    }
  if (!fk_store_commit (self, error) || !fk_store_remove_part_files (self, names, error))
    return FALSE;
  if (out_purged != NULL)
    *out_purged = ids->len;
  return TRUE;

fail:
  fk_store_rollback (self);
  return FALSE;
}

gint64
fk_store_get_retention (FkStore *self)
{
  g_return_val_if_fail (FK_IS_STORE (self), FK_STORE_RETENTION_DEFAULT);
  return fk_store_get_setting_int (self, "retention.seconds", FK_STORE_RETENTION_DEFAULT);
}

gboolean
fk_store_set_retention (FkStore *self, gint64 seconds, GError **error)
{
  g_autofree char *detail = NULL;

  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  if (seconds < 0)
    {
      g_set_error_literal (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
                           _ ("The retention period cannot be negative."));
      return FALSE;
    }
  detail = g_strdup_printf ("%lld", (long long) seconds);
  if (!fk_store_begin (self, error))
    return FALSE;
  if (!fk_store_put_setting_int (self, "retention.seconds", seconds, error) ||
      !fk_audit_append (self, NULL, "retention", detail, error))
    {
      fk_store_rollback (self);
      return FALSE;
    }
  return fk_store_commit (self, error);
}

gboolean
fk_store_purge_expired (FkStore *self, guint *out_purged, GError **error)
{
  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  return fk_store_purge_delivered (self, fk_store_get_retention (self), out_purged, error);
}
