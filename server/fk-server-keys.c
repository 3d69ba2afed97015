/* fk-server-keys.c: generate, write and load the server's key pairs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-keys.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "fk-server-error.h"

void
fk_server_keys_free (FkServerKeys *keys)
{
  if (keys == NULL)
    return;
  sodium_memzero (keys, sizeof *keys);
  g_free (keys);
}

gboolean
fk_server_keys_generate (const char *dir, GError **error)
{
  g_autoptr (FkServerKeys) keys = g_new0 (FkServerKeys, 1);
  g_autofree char *secret_path = g_build_filename (dir, "server.secret", NULL);
  g_autofree char *pub_path = g_build_filename (dir, "server.pub", NULL);
  g_autofree char *box_b64 = NULL;
  g_autofree char *seed_b64 = NULL;
  g_autofree char *secret_text = NULL;
  g_autofree char *pub_text = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _ ("Cannot create the key folder “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  if (g_file_test (secret_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                   _ ("“%s” already holds server keys; refusing to replace them (devices "
                      "sealed their dossiers to the old ones)"),
                   dir);
      return FALSE;
    }
  crypto_box_keypair (keys->box_public, keys->box_secret);
  crypto_sign_keypair (keys->sign_public, keys->sign_secret);
  box_b64 = g_base64_encode (keys->box_secret, sizeof keys->box_secret);
  /* The Ed25519 secret is seed || public key: the seed is enough. */
  seed_b64 = g_base64_encode (keys->sign_secret, crypto_sign_SEEDBYTES);
  secret_text = g_strdup_printf ("%s\n%s\n", box_b64, seed_b64);
  pub_text = fk_sync_server_pub_format (keys->box_public, keys->sign_public);
  sodium_memzero (box_b64, strlen (box_b64));
  sodium_memzero (seed_b64, strlen (seed_b64));
  if (!g_file_set_contents_full (secret_path, secret_text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600,
                                 error))
    {
      sodium_memzero (secret_text, strlen (secret_text));
      return FALSE;
    }
  sodium_memzero (secret_text, strlen (secret_text));
  return g_file_set_contents_full (pub_path, pub_text, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}

FkServerKeys *
fk_server_keys_load (const char *dir, GError **error)
{
  g_autoptr (FkServerKeys) keys = g_new0 (FkServerKeys, 1);
  g_autofree char *secret_path = g_build_filename (dir, "server.secret", NULL);
  g_autofree char *text = NULL;
  gsize len = 0;
  g_auto (GStrv) lines = NULL;
  guint8 seed[FK_SYNC_KEY_BYTES];

  if (!g_file_get_contents (secret_path, &text, &len, error))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  sodium_memzero (text, len);
  if (g_strv_length (lines) < 2 || !fk_sync_key_from_base64 (lines[0], keys->box_secret, NULL) ||
      !fk_sync_key_from_base64 (lines[1], seed, NULL))
    {
      for (guint i = 0; lines[i] != NULL; i++)
        sodium_memzero (lines[i], strlen (lines[i]));
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_KEYS,
                   _ ("“%s” is not a server key file written by “fieldkit-server keygen”"),
                   secret_path);
      return NULL;
    }
  for (guint i = 0; lines[i] != NULL; i++)
    sodium_memzero (lines[i], strlen (lines[i]));
  crypto_scalarmult_base (keys->box_public, keys->box_secret);
  crypto_sign_seed_keypair (keys->sign_public, keys->sign_secret, seed);
  sodium_memzero (seed, sizeof seed);
  return g_steal_pointer (&keys);
}
