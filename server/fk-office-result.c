/* fk-office-result.c: recording a dossier's result: ready for handover,
 * rejected with the reason, or more documents needed (which ones)
 *
 * The result goes where devices pull it (GET /v1/pull, the results of
 * their commune), through the same call as `fieldkit-server result add`,
 * and the dossier's state and history change in the same transaction.
 * The team hands the result over on its next visit; the device reports
 * the handover and the office shows it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-page.h"

#include <string.h>

#define MAX_NOTE 2000

static gboolean
can_record (FkOfficeRow *row)
{
  return strcmp (row->state, "handed-over") != 0 && strcmp (row->state, "unreadable") != 0;
}

void
fk_office_result_form (FkOfficeContext *ctx, GString *out, FkOfficeRow *row)
{
  if (!can_record (row))
    {
      if (row->handed_over_at > 0)
        fk_html (out, "<p class=\"done\">{}</p>",
                 fk_office_printf (ctx, _ ("Handed over on %s by the team of %s."),
                                   fk_office_time (ctx, row->handed_over_at), row->handed_over_by),
                 NULL);
      return;
    }
  fk_html (out,
           "<section class=\"result\"><h2>{}</h2><form class=\"stacked\" method=\"post\" "
           "action=\"/office/dossier/{}/result\">",
           _ ("Record the result"), row->dossier, NULL);
  fk_office_csrf_field (ctx, out);
  fk_html (out,
           "<fieldset><legend>{}</legend>"
           "<label><input type=\"radio\" name=\"result\" value=\"ready\" required> {}</label>"
           "<label><input type=\"radio\" name=\"result\" value=\"needs-documents\"> {}</label>"
           "<label><input type=\"radio\" name=\"result\" value=\"rejected\"> {}</label>"
           "</fieldset><label for=\"note\">{}</label><textarea id=\"note\" name=\"note\" "
           "maxlength=\"2000\" rows=\"3\"></textarea><p class=\"hint\">{}</p>"
           "<button class=\"primary\" type=\"submit\">{}</button></form></section>",
           _ ("Result"), _ ("Ready for handover"), _ ("More documents needed"), _ ("Rejected"),
           _ ("Note for the team"),
           _ ("For “more documents”, list the documents; for “rejected”, the reason. The team "
              "reads it to the citizen."),
           _ ("Record"), NULL);
}

static FkServerResponse *
refuse (FkOfficeContext *ctx, const char *message)
{
  return fk_office_message_page (ctx, 400, _ ("The result was not recorded"), message);
}

/* POST /office/dossier/UUID/result: result, note */
FkServerResponse *
fk_office_result_post (FkOfficeContext *ctx)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkOfficeRow) row = NULL;
  g_auto (GStrv) parts = g_strsplit (ctx->req->path + strlen ("/office/dossier/"), "/", 3);
  const char *result = fk_office_form (ctx, "result");
  const char *note = fk_office_form (ctx, "note");
  g_autofree char *clean_note = NULL;
  FkServerResponse *refused;

  if (g_strv_length (parts) != 2 || strcmp (parts[1], "result") != 0)
    return fk_office_message_page (ctx, 404, _ ("Not found"),
                                   _ ("There is no such page in the office."));
  refused = fk_office_dossier_access (ctx, parts[0], &row);
  if (refused != NULL)
    return refused;
  if (!can_record (row))
    return fk_office_message_page (ctx, 409, _ ("The result was not recorded"),
                                   _ ("This dossier was handed over already (or cannot be "
                                      "opened): its result can no longer change."));
  if (g_strcmp0 (result, "ready") != 0 && g_strcmp0 (result, "rejected") != 0 &&
      g_strcmp0 (result, "needs-documents") != 0)
    return refuse (ctx, _ ("Choose a result."));
  clean_note = g_strstrip (g_strdup (note != NULL ? note : ""));
  if (g_utf8_strlen (clean_note, -1) > MAX_NOTE)
    return refuse (ctx, _ ("The note is too long (at most 2000 characters)."));
  if (*clean_note == '\0' && strcmp (result, "ready") != 0)
    return refuse (ctx, strcmp (result, "rejected") == 0
                          ? _ ("Give the reason for the rejection: the team reads it to the "
                               "citizen.")
                          : _ ("List the documents still needed: the team asks the citizen for "
                               "them."));
  if (!fk_server_db_result_add (ctx->office->db, row->commune, row->dossier, result, clean_note,
                                ctx->user->name, &error) ||
      !fk_office_audit (ctx->office, ctx->user->name, "result", row->dossier, result, &error))
    {
      g_warning ("office: recording a result: %s", error->message);
      return fk_office_message_page (ctx, 503, _ ("The result was not recorded"),
                                     _ ("The server cannot record it right now; try again."));
    }
  return fk_office_redirect (ctx, fk_office_printf (ctx, "/office/dossier/%s", row->dossier));
}
