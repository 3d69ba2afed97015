/* fk-office-dossier.c: one dossier: the citizen, the procedure's answers
 * under their labels, the photos and the fingerprint image, the consents
 * with their words, the device and the visit, the signed receipt, the
 * history, and the form to record its result
 *
 * Opened in memory for the account (fk-office-files.c), which writes the
 * opening to the audit trail; every value from the device is escaped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-page.h"

#include <string.h>

#include "fk-consent-text.h"

static const char *
lang_code (FkOfficeContext *ctx)
{
  return ctx->lang == FK_OFFICE_LANG_VI ? "vi" : "en";
}

static void
fact (GString *out, const char *label, const char *value)
{
  if (value != NULL && *value != '\0')
    fk_html (out, "<dt>{}</dt><dd>{}</dd>", label, value, NULL);
}

static const char *
sex_label (FkOfficeContext *ctx, FkSex sex)
{
  return sex == FK_SEX_MALE ? _ ("Male") : sex == FK_SEX_FEMALE ? _ ("Female") : NULL;
}

static void
citizen_section (FkOfficeContext *ctx, GString *out, FkCitizen *c)
{
  fk_html (out, "<section><h2>{}</h2><dl class=\"facts\">", _ ("Citizen"), NULL);
  fact (out, _ ("Full name"), fk_citizen_get_full_name (c));
  fact (out, _ ("ID number"), fk_citizen_get_id_number (c));
  fact (out, _ ("Old ID number"), fk_citizen_get_old_id (c));
  fact (out, _ ("Date of birth"), fk_office_date (ctx, fk_citizen_get_birth_date (c)));
  fact (out, _ ("Sex"), sex_label (ctx, fk_citizen_get_sex (c)));
  fact (out, _ ("Ethnicity"), fk_citizen_get_ethnicity (c));
  fact (out, _ ("Address"), fk_citizen_get_address (c));
  if (fk_citizen_get_commune (c) != NULL)
    fact (out, _ ("Commune of residence"),
          fk_office_commune_name (ctx, fk_citizen_get_commune (c)));
  fact (out, _ ("ID card issued"), fk_office_date (ctx, fk_citizen_get_issue_date (c)));
  fact (out, _ ("Phone"), fk_citizen_get_phone (c));
  g_string_append (out, "</dl></section>");
}

/* A form's value as the officer would read it. */
static const char *
field_value (FkOfficeContext *ctx, const FkProcedureField *field, JsonNode *node)
{
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  FkFieldType kind = field != NULL ? fk_procedure_field_get_field_type (field) : FK_FIELD_TEXT;

  if (type == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node) ? _ ("Yes") : _ ("No");
  if (type == G_TYPE_INT64)
    return fk_office_printf (ctx, "%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_DOUBLE)
    return fk_office_printf (ctx, "%g", json_node_get_double (node));
  if (type != G_TYPE_STRING)
    return "";
  if (kind == FK_FIELD_CHOICE)
    {
      const char *label = fk_procedure_field_get_choice_label_in (
        field, json_node_get_string (node), lang_code (ctx));

      return label != NULL ? label : json_node_get_string (node);
    }
  if (kind == FK_FIELD_DATE)
    return fk_office_date (ctx, json_node_get_string (node));
  if (kind == FK_FIELD_COMMUNE)
    return fk_office_commune_name (ctx, json_node_get_string (node));
  return json_node_get_string (node);
}

static void
answers_section (FkOfficeContext *ctx, GString *out, FkDossier *d, FkCatalog *catalog)
{
  FkProcedure *procedure =
    catalog != NULL ? fk_catalog_lookup (catalog, fk_dossier_get_procedure (d)) : NULL;
  JsonObject *fields = fk_dossier_get_fields (d);
  g_autoptr (GList) names = json_object_get_members (fields);

  const char *filled = fk_dossier_get_catalog_version (d);
  const char *in_use = catalog != NULL ? fk_catalog_get_version (catalog) : NULL;

  fk_html (out, "<section><h2>{}</h2>", _ ("Answers"), NULL);
  /* The form as the device had it: a later catalog may name fields
   * differently, or no longer have some. */
  if (filled != NULL && g_strcmp0 (filled, in_use) != 0)
    fk_html (out, "<p class=\"hint\">{}</p>",
             fk_office_printf (ctx, _ ("Filled in against catalog version %s; in use now: %s."),
                               filled, in_use != NULL ? in_use : "—"),
             NULL);
  else if (filled != NULL)
    fk_html (out, "<p class=\"hint\">{}</p>",
             fk_office_printf (ctx, _ ("Filled in against catalog version %s."), filled), NULL);
  g_string_append (out, "<dl class=\"facts answers\">");
  for (guint i = 0; procedure != NULL && i < fk_procedure_get_fields (procedure)->len; i++)
    {
      const FkProcedureField *field = fk_procedure_get_fields (procedure)->pdata[i];
      JsonNode *node = json_object_get_member (fields, fk_procedure_field_get_name (field));

      if (node != NULL)
        fact (out, fk_procedure_field_get_label_in (field, lang_code (ctx)),
              field_value (ctx, field, node));
    }
  /* What the catalog does not name (a field since removed) under its own name. */
  for (GList *l = names; l != NULL; l = l->next)
    if (procedure == NULL || fk_procedure_find_field (procedure, l->data) == NULL)
      fact (out, l->data, field_value (ctx, NULL, json_object_get_member (fields, l->data)));
  g_string_append (out, "</dl></section>");
}

static void
files_section (FkOfficeContext *ctx, GString *out, FkOfficeOpened *o)
{
  GPtrArray *attachments = fk_dossier_get_attachments (o->dossier);
  gboolean any_photo = FALSE;

  fk_html (out, "<section><h2>{}</h2>", _ ("Documents and fingerprint"), NULL);
  if (o->row->purged_at > 0)
    {
      fk_html (out, "<p class=\"hint\">{}</p></section>",
               fk_office_printf (ctx,
                                 _ ("The photos and the fingerprint were removed on %s, after the "
                                    "result was handed over; the record of the dossier stays."),
                                 fk_office_time (ctx, o->row->purged_at)),
               NULL);
      return;
    }
  g_string_append (out, "<div class=\"photos\">");
  for (guint i = 0; i < attachments->len; i++)
    {
      const FkAttachment *a = attachments->pdata[i];
      const char *n = fk_office_printf (ctx, "%u", i);
      const char *caption = a->kind == FK_ATTACHMENT_FINGERPRINT ? _ ("Fingerprint")
                            : a->kind == FK_ATTACHMENT_RECEIPT   ? _ ("Receipt")
                                                                 : _ ("Document photo");

      /* The fingerprint template is for the device's check at handover only. */
      if (a->kind == FK_ATTACHMENT_FINGERPRINT_TEMPLATE)
        continue;
      any_photo = TRUE;
      fk_html (out,
               "<figure><a href=\"/office/dossier/{}/photo/{}\"><img src=\"/office/dossier/{}/"
               "file/{}\" alt=\"{}\"{!}></a><figcaption>{} · {}</figcaption></figure>",
               o->row->dossier, n, o->row->dossier, n, caption,
               a->kind == FK_ATTACHMENT_FINGERPRINT ? " class=\"fingerprint\"" : "", caption,
               fk_office_keep (ctx, g_format_size (MAX (a->size, 0))), NULL);
    }
  g_string_append (out, "</div>");
  if (!any_photo)
    fk_html (out, "<p class=\"hint\">{}</p>", _ ("No photo was taken."), NULL);
  g_string_append (out, "</section>");
}

static void
consents_section (FkOfficeContext *ctx, GString *out, FkDossier *d)
{
  GPtrArray *consents = fk_dossier_get_consents (d);

  fk_html (out, "<section><h2>{}</h2>", _ ("Consents"), NULL);
  if (consents->len == 0)
    fk_html (out, "<p class=\"hint\">{}</p>", _ ("No consent was recorded."), NULL);
  for (guint i = 0; i < consents->len; i++)
    {
      const FkConsent *c = consents->pdata[i];
      const FkConsentText *text = fk_consent_text_lookup (c->purpose, c->text_version);

      fk_html (out,
               "<div class=\"card consent\"><h3>{}</h3><p><span class=\"badge state-{}\">{}"
               "</span> {}</p>",
               text != NULL ? _ (text->title) : c->purpose, c->granted ? "ready" : "rejected",
               c->granted ? _ ("Agreed") : _ ("Refused"),
               fk_office_printf (
                 ctx, _ ("Text version %s, recorded with the dossier on %s"), c->text_version,
                 fk_office_time (ctx, g_date_time_to_unix (fk_dossier_get_created (d)))),
               NULL);
      if (text != NULL)
        fk_html (out, "<blockquote lang=\"{}\">{}</blockquote>", lang_code (ctx), _ (text->text),
                 NULL);
      else
        fk_html (out, "<p class=\"notice\">{}</p>",
                 _ ("This server does not know the words of this version."), NULL);
      g_string_append (out, "</div>");
    }
  g_string_append (out, "</section>");
}

static void
device_visit_section (FkOfficeContext *ctx, GString *out, FkOfficeOpened *o)
{
  FkVisit *visit = fk_dossier_get_visit (o->dossier);

  fk_html (out, "<section><h2>{}</h2><dl class=\"facts\">", _ ("Device and visit"), NULL);
  fact (out, _ ("Device"), o->row->device_name);
  fact (out, _ ("Commune of the device"), fk_office_commune_name (ctx, o->row->commune));
  fact (out, _ ("Taken on"), fk_office_time (ctx, o->row->created_at));
  if (visit != NULL)
    {
      g_autofree char *team = g_strjoinv (", ", (char **) fk_visit_get_team (visit));

      fact (out, _ ("Visit date"), fk_office_date (ctx, fk_visit_get_date (visit)));
      fact (out, _ ("Hamlet"), fk_visit_get_hamlet (visit));
      fact (out, _ ("Commune of the visit"),
            fk_office_commune_name (ctx, fk_visit_get_commune_code (visit)));
      fact (out, _ ("Team"), team);
    }
  else
    fact (out, _ ("Visit"), _ ("not given by the device"));
  g_string_append (out, "</dl></section>");
}

static void
receipt_section (FkOfficeContext *ctx, GString *out, FkOfficeOpened *o)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (o->commit->receipt, &len);
  g_autoptr (FkSyncReceipt) receipt = fk_sync_receipt_verify (
    data, len, o->commit->receipt_signature, ctx->office->keys->sign_public, o->commit->dossier,
    o->commit->device, o->commit->manifest_sha256, NULL);

  fk_html (out, "<section><h2>{}</h2><dl class=\"facts\">", _ ("Receipt"), NULL);
  if (receipt != NULL)
    {
      fact (out, _ ("Receipt number"), receipt->receipt);
      fact (out, _ ("Received"), fk_office_time (ctx, o->row->received_at));
      fact (out, _ ("Manifest SHA-256"), receipt->manifest_sha256);
      fact (out, _ ("Signature"), _ ("signed by this server, verified"));
    }
  else
    fact (out, _ ("Signature"), _ ("does not verify with this server's key"));
  g_string_append (out, "</dl></section>");
}

static const char *
event_label (FkOfficeContext *ctx, const char *event)
{
  if (strcmp (event, "in-progress") == 0)
    return _ ("Opened by a receiver: in progress");
  if (strcmp (event, "handed-over") == 0)
    return _ ("Handed over by the team");
  if (strcmp (event, "purged") == 0)
    return _ ("Photos and fingerprint removed");
  return fk_office_printf (ctx, _ ("Result: %s"), fk_office_state_label (ctx, event));
}

static void
history_section (FkOfficeContext *ctx, GString *out, FkOfficeOpened *o)
{
  g_autoptr (GPtrArray) events = fk_office_dossier_history (ctx->office, o->row->dossier, NULL);

  fk_html (out, "<section><h2>{}</h2><ol class=\"history\"><li>{} — {}</li>", _ ("History"),
           fk_office_time (ctx, o->row->received_at),
           fk_office_printf (ctx, _ ("Received from %s"), o->row->device_name), NULL);
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      char **e = events->pdata[i];

      fk_html (out, "<li>{} — {} ({})", fk_office_time (ctx, g_ascii_strtoll (e[0], NULL, 10)),
               event_label (ctx, e[2]), e[1], NULL);
      if (*e[3] != '\0')
        fk_html (out, ": {}", e[3], NULL);
      g_string_append (out, "</li>");
    }
  g_string_append (out, "</ol></section>");
}

static FkServerResponse *
dossier_page (FkOfficeContext *ctx, const char *uuid)
{
  g_autoptr (FkOfficeOpened) o = NULL;
  g_autoptr (GString) body = g_string_new (NULL);
  g_autoptr (FkCatalog) catalog = fk_office_catalog (ctx->office);
  FkServerResponse *r = fk_office_open_dossier (ctx, uuid, "open", NULL, &o);
  FkCitizen *citizen;
  const char *name;

  if (r != NULL)
    return r;
  if (ctx->user->role == FK_OFFICE_ROLE_RECEIVER)
    fk_office_dossier_start (ctx->office, o->row->dossier, ctx->user->name, NULL);
  citizen = fk_dossier_get_citizen (o->dossier);
  name = fk_citizen_get_full_name (citizen) != NULL ? fk_citizen_get_full_name (citizen) : "";
  fk_html (body,
           "<p><a class=\"button\" href=\"/office/inbox\">{}</a></p><h1>{} — {}</h1>"
           "<p><span class=\"badge state-{}\">{}</span> <span class=\"hint\">{}</span></p>",
           _ ("Back to the inbox"), name,
           fk_office_procedure_title (ctx, catalog, fk_dossier_get_procedure (o->dossier)),
           o->row->state, fk_office_state_label (ctx, o->row->state),
           fk_office_printf (ctx, _ ("Dossier %s"), o->row->dossier), NULL);
  g_string_append (body, "<div class=\"grid-2\">");
  citizen_section (ctx, body, citizen);
  answers_section (ctx, body, o->dossier, catalog);
  g_string_append (body, "</div>");
  files_section (ctx, body, o);
  fk_office_result_form (ctx, body, o->row);
  consents_section (ctx, body, o->dossier);
  g_string_append (body, "<div class=\"grid-2\">");
  device_visit_section (ctx, body, o);
  receipt_section (ctx, body, o);
  g_string_append (body, "</div>");
  history_section (ctx, body, o);
  if (fk_office_user_has (ctx, FK_OFFICE_ROLE_SUPERVISOR))
    fk_html (body, "<p><a class=\"button\" href=\"/office/audit?dossier={}\">{}</a></p>",
             o->row->dossier, _ ("Who opened this dossier"), NULL);
  return fk_office_page (ctx, 200, name, "/office/inbox", body);
}

/* GET /office/dossier/UUID, …/file/N, …/photo/N */
FkServerResponse *
fk_office_dossier_get (FkOfficeContext *ctx)
{
  const char *rest = ctx->req->path + strlen ("/office/dossier/");

  if (strstr (rest, "/file/") != NULL)
    return fk_office_file (ctx, rest);
  if (strstr (rest, "/photo/") != NULL)
    return fk_office_photo (ctx, rest);
  return dossier_page (ctx, rest);
}
