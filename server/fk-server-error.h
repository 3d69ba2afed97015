/* fk-server-error.h: the error domain of fieldkit-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What goes wrong in the server's own business: its configuration, the
 * sockets it listens on, its database and storage, its keys, backups and
 * exports. What the server answers a device keeps the protocol's domain
 * (FK_SYNC_ERROR, fk-sync-error.h): an upload that does not match, a quota,
 * a dossier that does not open are turned into an HTTP status and code for
 * the device, and the device reads them back with the same meaning.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FK_SERVER_ERROR (fk_server_error_quark ())

typedef enum
{
  FK_SERVER_ERROR_FAILED,    /* anything else, with a message */
  FK_SERVER_ERROR_CONFIG,    /* a configuration file or option that cannot be used */
  FK_SERVER_ERROR_LISTEN,    /* an address that cannot be listened on, TLS that cannot start */
  FK_SERVER_ERROR_STORAGE,   /* the database cannot be opened, answers an error, is busy or
                              * holds damaged data */
  FK_SERVER_ERROR_NOT_FOUND, /* no such device or dossier in the database */
  FK_SERVER_ERROR_EXISTS,    /* the device key is enrolled already, the catalog version is
                              * published already (or an older one) */
  FK_SERVER_ERROR_KEYS,      /* the server's key files are missing or not ours */
  FK_SERVER_ERROR_BACKUP,    /* a backup cannot be taken (backend, target file) */
  FK_SERVER_ERROR_INVALID,   /* what is given to publish breaks its rules (a catalog) */
} FkServerError;

GQuark fk_server_error_quark (void);

G_END_DECLS
