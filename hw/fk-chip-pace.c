/* fk-chip-pace.c: PACE with the card access number (ICAO 9303 part 11 §4.4)
 *
 * Supported: ECDH with generic mapping on the standardised curves, with
 * 3DES or AES-128 secure messaging (id-PACE-ECDH-GM-3DES-CBC-CBC and
 * id-PACE-ECDH-GM-AES-CBC-CMAC-128); the DH and integrated mappings are
 * not, and a card offering only those is read with BAC.
 *
 *   K_π = KDF(CAN, 3); s = D(K_π, z) from the first GENERAL AUTHENTICATE;
 *   G' = s·G + SK_map·PK_map,IC; K = x(SK·PK_IC) on G'; tokens are the
 *   MAC of the other side's public key object 7F49 { 06 OID, 86 point }.
 *
 * The elliptic-curve arithmetic uses OpenSSL's EC_POINT and BIGNUM calls,
 * which OpenSSL 3 keeps (only EC_KEY is deprecated).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <string.h>

#include "fk-chip-private.h"
#include "fk-hw-error.h"
#include "fk-tlv.h"

/* 0.4.0.127.0.7.2.2.4.2.x: id-PACE-ECDH-GM-…; x = 1 3DES, 2 AES-128 */
static const guint8 pace_ecdh_gm_prefix[] = {
  0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02
};

typedef struct
{
  guint8 oid[10];
  FkChipCipher cipher;
  int nid;
  int param_id;
} PaceChoice;

static int
curve_nid (gint64 param_id)
{
  switch (param_id)
    {
      case 8:
        return NID_X9_62_prime192v1;
      case 9:
        return NID_brainpoolP192r1;
      case 10:
        return NID_secp224r1;
      case 11:
        return NID_brainpoolP224r1;
      case 12:
        return NID_X9_62_prime256v1;
      case 13:
        return NID_brainpoolP256r1;
      case 14:
        return NID_brainpoolP320r1;
      case 15:
        return NID_secp384r1;
      case 16:
        return NID_brainpoolP384r1;
      case 17:
        return NID_brainpoolP512r1;
      case 18:
        return NID_secp521r1;
      default:
        return NID_undef;
    }
}

/* The first PACEInfo of EF.CardAccess this code can run. */
static gboolean
choose (GBytes *card_access, PaceChoice *choice)
{
  gsize len = 0;
  const guint8 *data = card_access != NULL ? g_bytes_get_data (card_access, &len) : NULL;
  const guint8 *p, *end;
  FkTlv set, info;

  if (data == NULL || !fk_tlv_find (data, len, 0x31, &set))
    return FALSE;
  p = set.value;
  end = p + set.length;
  while (fk_tlv_next (&p, end, &info))
    {
      const guint8 *q = info.value, *qend = q + info.length;
      FkTlv oid, version, param;
      gint64 v = 0, id = -1;

      if (info.tag != 0x30 || !fk_tlv_next (&q, qend, &oid) || oid.tag != 0x06 ||
          oid.length != 10 || memcmp (oid.value, pace_ecdh_gm_prefix, 9) != 0 ||
          !fk_tlv_next (&q, qend, &version) || !fk_tlv_read_int (&version, &v) || v != 2)
        continue;
      if (fk_tlv_next (&q, qend, &param) && !fk_tlv_read_int (&param, &id))
        continue;
      if (oid.value[9] != 1 && oid.value[9] != 2)
        continue;
      if (curve_nid (id) == NID_undef)
        continue;
      memcpy (choice->oid, oid.value, 10);
      choice->cipher = oid.value[9] == 1 ? FK_CHIP_CIPHER_3DES : FK_CHIP_CIPHER_AES128;
      choice->nid = curve_nid (id);
      choice->param_id = (int) id;
      return TRUE;
    }
  return FALSE;
}

/**
 * fk_chip_pace_supported:
 * @card_access: (nullable): EF.CardAccess
 *
 * Returns: whether @card_access offers PACE in a form this code runs
 */
gboolean
fk_chip_pace_supported (GBytes *card_access)
{
  PaceChoice choice;

  return choose (card_access, &choice);
}

/* GENERAL AUTHENTICATE with 7C { tag data }; returns the value of @want. */
static GBytes *
general_authenticate (FkChipSession *s, gboolean last, guint8 tag, const guint8 *data, gsize len,
                      guint8 want, gboolean *refused, GError **error)
{
  g_autoptr (GByteArray) apdu = g_byte_array_new ();
  g_autoptr (GBytes) r = NULL;
  guint8 inner[6], outer[6];
  gsize ni, no;
  guint16 sw = 0;
  FkTlv dyn, item;
  const guint8 *p, *end;

  inner[0] = tag;
  ni = 1 + fk_tlv_encode_length (len, inner + 1);
  outer[0] = 0x7C;
  no = 1 + fk_tlv_encode_length (data != NULL ? ni + len : 0, outer + 1);
  g_byte_array_append (apdu, (guint8[]){ last ? 0x00 : 0x10, 0x86, 0x00, 0x00, 0x00 }, 5);
  g_byte_array_append (apdu, outer, (guint) no);
  if (data != NULL)
    {
      g_byte_array_append (apdu, inner, (guint) ni);
      g_byte_array_append (apdu, data, (guint) len);
    }
  apdu->data[4] = (guint8) (apdu->len - 5);
  g_byte_array_append (apdu, (guint8[]){ 0x00 }, 1);
  r = fk_chip_command (s, apdu->data, apdu->len, &sw, error);
  if (r == NULL)
    return NULL;
  if (sw == 0x6300 || (sw & 0xFFF0) == 0x63C0 || sw == 0x6982)
    {
      *refused = TRUE;
      g_set_error_literal (error, FK_HW_ERROR, FK_HW_ERROR_CARD_ACCESS_DENIED,
                           _ ("The card refused its access number."));
      return NULL;
    }
  p = g_bytes_get_data (r, NULL);
  end = p + g_bytes_get_size (r);
  if (sw != FK_CHIP_SW_OK || !fk_tlv_next (&p, end, &dyn) || dyn.tag != 0x7C ||
      !fk_tlv_find (dyn.value, dyn.length, want, &item))
    {
      g_propagate_error (error, fk_chip_protocol_error ("GENERAL AUTHENTICATE", sw));
      return NULL;
    }
  return g_bytes_new (item.value, item.length);
}

static GBytes *
point_bytes (const EC_GROUP *group, const EC_POINT *point, BN_CTX *ctx)
{
  unsigned char *buf = NULL;
  size_t n = EC_POINT_point2buf (group, point, POINT_CONVERSION_UNCOMPRESSED, &buf, ctx);
  GBytes *bytes = n > 0 ? g_bytes_new (buf, n) : NULL;

  OPENSSL_free (buf);
  return bytes;
}

static EC_POINT *
point_from (const EC_GROUP *group, GBytes *bytes, BN_CTX *ctx)
{
  EC_POINT *p = EC_POINT_new (group);

  if (EC_POINT_oct2point (group, p, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                          ctx) != 1 ||
      EC_POINT_is_at_infinity (group, p) || EC_POINT_is_on_curve (group, p, ctx) != 1)
    {
      EC_POINT_free (p);
      return NULL;
    }
  return p;
}

/* MAC of 7F49 { 06 oid, 86 point } with KS_mac. */
static void
token (const PaceChoice *c, const guint8 *k_mac, GBytes *point, guint8 out[8])
{
  g_autoptr (GByteArray) inner = g_byte_array_new ();
  g_autoptr (GByteArray) obj = g_byte_array_new ();
  guint8 len[6];
  gsize n;
  g_autofree guint8 *padded = NULL;

  g_byte_array_append (inner, (guint8[]){ 0x06, 10 }, 2);
  g_byte_array_append (inner, c->oid, 10);
  g_byte_array_append (inner, (guint8[]){ 0x86 }, 1);
  n = fk_tlv_encode_length (g_bytes_get_size (point), len);
  g_byte_array_append (inner, len, (guint) n);
  g_byte_array_append (inner, g_bytes_get_data (point, NULL), (guint) g_bytes_get_size (point));
  g_byte_array_append (obj, (guint8[]){ 0x7F, 0x49 }, 2);
  n = fk_tlv_encode_length (inner->len, len);
  g_byte_array_append (obj, len, (guint) n);
  g_byte_array_append (obj, inner->data, inner->len);
  if (c->cipher == FK_CHIP_CIPHER_3DES)
    {
      padded = g_malloc (obj->len + 8);
      n = fk_chip_pad (obj->data, obj->len, 8, padded);
      fk_chip_mac (c->cipher, k_mac, padded, n, out);
    }
  else
    fk_chip_mac (c->cipher, k_mac, obj->data, obj->len, out);
}

typedef struct
{
  EC_GROUP *group;
  BN_CTX *ctx;
  BIGNUM *order, *s, *sk_map, *sk;
  EC_POINT *pk_map_ic, *h, *g2, *pk, *pk_ic, *shared;
} PaceState;

static void
pace_state_clear (PaceState *st)
{
  BN_clear_free (st->s);
  BN_clear_free (st->sk_map);
  BN_clear_free (st->sk);
  EC_POINT_free (st->pk_map_ic);
  EC_POINT_clear_free (st->h);
  EC_POINT_free (st->g2);
  EC_POINT_free (st->pk);
  EC_POINT_free (st->pk_ic);
  EC_POINT_clear_free (st->shared);
  EC_GROUP_free (st->group);
  BN_CTX_free (st->ctx);
}

static gboolean
random_scalar (PaceState *st, BIGNUM **k)
{
  *k = BN_new ();
  return BN_priv_rand_range (*k, st->order) == 1 && !BN_is_zero (*k);
}

/* Steps 2 and 3: the mapping, then the key agreement; leaves st->shared. */
static gboolean
map_and_agree (FkChipSession *s, PaceState *st, gboolean *refused, GError **error)
{
  g_autoptr (GBytes) pk_map = NULL;
  g_autoptr (GBytes) pk_map_ic = NULL;
  g_autoptr (GBytes) pk = NULL;
  g_autoptr (GBytes) pk_ic = NULL;
  EC_POINT *pub = EC_POINT_new (st->group);

  if (!random_scalar (st, &st->sk_map) ||
      !EC_POINT_mul (st->group, pub, st->sk_map, NULL, NULL, st->ctx))
    goto failed;
  pk_map = point_bytes (st->group, pub, st->ctx);
  EC_POINT_free (pub);
  pub = NULL;
  pk_map_ic = general_authenticate (s, FALSE, 0x81, g_bytes_get_data (pk_map, NULL),
                                    g_bytes_get_size (pk_map), 0x82, refused, error);
  if (pk_map_ic == NULL)
    return FALSE;
  st->pk_map_ic = point_from (st->group, pk_map_ic, st->ctx);
  if (st->pk_map_ic == NULL)
    goto failed;
  st->h = EC_POINT_new (st->group);
  st->g2 = EC_POINT_new (st->group);
  st->pk = EC_POINT_new (st->group);
  /* G' = s·G + H */
  if (!EC_POINT_mul (st->group, st->h, NULL, st->pk_map_ic, st->sk_map, st->ctx) ||
      !EC_POINT_mul (st->group, st->g2, st->s, st->h, BN_value_one (), st->ctx) ||
      EC_POINT_is_at_infinity (st->group, st->g2) || !random_scalar (st, &st->sk) ||
      !EC_POINT_mul (st->group, st->pk, NULL, st->g2, st->sk, st->ctx))
    goto failed;
  pk = point_bytes (st->group, st->pk, st->ctx);
  pk_ic = general_authenticate (s, FALSE, 0x83, g_bytes_get_data (pk, NULL), g_bytes_get_size (pk),
                                0x84, refused, error);
  if (pk_ic == NULL)
    return FALSE;
  st->pk_ic = point_from (st->group, pk_ic, st->ctx);
  if (st->pk_ic == NULL || EC_POINT_cmp (st->group, st->pk_ic, st->pk, st->ctx) == 0)
    goto failed;
  st->shared = EC_POINT_new (st->group);
  if (!EC_POINT_mul (st->group, st->shared, NULL, st->pk_ic, st->sk, st->ctx))
    goto failed;
  return TRUE;

failed:
  EC_POINT_free (pub);
  g_propagate_error (error, fk_chip_protocol_error ("PACE", 0));
  return FALSE;
}

/* Step 1: the nonce the chip encrypted with the CAN. */
static gboolean
get_nonce (FkChipSession *s, const PaceChoice *c, const char *can, PaceState *st, gboolean *refused,
           GError **error)
{
  g_autoptr (GBytes) z = NULL;
  guint8 k_pi[16], nonce[32];
  gsize n;

  fk_chip_kdf (c->cipher, (const guint8 *) can, strlen (can), 3, k_pi);
  z = general_authenticate (s, FALSE, 0, NULL, 0, 0x80, refused, error);
  if (z == NULL)
    return FALSE;
  n = g_bytes_get_size (z);
  if (n == 0 || n > sizeof nonce || n % (c->cipher == FK_CHIP_CIPHER_3DES ? 8 : 16) != 0 ||
      !fk_chip_cbc (c->cipher, FALSE, k_pi, NULL, g_bytes_get_data (z, NULL), n, nonce))
    {
      g_propagate_error (error, fk_chip_protocol_error ("PACE nonce", 0));
      return FALSE;
    }
  st->s = BN_bin2bn (nonce, (int) n, NULL);
  OPENSSL_cleanse (nonce, sizeof nonce);
  OPENSSL_cleanse (k_pi, sizeof k_pi);
  return TRUE;
}

static gboolean
set_at (FkChipSession *s, const PaceChoice *c, GError **error)
{
  guint8 apdu[] = { 0x00, 0x22, 0xC1, 0xA4, 0x0F, 0x80, 0x0A, 0,    0,    0,    0,
                    0,    0,    0,    0,    0,    0,    0x83, 0x01, 0x02, 0x84, 0x01 };
  g_autoptr (GByteArray) a = g_byte_array_new ();
  g_autoptr (GBytes) r = NULL;
  guint16 sw = 0;

  memcpy (apdu + 7, c->oid, 10);
  g_byte_array_append (a, apdu, sizeof apdu);
  g_byte_array_append (a, (guint8[]){ (guint8) c->param_id }, 1);
  a->data[4] = (guint8) (a->len - 5);
  r = fk_chip_command (s, a->data, a->len, &sw, error);
  if (r == NULL)
    return FALSE;
  if (sw != FK_CHIP_SW_OK && (sw & 0xFF00) != 0x6300)
    {
      g_propagate_error (error, fk_chip_protocol_error ("MSE:Set AT", sw));
      return FALSE;
    }
  return TRUE;
}

/**
 * fk_chip_pace:
 * @card_access: EF.CardAccess, read before selecting the application
 * @can: the card access number (the last 6 digits of a CCCD's ID)
 * @refused: (out): %TRUE when the chip refused @can
 *
 * Returns: %TRUE with secure messaging set up on @s.
 */
gboolean
fk_chip_pace (FkChipSession *s, GBytes *card_access, const char *can, gboolean *refused,
              GError **error)
{
  PaceState st = { 0 };
  PaceChoice c;
  g_autoptr (GBytes) pk_bytes = NULL;
  g_autoptr (GBytes) pk_ic_bytes = NULL;
  g_autoptr (GBytes) t_ic = NULL;
  guint8 k[66], ks_enc[16], ks_mac[16], t_ifd[8], expect[8];
  int k_len;
  gboolean ok = FALSE;
  BIGNUM *x = NULL;

  *refused = FALSE;
  g_clear_pointer (&s->sm, g_free);
  if (!choose (card_access, &c))
    {
      g_propagate_error (error, fk_chip_protocol_error ("PACE parameters", 0));
      return FALSE;
    }
  st.group = EC_GROUP_new_by_curve_name (c.nid);
  st.ctx = BN_CTX_new ();
  st.order = (BIGNUM *) EC_GROUP_get0_order (st.group);
  if (!set_at (s, &c, error) || !get_nonce (s, &c, can, &st, refused, error) ||
      !map_and_agree (s, &st, refused, error))
    goto out;

  x = BN_new ();
  k_len = (EC_GROUP_get_degree (st.group) + 7) / 8;
  if (!EC_POINT_get_affine_coordinates (st.group, st.shared, x, NULL, st.ctx) ||
      BN_bn2binpad (x, k, k_len) != k_len)
    {
      g_propagate_error (error, fk_chip_protocol_error ("PACE", 0));
      goto out;
    }
  fk_chip_kdf (c.cipher, k, (gsize) k_len, 1, ks_enc);
  fk_chip_kdf (c.cipher, k, (gsize) k_len, 2, ks_mac);
  pk_bytes = point_bytes (st.group, st.pk, st.ctx);
  pk_ic_bytes = point_bytes (st.group, st.pk_ic, st.ctx);
  token (&c, ks_mac, pk_ic_bytes, t_ifd);
  t_ic = general_authenticate (s, TRUE, 0x85, t_ifd, 8, 0x86, refused, error);
  if (t_ic == NULL)
    goto out;
  token (&c, ks_mac, pk_bytes, expect);
  if (g_bytes_get_size (t_ic) != 8 || CRYPTO_memcmp (expect, g_bytes_get_data (t_ic, NULL), 8) != 0)
    {
      g_set_error_literal (error, FK_HW_ERROR, FK_HW_ERROR_CARD_FAILED,
                           _ ("The card's answer to the access check is not genuine."));
      goto out;
    }
  s->sm = fk_chip_sm_new (c.cipher, ks_enc, ks_mac, NULL);
  ok = TRUE;

out:
  OPENSSL_cleanse (k, sizeof k);
  BN_clear_free (x);
  pace_state_clear (&st);
  return ok;
}
