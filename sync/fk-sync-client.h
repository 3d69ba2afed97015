/* fk-sync-client.h: signed requests to the intake server over libsoup 3
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "fk-device-key.h"

G_BEGIN_DECLS

typedef enum
{
  FK_SYNC_OUTCOME_OK,
  FK_SYNC_OUTCOME_AUTH,      /* 401/403: nothing for this device until fixed */
  FK_SYNC_OUTCOME_REJECTED,  /* other 4xx: permanent for this request */
  FK_SYNC_OUTCOME_TRANSIENT, /* network, timeout, 408, 429, 5xx, a body damaged on the way */
} FkSyncOutcome;

/* A request whose body the server received damaged is sent again at once,
 * this many times, before it counts as failed. */
#define FK_SYNC_CORRUPT_RETRIES 3

typedef struct
{
  guint status; /* 0 when no response arrived */
  GBytes *body;
  SoupMessageHeaders *headers;
  char *error_code; /* the server's "error" member, or NULL */
  char *message;    /* the server's or the network's reason */
} FkSyncResponse;

void fk_sync_response_free (FkSyncResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkSyncResponse, fk_sync_response_free)
FkSyncOutcome fk_sync_response_outcome (const FkSyncResponse *response);

typedef struct _FkSyncClient FkSyncClient;

/* @device_key is borrowed and must outlive the client. */
FkSyncClient *fk_sync_client_new (const char *server_url, FkDeviceKey *device_key,
                                  guint timeout_seconds, GError **error);
void fk_sync_client_free (FkSyncClient *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkSyncClient, fk_sync_client_free)
const char *fk_sync_client_get_device (FkSyncClient *self);
/* Trust the certificates in @ca_file (PEM) instead of the system's, for a
 * server with a certificate of the province's own authority. */
gboolean fk_sync_client_set_ca_file (FkSyncClient *self, const char *ca_file, GError **error);

/* Seconds the server's clock is ahead of this device's, as learnt from the
 * server's answers (0 until one differs by more than a little). Requests
 * are signed with the device's clock corrected by it. */
gint64 fk_sync_client_get_clock_offset (FkSyncClient *self);
/* Whether any answer has told the server's time yet. */
gboolean fk_sync_client_get_clock_known (FkSyncClient *self);
/* (nullable): what to tell the officer about a clock @offset seconds off
 * the server's, in their language; NULL when it is close enough. */
char *fk_sync_clock_warning (gint64 offset);

/* Always returns a response; status 0 and a message when the request did
 * not complete (cut, refused, timed out, cancelled). @extra_header/@value
 * may be NULL. A refusal for the device's clock is retried once with the
 * server's time, a body damaged on the way up to FK_SYNC_CORRUPT_RETRIES
 * times. */
FkSyncResponse *fk_sync_client_send (FkSyncClient *self, const char *method, const char *target,
                                     GBytes *body, const char *extra_header,
                                     const char *extra_value, GCancellable *cancellable);

G_END_DECLS
