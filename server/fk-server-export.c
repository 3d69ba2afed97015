/* fk-server-export.c: one folder per delivered dossier, named by its UUID,
 * with dossier.json and the attachments, decrypted with the server's key
 *
 * A folder is written under a temporary name and renamed when complete, so
 * an interrupted export never leaves a half dossier that looks whole; a
 * folder that exists already is kept as it is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-export.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "fk-server-error.h"
#include "fk-sync-error.h"
#include "fk-sync-protocol.h"
#include "fk-vault.h"

static gboolean
write_private_file (const char *path, const void *data, gsize length, GError **error)
{
  return g_file_set_contents_full (path, data, (gssize) length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

/* What the commune opens: "01-document.jpg", numbered in the order of the
 * attachments in dossier.json, with an extension from the content. */
static const char *
extension_for (const guint8 *head, gsize len)
{
  static const struct
  {
    const char *mime;
    const char *ext;
  } known[] = {
    { "image/jpeg", ".jpg" }, { "image/png", ".png" },       { "image/webp", ".webp" },
    { "image/tiff", ".tif" }, { "application/pdf", ".pdf" }, { "image/jp2", ".jp2" },
  };
  g_autofree char *type = g_content_type_guess (NULL, head, len, NULL);
  g_autofree char *mime = g_content_type_get_mime_type (type);

  for (gsize i = 0; mime != NULL && i < G_N_ELEMENTS (known); i++)
    if (g_str_equal (mime, known[i].mime))
      return known[i].ext;
  return ".bin";
}

static char *
attachment_file_name (guint index, const char *kind, const char *path)
{
  guint8 head[256];
  gsize len = 0;
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) in = g_file_read (file, NULL, NULL);
  g_autofree char *safe_kind = g_strdup (kind);

  if (in != NULL)
    g_input_stream_read_all (G_INPUT_STREAM (in), head, sizeof head, &len, NULL, NULL);
  /* The kind comes from a device: keep it to a plain file-name word. */
  g_strcanon (safe_kind, "abcdefghijklmnopqrstuvwxyz0123456789-", '_');
  return g_strdup_printf ("%02u-%s%s", index, safe_kind, extension_for (head, len));
}

static gboolean
write_chunk (const guint8 *data, gsize length, gpointer user_data, GError **error)
{
  return g_output_stream_write_all (user_data, data, length, NULL, NULL, error);
}

/* The sealed bytes go to a file first, a few chunks at a time, so an
 * attachment of any size is never whole in memory. */
static GFileInputStream *
spool_sealed (FkServerDb *db, const char *device, const FkSyncPart *part, GFile *file,
              GError **error)
{
  g_autoptr (GFileOutputStream) out =
    g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, error);

  if (out == NULL)
    return NULL;
  if (!fk_server_db_blob_foreach (db, device, part->sha256, write_chunk, out, error))
    {
      g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
      return NULL;
    }
  if (!g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error))
    return NULL;
  return g_file_read (file, NULL, error);
}

static gboolean
export_attachment (FkServerDb *db, const char *device, const FkSyncPart *part, guint index,
                   const FkVaultKey *data_key, const char *dir, GError **error)
{
  g_autofree char *sealed_path = g_strdup_printf ("%s/%02u.sealed", dir, index);
  g_autoptr (GFile) sealed = g_file_new_for_path (sealed_path);
  g_autofree char *tmp_path = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GFileInputStream) in = NULL;
  g_autoptr (GFileOutputStream) out = NULL;
  gboolean opened;

  in = spool_sealed (db, device, part, sealed, error);
  if (in == NULL)
    return FALSE;
  tmp_path = g_strdup_printf ("%s/%02u.partial", dir, index);
  file = g_file_new_for_path (tmp_path);
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, error);
  if (out == NULL)
    return FALSE;
  opened =
    fk_vault_open_stream (data_key, G_INPUT_STREAM (in), G_OUTPUT_STREAM (out), NULL, NULL, error);
  g_input_stream_close (G_INPUT_STREAM (in), NULL, NULL);
  g_file_delete (sealed, NULL, NULL);
  if (!opened)
    {
      g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
      return FALSE;
    }
  if (!g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error))
    return FALSE;
  file_name = attachment_file_name (index, part->kind, tmp_path);
  path = g_build_filename (dir, file_name, NULL);
  if (g_rename (tmp_path, path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _ ("Cannot rename “%s”: %s"), tmp_path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* The photos and fingerprint of a dossier handed over long enough ago are
 * no longer on the server (fk-office-retention.c): exported without them. */
static gboolean
removed_after_handover (FkServerDb *db, const char *device, const FkSyncPart *part)
{
  FkServerBlobState state = { 0 };
  g_autoptr (GError) error = NULL;

  return !fk_server_db_blob_state (db, device, part->sha256, &state, &error) &&
         g_error_matches (error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_FOUND);
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static gboolean
export_one (FkServerDb *db, const FkServerKeys *keys, const FkServerCommit *commit,
            const char *out_dir, gboolean *written, GError **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (commit->manifest, &len);
  g_autoptr (FkSyncManifest) manifest = fk_sync_manifest_parse (data, len, error);
  g_autofree char *final_dir = NULL;
  g_autofree char *tmp_name = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autofree char *json_path = NULL;
  g_autoptr (GBytes) blob = NULL;
  g_autoptr (GBytes) json = NULL;
  g_autoptr (FkVaultKey) data_key = NULL;
  const FkSyncPart *dossier_part = NULL;

  *written = FALSE;
  if (manifest == NULL)
    return FALSE;
  final_dir = g_build_filename (out_dir, manifest->dossier, NULL);
  if (g_file_test (final_dir, G_FILE_TEST_IS_DIR))
    return TRUE;
  for (guint i = 0; i < manifest->parts->len; i++)
    if (strcmp (((FkSyncPart *) manifest->parts->pdata[i])->kind, "dossier") == 0)
      dossier_part = manifest->parts->pdata[i];
  /* fk_sync_manifest_parse() guarantees exactly one dossier part. */
  g_assert (dossier_part != NULL);
  blob = fk_server_db_blob_read (db, commit->device, dossier_part->sha256, 64 * 1024 * 1024, error);
  if (blob == NULL)
    return FALSE;
  json = fk_vault_open_dossier_with_server_key (blob, manifest->dossier, keys->box_public,
                                                keys->box_secret, &data_key, error);
  if (json == NULL)
    return FALSE;
  tmp_name = g_strdup_printf (".%s.partial", manifest->dossier);
  tmp_dir = g_build_filename (out_dir, tmp_name, NULL);
  remove_tree (tmp_dir);
  if (g_mkdir (tmp_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _ ("Cannot create “%s”: %s"), tmp_dir, g_strerror (saved));
      return FALSE;
    }
  json_path = g_build_filename (tmp_dir, "dossier.json", NULL);
  if (!write_private_file (json_path, g_bytes_get_data (json, NULL), g_bytes_get_size (json),
                           error))
    return FALSE;
  for (guint i = 0, index = 0; i < manifest->parts->len; i++)
    {
      const FkSyncPart *part = manifest->parts->pdata[i];

      if (part == dossier_part)
        continue;
      index++;
      if (removed_after_handover (db, commit->device, part))
        continue;
      if (!export_attachment (db, commit->device, part, index, data_key, tmp_dir, error))
        return FALSE;
    }
  if (g_rename (tmp_dir, final_dir) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _ ("Cannot rename “%s”: %s"), tmp_dir, g_strerror (saved));
      return FALSE;
    }
  *written = TRUE;
  return TRUE;
}

/* Only a full disk stops the export: anything else is this dossier's. */
static gboolean
is_fatal (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE) ||
         g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC) ||
         g_error_matches (error, FK_SERVER_ERROR, FK_SERVER_ERROR_STORAGE);
}

/**
 * fk_server_export:
 * @skipped: (nullable): called for each dossier that cannot be exported
 *
 * Exports every committed dossier that is not in @out_dir yet. A dossier
 * that does not open (or whose parts are missing) is skipped, its
 * half-written folder removed, and the export goes on with the next one;
 * only a full disk or a failing database stops it.
 */
gboolean
fk_server_export (FkServerDb *db, const FkServerKeys *keys, const char *out_dir,
                  FkServerExportSummary *summary, FkServerExportSkipFunc skipped,
                  gpointer user_data, GError **error)
{
  g_autoptr (GPtrArray) commits = NULL;

  memset (summary, 0, sizeof *summary);
  if (g_mkdir_with_parents (out_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _ ("Cannot create “%s”: %s"), out_dir, g_strerror (saved));
      return FALSE;
    }
  commits = fk_server_db_commit_list (db, error);
  if (commits == NULL)
    return FALSE;
  for (guint i = 0; i < commits->len; i++)
    {
      const FkServerCommit *commit = commits->pdata[i];
      g_autoptr (GError) local = NULL;
      gboolean written = FALSE;

      if (export_one (db, keys, commit, out_dir, &written, &local))
        {
          if (written)
            summary->exported++;
          continue;
        }
      if (is_fatal (local))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      {
        g_autofree char *uuid = g_ascii_strdown (commit->dossier, -1);
        g_autofree char *tmp_name = g_strdup_printf (".%s.partial", uuid);
        g_autofree char *tmp_dir = g_build_filename (out_dir, tmp_name, NULL);

        remove_tree (tmp_dir);
      }
      summary->skipped++;
      if (skipped != NULL)
        skipped (commit->dossier, local, user_data);
    }
  return TRUE;
}
