/* fk-server-invite.h: making enrollment codes (invitations) and drawing
 * them as QR codes, for `device invite` and the office
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fk-server-db.h"
#include "fk-server-keys.h"

G_BEGIN_DECLS

#define FK_SERVER_INVITE_MAX_HOURS (24 * 30)

typedef struct
{
  const char *url; /* the address devices reach this server at */
  const char *commune;
  const char *name;
  guint hours;         /* 1 … FK_SERVER_INVITE_MAX_HOURS */
  gboolean allow_http; /* the administrator allows plain HTTP to a remote server */
  const char *created_by;
} FkServerInviteOptions;

/* Stores a new invitation and returns its code as text (the token is in
 * it and nowhere else); @expires_at (out) (optional): Unix time. */
char *fk_server_invite_create (FkServerDb *db, const FkServerKeys *keys,
                               const FkServerInviteOptions *options, gint64 *expires_at,
                               GError **error);

/* The QR code of @text for a terminal: two rows of modules per line in
 * Unicode half blocks, dark modules drawn, a quiet zone around. */
char *fk_server_qr_text (const char *text, GError **error);
/* The same as an SVG element (no script, no external reference), for a
 * page. */
char *fk_server_qr_svg (const char *text, GError **error);

G_END_DECLS
