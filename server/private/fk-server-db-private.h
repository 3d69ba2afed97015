/* fk-server-db-private.h: what the two storage backends implement
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-server-db.h"

G_BEGIN_DECLS

typedef enum
{
  FK_DB_TEXT,
  FK_DB_INT,
  FK_DB_BLOB,
} FkDbType;

typedef struct
{
  FkDbType type;
  const char *text;
  gint64 integer;
  const void *data;
  gsize length;
} FkDbParam;

#define FK_DB_P_TEXT(s)             \
  {                                 \
    .type = FK_DB_TEXT, .text = (s) \
  }
#define FK_DB_P_INT(i)                \
  {                                   \
    .type = FK_DB_INT, .integer = (i) \
  }
#define FK_DB_P_BLOB(d, len)                         \
  {                                                  \
    .type = FK_DB_BLOB, .data = (d), .length = (len) \
  }

/* rows: GPtrArray of rows, each a GPtrArray of GBytes (NULL for SQL NULL),
 * NUL-terminated beyond their size so text cells read as strings. */
typedef struct
{
  GPtrArray *rows;
  guint64 changes;
} FkDbResult;

typedef struct
{
  /* SQL uses $1, $2… in both backends */
  FkDbResult *(*query) (FkServerDb *self, const char *sql, const FkDbParam *params, guint n_params,
                        GError **error);
  gboolean (*exec) (FkServerDb *self, const char *sql, GError **error);
  void (*close) (FkServerDb *self);
  const char *begin_write;
  /* Chunks and nonces need no flush to disk: a client always asks the
   * offset again, and every request is idempotent. A commit (the receipt)
   * does, between these two statements. */
  const char *durable_on;
  const char *durable_off;
} FkDbBackend;

struct _FkServerDb
{
  const FkDbBackend *backend;
  gpointer handle;
};

FkServerDb *fk_server_db_sqlite_open (const char *path, GError **error);
FkServerDb *fk_server_db_pg_open (const char *uri, GError **error);

FkDbResult *fk_db_result_new (void);
void fk_db_result_free (FkDbResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkDbResult, fk_db_result_free)
GBytes *fk_db_cell_new (const void *data, gsize length);

G_END_DECLS
