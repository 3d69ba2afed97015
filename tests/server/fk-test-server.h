/* fk-test-server.h: run the real fieldkit-server from tests and benches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fk-sync-protocol.h"

G_BEGIN_DECLS

typedef struct
{
  char *dir;    /* the server's own folder: keys/, db.sqlite */
  char *db_uri; /* SQLite file or postgresql:// */
  char *keys_dir;
  char *url; /* http://127.0.0.1:PORT/ once started */
  guint16 port;
  GSubprocess *process;
  guint8 box_key[FK_SYNC_KEY_BYTES];
  guint8 verify_key[FK_SYNC_KEY_BYTES];
} FkTestServer;

const char *fk_test_server_binary (void);
guint16 fk_test_free_port (void);
GSubprocess *fk_test_spawn (const char *const *argv, GSubprocessFlags flags, GError **error);
/* Keygen in @dir; the database is @db_uri, or @dir/db.sqlite when NULL. */
FkTestServer *fk_test_server_new (const char *dir, const char *db_uri);
/* Runs `fieldkit-server --db … ARGS…`, asserts its exit status. */
char *fk_test_server_ctl (FkTestServer *self, int expected_status, ...) G_GNUC_NULL_TERMINATED;
/* Starts serving on self->port (a free one picked at the first start),
 * extra arguments appended; waits until it listens. */
void fk_test_server_start (FkTestServer *self, ...) G_GNUC_NULL_TERMINATED;
void fk_test_server_startv (FkTestServer *self, const char *const *args);
void fk_test_server_stop (FkTestServer *self, gboolean kill);
void fk_test_server_free (FkTestServer *self);
gint64 fk_test_server_query_int (FkTestServer *self, const char *sql);
/* Runs a statement that returns no row, on either backend. */
void fk_test_server_exec (FkTestServer *self, const char *sql);
/* The sum of the samples of metric @name at /metrics whose labels contain
 * @contains (NULL: all). */
double fk_test_server_metric (FkTestServer *self, const char *name, const char *contains);
/* The status of an unsigned GET of @path. */
guint fk_test_server_get_status (FkTestServer *self, const char *path);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkTestServer, fk_test_server_free)

/* The JSON of a valid dossier with this UUID, as a device seals it. */
char *fk_test_dossier_json (const char *uuid);

/* Runs a program to completion, returns its stdout; asserts the status. */
char *fk_test_run (int expected_status, const char *const *argv);

G_END_DECLS
