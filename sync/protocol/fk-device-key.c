/* fk-device-key.c: the device's Ed25519 signing key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-device-key.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "fk-file-util.h"
#include "fk-vault.h"

G_STATIC_ASSERT (FK_DEVICE_PUBLIC_KEY_BYTES == crypto_sign_PUBLICKEYBYTES);
G_STATIC_ASSERT (FK_DEVICE_SIGNATURE_BYTES == crypto_sign_BYTES);

struct _FkDeviceKey
{
  guint8 secret[crypto_sign_SECRETKEYBYTES];
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
};

static FkDeviceKey *
key_alloc (void)
{
  FkDeviceKey *key;

  if (sodium_init () < 0)
    g_error ("libsodium could not initialise");
  key = sodium_malloc (sizeof (FkDeviceKey));
  if (key == NULL)
    g_error ("out of memory for a key");
  return key;
}

FkDeviceKey *
fk_device_key_create (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, FK_DEVICE_KEY_FILE, NULL);
  FkDeviceKey *key;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, FK_VAULT_ERROR, FK_VAULT_ERROR_FAILED,
                   _ ("%s already holds a device key: this device is already set up."), dir);
      return NULL;
    }
  key = key_alloc ();
  crypto_sign_keypair (key->public_key, key->secret);
  if (!fk_file_write_durably (dir, FK_DEVICE_KEY_FILE, key->secret, sizeof key->secret, 0600,
                              error))
    {
      fk_device_key_free (key);
      return NULL;
    }
  return key;
}

FkDeviceKey *
fk_device_key_load (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, FK_DEVICE_KEY_FILE, NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) local = NULL;
  gsize len;
  FkDeviceKey *key;

  if (!g_file_get_contents (path, &contents, &len, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, FK_VAULT_ERROR, FK_VAULT_ERROR_NOT_FOUND,
                     _ ("%s has no device key: set the device up with “fieldkit-ctl --data %s "
                        "init”."),
                     dir, dir);
      else
        g_set_error (error, FK_VAULT_ERROR, FK_VAULT_ERROR_IO,
                     _ ("Could not read the device key: %s"), local->message);
      return NULL;
    }
  if (len != crypto_sign_SECRETKEYBYTES)
    {
      sodium_memzero (contents, len);
      g_set_error_literal (error, FK_VAULT_ERROR, FK_VAULT_ERROR_CORRUPT,
                           _ ("The device key file is damaged."));
      return NULL;
    }
  key = key_alloc ();
  memcpy (key->secret, contents, len);
  sodium_memzero (contents, len);
  crypto_sign_ed25519_sk_to_pk (key->public_key, key->secret);
  return key;
}

void
fk_device_key_free (FkDeviceKey *key)
{
  if (key != NULL)
    sodium_free (key);
}

const guint8 *
fk_device_key_get_public_key (FkDeviceKey *key)
{
  return key->public_key;
}

char *
fk_device_key_get_public_key_base64 (FkDeviceKey *key)
{
  return g_base64_encode (key->public_key, sizeof key->public_key);
}

void
fk_device_key_sign (FkDeviceKey *key, const void *data, gsize len,
                    guint8 signature[FK_DEVICE_SIGNATURE_BYTES])
{
  crypto_sign_detached (signature, NULL, data, len, key->secret);
}

gboolean
fk_device_key_verify (const guint8 public_key[FK_DEVICE_PUBLIC_KEY_BYTES], const void *data,
                      gsize len, const guint8 *signature, gsize signature_len)
{
  if (sodium_init () < 0)
    return FALSE;
  return signature_len == crypto_sign_BYTES &&
         crypto_sign_verify_detached (signature, data, len, public_key) == 0;
}
