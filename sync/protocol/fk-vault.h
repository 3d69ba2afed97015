/* fk-vault.h: the crypto of sealed dossiers (libsodium, GLib/GIO only)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the device store and the intake server; it never touches
 * SQLite. The formats below are fixed; a change needs a new magic.
 *
 * Data key
 *   32 random bytes per dossier (crypto_aead_xchacha20poly1305_ietf_KEYBYTES).
 *
 * Key sealed to the server (FK_VAULT_SEALED_KEY_BYTES = 80 bytes)
 *   crypto_box_seal (data_key, server X25519 public key).
 *
 * Sealed dossier blob (".fkd" part)
 *   "FKD1" || sealed_key (80) || nonce (24)
 *          || XChaCha20-Poly1305-IETF ciphertext of the dossier JSON (UTF-8)
 *   additional data = "FKD1" || dossier UUID (36 lower-case ASCII chars).
 *
 * Sealed file (".fkf" part: attachment)
 *   "FKF1" || crypto_secretstream_xchacha20poly1305 header (24)
 *          || chunks: each is 64 KiB of plaintext + 17 bytes (ABYTES); only the
 *             last chunk may be shorter (it is empty only for an empty file)
 *             and only it is tagged TAG_FINAL. Key = the dossier's data key,
 *             no additional data.
 *   A stream that ends without a FINAL chunk, or has bytes after it, is
 *   truncated or tampered and is refused.
 *
 * Wrapped value (device side: data keys under the device key, local fields)
 *   nonce (24) || XChaCha20-Poly1305-IETF ciphertext, caller-chosen
 *   additional data.
 *
 * PIN-derived key: crypto_pwhash Argon2id13 with the salt, opslimit and
 * memlimit stored beside the wrapped key.
 *
 * Errors: FK_VAULT_ERROR (fk-vault-error.h); the streams' own errors pass
 * through.
 */
#pragma once

#include <gio/gio.h>

#include "fk-vault-error.h"

G_BEGIN_DECLS

#define FK_VAULT_KEY_BYTES         32
#define FK_VAULT_PUBLIC_KEY_BYTES  32 /* X25519 */
#define FK_VAULT_SECRET_KEY_BYTES  32 /* X25519 */
#define FK_VAULT_SEALED_KEY_BYTES  80 /* crypto_box_SEALBYTES + 32 */
#define FK_VAULT_NONCE_BYTES       24
#define FK_VAULT_MAC_BYTES         16
#define FK_VAULT_UUID_CHARS        36
#define FK_VAULT_DOSSIER_MAGIC     "FKD1"
#define FK_VAULT_FILE_MAGIC        "FKF1"
#define FK_VAULT_MAGIC_BYTES       4
#define FK_VAULT_FILE_HEADER_BYTES 24
#define FK_VAULT_FILE_CHUNK_BYTES  (64 * 1024)
#define FK_VAULT_SALT_BYTES        16

/* Offset of the AEAD ciphertext inside a sealed dossier blob. */
#define FK_VAULT_DOSSIER_HEADER_BYTES \
  (FK_VAULT_MAGIC_BYTES + FK_VAULT_SEALED_KEY_BYTES + FK_VAULT_NONCE_BYTES)

/* A 32-byte symmetric key kept in guarded memory (sodium_malloc) and wiped
 * when freed. */
typedef struct _FkVaultKey FkVaultKey;

gboolean fk_vault_init (GError **error);

FkVaultKey *fk_vault_key_new_random (void);
FkVaultKey *fk_vault_key_new_from_data (const guint8 *data, gsize len, GError **error);
FkVaultKey *fk_vault_key_copy (const FkVaultKey *key);
const guint8 *fk_vault_key_get_data (const FkVaultKey *key);
void fk_vault_key_free (FkVaultKey *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkVaultKey, fk_vault_key_free)

/* Argon2id13: @opslimit and @memlimit (bytes) are stored with the salt. */
FkVaultKey *fk_vault_key_derive_from_pin (const char *pin, const guint8 *salt, gsize salt_len,
                                          guint64 opslimit, gsize memlimit, GError **error);

/* Keyed BLAKE2b-256 of @data, as lower-case hex: searchable without the value. */
char *fk_vault_keyed_hash (const FkVaultKey *key, const void *data, gsize len);

/* Server key pair (X25519), used by the server and by tests. */
void fk_vault_server_keypair_new (guint8 public_key[FK_VAULT_PUBLIC_KEY_BYTES],
                                  guint8 secret_key[FK_VAULT_SECRET_KEY_BYTES]);

GBytes *fk_vault_seal_key_to_server (const FkVaultKey *data_key,
                                     const guint8 server_public_key[FK_VAULT_PUBLIC_KEY_BYTES]);
FkVaultKey *fk_vault_open_sealed_key (const guint8 *sealed, gsize sealed_len,
                                      const guint8 server_public_key[FK_VAULT_PUBLIC_KEY_BYTES],
                                      const guint8 server_secret_key[FK_VAULT_SECRET_KEY_BYTES],
                                      GError **error);

/* Wrapped values: nonce || AEAD ciphertext with @ad as additional data. */
GBytes *fk_vault_wrap (const FkVaultKey *key, const void *plain, gsize plain_len, const void *ad,
                       gsize ad_len);
GBytes *fk_vault_unwrap (const FkVaultKey *key, const void *wrapped, gsize wrapped_len,
                         const void *ad, gsize ad_len, GError **error);

/* Sealed dossier blobs ("FKD1"). */
GBytes *fk_vault_seal_dossier (const FkVaultKey *data_key,
                               const guint8 server_public_key[FK_VAULT_PUBLIC_KEY_BYTES],
                               const char *uuid, const void *json, gsize json_len, GError **error);
GBytes *fk_vault_open_dossier (GBytes *blob, const FkVaultKey *data_key, const char *uuid,
                               GError **error);
GBytes *
fk_vault_open_dossier_with_server_key (GBytes *blob, const char *uuid,
                                       const guint8 server_public_key[FK_VAULT_PUBLIC_KEY_BYTES],
                                       const guint8 server_secret_key[FK_VAULT_SECRET_KEY_BYTES],
                                       FkVaultKey **out_data_key, GError **error);

/* What sealing a file produced; the hashes are lower-case hex SHA-256. */
typedef struct
{
  guint64 plain_size;
  guint64 sealed_size;
  char plain_sha256[65];
  char sealed_sha256[65];
} FkVaultFileInfo;

/* Sealed files ("FKF1"), streamed: at most two 64 KiB chunks in memory.
 * @info (nullable) receives sizes and hashes of both sides. */
gboolean fk_vault_seal_stream (const FkVaultKey *data_key, GInputStream *in, GOutputStream *out,
                               FkVaultFileInfo *info, GCancellable *cancellable, GError **error);
gboolean fk_vault_open_stream (const FkVaultKey *data_key, GInputStream *in, GOutputStream *out,
                               FkVaultFileInfo *info, GCancellable *cancellable, GError **error);

G_END_DECLS
