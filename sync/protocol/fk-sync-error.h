/* fk-sync-error.h: the error domain of the sync protocol and transport
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What goes wrong between the device and the intake server: the link, the
 * other side's answers, the signed manifest and receipt. The device store
 * has its own domain (FK_STORE_ERROR, store/fk-store-error.h), the sealed
 * formats and keys theirs (FK_VAULT_ERROR, fk-vault-error.h), and the
 * server its own business (FK_SERVER_ERROR, server/fk-server-error.h).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FK_SYNC_ERROR (fk_sync_error_quark ())

typedef enum
{
  FK_SYNC_ERROR_FAILED,             /* anything else, with a message */
  FK_SYNC_ERROR_CORRUPT,            /* a damaged, truncated or malformed message or part */
  FK_SYNC_ERROR_NOT_INITIALIZED,    /* sync is not configured (server keys, URL) */
  FK_SYNC_ERROR_NOT_FOUND,          /* the other side has no such dossier or upload */
  FK_SYNC_ERROR_INVALID_ARGUMENT,   /* bad input from the caller */
  FK_SYNC_ERROR_AUTH,               /* request signature, device or clock refused (401/403) */
  FK_SYNC_ERROR_REJECTED,           /* the server refused the dossier for good (4xx) */
  FK_SYNC_ERROR_TRANSIENT,          /* 5xx, 429, network: try again later */
  FK_SYNC_ERROR_BAD_RECEIPT,        /* the receipt's signature or contents do not match */
  FK_SYNC_ERROR_CONFLICT,           /* same UUID or upload, other contents */
  FK_SYNC_ERROR_BODY_MISMATCH,      /* a signed body arrived damaged: send it again */
  FK_SYNC_ERROR_CLOCK,              /* the device's clock is too far from the server's */
  FK_SYNC_ERROR_QUOTA,              /* the device's storage on the server is used up */
  FK_SYNC_ERROR_INVITATION_INVALID, /* an enrollment code damaged, altered or unknown */
  FK_SYNC_ERROR_INVITATION_USED,    /* an enrollment code that enrolled a device already */
  FK_SYNC_ERROR_INVITATION_EXPIRED, /* an enrollment code past its time */
  FK_SYNC_ERROR_OTHER_SERVER,       /* an enrollment code made by another server */
  FK_SYNC_ERROR_INSECURE,           /* plain HTTP to a server that is not on this machine */
} FkSyncError;

GQuark fk_sync_error_quark (void);

G_END_DECLS
