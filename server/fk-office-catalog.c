/* fk-office-catalog.c: the procedure catalog: the one in use, and
 * publishing a new version (administrators)
 *
 * The new catalog is pasted or loaded from a file (office.js fills the
 * text box; without script, paste it), checked with the same rules as the
 * device (fk_catalog_new_from_bytes), compared with the one in use — which
 * procedures, fields and documents are new, gone or changed — and only
 * then published, where devices pull it (GET /v1/pull), through the same
 * call as `fieldkit-server catalog add` (fk_server_catalog_publish(),
 * which signs it). Its version must be newer than
 * the one in use. Publishing is written to the audit trail.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-office-page.h"

#include "fk-server-catalog.h"
#include "fk-server-error.h"

#include <string.h>

static const char *
lang (FkOfficeContext *ctx)
{
  return ctx->lang == FK_OFFICE_LANG_VI ? "vi" : "en";
}

static void
diff_line (FkOfficeContext *ctx, GString *out, const char *cls, const char *mark, const char *text)
{
  fk_html (out, "<li class=\"{}\">{} {}</li>", cls, mark, text, NULL);
}

static gboolean
same_choices (const FkProcedureField *a, const FkProcedureField *b)
{
  const char *const *ca = fk_procedure_field_get_choices (a);
  const char *const *cb = fk_procedure_field_get_choices (b);

  if (ca == NULL || cb == NULL)
    return ca == cb;
  return g_strv_equal (ca, cb);
}

static void
diff_fields (FkOfficeContext *ctx, GString *out, FkProcedure *old, FkProcedure *new)
{
  GPtrArray *fields = fk_procedure_get_fields (new);
  GPtrArray *old_fields = fk_procedure_get_fields (old);

  for (guint i = 0; i < fields->len; i++)
    {
      const FkProcedureField *f = fields->pdata[i];
      const FkProcedureField *o = fk_procedure_find_field (old, fk_procedure_field_get_name (f));
      const char *label = fk_procedure_field_get_label_in (f, lang (ctx));

      if (o == NULL)
        diff_line (ctx, out, "add", "+",
                   fk_office_printf (ctx, _ ("New field “%s”%s"), label,
                                     fk_procedure_field_get_required (f) ? _ (" (required)") : ""));
      else if (fk_procedure_field_get_field_type (o) != fk_procedure_field_get_field_type (f) ||
               fk_procedure_field_get_required (o) != fk_procedure_field_get_required (f) ||
               g_strcmp0 (fk_procedure_field_get_label_in (o, lang (ctx)), label) != 0 ||
               !same_choices (o, f))
        diff_line (ctx, out, "change", "~",
                   fk_office_printf (ctx,
                                     _ ("Field “%s” changed (label, type, choices or "
                                        "whether it is required)"),
                                     label));
    }
  for (guint i = 0; i < old_fields->len; i++)
    {
      const FkProcedureField *o = old_fields->pdata[i];

      if (fk_procedure_find_field (new, fk_procedure_field_get_name (o)) == NULL)
        diff_line (ctx, out, "del", "−",
                   fk_office_printf (ctx, _ ("Field “%s” removed"),
                                     fk_procedure_field_get_label_in (o, lang (ctx))));
    }
}

static const FkProcedureDocument *
find_document (FkProcedure *p, const char *code)
{
  GPtrArray *documents = fk_procedure_get_documents (p);

  for (guint i = 0; documents != NULL && i < documents->len; i++)
    if (g_strcmp0 (fk_procedure_document_get_code (documents->pdata[i]), code) == 0)
      return documents->pdata[i];
  return NULL;
}

static void
diff_documents (FkOfficeContext *ctx, GString *out, FkProcedure *old, FkProcedure *new)
{
  GPtrArray *documents = fk_procedure_get_documents (new);
  GPtrArray *old_documents = fk_procedure_get_documents (old);

  for (guint i = 0; documents != NULL && i < documents->len; i++)
    {
      const FkProcedureDocument *d = documents->pdata[i];
      const FkProcedureDocument *o = find_document (old, fk_procedure_document_get_code (d));
      const char *title = fk_procedure_document_get_title_in (d, lang (ctx));

      if (o == NULL)
        diff_line (ctx, out, "add", "+", fk_office_printf (ctx, _ ("New paper “%s”"), title));
      else if (fk_procedure_document_get_required (o) != fk_procedure_document_get_required (d))
        diff_line (ctx, out, "change", "~",
                   fk_office_printf (ctx,
                                     fk_procedure_document_get_required (d)
                                       ? _ ("Paper “%s” now required")
                                       : _ ("Paper “%s” no longer required"),
                                     title));
    }
  for (guint i = 0; old_documents != NULL && i < old_documents->len; i++)
    {
      const FkProcedureDocument *o = old_documents->pdata[i];

      if (find_document (new, fk_procedure_document_get_code (o)) == NULL)
        diff_line (ctx, out, "del", "−",
                   fk_office_printf (ctx, _ ("Paper “%s” removed"),
                                     fk_procedure_document_get_title_in (o, lang (ctx))));
    }
}

/* What changes from @old to @new, procedure by procedure. */
static void
catalog_diff (FkOfficeContext *ctx, GString *out, FkCatalog *old, FkCatalog *new)
{
  GPtrArray *procedures = fk_catalog_get_procedures (new);
  GPtrArray *old_procedures = old != NULL ? fk_catalog_get_procedures (old) : NULL;
  guint unchanged = 0;

  for (guint i = 0; i < procedures->len; i++)
    {
      FkProcedure *p = procedures->pdata[i];
      FkProcedure *o = old != NULL ? fk_catalog_lookup (old, fk_procedure_get_code (p)) : NULL;
      const char *title = fk_procedure_get_title_in (p, lang (ctx));
      g_autoptr (GString) details = g_string_new (NULL);

      if (o == NULL)
        {
          fk_html (
            out, "<h3 class=\"add\">+ {}</h3>",
            fk_office_printf (ctx, _ ("New procedure: %s (%s)"), title, fk_procedure_get_code (p)),
            NULL);
          continue;
        }
      if (g_strcmp0 (fk_procedure_get_title_in (o, lang (ctx)), title) != 0)
        diff_line (
          ctx, details, "change", "~",
          fk_office_printf (ctx, _ ("Title was “%s”"), fk_procedure_get_title_in (o, lang (ctx))));
      diff_fields (ctx, details, o, p);
      diff_documents (ctx, details, o, p);
      if (details->len == 0)
        {
          unchanged++;
          continue;
        }
      fk_html (out, "<h3>{}</h3><ul class=\"diff\">{!}</ul>",
               fk_office_printf (ctx, "%s (%s)", title, fk_procedure_get_code (p)), details->str,
               NULL);
    }
  for (guint i = 0; old_procedures != NULL && i < old_procedures->len; i++)
    {
      FkProcedure *o = old_procedures->pdata[i];

      if (fk_catalog_lookup (new, fk_procedure_get_code (o)) == NULL)
        fk_html (out, "<h3 class=\"del\">− {}</h3>",
                 fk_office_printf (ctx, _ ("Procedure removed: %s (%s)"),
                                   fk_procedure_get_title_in (o, lang (ctx)),
                                   fk_procedure_get_code (o)),
                 NULL);
    }
  fk_html (out, "<p class=\"hint\">{}</p>",
           fk_office_printf (ctx, _ ("%u procedures unchanged."), unchanged), NULL);
}

static void
current_section (FkOfficeContext *ctx, GString *out, FkCatalog *current)
{
  GPtrArray *procedures = fk_catalog_get_procedures (current);

  fk_html (out, "<section><h2>{}</h2><p>{}</p><ul>", _ ("In use"),
           fk_office_printf (ctx, _ ("Version %s, %u procedures."),
                             fk_catalog_get_version (current), procedures->len),
           NULL);
  for (guint i = 0; i < procedures->len; i++)
    fk_html (out, "<li>{}</li>",
             fk_office_printf (ctx, "%s (%s)",
                               fk_procedure_get_title_in (procedures->pdata[i], lang (ctx)),
                               fk_procedure_get_code (procedures->pdata[i])),
             NULL);
  g_string_append (out, "</ul></section>");
}

/* The form to check a catalog, with @text in it (nullable). */
static void
upload_form (FkOfficeContext *ctx, GString *out, const char *text)
{
  fk_html (out, "<section><h2>{}</h2><form method=\"post\" action=\"/office/catalog/check\">",
           _ ("Publish a new version"), NULL);
  fk_office_csrf_field (ctx, out);
  fk_html (out,
           "<label for=\"catalog-file\">{}</label><input id=\"catalog-file\" type=\"file\" "
           "accept=\".json,application/json\" data-fill=\"catalog\">"
           "<label for=\"catalog\">{}</label><textarea id=\"catalog\" name=\"catalog\" rows=\"12\" "
           "required spellcheck=\"false\">{}</textarea><p class=\"hint\">{}</p>"
           "<button class=\"primary\" type=\"submit\">{}</button></form></section>",
           _ ("Catalog file (JSON)"), _ ("Or paste the catalog"), text != NULL ? text : "",
           _ ("It is checked with the same rules as on the devices, and compared with the one in "
              "use before anything is published."),
           _ ("Check"), NULL);
}

FkServerResponse *
fk_office_catalog_page (FkOfficeContext *ctx)
{
  g_autoptr (GString) body = g_string_new (NULL);
  g_autoptr (FkCatalog) current = fk_office_catalog (ctx->office);

  fk_html (body, "<h1>{}</h1>", _ ("Procedure catalog"), NULL);
  if (g_strcmp0 (fk_office_query (ctx, "published"), "1") == 0)
    fk_html (body, "<p class=\"done\" role=\"status\">{}</p>",
             _ ("Published: the devices receive it at their next sync."), NULL);
  if (current != NULL)
    current_section (ctx, body, current);
  if (fk_office_user_has (ctx, FK_OFFICE_ROLE_ADMIN))
    upload_form (ctx, body, NULL);
  return fk_office_page (ctx, 200, _ ("Procedure catalog"), "/office/catalog", body);
}

/* The catalog of the form, checked; else the page that says why. */
static FkServerResponse *
read_catalog (FkOfficeContext *ctx, FkCatalog *current, FkCatalog **out)
{
  const char *text = fk_office_form (ctx, "catalog");
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) body = g_string_new (NULL);
  const char *problem = NULL;

  if (text == NULL || *text == '\0')
    problem = _ ("Choose the catalog file, or paste it.");
  else
    {
      bytes = g_bytes_new (text, strlen (text));
      *out = fk_catalog_new_from_bytes (bytes, &error);
      if (*out == NULL)
        problem = fk_office_printf (ctx, _ ("This catalog is not valid: %s"), error->message);
      else if (current != NULL &&
               fk_catalog_version_compare (fk_catalog_get_version (*out),
                                           fk_catalog_get_version (current)) <= 0)
        problem =
          fk_office_printf (ctx, _ ("Its version (%s) must be newer than the one in use (%s)."),
                            fk_catalog_get_version (*out), fk_catalog_get_version (current));
    }
  if (problem == NULL)
    return NULL;
  g_clear_object (out);
  fk_html (body, "<h1>{}</h1><p class=\"notice\" role=\"alert\">{}</p>", _ ("Procedure catalog"),
           problem, NULL);
  upload_form (ctx, body, text);
  return fk_office_page (ctx, 400, _ ("Procedure catalog"), "/office/catalog", body);
}

/* POST /office/catalog/check: catalog */
FkServerResponse *
fk_office_catalog_check_post (FkOfficeContext *ctx)
{
  g_autoptr (FkCatalog) current = fk_office_catalog (ctx->office);
  g_autoptr (FkCatalog) fresh = NULL;
  g_autoptr (GString) body = g_string_new (NULL);
  FkServerResponse *refused = read_catalog (ctx, current, &fresh);

  if (refused != NULL)
    return refused;
  fk_html (body, "<h1>{}</h1><p class=\"done\">{}</p><section><h2>{}</h2>", _ ("Procedure catalog"),
           fk_office_printf (ctx, _ ("Version %s is valid. What changes from version %s:"),
                             fk_catalog_get_version (fresh),
                             current != NULL ? fk_catalog_get_version (current) : "—"),
           _ ("Changes"), NULL);
  catalog_diff (ctx, body, current, fresh);
  fk_html (body,
           "</section><form method=\"post\" action=\"/office/catalog/publish\" "
           "data-confirm=\"{}\">",
           _ ("Publish this catalog to every device?"), NULL);
  fk_office_csrf_field (ctx, body);
  fk_html (body,
           "<input type=\"hidden\" name=\"catalog\" value=\"{}\"><div class=\"actions\">"
           "<button class=\"primary\" type=\"submit\">{}</button> "
           "<a class=\"button\" href=\"/office/catalog\">{}</a></div></form>",
           fk_office_form (ctx, "catalog"), _ ("Publish"), _ ("Cancel"), NULL);
  return fk_office_page (ctx, 200, _ ("Procedure catalog"), "/office/catalog", body);
}

/* POST /office/catalog/publish: catalog */
FkServerResponse *
fk_office_catalog_publish_post (FkOfficeContext *ctx)
{
  g_autoptr (FkCatalog) current = fk_office_catalog (ctx->office);
  g_autoptr (FkCatalog) fresh = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (FkServerCatalogEntry) entry = NULL;
  const char *text;
  FkServerResponse *refused = read_catalog (ctx, current, &fresh);

  if (refused != NULL)
    return refused;
  text = fk_office_form (ctx, "catalog");
  bytes = g_bytes_new (text, strlen (text));
  entry = fk_server_catalog_publish (ctx->office->db, ctx->office->keys, bytes, &error);
  /* Published by someone else meanwhile, or too large for a device: say so. */
  if (entry == NULL && (g_error_matches (error, FK_SERVER_ERROR, FK_SERVER_ERROR_EXISTS) ||
                        g_error_matches (error, FK_SERVER_ERROR, FK_SERVER_ERROR_INVALID)))
    return fk_office_message_page (ctx, 400, _ ("Not published"), error->message);
  if (entry == NULL || !fk_office_audit (ctx->office, ctx->user->name, "catalog-publish", NULL,
                                         entry->version, &error))
    {
      g_warning ("office: publishing a catalog: %s", error->message);
      return fk_office_message_page (ctx, 503, _ ("Not published"),
                                     _ ("The server cannot record it right now; try again."));
    }
  return fk_office_redirect (ctx, "/office/catalog?published=1");
}
