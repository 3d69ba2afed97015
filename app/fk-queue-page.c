/* fk-queue-page.c: the outbox: what waits, what went, what was refused
 *
 * The scheduler sends on its own when the network and the team's policy
 * allow; this page shows its state, the network, the progress of a batch
 * in bytes, a tablet clock the server found off (sending used the
 * server's time, but the officer should set the clock), when results and
 * the catalog last came back (the scheduler pulls after each batch that
 * sent everything), every dossier's state, and lets the officer send
 * now, put a
 * quarantined dossier back in the queue once its problem is fixed, or
 * discard it for good (after a confirmation), and print a dossier's
 * receipt (again, or for the first time when the printer failed).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-application.h"
#include "fk-outbox.h"
#include "fk-queue-page.h"
#include "fk-receipt-print.h"
#include "fk-status-text.h"
#include "fk-window.h"

struct _FkQueuePage
{
  AdwBin parent_instance;

  GtkLabel *network_label;
  GtkLabel *status_label;
  GtkLabel *clock_label;
  GtkLabel *pull_label;
  GtkWidget *pause_button;
  GtkProgressBar *progress;
  GtkLabel *bytes_label;
  GtkLabel *summary_label;
  GtkListBox *list;

  GCancellable *cancellable;  /* prints under way */
  FkSyncScheduler *scheduler; /* watched, not owned: a weak pointer (practice changes it) */
  FkNetworkMonitor *network;  /* watched, not owned */
};

G_DEFINE_FINAL_TYPE (FkQueuePage, fk_queue_page, ADW_TYPE_BIN)

static const char *
state_label (FkOutboxState state)
{
  switch (state)
    {
      case FK_OUTBOX_DRAFT:
        return _ ("unfinished (draft)");
      case FK_OUTBOX_SEALED:
        return _ ("sealed, not queued");
      case FK_OUTBOX_QUEUED:
        return _ ("waiting to be sent");
      case FK_OUTBOX_UPLOADING:
        return _ ("sending");
      case FK_OUTBOX_DELIVERED:
        return _ ("delivered");
      case FK_OUTBOX_QUARANTINED:
        return _ ("refused by the server");
      case FK_OUTBOX_DISCARDED:
        return _ ("discarded");
      default:
        return "";
    }
}

static void
update_network (FkQueuePage *self)
{
  g_autofree char *text = fk_status_text_network (self->network);

  gtk_label_set_text (self->network_label, text);
}

static void
update_status (FkQueuePage *self)
{
  FkSyncScheduler *scheduler = self->scheduler;
  const char *reason;

  gtk_label_set_text (self->clock_label,
                      scheduler != NULL ? fk_sync_scheduler_get_clock_warning (scheduler) : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->clock_label),
                          scheduler != NULL &&
                            fk_sync_scheduler_get_clock_warning (scheduler) != NULL);
  if (scheduler == NULL)
    {
      FkSession *session = fk_application_get_session (fk_application_get_default ());

      const char *problem = fk_session_get_practice_problem (session);
      g_autofree char *stays = NULL;

      if (problem != NULL)
        /* Translators: %s: why fieldkit-server could not run */
        stays = g_strdup_printf (_ ("Practice: no practice server could be started (%s), so "
                                    "the practice dossiers stay on this tablet."),
                                 problem);
      gtk_label_set_text (self->status_label,
                          stays != NULL ? stays
                          : fk_session_get_practice (session)
                            ? _ ("Practice: the practice server is starting…")
                            : _ ("Sending is off: set the server's address in Settings."));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "queue.send-now", FALSE);
      return;
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "queue.send-now",
                                 fk_sync_scheduler_get_state (scheduler) !=
                                   FK_SYNC_SCHEDULER_RUNNING);
  gtk_widget_set_visible (self->pause_button,
                          fk_sync_scheduler_get_state (scheduler) != FK_SYNC_SCHEDULER_PAUSED);
  reason = fk_sync_scheduler_get_blocked_reason (scheduler);
  switch (fk_sync_scheduler_get_state (scheduler))
    {
      case FK_SYNC_SCHEDULER_RUNNING:
        gtk_label_set_text (self->status_label, _ ("Sending…"));
        break;
      case FK_SYNC_SCHEDULER_BLOCKED:
        gtk_label_set_text (self->status_label, reason != NULL ? reason : _ ("Waiting"));
        break;
      case FK_SYNC_SCHEDULER_PAUSED:
        gtk_label_set_text (self->status_label,
                            _ ("Sending is paused. Press “Send now” to go on; what was sent "
                               "is kept."));
        break;
      case FK_SYNC_SCHEDULER_BACKOFF:
        gtk_label_set_text (self->status_label,
                            _ ("The last try failed; it will try again by itself."));
        break;
      case FK_SYNC_SCHEDULER_IDLE:
      default:
        gtk_label_set_text (self->status_label,
                            _ ("Ready: dossiers are sent as soon as possible."));
        break;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->progress),
                          fk_sync_scheduler_get_state (scheduler) == FK_SYNC_SCHEDULER_RUNNING);
  gtk_widget_set_visible (GTK_WIDGET (self->bytes_label),
                          fk_sync_scheduler_get_state (scheduler) == FK_SYNC_SCHEDULER_RUNNING);
}

/* When results and the catalog last came back, and the catalog in use. */
static void
update_pull (FkQueuePage *self)
{
  FkSession *session = fk_application_get_session (fk_application_get_default ());
  FkCatalog *catalog = fk_session_get_catalog (session);
  const char *error =
    self->scheduler != NULL ? fk_sync_scheduler_get_pull_error (self->scheduler) : NULL;
  g_autofree char *when =
    fk_status_text_when (fk_session_get_last_pull (session), g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *text = NULL;

  if (error != NULL)
    text = g_strdup_printf (_ ("Results and catalog last received: %s. The last try failed: %s"),
                            when, error);
  else
    text = g_strdup_printf (_ ("Results and catalog last received: %s · catalog version %s"), when,
                            catalog != NULL ? fk_catalog_get_version (catalog) : "?");
  gtk_label_set_text (self->pull_label, text);
  if (error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->pull_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->pull_label), "warning");
}

static void
add_print_button (GtkWidget *row, const char *id)
{
  GtkWidget *print = gtk_button_new_from_icon_name ("printer-symbolic");
  g_autofree char *name = g_strdup_printf ("print-%s", id);

  gtk_widget_set_tooltip_text (print, _ ("Print receipt"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (print), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Print receipt"), -1);
  gtk_widget_set_valign (print, GTK_ALIGN_CENTER);
  gtk_widget_set_name (print, name);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (print), "queue.print-receipt");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (print), "s", id);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), print);
}

static void
refresh_list (FkQueuePage *self)
{
  FkApplication *app = fk_application_get_default ();
  FkStore *store = fk_application_get_store (app);
  FkCatalog *catalog = fk_application_get_catalog (app);
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GError) error = NULL;
  guint counts[FK_OUTBOX_QUARANTINED + 1] = { 0 };
  g_autofree char *summary = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  if (store == NULL)
    return;
  entries = fk_outbox_list (store, FK_OUTBOX_ANY_STATE, &error);
  if (entries == NULL)
    {
      gtk_label_set_text (self->summary_label, error->message);
      return;
    }
  /* Newest first: the officer looks for what was just taken. */
  for (guint n = entries->len; n > 0; n--)
    {
      FkOutboxEntry *e = g_ptr_array_index (entries, n - 1);
      FkProcedure *procedure = catalog != NULL ? fk_catalog_lookup (catalog, e->procedure) : NULL;
      g_autofree char *number = g_ascii_strup (e->id, 8);
      g_autofree char *title = g_strdup_printf (
        "%s · %s", number, procedure != NULL ? fk_procedure_get_title (procedure) : e->procedure);
      g_autofree char *size = g_format_size (e->bytes);
      g_autofree char *subtitle = NULL;
      g_autofree char *name = g_strdup_printf ("dossier-%s", e->id);
      GtkWidget *row;
      GtkWidget *state;

      /* Given up by the officer: no longer part of the queue (the audit log
       * and fieldkit-ctl still list it). */
      if (e->state == FK_OUTBOX_DISCARDED)
        continue;
      row = adw_action_row_new ();
      state = gtk_label_new (state_label (e->state));
      if (e->state <= FK_OUTBOX_QUARANTINED)
        counts[e->state]++;
      subtitle = e->state == FK_OUTBOX_QUARANTINED && e->reason != NULL
                   ? g_strdup_printf (_ ("%s · reason: %s"), size, e->reason)
                   : g_strdup (size);
      gtk_widget_set_name (state, name);
      gtk_widget_add_css_class (state, "outbox-state");
      gtk_widget_add_css_class (state, fk_outbox_state_to_string (e->state));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);
      if (e->state == FK_OUTBOX_QUARANTINED)
        {
          GtkWidget *retry = gtk_button_new_with_label (_ ("Retry"));
          GtkWidget *discard = gtk_button_new_with_label (_ ("Discard"));
          g_autofree char *discard_name = g_strdup_printf ("discard-%s", e->id);

          gtk_widget_set_valign (retry, GTK_ALIGN_CENTER);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (retry), "queue.retry");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (retry), "s", e->id);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), retry);
          gtk_widget_set_valign (discard, GTK_ALIGN_CENTER);
          gtk_widget_set_name (discard, discard_name);
          gtk_widget_add_css_class (discard, "destructive-action");
          gtk_actionable_set_action_name (GTK_ACTIONABLE (discard), "queue.discard");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (discard), "s", e->id);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), discard);
        }
      if (e->state != FK_OUTBOX_DRAFT)
        add_print_button (row, e->id);
      gtk_list_box_append (self->list, row);
    }
  summary = g_strdup_printf (_ ("Waiting: %u · Delivered: %u · Refused: %u"),
                             counts[FK_OUTBOX_QUEUED] + counts[FK_OUTBOX_UPLOADING] +
                               counts[FK_OUTBOX_SEALED],
                             counts[FK_OUTBOX_DELIVERED], counts[FK_OUTBOX_QUARANTINED]);
  gtk_label_set_text (self->summary_label, summary);
}

static void
on_progress (FkSyncScheduler *scheduler, guint64 done, guint64 total, guint dossiers_done,
             guint dossiers_total, gpointer user_data)
{
  FkQueuePage *self = user_data;
  g_autofree char *done_text = g_format_size (done);
  g_autofree char *total_text = g_format_size (total);
  g_autofree char *text = NULL;

  gtk_progress_bar_set_fraction (self->progress, total > 0 ? (double) done / total : 0);
  text = g_strdup_printf (_ ("%s of %s · dossier %u of %u"), done_text, total_text,
                          MIN (dossiers_done + 1, dossiers_total), dossiers_total);
  gtk_label_set_text (self->bytes_label, text);
}

static void
on_batch_finished (FkSyncScheduler *scheduler, guint delivered, guint quarantined, guint remaining,
                   const char *error, gpointer user_data)
{
  FkQueuePage *self = user_data;
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), FK_TYPE_WINDOW);
  g_autofree char *text = NULL;

  refresh_list (self);
  update_status (self);
  if (window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  text = error != NULL ? g_strdup_printf (_ ("Sending stopped: %s"), error)
                       : g_strdup_printf (_ ("Sent: %u delivered, %u refused, %u still waiting"),
                                          delivered, quarantined, remaining);
  fk_window_toast (FK_WINDOW (window), text);
}

static void
on_scheduler_changed (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  FkQueuePage *self = user_data;

  update_status (self);
  update_pull (self);
  refresh_list (self);
}

static void
on_batch_started (FkSyncScheduler *scheduler, gpointer user_data)
{
  on_scheduler_changed (G_OBJECT (scheduler), NULL, user_data);
}

static void
on_network_changed (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  update_network (FK_QUEUE_PAGE (user_data));
}

static void
watch (FkQueuePage *self)
{
  FkSession *session = fk_application_get_session (fk_application_get_default ());
  FkSyncScheduler *scheduler = fk_session_get_scheduler (session);
  FkNetworkMonitor *network = fk_session_get_network (session);

  if (scheduler != self->scheduler)
    {
      if (self->scheduler != NULL)
        g_signal_handlers_disconnect_by_data (self->scheduler, self);
      g_set_weak_pointer (&self->scheduler, scheduler);
      if (scheduler != NULL)
        {
          g_signal_connect_object (scheduler, "progress", G_CALLBACK (on_progress), self, 0);
          g_signal_connect_object (scheduler, "batch-finished", G_CALLBACK (on_batch_finished),
                                   self, 0);
          g_signal_connect_object (scheduler, "batch-started", G_CALLBACK (on_batch_started), self,
                                   0);
          g_signal_connect_object (scheduler, "notify::state", G_CALLBACK (on_scheduler_changed),
                                   self, 0);
          g_signal_connect_object (scheduler, "notify::clock-warning",
                                   G_CALLBACK (on_scheduler_changed), self, 0);
          g_signal_connect_object (scheduler, "notify::pull-error",
                                   G_CALLBACK (on_scheduler_changed), self, 0);
        }
    }
  if (network != self->network)
    {
      if (self->network != NULL)
        g_signal_handlers_disconnect_by_data (self->network, self);
      self->network = network;
      if (network != NULL)
        g_signal_connect_object (network, "notify", G_CALLBACK (on_network_changed), self, 0);
    }
}

static void
send_now_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkQueuePage *self = FK_QUEUE_PAGE (widget);

  watch (self);
  if (self->scheduler == NULL)
    return;
  gtk_progress_bar_set_fraction (self->progress, 0);
  gtk_label_set_text (self->bytes_label, "");
  fk_sync_scheduler_send_now (self->scheduler);
  update_status (self);
}

static void
pause_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkQueuePage *self = FK_QUEUE_PAGE (widget);

  watch (self);
  if (self->scheduler == NULL)
    return;
  fk_sync_scheduler_pause (self->scheduler);
  update_status (self);
}

static void
retry_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkQueuePage *self = FK_QUEUE_PAGE (widget);
  FkStore *store = fk_application_get_store (fk_application_get_default ());
  g_autoptr (GError) error = NULL;
  GtkWidget *window = gtk_widget_get_ancestor (widget, FK_TYPE_WINDOW);

  if (store == NULL)
    return;
  if (!fk_outbox_transition (store, g_variant_get_string (param, NULL), FK_OUTBOX_QUEUED, NULL,
                             NULL, &error))
    {
      if (window != NULL)
        fk_window_toast (FK_WINDOW (window), error->message);
      return;
    }
  refresh_list (self);
  if (self->scheduler != NULL)
    fk_sync_scheduler_queue_changed (self->scheduler);
}

static void
printed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkQueuePage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *printer = fk_receipt_print_finish (result, &error);
  g_autofree char *text = NULL;
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), FK_TYPE_WINDOW);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || window == NULL)
    return;
  text = printer != NULL ? g_strdup_printf (_ ("The receipt was printed on %s."), printer)
                         : g_strdup_printf (_ ("The receipt was not printed: %s"), error->message);
  fk_window_toast (FK_WINDOW (window), text);
}

static void
print_receipt_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkQueuePage *self = FK_QUEUE_PAGE (widget);

  fk_receipt_print_async (widget, g_variant_get_string (param, NULL), self->cancellable, printed,
                          g_object_ref (self));
}

static void
on_discard_response (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  FkQueuePage *self = user_data;
  FkStore *store = fk_application_get_store (fk_application_get_default ());
  const char *id = g_object_get_data (G_OBJECT (dialog), "dossier-id");
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), FK_TYPE_WINDOW);
  g_autoptr (GError) error = NULL;

  if (!g_str_equal (response, "discard") || store == NULL)
    return;
  if (!fk_outbox_transition (store, id, FK_OUTBOX_DISCARDED, NULL, NULL, &error))
    {
      if (window != NULL)
        fk_window_toast (FK_WINDOW (window), error->message);
      refresh_list (self);
      return;
    }
  refresh_list (self);
  if (window != NULL)
    fk_window_toast (FK_WINDOW (window), _ ("The dossier was discarded."));
}

/* Erasing a citizen's dossier cannot be undone: ask first. */
static void
discard_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkQueuePage *self = FK_QUEUE_PAGE (widget);
  FkStore *store = fk_application_get_store (fk_application_get_default ());
  const char *id = g_variant_get_string (param, NULL);
  GtkWidget *window = gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW);
  g_autoptr (FkOutboxEntry) entry = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (store == NULL)
    return;
  entry = fk_outbox_get (store, id, &error);
  if (entry == NULL)
    {
      if (FK_IS_WINDOW (window))
        fk_window_toast (FK_WINDOW (window), error->message);
      return;
    }
  number = g_ascii_strup (entry->id, 8);
  body = g_strdup_printf (_ ("Dossier %s was refused by the server (%s). Discarding erases it from "
                             "this device for good; it cannot be sent any more. Take it in again "
                             "if the citizen still needs it."),
                          number, entry->reason != NULL ? entry->reason : "");
  dialog = adw_message_dialog_new (GTK_WINDOW (window), _ ("Discard this dossier?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("Keep it"), "discard",
                                    _ ("Discard"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "dossier-id", g_strdup (entry->id), g_free);
  /* Part of the application, like the window it covers. */
  gtk_window_set_application (GTK_WINDOW (dialog),
                              gtk_window_get_application (GTK_WINDOW (window)));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
fk_queue_page_map (GtkWidget *widget)
{
  FkQueuePage *self = FK_QUEUE_PAGE (widget);

  GTK_WIDGET_CLASS (fk_queue_page_parent_class)->map (widget);
  watch (self);
  update_network (self);
  update_status (self);
  update_pull (self);
  refresh_list (self);
}

static void
on_session_pulled (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  update_pull (FK_QUEUE_PAGE (user_data));
}

static void
fk_queue_page_dispose (GObject *object)
{
  FkQueuePage *self = FK_QUEUE_PAGE (object);

  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  if (self->network != NULL)
    g_signal_handlers_disconnect_by_data (self->network, self);
  g_clear_weak_pointer (&self->scheduler);
  self->network = NULL;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_QUEUE_PAGE);
  G_OBJECT_CLASS (fk_queue_page_parent_class)->dispose (object);
}

static void
fk_queue_page_class_init (FkQueuePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fk_queue_page_dispose;
  widget_class->map = fk_queue_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-queue-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FkQueuePage, network_label);
  gtk_widget_class_bind_template_child (widget_class, FkQueuePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, FkQueuePage, clock_label);
  gtk_widget_class_bind_template_child (widget_class, FkQueuePage, pull_label);
  gtk_widget_class_bind_template_child (widget_class, FkQueuePage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, FkQueuePage, progress);
  gtk_widget_class_bind_template_child (widget_class, FkQueuePage, bytes_label);
  gtk_widget_class_bind_template_child (widget_class, FkQueuePage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, FkQueuePage, list);

  gtk_widget_class_install_action (widget_class, "queue.send-now", NULL, send_now_action);
  gtk_widget_class_install_action (widget_class, "queue.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "queue.retry", "s", retry_action);
  gtk_widget_class_install_action (widget_class, "queue.discard", "s", discard_action);
  gtk_widget_class_install_action (widget_class, "queue.print-receipt", "s", print_receipt_action);
}

/* The scheduler came or went (practice, the server's address), or the
 * practice server could not start. */
static void
on_session_sending (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  FkQueuePage *self = user_data;

  watch (self);
  update_status (self);
}

static void
fk_queue_page_init (FkQueuePage *self)
{
  FkApplication *app = fk_application_get_default ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  if (app != NULL)
    {
      g_signal_connect_object (fk_application_get_session (app), "notify::last-pull",
                               G_CALLBACK (on_session_pulled), self, 0);
      g_signal_connect_object (fk_application_get_session (app), "notify::catalog",
                               G_CALLBACK (on_session_pulled), self, 0);
      g_signal_connect_object (fk_application_get_session (app), "notify::scheduler",
                               G_CALLBACK (on_session_sending), self, 0);
      g_signal_connect_object (fk_application_get_session (app), "notify::practice-problem",
                               G_CALLBACK (on_session_sending), self, 0);
    }
}
