/* fk-device-key.h: the device's Ed25519 signing key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Created once at init and stored unwrapped (file mode 0600, raw 64-byte
 * libsodium secret key = seed || public key) so that unattended sync can
 * sign without the PIN: it is not personal data, and the server revokes a
 * lost device's key. It signs audit entries and sync requests.
 *
 * Errors: FK_VAULT_ERROR (a key at rest, like the vault's); writing the
 * key file reports G_IO_ERROR (fk-file-util.h).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FK_DEVICE_PUBLIC_KEY_BYTES 32
#define FK_DEVICE_SIGNATURE_BYTES  64
#define FK_DEVICE_KEY_FILE         "device-sign.key"

typedef struct _FkDeviceKey FkDeviceKey;

/* Creates a new key in @dir/device-sign.key; fails if one exists. */
FkDeviceKey *fk_device_key_create (const char *dir, GError **error);
FkDeviceKey *fk_device_key_load (const char *dir, GError **error);
void fk_device_key_free (FkDeviceKey *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkDeviceKey, fk_device_key_free)

const guint8 *fk_device_key_get_public_key (FkDeviceKey *key);
/* (transfer full): the public key in standard base64. */
char *fk_device_key_get_public_key_base64 (FkDeviceKey *key);
/* Detached signature, FK_DEVICE_SIGNATURE_BYTES into @signature. */
void fk_device_key_sign (FkDeviceKey *key, const void *data, gsize len,
                         guint8 signature[FK_DEVICE_SIGNATURE_BYTES]);
gboolean fk_device_key_verify (const guint8 public_key[FK_DEVICE_PUBLIC_KEY_BYTES],
                               const void *data, gsize len, const guint8 *signature,
                               gsize signature_len);

G_END_DECLS
