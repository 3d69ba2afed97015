/* fk-enroll-code.h: the enrollment code a commune gives a new device, and
 * the request and answer of POST /v1/enroll that use it
 *
 * The code holds the server's address, its two public keys (server.pub),
 * a one-time token, its expiry and the commune and name the device will
 * have, signed with the server's Ed25519 key. As text:
 *
 *   FKJOIN1:<base64url of the fields and their Ed25519 signature>
 *
 * A code changed anywhere fails its signature and is refused before the
 * device sends anything. The server keeps only the token's SHA-256.
 * docs/protocol.md describes it in full.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fk-sync-protocol.h"

G_BEGIN_DECLS

#define FK_ENROLL_CODE_PREFIX   "FKJOIN1:"
#define FK_ENROLL_TOKEN_BYTES   32
#define FK_ENROLL_ROUTE         "/v1/enroll"
#define FK_ENROLL_MAX_NAME      64 /* characters of a device name */
#define FK_ENROLL_MAX_COMMUNE   16 /* characters of a commune code */
#define FK_ENROLL_DEFAULT_HOURS 24

/* Error codes of refused enrollments ("error" member of the answer). */
#define FK_ENROLL_CODE_UNKNOWN      "invitation-unknown"
#define FK_ENROLL_CODE_USED         "invitation-used"
#define FK_ENROLL_CODE_EXPIRED      "invitation-expired"
#define FK_ENROLL_CODE_OTHER_SERVER "invitation-other-server"
#define FK_ENROLL_CODE_ENROLLED     "already-enrolled"

typedef struct
{
  char *url; /* the intake server's base URL */
  guint8 box_key[FK_SYNC_KEY_BYTES];
  guint8 verify_key[FK_SYNC_KEY_BYTES];
  char *token; /* base64url of FK_ENROLL_TOKEN_BYTES random bytes */
  char *commune;
  char *name;
  gint64 expires;      /* Unix time */
  gboolean allow_http; /* the administrator allowed plain HTTP to this server */
} FkEnrollCode;

void fk_enroll_code_free (FkEnrollCode *self);
FkEnrollCode *fk_enroll_code_copy (const FkEnrollCode *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkEnrollCode, fk_enroll_code_free)

/* A new random token (base64url, no padding). */
char *fk_enroll_token_new (void);
/* What the server keeps of a token: its SHA-256, lowercase hex. */
char *fk_enroll_token_hash (const char *token);
gboolean fk_enroll_is_token (const char *token);

/* Whether a commune code and a device name may go into a code. */
gboolean fk_enroll_check_names (const char *commune, const char *name, GError **error);

/* The code as text, signed with the server's Ed25519 @sign_secret. */
char *fk_enroll_code_format (const FkEnrollCode *self,
                             const guint8 sign_secret[FK_SYNC_SECRET_BYTES]);
/* Whitespace anywhere in @text is ignored (a code copied over several
 * lines). FK_SYNC_ERROR_INVITATION_INVALID when it is not a code or was
 * changed. */
FkEnrollCode *fk_enroll_code_parse (const char *text, GError **error);

/* Whether the device may talk to the code's server: HTTPS, or plain HTTP
 * to this machine (loopback), or plain HTTP that the administrator
 * (in the code) or the operator (@allow_http) allowed.
 * FK_SYNC_ERROR_INSECURE otherwise; @warning (out) (optional) says when
 * the link is not encrypted even though it is allowed. */
gboolean fk_enroll_code_check_transport (const FkEnrollCode *self, gboolean allow_http,
                                         char **warning, GError **error);

/* The body of POST /v1/enroll. */
char *fk_enroll_request_to_json (const FkEnrollCode *code, gsize *length);
/* (out) @token, @server_key (base64 Ed25519 key the code named). */
gboolean fk_enroll_request_parse (const char *data, gsize length, char **token, char **server_key,
                                  GError **error);

/* The server's answer, signed like a receipt (FK-Receipt-Signature). */
typedef struct
{
  char *device; /* base64 Ed25519 public key */
  char *commune;
  char *name;
  char *enrolled_at; /* ISO 8601, UTC */
} FkEnrollAnswer;

void fk_enroll_answer_free (FkEnrollAnswer *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkEnrollAnswer, fk_enroll_answer_free)
char *fk_enroll_answer_to_json (const FkEnrollAnswer *self, gsize *length);
/* Checks the signature with the code's key and that the answer names
 * @device. */
FkEnrollAnswer *fk_enroll_answer_verify (const char *data, gsize length, const char *signature,
                                         const guint8 verify_key[FK_SYNC_KEY_BYTES],
                                         const char *device, GError **error);

G_END_DECLS
