/* fk-receipt.c: what a citizen's receipt says
 *
 * Made once from the sealed dossier and never changed. Only what the
 * header lists goes in: the citizen's name, ID number, address and birth
 * date are never read from the dossier here, so they cannot reach paper.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "fk-admin-units.h"
#include "fk-receipt-private.h"
#include "fk-text.h"

G_DEFINE_FINAL_TYPE (FkReceipt, fk_receipt, G_TYPE_OBJECT)

static const char *const paper_names[] = {
  [FK_PAPER_58MM] = "58mm",
  [FK_PAPER_80MM] = "80mm",
  [FK_PAPER_A5] = "a5",
  [FK_PAPER_A4] = "a4",
};

const char *
fk_paper_to_string (FkPaper paper)
{
  g_return_val_if_fail (paper < G_N_ELEMENTS (paper_names), NULL);
  return paper_names[paper];
}

/**
 * fk_paper_from_string:
 * @name: "58mm", "80mm", "a5" or "a4" (any case)
 *
 * Returns: %TRUE with @out_paper set; else %FK_PAPER_ERROR_INVALID_PAPER
 */
gboolean
fk_paper_from_string (const char *name, FkPaper *out_paper, GError **error)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (paper_names); i++)
    if (g_ascii_strcasecmp (name, paper_names[i]) == 0)
      {
        *out_paper = (FkPaper) i;
        return TRUE;
      }
  g_set_error (error, FK_PAPER_ERROR, FK_PAPER_ERROR_INVALID_PAPER,
               _ ("Unknown paper “%s”: use 58mm, 80mm, a5 or a4."), name != NULL ? name : "");
  return FALSE;
}

gboolean
fk_paper_is_roll (FkPaper paper)
{
  return paper == FK_PAPER_58MM || paper == FK_PAPER_80MM;
}

static void
line_free (FkReceiptLine *line)
{
  g_free (line->label);
  g_free (line->value);
  g_free (line);
}

static void
fk_receipt_finalize (GObject *object)
{
  FkReceipt *self = FK_RECEIPT (object);

  g_free (self->dossier_id);
  g_free (self->number);
  g_free (self->centre);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_pointer (&self->expected, g_date_free);
  g_clear_object (&self->handover);
  G_OBJECT_CLASS (fk_receipt_parent_class)->finalize (object);
}

static void
fk_receipt_class_init (FkReceiptClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fk_receipt_finalize;
}

static void
fk_receipt_init (FkReceipt *self)
{
  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
}

static void
add_line (FkReceipt *self, const char *label, char *value)
{
  FkReceiptLine *line = g_new0 (FkReceiptLine, 1);

  line->label = g_strdup (label);
  line->value = value;
  g_ptr_array_add (self->lines, line);
}

/**
 * fk_receipt_add_working_days:
 * @from: the first day
 * @days: working days to add; 0 is @from itself when it is a working day
 *
 * Working days are Monday to Friday (the commune's public holidays are not
 * known to the device); a date that falls on a weekend moves to Monday.
 *
 * Returns: (transfer full): the date
 */
GDate *
fk_receipt_add_working_days (const GDate *from, guint days)
{
  GDate *date = g_date_copy (from);

  while (g_date_get_weekday (date) >= G_DATE_SATURDAY)
    g_date_add_days (date, 1);
  while (days > 0)
    {
      g_date_add_days (date, 1);
      if (g_date_get_weekday (date) < G_DATE_SATURDAY)
        days--;
    }
  return date;
}

static const char *
weekday_name (const GDate *date)
{
  switch (g_date_get_weekday (date))
    {
      case G_DATE_MONDAY:
        return _ ("Monday");
      case G_DATE_TUESDAY:
        return _ ("Tuesday");
      case G_DATE_WEDNESDAY:
        return _ ("Wednesday");
      case G_DATE_THURSDAY:
        return _ ("Thursday");
      case G_DATE_FRIDAY:
        return _ ("Friday");
      case G_DATE_SATURDAY:
        return _ ("Saturday");
      case G_DATE_SUNDAY:
      case G_DATE_BAD_WEEKDAY:
      default:
        return _ ("Sunday");
    }
}

/* "Tuesday 08/12/2026" */
static char *
format_day (const GDate *date)
{
  /* TRANSLATORS: a weekday, then the date as day/month/year */
  return g_strdup_printf (_ ("%s %02d/%02d/%04d"), weekday_name (date), g_date_get_day (date),
                          g_date_get_month (date), g_date_get_year (date));
}

static GDate *
parse_day (const char *iso)
{
  GDate *date = g_date_new ();
  unsigned y, m, d;

  if (iso != NULL && sscanf (iso, "%4u-%2u-%2u", &y, &m, &d) == 3 && g_date_valid_dmy (d, m, y))
    g_date_set_dmy (date, d, m, y);
  return date;
}

/* "xã Ba Đình", the commune of @code as named after its centre. */
static char *
commune_name (const char *code)
{
  FkAdminUnits *units = code != NULL ? fk_admin_units_get_default (NULL) : NULL;
  const FkAdminUnit *unit = units != NULL ? fk_admin_units_lookup (units, code) : NULL;
  g_autofree char *type = NULL;

  if (unit == NULL)
    return NULL;
  type = g_utf8_strdown (unit->type, -1);
  return g_strdup_printf ("%s %s", type, unit->name);
}

static gboolean
same_hamlet (FkVisit *a, FkVisit *b)
{
  g_autofree char *fa = fk_text_fold (fk_visit_get_hamlet (a));
  g_autofree char *fb = fk_text_fold (fk_visit_get_hamlet (b));

  return g_strcmp0 (fk_visit_get_commune_code (a), fk_visit_get_commune_code (b)) == 0 &&
         g_strcmp0 (fa, fb) == 0;
}

/* The first other visit to @visit's hamlet after @received and on or
 * after @expected (when known). */
static FkVisit *
find_handover (FkVisit *visit, GPtrArray *visits, const GDate *received, const GDate *expected)
{
  FkVisit *best = NULL;
  g_autoptr (GDate) best_date = NULL;

  for (guint i = 0; visit != NULL && visits != NULL && i < visits->len; i++)
    {
      FkVisit *other = g_ptr_array_index (visits, i);
      g_autoptr (GDate) date = parse_day (fk_visit_get_date (other));

      /* Not the visit the dossier was taken on, whatever its date. */
      if (g_str_equal (fk_visit_get_id (other), fk_visit_get_id (visit)) || !g_date_valid (date) ||
          !same_hamlet (visit, other) || g_date_compare (date, received) <= 0 ||
          (expected != NULL && g_date_compare (date, expected) < 0))
        continue;
      if (best == NULL || g_date_compare (date, best_date) < 0)
        {
          best = other;
          g_clear_pointer (&best_date, g_date_free);
          best_date = g_steal_pointer (&date);
        }
    }
  return best != NULL ? g_object_ref (best) : NULL;
}

/* The titles of the papers photographed, once each, in the procedure's order. */
static char *
documents_taken (FkDossier *dossier, FkProcedure *procedure)
{
  GPtrArray *attachments = fk_dossier_get_attachments (dossier);
  GPtrArray *documents = procedure != NULL ? fk_procedure_get_documents (procedure) : NULL;
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; documents != NULL && i < documents->len; i++)
    {
      const FkProcedureDocument *document = g_ptr_array_index (documents, i);

      for (guint j = 0; j < attachments->len; j++)
        {
          FkAttachment *attachment = g_ptr_array_index (attachments, j);

          if (g_strcmp0 (attachment->document, fk_procedure_document_get_code (document)) != 0)
            continue;
          if (out->len > 0)
            g_string_append_c (out, '\n');
          g_string_append_printf (out, "– %s", fk_procedure_document_get_title (document));
          break;
        }
    }
  if (out->len == 0)
    return g_strdup (_ ("No paper was photographed."));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
place_of (FkVisit *visit)
{
  g_autofree char *commune = commune_name (fk_visit_get_commune_code (visit));

  if (commune == NULL)
    return g_strdup (fk_visit_get_hamlet (visit));
  return g_strdup_printf ("%s, %s", fk_visit_get_hamlet (visit), commune);
}

static void
add_result_lines (FkReceipt *self, FkVisit *visit, FkProcedure *procedure, GPtrArray *visits,
                  const GDate *received)
{
  int limit = procedure != NULL ? fk_procedure_get_time_limit_days (procedure) : -1;
  g_autofree char *when = NULL;

  if (limit >= 0)
    {
      /* A dossier taken in a hamlet reaches the centre when the team is
       * back, after its 15:00 cut-off: a same-day result is the next
       * working day's. */
      int days = MAX (limit, 1);

      self->expected = fk_receipt_add_working_days (received, (guint) days);
      when = format_day (self->expected);
      add_line (self, _ ("Result expected"),
                g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%d working day)",
                                              "%s (%d working days)", days),
                                 when, days));
    }
  else
    add_line (self, _ ("Result expected"),
              g_strdup (_ ("The centre will tell you when the result is ready.")));
  self->handover = find_handover (visit, visits, received, self->expected);
  if (self->handover != NULL)
    {
      g_autoptr (GDate) day = parse_day (fk_visit_get_date (self->handover));
      g_autofree char *date = format_day (day);
      /* The hamlet as the dossier's own visit spells it. */
      g_autofree char *place = place_of (visit);

      /* TRANSLATORS: the day of the team's visit, then the hamlet */
      add_line (self, _ ("Result handed over"),
                g_strdup_printf (_ ("%s, morning, when the team comes to %s"), date, place));
    }
  else
    add_line (
      self, _ ("Result handed over"),
      g_strdup_printf (_ ("At %s, or on the team's next visit to the hamlet"), self->centre));
}

/**
 * fk_receipt_new:
 * @dossier: the sealed dossier
 * @catalog: the catalog, for the procedure's title, papers and time limit
 * @visit: (nullable): the visit the dossier was taken on
 * @visits: (nullable) (element-type FkVisit): the store's visits, planned
 *   ones included, to find the handover
 *
 * Returns: (transfer full): the receipt
 */
FkReceipt *
fk_receipt_new (FkDossier *dossier, FkCatalog *catalog, FkVisit *visit, GPtrArray *visits)
{
  FkReceipt *self;
  FkProcedure *procedure;
  g_autoptr (GDateTime) created = NULL;
  g_autoptr (GDate) received = g_date_new ();
  g_autofree char *commune = NULL;
  const char *const *team;

  g_return_val_if_fail (FK_IS_DOSSIER (dossier), NULL);
  g_return_val_if_fail (FK_IS_CATALOG (catalog), NULL);

  self = g_object_new (FK_TYPE_RECEIPT, NULL);
  self->dossier_id = g_strdup (fk_dossier_get_id (dossier));
  self->number = g_ascii_strup (self->dossier_id, 8);
  commune = visit != NULL ? commune_name (fk_visit_get_commune_code (visit)) : NULL;
  self->centre = commune != NULL
                   /* TRANSLATORS: the centre of a commune, "xã Ba Đình" */
                   ? g_strdup_printf (_ ("Public Administrative Service Centre of %s"), commune)
                   : g_strdup (_ ("Public Administrative Service Centre"));
  procedure = fk_catalog_lookup (catalog, fk_dossier_get_procedure (dossier));
  created = g_date_time_to_local (fk_dossier_get_created (dossier));
  g_date_set_dmy (received, g_date_time_get_day_of_month (created), g_date_time_get_month (created),
                  g_date_time_get_year (created));

  add_line (self, _ ("Procedure"),
            g_strdup (procedure != NULL ? fk_procedure_get_title (procedure)
                                        : fk_dossier_get_procedure (dossier)));
  add_line (self, _ ("Received"), g_date_time_format (created, "%d/%m/%Y %H:%M"));
  if (visit != NULL)
    {
      add_line (self, _ ("Where"), place_of (visit));
      team = fk_visit_get_team (visit);
      if (team != NULL && team[0] != NULL)
        add_line (self, _ ("Team"), g_strjoinv (", ", (char **) team));
    }
  add_line (self, _ ("Papers taken"), documents_taken (dossier, procedure));
  add_result_lines (self, visit, procedure, visits, received);
  return self;
}

const char *
fk_receipt_get_dossier_id (FkReceipt *self)
{
  g_return_val_if_fail (FK_IS_RECEIPT (self), NULL);
  return self->dossier_id;
}

/**
 * fk_receipt_get_number:
 *
 * Returns: the dossier number the citizen is told: the first eight hex
 *   digits of its UUID, upper case
 */
const char *
fk_receipt_get_number (FkReceipt *self)
{
  g_return_val_if_fail (FK_IS_RECEIPT (self), NULL);
  return self->number;
}

const char *
fk_receipt_get_centre (FkReceipt *self)
{
  g_return_val_if_fail (FK_IS_RECEIPT (self), NULL);
  return self->centre;
}

/**
 * fk_receipt_get_lines:
 *
 * Returns: (transfer none) (element-type FkReceiptLine): the lines under
 *   the number, in order
 */
GPtrArray *
fk_receipt_get_lines (FkReceipt *self)
{
  g_return_val_if_fail (FK_IS_RECEIPT (self), NULL);
  return self->lines;
}

/**
 * fk_receipt_get_expected_date:
 *
 * Returns: (nullable): the expected date of the result, %NULL when the
 *   catalog gives the procedure no time limit
 */
const GDate *
fk_receipt_get_expected_date (FkReceipt *self)
{
  g_return_val_if_fail (FK_IS_RECEIPT (self), NULL);
  return self->expected;
}

/**
 * fk_receipt_get_handover_visit:
 *
 * Returns: (transfer none) (nullable): the planned visit the result is
 *   handed over on
 */
FkVisit *
fk_receipt_get_handover_visit (FkReceipt *self)
{
  g_return_val_if_fail (FK_IS_RECEIPT (self), NULL);
  return self->handover;
}

/* A practice receipt carries the practice band: it is worth nothing. */
void
fk_receipt_set_practice (FkReceipt *self, gboolean practice)
{
  g_return_if_fail (FK_IS_RECEIPT (self));
  self->practice = practice;
}

gboolean
fk_receipt_get_practice (FkReceipt *self)
{
  g_return_val_if_fail (FK_IS_RECEIPT (self), FALSE);
  return self->practice;
}

/**
 * fk_receipt_to_text:
 *
 * The receipt as plain text, line by line, as it is read aloud; the
 * dossier number is spelled out character by character in groups of four
 * ("3 F 2 A, 0 9 B C"), a pause between them, and said again at the end,
 * so that a listener can write it down.
 *
 * Returns: (transfer full): the text
 */
char *
fk_receipt_to_text (FkReceipt *self)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GString) number = g_string_new (NULL);

  g_return_val_if_fail (FK_IS_RECEIPT (self), NULL);
  for (const char *p = self->number; *p != '\0'; p++)
    {
      gsize at = (gsize) (p - self->number);

      if (at > 0)
        g_string_append (number, at % 4 == 0 ? ", " : " ");
      g_string_append_c (number, *p);
    }
  if (self->practice)
    g_string_append_printf (out, "%s.\n", _ ("PRACTICE — NOT VALID"));
  g_string_append_printf (out, "%s.\n%s.\n%s: %s.\n", self->centre, _ ("Dossier receipt"),
                          _ ("Dossier number"), number->str);
  for (guint i = 0; i < self->lines->len; i++)
    {
      FkReceiptLine *line = g_ptr_array_index (self->lines, i);

      g_string_append_printf (out, "%s: %s.\n", line->label, line->value);
    }
  /* TRANSLATORS: the dossier number said again at the end of the spoken receipt */
  g_string_append_printf (out, _ ("Once more, the dossier number: %s."), number->str);
  g_string_append_c (out, '\n');
  return g_string_free (g_steal_pointer (&out), FALSE);
}
