/* fk-store.h: the sealed local store of the device
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Layout of a data directory:
 *   fieldkit.db (+ -wal, -shm)  SQLite, WAL; holds no personal data in clear
 *   device-sign.key             Ed25519 device key (0600), see fk-device-key.h
 *   parts/                      sealed files, random names: *.fkd dossier
 *                               blobs (FKD1), *.fkf attachments (FKF1)
 *   writer.lock                 flock held by the one writing process
 *
 * Keys: a random device master key is wrapped twice, with an Argon2id key
 * from the operator's PIN and with one from the administrator's recovery
 * code (printed once at init). From it derive the key wrapping each
 * dossier's data key and the key of the searchable ID-number hashes.
 *
 * The seams are typed: dossiers go in and come out as FkDossier, visits as
 * FkVisit, attachments go in as FkStoreAttachment (bytes, a stream or a
 * file) and come out streamed (fk_store_read_attachment()) or as bytes
 * (fk_store_load_attachment_async()).
 *
 * Threads: every function may be called from any thread; the store
 * serialises its database work. What is slow (Argon2id, sealing, any
 * decryption of personal data) is also offered as an _async/_finish pair
 * that runs in a worker thread: a GUI calls those, never the plain ones,
 * from its main thread. Each _finish checks its source tag. An _async call
 * copies what it is given before it returns (the dossier as it is then,
 * new references to the attachments and the progress), so the caller may
 * change or drop them at once.
 *
 * Errors: FK_STORE_ERROR (fk-store-error.h), or G_IO_ERROR_CANCELLED.
 */
#pragma once

#include <gio/gio.h>

#include "fk-catalog.h"
#include "fk-device-key.h"
#include "fk-dossier.h"
#include "fk-store-attachment.h"
#include "fk-store-error.h"
#include "fk-vault.h"
#include "fk-visit.h"

G_BEGIN_DECLS

#define FK_STORE_DB_FILE   "fieldkit.db"
#define FK_STORE_PARTS_DIR "parts"

/* Argon2id for the PIN on a Raspberry Pi 4 (Cortex-A72, 1–8 GB): 3 passes
 * over 64 MiB take about 1 s there, bearable once per unlock and costly per
 * guess; 64 MiB fits beside the GUI on the smallest Pi 4. */
#define FK_STORE_PIN_OPSLIMIT_DEFAULT 3
#define FK_STORE_PIN_MEMLIMIT_DEFAULT (64 * 1024 * 1024)

#define FK_STORE_PIN_MAX_ATTEMPTS_DEFAULT  10 /* then an administrator reset */
#define FK_STORE_PIN_FREE_ATTEMPTS_DEFAULT 3  /* wrong PINs before delays start */
#define FK_STORE_PIN_DELAY_DEFAULT         30 /* seconds, doubling per failure, max 1 h */
#define FK_STORE_RETENTION_DEFAULT         (30 * 24 * 3600) /* after delivery, seconds */

typedef enum
{
  FK_STORE_OPEN_DEFAULT = 0,     /* the one writer: migrations, orphan clean-up */
  FK_STORE_OPEN_SHARED = 1 << 0, /* beside a running writer: reads, outbox, PIN */
} FkStoreOpenFlags;

typedef struct
{
  const guint8 *server_public_key; /* X25519, FK_VAULT_PUBLIC_KEY_BYTES */
  const char *pin;
  guint64 pin_opslimit; /* 0: FK_STORE_PIN_OPSLIMIT_DEFAULT */
  gsize pin_memlimit;   /* 0: FK_STORE_PIN_MEMLIMIT_DEFAULT */
} FkStoreInitOptions;

#define FK_TYPE_STORE (fk_store_get_type ())
G_DECLARE_FINAL_TYPE (FkStore, fk_store, FK, STORE, GObject)

/* ---- the store (fk-store.c) --------------------------------------------- */

/* Sets up a new store in @dir (created if missing, must hold no store).
 * @out_recovery_code receives the administrator's recovery code, shown
 * once; wipe it (sodium_memzero) before freeing it. The store comes back
 * unlocked: whoever creates it just gave the PIN (no second Argon2id).
 * FK_STORE_ERROR_FAILED when @dir holds a store already. */
FkStore *fk_store_create (const char *dir, const FkStoreInitOptions *options,
                          char **out_recovery_code, GError **error);
/* The same in a worker thread (Argon2id twice: a few seconds on the
 * device). @options and the PIN are copied before this returns. */
void fk_store_create_async (const char *dir, const FkStoreInitOptions *options,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data);
FkStore *fk_store_create_finish (GAsyncResult *result, char **out_recovery_code, GError **error);
FkStore *fk_store_open (const char *dir, FkStoreOpenFlags flags, GError **error);

const char *fk_store_get_dir (FkStore *self);
FkDeviceKey *fk_store_get_device_key (FkStore *self);
const guint8 *fk_store_get_server_public_key (FkStore *self);

/* ---- PIN (fk-pin-lock.c) ------------------------------------------------ */

/* Each try is counted durably before the PIN is checked. Fails with
 * FK_STORE_ERROR_WRONG_PIN (message: tries left, next wait),
 * FK_STORE_ERROR_PIN_DELAY (message: how long to wait; see
 * fk_store_get_pin_wait()) or FK_STORE_ERROR_PIN_LOCKED. */
gboolean fk_store_unlock (FkStore *self, const char *pin, GError **error);
/* Argon2id takes about a second on a Raspberry Pi 4: keep it off the GUI's
 * main thread. @pin is copied (and wiped after use) before this returns. */
void fk_store_unlock_async (FkStore *self, const char *pin, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data);
gboolean fk_store_unlock_finish (FkStore *self, GAsyncResult *result, GError **error);
void fk_store_lock (FkStore *self);
gboolean fk_store_is_unlocked (FkStore *self);
/* Seconds before the next PIN try is accepted; G_MAXINT64 when locked out. */
gint64 fk_store_get_pin_wait (FkStore *self, GError **error);
guint fk_store_get_pin_failures (FkStore *self, GError **error);
gboolean fk_store_set_pin_policy (FkStore *self, guint max_attempts, guint free_attempts,
                                  guint delay_seconds, GError **error);
/* Administrator reset: the recovery code from init sets a new PIN and
 * clears the lock-out; the vault's contents are kept. A wrong code is
 * FK_STORE_ERROR_WRONG_PIN. */
gboolean fk_store_reset_pin (FkStore *self, const char *recovery_code, const char *new_pin,
                             GError **error);
gboolean fk_store_check_recovery_code (FkStore *self, const char *recovery_code, GError **error);

/* ---- sealing (fk-store-commit.c) ---------------------------------------- */

/* Validates @dossier against the catalog (FK_STORE_ERROR_INVALID_ARGUMENT
 * with core's message naming what is wrong), seals it with @attachments
 * (element-type FkStoreAttachment, nullable) and commits durably in state
 * sealed, or queued when @queue. Needs the vault unlocked and the writer
 * (FK_STORE_ERROR_LOCKED, _BUSY). @dossier is not changed: the sealed copy
 * lists exactly @attachments, named by their part files, with their
 * plaintext sizes and SHA-256 (any attachment @dossier lists is dropped).
 * Returns the dossier's id once the commit is on disk. When a dossier with
 * that id was committed already, nothing is written, its id is returned
 * and @out_existed set; a draft with that id is sealed in place (draft →
 * sealed): commit the FkDossier that fk_store_resume_draft() returned, or
 * the one you saved the drafts with. */
char *fk_store_commit_dossier (FkStore *self, FkDossier *dossier, GPtrArray *attachments,
                               gboolean queue, gboolean *out_existed, GCancellable *cancellable,
                               GError **error);
void fk_store_commit_dossier_async (FkStore *self, FkDossier *dossier, GPtrArray *attachments,
                                    gboolean queue, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
char *fk_store_commit_dossier_finish (FkStore *self, GAsyncResult *result, gboolean *out_existed,
                                      GError **error);

/* ---- drafts (fk-store-draft.c) ------------------------------------------ */

/* How an intake wizard uses them: make one FkDossier when the officer
 * starts (fk_dossier_new (NULL, NULL): no procedure, no citizen yet) and
 * keep it to the end; at each step save it with what is there so far
 * (fk_store_save_draft_async); after a crash list the drafts
 * (fk_outbox_list (store, FK_OUTBOX_DRAFT, …)) and take the newest back
 * (fk_store_resume_draft_async); to seal, complete that same dossier and
 * commit it (fk_store_commit_dossier_async): its id turns the draft into
 * the sealed dossier, one entry in the queue, never two. Do not start a
 * commit while a save of the same dossier is still running. */

/* Saves unfinished work in state draft, encrypted under a fresh data key
 * of its own (nothing is sealed for upload yet); saving the same dossier
 * (same id) again replaces the draft whole. @dossier may be incomplete:
 * no procedure yet (listed as ""), no citizen, values as typed; it is not
 * validated. @attachments (element-type FkStoreAttachment, nullable) are
 * kept with their kinds and names, byte for byte. @progress (nullable,
 * floating references are sunk) is whatever the wizard needs to resume,
 * e.g. an a{sv} with its current step; the store keeps it as it is.
 * A draft of a sealed dossier is FK_STORE_ERROR_INVALID_TRANSITION.
 * Needs the vault unlocked and the writer. */
gboolean fk_store_save_draft (FkStore *self, FkDossier *dossier, GPtrArray *attachments,
                              GVariant *progress, GCancellable *cancellable, GError **error);
void fk_store_save_draft_async (FkStore *self, FkDossier *dossier, GPtrArray *attachments,
                                GVariant *progress, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
gboolean fk_store_save_draft_finish (FkStore *self, GAsyncResult *result, GError **error);

/* Opens draft @id (fk_outbox_list (store, FK_OUTBOX_DRAFT, …) lists them,
 * oldest first): (transfer full) the dossier as saved, with its id;
 * @out_attachments (element-type FkStoreAttachment) (transfer full)
 * (optional): the attachments as saved, each made from bytes;
 * @out_progress (transfer full) (optional) (nullable): the progress as
 * saved. FK_STORE_ERROR_NOT_FOUND for no such draft,
 * FK_STORE_ERROR_INVALID_TRANSITION for a sealed dossier. */
FkDossier *fk_store_resume_draft (FkStore *self, const char *id, GPtrArray **out_attachments,
                                  GVariant **out_progress, GCancellable *cancellable,
                                  GError **error);
void fk_store_resume_draft_async (FkStore *self, const char *id, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
FkDossier *fk_store_resume_draft_finish (FkStore *self, GAsyncResult *result,
                                         GPtrArray **out_attachments, GVariant **out_progress,
                                         GError **error);
/* Deletes an abandoned draft for good (audited); a sealed dossier is
 * refused with FK_STORE_ERROR_INVALID_TRANSITION, an unknown id with
 * FK_STORE_ERROR_NOT_FOUND. */
gboolean fk_store_delete_draft (FkStore *self, const char *id, GError **error);

/* ---- visits (fk-store-visit.c) ------------------------------------------ */

/* Visits (date, commune, hamlet, team) are encrypted with a device key,
 * since team members are named. Saving the same visit again replaces it. */
gboolean fk_store_save_visit (FkStore *self, FkVisit *visit, GError **error);
FkVisit *fk_store_load_visit (FkStore *self, const char *id, GError **error);
void fk_store_load_visit_async (FkStore *self, const char *id, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
FkVisit *fk_store_load_visit_finish (FkStore *self, GAsyncResult *result, GError **error);
/* (element-type FkVisit) (transfer full): every visit, planned ones (dated
 * after today) too, by date; a receipt names the next one to a hamlet. */
GPtrArray *fk_store_list_visits (FkStore *self, GError **error);
void fk_store_list_visits_async (FkStore *self, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *fk_store_list_visits_finish (FkStore *self, GAsyncResult *result, GError **error);

/* ---- reading and searching (fk-store-read.c) ---------------------------- */

/* (transfer full): dossier @id as sealed, its attachments listed with
 * their part names, plaintext sizes and SHA-256 (index i of that list is
 * attachment i below); a draft's dossier as saved (maybe incomplete, no
 * attachments listed). Needs the PIN. FK_STORE_ERROR_NOT_FOUND also once
 * the content was purged or discarded, _CORRUPT when it does not open. */
FkDossier *fk_store_read_dossier (FkStore *self, const char *id, GError **error);
void fk_store_read_dossier_async (FkStore *self, const char *id, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
FkDossier *fk_store_read_dossier_finish (FkStore *self, GAsyncResult *result, GError **error);
/* Decrypts attachment @index of dossier @id into @out, streamed; checks
 * its hashes. @info (nullable) receives sizes and hashes. */
gboolean fk_store_read_attachment (FkStore *self, const char *id, guint index, GOutputStream *out,
                                   FkVaultFileInfo *info, GCancellable *cancellable,
                                   GError **error);
/* The same into memory, in a worker thread: for small attachments such
 * as a fingerprint template. */
void fk_store_load_attachment_async (FkStore *self, const char *id, guint index,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data);
GBytes *fk_store_load_attachment_finish (FkStore *self, GAsyncResult *result, GError **error);
/* (element-type utf8) (transfer full): ids of the dossiers of the citizen
 * with this ID number (digits only count), found through the keyed hash,
 * oldest first; purged ones too. Needs the PIN. */
GPtrArray *fk_store_find_by_id_number (FkStore *self, const char *id_number, GError **error);
/* (element-type FkDossier) (transfer full): the sealed dossiers (no
 * drafts) that still hold their content and match @query, oldest first:
 * a query of digits (spaces allowed) is an ID number, looked up through
 * the keyed hash; anything else is a part of the citizen's name, compared
 * without accents or case, which decrypts every dossier. Needs the PIN. */
GPtrArray *fk_store_find_dossiers (FkStore *self, const char *query, GCancellable *cancellable,
                                   GError **error);
void fk_store_find_dossiers_async (FkStore *self, const char *query, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *fk_store_find_dossiers_finish (FkStore *self, GAsyncResult *result, GError **error);

/* ---- retention (fk-store-retention.c) ----------------------------------- */

/* Removes the sealed content of dossiers delivered more than
 * @older_than_seconds ago; keeps id, procedure, dates, the ID-number hash
 * and the receipt for result handover. */
gboolean fk_store_purge_delivered (FkStore *self, gint64 older_than_seconds, guint *out_purged,
                                   GError **error);
/* The retention period after delivery (setting "retention.seconds",
 * default FK_STORE_RETENTION_DEFAULT) and a purge that applies it. */
gint64 fk_store_get_retention (FkStore *self);
gboolean fk_store_set_retention (FkStore *self, gint64 seconds, GError **error);
gboolean fk_store_purge_expired (FkStore *self, guint *out_purged, GError **error);

/* ---- audit log (fk-audit.c) --------------------------------------------- */

/* Returns FALSE with FK_STORE_ERROR_CORRUPT naming the first broken entry
 * in the message and in @out_bad_seq. */
gboolean fk_store_verify_audit (FkStore *self, gint64 *out_bad_seq, guint64 *out_n_entries,
                                GError **error);

/* ---- what the server sends back (fk-store-catalog.c, fk-store-results.c) */

/* Settings the store reads itself: the server's receipt-verify key (base64,
 * from server.pub, written at set-up) and the pull cursors. */
#define FK_STORE_SETTING_SERVER_VERIFY_KEY "server_verify_key"
#define FK_STORE_SETTING_CATALOG_CURSOR    "sync.catalog_since"
#define FK_STORE_SETTING_RESULTS_CURSOR    "sync.results_since"

FkCatalog *fk_store_get_catalog (FkStore *self, GError **error);
char *fk_store_get_catalog_problem (FkStore *self);
gint64 fk_store_get_catalog_cursor (FkStore *self);
gboolean fk_store_apply_catalog (FkStore *self, gint64 seq, GBytes *body, const char *signature,
                                 gboolean *out_applied, GError **error);

typedef struct
{
  char *dossier_id;   /* UUID, lower case */
  char *status;       /* "ready", "rejected", "needs-documents"… */
  char *ready_at;     /* as the server wrote it, "" when it did not */
  gint64 received;    /* Unix time it reached this device */
  gint64 handed_over; /* Unix time of the handover, 0: not yet */
} FkStoreResult;

FkStoreResult *fk_store_result_new (const char *dossier_id, const char *status,
                                    const char *ready_at);
void fk_store_result_free (FkStoreResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkStoreResult, fk_store_result_free)
gint64 fk_store_get_results_cursor (FkStore *self);
gboolean fk_store_save_results (FkStore *self, GPtrArray *results, gint64 cursor, GError **error);
GPtrArray *fk_store_list_results (FkStore *self, GError **error);
FkStoreResult *fk_store_get_result (FkStore *self, const char *id);
gboolean fk_store_record_handover (FkStore *self, const char *id, GError **error);
guint fk_store_count_results_to_hand_over (FkStore *self, const char *commune_code,
                                           const char *hamlet, GError **error);
void fk_store_count_results_to_hand_over_async (FkStore *self, const char *commune_code,
                                                const char *hamlet, GCancellable *cancellable,
                                                GAsyncReadyCallback callback, gpointer user_data);
gint fk_store_count_results_to_hand_over_finish (FkStore *self, GAsyncResult *result,
                                                 GError **error);

/* ---- settings (fk-store-db.c) ------------------------------------------- */

/* A store whose setting FK_STORE_PRACTICE_SETTING is "1" is a practice
 * store (the app's practice profile): invented citizens only. Its
 * receipts carry the practice band, and what it uploads is marked as
 * practice, which the intake server refuses. */
#define FK_STORE_PRACTICE_SETTING "practice"
gboolean fk_store_is_practice (FkStore *self);

/* Plain values only, never personal data. */
char *fk_store_get_setting (FkStore *self, const char *key);
gboolean fk_store_set_setting (FkStore *self, const char *key, const char *value, GError **error);
/* The text settings whose key starts with @prefix: key → value. */
GHashTable *fk_store_list_settings (FkStore *self, const char *prefix);
/* Removes @key (there or not). */
gboolean fk_store_delete_setting (FkStore *self, const char *key, GError **error);

G_END_DECLS
