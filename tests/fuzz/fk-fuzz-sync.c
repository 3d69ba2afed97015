/* fk-fuzz-sync.c: fuzz target for what the intake server and the device
 * parse from the other side: manifests, receipts, request signature
 * headers and server.pub
 *
 * The first byte picks the parser; the rest is its input. For requests
 * the input is newline-separated: method, target, device, timestamp,
 * nonce, content SHA-256, signature, then the body.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "fk-sync-protocol.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
fuzz_request (const char *data, gsize size)
{
  const char *fields[7] = { NULL };
  g_autofree char *copy = g_strndup (data, size);
  char *cursor = copy;
  const char *body;
  gsize consumed;
  g_autoptr (FkSyncRequestAuth) auth = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      char *nl = strchr (cursor, '\n');

      if (nl == NULL)
        return;
      *nl = '\0';
      fields[i] = cursor;
      cursor = nl + 1;
    }
  consumed = (gsize) (cursor - copy);
  body = data + consumed;
  auth = fk_sync_request_verify (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5],
                                 fields[6], body, size - consumed, 1700000000, &error);
  g_assert ((auth == NULL) == (error != NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data + 1;
  gsize len = size > 0 ? size - 1 : 0;
  g_autoptr (GError) error = NULL;

  if (size == 0)
    return 0;
  switch (data[0] % 4)
    {
      case 0:
        {
          g_autoptr (FkSyncManifest) m = fk_sync_manifest_parse (text, len, &error);

          g_assert ((m == NULL) == (error != NULL));
          if (m != NULL)
            {
              /* What parses serialises to something that parses the same. */
              gsize out_len = 0;
              g_autofree char *json = fk_sync_manifest_to_json (m, &out_len);
              g_autoptr (FkSyncManifest) again = fk_sync_manifest_parse (json, out_len, NULL);

              g_assert (again != NULL);
              g_assert (again->parts->len == m->parts->len);
              g_assert (strcmp (again->dossier, m->dossier) == 0);
            }
        }
        break;
      case 1:
        {
          g_autoptr (FkSyncReceipt) r = fk_sync_receipt_parse (text, len, &error);

          g_assert ((r == NULL) == (error != NULL));
        }
        break;
      case 2:
        fuzz_request (text, len);
        break;
      default:
        {
          g_autofree char *copy = g_strndup (text, len);
          guint8 box[FK_SYNC_KEY_BYTES], verify[FK_SYNC_KEY_BYTES];

          fk_sync_server_pub_parse (copy, box, verify, NULL);
        }
        break;
    }
  return 0;
}
