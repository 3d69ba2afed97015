/* fk-chip-bac.c: Basic Access Control (ICAO 9303 part 11 §4.3)
 *
 * K_seed = SHA-1(MRZ information)[0..16]; K_enc, K_mac = KDF(K_seed, 1|2).
 * GET CHALLENGE gives RND.IC; the terminal sends E_IFD = 3DES(K_enc,
 * RND.IFD || RND.IC || K.IFD) and its retail MAC in MUTUAL AUTHENTICATE;
 * the chip answers E_IC over RND.IC || RND.IFD || K.IC. The session keys
 * derive from K.IFD ⊕ K.IC; the counter starts at the last four bytes of
 * RND.IC then of RND.IFD.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>

#include "fk-chip-private.h"
#include "fk-hw-error.h"

/* The retail MAC of a 32-byte cryptogram, padded. */
static void
mac_cryptogram (const guint8 *k_mac, const guint8 *cryptogram, guint8 *mac)
{
  guint8 padded[40];
  gsize len = fk_chip_pad (cryptogram, 32, 8, padded);

  fk_chip_mac (FK_CHIP_CIPHER_3DES, k_mac, padded, len, mac);
}

/* GET CHALLENGE: the chip's RND.IC. */
static gboolean
get_challenge (FkChipSession *s, guint8 *rnd_ic, GError **error)
{
  static const guint8 apdu[] = { 0x00, 0x84, 0x00, 0x00, 0x08 };
  g_autoptr (GBytes) challenge = NULL;
  guint16 sw = 0;

  challenge = fk_chip_command (s, apdu, sizeof apdu, &sw, error);
  if (challenge == NULL)
    return FALSE;
  if (sw != FK_CHIP_SW_OK || g_bytes_get_size (challenge) != 8)
    {
      g_propagate_error (error, fk_chip_protocol_error ("GET CHALLENGE", sw));
      return FALSE;
    }
  memcpy (rnd_ic, g_bytes_get_data (challenge, NULL), 8);
  return TRUE;
}

/* MUTUAL AUTHENTICATE with E_IFD and its MAC; @answer gets the chip's
 * RND.IC || RND.IFD || K.IC once its MAC and nonces check out. */
static gboolean
mutual_authenticate (FkChipSession *s, const guint8 *k_enc, const guint8 *k_mac,
                     const guint8 *plain, guint8 *answer, gboolean *refused, GError **error)
{
  guint8 apdu[5 + 40 + 1] = { 0x00, 0x82, 0x00, 0x00, 0x28 };
  guint8 cryptogram[32], mac[8];
  g_autoptr (GBytes) response = NULL;
  const guint8 *r;
  guint16 sw = 0;

  fk_chip_cbc (FK_CHIP_CIPHER_3DES, TRUE, k_enc, NULL, plain, 32, cryptogram);
  mac_cryptogram (k_mac, cryptogram, mac);
  memcpy (apdu + 5, cryptogram, 32);
  memcpy (apdu + 37, mac, 8);
  apdu[45] = 0x28;
  response = fk_chip_command (s, apdu, sizeof apdu, &sw, error);
  if (response == NULL)
    return FALSE;
  if (sw == 0x6300 || sw == 0x6982 || (sw & 0xFFF0) == 0x63C0)
    {
      *refused = TRUE;
      g_set_error_literal (error, FK_HW_ERROR, FK_HW_ERROR_CARD_ACCESS_DENIED,
                           _ ("The card refused the ID number and dates."));
      return FALSE;
    }
  if (sw != FK_CHIP_SW_OK || g_bytes_get_size (response) != 40)
    {
      g_propagate_error (error, fk_chip_protocol_error ("MUTUAL AUTHENTICATE", sw));
      return FALSE;
    }
  r = g_bytes_get_data (response, NULL);
  mac_cryptogram (k_mac, r, mac);
  fk_chip_cbc (FK_CHIP_CIPHER_3DES, FALSE, k_enc, NULL, r, 32, answer);
  /* The chip must echo both nonces: RND.IC || RND.IFD. */
  if (CRYPTO_memcmp (mac, r + 32, 8) != 0 || memcmp (answer, plain + 8, 8) != 0 ||
      memcmp (answer + 8, plain, 8) != 0)
    {
      g_set_error_literal (error, FK_HW_ERROR, FK_HW_ERROR_CARD_FAILED,
                           _ ("The card's answer to the access check is not genuine."));
      return FALSE;
    }
  return TRUE;
}

/**
 * fk_chip_bac:
 * @key_seed_text: from fk_mrz_bac_key_seed_text()
 * @refused: (out): %TRUE when the chip refused the key (wrong dates):
 *   another candidate may be tried
 *
 * Returns: %TRUE with secure messaging set up on @s.
 */
gboolean
fk_chip_bac (FkChipSession *s, const char *key_seed_text, gboolean *refused, GError **error)
{
  guint8 digest[20], k_enc[16], k_mac[16];
  guint8 plain[32], answer[32], k_seed[16], ks_enc[16], ks_mac[16], ssc[8];
  guint8 *rnd_ifd = plain, *rnd_ic = plain + 8, *k_ifd = plain + 16;
  unsigned int n = 0;
  gboolean ok = FALSE;

  *refused = FALSE;
  g_clear_pointer (&s->sm, g_free);
  EVP_Digest (key_seed_text, strlen (key_seed_text), digest, &n, EVP_sha1 (), NULL);
  fk_chip_kdf (FK_CHIP_CIPHER_3DES, digest, 16, 1, k_enc);
  fk_chip_kdf (FK_CHIP_CIPHER_3DES, digest, 16, 2, k_mac);

  /* plain = RND.IFD || RND.IC || K.IFD */
  if (!get_challenge (s, rnd_ic, error))
    goto out;
  if (RAND_bytes (rnd_ifd, 8) != 1 || RAND_bytes (k_ifd, 16) != 1)
    {
      g_propagate_error (error, fk_chip_protocol_error ("RAND", 0));
      goto out;
    }
  if (!mutual_authenticate (s, k_enc, k_mac, plain, answer, refused, error))
    goto out;

  for (int i = 0; i < 16; i++)
    k_seed[i] = k_ifd[i] ^ answer[16 + i];
  fk_chip_kdf (FK_CHIP_CIPHER_3DES, k_seed, 16, 1, ks_enc);
  fk_chip_kdf (FK_CHIP_CIPHER_3DES, k_seed, 16, 2, ks_mac);
  memcpy (ssc, rnd_ic + 4, 4);
  memcpy (ssc + 4, rnd_ifd + 4, 4);
  s->sm = fk_chip_sm_new (FK_CHIP_CIPHER_3DES, ks_enc, ks_mac, ssc);
  ok = TRUE;
out:
  OPENSSL_cleanse (k_seed, sizeof k_seed);
  OPENSSL_cleanse (plain, sizeof plain);
  OPENSSL_cleanse (answer, sizeof answer);
  OPENSSL_cleanse (ks_enc, sizeof ks_enc);
  OPENSSL_cleanse (ks_mac, sizeof ks_mac);
  return ok;
}
