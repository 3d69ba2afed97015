/* fk-chip-sm.c: key derivation, ciphers, MACs and secure messaging
 *
 * ICAO 9303 part 11: keys come from SHA-1 of the shared secret and a
 * 32-bit counter (§9.7.1, 1 = encryption, 2 = MAC, 3 = PACE password);
 * 3DES keys are two-key EDE with DES parity. The 3DES MAC is ISO 9797-1
 * MAC algorithm 3 (retail MAC) with padding method 2; AES uses CMAC cut
 * to 8 bytes. Secure messaging (§9.8) pads and encrypts the command data
 * into DO'87', puts Le in DO'97' and MACs the send sequence counter, the
 * padded header and those objects into DO'8E'; the counter goes up by one
 * before each command and each response.
 *
 * OpenSSL's default provider has no single DES (only the legacy provider
 * does), so single-DES steps run as EDE with both halves of the key equal,
 * which is the same function.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <string.h>

#include "fk-chip-private.h"
#include "fk-hw-error.h"
#include "fk-tlv.h"

#define MAX_APDU 65546

static void
set_des_parity (guint8 *key, gsize len)
{
  for (gsize i = 0; i < len; i++)
    {
      guint8 b = key[i] & 0xFE;
      int ones = __builtin_popcount (b);

      key[i] = b | (ones % 2 == 0 ? 1 : 0);
    }
}

/**
 * fk_chip_kdf:
 *
 * KDF(K, c) = SHA-1(K || c), first 16 bytes (ICAO 9303 part 11 §9.7.1);
 * for 3DES with DES parity set.
 */
void
fk_chip_kdf (FkChipCipher cipher, const guint8 *secret, gsize len, guint32 counter, guint8 key[16])
{
  guint8 c[4] = { counter >> 24, counter >> 16, counter >> 8, counter };
  guint8 digest[20];
  unsigned int n = 0;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new ();

  EVP_DigestInit_ex (ctx, EVP_sha1 (), NULL);
  EVP_DigestUpdate (ctx, secret, len);
  EVP_DigestUpdate (ctx, c, 4);
  EVP_DigestFinal_ex (ctx, digest, &n);
  EVP_MD_CTX_free (ctx);
  memcpy (key, digest, 16);
  if (cipher == FK_CHIP_CIPHER_3DES)
    set_des_parity (key, 16);
}

static gboolean
run_cipher (const EVP_CIPHER *type, gboolean encrypt, const guint8 *key, const guint8 *iv,
            const guint8 *in, gsize len, guint8 *out)
{
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new ();
  int n1 = 0, n2 = 0;
  gboolean ok;

  ok = EVP_CipherInit_ex (ctx, type, NULL, key, iv, encrypt ? 1 : 0) == 1 &&
       EVP_CIPHER_CTX_set_padding (ctx, 0) == 1 &&
       EVP_CipherUpdate (ctx, out, &n1, in, (int) len) == 1 &&
       EVP_CipherFinal_ex (ctx, out + n1, &n2) == 1 && (gsize) (n1 + n2) == len;
  EVP_CIPHER_CTX_free (ctx);
  return ok;
}

/**
 * fk_chip_cbc:
 * @key: 16 bytes: two-key 3DES or AES-128
 * @iv: (nullable): the IV, zeros when %NULL
 * @len: a multiple of the block size
 */
gboolean
fk_chip_cbc (FkChipCipher cipher, gboolean encrypt, const guint8 *key, const guint8 *iv,
             const guint8 *in, gsize len, guint8 *out)
{
  static const guint8 zero[16] = { 0 };

  return run_cipher (cipher == FK_CHIP_CIPHER_3DES ? EVP_des_ede_cbc () : EVP_aes_128_cbc (),
                     encrypt, key, iv != NULL ? iv : zero, in, len, out);
}

/**
 * fk_chip_pad:
 * @out: room for @len + @block bytes
 *
 * ISO 9797-1 padding method 2: 0x80, then zeros to the block size.
 *
 * Returns: the padded length
 */
gsize
fk_chip_pad (const guint8 *in, gsize len, gsize block, guint8 *out)
{
  gsize padded = (len / block + 1) * block;

  memmove (out, in, len);
  out[len] = 0x80;
  memset (out + len + 1, 0, padded - len - 1);
  return padded;
}

/* ISO 9797-1 MAC algorithm 3 over data already padded to 8 bytes. */
static void
retail_mac (const guint8 key[16], const guint8 *data, gsize len, guint8 mac[8])
{
  guint8 k1k1[16];
  guint8 h[8] = { 0 };
  guint8 last[8];
  g_autofree guint8 *buf = g_malloc (MAX (len, 8));

  memcpy (k1k1, key, 8);
  memcpy (k1k1 + 8, key, 8);
  /* single-DES CBC over every block but the last */
  if (len > 8)
    {
      run_cipher (EVP_des_ede_cbc (), TRUE, k1k1, h, data, len - 8, buf);
      memcpy (h, buf + len - 16, 8);
    }
  for (int i = 0; i < 8; i++)
    last[i] = data[len - 8 + i] ^ h[i];
  /* E_K1(D_K2(E_K1(x))) is 3DES with K1||K2 */
  run_cipher (EVP_des_ede_ecb (), TRUE, key, NULL, last, 8, mac);
}

static void
aes_cmac (const guint8 key[16], const guint8 *data, gsize len, guint8 mac[8])
{
  EVP_MAC *algo = EVP_MAC_fetch (NULL, "CMAC", NULL);
  EVP_MAC_CTX *ctx = EVP_MAC_CTX_new (algo);
  char cipher_name[] = "AES-128-CBC";
  OSSL_PARAM params[] = {
    OSSL_PARAM_construct_utf8_string (OSSL_MAC_PARAM_CIPHER, cipher_name, 0),
    OSSL_PARAM_construct_end (),
  };
  guint8 full[16];
  gsize n = 0;

  EVP_MAC_init (ctx, key, 16, params);
  EVP_MAC_update (ctx, data, len);
  EVP_MAC_final (ctx, full, &n, sizeof full);
  memcpy (mac, full, 8);
  EVP_MAC_CTX_free (ctx);
  EVP_MAC_free (algo);
}

/**
 * fk_chip_mac:
 * @data: for 3DES, already padded; for AES, as is (CMAC pads itself)
 */
void
fk_chip_mac (FkChipCipher cipher, const guint8 *key, const guint8 *data, gsize len, guint8 mac[8])
{
  if (cipher == FK_CHIP_CIPHER_3DES)
    retail_mac (key, data, len, mac);
  else
    aes_cmac (key, data, len, mac);
}

/**
 * fk_chip_sm_new:
 * @ssc: (nullable): the initial send sequence counter (8 bytes for 3DES,
 *   16 for AES), zeros when %NULL
 */
FkChipSm *
fk_chip_sm_new (FkChipCipher cipher, const guint8 k_enc[16], const guint8 k_mac[16],
                const guint8 *ssc)
{
  FkChipSm *sm = g_new0 (FkChipSm, 1);

  sm->cipher = cipher;
  sm->block = cipher == FK_CHIP_CIPHER_3DES ? 8 : 16;
  memcpy (sm->k_enc, k_enc, 16);
  memcpy (sm->k_mac, k_mac, 16);
  if (ssc != NULL)
    memcpy (sm->ssc, ssc, sm->block);
  return sm;
}

static void
ssc_increment (FkChipSm *sm)
{
  for (gsize i = sm->block; i-- > 0;)
    if (++sm->ssc[i] != 0)
      break;
}

/* The IV of secure messaging: zeros for 3DES, E(K_enc, SSC) for AES. */
static void
sm_iv (FkChipSm *sm, guint8 iv[16])
{
  memset (iv, 0, 16);
  if (sm->cipher == FK_CHIP_CIPHER_AES128)
    run_cipher (EVP_aes_128_ecb (), TRUE, sm->k_enc, NULL, sm->ssc, 16, iv);
}

/* MAC over SSC || data; for 3DES the input is padded here. */
static void
sm_mac (FkChipSm *sm, const guint8 *data, gsize len, guint8 mac[8])
{
  g_autofree guint8 *buf = g_malloc (len + 2 * sm->block);
  gsize n;

  memcpy (buf, sm->ssc, sm->block);
  memcpy (buf + sm->block, data, len);
  n = fk_chip_pad (buf, sm->block + len, sm->block, buf);
  fk_chip_mac (sm->cipher, sm->k_mac, buf, n, mac);
}

static void
append_tlv (GByteArray *out, guint8 tag, const guint8 *value, gsize len)
{
  guint8 head[6];
  gsize n;

  head[0] = tag;
  n = fk_tlv_encode_length (len, head + 1);
  g_byte_array_append (out, head, (guint) n + 1);
  g_byte_array_append (out, value, (guint) len);
}

/**
 * fk_chip_sm_wrap:
 * @apdu: a short command APDU: CLA INS P1 P2 [Lc data] [Le]
 *
 * Returns: (transfer full): the protected APDU, or %NULL with
 *   %FK_HW_ERROR_CARD_FAILED when @apdu is malformed.
 */
GBytes *
fk_chip_sm_wrap (FkChipSm *sm, const guint8 *apdu, gsize len, GError **error)
{
  g_autoptr (GByteArray) body = g_byte_array_new ();
  g_autoptr (GByteArray) macin = g_byte_array_new ();
  g_autoptr (GByteArray) out = g_byte_array_new ();
  guint8 header[16], mac[8], iv[16];
  gsize lc = 0, le_len = 0;
  const guint8 *data = NULL, *le = NULL;

  if (len < 4)
    goto malformed;
  if (len == 5)
    le = apdu + 4, le_len = 1;
  else if (len > 5)
    {
      lc = apdu[4];
      data = apdu + 5;
      if (len == 5 + lc + 1)
        le = apdu + 5 + lc, le_len = 1;
      else if (len != 5 + lc)
        goto malformed;
    }

  ssc_increment (sm);
  memcpy (header, apdu, 4);
  header[0] |= 0x0C;
  if (lc > 0)
    {
      g_autofree guint8 *padded = g_malloc (lc + sm->block);
      g_autofree guint8 *enc = g_malloc (lc + sm->block);
      gsize n = fk_chip_pad (data, lc, sm->block, padded);

      sm_iv (sm, iv);
      if (!fk_chip_cbc (sm->cipher, TRUE, sm->k_enc, iv, padded, n, enc + 1))
        goto malformed;
      enc[0] = 0x01; /* padding-content indicator: ISO 9797-1 method 2 */
      append_tlv (body, 0x87, enc, n + 1);
    }
  if (le != NULL)
    append_tlv (body, 0x97, le, le_len);

  g_byte_array_append (macin, header, 4);
  g_byte_array_set_size (macin, sm->block);
  memset (macin->data + 4, 0, sm->block - 4);
  macin->data[4] = 0x80;
  g_byte_array_append (macin, body->data, body->len);
  sm_mac (sm, macin->data, macin->len, mac);
  append_tlv (body, 0x8E, mac, 8);

  if (body->len > 255)
    goto malformed;
  g_byte_array_append (out, header, 4);
  g_byte_array_append (out, (guint8[]){ (guint8) body->len }, 1);
  g_byte_array_append (out, body->data, body->len);
  g_byte_array_append (out, (guint8[]){ 0x00 }, 1);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));

malformed:
  g_set_error_literal (error, FK_HW_ERROR, FK_HW_ERROR_CARD_FAILED,
                       _ ("A command to the card could not be protected."));
  return NULL;
}

/**
 * fk_chip_sm_unwrap:
 * @response: the card's answer, status word last
 * @sw: (out): the status word the protected answer carries
 *
 * Returns: (transfer full): the plain response data, or %NULL with
 *   %FK_HW_ERROR_CARD_FAILED when the MAC is wrong or the answer is not
 *   protected as it must be.
 */
GBytes *
fk_chip_sm_unwrap (FkChipSm *sm, const guint8 *response, gsize len, guint16 *sw, GError **error)
{
  const guint8 *p = response, *end;
  FkTlv tlv, do87 = { 0 }, do99 = { 0 }, do8e = { 0 };
  guint8 mac[8], iv[16];
  gsize covered = 0;

  ssc_increment (sm);
  if (len < 2)
    goto bad;
  end = response + len - 2;
  if (len == 2)
    {
      /* an error status without protection (e.g. 6988: SM objects wrong) */
      *sw = (guint16) (response[0] << 8 | response[1]);
      if (*sw != FK_CHIP_SW_OK)
        return g_bytes_new (NULL, 0);
      goto bad;
    }
  while (p < end)
    {
      const guint8 *start = p;

      if (!fk_tlv_next (&p, end, &tlv))
        goto bad;
      if (tlv.tag == 0x87)
        do87 = tlv;
      else if (tlv.tag == 0x99)
        do99 = tlv;
      else if (tlv.tag == 0x8E)
        {
          do8e = tlv;
          covered = (gsize) (start - response);
          break;
        }
    }
  if (do8e.value == NULL || do8e.length != 8 || do99.value == NULL || do99.length != 2)
    goto bad;
  sm_mac (sm, response, covered, mac);
  if (CRYPTO_memcmp (mac, do8e.value, 8) != 0)
    goto bad;
  *sw = (guint16) (do99.value[0] << 8 | do99.value[1]);
  if (do87.value != NULL)
    {
      gsize n = do87.length - 1;
      g_autofree guint8 *plain = NULL;

      if (do87.length < 1 + sm->block || do87.value[0] != 0x01 || n % sm->block != 0)
        goto bad;
      plain = g_malloc (n);
      sm_iv (sm, iv);
      /* the response's IV is made from the response's SSC for AES */
      if (!fk_chip_cbc (sm->cipher, FALSE, sm->k_enc, iv, do87.value + 1, n, plain))
        goto bad;
      while (n > 0 && plain[n - 1] == 0x00)
        n--;
      if (n == 0 || plain[n - 1] != 0x80)
        goto bad;
      return g_bytes_new (plain, n - 1);
    }
  return g_bytes_new (NULL, 0);

bad:
  g_set_error_literal (error, FK_HW_ERROR, FK_HW_ERROR_CARD_FAILED,
                       _ ("The card's answer failed its integrity check. Hold the card still on "
                          "the reader and try again."));
  return NULL;
}
