/* fk-guide-page.c: the offline procedure guide ("Thủ tục")
 *
 * What a citizen asks the team in the hamlet: what a procedure is for,
 * who may submit it, which papers to bring (originals shown and handed
 * back, or papers kept), what it costs, how long it takes, who decides,
 * its legal basis, and whether they can do it themselves on the national
 * public service portal. Everything comes from the catalog in use (the
 * session's), so it works with no signal and follows catalog updates.
 * The search ignores accents and case (core's fk_catalog_search()). The
 * papers are a checklist the officer goes through with the citizen; a
 * button starts an intake for the procedure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-application.h"
#include "fk-guide-page.h"
#include "fk-scroll.h"
#include "fk-window.h"

struct _FkGuidePage
{
  AdwBin parent_instance;

  GtkStack *view;
  GtkSearchEntry *search_entry;
  GtkLabel *count_label;
  GtkListBox *list;
  GtkScrolledWindow *detail_scroll;
  GtkLabel *title_label;
  GtkLabel *description_label;
  GtkLabel *facts_label;
  GtkListBox *documents;
  GtkLabel *checked_label;
  GtkLabel *legal_label;

  FkProcedure *shown; /* the procedure in the detail view */
  guint n_checked;
};

G_DEFINE_FINAL_TYPE (FkGuidePage, fk_guide_page, ADW_TYPE_BIN)

static FkCatalog *
catalog (void)
{
  FkApplication *app = fk_application_get_default ();

  return app != NULL ? fk_application_get_catalog (app) : NULL;
}

/* 20000 as "20.000" in Vietnamese, "20,000" in English. */
static char *
group_digits (gint64 amount)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, amount);
  /* Translators: what separates thousands in a number */
  const char *separator = C_ ("number", ",");
  GString *out = g_string_new (NULL);
  gsize n = strlen (digits);

  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append (out, separator);
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/* The fee in a few words: "free", "20.000 đồng", "fee: see the details". */
static char *
fee_short (FkProcedure *procedure)
{
  g_autofree char *number = NULL;
  gint64 amount;

  if (!fk_procedure_get_fee_amount (procedure, &amount))
    return g_strdup (fk_procedure_get_fee (procedure) != NULL ? _ ("fee: see the details")
                                                              : _ ("fee not stated"));
  if (amount == 0)
    return g_strdup (_ ("free"));
  number = group_digits (amount);
  /* Translators: a fee, %s the amount in đồng */
  return g_strdup_printf (_ ("%s đồng"), number);
}

static const char *
online_short (FkProcedure *procedure)
{
  gboolean full = FALSE;

  if (!fk_procedure_has_online_info (procedure))
    return "";
  if (!fk_procedure_get_online (procedure, &full))
    return _ ("in person");
  return full ? _ ("online") : _ ("partly online");
}

static GtkWidget *
procedure_row (FkProcedure *procedure)
{
  g_autofree char *name = g_strdup_printf ("guide-row-%s", fk_procedure_get_code (procedure));
  g_autofree char *fee = fee_short (procedure);
  g_autofree char *limit = fk_procedure_format_time_limit (procedure);
  g_autofree char *subtitle =
    g_strdup_printf ("%s · %s · %s", fee, limit, online_short (procedure));
  GtkWidget *row = adw_action_row_new ();

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), fk_procedure_get_title (procedure));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "guide.show");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", fk_procedure_get_code (procedure));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  return row;
}

static void
fill_list (FkGuidePage *self)
{
  FkCatalog *cat = catalog ();
  g_autoptr (GPtrArray) found = NULL;
  g_autofree char *count = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  if (cat == NULL)
    return;
  found = fk_catalog_search (cat, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), NULL);
  for (guint i = 0; i < found->len; i++)
    gtk_list_box_append (self->list, procedure_row (g_ptr_array_index (found, i)));
  count = found->len == 0
            ? g_strdup (_ ("No procedure matches. Try fewer words, or another word for it."))
            : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u procedure · catalog version %s",
                                            "%u procedures · catalog version %s", found->len),
                               found->len, fk_catalog_get_version (cat));
  gtk_label_set_text (self->count_label, count);
}

static void
search_changed (FkGuidePage *self)
{
  fill_list (self);
}

static void
update_checked (FkGuidePage *self)
{
  guint total = self->shown != NULL ? fk_procedure_get_documents (self->shown)->len : 0;
  g_autofree char *text = g_strdup_printf (_ ("%u of %u papers ticked."), self->n_checked, total);

  gtk_label_set_text (self->checked_label, text);
}

static void
document_toggled (GtkCheckButton *check, GParamSpec *pspec, FkGuidePage *self)
{
  if (gtk_check_button_get_active (check))
    self->n_checked++;
  else if (self->n_checked > 0)
    self->n_checked--;
  update_checked (self);
  /* The count under the list follows the finger down the papers. */
  fk_scroll_into_view (GTK_WIDGET (self->checked_label));
}

/* One paper of the checklist: the whole row takes the tap. */
static GtkWidget *
document_row (FkGuidePage *self, const FkProcedureDocument *document)
{
  FkDocumentHandling handling = fk_procedure_document_get_handling (document);
  g_autofree char *name =
    g_strdup_printf ("guide-doc-%s", fk_procedure_document_get_code (document));
  g_autofree char *row_name =
    g_strdup_printf ("guide-paper-%s", fk_procedure_document_get_code (document));
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  gtk_widget_set_name (row, row_name);
  gtk_widget_set_name (check, name);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 fk_procedure_document_get_title (document));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), handling == FK_DOCUMENT_ORIGINAL_SHOWN
                                                       ? _ ("Original to show, handed back")
                                                     : handling == FK_DOCUMENT_KEPT
                                                       ? _ ("Kept in the dossier")
                                                       : "");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  g_signal_connect (check, "notify::active", G_CALLBACK (document_toggled), self);
  return row;
}

static char *
online_text (FkProcedure *procedure)
{
  gboolean full = FALSE;
  const char *code = fk_procedure_get_portal_code (procedure);
  const char *note = fk_procedure_get_online_note (procedure);
  GString *out = g_string_new (NULL);

  if (!fk_procedure_has_online_info (procedure))
    g_string_append (out, _ ("not stated"));
  else if (!fk_procedure_get_online (procedure, &full))
    g_string_append (out, _ ("No: it is done in person."));
  else
    g_string_append (out, full ? _ ("Yes, entirely, on the national public service portal "
                                    "(dichvucong.gov.vn).")
                               : _ ("In part, on the national public service portal "
                                    "(dichvucong.gov.vn)."));
  if (code != NULL)
    /* Translators: %s is the procedure's code on the national portal */
    g_string_append_printf (out, _ (" Code on the portal: %s."), code);
  if (note != NULL)
    g_string_append_printf (out, " %s", note);
  return g_string_free (out, FALSE);
}

/* A heading and its text, one line of the facts, as markup. */
static void
append_fact (GString *markup, const char *heading, const char *text)
{
  g_autofree char *h = g_markup_escape_text (heading, -1);
  g_autofree char *t = g_markup_escape_text (text != NULL ? text : _ ("not stated"), -1);

  g_string_append_printf (markup, "%s<b>%s</b> %s", markup->len > 0 ? "\n" : "", h, t);
}

static void
fill_facts (FkGuidePage *self, FkProcedure *procedure)
{
  g_autoptr (GPtrArray) submitters = fk_procedure_get_submitters (procedure);
  g_autoptr (GString) markup = g_string_new (NULL);
  g_autofree char *who = NULL;
  g_autofree char *limit = fk_procedure_format_time_limit (procedure);
  g_autofree char *time = NULL;
  g_autofree char *online = online_text (procedure);

  g_ptr_array_add (submitters, NULL);
  who = g_strjoinv ("; ", (char **) submitters->pdata);
  time = fk_procedure_get_time_limit_note (procedure) != NULL
           ? g_strdup_printf ("%s (%s)", limit, fk_procedure_get_time_limit_note (procedure))
           : g_strdup (limit);
  append_fact (markup, _ ("Who may submit:"), who);
  append_fact (markup, _ ("Fee:"), fk_procedure_get_fee (procedure));
  append_fact (markup, _ ("Result within:"), time);
  append_fact (markup, _ ("Decided by:"), fk_procedure_get_authority (procedure));
  append_fact (markup, _ ("Online:"), online);
  gtk_label_set_markup (self->facts_label, markup->str);
}

/**
 * fk_guide_page_show:
 * @code: a procedure code of the catalog in use
 *
 * Shows what the guide tells of the procedure, its papers unticked.
 *
 * Returns: %FALSE when the catalog in use has no such procedure
 */
gboolean
fk_guide_page_show (FkGuidePage *self, const char *code)
{
  FkCatalog *cat = catalog ();
  FkProcedure *procedure = cat != NULL ? fk_catalog_lookup (cat, code) : NULL;
  GPtrArray *documents;
  g_autofree char *legal = NULL;
  GtkWidget *child;

  g_return_val_if_fail (FK_IS_GUIDE_PAGE (self), FALSE);
  if (procedure == NULL)
    return FALSE;
  g_set_object (&self->shown, procedure);
  self->n_checked = 0;
  gtk_label_set_text (self->title_label, fk_procedure_get_title (procedure));
  gtk_label_set_text (self->description_label, fk_procedure_get_description (procedure) != NULL
                                                 ? fk_procedure_get_description (procedure)
                                                 : "");
  fill_facts (self, procedure);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->documents))) != NULL)
    gtk_list_box_remove (self->documents, child);
  documents = fk_procedure_get_documents (procedure);
  for (guint i = 0; i < documents->len; i++)
    gtk_list_box_append (self->documents, document_row (self, g_ptr_array_index (documents, i)));
  update_checked (self);
  /* Translators: %s lists the laws, decrees and circulars */
  legal = g_strdup_printf (_ ("Legal basis: %s"), fk_procedure_get_legal_basis (procedure) != NULL
                                                    ? fk_procedure_get_legal_basis (procedure)
                                                    : _ ("not stated"));
  gtk_label_set_text (self->legal_label, legal);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->detail_scroll), 0);
  gtk_stack_set_visible_child_name (self->view, "detail");
  return TRUE;
}

static void
show_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  fk_guide_page_show (FK_GUIDE_PAGE (widget), g_variant_get_string (param, NULL));
}

static void
list_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkGuidePage *self = FK_GUIDE_PAGE (widget);

  fill_list (self);
  gtk_stack_set_visible_child_name (self->view, "list");
}

static void
start_intake_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkGuidePage *self = FK_GUIDE_PAGE (widget);

  if (self->shown == NULL)
    return;
  gtk_widget_activate_action (widget, "win.start-intake", "s", fk_procedure_get_code (self->shown));
}

/* Coming back to the guide shows the catalog as it is now. */
static void
fk_guide_page_map (GtkWidget *widget)
{
  FkGuidePage *self = FK_GUIDE_PAGE (widget);

  GTK_WIDGET_CLASS (fk_guide_page_parent_class)->map (widget);
  if (g_str_equal (gtk_stack_get_visible_child_name (self->view), "list"))
    fill_list (self);
}

static void
fk_guide_page_dispose (GObject *object)
{
  g_clear_object (&FK_GUIDE_PAGE (object)->shown);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_GUIDE_PAGE);
  G_OBJECT_CLASS (fk_guide_page_parent_class)->dispose (object);
}

static void
fk_guide_page_class_init (FkGuidePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fk_guide_page_dispose;
  widget_class->map = fk_guide_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-guide-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FkGuidePage, view);
  gtk_widget_class_bind_template_child (widget_class, FkGuidePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, FkGuidePage, count_label);
  gtk_widget_class_bind_template_child (widget_class, FkGuidePage, list);
  gtk_widget_class_bind_template_child (widget_class, FkGuidePage, detail_scroll);
  gtk_widget_class_bind_template_child (widget_class, FkGuidePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, FkGuidePage, description_label);
  gtk_widget_class_bind_template_child (widget_class, FkGuidePage, facts_label);
  gtk_widget_class_bind_template_child (widget_class, FkGuidePage, documents);
  gtk_widget_class_bind_template_child (widget_class, FkGuidePage, checked_label);
  gtk_widget_class_bind_template_child (widget_class, FkGuidePage, legal_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed);

  gtk_widget_class_install_action (widget_class, "guide.show", "s", show_action);
  gtk_widget_class_install_action (widget_class, "guide.list", NULL, list_action);
  gtk_widget_class_install_action (widget_class, "guide.start-intake", NULL, start_intake_action);
}

static void
fk_guide_page_init (FkGuidePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
