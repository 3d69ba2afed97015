/* fk-test-sync.h: a server and a device with dossiers to send, for the
 * end-to-end sync tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-test-device.h"

G_BEGIN_DECLS

typedef struct
{
  char *base;
  FkTestServer *server;
  char *device_dir;
  char *server_pub;
  GPtrArray *ids;
} FkTestSyncFixture;

/* A server (on a new PostgreSQL database if @postgresql, else SQLite),
 * started with --rate-limit=0, and a device holding @n dossiers of @photos
 * photos of @photo_size bytes, enrolled if @enroll. */
void fk_test_sync_setup (FkTestSyncFixture *f, gboolean postgresql, guint n, guint photos,
                         gsize photo_size, gboolean enroll);
void fk_test_sync_teardown (FkTestSyncFixture *f);
/* Runs sync until nothing is left, as the scheduler would; returns the
 * number of runs it took. */
guint fk_test_sync_until_done (FkTestSyncFixture *f, const char *url, guint max_runs,
                               const char *timeout);
/* Bytes of uploads the server holds, finished or not. */
guint64 fk_test_server_partial_bytes (FkTestServer *server);

G_END_DECLS
