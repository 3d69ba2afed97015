/* fk-sync-protocol.h: the wire protocol shared by the device and the intake
 * server: request signing, the commit manifest, the signed receipt and the
 * server's public key file. docs/protocol.md describes it in full.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FK_SYNC_PROTOCOL_VERSION 1

#define FK_SYNC_HEADER_DEVICE         "FK-Device"
#define FK_SYNC_HEADER_TIMESTAMP      "FK-Timestamp"
#define FK_SYNC_HEADER_NONCE          "FK-Nonce"
#define FK_SYNC_HEADER_CONTENT_SHA256 "FK-Content-SHA256"
#define FK_SYNC_HEADER_SIGNATURE      "FK-Signature"
#define FK_SYNC_HEADER_OFFSET         "Upload-Offset"
#define FK_SYNC_HEADER_LENGTH         "Upload-Length"
#define FK_SYNC_HEADER_RECEIPT_SIG    "FK-Receipt-Signature"

/* Error codes ("error" member of an error answer) the client acts on. */
#define FK_SYNC_CODE_BODY_CORRUPTED "body-corrupted"   /* 400: damaged on the way, send again */
#define FK_SYNC_CODE_CLOCK_SKEW     "clock-skew"       /* 401: with "server_time" */
#define FK_SYNC_CODE_PART_MISSING   "part-missing"     /* 409 on commit: upload the parts again */
#define FK_SYNC_CODE_QUOTA          "quota-exceeded"   /* 507: the device's storage is used up */
#define FK_SYNC_CODE_PRACTICE       "practice-dossier" /* 422: marked as practice, never taken */
#define FK_SYNC_CODE_NOT_PRACTICE   "not-practice" /* 422 from a practice server: a real dossier */

#define FK_SYNC_MAX_CHUNK_BYTES     (1024 * 1024)
#define FK_SYNC_DEFAULT_CHUNK_BYTES (64 * 1024)
#define FK_SYNC_MAX_JSON_BYTES      (256 * 1024)
#define FK_SYNC_MAX_BLOB_BYTES      (G_GUINT64_CONSTANT (256) * 1024 * 1024)
#define FK_SYNC_MAX_PARTS           64
#define FK_SYNC_MAX_NAME_LENGTH     100
#define FK_SYNC_CLOCK_SKEW_SECONDS  300
#define FK_SYNC_NONCE_LENGTH        32 /* hex characters, 16 random bytes */
#define FK_SYNC_MAX_JSON_DEPTH      16

#define FK_SYNC_KEY_BYTES       32 /* Ed25519 and X25519 public keys */
#define FK_SYNC_SECRET_BYTES    64 /* Ed25519 secret key (seed || public) */
#define FK_SYNC_SIGNATURE_BYTES 64

gboolean fk_sync_is_sha256_hex (const char *text);
char *fk_sync_sha256_hex (const void *data, gsize length);
gboolean fk_sync_is_nonce (const char *text);
char *fk_sync_nonce_new (void);

char *fk_sync_key_to_base64 (const guint8 key[FK_SYNC_KEY_BYTES]);
gboolean fk_sync_key_from_base64 (const char *text, guint8 key[FK_SYNC_KEY_BYTES], GError **error);

char *fk_sync_signing_string (const char *method, const char *target, const char *content_sha256,
                              gint64 timestamp, const char *nonce, const char *device);
char *fk_sync_sign (const guint8 secret_key[FK_SYNC_SECRET_BYTES], const void *message,
                    gsize length);
gboolean fk_sync_verify (const guint8 public_key[FK_SYNC_KEY_BYTES], const void *message,
                         gsize length, const char *signature_base64);

typedef struct
{
  char *kind; /* "dossier" (exactly one) or the attachment's kind */
  char *name; /* file name of an attachment in the export; NULL for the dossier */
  char *sha256;
  guint64 size;
} FkSyncPart;

typedef struct
{
  char *dossier; /* UUID */
  char *device;  /* base64 Ed25519 public key */
  GPtrArray *parts;
  gboolean practice; /* from a practice store: "practice": true, which a server refuses */
} FkSyncManifest;

FkSyncManifest *fk_sync_manifest_new (const char *dossier, const char *device);
void fk_sync_manifest_add_part (FkSyncManifest *self, const char *kind, const char *name,
                                const char *sha256, guint64 size);
char *fk_sync_manifest_to_json (const FkSyncManifest *self, gsize *length);
FkSyncManifest *fk_sync_manifest_parse (const char *data, gsize length, GError **error);
gboolean fk_sync_manifest_validate (const FkSyncManifest *self, GError **error);
void fk_sync_manifest_free (FkSyncManifest *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkSyncManifest, fk_sync_manifest_free)

char *fk_sync_blob_request_json (const char *sha256, guint64 length, gboolean practice);

gboolean fk_sync_is_safe_name (const char *name);
/* A UUID in its one spelling (lower case), or NULL when @text is none. */
char *fk_sync_uuid_canonical (const char *text);

typedef struct
{
  char *receipt; /* UUID the server gave this delivery */
  char *dossier; /* UUID */
  char *device;  /* base64 Ed25519 public key */
  char *manifest_sha256;
  char *received_at; /* ISO 8601, UTC */
} FkSyncReceipt;

char *fk_sync_receipt_to_json (const FkSyncReceipt *self, gsize *length);
FkSyncReceipt *fk_sync_receipt_parse (const char *data, gsize length, GError **error);
FkSyncReceipt *fk_sync_receipt_verify (const char *data, gsize length, const char *signature,
                                       const guint8 server_verify_key[FK_SYNC_KEY_BYTES],
                                       const char *dossier, const char *device,
                                       const char *manifest_sha256, GError **error);
void fk_sync_receipt_free (FkSyncReceipt *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkSyncReceipt, fk_sync_receipt_free)

/* server.pub: line 1 the base64 X25519 sealing key, line 2 the base64
 * Ed25519 key that verifies receipts. */
char *fk_sync_server_pub_format (const guint8 box_key[FK_SYNC_KEY_BYTES],
                                 const guint8 verify_key[FK_SYNC_KEY_BYTES]);
gboolean fk_sync_server_pub_parse (const char *text, guint8 box_key[FK_SYNC_KEY_BYTES],
                                   guint8 verify_key[FK_SYNC_KEY_BYTES], GError **error);

/* A published procedure catalog (fk-sync-catalog.c): the server signs the
 * catalog's bytes with its receipt key, the device verifies them with the
 * key from server.pub before applying and at every load. */
#define FK_SYNC_MAX_CATALOG_BYTES (2 * 1024 * 1024)
char *fk_sync_catalog_sign (const guint8 secret_key[FK_SYNC_SECRET_BYTES], GBytes *catalog);
gboolean fk_sync_catalog_verify (const guint8 verify_key[FK_SYNC_KEY_BYTES], GBytes *catalog,
                                 const char *signature);

G_END_DECLS

G_BEGIN_DECLS

/* What a server learns from a request's signature headers once they check. */
typedef struct
{
  char *device; /* base64, as sent */
  guint8 device_key[FK_SYNC_KEY_BYTES];
  gint64 timestamp;
  char *nonce;
  char *content_sha256;
} FkSyncRequestAuth;

/* The three checks a server makes before it looks the device up, in this
 * order; fk_sync_request_verify() makes all three. */
FkSyncRequestAuth *fk_sync_request_verify_signature (const char *method, const char *target,
                                                     const char *device, const char *timestamp,
                                                     const char *nonce, const char *content_sha256,
                                                     const char *signature, GError **error);
gboolean fk_sync_request_check_body (const FkSyncRequestAuth *auth, const void *body,
                                     gsize body_length, GError **error);
gboolean fk_sync_request_check_clock (const FkSyncRequestAuth *auth, gint64 now, GError **error);
FkSyncRequestAuth *fk_sync_request_verify (const char *method, const char *target,
                                           const char *device, const char *timestamp,
                                           const char *nonce, const char *content_sha256,
                                           const char *signature, const void *body,
                                           gsize body_length, gint64 now, GError **error);
void fk_sync_request_auth_free (FkSyncRequestAuth *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkSyncRequestAuth, fk_sync_request_auth_free)

G_END_DECLS
