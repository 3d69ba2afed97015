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
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "fk-device-key.h"
#include "fk-vault.h"

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

/* Sets up a new store in @dir (created if missing, must hold no store).
 * @out_recovery_code receives the administrator's recovery code, shown once. */
FkStore *fk_store_create (const char *dir, const FkStoreInitOptions *options,
                          char **out_recovery_code, GError **error);
FkStore *fk_store_open (const char *dir, FkStoreOpenFlags flags, GError **error);

const char *fk_store_get_dir (FkStore *self);
FkDeviceKey *fk_store_get_device_key (FkStore *self);
const guint8 *fk_store_get_server_public_key (FkStore *self);

/* PIN (fk-pin-lock.c). Each try is counted durably before the PIN is
 * checked; FK_SYNC_ERROR_WRONG_PIN, _PIN_DELAY (message says how long to
 * wait) or _PIN_LOCKED. */
gboolean fk_store_unlock (FkStore *self, const char *pin, GError **error);
/* Argon2id takes about a second on a Raspberry Pi 4: keep it off the GUI's
 * main thread. */
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
 * clears the lock-out; the vault's contents are kept. */
gboolean fk_store_reset_pin (FkStore *self, const char *recovery_code, const char *new_pin,
                             GError **error);
gboolean fk_store_check_recovery_code (FkStore *self, const char *recovery_code, GError **error);

/* Dossiers (fk-store-dossier.c). An attachment to seal: */
typedef struct
{
  char *kind; /* fk_attachment_kind_to_string() */
  GFile *file;
} FkStoreAttachment;

FkStoreAttachment *fk_store_attachment_new (const char *kind, GFile *file);
void fk_store_attachment_free (FkStoreAttachment *attachment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkStoreAttachment, fk_store_attachment_free)

/* Validates @dossier (JSON object: procedure, citizen, fields, optional id)
 * against the catalog, seals it and its attachments, and commits durably
 * in state @state (sealed or queued). Needs the vault unlocked.
 * Returns the dossier UUID once the commit is on disk; when a dossier with
 * the same id was already committed, returns its UUID and sets
 * @out_existed; a draft with the same id is sealed. */
char *fk_store_commit_dossier (FkStore *self, JsonObject *dossier, GPtrArray *attachments,
                               gboolean queue, gboolean *out_existed, GCancellable *cancellable,
                               GError **error);
void fk_store_commit_dossier_async (FkStore *self, JsonObject *dossier, GPtrArray *attachments,
                                    gboolean queue, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
char *fk_store_commit_dossier_finish (FkStore *self, GAsyncResult *result, GError **error);

/* Saves unfinished work in state draft, encrypted under the dossier's own
 * data key (nothing is sealed for upload yet); saving the same id again
 * updates it. The JSON may lack anything, the procedure too (it is listed
 * as ""); committing a dossier with the draft's id seals it
 * (draft → sealed), and that needs the procedure.
 * Needs the vault unlocked. Returns the dossier UUID. */
char *fk_store_save_draft (FkStore *self, JsonObject *dossier, GError **error);
/* Deletes an abandoned draft for good (audited); a sealed dossier is
 * refused with FK_SYNC_ERROR_INVALID_TRANSITION. */
gboolean fk_store_delete_draft (FkStore *self, const char *id, GError **error);

/* Visits (date, commune, hamlet, team): encrypted with a device key, since
 * team members are named. */
gboolean fk_store_save_visit (FkStore *self, JsonNode *visit, GError **error);
JsonNode *fk_store_load_visit (FkStore *self, const char *id, GError **error);

/* (transfer full): the decrypted dossier JSON, as sealed (a draft: as saved) (with the
 * attachments' part names, sizes and plaintext SHA-256). Needs the PIN. */
JsonNode *fk_store_read_dossier (FkStore *self, const char *id, GError **error);
/* Decrypts attachment @index of dossier @id into @out; checks its hashes. */
gboolean fk_store_read_attachment (FkStore *self, const char *id, guint index, GOutputStream *out,
                                   FkVaultFileInfo *info, GCancellable *cancellable,
                                   GError **error);
/* (element-type utf8) (transfer full): dossiers of the citizen with this ID
 * number, found through the keyed hash. Needs the PIN. */
GPtrArray *fk_store_find_by_id_number (FkStore *self, const char *id_number, GError **error);

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

/* Audit log (fk-audit.c). Returns FALSE with FK_SYNC_ERROR_CORRUPT naming
 * the first broken entry in the message and in @out_bad_seq. */
gboolean fk_store_verify_audit (FkStore *self, gint64 *out_bad_seq, guint64 *out_n_entries,
                                GError **error);

/* Settings (plain values only, never personal data). */
char *fk_store_get_setting (FkStore *self, const char *key);
gboolean fk_store_set_setting (FkStore *self, const char *key, const char *value, GError **error);

G_END_DECLS
