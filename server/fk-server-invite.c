/* fk-server-invite.c: making enrollment codes and drawing them as QR
 * codes (libqrencode)
 *
 * The token exists in the code only: the database keeps its SHA-256, so
 * a code that was lost is replaced by a new one, never shown again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-invite.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <qrencode.h>
#include <string.h>

#include "fk-enroll-code.h"
#include "fk-server-error.h"

/* Modules of light margin a reader needs around the code. */
#define QUIET_ZONE 4

char *
fk_server_invite_create (FkServerDb *db, const FkServerKeys *keys,
                         const FkServerInviteOptions *options, gint64 *expires_at, GError **error)
{
  g_autoptr (FkEnrollCode) code = g_new0 (FkEnrollCode, 1);
  g_autoptr (FkEnrollCode) check = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *text = NULL;
  g_autofree char *hash = NULL;

  if (options->url == NULL || options->url[0] == '\0')
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_CONFIG,
                   _ ("Say which address devices reach this server at: --url URL, or "
                      "public-url in the configuration"));
      return NULL;
    }
  if (options->hours < 1 || options->hours > FK_SERVER_INVITE_MAX_HOURS)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_CONFIG,
                   _ ("An enrollment code is valid for 1 to %d hours"), FK_SERVER_INVITE_MAX_HOURS);
      return NULL;
    }
  if (!fk_enroll_check_names (options->commune, options->name, &local))
    {
      g_set_error_literal (error, FK_SERVER_ERROR, FK_SERVER_ERROR_CONFIG, local->message);
      return NULL;
    }
  code->url = g_strdup (options->url);
  memcpy (code->box_key, keys->box_public, sizeof code->box_key);
  memcpy (code->verify_key, keys->sign_public, sizeof code->verify_key);
  code->token = fk_enroll_token_new ();
  code->commune = g_strdup (options->commune);
  code->name = g_strdup (options->name);
  code->expires = g_get_real_time () / G_USEC_PER_SEC + (gint64) options->hours * 3600;
  code->allow_http = options->allow_http;
  text = fk_enroll_code_format (code, keys->sign_secret);
  /* What a device will read back: a URL it would refuse is caught here. */
  check = fk_enroll_code_parse (text, NULL);
  if (check == NULL)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_CONFIG,
                   _ ("“%s” is not a server address a device can use (http:// or https://, "
                      "a host, no query)"),
                   options->url);
      return NULL;
    }
  hash = fk_enroll_token_hash (code->token);
  if (!fk_server_db_invitation_add (db, hash, code->commune, code->name,
                                    options->created_by != NULL ? options->created_by : "",
                                    code->expires, error))
    return NULL;
  if (expires_at != NULL)
    *expires_at = code->expires;
  return g_steal_pointer (&text);
}

static QRcode *
encode (const char *text, GError **error)
{
  QRcode *qr =
    QRcode_encodeData ((int) strlen (text), (const unsigned char *) text, 0, QR_ECLEVEL_M);

  if (qr == NULL)
    g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_FAILED,
                 _ ("The text does not fit a QR code: %s"), g_strerror (errno));
  return qr;
}

static gboolean
dark (const QRcode *qr, int x, int y)
{
  x -= QUIET_ZONE;
  y -= QUIET_ZONE;
  if (x < 0 || y < 0 || x >= qr->width || y >= qr->width)
    return FALSE;
  return (qr->data[y * qr->width + x] & 1) != 0;
}

char *
fk_server_qr_text (const char *text, GError **error)
{
  QRcode *qr = encode (text, error);
  GString *out;
  int size;

  if (qr == NULL)
    return NULL;
  size = qr->width + 2 * QUIET_ZONE;
  out = g_string_new (NULL);
  for (int y = 0; y < size; y += 2)
    {
      for (int x = 0; x < size; x++)
        {
          gboolean top = dark (qr, x, y);
          gboolean bottom = y + 1 < size && dark (qr, x, y + 1);

          g_string_append (out, top && bottom ? "█" : top ? "▀" : bottom ? "▄" : " ");
        }
      g_string_append_c (out, '\n');
    }
  QRcode_free (qr);
  return g_string_free (out, FALSE);
}

char *
fk_server_qr_svg (const char *text, GError **error)
{
  QRcode *qr = encode (text, error);
  GString *out;
  int size;

  if (qr == NULL)
    return NULL;
  size = qr->width + 2 * QUIET_ZONE;
  out = g_string_new (NULL);
  g_string_append_printf (
    out,
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\""
    " shape-rendering=\"crispEdges\" class=\"qr\" role=\"img\">"
    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
    size, size, size, size);
  for (int y = 0; y < size; y++)
    for (int x = 0; x < size; x++)
      if (dark (qr, x, y))
        g_string_append_printf (out, "M%d %dh1v1h-1z", x, y);
  g_string_append (out, "\"/></svg>");
  QRcode_free (qr);
  return g_string_free (out, FALSE);
}
