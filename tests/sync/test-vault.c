/* test-vault.c: sealed dossier and file formats round-trip and refuse tampering
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sodium.h>
#include <glib/gstdio.h>
#include <string.h>

#include "fk-device-key.h"
#include "fk-vault.h"

#define UUID "0b7c3a9e-5a52-4c1f-9a77-3f8f6d2b1e10"

static void
test_dossier_blob (void)
{
  guint8 pk[FK_VAULT_PUBLIC_KEY_BYTES], sk[FK_VAULT_SECRET_KEY_BYTES];
  guint8 other_pk[FK_VAULT_PUBLIC_KEY_BYTES], other_sk[FK_VAULT_SECRET_KEY_BYTES];
  g_autoptr (FkVaultKey) key = fk_vault_key_new_random ();
  g_autoptr (FkVaultKey) server_key = NULL;
  const char *json = "{\"citizen\":{\"full_name\":\"Nguyễn Văn A\"}}";
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) blob = NULL;
  g_autoptr (GBytes) plain = NULL;
  g_autoptr (GBytes) plain2 = NULL;
  g_autoptr (GBytes) bad = NULL;
  g_autofree guint8 *copy = NULL;
  gsize len;

  fk_vault_server_keypair_new (pk, sk);
  fk_vault_server_keypair_new (other_pk, other_sk);
  blob = fk_vault_seal_dossier (key, pk, UUID, json, strlen (json), &error);
  g_assert_no_error (error);
  len = g_bytes_get_size (blob);
  g_assert_cmpuint (len, ==, 4 + 80 + 24 + strlen (json) + 16);
  g_assert_cmpmem (g_bytes_get_data (blob, NULL), 4, "FKD1", 4);
  g_assert_null (memmem (g_bytes_get_data (blob, NULL), len, "Nguy", 4));

  plain = fk_vault_open_dossier (blob, key, UUID, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_bytes_get_data (plain, NULL), ==, json);

  plain2 = fk_vault_open_dossier_with_server_key (blob, UUID, pk, sk, &server_key, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (plain2, NULL), g_bytes_get_size (plain2), json, strlen (json));
  g_assert_cmpmem (fk_vault_key_get_data (server_key), 32, fk_vault_key_get_data (key), 32);

  /* Another server, another dossier UUID, one flipped bit: all refused. */
  g_assert_null (
    fk_vault_open_dossier_with_server_key (blob, UUID, other_pk, other_sk, NULL, &error));
  g_assert_error (error, FK_VAULT_ERROR, FK_VAULT_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_null (fk_vault_open_dossier (blob, key, "0b7c3a9e-5a52-4c1f-9a77-3f8f6d2b1e11", &error));
  g_assert_error (error, FK_VAULT_ERROR, FK_VAULT_ERROR_CORRUPT);
  g_clear_error (&error);
  copy = g_memdup2 (g_bytes_get_data (blob, NULL), len);
  copy[len - 20] ^= 1;
  bad = g_bytes_new (copy, len);
  g_assert_null (fk_vault_open_dossier (bad, key, UUID, &error));
  g_assert_error (error, FK_VAULT_ERROR, FK_VAULT_ERROR_CORRUPT);
  g_clear_error (&error);
  g_clear_pointer (&bad, g_bytes_unref);
  bad = g_bytes_new (copy, 30);
  g_assert_null (fk_vault_open_dossier (bad, key, UUID, &error));
  g_assert_error (error, FK_VAULT_ERROR, FK_VAULT_ERROR_CORRUPT);
}

static GBytes *
seal_bytes (FkVaultKey *key, const guint8 *data, gsize len, FkVaultFileInfo *info)
{
  g_autoptr (GInputStream) in = g_memory_input_stream_new_from_data (data, len, NULL);
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;

  g_assert_true (fk_vault_seal_stream (key, in, out, info, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static GBytes *
open_bytes (FkVaultKey *key, GBytes *sealed, GError **error)
{
  g_autoptr (GInputStream) in = g_memory_input_stream_new_from_bytes (sealed);
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();

  if (!fk_vault_open_stream (key, in, out, NULL, NULL, error))
    return NULL;
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_file_stream (void)
{
  const gsize sizes[] = { 0, 1, 65535, 65536, 65537, 3 * 65536, 300 * 1024 + 7 };
  g_autoptr (FkVaultKey) key = fk_vault_key_new_random ();
  g_autoptr (FkVaultKey) other = fk_vault_key_new_random ();

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree guint8 *data = g_malloc (sizes[i] + 1);
      g_autoptr (GBytes) sealed = NULL;
      g_autoptr (GBytes) plain = NULL;
      g_autoptr (GBytes) cut = NULL;
      g_autoptr (GBytes) longer = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *sum = NULL;
      g_autofree char *sealed_sum = NULL;
      g_autofree guint8 *extra = NULL;
      FkVaultFileInfo info;
      gsize chunks = sizes[i] == 0 ? 1 : (sizes[i] + 65535) / 65536;
      gsize last = sizes[i] - (chunks - 1) * 65536;
      gsize slen;

      randombytes_buf (data, sizes[i]);
      sealed = seal_bytes (key, data, sizes[i], &info);
      slen = g_bytes_get_size (sealed);
      g_assert_cmpuint (slen, ==, 4 + 24 + sizes[i] + chunks * 17);
      g_assert_cmpuint (info.sealed_size, ==, slen);
      g_assert_cmpuint (info.plain_size, ==, sizes[i]);
      sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, sizes[i]);
      sealed_sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, sealed);
      g_assert_cmpstr (info.plain_sha256, ==, sum);
      g_assert_cmpstr (info.sealed_sha256, ==, sealed_sum);

      plain = open_bytes (key, sealed, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), data, sizes[i]);

      g_assert_null (open_bytes (other, sealed, &error));
      g_assert_error (error, FK_VAULT_ERROR, FK_VAULT_ERROR_CORRUPT);
      g_clear_error (&error);

      /* Cut at a chunk boundary: the FINAL tag is missing. */
      cut = g_bytes_new_from_bytes (sealed, 0, slen - last - 17);
      g_assert_null (open_bytes (key, cut, &error));
      g_assert_error (error, FK_VAULT_ERROR, FK_VAULT_ERROR_CORRUPT);
      g_clear_error (&error);

      extra = g_malloc (slen + 1);
      memcpy (extra, g_bytes_get_data (sealed, NULL), slen);
      extra[slen] = 0;
      longer = g_bytes_new (extra, slen + 1);
      g_assert_null (open_bytes (key, longer, &error));
      g_assert_error (error, FK_VAULT_ERROR, FK_VAULT_ERROR_CORRUPT);
    }
}

static void
test_wrap_and_pin (void)
{
  guint8 salt[FK_VAULT_SALT_BYTES] = { 1, 2, 3 };
  g_autoptr (FkVaultKey) a = NULL;
  g_autoptr (FkVaultKey) b = NULL;
  g_autoptr (FkVaultKey) c = NULL;
  g_autoptr (GBytes) wrapped = NULL;
  g_autoptr (GBytes) plain = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *h1 = NULL;
  g_autofree char *h2 = NULL;

  a = fk_vault_key_derive_from_pin ("1234", salt, sizeof salt, 1, 8192, &error);
  g_assert_no_error (error);
  b = fk_vault_key_derive_from_pin ("1234", salt, sizeof salt, 1, 8192, &error);
  c = fk_vault_key_derive_from_pin ("1235", salt, sizeof salt, 1, 8192, &error);
  g_assert_cmpmem (fk_vault_key_get_data (a), 32, fk_vault_key_get_data (b), 32);

  wrapped = fk_vault_wrap (a, "secret", 6, "ad", 2);
  plain = fk_vault_unwrap (b, g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped), "ad", 2,
                           &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), "secret", 6);
  g_assert_null (fk_vault_unwrap (c, g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped),
                                  "ad", 2, &error));
  g_assert_error (error, FK_VAULT_ERROR, FK_VAULT_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_null (fk_vault_unwrap (a, g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped),
                                  "AD", 2, &error));
  g_assert_error (error, FK_VAULT_ERROR, FK_VAULT_ERROR_CORRUPT);

  h1 = fk_vault_keyed_hash (a, "001099012345", 12);
  h2 = fk_vault_keyed_hash (c, "001099012345", 12);
  g_assert_cmpuint (strlen (h1), ==, 64);
  g_assert_cmpstr (h1, !=, h2);
}

static void
test_device_key (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fk-key-XXXXXX", NULL);
  g_autoptr (FkDeviceKey) key = NULL;
  g_autoptr (FkDeviceKey) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, FK_DEVICE_KEY_FILE, NULL);
  guint8 sig[FK_DEVICE_SIGNATURE_BYTES];
  GStatBuf st;

  key = fk_device_key_create (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_null (fk_device_key_create (dir, &error));
  g_assert_error (error, FK_VAULT_ERROR, FK_VAULT_ERROR_FAILED);
  g_clear_error (&error);

  again = fk_device_key_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (fk_device_key_get_public_key (key), 32, fk_device_key_get_public_key (again),
                   32);
  fk_device_key_sign (again, "abc", 3, sig);
  g_assert_true (
    fk_device_key_verify (fk_device_key_get_public_key (key), "abc", 3, sig, sizeof sig));
  g_assert_false (
    fk_device_key_verify (fk_device_key_get_public_key (key), "abd", 3, sig, sizeof sig));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (fk_vault_init (NULL));
  g_test_add_func ("/vault/dossier-blob", test_dossier_blob);
  g_test_add_func ("/vault/file-stream", test_file_stream);
  g_test_add_func ("/vault/wrap-and-pin", test_wrap_and_pin);
  g_test_add_func ("/vault/device-key", test_device_key);
  return g_test_run ();
}
