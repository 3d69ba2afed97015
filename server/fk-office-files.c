/* fk-office-files.c: opening a dossier for an account, its photos and
 * fingerprint image, and their large view
 *
 * Who may open what is decided here for every page that shows a
 * dossier's personal data: a receiver only their commune's dossiers (a
 * refusal is written to the audit trail too), a supervisor every
 * commune's. Each opening — the dossier's page, each file — is written to
 * the audit trail before anything is shown. The dossier and its files are
 * decrypted in memory with the server's key and never written anywhere.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-page.h"

#include <gio/gio.h>
#include <string.h>

#include "fk-server-error.h"

/* The largest file the office shows (a photo is far smaller). */
#define MAX_FILE_BYTES (64 * 1024 * 1024)

void
fk_office_opened_free (FkOfficeOpened *o)
{
  if (o == NULL)
    return;
  fk_office_row_free (o->row);
  fk_server_commit_free (o->commit);
  g_clear_pointer (&o->manifest, fk_sync_manifest_free);
  g_clear_object (&o->dossier);
  g_clear_pointer (&o->data_key, fk_vault_key_free);
  g_free (o);
}

static FkServerResponse *
not_found (FkOfficeContext *ctx)
{
  return fk_office_message_page (ctx, 404, _ ("Not found"),
                                 _ ("There is no such dossier on this server."));
}

static FkServerResponse *
unavailable (FkOfficeContext *ctx, const GError *error)
{
  g_warning ("office: opening a dossier: %s", error->message);
  return fk_office_message_page (ctx, 503, _ ("The dossier cannot be opened"),
                                 _ ("The server cannot read this dossier right now. Try again in a "
                                    "minute; if it lasts, tell the server's administrator."));
}

/* The row of @uuid if this account may see it; else the refusal. */
FkServerResponse *
fk_office_dossier_access (FkOfficeContext *ctx, const char *uuid, FkOfficeRow **out)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *canonical = NULL;
  g_autoptr (FkOfficeRow) row = NULL;

  if (uuid == NULL || !g_uuid_string_is_valid (uuid))
    return not_found (ctx);
  canonical = fk_sync_uuid_canonical (uuid);
  row = fk_office_dossier_row (ctx->office, canonical, &error);
  if (row == NULL)
    return g_error_matches (error, FK_SERVER_ERROR, FK_SERVER_ERROR_NOT_FOUND)
             ? not_found (ctx)
             : unavailable (ctx, error);
  if (ctx->user->role == FK_OFFICE_ROLE_RECEIVER && strcmp (row->commune, ctx->user->commune) != 0)
    {
      fk_office_audit (ctx->office, ctx->user->name, "refused", row->dossier, "another commune",
                       NULL);
      return fk_office_message_page (ctx, 403, _ ("Not for your account"),
                                     _ ("This dossier belongs to another commune: only its own "
                                        "receivers and the supervisors may open it."));
    }
  *out = g_steal_pointer (&row);
  return NULL;
}

/**
 * fk_office_open_dossier:
 * @action: (nullable): what the audit trail records ("open"…); %NULL
 *   when the caller writes it once it knows what it will show
 * @detail: (nullable): which part, for the audit trail
 *
 * Checks that the account may see @uuid, writes the opening to the audit
 * trail, and opens the dossier in memory.
 *
 * Returns: (nullable): %NULL and @out on success, else the answer
 */
FkServerResponse *
fk_office_open_dossier (FkOfficeContext *ctx, const char *uuid, const char *action,
                        const char *detail, FkOfficeOpened **out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkOfficeOpened) o = g_new0 (FkOfficeOpened, 1);
  FkServerResponse *refused = fk_office_dossier_access (ctx, uuid, &o->row);
  gsize len = 0;
  const char *data;

  if (refused != NULL)
    return refused;
  /* Written before anything is shown: an opening is never missed. */
  if (action != NULL &&
      !fk_office_audit (ctx->office, ctx->user->name, action, o->row->dossier, detail, &error))
    return unavailable (ctx, error);
  o->commit = fk_server_db_commit_get (ctx->office->db, o->row->dossier, &error);
  if (o->commit == NULL)
    return unavailable (ctx, error);
  data = g_bytes_get_data (o->commit->manifest, &len);
  o->manifest = fk_sync_manifest_parse (data, len, &error);
  if (o->manifest != NULL)
    o->dossier = fk_server_open_dossier (ctx->office->db, ctx->office->keys, o->manifest,
                                         &o->data_key, &error);
  if (o->dossier == NULL)
    return unavailable (ctx, error);
  *out = g_steal_pointer (&o);
  return NULL;
}

/* The manifest's part that holds @attachment. */
static const FkSyncPart *
part_of (FkOfficeOpened *o, const FkAttachment *attachment)
{
  for (guint i = 0; i < o->manifest->parts->len; i++)
    {
      const FkSyncPart *part = o->manifest->parts->pdata[i];

      if (part->name != NULL && g_strcmp0 (part->name, attachment->name) == 0 &&
          strcmp (part->kind, fk_attachment_kind_to_string (attachment->kind)) == 0)
        return part;
    }
  return NULL;
}

/* Attachment @index of the opened dossier, decrypted in memory. */
GBytes *
fk_office_attachment_bytes (FkOfficeContext *ctx, FkOfficeOpened *o, guint index, GError **error)
{
  GPtrArray *attachments = fk_dossier_get_attachments (o->dossier);
  const FkSyncPart *part = index < attachments->len ? part_of (o, attachments->pdata[index]) : NULL;
  g_autoptr (GBytes) sealed = NULL;
  g_autoptr (GInputStream) in = NULL;
  g_autoptr (GOutputStream) out = NULL;

  if (part == NULL)
    {
      g_set_error (error, FK_SERVER_ERROR, FK_SERVER_ERROR_NOT_FOUND, "no such file");
      return NULL;
    }
  sealed = fk_server_db_blob_read (ctx->office->db, o->commit->device, part->sha256, MAX_FILE_BYTES,
                                   error);
  if (sealed == NULL)
    return NULL;
  in = g_memory_input_stream_new_from_bytes (sealed);
  out = g_memory_output_stream_new_resizable ();
  if (!fk_vault_open_stream (o->data_key, in, out, NULL, NULL, error) ||
      !g_output_stream_close (out, NULL, error))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* Images a browser shows; anything else is only downloaded. */
static const char *
image_type (GBytes *bytes)
{
  static const char *const shown[] = { "image/jpeg", "image/png", "image/webp" };
  gsize len = 0;
  const guchar *data = g_bytes_get_data (bytes, &len);
  g_autofree char *type = g_content_type_guess (NULL, data, MIN (len, 4096), NULL);
  g_autofree char *mime = g_content_type_get_mime_type (type);

  for (gsize i = 0; mime != NULL && i < G_N_ELEMENTS (shown); i++)
    if (strcmp (mime, shown[i]) == 0)
      return shown[i];
  return NULL;
}

/* "/office/dossier/UUID/file/N" and "/office/dossier/UUID/photo/N". */
static gboolean
parse_file_path (const char *rest, char **uuid, const char *kind, guint *index)
{
  g_auto (GStrv) parts = g_strsplit (rest, "/", 4);
  guint64 n = 0;

  if (g_strv_length (parts) != 3 || strcmp (parts[1], kind) != 0 ||
      !g_ascii_string_to_unsigned (parts[2], 10, 0, 63, &n, NULL))
    return FALSE;
  *uuid = g_strdup (parts[0]);
  *index = (guint) n;
  return TRUE;
}

FkServerResponse *
fk_office_file (FkOfficeContext *ctx, const char *rest)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autoptr (FkOfficeOpened) o = NULL;
  g_autoptr (GBytes) bytes = NULL;
  guint index = 0;
  FkServerResponse *r;
  const char *type;

  if (!parse_file_path (rest, &uuid, "file", &index))
    return not_found (ctx);
  r = fk_office_open_dossier (ctx, uuid, NULL, NULL, &o);
  if (r != NULL)
    return r;
  if (o->row->purged_at > 0)
    return fk_office_message_page (ctx, 410, _ ("Removed"),
                                   _ ("The photos and fingerprint of this dossier were removed "
                                      "after its result was handed over."));
  if (index >= fk_dossier_get_attachments (o->dossier)->len)
    return not_found (ctx);
  if (!fk_office_audit (ctx->office, ctx->user->name, "open-file", o->row->dossier,
                        fk_office_printf (ctx, "%u", index + 1), &error))
    return unavailable (ctx, error);
  bytes = fk_office_attachment_bytes (ctx, o, index, &error);
  if (bytes == NULL)
    return g_error_matches (error, FK_SERVER_ERROR, FK_SERVER_ERROR_NOT_FOUND)
             ? not_found (ctx)
             : unavailable (ctx, error);
  type = image_type (bytes);
  r = fk_server_response_new (200);
  r->content_type = type != NULL ? type : "application/octet-stream";
  r->body = g_steal_pointer (&bytes);
  if (type == NULL)
    fk_server_response_add_header (
      r, "Content-Disposition",
      fk_office_printf (ctx, "attachment; filename=\"%02u.bin\"", index + 1));
  return r;
}

/* The large view of one photo: a page around the image, so that it has
 * the office's top bar and a way back. */
FkServerResponse *
fk_office_photo (FkOfficeContext *ctx, const char *rest)
{
  g_autofree char *uuid = NULL;
  g_autoptr (FkOfficeRow) row = NULL;
  g_autoptr (GString) body = g_string_new (NULL);
  FkServerResponse *refused;
  guint index = 0;

  if (!parse_file_path (rest, &uuid, "photo", &index))
    return not_found (ctx);
  refused = fk_office_dossier_access (ctx, uuid, &row);
  if (refused != NULL)
    return refused;
  fk_html (body,
           "<p><a class=\"button\" href=\"/office/dossier/{}\">{}</a></p>"
           "<h1>{}</h1><figure><img class=\"large\" src=\"/office/dossier/{}/file/{}\" alt=\"{}\">"
           "</figure>",
           row->dossier, _ ("Back to the dossier"),
           fk_office_printf (ctx, _ ("Photo %u"), index + 1), row->dossier,
           fk_office_printf (ctx, "%u", index), fk_office_printf (ctx, _ ("Photo %u"), index + 1),
           NULL);
  return fk_office_page (ctx, 200, fk_office_printf (ctx, _ ("Photo %u"), index + 1),
                         "/office/inbox", body);
}
