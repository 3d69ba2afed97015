/* fk-file-util.c: durable file writes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-file-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <unistd.h>

/* An output stream on a file descriptor whose errors say "disk full"
 * (G_IO_ERROR_NO_SPACE) for ENOSPC, EDQUOT, and EFBIG from RLIMIT_FSIZE;
 * GUnixOutputStream folds the latter two into G_IO_ERROR_FAILED. */
#define FK_TYPE_FD_OUTPUT_STREAM (fk_fd_output_stream_get_type ())
G_DECLARE_FINAL_TYPE (FkFdOutputStream, fk_fd_output_stream, FK, FD_OUTPUT_STREAM, GOutputStream)

struct _FkFdOutputStream
{
  GOutputStream parent_instance;
  int fd;
};

G_DEFINE_FINAL_TYPE (FkFdOutputStream, fk_fd_output_stream, G_TYPE_OUTPUT_STREAM)

static gssize
fk_fd_output_stream_write (GOutputStream *stream, const void *buffer, gsize count,
                           GCancellable *cancellable, GError **error)
{
  FkFdOutputStream *self = FK_FD_OUTPUT_STREAM (stream);
  gssize n;

  do
    n = write (self->fd, buffer, count);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    fk_set_error_from_errno (error, errno, _ ("a file"));
  return n;
}

static void
fk_fd_output_stream_class_init (FkFdOutputStreamClass *klass)
{
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = fk_fd_output_stream_write;
}

static void
fk_fd_output_stream_init (FkFdOutputStream *self)
{
  self->fd = -1;
}

struct _FkDurableFile
{
  char *dir;
  char *tmp_path;
  int fd;
  GOutputStream *stream;
  gboolean committed;
};

void
fk_set_error_from_errno (GError **error, int errsv, const char *what)
{
  if (errsv == ENOSPC || errsv == EDQUOT || errsv == EFBIG)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                         _ ("The device storage is full: nothing new was saved. Free some space "
                            "(send the queue, remove old files) and try again."));
  else
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), _ ("Could not write %s: %s."),
                 what, g_strerror (errsv));
}

static char *
random_hex (gsize bytes)
{
  g_autofree guint8 *buf = g_malloc (bytes);
  char *hex = g_malloc (bytes * 2 + 1);

  randombytes_buf (buf, bytes);
  sodium_bin2hex (hex, bytes * 2 + 1, buf, bytes);
  return hex;
}

FkDurableFile *
fk_durable_file_new (const char *dir, int mode, GError **error)
{
  FkDurableFile *file;
  g_autofree char *hex = NULL;
  g_autofree char *name = NULL;
  int fd;

  if (sodium_init () < 0)
    g_error ("libsodium could not initialise");
  hex = random_hex (8);
  name = g_strconcat (FK_TEMP_PREFIX, hex, NULL);
  {
    g_autofree char *path = g_build_filename (dir, name, NULL);

    fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
      {
        fk_set_error_from_errno (error, errno, _ ("a temporary file"));
        return NULL;
      }
    file = g_new0 (FkDurableFile, 1);
    file->dir = g_strdup (dir);
    file->tmp_path = g_steal_pointer (&path);
  }
  file->fd = fd;
  file->stream = g_object_new (FK_TYPE_FD_OUTPUT_STREAM, NULL);
  FK_FD_OUTPUT_STREAM (file->stream)->fd = fd;
  return file;
}

GOutputStream *
fk_durable_file_get_stream (FkDurableFile *file)
{
  return file->stream;
}

gboolean
fk_durable_file_commit (FkDurableFile *file, const char *final_name, gboolean sync_dir,
                        GError **error)
{
  g_autofree char *final_path = g_build_filename (file->dir, final_name, NULL);

  if (fsync (file->fd) != 0)
    {
      fk_set_error_from_errno (error, errno, _ ("a file"));
      return FALSE;
    }
  if (g_rename (file->tmp_path, final_path) != 0)
    {
      fk_set_error_from_errno (error, errno, _ ("a file"));
      return FALSE;
    }
  file->committed = TRUE;
  return !sync_dir || fk_fsync_dir (file->dir, error);
}

typedef struct
{
  int fd;
  int errsv;
} SyncJob;

static gpointer
sync_thread (gpointer data)
{
  SyncJob *job = data;

  if (fsync (job->fd) != 0)
    job->errsv = errno;
  return NULL;
}

gboolean
fk_durable_files_commit (FkDurableFile **files, const char *const *final_names, guint n,
                         GError **error)
{
  g_autofree SyncJob *jobs = g_new0 (SyncJob, n);
  g_autofree GThread **threads = g_new0 (GThread *, n);

  if (n == 0)
    return TRUE;
  for (guint i = 0; i < n; i++)
    {
      jobs[i].fd = files[i]->fd;
      threads[i] = i + 1 < n ? g_thread_new ("fk-fsync", sync_thread, &jobs[i]) : NULL;
    }
  sync_thread (&jobs[n - 1]);
  for (guint i = 0; i + 1 < n; i++)
    g_thread_join (threads[i]);
  for (guint i = 0; i < n; i++)
    if (jobs[i].errsv != 0)
      {
        fk_set_error_from_errno (error, jobs[i].errsv, _ ("a file"));
        return FALSE;
      }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *final_path = g_build_filename (files[i]->dir, final_names[i], NULL);

      if (g_rename (files[i]->tmp_path, final_path) != 0)
        {
          fk_set_error_from_errno (error, errno, _ ("a file"));
          return FALSE;
        }
      files[i]->committed = TRUE;
    }
  return fk_fsync_dir (files[0]->dir, error);
}

void
fk_durable_file_free (FkDurableFile *file)
{
  if (file == NULL)
    return;
  g_clear_object (&file->stream);
  if (file->fd >= 0)
    close (file->fd);
  if (!file->committed)
    g_unlink (file->tmp_path);
  g_free (file->tmp_path);
  g_free (file->dir);
  g_free (file);
}

gboolean
fk_fsync_dir (const char *dir, GError **error)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  int errsv;

  if (fd < 0)
    {
      fk_set_error_from_errno (error, errno, dir);
      return FALSE;
    }
  if (fsync (fd) != 0)
    {
      errsv = errno;
      close (fd);
      fk_set_error_from_errno (error, errsv, dir);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

gboolean
fk_file_write_durably (const char *dir, const char *name, const void *data, gsize len, int mode,
                       GError **error)
{
  g_autoptr (FkDurableFile) file = fk_durable_file_new (dir, mode, error);
  GError *local = NULL;

  if (file == NULL)
    return FALSE;
  if (!g_output_stream_write_all (file->stream, data, len, NULL, NULL, &local))
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return fk_durable_file_commit (file, name, TRUE, error);
}
