/* fk-home-page.c: the day at a glance, and the tasks one tap away
 *
 * Four cards tell the team where the day stands, each opening its page:
 * today's visit (hamlet, commune, team) or that none is started; the
 * dossiers waiting to be sent and the network; the results waiting to be
 * handed over in the visit's hamlet (the store decrypts the visits in a
 * worker thread to tell); the last sync and the last pull, with the
 * catalog version in use. They follow the session (visit, counters,
 * network, scheduler, pulls) and the store; beside them, the tasks. At
 * 800×480 it all fits without scrolling.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-application.h"
#include "fk-core.h"
#include "fk-home-page.h"
#include "fk-outbox.h"
#include "fk-status-text.h"
#include "fk-uploader.h"

struct _FkHomePage
{
  AdwBin parent_instance;

  GtkLabel *visit_title;
  GtkLabel *visit_detail;
  GtkLabel *queue_title;
  GtkLabel *queue_detail;
  GtkLabel *results_title;
  GtkLabel *results_detail;
  GtkLabel *sync_title;
  GtkLabel *sync_detail;

  FkSyncScheduler *scheduler; /* watched, not owned */
  FkNetworkMonitor *network;  /* watched, not owned */
  GCancellable *cancellable;  /* the count of results in a worker thread */
};

G_DEFINE_FINAL_TYPE (FkHomePage, fk_home_page, ADW_TYPE_BIN)

static FkSession *
session (void)
{
  FkApplication *app = fk_application_get_default ();

  return app != NULL ? fk_application_get_session (app) : NULL;
}

static gint64
now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static char *
commune_name (const char *code)
{
  FkAdminUnits *units = fk_admin_units_get_default (NULL);
  const FkAdminUnit *unit =
    units != NULL && code != NULL ? fk_admin_units_lookup (units, code) : NULL;

  return unit != NULL ? fk_admin_unit_dup_full_name (unit) : g_strdup (code != NULL ? code : "");
}

static void
update_visit (FkHomePage *self, FkVisit *visit)
{
  g_autoptr (GDateTime) today = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (today, "%Y-%m-%d");
  g_autofree char *commune = NULL;
  g_autofree char *team = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *title = NULL;

  if (visit == NULL)
    {
      gtk_label_set_text (self->visit_title, _ ("No visit started"));
      gtk_label_set_text (self->visit_detail,
                          _ ("Tap to start today's visit: date, hamlet, team."));
      return;
    }
  commune = commune_name (fk_visit_get_commune_code (visit));
  team = fk_visit_get_team (visit) != NULL ? g_strjoinv (", ", (char **) fk_visit_get_team (visit))
                                           : g_strdup ("");
  if (g_strcmp0 (fk_visit_get_date (visit), date) == 0)
    title = g_strdup_printf (_ ("Today's visit: %s"), fk_visit_get_hamlet (visit));
  else
    /* Translators: %s is the visit's date (YYYY-MM-DD), then its hamlet */
    title = g_strdup_printf (_ ("Visit of %s: %s"), fk_visit_get_date (visit),
                             fk_visit_get_hamlet (visit));
  detail =
    *team != '\0' ? g_strdup_printf (_ ("%s · team: %s"), commune, team) : g_strdup (commune);
  gtk_label_set_text (self->visit_title, title);
  gtk_label_set_text (self->visit_detail, detail);
}

static void
update_queue (FkHomePage *self, FkStore *store)
{
  g_autoptr (GPtrArray) entries =
    store != NULL ? fk_outbox_list (store, FK_OUTBOX_ANY_STATE, NULL) : NULL;
  g_autofree char *title = NULL;
  g_autofree char *network = fk_status_text_network (self->network);
  guint waiting = 0, refused = 0;

  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      FkOutboxEntry *e = g_ptr_array_index (entries, i);

      if (e->state == FK_OUTBOX_QUEUED || e->state == FK_OUTBOX_UPLOADING ||
          e->state == FK_OUTBOX_SEALED)
        waiting++;
      else if (e->state == FK_OUTBOX_QUARANTINED)
        refused++;
    }
  if (waiting == 0)
    title = g_strdup (_ ("Nothing waiting to be sent"));
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u dossier waiting to be sent",
                                          "%u dossiers waiting to be sent", waiting),
                             waiting);
  if (refused > 0)
    {
      g_autofree char *both = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "%s · %u refused", "%s · %u refused", refused), title,
        refused);

      g_free (title);
      title = g_steal_pointer (&both);
    }
  gtk_label_set_text (self->queue_title, title);
  gtk_label_set_text (self->queue_detail, network);
}

static void
results_counted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkHomePage) self = user_data;
  g_autoptr (GError) error = NULL;
  gint n = fk_store_count_results_to_hand_over_finish (FK_STORE (source), result, &error);
  FkSession *s = session ();
  FkVisit *visit = s != NULL ? fk_session_get_visit (s) : NULL;
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (n < 0)
    {
      gtk_label_set_text (self->results_title, _ ("Results to hand over"));
      gtk_label_set_text (self->results_detail, error->message);
      return;
    }
  title = n == 0 ? g_strdup (_ ("No result waiting to be handed over"))
                 : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d result to hand over",
                                                 "%d results to hand over", n),
                                    n);
  if (visit != NULL)
    /* Translators: %s is the hamlet of today's visit */
    detail =
      g_strdup_printf (_ ("In %s, of the dossiers taken there"), fk_visit_get_hamlet (visit));
  else
    detail = g_strdup (_ ("Of the dossiers on this device"));
  gtk_label_set_text (self->results_title, title);
  gtk_label_set_text (self->results_detail, detail);
}

static void
update_results (FkHomePage *self, FkStore *store)
{
  FkSession *s = session ();
  FkVisit *visit = s != NULL ? fk_session_get_visit (s) : NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (store == NULL || !fk_store_is_unlocked (store))
    return;
  self->cancellable = g_cancellable_new ();
  fk_store_count_results_to_hand_over_async (
    store, visit != NULL ? fk_visit_get_commune_code (visit) : NULL,
    visit != NULL ? fk_visit_get_hamlet (visit) : NULL, self->cancellable, results_counted,
    g_object_ref (self));
}

static void
update_sync (FkHomePage *self, FkStore *store)
{
  FkSession *s = session ();
  FkCatalog *catalog = s != NULL ? fk_session_get_catalog (s) : NULL;
  gint64 pulled = s != NULL ? fk_session_get_last_pull (s) : 0;
  gint64 sent = store != NULL ? fk_uploader_get_last_success (store) : 0;
  g_autofree char *sync = fk_status_text_when (MAX (sent, pulled), now ());
  g_autofree char *pull = fk_status_text_when (pulled, now ());
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;

  title = MAX (sent, pulled) > 0 ? g_strdup_printf (_ ("Last sync: %s"), sync)
                                 : g_strdup (_ ("Not synced with the server yet"));
  /* Translators: %s: when results and the catalog last came; %s: its version */
  detail = g_strdup_printf (_ ("Results and catalog: %s · catalog version %s"), pull,
                            catalog != NULL ? fk_catalog_get_version (catalog) : "?");
  gtk_label_set_text (self->sync_title, title);
  gtk_label_set_text (self->sync_detail, detail);
}

static void
refresh (FkHomePage *self)
{
  FkSession *s = session ();
  FkStore *store = s != NULL ? fk_session_get_store (s) : NULL;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  update_visit (self, s != NULL ? fk_session_get_visit (s) : NULL);
  update_queue (self, store);
  update_results (self, store);
  update_sync (self, store);
}

static void
on_changed (gpointer user_data)
{
  refresh (FK_HOME_PAGE (user_data));
}

/* The scheduler and the network come after the store: follow them. */
static void
watch (FkHomePage *self)
{
  FkSession *s = session ();
  FkSyncScheduler *scheduler = s != NULL ? fk_session_get_scheduler (s) : NULL;
  FkNetworkMonitor *network = s != NULL ? fk_session_get_network (s) : NULL;

  if (scheduler != self->scheduler)
    {
      if (self->scheduler != NULL)
        g_signal_handlers_disconnect_by_data (self->scheduler, self);
      self->scheduler = scheduler;
      if (scheduler != NULL)
        {
          g_signal_connect_object (scheduler, "batch-finished", G_CALLBACK (on_changed), self,
                                   G_CONNECT_SWAPPED);
          g_signal_connect_object (scheduler, "notify::state", G_CALLBACK (on_changed), self,
                                   G_CONNECT_SWAPPED);
        }
    }
  if (network != self->network)
    {
      if (self->network != NULL)
        g_signal_handlers_disconnect_by_data (self->network, self);
      self->network = network;
      if (network != NULL)
        g_signal_connect_object (network, "notify", G_CALLBACK (on_changed), self,
                                 G_CONNECT_SWAPPED);
    }
}

static void
on_session_changed (FkHomePage *self)
{
  watch (self);
  refresh (self);
}

static void
fk_home_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (fk_home_page_parent_class)->map (widget);
  on_session_changed (FK_HOME_PAGE (widget));
}

static void
fk_home_page_dispose (GObject *object)
{
  FkHomePage *self = FK_HOME_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  if (self->network != NULL)
    g_signal_handlers_disconnect_by_data (self->network, self);
  self->scheduler = NULL;
  self->network = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_HOME_PAGE);
  G_OBJECT_CLASS (fk_home_page_parent_class)->dispose (object);
}

static void
fk_home_page_class_init (FkHomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fk_home_page_dispose;
  widget_class->map = fk_home_page_map;
  gtk_widget_class_set_template_from_resource (widget_class, "/vn/fieldkit/app/ui/fk-home-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FkHomePage, visit_title);
  gtk_widget_class_bind_template_child (widget_class, FkHomePage, visit_detail);
  gtk_widget_class_bind_template_child (widget_class, FkHomePage, queue_title);
  gtk_widget_class_bind_template_child (widget_class, FkHomePage, queue_detail);
  gtk_widget_class_bind_template_child (widget_class, FkHomePage, results_title);
  gtk_widget_class_bind_template_child (widget_class, FkHomePage, results_detail);
  gtk_widget_class_bind_template_child (widget_class, FkHomePage, sync_title);
  gtk_widget_class_bind_template_child (widget_class, FkHomePage, sync_detail);
}

static void
fk_home_page_init (FkHomePage *self)
{
  FkSession *s = session ();
  const char *signals[] = { "notify::visit",     "notify::scheduler", "notify::network",
                            "notify::last-pull", "notify::catalog",   "counted" };

  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; s != NULL && i < G_N_ELEMENTS (signals); i++)
    g_signal_connect_object (s, signals[i], G_CALLBACK (on_session_changed), self,
                             G_CONNECT_SWAPPED);
}
