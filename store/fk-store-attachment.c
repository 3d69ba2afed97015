/* fk-store-attachment.c: a file handed to the store, as bytes, stream or file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Invariants: immutable once made (only its stream is consumed, once, by
 * the call it is given to); reference counts are atomic, so a worker
 * thread may hold one while the caller drops its own.
 */
#include "fk-store-private.h"

#include <glib/gi18n.h>

struct _FkStoreAttachment
{
  FkAttachmentKind kind;
  char *name;
  GBytes *bytes;
  GInputStream *stream;
  GFile *file;
};

G_DEFINE_BOXED_TYPE (FkStoreAttachment, fk_store_attachment, fk_store_attachment_ref,
                     fk_store_attachment_unref)

static void
attachment_clear (gpointer data)
{
  FkStoreAttachment *attachment = data;

  g_free (attachment->name);
  g_clear_pointer (&attachment->bytes, g_bytes_unref);
  g_clear_object (&attachment->stream);
  g_clear_object (&attachment->file);
}

static FkStoreAttachment *
attachment_new (FkAttachmentKind kind, const char *name)
{
  FkStoreAttachment *attachment = g_atomic_rc_box_new0 (FkStoreAttachment);

  attachment->kind = kind;
  attachment->name = g_strdup (name);
  return attachment;
}

/**
 * fk_store_attachment_new_for_bytes:
 * @kind: what the file is
 * @name: (nullable): the caller's name for it
 * @bytes: its content
 *
 * Returns: (transfer full): the attachment
 */
FkStoreAttachment *
fk_store_attachment_new_for_bytes (FkAttachmentKind kind, const char *name, GBytes *bytes)
{
  FkStoreAttachment *attachment;

  g_return_val_if_fail (bytes != NULL, NULL);
  attachment = attachment_new (kind, name);
  attachment->bytes = g_bytes_ref (bytes);
  return attachment;
}

/**
 * fk_store_attachment_new_for_stream:
 * @kind: what the file is
 * @name: (nullable): the caller's name for it
 * @stream: its content, read once to its end by the store
 *
 * Returns: (transfer full): the attachment
 */
FkStoreAttachment *
fk_store_attachment_new_for_stream (FkAttachmentKind kind, const char *name, GInputStream *stream)
{
  FkStoreAttachment *attachment;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  attachment = attachment_new (kind, name);
  attachment->stream = g_object_ref (stream);
  return attachment;
}

/**
 * fk_store_attachment_new_for_file:
 * @kind: what the file is
 * @name: (nullable): the caller's name for it; the file's base name when
 *   %NULL
 * @file: the file, opened when the store seals it
 *
 * Returns: (transfer full): the attachment
 */
FkStoreAttachment *
fk_store_attachment_new_for_file (FkAttachmentKind kind, const char *name, GFile *file)
{
  FkStoreAttachment *attachment;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  attachment = attachment_new (kind, name);
  if (attachment->name == NULL)
    attachment->name = g_file_get_basename (file);
  attachment->file = g_object_ref (file);
  return attachment;
}

FkStoreAttachment *
fk_store_attachment_ref (FkStoreAttachment *attachment)
{
  g_return_val_if_fail (attachment != NULL, NULL);
  return g_atomic_rc_box_acquire (attachment);
}

void
fk_store_attachment_unref (FkStoreAttachment *attachment)
{
  if (attachment != NULL)
    g_atomic_rc_box_release_full (attachment, attachment_clear);
}

FkAttachmentKind
fk_store_attachment_get_kind (FkStoreAttachment *attachment)
{
  g_return_val_if_fail (attachment != NULL, FK_ATTACHMENT_DOCUMENT);
  return attachment->kind;
}

const char *
fk_store_attachment_get_name (FkStoreAttachment *attachment)
{
  g_return_val_if_fail (attachment != NULL, NULL);
  return attachment->name;
}

GBytes *
fk_store_attachment_get_bytes (FkStoreAttachment *attachment)
{
  g_return_val_if_fail (attachment != NULL, NULL);
  return attachment->bytes;
}

GPtrArray *
fk_store_attachments_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) fk_store_attachment_unref);
}

GPtrArray *
fk_store_attachments_copy (GPtrArray *attachments)
{
  GPtrArray *copy = fk_store_attachments_new ();

  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    g_ptr_array_add (copy, fk_store_attachment_ref (g_ptr_array_index (attachments, i)));
  return copy;
}

const char *
fk_store_attachment_describe (FkStoreAttachment *attachment)
{
  if (attachment->file != NULL && g_file_peek_path (attachment->file) != NULL)
    return g_file_peek_path (attachment->file);
  if (attachment->name != NULL)
    return attachment->name;
  return fk_attachment_kind_to_string (attachment->kind);
}

GInputStream *
fk_store_attachment_open (FkStoreAttachment *attachment, GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local = NULL;
  GFileInputStream *in;

  if (attachment->bytes != NULL)
    return g_memory_input_stream_new_from_bytes (attachment->bytes);
  if (attachment->stream != NULL)
    return g_object_ref (attachment->stream);
  in = g_file_read (attachment->file, cancellable, &local);
  if (in == NULL)
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                     _ ("Cannot read the attachment %s: %s"),
                     fk_store_attachment_describe (attachment), local->message);
      return NULL;
    }
  return G_INPUT_STREAM (in);
}

GBytes *
fk_store_attachment_read_all (FkStoreAttachment *attachment, GCancellable *cancellable,
                              GError **error)
{
  g_autoptr (GInputStream) in = NULL;
  g_autoptr (GOutputStream) out = NULL;
  g_autoptr (GError) local = NULL;

  if (attachment->bytes != NULL)
    return g_bytes_ref (attachment->bytes);
  in = fk_store_attachment_open (attachment, cancellable, error);
  if (in == NULL)
    return NULL;
  out = g_memory_output_stream_new_resizable ();
  if (g_output_stream_splice (
        out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
        cancellable, &local) < 0)
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                     _ ("Cannot read the attachment %s: %s"),
                     fk_store_attachment_describe (attachment), local->message);
      return NULL;
    }
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}
