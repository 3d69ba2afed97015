/* fk-server-export.h: decrypt delivered dossiers for the commune
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fk-server-db.h"
#include "fk-server-keys.h"

G_BEGIN_DECLS

typedef struct
{
  guint exported; /* written now */
  guint skipped;  /* could not be opened or read: reported, not written */
} FkServerExportSummary;

typedef void (*FkServerExportSkipFunc) (const char *dossier, const GError *error,
                                        gpointer user_data);

gboolean fk_server_export (FkServerDb *db, const FkServerKeys *keys, const char *out_dir,
                           FkServerExportSummary *summary, FkServerExportSkipFunc skipped,
                           gpointer user_data, GError **error);

G_END_DECLS
