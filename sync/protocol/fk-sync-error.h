/* fk-sync-error.h: the error domain of the sync layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FK_SYNC_ERROR (fk_sync_error_quark ())

typedef enum
{
  FK_SYNC_ERROR_FAILED,              /* anything else, with a message */
  FK_SYNC_ERROR_CORRUPT,             /* damaged, truncated or tampered data */
  FK_SYNC_ERROR_DISK_FULL,           /* no space left on the device */
  FK_SYNC_ERROR_IO,                  /* reading or writing a file failed */
  FK_SYNC_ERROR_NOT_INITIALIZED,     /* no store in the data directory */
  FK_SYNC_ERROR_UNSUPPORTED_VERSION, /* store made by a newer FieldKit */
  FK_SYNC_ERROR_BUSY,                /* another process writes the store */
  FK_SYNC_ERROR_NOT_FOUND,           /* no such dossier */
  FK_SYNC_ERROR_WRONG_PIN,           /* the PIN does not unlock the vault */
  FK_SYNC_ERROR_PIN_DELAY,           /* too many wrong PINs: wait before trying again */
  FK_SYNC_ERROR_PIN_LOCKED,          /* locked until an administrator resets the PIN */
  FK_SYNC_ERROR_VAULT_LOCKED,        /* the operation needs the PIN first */
  FK_SYNC_ERROR_INVALID_TRANSITION,  /* outbox state change not allowed */
  FK_SYNC_ERROR_INVALID_ARGUMENT,    /* bad input from the caller */
  FK_SYNC_ERROR_AUTH,                /* request signature, device or clock refused (401/403) */
  FK_SYNC_ERROR_REJECTED,            /* the server refused the dossier for good (4xx) */
  FK_SYNC_ERROR_TRANSIENT,           /* 5xx, 429, network: try again later */
  FK_SYNC_ERROR_BAD_RECEIPT,         /* the receipt's signature or contents do not match */
  FK_SYNC_ERROR_STORAGE,             /* the intake server's database failed */
  FK_SYNC_ERROR_CONFLICT,            /* same UUID or upload, other contents */
  FK_SYNC_ERROR_BODY_MISMATCH,       /* a signed body arrived damaged: send it again */
  FK_SYNC_ERROR_CLOCK,               /* the device's clock is too far from the server's */
  FK_SYNC_ERROR_QUOTA,               /* the device's storage on the server is used up */
} FkSyncError;

GQuark fk_sync_error_quark (void);

G_END_DECLS
