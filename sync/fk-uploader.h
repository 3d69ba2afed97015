/* fk-uploader.h: one batch of the outbox up to the intake server
 *
 * Blocking: run it in a worker thread (the scheduler does) or a CLI. Each
 * queued dossier's parts go up in resumable chunks from the offset the
 * server reports, then the manifest is committed; the dossier is marked
 * delivered only once the server's signed receipt verifies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fk-outbox.h"
#include "fk-sync-protocol.h"

G_BEGIN_DECLS

#define FK_SYNC_SETTING_SERVER_VERIFY_KEY FK_STORE_SETTING_SERVER_VERIFY_KEY

typedef struct
{
  guint delivered;      /* this batch */
  guint quarantined;    /* this batch */
  guint remaining;      /* still queued or uploading afterwards */
  guint64 bytes_acked;  /* part bytes the server confirmed */
  guint64 bytes_sent;   /* part bytes put on the wire, including lost ones */
  gint64 clock_offset;  /* seconds the server's clock is ahead of the device's */
  gboolean clock_known; /* the server answered, so clock_offset is its word */
} FkUploadSummary;

/* Called from the thread running fk_uploader_run(). */
typedef void (*FkUploadProgressFunc) (guint64 bytes_done, guint64 bytes_total, guint dossiers_done,
                                      guint dossiers_total, gpointer user_data);

typedef struct
{
  guint chunk_size;      /* 0: FK_SYNC_DEFAULT_CHUNK_BYTES */
  guint timeout_seconds; /* per request; 0: 30 */
  guint max_retries;     /* consecutive failures before giving up the batch; 0: 8 */
  guint retry_delay_ms;  /* pause before a second failure in a row is retried, doubling
                            after each further one (the first retry is at once); 0: 500 */
  guint64 max_bytes;     /* stop before putting more part bytes on the wire; 0: no cap */
  const char *ca_file;   /* PEM certificates to trust for https; NULL: the system's */
  FkUploadProgressFunc progress;
  gpointer progress_data;
} FkUploadOptions;

gboolean fk_uploader_get_verify_key (FkStore *store, guint8 key[FK_SYNC_KEY_BYTES], GError **error);

/* Unix time of the last batch that sent every dossier it had, 0: never. */
gint64 fk_uploader_get_last_success (FkStore *store);

gboolean fk_uploader_run (FkStore *store, const char *server_url, const FkUploadOptions *options,
                          FkUploadSummary *summary, GCancellable *cancellable, GError **error);

G_END_DECLS
