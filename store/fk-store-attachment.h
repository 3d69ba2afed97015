/* fk-store-attachment.h: a file handed to the store with a dossier or a draft
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the caller gives the store to seal: the kind, a name, and the
 * content as bytes in memory, a stream, or a file on disk (a script's
 * photos). Nothing of it touches the disk unsealed. Immutable and
 * reference-counted (atomically): an _async call may keep it in its worker
 * thread while the caller drops its own reference. A stream is read once,
 * by the call it is given to.
 *
 * The name is the caller's: a draft keeps it and gives it back on resume
 * (the intake wizard names each photo by its document code). A sealed
 * dossier names each attachment by its part file instead (the upload
 * manifest matches parts by that name, docs/protocol.md); there the name
 * only says which attachment an error is about.
 */
#pragma once

#include <gio/gio.h>

#include "fk-dossier.h"

G_BEGIN_DECLS

typedef struct _FkStoreAttachment FkStoreAttachment;

#define FK_TYPE_STORE_ATTACHMENT (fk_store_attachment_get_type ())
GType fk_store_attachment_get_type (void);

FkStoreAttachment *fk_store_attachment_new_for_bytes (FkAttachmentKind kind, const char *name,
                                                      GBytes *bytes);
FkStoreAttachment *fk_store_attachment_new_for_stream (FkAttachmentKind kind, const char *name,
                                                       GInputStream *stream);
/* @name (nullable): the file's base name when NULL. The file is opened
 * when the store seals it; a file that cannot be read fails the commit
 * with FK_STORE_ERROR_INVALID_ARGUMENT naming its path. */
FkStoreAttachment *fk_store_attachment_new_for_file (FkAttachmentKind kind, const char *name,
                                                     GFile *file);

FkStoreAttachment *fk_store_attachment_ref (FkStoreAttachment *attachment);
void fk_store_attachment_unref (FkStoreAttachment *attachment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkStoreAttachment, fk_store_attachment_unref)

FkAttachmentKind fk_store_attachment_get_kind (FkStoreAttachment *attachment);
/* (nullable): the caller's name. */
const char *fk_store_attachment_get_name (FkStoreAttachment *attachment);
/* (transfer none) (nullable): the content, for an attachment made from
 * bytes (every attachment of a resumed draft is). */
GBytes *fk_store_attachment_get_bytes (FkStoreAttachment *attachment);

/* (transfer full): an empty array that unrefs its attachments. */
GPtrArray *fk_store_attachments_new (void);

G_END_DECLS
