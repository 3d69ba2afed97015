/* fk-store-private.h: what the store's modules share, nobody else
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "fk-catalog.h"
#include "fk-outbox.h"
#include "fk-store.h"

G_BEGIN_DECLS

struct _FkStore
{
  GObject parent_instance;

  char *dir;
  char *parts_dir;
  FkStoreOpenFlags flags;
  int lock_fd;
  sqlite3 *db;
  /* One thread at a time talks to the database (the async commit runs in
   * a worker thread). */
  GRecMutex db_mutex;
  FkDeviceKey *device_key;
  guint8 server_public_key[FK_VAULT_PUBLIC_KEY_BYTES];
  FkCatalog *catalog; /* loaded on the first commit */

  /* The writer checkpoints the WAL in a thread of its own, with its own
   * connection, so that no commit waits for a checkpoint's fsync. */
  GThread *checkpointer;
  GMutex checkpoint_mutex;
  GCond checkpoint_cond;
  gboolean checkpoint_wanted;
  gboolean checkpoint_stop;

  /* Present only while unlocked with the PIN. */
  FkVaultKey *wrap_key;  /* wraps each dossier's data key */
  FkVaultKey *index_key; /* keyed hashes of ID numbers */
  FkVaultKey *local_key; /* device-only encrypted values (visits) */
};

/* Subkeys of the device master key (crypto_kdf, context below). */
#define FK_STORE_KDF_CONTEXT  "FKstore1"
#define FK_STORE_SUBKEY_WRAP  1
#define FK_STORE_SUBKEY_INDEX 2
#define FK_STORE_SUBKEY_LOCAL 3

void fk_store_set_sqlite_error (FkStore *self, int rc, GError **error);
gboolean fk_store_exec (FkStore *self, const char *sql, GError **error);
sqlite3_stmt *fk_store_prepare (FkStore *self, const char *sql, GError **error);
/* BEGIN IMMEDIATE: this process becomes the writer until commit/rollback.
 * Takes db_mutex; commit and rollback release it. */
gboolean fk_store_begin (FkStore *self, GError **error);
gboolean fk_store_commit (FkStore *self, GError **error);
void fk_store_rollback (FkStore *self);

gint64 fk_store_get_setting_int (FkStore *self, const char *key, gint64 fallback);
GBytes *fk_store_get_setting_bytes (FkStore *self, const char *key);
gboolean fk_store_put_setting_int (FkStore *self, const char *key, gint64 value, GError **error);
gboolean fk_store_put_setting_bytes (FkStore *self, const char *key, const void *data, gsize len,
                                     GError **error);

gboolean fk_store_require_unlocked (FkStore *self, GError **error);
void fk_store_set_master_key (FkStore *self, const FkVaultKey *master);

/* Appends a signed, chained entry; call inside a transaction. @dossier_id
 * may be NULL; @detail never holds personal data. */
gboolean fk_audit_append (FkStore *self, const char *dossier_id, const char *action,
                          const char *detail, GError **error);

gint64 fk_store_now (void);
/* Frees the space held back for a full disk; TRUE if there was some. */
gboolean fk_store_release_reserve (FkStore *self);

/* Inside a transaction: the state change and its audit entry. The names
 * of part files to remove once committed are added to @removed_parts
 * (nullable: the next writer open removes them as orphans). */
gboolean fk_outbox_transition_locked (FkStore *store, const char *id, FkOutboxState to,
                                      const char *reason, GBytes *receipt, GPtrArray *removed_parts,
                                      GError **error);

/* Inside a transaction: drops the sealed content of dossier @id (key,
 * parts, draft; with @forget_citizen also the link to the ID-number hash),
 * adding the part file names to @removed_parts (nullable). */
gboolean fk_store_erase_content_locked (FkStore *self, const char *id, gboolean forget_citizen,
                                        GPtrArray *removed_parts, GError **error);
/* After the commit: unlinks the named part files and fsyncs parts/. */
gboolean fk_store_remove_part_files (FkStore *self, GPtrArray *names, GError **error);

/* PIN wrapping at init (fk-pin-lock.c), inside the init transaction. */
gboolean fk_pin_lock_setup (FkStore *self, const FkVaultKey *master, const char *pin,
                            guint64 opslimit, gsize memlimit, char **out_recovery_code,
                            GError **error);
gboolean fk_pin_check_acceptable (const char *pin, GError **error);

G_END_DECLS
