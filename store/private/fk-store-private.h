/* fk-store-private.h: what the store's files share, nobody else
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store is one class split by concern:
 *   fk-store.c            object, create/open, keys held while unlocked
 *   fk-store-db.c         SQLite: connection, migrations, transactions,
 *                         settings, WAL checkpoints
 *   fk-store-error.c      FK_STORE_ERROR and the mapping of what comes
 *                         from below (vault, files) into it
 *   fk-store-attachment.c what callers hand in: bytes, a stream or a file
 *   fk-pin-lock.c         the PIN, the recovery code, unlock
 *   fk-store-commit.c     sealing and committing dossiers
 *   fk-store-draft.c      drafts: save, resume, delete
 *   fk-store-read.c       decrypting reads and the searches
 *   fk-store-visit.c      visits
 *   fk-store-catalog.c    the procedure catalog in use, versions from the
 *                         server
 *   fk-store-results.c    results ready for handover
 *   fk-store-retention.c  erasing content: purge, retention, discard
 *   fk-outbox.c           the upload queue's state machine
 *   fk-audit.c            the signed, hash-chained audit log
 *
 * Locking: db_mutex (recursive) is held around every use of the
 * connection and of the keys below; fk_store_lock() takes it to drop the
 * keys, so a worker thread never sees a key freed under it. A function
 * named *_locked runs inside a transaction (fk_store_begin()).
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
  /* One thread at a time talks to the database (async work runs in
   * worker threads). */
  GRecMutex db_mutex;
  FkDeviceKey *device_key;
  guint8 server_public_key[FK_VAULT_PUBLIC_KEY_BYTES];
  /* The catalog in use (fk-store-catalog.c), under db_mutex: loaded at
   * the first use, again when the stored version changed. */
  FkCatalog *catalog;
  gint64 catalog_seq; /* of the stored version it is, 0: the shipped one */
  char *catalog_problem;

  /* The writer checkpoints the WAL in a thread of its own, with its own
   * connection, so that no commit waits for a checkpoint's fsync. */
  GThread *checkpointer;
  GMutex checkpoint_mutex;
  GCond checkpoint_cond;
  gboolean checkpoint_wanted;
  gboolean checkpoint_stop;

  /* Present only while unlocked with the PIN; used under db_mutex. */
  FkVaultKey *wrap_key;  /* wraps each dossier's data key */
  FkVaultKey *index_key; /* keyed hashes of ID numbers */
  FkVaultKey *local_key; /* device-only encrypted values (visits) */
};

/* Subkeys of the device master key (crypto_kdf, context below). */
#define FK_STORE_KDF_CONTEXT  "FKstore1"
#define FK_STORE_SUBKEY_WRAP  1
#define FK_STORE_SUBKEY_INDEX 2
#define FK_STORE_SUBKEY_LOCAL 3

/* Additional data binding an encrypted value to its dossier or visit. */
#define FK_STORE_AD_DATA_KEY "FKDK1"
#define FK_STORE_AD_DRAFT    "FKDR1"
#define FK_STORE_AD_VISIT    "FKVI1"

/* fk-store-error.c: turns an error from below (FK_VAULT_ERROR, G_IO_ERROR,
 * G_FILE_ERROR, FK_CORE_ERROR) into FK_STORE_ERROR, keeping its message;
 * FK_STORE_ERROR and G_IO_ERROR_CANCELLED pass unchanged. Takes @src. */
void fk_store_propagate_error (GError **dest, GError *src);
/* errno as FK_STORE_ERROR_DISK_FULL or FK_STORE_ERROR_IO. */
void fk_store_set_error_from_errno (GError **error, int errsv, const char *what);
/* The not-found error of dossier @id. */
void fk_store_set_not_found (GError **error, const char *id);

/* fk-store-db.c */
gboolean fk_store_open_db (FkStore *self, gboolean create, GError **error);
int fk_store_get_user_version (FkStore *self);
/* The schema this FieldKit writes (the number of migrations). */
int fk_store_get_schema_version (void);
gboolean fk_store_migrate (FkStore *self, GError **error);
gboolean fk_store_start_checkpointer (FkStore *self, GError **error);
void fk_store_stop_checkpointer (FkStore *self);
void fk_store_set_sqlite_error (FkStore *self, int rc, GError **error);
gboolean fk_store_exec (FkStore *self, const char *sql, GError **error);
sqlite3_stmt *fk_store_prepare (FkStore *self, const char *sql, GError **error);
/* Steps @stmt to its end and finalizes it. */
gboolean fk_store_step_done (FkStore *self, sqlite3_stmt *stmt, GError **error);
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

/* fk-store.c */
gint64 fk_store_now (void);
gboolean fk_store_require_unlocked (FkStore *self, GError **error);
/* Only the writing process creates part files and saves dossiers: a
 * shared opener's files could be taken for orphans by a writer opening
 * meanwhile. */
gboolean fk_store_require_writer (FkStore *self, GError **error);
void fk_store_set_master_key (FkStore *self, const FkVaultKey *master);
/* Frees the space held back for a full disk; TRUE if there was some. */
gboolean fk_store_release_reserve (FkStore *self);
/* (transfer full): @prefix || @id, the additional data of a wrapped value. */
GBytes *fk_store_ad (const char *prefix, const char *id);
/* Under db_mutex, unlocked: the keyed hash of an ID number (digits only). */
char *fk_store_hash_id_number (FkStore *self, const char *id_number);
/* Under db_mutex, unlocked: @data_key wrapped for dossier @id. */
GBytes *fk_store_wrap_data_key (FkStore *self, const char *id, const FkVaultKey *data_key);
/* Wipes the contents of a decrypted buffer before it is freed. */
void fk_store_wipe_bytes (GBytes *bytes);

/* fk-store-attachment.c */
/* (transfer full): the content to seal; opened in the calling thread. */
GInputStream *fk_store_attachment_open (FkStoreAttachment *attachment, GCancellable *cancellable,
                                        GError **error);
/* (transfer full): the whole content in memory (drafts). */
GBytes *fk_store_attachment_read_all (FkStoreAttachment *attachment, GCancellable *cancellable,
                                      GError **error);
/* How the attachment is named in messages: its name, file path or kind. */
const char *fk_store_attachment_describe (FkStoreAttachment *attachment);
/* (transfer full): a copy of @attachments (nullable) holding new references,
 * so that a worker thread owns what it uses. */
GPtrArray *fk_store_attachments_copy (GPtrArray *attachments);

/* fk-store-read.c: the data key of dossier @id and where its content is:
 * the sealed blob's part name (committed) or the encrypted draft. */
FkVaultKey *fk_store_load_data_key (FkStore *self, const char *id, char **out_blob_name,
                                    GBytes **out_draft, GError **error);

/* fk-store-draft.c: decrypts the draft value @draft of dossier @id with
 * its data key @key (out arguments optional, as fk_store_resume_draft()). */
FkDossier *fk_store_open_draft (FkStore *self, const char *id, const FkVaultKey *key, GBytes *draft,
                                GPtrArray **out_attachments, GVariant **out_progress,
                                GError **error);

/* fk-outbox.c: inside a transaction: the state change and its audit
 * entry. The names of part files to remove once committed are added to
 * @removed_parts (nullable: the next writer open removes them as
 * orphans). */
gboolean fk_outbox_transition_locked (FkStore *store, const char *id, FkOutboxState to,
                                      const char *reason, GBytes *receipt, GPtrArray *removed_parts,
                                      GError **error);
/* Under db_mutex: whether dossier @id exists, and in which state. */
gboolean fk_outbox_lookup_state (FkStore *store, const char *id, FkOutboxState *state);

/* fk-store-retention.c: inside a transaction: drops the sealed content of
 * dossier @id (key, parts, draft; with @forget_citizen also the link to
 * the ID-number hash), adding the part file names to @removed_parts
 * (nullable). */
gboolean fk_store_erase_content_locked (FkStore *self, const char *id, gboolean forget_citizen,
                                        GPtrArray *removed_parts, GError **error);
/* After the commit: unlinks the named part files and fsyncs parts/. */
gboolean fk_store_remove_part_files (FkStore *self, GPtrArray *names, GError **error);

/* fk-audit.c: appends a signed, chained entry; call inside a transaction.
 * @dossier_id may be NULL; @detail never holds personal data. */
gboolean fk_audit_append (FkStore *self, const char *dossier_id, const char *action,
                          const char *detail, GError **error);

/* fk-pin-lock.c: PIN wrapping at init, inside the init transaction. */
gboolean fk_pin_lock_setup (FkStore *self, const FkVaultKey *master, const char *pin,
                            guint64 opslimit, gsize memlimit, char **out_recovery_code,
                            GError **error);
gboolean fk_pin_check_acceptable (const char *pin, GError **error);
/* A copy of a secret (PIN, recovery code) in memory wiped when freed. */
char *fk_secret_dup (const char *secret);
void fk_secret_free (char *secret);

G_END_DECLS
