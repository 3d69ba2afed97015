/* fk-server-keys.h: the intake server's key pairs
 *
 * X25519 opens the data keys devices seal to the server; Ed25519 signs
 * receipts. DIR/server.secret (mode 0600) holds both secrets, DIR/server.pub
 * the two public keys a device is given at `fieldkit-ctl init`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fk-sync-protocol.h"

G_BEGIN_DECLS

typedef struct
{
  guint8 box_public[FK_SYNC_KEY_BYTES];
  guint8 box_secret[FK_SYNC_KEY_BYTES];
  guint8 sign_public[FK_SYNC_KEY_BYTES];
  guint8 sign_secret[FK_SYNC_SECRET_BYTES];
} FkServerKeys;

gboolean fk_server_keys_generate (const char *dir, GError **error);
FkServerKeys *fk_server_keys_load (const char *dir, GError **error);
void fk_server_keys_free (FkServerKeys *keys);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkServerKeys, fk_server_keys_free)

G_END_DECLS
