/* fk-intake-store.c: the store's dossier and draft API, as the intake uses it
 *
 * The only code of the app that writes dossiers and drafts. Everything
 * that encrypts or decrypts runs off the main loop. Parts go to the store
 * as memory files: nothing personal touches the disk unsealed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fk-intake-private.h"
#include "fk-outbox.h"
#include "fk-sync-error.h"

/* ---- drafts ---------------------------------------------------------- */

static void
save_draft_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  char *id = fk_store_save_draft (FK_STORE (source), task_data, &error);

  if (id == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, id, g_free);
}

/* @draft: (transfer full) */
void
fk_intake_store_save_draft_async (FkStore *store, JsonObject *draft, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (store, cancellable, callback, user_data);

  g_task_set_source_tag (task, fk_intake_store_save_draft_async);
  g_task_set_task_data (task, draft, (GDestroyNotify) json_object_unref);
  g_task_run_in_thread (task, save_draft_thread);
}

/* Returns: (transfer full): the draft's id */
char *
fk_intake_store_save_draft_finish (FkStore *store, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_intake_store_save_draft_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  char *id;
  JsonObject *draft;
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  g_free (loaded->id);
  g_clear_pointer (&loaded->draft, json_object_unref);
  g_free (loaded);
}

static void
load_draft_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  FkStore *store = FK_STORE (source);
  g_autoptr (GPtrArray) drafts = NULL;
  g_autoptr (JsonNode) node = NULL;
  GError *error = NULL;
  const FkOutboxEntry *entry;
  Loaded *loaded;

  drafts = fk_outbox_list (store, FK_OUTBOX_DRAFT, &error);
  if (drafts == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (drafts->len == 0)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  /* The newest: the one a crash or a power cut left. */
  entry = g_ptr_array_index (drafts, drafts->len - 1);
  node = fk_store_read_dossier (store, entry->id, &error);
  if (node == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_task_return_new_error (task, FK_INTAKE_ERROR, FK_INTAKE_ERROR_DAMAGED_DRAFT,
                               "The draft %s is not a JSON object", entry->id);
      return;
    }
  loaded = g_new0 (Loaded, 1);
  loaded->id = g_strdup (entry->id);
  loaded->draft = json_object_ref (json_node_get_object (node));
  g_task_return_pointer (task, loaded, (GDestroyNotify) loaded_free);
}

void
fk_intake_store_load_draft_async (FkStore *store, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (store, cancellable, callback, user_data);

  g_task_set_source_tag (task, fk_intake_store_load_draft_async);
  g_task_run_in_thread (task, load_draft_thread);
}

/* Returns: (transfer full) (nullable): the newest draft, %NULL without
 * @error when there is none */
JsonObject *
fk_intake_store_load_draft_finish (FkStore *store, GAsyncResult *result, char **out_id,
                                   GError **error)
{
  Loaded *loaded;
  JsonObject *draft;

  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_intake_store_load_draft_async,
                        NULL);
  loaded = g_task_propagate_pointer (G_TASK (result), error);
  if (loaded == NULL)
    return NULL;
  *out_id = g_steal_pointer (&loaded->id);
  draft = g_steal_pointer (&loaded->draft);
  loaded_free (loaded);
  return draft;
}

/* A draft already gone is not an error: the officer wanted it gone. */
gboolean
fk_intake_store_delete_draft (FkStore *store, const char *id, GError **error)
{
  g_autoptr (GError) local = NULL;

  if (fk_store_delete_draft (store, id, &local) ||
      g_error_matches (local, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_FOUND))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

/* ---- commit ---------------------------------------------------------- */

static GFile *
memory_file (GBytes *bytes, GArray *fds, GError **error)
{
  int fd = memfd_create ("fieldkit-part", MFD_CLOEXEC);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autofree char *path = NULL;

  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
      return NULL;
    }
  g_array_append_val (fds, fd);
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
          return NULL;
        }
      data += n;
      len -= (gsize) n;
    }
  path = g_strdup_printf ("/proc/self/fd/%d", fd);
  return g_file_new_for_path (path);
}

static void
close_fds (gpointer data)
{
  GArray *fds = data;

  for (guint i = 0; i < fds->len; i++)
    close (g_array_index (fds, int, i));
  g_array_unref (fds);
}

static void
commit_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  char *id = fk_store_commit_dossier_finish (FK_STORE (source), result, &error);

  if (id == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, id, g_free);
}

/**
 * fk_intake_store_commit_async:
 * @draft_id: (nullable): the draft the dossier seals
 * @parts: (element-type FkIntakePart): the attachments
 *
 * Seals @dossier and queues it for upload.
 */
void
fk_intake_store_commit_async (FkStore *store, FkDossier *dossier, const char *draft_id,
                              GPtrArray *parts, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (store, cancellable, callback, user_data);
  g_autoptr (GPtrArray) attachments =
    g_ptr_array_new_with_free_func ((GDestroyNotify) fk_store_attachment_free);
  g_autoptr (JsonNode) node = NULL;
  GArray *fds = g_array_new (FALSE, FALSE, sizeof (int));
  GError *error = NULL;

  g_task_set_source_tag (task, fk_intake_store_commit_async);
  /* The memory files stay open until the store has sealed them. */
  g_task_set_task_data (task, fds, close_fds);
  for (guint i = 0; i < parts->len; i++)
    {
      FkIntakePart *part = g_ptr_array_index (parts, i);
      g_autoptr (GFile) file = memory_file (part->bytes, fds, &error);

      if (file == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (attachments,
                       fk_store_attachment_new (fk_attachment_kind_to_string (part->kind), file));
    }
  node = fk_dossier_to_json (dossier);
  if (draft_id != NULL)
    json_object_set_string_member (json_node_get_object (node), "id", draft_id);
  fk_store_commit_dossier_async (store, json_node_get_object (node), attachments, TRUE, cancellable,
                                 commit_done, g_steal_pointer (&task));
}

/* Returns: (transfer full): the sealed dossier's UUID */
char *
fk_intake_store_commit_finish (FkStore *store, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_intake_store_commit_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
