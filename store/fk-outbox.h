/* fk-outbox.h: the per-dossier upload queue of the device store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * State machine, changed only through fk_outbox_transition():
 *
 *   draft → sealed → queued → uploading → delivered (server receipt kept)
 *                      ↑          │     ↘ quarantined (reason)
 *                      └──────────┘ (attempt failed)   │
 *                      ↑───────────────────────────────┘ (retry)
 *                                                          │
 *                                    discarded (content erased) ←┘
 *
 * Every transition appends a signed entry to the audit log in the same
 * transaction. Upload parts are the sealed files exactly as they are on
 * disk: the sealed dossier blob (kind "dossier", FKD1) and one sealed file
 * (FKF1) per attachment, written once when the dossier was committed.
 */
#pragma once

#include "fk-store.h"

G_BEGIN_DECLS

typedef enum
{
  FK_OUTBOX_DRAFT,
  FK_OUTBOX_SEALED,
  FK_OUTBOX_QUEUED,
  FK_OUTBOX_UPLOADING,
  FK_OUTBOX_DELIVERED,
  FK_OUTBOX_QUARANTINED,
  FK_OUTBOX_DISCARDED,
} FkOutboxState;

#define FK_OUTBOX_ANY_STATE    ((FkOutboxState) -1)
#define FK_OUTBOX_PART_DOSSIER "dossier"

const char *fk_outbox_state_to_string (FkOutboxState state);
gboolean fk_outbox_state_from_string (const char *name, FkOutboxState *state);

/* One dossier in the queue; no personal data. */
typedef struct
{
  char *id; /* dossier UUID */
  FkOutboxState state;
  char *procedure; /* catalog code */
  gint64 created;  /* Unix time, seconds */
  gint64 changed;  /* last transition, Unix time */
  guint64 bytes;   /* sum of the sealed parts */
  guint attempts;  /* upload attempts started */
  char *reason;    /* quarantine reason, or NULL */
} FkOutboxEntry;

void fk_outbox_entry_free (FkOutboxEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkOutboxEntry, fk_outbox_entry_free)

/* One sealed file to upload. */
typedef struct
{
  char *kind;      /* FK_OUTBOX_PART_DOSSIER or the attachment kind */
  char *name;      /* random file name, never personal data */
  char *path;      /* absolute path on disk */
  guint64 size;    /* bytes on disk */
  char sha256[65]; /* lower-case hex SHA-256 of the bytes on disk */
} FkOutboxPart;

void fk_outbox_part_free (FkOutboxPart *part);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkOutboxPart, fk_outbox_part_free)

/* (element-type FkOutboxEntry) (transfer full); in the order the dossiers
 * were first saved.
 * @state FK_OUTBOX_ANY_STATE lists every dossier. */
GPtrArray *fk_outbox_list (FkStore *store, FkOutboxState state, GError **error);
FkOutboxEntry *fk_outbox_get (FkStore *store, const char *id, GError **error);

/* (element-type FkOutboxPart) (transfer full): the dossier blob first,
 * then the attachments in their order. Empty once purged. */
GPtrArray *fk_outbox_list_parts (FkStore *store, const char *id, GError **error);

/* The one way to change a dossier's state. @reason is required for
 * quarantined; @receipt (the server's receipt, opaque) is required for
 * delivered. Fails with FK_STORE_ERROR_INVALID_TRANSITION otherwise.
 * Discarded (only from quarantined) erases the dossier's sealed content,
 * parts and key for good; id, procedure, dates and the quarantine reason
 * stay for the audit log and the reports. */
gboolean fk_outbox_transition (FkStore *store, const char *id, FkOutboxState to, const char *reason,
                               GBytes *receipt, GError **error);

/* (transfer full) (nullable): the receipt recorded on delivery. */
GBytes *fk_outbox_get_receipt (FkStore *store, const char *id, GError **error);

G_END_DECLS
