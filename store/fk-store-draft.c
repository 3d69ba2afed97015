/* fk-store-draft.c: unfinished dossiers: save, resume, delete
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Invariants:
 * - A draft is one encrypted value in its dossier's row (column draft):
 *   the GVariant DRAFT_TYPE below, wrapped (XChaCha20-Poly1305, AD
 *   "FKDR2" || id) with a data key of its own, itself wrapped with the
 *   device key. Each save draws a fresh data key and replaces the whole
 *   value in one transaction: nothing of an older version stays readable,
 *   and a crash leaves the previous save or the new one, never a mix.
 * - A draft has no part files: nothing of it is uploaded. Sealing it is a
 *   commit of the same dossier id (fk-store-commit.c), which drops the
 *   draft value in the same transaction.
 * - What is saved comes back byte for byte: the dossier as core writes it
 *   (maybe incomplete, unchecked), each attachment's kind, name and bytes,
 *   and the caller's progress value.
 * - Drafts written before this format (AD "FKDR1", the dossier's JSON with
 *   the wizard's state inside) are read as their dossier alone.
 * - Decrypted buffers are wiped before they are freed.
 */
#include "fk-store-private.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "fk-core.h"

/* dossier JSON, attachments (kind, name, bytes), progress */
#define DRAFT_TYPE      "(sa(ssay)mv)"
#define DRAFT_AD        "FKDR2"
#define DRAFT_AD_LEGACY FK_STORE_AD_DRAFT

static void
wipe_variant (GVariant *value)
{
  if (value != NULL && g_variant_get_size (value) > 0)
    sodium_memzero ((void *) g_variant_get_data (value), g_variant_get_size (value));
}

/* The plaintext of a draft; attachments are read here, in the caller's
 * thread (the worker's, for the _async call). */
static GVariant *
build_draft (JsonNode *json, GPtrArray *attachments, GVariant *progress, GCancellable *cancellable,
             GError **error)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  g_auto (GVariantBuilder) list = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a(ssay)"));
  GVariant *draft;

  for (guint i = 0; i < attachments->len; i++)
    {
      FkStoreAttachment *attachment = g_ptr_array_index (attachments, i);
      const char *name = fk_store_attachment_get_name (attachment);
      g_autoptr (GBytes) bytes = fk_store_attachment_read_all (attachment, cancellable, error);

      if (bytes == NULL)
        return NULL;
      g_variant_builder_add (
        &list, "(ss@ay)", fk_attachment_kind_to_string (fk_store_attachment_get_kind (attachment)),
        name != NULL ? name : "",
        g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, bytes, TRUE));
    }
  json_generator_set_root (gen, json);
  text = json_generator_to_data (gen, NULL);
  draft = g_variant_new (DRAFT_TYPE, text, &list, progress);
  sodium_memzero (text, strlen (text));
  /* Serialised once here, so that the wrap below reads one buffer. */
  return g_variant_take_ref (draft);
}

static gboolean
write_draft (FkStore *self, const char *id, const char *procedure, GVariant *plain, GError **error)
{
  g_autoptr (FkVaultKey) data_key = fk_vault_key_new_random ();
  g_autoptr (GBytes) ad = fk_store_ad (DRAFT_AD, id);
  g_autoptr (GBytes) wrapped_key = NULL;
  g_autoptr (GBytes) draft = NULL;
  FkOutboxState state;
  gboolean exists;
  sqlite3_stmt *stmt;

  draft = fk_vault_wrap (data_key, g_variant_get_data (plain), g_variant_get_size (plain),
                         g_bytes_get_data (ad, NULL), g_bytes_get_size (ad));
  if (!fk_store_begin (self, error))
    return FALSE;
  exists = fk_outbox_lookup_state (self, id, &state);
  if (exists && state != FK_OUTBOX_DRAFT)
    {
      fk_store_rollback (self);
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_TRANSITION,
                   _ ("Dossier %s is already sealed: it can no longer be changed."), id);
      return FALSE;
    }
  /* Locked by another thread meanwhile? */
  if (!fk_store_require_unlocked (self, error))
    goto fail;
  wrapped_key = fk_store_wrap_data_key (self, id, data_key);
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
  if (!fk_store_step_done (self, stmt, error))
    goto fail;
  if (!exists)
    {
      stmt = fk_store_prepare (
        self, "INSERT INTO outbox (dossier_id, state, changed) VALUES (?, 'draft', ?)", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, fk_store_now ());
      if (!fk_store_step_done (self, stmt, error))
        goto fail;
    }
  if (!fk_audit_append (self, id, exists ? "update" : "create", procedure, error))
    goto fail;
  return fk_store_commit (self, error);

fail:
  fk_store_rollback (self);
  return FALSE;
}

/* @json: the caller's dossier as core writes it. */
static gboolean
save_draft (FkStore *self, JsonNode *json, GPtrArray *attachments, GVariant *progress,
            GCancellable *cancellable, GError **error)
{
  JsonObject *obj = json_node_get_object (json);
  const char *id = json_object_get_string_member (obj, "id");
  /* The identity is saved before the procedure is chosen; sealing needs it. */
  const char *procedure = json_object_get_string_member_with_default (obj, "procedure", "");
  g_autoptr (GVariant) plain = NULL;
  gboolean ok;

  if (!fk_store_require_writer (self, error) || !fk_store_require_unlocked (self, error))
    return FALSE;
  plain = build_draft (json, attachments, progress, cancellable, error);
  if (plain == NULL)
    return FALSE;
  ok = write_draft (self, id, procedure, plain, error);
  wipe_variant (plain);
  return ok;
}

/**
 * fk_store_save_draft:
 * @dossier: the dossier so far; not changed
 * @attachments: (element-type FkStoreAttachment) (nullable): its files so far
 * @progress: (nullable): the wizard's own state; a floating reference is
 *   sunk
 */
gboolean
fk_store_save_draft (FkStore *self, FkDossier *dossier, GPtrArray *attachments, GVariant *progress,
                     GCancellable *cancellable, GError **error)
{
  g_autoptr (JsonNode) json = NULL;
  g_autoptr (GPtrArray) owned = NULL;
  g_autoptr (GVariant) kept = progress != NULL ? g_variant_ref_sink (progress) : NULL;

  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  g_return_val_if_fail (FK_IS_DOSSIER (dossier), FALSE);
  json = fk_dossier_to_json (dossier);
  owned = fk_store_attachments_copy (attachments);
  return save_draft (self, json, owned, kept, cancellable, error);
}

typedef struct
{
  JsonNode *json;
  GPtrArray *attachments;
  GVariant *progress;
} SaveData;

static void
save_data_free (SaveData *data)
{
  json_node_unref (data->json);
  g_ptr_array_unref (data->attachments);
  g_clear_pointer (&data->progress, g_variant_unref);
  g_free (data);
}

static void
save_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SaveData *data = task_data;
  GError *error = NULL;

  if (save_draft (source, data->json, data->attachments, data->progress, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
fk_store_save_draft_async (FkStore *self, FkDossier *dossier, GPtrArray *attachments,
                           GVariant *progress, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  SaveData *data;

  g_return_if_fail (FK_IS_STORE (self));
  g_return_if_fail (FK_IS_DOSSIER (dossier));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_store_save_draft_async);
  data = g_new0 (SaveData, 1);
  data->json = fk_dossier_to_json (dossier);
  data->attachments = fk_store_attachments_copy (attachments);
  data->progress = progress != NULL ? g_variant_ref_sink (progress) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
fk_store_save_draft_finish (FkStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_store_save_draft_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static FkDossier *
dossier_from_text (const char *text, gsize len, const char *id, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  JsonNode *root;
  FkDossier *dossier;

  if (!json_parser_load_from_data (parser, text, (gssize) len, &local) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_CORRUPT,
                   _ ("Dossier %s opened but does not hold a JSON object."), id);
      return NULL;
    }
  /* Before this format the wizard kept its state inside the dossier. */
  json_object_remove_member (json_node_get_object (root), "app_state");
  dossier = fk_dossier_new_incomplete_from_json (root, &local);
  if (dossier == NULL)
    g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_CORRUPT,
                 _ ("The draft of dossier %s cannot be read back: %s"), id, local->message);
  return dossier;
}

/* A detached copy, so that nothing refers to the plaintext once wiped. */
static GVariant *
copy_variant (GVariant *value)
{
  gsize size = g_variant_get_size (value);
  gpointer data = g_malloc (MAX (size, 1));

  g_variant_store (value, data);
  return g_variant_ref_sink (
    g_variant_new_from_data (g_variant_get_type (value), data, size, FALSE, g_free, data));
}

static FkDossier *
parse_draft (GBytes *plain, const char *id, GPtrArray **out_attachments, GVariant **out_progress,
             GError **error)
{
  g_autoptr (GVariant) draft =
    g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (DRAFT_TYPE), plain, FALSE));
  g_autoptr (GVariant) list = NULL;
  g_autoptr (GVariant) progress = NULL;
  g_autoptr (GPtrArray) attachments = fk_store_attachments_new ();
  const char *text;
  gsize len;
  FkDossier *dossier;

  g_variant_get_child (draft, 0, "&s", &text);
  g_variant_get_child (draft, 1, "@a(ssay)", &list);
  g_variant_get_child (draft, 2, "mv", &progress);
  len = strlen (text);
  dossier = dossier_from_text (text, len, id, error);
  if (dossier == NULL)
    return NULL;
  /* A plain read of the dossier (fk_store_read_dossier()) needs no copies. */
  for (gsize i = 0; out_attachments != NULL && i < g_variant_n_children (list); i++)
    {
      const char *kind_name, *name;
      g_autoptr (GVariant) data = NULL;
      g_autoptr (GBytes) bytes = NULL;
      FkAttachmentKind kind = FK_ATTACHMENT_DOCUMENT;
      gsize size;
      gconstpointer content;

      g_variant_get_child (list, i, "(&s&s@ay)", &kind_name, &name, &data);
      content = g_variant_get_fixed_array (data, &size, 1);
      bytes = g_bytes_new (content, size);
      fk_attachment_kind_from_string (kind_name, &kind);
      g_ptr_array_add (
        attachments, fk_store_attachment_new_for_bytes (kind, *name != '\0' ? name : NULL, bytes));
    }
  if (out_attachments != NULL)
    *out_attachments = g_steal_pointer (&attachments);
  if (out_progress != NULL)
    *out_progress = progress != NULL ? copy_variant (progress) : NULL;
  return dossier;
}

FkDossier *
fk_store_open_draft (FkStore *self, const char *id, const FkVaultKey *key, GBytes *draft,
                     GPtrArray **out_attachments, GVariant **out_progress, GError **error)
{
  g_autoptr (GBytes) ad = fk_store_ad (DRAFT_AD, id);
  g_autoptr (GBytes) plain = NULL;
  g_autoptr (GError) local = NULL;
  FkDossier *dossier;

  plain = fk_vault_unwrap (key, g_bytes_get_data (draft, NULL), g_bytes_get_size (draft),
                           g_bytes_get_data (ad, NULL), g_bytes_get_size (ad), NULL);
  if (plain != NULL)
    {
      dossier = parse_draft (plain, id, out_attachments, out_progress, error);
      fk_store_wipe_bytes (plain);
      return dossier;
    }
  g_clear_pointer (&ad, g_bytes_unref);
  ad = fk_store_ad (DRAFT_AD_LEGACY, id);
  plain = fk_vault_unwrap (key, g_bytes_get_data (draft, NULL), g_bytes_get_size (draft),
                           g_bytes_get_data (ad, NULL), g_bytes_get_size (ad), &local);
  if (plain == NULL)
    {
      fk_store_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  dossier = dossier_from_text (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), id, error);
  fk_store_wipe_bytes (plain);
  if (dossier != NULL && out_attachments != NULL)
    *out_attachments = fk_store_attachments_new ();
  if (dossier != NULL && out_progress != NULL)
    *out_progress = NULL;
  return dossier;
}

static FkDossier *
resume_draft (FkStore *self, const char *id, GPtrArray **out_attachments, GVariant **out_progress,
              GError **error)
{
  g_autoptr (FkVaultKey) key = NULL;
  g_autofree char *blob_name = NULL;
  g_autoptr (GBytes) draft = NULL;

  key = fk_store_load_data_key (self, id, &blob_name, &draft, error);
  if (key == NULL)
    return NULL;
  if (blob_name != NULL)
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_TRANSITION,
                   _ ("Dossier %s is already sealed: it can no longer be changed."), id);
      return NULL;
    }
  return fk_store_open_draft (self, id, key, draft, out_attachments, out_progress, error);
}

/**
 * fk_store_resume_draft:
 * @out_attachments: (out) (optional) (element-type FkStoreAttachment)
 *   (transfer full): the attachments as saved
 * @out_progress: (out) (optional) (nullable) (transfer full): the progress
 *
 * Returns: (transfer full) (nullable): the dossier as saved
 */
FkDossier *
fk_store_resume_draft (FkStore *self, const char *id, GPtrArray **out_attachments,
                       GVariant **out_progress, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (FK_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return resume_draft (self, id, out_attachments, out_progress, error);
}

typedef struct
{
  char *id;
  GPtrArray *attachments;
  GVariant *progress;
} ResumeData;

static void
resume_data_free (ResumeData *data)
{
  g_free (data->id);
  g_clear_pointer (&data->attachments, g_ptr_array_unref);
  g_clear_pointer (&data->progress, g_variant_unref);
  g_free (data);
}

static void
resume_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ResumeData *data = task_data;
  GError *error = NULL;
  FkDossier *dossier = fk_store_resume_draft (source, data->id, &data->attachments, &data->progress,
                                              cancellable, &error);

  if (dossier == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, dossier, g_object_unref);
}

void
fk_store_resume_draft_async (FkStore *self, const char *id, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  ResumeData *data;

  g_return_if_fail (FK_IS_STORE (self));
  g_return_if_fail (id != NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_store_resume_draft_async);
  data = g_new0 (ResumeData, 1);
  data->id = g_strdup (id);
  g_task_set_task_data (task, data, (GDestroyNotify) resume_data_free);
  g_task_run_in_thread (task, resume_thread);
}

/**
 * fk_store_resume_draft_finish:
 * @out_attachments: (out) (optional) (element-type FkStoreAttachment)
 *   (transfer full): the attachments as saved
 * @out_progress: (out) (optional) (nullable) (transfer full): the progress
 *
 * Returns: (transfer full) (nullable): the dossier as saved
 */
FkDossier *
fk_store_resume_draft_finish (FkStore *self, GAsyncResult *result, GPtrArray **out_attachments,
                              GVariant **out_progress, GError **error)
{
  ResumeData *data;
  FkDossier *dossier;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_store_resume_draft_async,
                        NULL);
  dossier = g_task_propagate_pointer (G_TASK (result), error);
  data = g_task_get_task_data (G_TASK (result));
  if (dossier != NULL && out_attachments != NULL)
    *out_attachments = g_steal_pointer (&data->attachments);
  if (dossier != NULL && out_progress != NULL)
    *out_progress = g_steal_pointer (&data->progress);
  return dossier;
}

gboolean
fk_store_delete_draft (FkStore *self, const char *id, GError **error)
{
  FkOutboxState state;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  if (!fk_store_begin (self, error))
    return FALSE;
  if (!fk_outbox_lookup_state (self, id, &state))
    {
      fk_store_rollback (self);
      fk_store_set_not_found (error, id);
      return FALSE;
    }
  if (state != FK_OUTBOX_DRAFT)
    {
      fk_store_rollback (self);
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_TRANSITION,
                   _ ("Dossier %s is already sealed: it can no longer be changed."), id);
      return FALSE;
    }
  /* A draft has no part files; secure_delete zeroes its encrypted row. The
   * outbox row goes with it (ON DELETE CASCADE). */
  stmt = fk_store_prepare (self, "DELETE FROM dossiers WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (!fk_store_step_done (self, stmt, error) ||
      !fk_audit_append (self, id, "delete-draft", "", error))
    goto fail;
  return fk_store_commit (self, error);

fail:
  fk_store_rollback (self);
  return FALSE;
}
