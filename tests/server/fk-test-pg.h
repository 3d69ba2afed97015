/* fk-test-pg.h: a throwaway PostgreSQL cluster for the sync tests
 *
 * initdb and pg_ctl run as the postgres user (runuser) in a temporary
 * folder it owns, listening on a free loopback port and a unix socket in
 * that folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* FALSE (and a reason) when the PostgreSQL server binaries are missing. */
gboolean fk_test_pg_start (char **reason);
/* A new, empty database; returns its postgresql:// URI. */
char *fk_test_pg_new_database (void);
void fk_test_pg_stop (void);
/* Stops the cluster, keeping its data, and starts it again. */
void fk_test_pg_pause (void);
void fk_test_pg_resume (void);

G_END_DECLS
