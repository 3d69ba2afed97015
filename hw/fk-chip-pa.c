/* fk-chip-pa.c: passive authentication (ICAO 9303 part 11 §5.1)
 *
 * EF.SOD is tag 77 around a CMS SignedData whose content, of type
 * id-icao-mrtd-security-ldsSecurityObject (2.23.136.1.1.1), lists a hash
 * of each data group. Three outcomes:
 *
 * - failed: the signature over the content, a data-group hash, or a
 *   certificate's signature in the chain does not match (forged data);
 *   a data group read but not listed counts as failed too;
 * - unverified: everything matches but no CSCA in the trust folder issues
 *   the document signer (no_trusted_csca), or a certificate of the chain
 *   has expired (chain_expired);
 * - verified.
 *
 * The trust folder is read file by file (PEM or DER, any name), so it
 * needs no c_rehash links.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <string.h>

#include "fk-chip-private.h"
#include "fk-tlv.h"

#define LDS_SECURITY_OBJECT_OID "2.23.136.1.1.1"
#define MAX_TRUST_FILES         1000

static int
add_certs_from_file (X509_STORE *store, const char *path)
{
  BIO *bio = BIO_new_file (path, "rb");
  X509 *cert;
  int n = 0;

  if (bio == NULL)
    return 0;
  while ((cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL)) != NULL)
    {
      n += X509_STORE_add_cert (store, cert) == 1;
      X509_free (cert);
    }
  if (n == 0)
    {
      (void) BIO_reset (bio);
      if ((cert = d2i_X509_bio (bio, NULL)) != NULL)
        {
          n += X509_STORE_add_cert (store, cert) == 1;
          X509_free (cert);
        }
    }
  BIO_free (bio);
  ERR_clear_error ();
  return n;
}

/* Every certificate of @path (a file, or the files of a folder). */
static X509_STORE *
load_trust (const char *path, int *count)
{
  X509_STORE *store = X509_STORE_new ();
  g_autoptr (GDir) dir = NULL;

  *count = 0;
  if (path == NULL)
    return store;
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      *count = add_certs_from_file (store, path);
      return store;
    }
  dir = g_dir_open (path, 0, NULL);
  for (const char *name; dir != NULL && (name = g_dir_read_name (dir)) != NULL;)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      if (*count >= MAX_TRUST_FILES)
        break;
      if (g_file_test (file, G_FILE_TEST_IS_REGULAR))
        *count += add_certs_from_file (store, file);
    }
  return store;
}

/* DataGroupHash entries of the LDSSecurityObject, and its digest. */
static gboolean
parse_lds (const guint8 *data, gsize len, const EVP_MD **md, FkTlv *hashes)
{
  const guint8 *p = data, *end = data + len, *q, *qend;
  FkTlv seq, version, algo, oid;
  ASN1_OBJECT *obj;
  const guint8 *op;
  gint64 v;

  if (!fk_tlv_next (&p, end, &seq) || seq.tag != 0x30)
    return FALSE;
  q = seq.value;
  qend = q + seq.length;
  if (!fk_tlv_next (&q, qend, &version) || !fk_tlv_read_int (&version, &v) ||
      !fk_tlv_next (&q, qend, &algo) || algo.tag != 0x30 ||
      !fk_tlv_find (algo.value, algo.length, 0x06, &oid) || !fk_tlv_next (&q, qend, hashes) ||
      hashes->tag != 0x30)
    return FALSE;
  /* the OID's whole TLV, for d2i */
  op = oid.value - 2;
  if (oid.length > 127)
    return FALSE;
  obj = d2i_ASN1_OBJECT (NULL, &op, (long) oid.length + 2);
  *md = obj != NULL ? EVP_get_digestbyobj (obj) : NULL;
  ASN1_OBJECT_free (obj);
  return *md != NULL;
}

static const FkTlv *
find_hash (const FkTlv *hashes, int dg, FkTlv *out)
{
  const guint8 *p = hashes->value, *end = p + hashes->length;
  FkTlv entry;

  while (fk_tlv_next (&p, end, &entry))
    {
      const guint8 *q = entry.value, *qend = q + entry.length;
      FkTlv number;
      gint64 n;

      if (entry.tag == 0x30 && fk_tlv_next (&q, qend, &number) && fk_tlv_read_int (&number, &n) &&
          n == dg && fk_tlv_next (&q, qend, out) && out->tag == 0x04)
        return out;
    }
  return NULL;
}

static FkChipPa
check_hashes (const guint8 *lds, gsize len, GBytes *const dgs[17], FkChipPaReason *reason)
{
  const EVP_MD *md = NULL;
  FkTlv hashes;

  if (!parse_lds (lds, len, &md, &hashes))
    {
      *reason = FK_CHIP_PA_REASON_MALFORMED;
      return FK_CHIP_PA_FAILED;
    }
  for (int dg = 1; dg <= 16; dg++)
    {
      guint8 digest[EVP_MAX_MD_SIZE];
      unsigned int n = 0;
      FkTlv expected;

      if (dgs[dg] == NULL)
        continue;
      if (find_hash (&hashes, dg, &expected) == NULL)
        {
          *reason = FK_CHIP_PA_REASON_MALFORMED;
          return FK_CHIP_PA_FAILED;
        }
      EVP_Digest (g_bytes_get_data (dgs[dg], NULL), g_bytes_get_size (dgs[dg]), digest, &n, md,
                  NULL);
      if (n != expected.length || CRYPTO_memcmp (digest, expected.value, n) != 0)
        {
          *reason = FK_CHIP_PA_REASON_HASH_MISMATCH;
          return FK_CHIP_PA_FAILED;
        }
    }
  return FK_CHIP_PA_VERIFIED;
}

static FkChipPa
check_chain (CMS_ContentInfo *cms, const char *trust_path, FkChipPaReason *reason)
{
  STACK_OF (X509) *signers = CMS_get0_signers (cms);
  X509 *ds = signers != NULL && sk_X509_num (signers) > 0 ? sk_X509_value (signers, 0) : NULL;
  int count = 0;
  X509_STORE *store = load_trust (trust_path, &count);
  X509_STORE_CTX *ctx = X509_STORE_CTX_new ();
  FkChipPa pa = FK_CHIP_PA_UNVERIFIED;

  *reason = FK_CHIP_PA_REASON_NO_TRUSTED_CSCA;
  if (ds != NULL && count > 0 && X509_STORE_CTX_init (ctx, store, ds, NULL) == 1)
    {
      if (X509_verify_cert (ctx) == 1)
        {
          pa = FK_CHIP_PA_VERIFIED;
          *reason = FK_CHIP_PA_REASON_TRUSTED_CHAIN;
        }
      else
        switch (X509_STORE_CTX_get_error (ctx))
          {
            case X509_V_ERR_CERT_HAS_EXPIRED:
              *reason = FK_CHIP_PA_REASON_CHAIN_EXPIRED;
              break;
            case X509_V_ERR_CERT_SIGNATURE_FAILURE:
              /* a signer certificate claiming a trusted CSCA it was not signed by */
              pa = FK_CHIP_PA_FAILED;
              *reason = FK_CHIP_PA_REASON_BAD_SIGNATURE;
              break;
            default:
              break;
          }
    }
  sk_X509_free (signers);
  X509_STORE_CTX_free (ctx);
  X509_STORE_free (store);
  ERR_clear_error ();
  return pa;
}

/**
 * fk_chip_passive_auth:
 * @sod: EF.SOD as read
 * @dgs: the data groups read, by number (1–16), %NULL where not read
 * @trust_path: (nullable): a CSCA certificate file or a folder of them
 * @reason: (out): why
 *
 * Returns: the outcome
 */
FkChipPa
fk_chip_passive_auth (GBytes *sod, GBytes *const dgs[17], const char *trust_path,
                      FkChipPaReason *reason)
{
  gsize len = 0;
  const guint8 *data = sod != NULL ? g_bytes_get_data (sod, &len) : NULL;
  const unsigned char *p;
  CMS_ContentInfo *cms = NULL;
  BIO *out = NULL;
  char oid[64] = "";
  FkChipPa pa = FK_CHIP_PA_FAILED;
  FkTlv wrapper;

  *reason = FK_CHIP_PA_REASON_MALFORMED;
  if (data == NULL || !fk_tlv_find (data, len, 0x77, &wrapper))
    return FK_CHIP_PA_FAILED;
  p = wrapper.value;
  cms = d2i_CMS_ContentInfo (NULL, &p, (long) wrapper.length);
  if (cms == NULL || OBJ_obj2nid (CMS_get0_type (cms)) != NID_pkcs7_signed ||
      CMS_get0_eContentType (cms) == NULL ||
      OBJ_obj2txt (oid, sizeof oid, CMS_get0_eContentType (cms), 1) <= 0 ||
      !g_str_equal (oid, LDS_SECURITY_OBJECT_OID))
    goto out;

  out = BIO_new (BIO_s_mem ());
  if (CMS_verify (cms, NULL, NULL, NULL, out, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) != 1)
    {
      *reason = FK_CHIP_PA_REASON_BAD_SIGNATURE;
      goto out;
    }
  {
    char *content = NULL;
    long n = BIO_get_mem_data (out, &content);

    pa = check_hashes ((const guint8 *) content, (gsize) n, dgs, reason);
  }
  if (pa == FK_CHIP_PA_VERIFIED)
    pa = check_chain (cms, trust_path, reason);

out:
  BIO_free (out);
  CMS_ContentInfo_free (cms);
  ERR_clear_error ();
  return pa;
}
