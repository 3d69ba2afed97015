/* fk-enroll.h: a new device joins its commune's server with an enrollment
 * code: the store is made, its key presented with the code's token, and
 * either the device comes out enrolled or nothing of it is left
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fk-enroll-code.h"
#include "fk-store.h"

G_BEGIN_DECLS

/* Store settings written once the server has enrolled the device. */
#define FK_SYNC_SETTING_SERVER_URL  "server_url"
#define FK_SYNC_SETTING_COMMUNE     "enrolled_commune"
#define FK_SYNC_SETTING_DEVICE_NAME "enrolled_name"

typedef struct
{
  const char *pin;
  guint64 pin_opslimit; /* 0: the store's default */
  gsize pin_memlimit;   /* 0: the store's default */
  gboolean allow_http;  /* the operator allows plain HTTP to a remote server */
  const char *ca_file;  /* (nullable) certificates to trust instead of the system's */
  guint timeout_seconds;
} FkEnrollOptions;

/* POST /v1/enroll for @store's device key; the answer must be signed by
 * the code's server. Writes the server's address, receipt key, commune and
 * name into the store's settings. Blocking. */
FkEnrollAnswer *fk_sync_enroll (FkStore *store, const FkEnrollCode *code, const char *ca_file,
                                guint timeout_seconds, GCancellable *cancellable, GError **error);

/* Makes a store in @dir (which must be missing or empty) for @code's
 * server and enrolls it; on any failure removes what it made, so a retry
 * starts clean. @out_recovery_code: as fk_store_create(). Blocking. */
FkStore *fk_enroll_new_device (const char *dir, const FkEnrollCode *code,
                               const FkEnrollOptions *options, char **out_recovery_code,
                               FkEnrollAnswer **out_answer, GCancellable *cancellable,
                               GError **error);
/* The same in a worker thread; @options and the PIN are copied before
 * this returns. */
void fk_enroll_new_device_async (const char *dir, const FkEnrollCode *code,
                                 const FkEnrollOptions *options, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
FkStore *fk_enroll_new_device_finish (GAsyncResult *result, char **out_recovery_code,
                                      FkEnrollAnswer **out_answer, GError **error);

G_END_DECLS
