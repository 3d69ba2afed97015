/* fk-file-util.h: durable file writes (temp name, fsync, rename, dir fsync)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Errors are G_IO_ERROR, a full disk always G_IO_ERROR_NO_SPACE: each
 * caller tells its own users what that means (the store:
 * FK_STORE_ERROR_DISK_FULL).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A file being written under a temporary name in @dir; nothing of it is
 * visible under its final name until fk_durable_file_commit() returns. */
typedef struct _FkDurableFile FkDurableFile;

FkDurableFile *fk_durable_file_new (const char *dir, int mode, GError **error);
GOutputStream *fk_durable_file_get_stream (FkDurableFile *file);
gboolean fk_durable_file_commit (FkDurableFile *file, const char *final_name, gboolean sync_dir,
                                 GError **error);
void fk_durable_file_free (FkDurableFile *file);
/* Commits several files at once: their fsyncs run in parallel (the file
 * system batches them into one journal commit), then the renames, then one
 * fsync of the directory they share. */
gboolean fk_durable_files_commit (FkDurableFile **files, const char *const *final_names, guint n,
                                  GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkDurableFile, fk_durable_file_free)

gboolean fk_file_write_durably (const char *dir, const char *name, const void *data, gsize len,
                                int mode, GError **error);
gboolean fk_fsync_dir (const char *dir, GError **error);
/* Turns an errno into a G_IO_ERROR a user can act on: ENOSPC, EDQUOT and
 * EFBIG (a file size limit) all become G_IO_ERROR_NO_SPACE, "disk full". */
void fk_set_error_from_errno (GError **error, int errsv, const char *what);

#define FK_TEMP_PREFIX ".tmp-"

G_END_DECLS
