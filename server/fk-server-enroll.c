/* fk-server-enroll.c: POST /v1/enroll, a device that presents an
 * enrollment code's token in a request signed with its own key
 *
 * The device is not enrolled yet, so the usual checks stop short of the
 * device table: body, clock, nonce. The token is then taken and the device
 * enrolled in one transaction (fk-server-db-invite.c); a refusal changes
 * nothing but the nonce. The answer is signed with the server's receipt
 * key, which the code gave the device, so a device that reached some other
 * server finds out before it keeps anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-private.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "fk-enroll-code.h"
#include "fk-server-error.h"
#include "fk-sync-error.h"

static FkServerResponse *
refused (const GError *error)
{
  if (g_error_matches (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVITATION_INVALID))
    return fk_server_response_error (403, FK_ENROLL_CODE_UNKNOWN, error->message);
  if (g_error_matches (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVITATION_USED))
    return fk_server_response_error (403, FK_ENROLL_CODE_USED, error->message);
  if (g_error_matches (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVITATION_EXPIRED))
    return fk_server_response_error (403, FK_ENROLL_CODE_EXPIRED, error->message);
  if (g_error_matches (error, FK_SERVER_ERROR, FK_SERVER_ERROR_EXISTS))
    return fk_server_response_error (409, FK_ENROLL_CODE_ENROLLED,
                                     _ ("This device is enrolled already"));
  g_warning ("storage: %s", error->message);
  {
    FkServerResponse *r = fk_server_response_error (
      503, "storage", _ ("The server cannot store data right now; try again later"));

    fk_server_response_add_header (r, "Retry-After", "5");
    return r;
  }
}

static FkServerResponse *
answer (FkServer *self, const char *device, const char *commune, const char *name)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *enrolled_at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  FkEnrollAnswer a = { (char *) device, (char *) commune, (char *) name, enrolled_at };
  gsize len = 0;
  g_autofree char *json = fk_enroll_answer_to_json (&a, &len);
  g_autofree char *sig = fk_sync_sign (self->keys->sign_secret, json, len);
  FkServerResponse *r = fk_server_response_new (200);

  r->content_type = "application/json";
  r->body = g_bytes_new (json, len);
  fk_server_response_add_header (r, FK_SYNC_HEADER_RECEIPT_SIG, sig);
  return r;
}

FkServerResponse *
fk_server_enroll (FkServer *self, FkServerRequest *req)
{
  FkSyncRequestAuth *auth = req->auth;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *server_key = NULL;
  g_autofree char *own_key = fk_sync_key_to_base64 (self->keys->sign_public);
  g_autofree char *hash = NULL;
  g_autofree char *commune = NULL;
  g_autofree char *name = NULL;
  gboolean fresh = FALSE;

  if (strcmp (req->method, "POST") != 0)
    return fk_server_response_error (405, "method", _ ("This method is not allowed here"));
  if (!fk_sync_request_check_body (auth, req->body->data, req->body->len, &error))
    return fk_server_response_error (400, FK_SYNC_CODE_BODY_CORRUPTED, error->message);
  if (!fk_sync_request_check_clock (auth, g_get_real_time () / G_USEC_PER_SEC, &error))
    return fk_server_clock_refused (error);
  if (!fk_enroll_request_parse ((const char *) req->body->data, req->body->len, &token, &server_key,
                                &error))
    return fk_server_response_error (400, "malformed", error->message);
  if (!fk_server_db_nonce_use (self->db, auth->device, auth->nonce, auth->timestamp, &fresh,
                               &error))
    return refused (error);
  if (!fresh)
    return fk_server_response_error (401, "replayed", _ ("This request was already received once"));
  /* Compared in constant time: the key is public, but the habit is cheap. */
  if (strlen (server_key) != strlen (own_key) ||
      sodium_memcmp (server_key, own_key, strlen (own_key)) != 0)
    return fk_server_response_error (
      403, FK_ENROLL_CODE_OTHER_SERVER,
      _ ("This enrollment code was made by another server than the one at this address"));
  hash = fk_enroll_token_hash (token);
  sodium_memzero (token, strlen (token));
  if (!fk_server_db_invitation_use (self->db, hash, auth->device,
                                    g_get_real_time () / G_USEC_PER_SEC, &commune, &name, &error))
    return refused (error);
  g_free (req->device_name);
  req->device_name = g_strdup (name);
  fk_server_device_seen (self, auth->device, name);
  g_message ("device %s enrolled for commune %s with an enrollment code", name, commune);
  return answer (self, auth->device, commune, name);
}
