/* fk-server-service.c: log writer and the systemd notification socket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-service.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static gboolean to_journal;
static gboolean debug;

static const char *
level_name (GLogLevelFlags level)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    return "error";
  if (level & G_LOG_LEVEL_WARNING)
    return "warning";
  if (level & G_LOG_LEVEL_MESSAGE)
    return "notice";
  if (level & G_LOG_LEVEL_INFO)
    return "info";
  return "debug";
}

/* Plain lines for a terminal, a container or a test; the journal gets the
 * fields as they are, and adds its own time. */
static GLogWriterOutput
writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  const char *message = NULL;
  g_autoptr (GDateTime) now = NULL;
  g_autofree char *stamp = NULL;

  if ((level & G_LOG_LEVEL_DEBUG) && !debug)
    return G_LOG_WRITER_HANDLED;
  if (to_journal &&
      g_log_writer_journald (level, fields, n_fields, user_data) == G_LOG_WRITER_HANDLED)
    return G_LOG_WRITER_HANDLED;
  for (gsize i = 0; i < n_fields; i++)
    if (strcmp (fields[i].key, "MESSAGE") == 0)
      message = fields[i].value;
  now = g_date_time_new_now_utc ();
  stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  fprintf (stderr, "%s.%03dZ fieldkit-server[%d] %s: %s\n", stamp,
           g_date_time_get_microsecond (now) / 1000, (int) getpid (), level_name (level),
           message != NULL ? message : "");
  fflush (stderr);
  return G_LOG_WRITER_HANDLED;
}

void
fk_server_log_init (void)
{
  to_journal = g_log_writer_is_journald (fileno (stderr));
  debug = g_getenv ("G_MESSAGES_DEBUG") != NULL;
  g_log_set_writer_func (writer, NULL, NULL);
}

void
fk_server_log_request (const FkServerRequestLog *e)
{
  char status[16], duration[32], bytes[32];
  g_autofree char *message = NULL;
  GLogField fields[] = {
    { "MESSAGE", NULL, -1 },
    { "PRIORITY", "6", -1 },
    { "GLIB_DOMAIN", FK_SERVER_LOG_DOMAIN, -1 },
    { "FK_METHOD", e->method, -1 },
    { "FK_ROUTE", e->route, -1 },
    { "FK_STATUS", status, -1 },
    { "FK_DURATION_MS", duration, -1 },
    { "FK_BYTES_IN", bytes, -1 },
    { "FK_ERROR", e->error_code != NULL ? e->error_code : "", -1 },
    { "FK_DEVICE", e->device != NULL ? e->device : "", -1 },
    { "FK_DOSSIER", e->dossier != NULL ? e->dossier : "", -1 },
  };

  g_snprintf (status, sizeof status, "%u", e->status);
  g_ascii_formatd (duration, sizeof duration, "%.1f", e->duration_ms);
  g_snprintf (bytes, sizeof bytes, "%" G_GUINT64_FORMAT, e->bytes_in);
  message = g_strdup_printf (
    "%s %s %u%s%s %s ms%s%s%s%s", e->method, e->route, e->status, e->error_code != NULL ? " " : "",
    e->error_code != NULL ? e->error_code : "", duration, e->device != NULL ? " device=" : "",
    e->device != NULL ? e->device : "", e->dossier != NULL ? " dossier=" : "",
    e->dossier != NULL ? e->dossier : "");
  fields[0].value = message;
  g_log_structured_array (G_LOG_LEVEL_INFO, fields, G_N_ELEMENTS (fields));
}

gboolean
fk_server_notify (const char *state)
{
  const char *path = g_getenv ("NOTIFY_SOCKET");
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  gsize len;
  int fd;
  gboolean ok;

  if (path == NULL || (path[0] != '/' && path[0] != '@'))
    return FALSE;
  len = strlen (path);
  if (len >= sizeof sa.sun_path)
    return FALSE;
  memcpy (sa.sun_path, path, len);
  if (path[0] == '@')
    sa.sun_path[0] = '\0'; /* an abstract socket */
  fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;
  ok = sendto (fd, state, strlen (state), MSG_NOSIGNAL, (struct sockaddr *) &sa,
               (socklen_t) (offsetof (struct sockaddr_un, sun_path) + len)) >= 0;
  close (fd);
  return ok;
}
