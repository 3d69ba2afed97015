/* fk-server-catalog.c: publishing a procedure catalog version
 *
 * Invariants: every stored version passed core's catalog rules, is newer
 * than the versions stored before it, and carries the server's signature
 * over its exact bytes (fk_sync_catalog_sign()), so what a device receives
 * is either what the commune published or refused by the device.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-catalog.h"
#include "fk-server-catalog.h"
#include "fk-server-error.h"
#include "fk-sync-protocol.h"

FkServerCatalogEntry *
fk_server_catalog_current (FkServerDb *db, GError **error)
{
  FkServerCatalogEntry *entry = NULL;

  if (!fk_server_db_catalog_latest (db, 0, &entry, error))
    return NULL;
  return entry;
}

/* Core's rules, as the device applies them; and a size a device takes. */
static FkCatalog *
check_catalog (GBytes *catalog, GError **error)
{
  g_autoptr (GError) local = NULL;
  FkCatalog *parsed;

  if (g_bytes_get_size (catalog) > FK_SYNC_MAX_CATALOG_BYTES)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_INVALID,
                   _ ("The catalog is larger than devices accept (%u KiB at most)."),
                   (guint) (FK_SYNC_MAX_CATALOG_BYTES / 1024));
      return NULL;
    }
  parsed = fk_catalog_new_from_bytes (catalog, &local);
  if (parsed == NULL)
    g_set_error_literal (error, FK_SERVER_ERROR, FK_SERVER_ERROR_INVALID, local->message);
  return parsed;
}

FkServerCatalogEntry *
fk_server_catalog_publish (FkServerDb *db, const FkServerKeys *keys, GBytes *catalog,
                           GError **error)
{
  g_autoptr (FkCatalog) parsed = NULL;
  g_autoptr (FkServerCatalogEntry) current = NULL;
  g_autoptr (FkServerCatalogEntry) entry = NULL;
  g_autofree char *text = NULL;
  const char *version;

  g_return_val_if_fail (db != NULL && keys != NULL && catalog != NULL, NULL);

  parsed = check_catalog (catalog, error);
  if (parsed == NULL)
    return NULL;
  version = fk_catalog_get_version (parsed);
  if (!fk_server_db_catalog_latest (db, 0, &current, error))
    return NULL;
  if (current != NULL && fk_catalog_version_compare (version, current->version) <= 0)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_EXISTS,
                   _ ("Catalog version %s is not newer than the published version %s: raise "
                      "“version” in the file."),
                   version, current->version);
      return NULL;
    }
  entry = g_new0 (FkServerCatalogEntry, 1);
  entry->version = g_strdup (version);
  entry->body = g_bytes_ref (catalog);
  entry->signature = fk_sync_catalog_sign (keys->sign_secret, catalog);
  text = g_strndup (g_bytes_get_data (catalog, NULL), g_bytes_get_size (catalog));
  if (!fk_server_db_catalog_add (db, entry->version, text, entry->signature, &entry->seq, error))
    return NULL;
  return g_steal_pointer (&entry);
}
