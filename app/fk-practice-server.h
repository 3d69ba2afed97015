/* fk-practice-server.h: the practice profile's own intake server, a
 * `fieldkit-server serve --practice` the app runs on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fk-store.h"
#include "fk-sync-protocol.h"

G_BEGIN_DECLS

/* The server's program: this file when set, else fieldkit-server on PATH */
#define FK_PRACTICE_SERVER_ENV "FIELDKIT_PRACTICE_SERVER"

#define FK_TYPE_PRACTICE_SERVER (fk_practice_server_get_type ())
G_DECLARE_FINAL_TYPE (FkPracticeServer, fk_practice_server, FK, PRACTICE_SERVER, GObject)

gboolean fk_practice_server_prepare (guint8 box_key[FK_SYNC_KEY_BYTES],
                                     guint8 verify_key[FK_SYNC_KEY_BYTES], GError **error);

FkPracticeServer *fk_practice_server_new (void);
void fk_practice_server_start_async (FkPracticeServer *self, FkStore *store,
                                     GAsyncReadyCallback callback, gpointer user_data);
char *fk_practice_server_start_finish (FkPracticeServer *self, GAsyncResult *result,
                                       GError **error);
void fk_practice_server_stop (FkPracticeServer *self);

G_END_DECLS
