/* fk-test-protocol.h: what the intake API tests share: a server with one
 * enrolled device, signed and hand-made requests, sealed dossiers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "fk-device-key.h"
#include "fk-sync-client.h"
#include "fk-test-server.h"

G_BEGIN_DECLS

typedef struct
{
  FkTestServer *server;
  FkDeviceKey *key;
  char *device;
  FkSyncClient *client;
  SoupSession *session;
  char *last_error; /* FK-Error of the last fk_proto_send_raw() answer */
} FkProtoFixture;

typedef struct
{
  const char *method;
  const char *target;
  const char *signed_target; /* NULL: target */
  GBytes *body;              /* what is sent */
  GBytes *signed_body;       /* what is hashed into the signature; NULL: body */
  gint64 timestamp;          /* 0: now */
  const char *nonce;         /* NULL: fresh */
  const guint8 *secret;      /* NULL: no signature headers at all */
  const guint8 *public_key;
} FkProtoRawRequest;

typedef struct
{
  char *uuid;
  GBytes *json;
  GBytes *sealed_dossier;
  GBytes *attachment;
  GBytes *sealed_attachment;
} FkProtoSealed;

char *fk_proto_db_snapshot (FkProtoFixture *f);
void fk_proto_setup (FkProtoFixture *f, gconstpointer data);
void fk_proto_teardown (FkProtoFixture *f, gconstpointer data);
FkSyncResponse *fk_proto_send (FkProtoFixture *f, const char *method, const char *target,
                               const char *body);
guint fk_proto_send_raw (FkProtoFixture *f, const FkProtoRawRequest *req, char **nonce_used);
const char *fk_proto_dev_secret (FkProtoFixture *f, guint8 secret[64], guint8 pub[32]);
char *fk_proto_blob_json (const char *sha, gsize len);
void fk_proto_upload_blob (FkProtoFixture *f, GBytes *bytes, gsize chunk);
void fk_proto_sealed_free (FkProtoSealed *s);
FkProtoSealed *fk_proto_seal (FkProtoFixture *f, gsize attachment_size);
char *fk_proto_manifest_for (FkProtoFixture *f, FkProtoSealed *s, gsize *len);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkProtoSealed, fk_proto_sealed_free)

G_END_DECLS
