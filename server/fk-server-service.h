/* fk-server-service.h: how fieldkit-server talks to what runs it: log
 * entries (the journal's fields under systemd, plain lines otherwise) and
 * systemd's readiness protocol
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FK_SERVER_LOG_DOMAIN "fieldkit-server"

/* Installs the log writer: journald when stderr is the journal. */
void fk_server_log_init (void);

/* One entry per request: what was asked and answered, by which device,
 * about which dossier, and how long it took. Never a name, an ID number or
 * an address of a citizen: the server never reads those from a request. */
typedef struct
{
  const char *method;
  const char *route; /* the pattern, e.g. /v1/blobs/:sha256 */
  guint status;
  const char *error_code; /* nullable */
  const char *device;     /* the device's enrolled name, nullable */
  const char *dossier;    /* nullable */
  double duration_ms;
  guint64 bytes_in;
} FkServerRequestLog;

void fk_server_log_request (const FkServerRequestLog *entry);

/* sd_notify(3) without libsystemd: one datagram to $NOTIFY_SOCKET, e.g.
 * "READY=1" or "STOPPING=1". FALSE when not run by systemd. */
gboolean fk_server_notify (const char *state);

G_END_DECLS
