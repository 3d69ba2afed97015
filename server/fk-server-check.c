/* fk-server-check.c: a commit is answered with a receipt only once the
 * server can open what it would be accepting
 *
 * The data key must unseal with the server's key, the AEAD tag must
 * verify (it binds the dossier's UUID), and the dossier JSON must be one
 * the core reads, with the manifest's UUID. A device whose dossier fails
 * learns it at once (422) and quarantines it, instead of the commune
 * finding out at export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fk-dossier.h"
#include "fk-sync-error.h"
#include "fk-vault.h"

#include <sodium.h>

/* A sealed dossier is a few kilobytes of JSON: far more is not one. */
#define MAX_DOSSIER_BYTES (16 * 1024 * 1024)

static const FkSyncPart *
dossier_part (const FkSyncManifest *manifest)
{
  for (guint i = 0; i < manifest->parts->len; i++)
    {
      const FkSyncPart *part = manifest->parts->pdata[i];

      if (strcmp (part->kind, "dossier") == 0)
        return part;
    }
  return NULL;
}

static gboolean
invalid (GError **error, const char *detail)
{
  g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
               _ ("The sealed dossier opens but is not a valid dossier: %s"), detail);
  return FALSE;
}

static FkDossier *
read_json (GBytes *json, const char *uuid, GError **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (json, &len);
  g_autoptr (GError) local = NULL;
  g_autoptr (FkDossier) dossier = NULL;

  if (len == 0 || memchr (data, '\0', len) != NULL || !g_utf8_validate (data, len, NULL))
    {
      invalid (error, _ ("it is not JSON text"));
      return NULL;
    }
  dossier = fk_dossier_new_from_data (data, (gssize) len, &local);
  if (dossier == NULL)
    {
      invalid (error, local->message);
      return NULL;
    }
  if (g_ascii_strcasecmp (fk_dossier_get_id (dossier), uuid) != 0)
    {
      invalid (error, _ ("it has another UUID than its manifest"));
      return NULL;
    }
  return g_steal_pointer (&dossier);
}

/**
 * fk_server_open_dossier:
 * @data_key: (out) (optional): the dossier's data key, which opens its
 *   attachments
 *
 * Opens the sealed dossier of @manifest in memory with the server's key;
 * nothing decrypted is written anywhere.
 *
 * Returns: (transfer full) (nullable): the dossier
 */
FkDossier *
fk_server_open_dossier (FkServerDb *db, const FkServerKeys *keys, const FkSyncManifest *manifest,
                        FkVaultKey **data_key, GError **error)
{
  const FkSyncPart *part = dossier_part (manifest);
  g_autoptr (GBytes) blob = NULL;
  g_autoptr (GBytes) json = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (FkVaultKey) key = NULL;
  FkDossier *dossier;

  /* fk_sync_manifest_parse() guarantees exactly one dossier part. */
  g_assert (part != NULL);
  if (part->size > MAX_DOSSIER_BYTES)
    {
      invalid (error, _ ("it is too large"));
      return NULL;
    }
  blob = fk_server_db_blob_read (db, manifest->device, part->sha256, MAX_DOSSIER_BYTES, error);
  if (blob == NULL)
    return NULL;
  json = fk_vault_open_dossier_with_server_key (blob, manifest->dossier, keys->box_public,
                                                keys->box_secret, &key, &local);
  if (json == NULL)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CORRUPT,
                   _ ("The sealed dossier does not open with this server's key (sealed for "
                      "another server, or damaged before it was sent): %s"),
                   local->message);
      return NULL;
    }
  dossier = read_json (json, manifest->dossier, error);
  /* The JSON held the citizen's data: not left in freed memory. */
  sodium_memzero ((gpointer) g_bytes_get_data (json, NULL), g_bytes_get_size (json));
  if (dossier != NULL && data_key != NULL)
    *data_key = g_steal_pointer (&key);
  return dossier;
}

gboolean
fk_server_check_dossier (FkServerDb *db, const FkServerKeys *keys, const FkSyncManifest *manifest,
                         FkDossier **dossier, GError **error)
{
  FkDossier *opened = fk_server_open_dossier (db, keys, manifest, NULL, error);

  if (opened == NULL)
    return FALSE;
  if (dossier != NULL)
    *dossier = opened;
  else
    g_object_unref (opened);
  return TRUE;
}
