/* test-chip.c: the chip protocol's cryptography against ICAO Doc 9303
 * part 11's worked example (appendix D), and the portrait decoders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fk-chip-private.h"
#include "fk-hw-error.h"

static GBytes *
hex (const char *text)
{
  gsize n = strlen (text) / 2;
  guint8 *out = g_malloc (n);

  for (gsize i = 0; i < n; i++)
    out[i] =
      (guint8) (g_ascii_xdigit_value (text[2 * i]) << 4 | g_ascii_xdigit_value (text[2 * i + 1]));
  return g_bytes_new_take (out, n);
}

static void
assert_hex (const guint8 *data, gsize len, const char *expected)
{
  g_autoptr (GBytes) want = hex (expected);
  g_autoptr (GBytes) got = g_bytes_new (data, len);

  g_assert_true (g_bytes_equal (got, want));
}

/* D.2: the keys from "L898902C<369080619406236" */
static void
test_bac_keys (void)
{
  g_autoptr (GBytes) seed = hex ("239AB9CB282DAF66231DC5A4DF6BFBAE");
  guint8 k_enc[16], k_mac[16];

  fk_chip_kdf (FK_CHIP_CIPHER_3DES, g_bytes_get_data (seed, NULL), 16, 1, k_enc);
  fk_chip_kdf (FK_CHIP_CIPHER_3DES, g_bytes_get_data (seed, NULL), 16, 2, k_mac);
  assert_hex (k_enc, 16, "AB94FDECF2674FDFB9B391F85D7F76F2");
  assert_hex (k_mac, 16, "7962D9ECE03D1ACD4C76089DCE131543");
}

/* D.3: E_IFD and its retail MAC in MUTUAL AUTHENTICATE */
static void
test_bac_cryptogram (void)
{
  g_autoptr (GBytes) k_enc = hex ("AB94FDECF2674FDFB9B391F85D7F76F2");
  g_autoptr (GBytes) k_mac = hex ("7962D9ECE03D1ACD4C76089DCE131543");
  g_autoptr (GBytes) s = hex ("781723860C06C2264608F919887022120B795240CB7049B01C19B33E32804F0B");
  guint8 e_ifd[32], padded[40], mac[8];
  gsize n;

  g_assert_true (fk_chip_cbc (FK_CHIP_CIPHER_3DES, TRUE, g_bytes_get_data (k_enc, NULL), NULL,
                              g_bytes_get_data (s, NULL), 32, e_ifd));
  assert_hex (e_ifd, 32, "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2");
  n = fk_chip_pad (e_ifd, 32, 8, padded);
  g_assert_cmpuint (n, ==, 40);
  fk_chip_mac (FK_CHIP_CIPHER_3DES, g_bytes_get_data (k_mac, NULL), padded, n, mac);
  assert_hex (mac, 8, "5F1448EEA8AD90A7");
}

/* D.4: SELECT EF.COM under secure messaging, and the chip's answer */
static void
test_secure_messaging (void)
{
  g_autoptr (GBytes) ks_enc = hex ("979EC13B1CBFE9DCD01AB0FED307EAE5");
  g_autoptr (GBytes) ks_mac = hex ("F1CB1F1FB5ADF208806B89DC579DC1F8");
  g_autoptr (GBytes) ssc = hex ("887022120C06C226");
  g_autoptr (GBytes) answer = hex ("990290008E08FA855A5D4C50A8ED9000");
  g_autoptr (GBytes) tampered = hex ("990290008E08FA855A5D4C50A8ED9100");
  static const guint8 select[] = { 0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x1E };
  g_autofree FkChipSm *sm = NULL;
  g_autoptr (GBytes) wrapped = NULL;
  g_autoptr (GBytes) plain = NULL;
  g_autoptr (GError) error = NULL;
  guint16 sw = 0;

  sm = fk_chip_sm_new (FK_CHIP_CIPHER_3DES, g_bytes_get_data (ks_enc, NULL),
                       g_bytes_get_data (ks_mac, NULL), g_bytes_get_data (ssc, NULL));
  wrapped = fk_chip_sm_wrap (sm, select, sizeof select, &error);
  g_assert_no_error (error);
  assert_hex (g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped),
              "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800");
  plain =
    fk_chip_sm_unwrap (sm, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), &sw, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sw, ==, 0x9000);
  g_assert_cmpuint (g_bytes_get_size (plain), ==, 0);
  assert_hex (sm->ssc, 8, "887022120C06C228");

  /* the same answer again: the counter moved on, so its MAC no longer fits */
  g_clear_pointer (&plain, g_bytes_unref);
  plain = fk_chip_sm_unwrap (sm, g_bytes_get_data (tampered, NULL), g_bytes_get_size (tampered),
                             &sw, &error);
  g_assert_null (plain);
  g_assert_error (error, FK_HW_ERROR, FK_HW_ERROR_CARD_FAILED);
}

static void
test_aes_cmac (void)
{
  /* RFC 4493 example 2, cut to 8 bytes */
  g_autoptr (GBytes) key = hex ("2B7E151628AED2A6ABF7158809CF4F3C");
  g_autoptr (GBytes) msg = hex ("6BC1BEE22E409F96E93D7E117393172A");
  guint8 mac[8];

  fk_chip_mac (FK_CHIP_CIPHER_AES128, g_bytes_get_data (key, NULL), g_bytes_get_data (msg, NULL),
               16, mac);
  assert_hex (mac, 8, "070A16B46B4D4144");
}

static void
test_portrait_garbage (void)
{
  static const guint8 junk[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A };
  static const guint8 jp2_junk[] = { 0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D };
  g_autoptr (GBytes) a = g_bytes_new_static (junk, sizeof junk);
  g_autoptr (GBytes) b = g_bytes_new_static (jp2_junk, sizeof jp2_junk);
  g_autoptr (GError) error = NULL;

  g_assert_null (fk_chip_portrait_decode (a, "image/jpeg", &error));
  g_assert_error (error, FK_HW_ERROR, FK_HW_ERROR_PORTRAIT_INVALID);
  g_clear_error (&error);
  g_assert_null (fk_chip_portrait_decode (b, "image/jp2", &error));
  g_assert_error (error, FK_HW_ERROR, FK_HW_ERROR_PORTRAIT_INVALID);
}

static void
test_pa_garbage (void)
{
  static const guint8 not_sod[] = { 0x77, 0x03, 0x30, 0x01, 0x00 };
  g_autoptr (GBytes) sod = g_bytes_new_static (not_sod, sizeof not_sod);
  GBytes *dgs[17] = { NULL };
  FkChipPaReason reason = FK_CHIP_PA_REASON_NONE;

  g_assert_cmpint (fk_chip_passive_auth (sod, dgs, NULL, &reason), ==, FK_CHIP_PA_FAILED);
  g_assert_cmpint (reason, ==, FK_CHIP_PA_REASON_MALFORMED);
  g_assert_cmpint (fk_chip_passive_auth (NULL, dgs, NULL, &reason), ==, FK_CHIP_PA_FAILED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chip/bac-keys", test_bac_keys);
  g_test_add_func ("/chip/bac-cryptogram", test_bac_cryptogram);
  g_test_add_func ("/chip/secure-messaging", test_secure_messaging);
  g_test_add_func ("/chip/aes-cmac", test_aes_cmac);
  g_test_add_func ("/chip/portrait-garbage", test_portrait_garbage);
  g_test_add_func ("/chip/pa-garbage", test_pa_garbage);
  return g_test_run ();
}
