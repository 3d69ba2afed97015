/* fk-store-error.c: FK_STORE_ERROR, and what comes from below turned into it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-store-private.h"

#include <glib/gi18n.h>

#include "fk-core-error.h"
#include "fk-file-util.h"

G_DEFINE_QUARK (fk - store - error - quark, fk_store_error)

static FkStoreError
code_for (const GError *src)
{
  if (g_error_matches (src, G_IO_ERROR, G_IO_ERROR_NO_SPACE) ||
      g_error_matches (src, G_FILE_ERROR, G_FILE_ERROR_NOSPC))
    return FK_STORE_ERROR_DISK_FULL;
  if (src->domain == FK_VAULT_ERROR)
    switch ((FkVaultError) src->code)
      {
        case FK_VAULT_ERROR_CORRUPT:
          return FK_STORE_ERROR_CORRUPT;
        case FK_VAULT_ERROR_INVALID_ARGUMENT:
          return FK_STORE_ERROR_INVALID_ARGUMENT;
        case FK_VAULT_ERROR_NOT_FOUND:
          return FK_STORE_ERROR_NOT_INITIALIZED;
        case FK_VAULT_ERROR_IO:
          return FK_STORE_ERROR_IO;
        case FK_VAULT_ERROR_FAILED:
        default:
          return FK_STORE_ERROR_FAILED;
      }
  if (src->domain == G_IO_ERROR || src->domain == G_FILE_ERROR)
    return FK_STORE_ERROR_IO;
  if (src->domain == FK_CORE_ERROR)
    return FK_STORE_ERROR_INVALID_ARGUMENT;
  return FK_STORE_ERROR_FAILED;
}

void
fk_store_propagate_error (GError **dest, GError *src)
{
  if (src == NULL)
    return;
  if (src->domain == FK_STORE_ERROR || g_error_matches (src, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (dest, src);
      return;
    }
  g_set_error_literal (dest, FK_STORE_ERROR, code_for (src), src->message);
  g_error_free (src);
}

void
fk_store_set_error_from_errno (GError **error, int errsv, const char *what)
{
  GError *local = NULL;

  fk_set_error_from_errno (&local, errsv, what);
  fk_store_propagate_error (error, local);
}

void
fk_store_set_not_found (GError **error, const char *id)
{
  g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_FOUND, _ ("No dossier %s in this store."),
               id);
}
