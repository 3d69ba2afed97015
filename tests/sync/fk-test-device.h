/* fk-test-device.h: a real device store, a real fieldkit-ctl sync and the
 * fault proxy, for the sync tests and benches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fk-outbox.h"
#include "fk-test-server.h"

G_BEGIN_DECLS

/* A new device store in @dir sealing to @box_key, holding @n dossiers of
 * @n_photos photos of @photo_size bytes each. Returns the dossier UUIDs. */
GPtrArray *fk_test_device_new (const char *dir, const guint8 box_key[FK_SYNC_KEY_BYTES], guint n,
                               guint n_photos, gsize photo_size);
char *fk_test_device_key (const char *dir);
/* Starts `fieldkit-ctl --data DIR sync --server URL --json ARGS…`. */
GSubprocess *fk_test_sync_start (const char *dir, const char *url, const char *server_pub,
                                 ...) G_GNUC_NULL_TERMINATED;
/* Runs fieldkit-ctl through @prefix from now on (e.g. faketime), or
 * directly again with NULL. */
void fk_test_sync_set_prefix (const char *const *prefix);
/* Waits for it; returns the JSON summary's root object and the exit status. */
JsonObject *fk_test_sync_finish (GSubprocess *process, int *status);
/* Exports the server and asserts every dossier of @ids is there exactly
 * once with the device's bytes, nothing else, and all are delivered. */
void fk_test_assert_exactly_once (FkTestServer *server, const char *device_dir, GPtrArray *ids);
/* The same for several devices sending to one server: @device_dirs[i]
 * sent @ids[i] (a GPtrArray of UUIDs). */
void fk_test_assert_exactly_once_all (FkTestServer *server, GPtrArray *device_dirs, GPtrArray *ids);
guint fk_test_count_state (const char *device_dir, FkOutboxState state);

typedef struct
{
  GSubprocess *process;
  GDataInputStream *out;
  GOutputStream *in;
  char *url;
} FkTestProxy;

FkTestProxy *fk_test_proxy_new (guint16 target_port);
/* Sends one command line, returns the proxy's answer line. */
char *fk_test_proxy_command (FkTestProxy *self, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* A counter from "stats": up, down, cuts, conns, drops. */
guint fk_test_proxy_stat (FkTestProxy *self, const char *name);
/* Connections cut so far. */
guint fk_test_proxy_cuts (FkTestProxy *self);
void fk_test_proxy_free (FkTestProxy *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkTestProxy, fk_test_proxy_free)

G_END_DECLS
