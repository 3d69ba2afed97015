/* fk-vault-error.h: the error domain of the sealed formats and keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The vault (fk-vault.h) and the device key (fk-device-key.h) are shared
 * by the device store and the intake server; what goes wrong in them is
 * neither transport nor protocol (FK_SYNC_ERROR) nor the device store's
 * state (FK_STORE_ERROR): it is data at rest that does not open. Each
 * caller says what that means for it: the store reports a damaged store
 * (FK_STORE_ERROR_CORRUPT), the server refuses or quarantines the upload.
 * Errors of the streams given to the vault pass through unchanged
 * (G_IO_ERROR, e.g. G_IO_ERROR_CANCELLED or G_IO_ERROR_NO_SPACE).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FK_VAULT_ERROR (fk_vault_error_quark ())

typedef enum
{
  FK_VAULT_ERROR_FAILED,           /* anything else (the crypto library cannot run, no memory
                                    * for Argon2id, a device key is there already), with a
                                    * message */
  FK_VAULT_ERROR_CORRUPT,          /* does not open: wrong key, truncated, damaged or changed */
  FK_VAULT_ERROR_INVALID_ARGUMENT, /* bad input from the caller (e.g. not a dossier UUID) */
  FK_VAULT_ERROR_NOT_FOUND,        /* no device key in the directory */
  FK_VAULT_ERROR_IO,               /* the key file cannot be read */
} FkVaultError;

GQuark fk_vault_error_quark (void);

G_END_DECLS
