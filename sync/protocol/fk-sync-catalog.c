/* fk-sync-catalog.c: the signature of a published procedure catalog
 *
 * The intake server signs every catalog version it publishes with its
 * receipt key (Ed25519, the second line of server.pub); the device checks
 * the signature before it looks at the catalog, and again each time it
 * loads the one it applied. The signed message is the context line
 * "FKCAT1\n" followed by the catalog's bytes exactly as published, so a
 * catalog signature can never be mistaken for a receipt's and one changed
 * byte anywhere refuses the catalog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-sync-protocol.h"

#include <sodium.h>
#include <string.h>

#define CATALOG_CONTEXT "FKCAT1\n"

static GBytes *
signed_message (GBytes *catalog)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (catalog, &length);
  gsize context = strlen (CATALOG_CONTEXT);
  guint8 *message = g_malloc (context + length + 1);

  memcpy (message, CATALOG_CONTEXT, context);
  if (length > 0)
    memcpy (message + context, data, length);
  return g_bytes_new_take (message, context + length);
}

/**
 * fk_sync_catalog_sign:
 * @secret_key: the server's Ed25519 receipt key
 * @catalog: the catalog's bytes as published
 *
 * Returns: (transfer full): the base64 signature
 */
char *
fk_sync_catalog_sign (const guint8 secret_key[FK_SYNC_SECRET_BYTES], GBytes *catalog)
{
  g_autoptr (GBytes) message = signed_message (catalog);

  return fk_sync_sign (secret_key, g_bytes_get_data (message, NULL), g_bytes_get_size (message));
}

/**
 * fk_sync_catalog_verify:
 * @verify_key: the server's receipt-verify key (from server.pub)
 * @catalog: the catalog's bytes as received
 * @signature: (nullable): the base64 signature that came with them
 *
 * Returns: %TRUE when @signature is the server's over exactly @catalog
 */
gboolean
fk_sync_catalog_verify (const guint8 verify_key[FK_SYNC_KEY_BYTES], GBytes *catalog,
                        const char *signature)
{
  g_autoptr (GBytes) message = NULL;

  if (catalog == NULL || signature == NULL)
    return FALSE;
  message = signed_message (catalog);
  return fk_sync_verify (verify_key, g_bytes_get_data (message, NULL), g_bytes_get_size (message),
                         signature);
}
