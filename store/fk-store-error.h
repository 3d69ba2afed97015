/* fk-store-error.h: the error domain of the device's sealed store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every function of the store (fk-store.h, fk-outbox.h) fails with
 * FK_STORE_ERROR, or with G_IO_ERROR_CANCELLED when its cancellable was
 * cancelled. What the store's own libraries report (the vault's
 * FK_VAULT_ERROR, SQLite, G_IO_ERROR of files) is turned into these codes
 * at the store's edge, keeping the message. A page or a command that
 * explains an error to the officer decides by the code, never by the
 * message; the message itself is written for the officer and translated.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FK_STORE_ERROR (fk_store_error_quark ())

typedef enum
{
  FK_STORE_ERROR_FAILED,             /* anything else, with a message */
  FK_STORE_ERROR_CORRUPT,            /* damaged, truncated or tampered data in the store */
  FK_STORE_ERROR_DISK_FULL,          /* no space left on the device: nothing new was saved */
  FK_STORE_ERROR_IO,                 /* reading or writing a file failed */
  FK_STORE_ERROR_NOT_INITIALIZED,    /* no store in the data directory (run init) */
  FK_STORE_ERROR_VERSION_TOO_NEW,    /* the store was written by a newer FieldKit */
  FK_STORE_ERROR_BUSY,               /* another process writes the store */
  FK_STORE_ERROR_NOT_FOUND,          /* no such dossier, visit or attachment, or its content was
                                      * purged */
  FK_STORE_ERROR_WRONG_PIN,          /* the PIN (or the recovery code) is wrong */
  FK_STORE_ERROR_PIN_DELAY,          /* too many wrong PINs: wait before trying again */
  FK_STORE_ERROR_PIN_LOCKED,         /* locked until an administrator resets the PIN */
  FK_STORE_ERROR_LOCKED,             /* the operation needs the PIN first */
  FK_STORE_ERROR_INVALID_TRANSITION, /* not allowed in the dossier's state (outbox, sealed draft) */
  FK_STORE_ERROR_INVALID_ARGUMENT,   /* bad input from the caller: a dossier that does not
                                      * validate, an attachment that cannot be read */
  FK_STORE_ERROR_UNTRUSTED,          /* data from the server that its signature does not vouch
                                      * for (a catalog update) */
} FkStoreError;

GQuark fk_store_error_quark (void);

G_END_DECLS
