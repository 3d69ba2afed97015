/* fk-handover-page.c: giving a citizen the result of an earlier dossier
 *
 * The citizen is found by the ID number (the store's keyed-hash index),
 * typed or read from the QR code of the ID card with the live camera, or
 * by name (the store decrypts each dossier in a worker thread and compares
 * without accents); the fingerprint taken at intake (decrypted by the
 * store in a worker thread too) is checked on the reader before the
 * handover is recorded. Results come with every sync (the scheduler pulls
 * after each upload) or from "Get results" here, and are kept in the
 * store (dossier id, status, dates), so a handover works with no signal.
 * The chosen dossier's receipt can be printed again, for a citizen who
 * lost it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-application.h"
#include "fk-card-scanner.h"
#include "fk-cccd.h"
#include "fk-dossier.h"
#include "fk-fingerprint.h"
#include "fk-handover-page.h"
#include "fk-outbox.h"
#include "fk-receipt-print.h"
#include "fk-scroll.h"
#include "fk-sync-pull.h"
#include "fk-sync-report.h"
#include "fk-text.h"
#include "fk-window.h"

struct _FkHandoverPage
{
  AdwBin parent_instance;

  GtkSearchEntry *query_entry;
  GtkListBox *results;
  GtkLabel *message_label;
  GtkLabel *chosen_label;
  GtkProgressBar *verify_progress;
  GtkWidget *scan_box;
  FkCardScanner *card_scanner;

  char *dossier_id;
  GHashTable *templates; /* dossier id → index of its fingerprint template + 1, 0: none */
  gboolean verified;
  FkFingerprint *reader;
  GCancellable *cancellable;
  GCancellable *verify_cancellable; /* the fingerprint check under way */
  GtkWidget *verify_cancel_button;
};

G_DEFINE_FINAL_TYPE (FkHandoverPage, fk_handover_page, ADW_TYPE_BIN)

typedef struct
{
  char *id;
  char *name;
  char *procedure;
  int template_index; /* -1: no fingerprint template */
} Match;

static void
match_free (gpointer data)
{
  Match *m = data;

  g_free (m->id);
  g_free (m->name);
  g_free (m->procedure);
  g_free (m);
}

static void
set_message (FkHandoverPage *self, const char *text, gboolean error)
{
  gtk_label_set_text (self->message_label, text != NULL ? text : "");
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
}

/* What the office decided, as the officer reads it. */
static const char *
result_label (const FkStoreResult *r)
{
  if (r == NULL)
    return _ ("no result yet");
  if (r->handed_over != 0)
    return _ ("handed over");
  if (g_str_equal (r->status, "ready"))
    return _ ("result ready");
  if (g_str_equal (r->status, "rejected"))
    return _ ("refused by the commune");
  if (g_str_equal (r->status, "needs-documents"))
    return _ ("more papers needed");
  return r->status;
}

static Match *
match_from_dossier (FkDossier *dossier)
{
  FkCitizen *citizen = fk_dossier_get_citizen (dossier);
  GPtrArray *attachments = fk_dossier_get_attachments (dossier);
  Match *m;

  if (citizen == NULL)
    return NULL;
  m = g_new0 (Match, 1);
  m->id = g_strdup (fk_dossier_get_id (dossier));
  m->name =
    g_strdup (fk_citizen_get_full_name (citizen) != NULL ? fk_citizen_get_full_name (citizen) : "");
  m->procedure =
    g_strdup (fk_dossier_get_procedure (dossier) != NULL ? fk_dossier_get_procedure (dossier) : "");
  m->template_index = -1;
  for (guint i = 0; i < attachments->len; i++)
    {
      const FkAttachment *a = g_ptr_array_index (attachments, i);

      if (a->kind == FK_ATTACHMENT_FINGERPRINT_TEMPLATE)
        m->template_index = (int) i;
    }
  return m;
}

static void
find_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkHandoverPage) self = user_data;
  FkStore *store = FK_STORE (source);
  FkCatalog *catalog = fk_application_get_catalog (fk_application_get_default ());
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) dossiers = fk_store_find_dossiers_finish (store, result, &error);
  g_autoptr (GPtrArray) matches = g_ptr_array_new_with_free_func (match_free);
  g_autofree char *text = NULL;

  if (dossiers == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, error->message, TRUE);
      return;
    }
  for (guint i = 0; i < dossiers->len; i++)
    {
      Match *m = match_from_dossier (g_ptr_array_index (dossiers, i));

      if (m != NULL)
        g_ptr_array_add (matches, m);
    }
  for (guint i = 0; i < matches->len; i++)
    {
      Match *m = g_ptr_array_index (matches, i);
      FkProcedure *procedure = catalog != NULL ? fk_catalog_lookup (catalog, m->procedure) : NULL;
      g_autofree char *number = g_ascii_strup (m->id, 8);
      g_autoptr (FkStoreResult) r = fk_store_get_result (store, m->id);
      g_autofree char *subtitle = g_strdup_printf (
        "%s · %s · %s", number,
        procedure != NULL ? fk_procedure_get_title (procedure) : m->procedure, result_label (r));
      g_autofree char *name = g_strdup_printf ("result-%s", m->id);
      GtkWidget *row = adw_action_row_new ();

      gtk_widget_set_name (row, name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), m->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "handover.pick");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", m->id);
      g_hash_table_insert (self->templates, g_strdup (m->id),
                           GINT_TO_POINTER (m->template_index + 1));
      gtk_list_box_append (self->results, row);
    }
  text = matches->len == 0 ? g_strdup (_ ("No dossier found for this citizen on this device."))
                           : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u dossier found.",
                                                           "%u dossiers found.", matches->len),
                                              matches->len);
  set_message (self, text, matches->len == 0);
}

static void
clear_choice (FkHandoverPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results))) != NULL)
    gtk_list_box_remove (self->results, child);
  g_cancellable_cancel (self->verify_cancellable);
  g_clear_pointer (&self->dossier_id, g_free);
  g_hash_table_remove_all (self->templates);
  self->verified = FALSE;
  gtk_label_set_text (self->chosen_label, "");
  gtk_progress_bar_set_fraction (self->verify_progress, 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "handover.verify", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "handover.record", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "handover.print-receipt", FALSE);
}

static void
find_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkHandoverPage *self = FK_HANDOVER_PAGE (widget);
  FkStore *store = fk_application_get_store (fk_application_get_default ());
  g_autofree char *query =
    g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->query_entry))));

  fk_card_scanner_stop (self->card_scanner);
  gtk_widget_set_visible (self->scan_box, FALSE);

  clear_choice (self);
  if (store == NULL || strlen (query) < 2)
    {
      set_message (self, _ ("Type the 12-digit ID number or part of the name."), TRUE);
      return;
    }
  set_message (self, _ ("Searching…"), FALSE);
  fk_store_find_dossiers_async (store, query, self->cancellable, find_done, g_object_ref (self));
}

static void
scan_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkHandoverPage *self = FK_HANDOVER_PAGE (widget);

  clear_choice (self);
  set_message (self, NULL, FALSE);
  fk_card_scanner_reset (self->card_scanner);
  gtk_widget_set_visible (self->scan_box, TRUE);
  fk_scroll_into_view (self->scan_box);
  fk_card_scanner_start (self->card_scanner);
}

static void
scan_cancel_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkHandoverPage *self = FK_HANDOVER_PAGE (widget);

  fk_card_scanner_stop (self->card_scanner);
  gtk_widget_set_visible (self->scan_box, FALSE);
}

/* The card's ID number goes through the same search as a typed one. */
static void
card_read (FkHandoverPage *self, FkCccdCard *card, FkCardScanner *scanner)
{
  const char *id = fk_cccd_card_get_id_number (card);

  gtk_widget_set_visible (self->scan_box, FALSE);
  if (id == NULL || strlen (id) != 12 || !fk_text_is_digits (id, 12))
    {
      clear_choice (self);
      set_message (self,
                   _ ("The ID number on this card could not be read. Type it or the name "
                      "instead."),
                   TRUE);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->query_entry), id);
  gtk_widget_activate_action (GTK_WIDGET (self), "handover.find", NULL);
}

static void
pick_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkHandoverPage *self = FK_HANDOVER_PAGE (widget);
  const char *id = g_variant_get_string (param, NULL);
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;
  g_autoptr (FkStoreResult) result = NULL;
  gboolean has_template;

  if (!g_hash_table_contains (self->templates, id))
    return;
  result = fk_store_get_result (fk_application_get_store (fk_application_get_default ()), id);
  has_template = GPOINTER_TO_INT (g_hash_table_lookup (self->templates, id)) > 0;
  g_free (self->dossier_id);
  self->dossier_id = g_strdup (id);
  self->verified = FALSE;
  number = g_ascii_strup (self->dossier_id, 8);
  text = g_strdup_printf (_ ("Dossier %s"), number);
  gtk_label_set_text (self->chosen_label, text);
  /* A citizen who lost the receipt gets it again, with or without a result. */
  gtk_widget_action_set_enabled (widget, "handover.print-receipt", TRUE);
  if (result == NULL)
    {
      /* Nothing to hand over yet: the next sync may bring it. */
      gtk_widget_action_set_enabled (widget, "handover.verify", FALSE);
      gtk_widget_action_set_enabled (widget, "handover.record", FALSE);
      set_message (self,
                   _ ("No result has come from the server for this dossier yet. It comes with "
                      "the next sync."),
                   TRUE);
      return;
    }
  gtk_widget_action_set_enabled (widget, "handover.verify", has_template);
  /* No print was taken (no consent): the officer checks the ID card. */
  gtk_widget_action_set_enabled (widget, "handover.record", !has_template);
  set_message (self,
               has_template
                 ? _ ("Check the citizen's fingerprint before handing the result over.")
                 : _ ("No fingerprint with this dossier: check the ID card, then record."),
               FALSE);
}

static void
printed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkHandoverPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *printer = fk_receipt_print_finish (result, &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "handover.print-receipt",
                                 self->dossier_id != NULL);
  text = printer != NULL ? g_strdup_printf (_ ("The receipt was printed on %s."), printer)
                         : fk_receipt_print_explain (error);
  set_message (self, text, printer == NULL);
}

/* The chosen dossier's receipt again, for a citizen who lost it. */
static void
print_receipt_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkHandoverPage *self = FK_HANDOVER_PAGE (widget);

  if (self->dossier_id == NULL)
    return;
  gtk_widget_action_set_enabled (widget, "handover.print-receipt", FALSE);
  set_message (self, _ ("Printing the receipt…"), FALSE);
  fk_receipt_print_async (widget, self->dossier_id, self->cancellable, printed,
                          g_object_ref (self));
}

static void
verify_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkHandoverPage) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean match = FALSE;

  /* The page went away while the reader waited. */
  if (self->templates == NULL)
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "handover.verify", self->dossier_id != NULL);
  gtk_widget_set_visible (self->verify_cancel_button, FALSE);
  g_clear_object (&self->verify_cancellable);
  if (!fk_fingerprint_verify_finish (FK_FINGERPRINT (source), result, &match, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_progress_bar_set_fraction (self->verify_progress, 0);
      if (self->dossier_id != NULL)
        set_message (self, _ ("The fingerprint check was stopped. Check again when ready."), FALSE);
      return;
    }
  if (error != NULL)
    {
      g_autofree char *text =
        g_strdup_printf (_ ("The fingerprint could not be checked: %s"), error->message);
      gtk_progress_bar_set_fraction (self->verify_progress, 0);
      set_message (self, text, TRUE);
      return;
    }
  gtk_progress_bar_set_fraction (self->verify_progress, 1.0);
  self->verified = match;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "handover.record", match);
  set_message (self,
               match ? _ ("The fingerprint matches.")
                     : _ ("The fingerprint does not match. Try another press, or check the ID "
                          "card and ask the commune."),
               !match);
}

static void
template_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkHandoverPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) template = fk_store_load_attachment_finish (FK_STORE (source), result, &error);

  /* The page went away, or the choice changed, while the store decrypted. */
  if (self->templates == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (template != NULL && self->reader == NULL)
    self->reader = fk_devices_open_fingerprint (
      fk_application_get_devices (fk_application_get_default ()), &error);
  if (template == NULL || self->reader == NULL)
    {
      gtk_progress_bar_set_fraction (self->verify_progress, 0);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "handover.verify", TRUE);
      gtk_widget_set_visible (self->verify_cancel_button, FALSE);
      g_clear_object (&self->verify_cancellable);
      set_message (self, error->message, TRUE);
      return;
    }
  set_message (self, _ ("Place the citizen's finger flat on the reader."), FALSE);
  fk_fingerprint_verify_async (self->reader, template, self->verify_cancellable, verify_done,
                               g_object_ref (self));
}

static void
verify_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkHandoverPage *self = FK_HANDOVER_PAGE (widget);
  FkStore *store = fk_application_get_store (fk_application_get_default ());
  int index = self->dossier_id != NULL
                ? GPOINTER_TO_INT (g_hash_table_lookup (self->templates, self->dossier_id)) - 1
                : -1;

  if (self->dossier_id == NULL || index < 0 || store == NULL)
    return;
  gtk_progress_bar_pulse (self->verify_progress);
  gtk_widget_action_set_enabled (widget, "handover.verify", FALSE);
  gtk_widget_set_visible (self->verify_cancel_button, TRUE);
  g_clear_object (&self->verify_cancellable);
  self->verify_cancellable = g_cancellable_new ();
  /* A few KiB, decrypted into memory only, off the main thread. */
  fk_store_load_attachment_async (store, self->dossier_id, (guint) index, self->verify_cancellable,
                                  template_loaded, g_object_ref (self));
}

static void
verify_cancel_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  g_cancellable_cancel (FK_HANDOVER_PAGE (widget)->verify_cancellable);
}

static void
record_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkHandoverPage *self = FK_HANDOVER_PAGE (widget);
  FkApplication *app = fk_application_get_default ();
  FkStore *store = fk_application_get_store (app);
  g_autoptr (GError) error = NULL;
  GtkWidget *window = gtk_widget_get_ancestor (widget, FK_TYPE_WINDOW);

  if (self->dossier_id == NULL || store == NULL)
    return;
  /* The commune's office learns it at the next pull. */
  if (!fk_store_record_handover (store, self->dossier_id, &error) ||
      !fk_sync_record_handover (store, self->dossier_id, NULL, &error))
    {
      set_message (self, error->message, TRUE);
      return;
    }
  fk_session_count (fk_application_get_session (app), "handovers");
  if (window != NULL)
    fk_window_toast (FK_WINDOW (window), _ ("Handover recorded"));
  clear_choice (self);
  gtk_editable_set_text (GTK_EDITABLE (self->query_entry), "");
  set_message (self, _ ("Handover recorded."), FALSE);
}

static void
pull_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkHandoverPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkSyncPullSummary) summary = fk_sync_pull_finish (FK_STORE (source), result, &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "handover.pull", TRUE);
  if (summary == NULL)
    {
      text = g_strdup_printf (_ ("No results received: %s"), error->message);
      set_message (self, text, TRUE);
      return;
    }
  fk_session_pulled (fk_application_get_session (fk_application_get_default ()), summary);
  text =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new result from the server.",
                                  "%u new results from the server.", (gulong) summary->results),
                     summary->results);
  set_message (self, text, FALSE);
}

static void
pull_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkHandoverPage *self = FK_HANDOVER_PAGE (widget);
  FkApplication *app = fk_application_get_default ();
  FkStore *store = fk_application_get_store (app);
  GSettings *settings = fk_application_get_settings (app);
  g_autofree char *url = settings != NULL ? g_settings_get_string (settings, "server-url") : NULL;

  /* The practice profile never talks to the real server: it asks its
   * practice server, if one runs. */
  if (fk_application_get_practice (app))
    {
      g_free (url);
      url = g_strdup (fk_session_get_practice_url (fk_application_get_session (app)));
      if (url == NULL)
        {
          set_message (self,
                       _ ("Practice: no practice server runs, none is asked. Results come in "
                          "the real profile."),
                       TRUE);
          return;
        }
    }
  if (store == NULL || url == NULL || *url == '\0')
    {
      set_message (self, _ ("Set the server's address in Settings first."), TRUE);
      return;
    }
  set_message (self, _ ("Asking the server…"), FALSE);
  gtk_widget_action_set_enabled (widget, "handover.pull", FALSE);
  fk_sync_pull_async (store, url, NULL, 30, self->cancellable, pull_done, g_object_ref (self));
}

/* Leaving the page ends a scan: the camera is off (the scanner stopped
 * itself) and the officer comes back to the search. */
static void
fk_handover_page_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (fk_handover_page_parent_class)->unmap (widget);
  gtk_widget_set_visible (FK_HANDOVER_PAGE (widget)->scan_box, FALSE);
  g_cancellable_cancel (FK_HANDOVER_PAGE (widget)->verify_cancellable);
}

static void
fk_handover_page_dispose (GObject *object)
{
  FkHandoverPage *self = FK_HANDOVER_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->verify_cancellable);
  g_clear_object (&self->verify_cancellable);
  g_clear_object (&self->reader);
  g_clear_pointer (&self->dossier_id, g_free);
  g_clear_pointer (&self->templates, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_HANDOVER_PAGE);
  G_OBJECT_CLASS (fk_handover_page_parent_class)->dispose (object);
}

static void
fk_handover_page_class_init (FkHandoverPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fk_handover_page_dispose;
  widget_class->unmap = fk_handover_page_unmap;

  g_type_ensure (FK_TYPE_CARD_SCANNER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-handover-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FkHandoverPage, query_entry);
  gtk_widget_class_bind_template_child (widget_class, FkHandoverPage, results);
  gtk_widget_class_bind_template_child (widget_class, FkHandoverPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, FkHandoverPage, chosen_label);
  gtk_widget_class_bind_template_child (widget_class, FkHandoverPage, verify_progress);
  gtk_widget_class_bind_template_child (widget_class, FkHandoverPage, scan_box);
  gtk_widget_class_bind_template_child (widget_class, FkHandoverPage, card_scanner);
  gtk_widget_class_bind_template_child (widget_class, FkHandoverPage, verify_cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, card_read);

  gtk_widget_class_install_action (widget_class, "handover.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "handover.pull", NULL, pull_action);
  gtk_widget_class_install_action (widget_class, "handover.scan", NULL, scan_action);
  gtk_widget_class_install_action (widget_class, "handover.scan-cancel", NULL, scan_cancel_action);
  gtk_widget_class_install_action (widget_class, "handover.pick", "s", pick_action);
  gtk_widget_class_install_action (widget_class, "handover.verify", NULL, verify_action);
  gtk_widget_class_install_action (widget_class, "handover.verify-cancel", NULL,
                                   verify_cancel_action);
  gtk_widget_class_install_action (widget_class, "handover.record", NULL, record_action);
  gtk_widget_class_install_action (widget_class, "handover.print-receipt", NULL,
                                   print_receipt_action);
}

static void
fk_handover_page_init (FkHandoverPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->templates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  clear_choice (self);
}
