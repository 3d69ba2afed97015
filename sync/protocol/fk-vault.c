/* fk-vault.c: the crypto of sealed dossiers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-vault.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "fk-vault-error.h"

G_STATIC_ASSERT (FK_VAULT_KEY_BYTES == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
G_STATIC_ASSERT (FK_VAULT_KEY_BYTES == crypto_secretstream_xchacha20poly1305_KEYBYTES);
G_STATIC_ASSERT (FK_VAULT_SEALED_KEY_BYTES == crypto_box_SEALBYTES + FK_VAULT_KEY_BYTES);
G_STATIC_ASSERT (FK_VAULT_NONCE_BYTES == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
G_STATIC_ASSERT (FK_VAULT_MAC_BYTES == crypto_aead_xchacha20poly1305_ietf_ABYTES);
G_STATIC_ASSERT (FK_VAULT_FILE_HEADER_BYTES == crypto_secretstream_xchacha20poly1305_HEADERBYTES);
G_STATIC_ASSERT (FK_VAULT_PUBLIC_KEY_BYTES == crypto_box_PUBLICKEYBYTES);
G_STATIC_ASSERT (FK_VAULT_SECRET_KEY_BYTES == crypto_box_SECRETKEYBYTES);
G_STATIC_ASSERT (FK_VAULT_SALT_BYTES == crypto_pwhash_SALTBYTES);

#define SEALED_CHUNK_BYTES \
  (FK_VAULT_FILE_CHUNK_BYTES + crypto_secretstream_xchacha20poly1305_ABYTES)

struct _FkVaultKey
{
  guint8 data[FK_VAULT_KEY_BYTES];
};

gboolean
fk_vault_init (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, FK_VAULT_ERROR, FK_VAULT_ERROR_FAILED,
                           _ ("The cryptography library could not start."));
      return FALSE;
    }
  return TRUE;
}

static void
ensure_init (void)
{
  /* Only fails when the kernel has no random source at all: nothing can run. */
  if (sodium_init () < 0)
    g_error ("libsodium could not initialise");
}

static FkVaultKey *
key_alloc (void)
{
  FkVaultKey *key;

  ensure_init ();
  key = sodium_malloc (sizeof (FkVaultKey));
  if (key == NULL)
    g_error ("out of memory for a key");
  return key;
}

FkVaultKey *
fk_vault_key_new_random (void)
{
  FkVaultKey *key = key_alloc ();

  randombytes_buf (key->data, sizeof key->data);
  return key;
}

FkVaultKey *
fk_vault_key_new_from_data (const guint8 *data, gsize len, GError **error)
{
  FkVaultKey *key;

  if (len != FK_VAULT_KEY_BYTES)
    {
      g_set_error (error, FK_VAULT_ERROR, FK_VAULT_ERROR_CORRUPT,
                   _ ("A key has %zu bytes instead of %d: it is damaged."), len,
                   FK_VAULT_KEY_BYTES);
      return NULL;
    }
  key = key_alloc ();
  memcpy (key->data, data, FK_VAULT_KEY_BYTES);
  return key;
}

FkVaultKey *
fk_vault_key_copy (const FkVaultKey *key)
{
  FkVaultKey *copy = key_alloc ();

  memcpy (copy->data, key->data, FK_VAULT_KEY_BYTES);
  return copy;
}

const guint8 *
fk_vault_key_get_data (const FkVaultKey *key)
{
  return key->data;
}

void
fk_vault_key_free (FkVaultKey *key)
{
  /* sodium_free wipes the memory before unmapping it. */
  if (key != NULL)
    sodium_free (key);
}

FkVaultKey *
fk_vault_key_derive_from_pin (const char *pin, const guint8 *salt, gsize salt_len, guint64 opslimit,
                              gsize memlimit, GError **error)
{
  FkVaultKey *key;

  if (salt_len != FK_VAULT_SALT_BYTES || opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN)
    {
      g_set_error_literal (error, FK_VAULT_ERROR, FK_VAULT_ERROR_CORRUPT,
                           _ ("The stored PIN parameters are damaged."));
      return NULL;
    }
  key = key_alloc ();
  if (crypto_pwhash (key->data, sizeof key->data, pin, strlen (pin), salt, opslimit, memlimit,
                     crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      fk_vault_key_free (key);
      g_set_error_literal (error, FK_VAULT_ERROR, FK_VAULT_ERROR_FAILED,
                           _ ("Not enough memory to check the PIN: close other applications and "
                              "try again."));
      return NULL;
    }
  return key;
}

char *
fk_vault_keyed_hash (const FkVaultKey *key, const void *data, gsize len)
{
  guint8 out[32];
  char *hex = g_malloc (sizeof out * 2 + 1);

  G_STATIC_ASSERT (FK_VAULT_KEY_BYTES >= crypto_generichash_KEYBYTES_MIN);
  crypto_generichash (out, sizeof out, data, len, key->data, FK_VAULT_KEY_BYTES);
  sodium_bin2hex (hex, sizeof out * 2 + 1, out, sizeof out);
  return hex;
}

void
fk_vault_server_keypair_new (guint8 public_key[FK_VAULT_PUBLIC_KEY_BYTES],
                             guint8 secret_key[FK_VAULT_SECRET_KEY_BYTES])
{
  ensure_init ();
  crypto_box_keypair (public_key, secret_key);
}

GBytes *
fk_vault_seal_key_to_server (const FkVaultKey *data_key,
                             const guint8 server_public_key[FK_VAULT_PUBLIC_KEY_BYTES])
{
  guint8 *sealed = g_malloc (FK_VAULT_SEALED_KEY_BYTES);

  ensure_init ();
  crypto_box_seal (sealed, data_key->data, FK_VAULT_KEY_BYTES, server_public_key);
  return g_bytes_new_take (sealed, FK_VAULT_SEALED_KEY_BYTES);
}

FkVaultKey *
fk_vault_open_sealed_key (const guint8 *sealed, gsize sealed_len,
                          const guint8 server_public_key[FK_VAULT_PUBLIC_KEY_BYTES],
                          const guint8 server_secret_key[FK_VAULT_SECRET_KEY_BYTES], GError **error)
{
  FkVaultKey *key;

  if (sealed_len != FK_VAULT_SEALED_KEY_BYTES)
    {
      g_set_error_literal (error, FK_VAULT_ERROR, FK_VAULT_ERROR_CORRUPT,
                           _ ("The sealed key of a dossier is damaged."));
      return NULL;
    }
  key = key_alloc ();
  if (crypto_box_seal_open (key->data, sealed, sealed_len, server_public_key, server_secret_key) !=
      0)
    {
      fk_vault_key_free (key);
      g_set_error_literal (error, FK_VAULT_ERROR, FK_VAULT_ERROR_CORRUPT,
                           _ ("The sealed key of a dossier does not open with this server key: "
                              "it was sealed to another server or it is damaged."));
      return NULL;
    }
  return key;
}

GBytes *
fk_vault_wrap (const FkVaultKey *key, const void *plain, gsize plain_len, const void *ad,
               gsize ad_len)
{
  gsize len = FK_VAULT_NONCE_BYTES + plain_len + FK_VAULT_MAC_BYTES;
  guint8 *out = g_malloc (len);
  unsigned long long ct_len;

  ensure_init ();
  randombytes_buf (out, FK_VAULT_NONCE_BYTES);
  crypto_aead_xchacha20poly1305_ietf_encrypt (out + FK_VAULT_NONCE_BYTES, &ct_len, plain, plain_len,
                                              ad, ad_len, NULL, out, key->data);
  return g_bytes_new_take (out, len);
}

GBytes *
fk_vault_unwrap (const FkVaultKey *key, const void *wrapped, gsize wrapped_len, const void *ad,
                 gsize ad_len, GError **error)
{
  const guint8 *w = wrapped;
  gsize plain_len;
  guint8 *plain;
  unsigned long long out_len;

  if (wrapped_len < FK_VAULT_NONCE_BYTES + FK_VAULT_MAC_BYTES)
    {
      g_set_error_literal (error, FK_VAULT_ERROR, FK_VAULT_ERROR_CORRUPT,
                           _ ("Encrypted data is truncated."));
      return NULL;
    }
  plain_len = wrapped_len - FK_VAULT_NONCE_BYTES - FK_VAULT_MAC_BYTES;
  plain = g_malloc (plain_len + 1);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt (plain, &out_len, NULL, w + FK_VAULT_NONCE_BYTES,
                                                  wrapped_len - FK_VAULT_NONCE_BYTES, ad, ad_len, w,
                                                  key->data) != 0)
    {
      g_free (plain);
      g_set_error_literal (error, FK_VAULT_ERROR, FK_VAULT_ERROR_CORRUPT,
                           _ ("Encrypted data does not open: wrong key, or the data was damaged "
                              "or changed."));
      return NULL;
    }
  /* One spare byte so callers may treat text as a C string. */
  plain[plain_len] = '\0';
  return g_bytes_new_take (plain, plain_len);
}

static gboolean
check_uuid (const char *uuid, GError **error)
{
  if (uuid == NULL || strlen (uuid) != FK_VAULT_UUID_CHARS || !g_uuid_string_is_valid (uuid))
    {
      g_set_error (error, FK_VAULT_ERROR, FK_VAULT_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not a dossier UUID."), uuid != NULL ? uuid : "");
      return FALSE;
    }
  return TRUE;
}

static void
dossier_ad (guint8 ad[FK_VAULT_MAGIC_BYTES + FK_VAULT_UUID_CHARS], const char *uuid)
{
  memcpy (ad, FK_VAULT_DOSSIER_MAGIC, FK_VAULT_MAGIC_BYTES);
  memcpy (ad + FK_VAULT_MAGIC_BYTES, uuid, FK_VAULT_UUID_CHARS);
}

GBytes *
fk_vault_seal_dossier (const FkVaultKey *data_key,
                       const guint8 server_public_key[FK_VAULT_PUBLIC_KEY_BYTES], const char *uuid,
                       const void *json, gsize json_len, GError **error)
{
  guint8 ad[FK_VAULT_MAGIC_BYTES + FK_VAULT_UUID_CHARS];
  gsize len = FK_VAULT_DOSSIER_HEADER_BYTES + json_len + FK_VAULT_MAC_BYTES;
  guint8 *out;
  guint8 *nonce;
  unsigned long long ct_len;

  if (!check_uuid (uuid, error))
    return NULL;
  ensure_init ();
  dossier_ad (ad, uuid);
  out = g_malloc (len);
  memcpy (out, FK_VAULT_DOSSIER_MAGIC, FK_VAULT_MAGIC_BYTES);
  crypto_box_seal (out + FK_VAULT_MAGIC_BYTES, data_key->data, FK_VAULT_KEY_BYTES,
                   server_public_key);
  nonce = out + FK_VAULT_MAGIC_BYTES + FK_VAULT_SEALED_KEY_BYTES;
  randombytes_buf (nonce, FK_VAULT_NONCE_BYTES);
  crypto_aead_xchacha20poly1305_ietf_encrypt (out + FK_VAULT_DOSSIER_HEADER_BYTES, &ct_len, json,
                                              json_len, ad, sizeof ad, NULL, nonce, data_key->data);
  return g_bytes_new_take (out, len);
}

static gboolean
check_dossier_blob (GBytes *blob, GError **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (blob, &len);

  if (len < FK_VAULT_DOSSIER_HEADER_BYTES + FK_VAULT_MAC_BYTES ||
      memcmp (data, FK_VAULT_DOSSIER_MAGIC, FK_VAULT_MAGIC_BYTES) != 0)
    {
      g_set_error_literal (error, FK_VAULT_ERROR, FK_VAULT_ERROR_CORRUPT,
                           _ ("A sealed dossier is truncated or is not a FieldKit dossier."));
      return FALSE;
    }
  return TRUE;
}

GBytes *
fk_vault_open_dossier (GBytes *blob, const FkVaultKey *data_key, const char *uuid, GError **error)
{
  guint8 ad[FK_VAULT_MAGIC_BYTES + FK_VAULT_UUID_CHARS];
  gsize len;
  const guint8 *data;
  gsize plain_len;
  guint8 *plain;
  unsigned long long out_len;

  if (!check_uuid (uuid, error) || !check_dossier_blob (blob, error))
    return NULL;
  ensure_init ();
  data = g_bytes_get_data (blob, &len);
  dossier_ad (ad, uuid);
  plain_len = len - FK_VAULT_DOSSIER_HEADER_BYTES - FK_VAULT_MAC_BYTES;
  /* One spare byte so callers may treat the JSON as a C string. */
  plain = g_malloc (plain_len + 1);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt (
        plain, &out_len, NULL, data + FK_VAULT_DOSSIER_HEADER_BYTES,
        len - FK_VAULT_DOSSIER_HEADER_BYTES, ad, sizeof ad,
        data + FK_VAULT_MAGIC_BYTES + FK_VAULT_SEALED_KEY_BYTES, data_key->data) != 0)
    {
      g_free (plain);
      g_set_error (error, FK_VAULT_ERROR, FK_VAULT_ERROR_CORRUPT,
                   _ ("The sealed dossier %s does not open: it was damaged or changed."), uuid);
      return NULL;
    }
  plain[plain_len] = '\0';
  return g_bytes_new_take (plain, plain_len);
}

GBytes *
fk_vault_open_dossier_with_server_key (GBytes *blob, const char *uuid,
                                       const guint8 server_public_key[FK_VAULT_PUBLIC_KEY_BYTES],
                                       const guint8 server_secret_key[FK_VAULT_SECRET_KEY_BYTES],
                                       FkVaultKey **out_data_key, GError **error)
{
  g_autoptr (FkVaultKey) key = NULL;
  GBytes *plain;
  const guint8 *data;

  if (!check_uuid (uuid, error) || !check_dossier_blob (blob, error))
    return NULL;
  data = g_bytes_get_data (blob, NULL);
  key = fk_vault_open_sealed_key (data + FK_VAULT_MAGIC_BYTES, FK_VAULT_SEALED_KEY_BYTES,
                                  server_public_key, server_secret_key, error);
  if (key == NULL)
    return NULL;
  plain = fk_vault_open_dossier (blob, key, uuid, error);
  if (plain != NULL && out_data_key != NULL)
    *out_data_key = g_steal_pointer (&key);
  return plain;
}

static void
info_init (FkVaultFileInfo *info)
{
  if (info != NULL)
    memset (info, 0, sizeof *info);
}

static void
info_finish (FkVaultFileInfo *info, GChecksum *plain, GChecksum *sealed)
{
  if (info == NULL)
    return;
  g_strlcpy (info->plain_sha256, g_checksum_get_string (plain), sizeof info->plain_sha256);
  g_strlcpy (info->sealed_sha256, g_checksum_get_string (sealed), sizeof info->sealed_sha256);
}

static gboolean
write_sealed (GOutputStream *out, const guint8 *buf, gsize len, GChecksum *sum,
              FkVaultFileInfo *info, GCancellable *cancellable, GError **error)
{
  if (!g_output_stream_write_all (out, buf, len, NULL, cancellable, error))
    return FALSE;
  g_checksum_update (sum, buf, len);
  if (info != NULL)
    info->sealed_size += len;
  return TRUE;
}

gboolean
fk_vault_seal_stream (const FkVaultKey *data_key, GInputStream *in, GOutputStream *out,
                      FkVaultFileInfo *info, GCancellable *cancellable, GError **error)
{
  crypto_secretstream_xchacha20poly1305_state state;
  guint8 header[FK_VAULT_FILE_HEADER_BYTES];
  g_autofree guint8 *cur = g_malloc (FK_VAULT_FILE_CHUNK_BYTES);
  g_autofree guint8 *next = g_malloc (FK_VAULT_FILE_CHUNK_BYTES);
  g_autofree guint8 *sealed = g_malloc (SEALED_CHUNK_BYTES);
  g_autoptr (GChecksum) plain_sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GChecksum) sealed_sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize cur_len;
  gboolean ok = FALSE;

  ensure_init ();
  info_init (info);
  crypto_secretstream_xchacha20poly1305_init_push (&state, header, data_key->data);
  if (!write_sealed (out, (const guint8 *) FK_VAULT_FILE_MAGIC, FK_VAULT_MAGIC_BYTES, sealed_sum,
                     info, cancellable, error) ||
      !write_sealed (out, header, sizeof header, sealed_sum, info, cancellable, error))
    goto out;

  /* Read one chunk ahead: only then do we know which chunk is the last. */
  if (!g_input_stream_read_all (in, cur, FK_VAULT_FILE_CHUNK_BYTES, &cur_len, cancellable, error))
    goto out;
  for (;;)
    {
      gsize next_len = 0;
      unsigned long long sealed_len;
      guint8 tag;

      if (cur_len == FK_VAULT_FILE_CHUNK_BYTES &&
          !g_input_stream_read_all (in, next, FK_VAULT_FILE_CHUNK_BYTES, &next_len, cancellable,
                                    error))
        goto out;
      tag = next_len == 0 ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                          : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
      g_checksum_update (plain_sum, cur, cur_len);
      if (info != NULL)
        info->plain_size += cur_len;
      crypto_secretstream_xchacha20poly1305_push (&state, sealed, &sealed_len, cur, cur_len, NULL,
                                                  0, tag);
      if (!write_sealed (out, sealed, sealed_len, sealed_sum, info, cancellable, error))
        goto out;
      if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL)
        break;
      {
        guint8 *swap = cur;

        cur = next;
        next = swap;
        cur_len = next_len;
      }
    }
  info_finish (info, plain_sum, sealed_sum);
  ok = TRUE;

out:
  sodium_memzero (cur, FK_VAULT_FILE_CHUNK_BYTES);
  sodium_memzero (next, FK_VAULT_FILE_CHUNK_BYTES);
  sodium_memzero (&state, sizeof state);
  return ok;
}

static gboolean
stream_corrupt (GError **error)
{
  g_set_error_literal (error, FK_VAULT_ERROR, FK_VAULT_ERROR_CORRUPT,
                       _ ("A sealed file is truncated, damaged or was changed."));
  return FALSE;
}

gboolean
fk_vault_open_stream (const FkVaultKey *data_key, GInputStream *in, GOutputStream *out,
                      FkVaultFileInfo *info, GCancellable *cancellable, GError **error)
{
  crypto_secretstream_xchacha20poly1305_state state;
  guint8 head[FK_VAULT_MAGIC_BYTES + FK_VAULT_FILE_HEADER_BYTES];
  g_autofree guint8 *sealed = g_malloc (SEALED_CHUNK_BYTES);
  g_autofree guint8 *plain = g_malloc (FK_VAULT_FILE_CHUNK_BYTES);
  g_autoptr (GChecksum) plain_sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GChecksum) sealed_sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize n;
  gboolean ok = FALSE;

  ensure_init ();
  info_init (info);
  if (!g_input_stream_read_all (in, head, sizeof head, &n, cancellable, error))
    return FALSE;
  if (n != sizeof head || memcmp (head, FK_VAULT_FILE_MAGIC, FK_VAULT_MAGIC_BYTES) != 0)
    return stream_corrupt (error);
  g_checksum_update (sealed_sum, head, n);
  if (info != NULL)
    info->sealed_size += n;
  if (crypto_secretstream_xchacha20poly1305_init_pull (&state, head + FK_VAULT_MAGIC_BYTES,
                                                       data_key->data) != 0)
    return stream_corrupt (error);

  for (;;)
    {
      unsigned long long plain_len;
      guint8 tag;

      if (!g_input_stream_read_all (in, sealed, SEALED_CHUNK_BYTES, &n, cancellable, error))
        goto out;
      if (n < crypto_secretstream_xchacha20poly1305_ABYTES ||
          crypto_secretstream_xchacha20poly1305_pull (&state, plain, &plain_len, &tag, sealed, n,
                                                      NULL, 0) != 0)
        {
          stream_corrupt (error);
          goto out;
        }
      g_checksum_update (sealed_sum, sealed, n);
      g_checksum_update (plain_sum, plain, plain_len);
      if (info != NULL)
        {
          info->sealed_size += n;
          info->plain_size += plain_len;
        }
      if (!g_output_stream_write_all (out, plain, plain_len, NULL, cancellable, error))
        goto out;
      if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL)
        break;
      /* Only the final chunk may be short. */
      if (n != SEALED_CHUNK_BYTES)
        {
          stream_corrupt (error);
          goto out;
        }
    }
  /* Bytes after the final chunk mean the file was tampered with. */
  if (!g_input_stream_read_all (in, sealed, 1, &n, cancellable, error))
    goto out;
  if (n != 0)
    {
      stream_corrupt (error);
      goto out;
    }
  info_finish (info, plain_sum, sealed_sum);
  ok = TRUE;

out:
  sodium_memzero (plain, FK_VAULT_FILE_CHUNK_BYTES);
  sodium_memzero (&state, sizeof state);
  return ok;
}
