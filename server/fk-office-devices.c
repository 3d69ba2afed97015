/* fk-office-devices.c: the commune's devices: enroll one from its key,
 * name it, tie it to a commune, revoke it; when each was last seen and
 * how its queue stood at its last report
 *
 * The key is pasted, or read from a photo of the QR code the device shows
 * in its Settings (a phone's or tablet's camera, through the file input).
 * Enrolling and revoking go through the same calls as `fieldkit-server
 * device add` and `device revoke`; both are written to the audit trail.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-page.h"

#include <string.h>

#include "fk-admin-units.h"
#include "fk-server-error.h"

typedef struct
{
  gint64 queued; /* -1: never reported */
  gint64 quarantined;
  gint64 at;
} Queue;

static gboolean
read_queues (FkOffice *office, GHashTable *queues, GError **error)
{
  g_autoptr (FkDbConn) conn = fk_db_acquire (office->db, FALSE, error);
  g_autoptr (FkDbResult) res = NULL;

  if (conn == NULL)
    return FALSE;
  res = FK_DB_QUERY0 (conn, "SELECT pubkey, queue_queued, queue_quarantined, queue_at FROM devices",
                      error);
  if (res == NULL)
    return FALSE;
  for (guint i = 0; i < res->rows->len; i++)
    {
      Queue *q = g_new0 (Queue, 1);

      q->queued = fk_db_cell_int (res, i, 1);
      q->quarantined = fk_db_cell_int (res, i, 2);
      q->at = fk_db_cell_int (res, i, 3);
      g_hash_table_insert (queues, g_strdup (fk_db_cell_text (res, i, 0)), q);
    }
  return TRUE;
}

static const char *
queue_text (FkOfficeContext *ctx, const Queue *q)
{
  if (q == NULL || q->queued < 0)
    return _ ("not reported yet");
  return fk_office_printf (
    ctx, _ ("%s waiting, %s refused (%s)"), fk_office_printf (ctx, "%" G_GINT64_FORMAT, q->queued),
    fk_office_printf (ctx, "%" G_GINT64_FORMAT, q->quarantined), fk_office_time (ctx, q->at));
}

static const char *
iso_time (FkOfficeContext *ctx, const char *iso)
{
  g_autoptr (GDateTime) when = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;

  return when != NULL ? fk_office_time (ctx, g_date_time_to_unix (when)) : "";
}

static void
device_row (FkOfficeContext *ctx, GString *out, FkServerDevice *d, const Queue *q)
{
  gboolean admin = fk_office_user_has (ctx, FK_OFFICE_ROLE_ADMIN);

  fk_html (out,
           "<tr><td data-label=\"{}\">{}</td><td data-label=\"{}\">{}</td>"
           "<td data-label=\"{}\"><code class=\"key\">{}</code></td><td data-label=\"{}\">{}</td>"
           "<td data-label=\"{}\">{}</td><td data-label=\"{}\">{}</td>"
           "<td data-label=\"{}\"><span class=\"badge state-{}\">{}</span></td><td>",
           _ ("Name"), d->name, _ ("Commune"), fk_office_commune_name (ctx, d->commune), _ ("Key"),
           d->pubkey, _ ("Enrolled"), iso_time (ctx, d->created_at), _ ("Last seen"),
           d->last_seen > 0 ? fk_office_time (ctx, d->last_seen) : _ ("never"), _ ("Queue"),
           queue_text (ctx, q), _ ("State"), d->revoked ? "rejected" : "ready",
           d->revoked ? _ ("revoked") : _ ("active"), NULL);
  if (admin && !d->revoked)
    {
      fk_html (out,
               "<form class=\"inline\" method=\"post\" action=\"/office/devices/revoke\" "
               "data-confirm=\"{}\">",
               fk_office_printf (ctx, _ ("Revoke %s? It can no longer send dossiers."), d->name),
               NULL);
      fk_office_csrf_field (ctx, out);
      fk_html (out,
               "<input type=\"hidden\" name=\"pubkey\" value=\"{}\">"
               "<button class=\"danger\" type=\"submit\">{}</button></form>",
               d->pubkey, _ ("Revoke"), NULL);
    }
  g_string_append (out, "</td></tr>");
}

static void
enroll_form (FkOfficeContext *ctx, GString *out)
{
  fk_html (out,
           "<section><h2>{}</h2><form class=\"stacked\" method=\"post\" "
           "action=\"/office/devices/enroll\" enctype=\"multipart/form-data\">",
           _ ("Enroll a device"), NULL);
  fk_office_csrf_field (ctx, out);
  fk_html (out,
           "<label for=\"pubkey\">{}</label><input id=\"pubkey\" name=\"pubkey\" "
           "autocomplete=\"off\" spellcheck=\"false\"><p class=\"hint\">{}</p>"
           "<label for=\"keyphoto\">{}</label><input id=\"keyphoto\" name=\"keyphoto\" "
           "type=\"file\" accept=\"image/*\" capture=\"environment\"><p class=\"hint\">{}</p>",
           _ ("The device's key"),
           _ ("Shown on the device in Settings, or printed by “fieldkit-ctl device-key”."),
           _ ("Or a photo of the device's QR code"),
           _ ("The code beside the key in the device's Settings (JPEG or PNG)."), NULL);
  fk_html (out,
           "<label for=\"dname\">{}</label><input id=\"dname\" name=\"name\" required "
           "maxlength=\"64\" autocomplete=\"off\"><p class=\"hint\">{}</p>"
           "<label for=\"commune\">{}</label><input id=\"commune\" name=\"commune\" required "
           "inputmode=\"numeric\" maxlength=\"5\" autocomplete=\"off\">"
           "<button class=\"primary\" type=\"submit\">{}</button></form></section>",
           _ ("Name"), _ ("Its asset tag, such as tablet-07 — never a person's name."),
           _ ("Commune code (5 digits)"), _ ("Enroll"), NULL);
}

static FkServerResponse *
devices_page (FkOfficeContext *ctx, guint status, const char *message, gboolean error_message)
{
  g_autoptr (GString) body = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) devices = fk_server_db_device_list (ctx->office->db, &error);
  g_autoptr (GHashTable) queues = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  fk_html (body, "<h1>{}</h1>", _ ("Devices"), NULL);
  if (message != NULL)
    fk_html (body, "<p class=\"{!}\" role=\"status\">{}</p>", error_message ? "notice" : "done",
             message, NULL);
  if (devices == NULL || !read_queues (ctx->office, queues, &error))
    {
      g_warning ("office: devices: %s", error->message);
      fk_html (body, "<p class=\"notice\">{}</p>",
               _ ("The devices cannot be read right now; try again in a minute."), NULL);
      return fk_office_page (ctx, 503, _ ("Devices"), "/office/devices", body);
    }
  fk_html (body,
           "<div class=\"table-wrap\"><table class=\"responsive devices\"><thead><tr><th>{}</th>"
           "<th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr>"
           "</thead><tbody>",
           _ ("Name"), _ ("Commune"), _ ("Key"), _ ("Enrolled"), _ ("Last seen"), _ ("Queue"),
           _ ("State"), NULL);
  for (guint i = 0; i < devices->len; i++)
    {
      FkServerDevice *d = devices->pdata[i];

      device_row (ctx, body, d, g_hash_table_lookup (queues, d->pubkey));
    }
  g_string_append (body, "</tbody></table></div>");
  if (devices->len == 0)
    fk_html (body, "<p class=\"hint\">{}</p>", _ ("No device is enrolled yet."), NULL);
  if (fk_office_user_has (ctx, FK_OFFICE_ROLE_ADMIN))
    enroll_form (ctx, body);
  return fk_office_page (ctx, status, _ ("Devices"), "/office/devices", body);
}

FkServerResponse *
fk_office_devices_page (FkOfficeContext *ctx)
{
  const char *done = fk_office_query (ctx, "done");

  return devices_page (ctx, 200,
                       g_strcmp0 (done, "enrolled") == 0  ? _ ("The device is enrolled.")
                       : g_strcmp0 (done, "revoked") == 0 ? _ ("The device is revoked.")
                                                          : NULL,
                       FALSE);
}

static gboolean
is_commune (const char *code)
{
  FkAdminUnits *units = fk_admin_units_get_default (NULL);
  const FkAdminUnit *unit =
    units != NULL && code != NULL ? fk_admin_units_lookup (units, code) : NULL;

  return unit != NULL && unit->level == FK_ADMIN_LEVEL_COMMUNE;
}

/* The key pasted, or else read from the photo of the device's QR code;
 * NULL with the reason in @problem. */
static char *
given_key (FkOfficeContext *ctx, const char **problem)
{
  const char *pasted = fk_office_form (ctx, "pubkey");
  GBytes *photo = g_hash_table_lookup (ctx->files, "keyphoto");
  g_autofree char *key = g_strstrip (g_strdup (pasted != NULL ? pasted : ""));
  guint8 raw[FK_SYNC_KEY_BYTES];
  FkOfficeQrProblem qr_problem;

  if (*key == '\0' && photo != NULL)
    {
      g_free (key);
      key = fk_office_qr_read (photo, &qr_problem);
      if (key == NULL)
        {
          *problem =
            qr_problem == FK_OFFICE_QR_TOO_LARGE
              ? _ ("The photo is too large: take it again at a lower resolution, or crop it to "
                   "the code.")
            : qr_problem == FK_OFFICE_QR_NONE
              ? _ ("No QR code was found in the photo: take it again, close to the code, sharp "
                   "and without glare.")
              : _ ("The file is not a photo the office can read: send a JPEG or PNG picture.");
          return NULL;
        }
      g_strstrip (key);
      if (!fk_sync_key_from_base64 (key, raw, NULL))
        {
          *problem = _ ("The QR code in the photo is not a device key: photograph the code "
                        "beside the key in the device's Settings.");
          return NULL;
        }
      return g_steal_pointer (&key);
    }
  if (*key == '\0')
    {
      *problem = _ ("Paste the device's key, or choose a photo of its QR code.");
      return NULL;
    }
  if (!fk_sync_key_from_base64 (key, raw, NULL))
    {
      *problem = _ ("This is not a device key: copy it whole from the device.");
      return NULL;
    }
  return g_steal_pointer (&key);
}

FkServerResponse *
fk_office_devices_enroll_post (FkOfficeContext *ctx)
{
  g_autoptr (GError) error = NULL;
  const char *name = fk_office_form (ctx, "name");
  const char *commune = fk_office_form (ctx, "commune");
  const char *problem = NULL;
  g_autofree char *key = given_key (ctx, &problem);
  g_autofree char *clean_name = g_strstrip (g_strdup (name != NULL ? name : ""));

  if (key == NULL)
    return devices_page (ctx, 400, problem, TRUE);
  if (*clean_name == '\0' || g_utf8_strlen (clean_name, -1) > 64)
    return devices_page (ctx, 400, _ ("Give the device a name (at most 64 characters)."), TRUE);
  if (!is_commune (commune))
    return devices_page (ctx, 400, _ ("Give the 5-digit code of a commune (2025 units)."), TRUE);
  if (!fk_server_db_device_add (ctx->office->db, key, clean_name, commune, &error))
    {
      if (g_error_matches (error, FK_SERVER_ERROR, FK_SERVER_ERROR_EXISTS))
        return devices_page (ctx, 409, _ ("This device is enrolled already."), TRUE);
      g_warning ("office: enrolling a device: %s", error->message);
      return devices_page (ctx, 503, _ ("The device cannot be enrolled right now; try again."),
                           TRUE);
    }
  fk_office_audit (ctx->office, ctx->user->name, "device-enroll", NULL, clean_name, NULL);
  return fk_office_redirect (ctx, "/office/devices?done=enrolled");
}

FkServerResponse *
fk_office_devices_revoke_post (FkOfficeContext *ctx)
{
  g_autoptr (GError) error = NULL;
  const char *pubkey = fk_office_form (ctx, "pubkey");

  if (pubkey == NULL || !fk_server_db_device_revoke (ctx->office->db, pubkey, &error))
    {
      if (error != NULL && !g_error_matches (error, FK_SERVER_ERROR, FK_SERVER_ERROR_NOT_FOUND))
        {
          g_warning ("office: revoking a device: %s", error->message);
          return devices_page (ctx, 503, _ ("The device cannot be revoked right now; try again."),
                               TRUE);
        }
      return devices_page (ctx, 404, _ ("No device with this key is enrolled."), TRUE);
    }
  fk_office_audit (ctx->office, ctx->user->name, "device-revoke", NULL, pubkey, NULL);
  return fk_office_redirect (ctx, "/office/devices?done=revoked");
}
