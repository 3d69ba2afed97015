/* fk-printer.c: the receipt printer, through libcups
 *
 * Everything here talks IPP to the print service over a connection of its
 * own, in a worker thread: the queues are listed with CUPS-Get-Printers
 * (no DNS-SD browsing, which can stall for seconds), the PDF sent with
 * cupsPrintFile2(), then the job and its printer polled until the job
 * completes. A problem the printer reports (state reasons such as
 * media-empty, a stopped queue, a job aborted) or a job still not done
 * after the timeout ends the wait: the job is cancelled and the error
 * names the printer and what it said.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <cups/cups.h>
#include <glib/gi18n-lib.h>

#include "fk-hw-error.h"
#include "fk-printer-private.h"

#define POLL_INTERVAL_US (200 * 1000)

struct _FkPrinter
{
  GObject parent_instance;

  gboolean simulated;
  char *name; /* as asked, or NULL for the backend's choice */
  guint timeout;
};

G_DEFINE_FINAL_TYPE (FkPrinter, fk_printer, G_TYPE_OBJECT)

/* A queue as CUPS-Get-Printers describes it. */
typedef struct
{
  char *name;
  char *device_uri;
  int state; /* IPP_PSTATE_* */
  GStrv reasons;
  char *message;
  gboolean accepting;
  gboolean is_default;
} Queue;

static void
queue_free (Queue *queue)
{
  g_free (queue->name);
  g_free (queue->device_uri);
  g_strfreev (queue->reasons);
  g_free (queue->message);
  g_free (queue);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Queue, queue_free)

static void
fk_printer_finalize (GObject *object)
{
  g_free (FK_PRINTER (object)->name);
  G_OBJECT_CLASS (fk_printer_parent_class)->finalize (object);
}

static void
fk_printer_class_init (FkPrinterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fk_printer_finalize;
}

static void
fk_printer_init (FkPrinter *self)
{
  self->timeout = FK_PRINTER_TIMEOUT_DEFAULT;
}

FkPrinter *
fk_printer_new (gboolean simulated, const char *name)
{
  FkPrinter *self = g_object_new (FK_TYPE_PRINTER, NULL);

  self->simulated = simulated;
  self->name = name != NULL && *name != '\0' ? g_strdup (name) : NULL;
  return self;
}

/**
 * fk_printer_get_name:
 *
 * Returns: (nullable): the printer asked for, %NULL for the backend's
 *   choice (CUPS's default printer)
 */
const char *
fk_printer_get_name (FkPrinter *self)
{
  g_return_val_if_fail (FK_IS_PRINTER (self), NULL);
  return self->name;
}

/* How long a print may take before the printer counts as not answering. */
void
fk_printer_set_timeout (FkPrinter *self, guint seconds)
{
  g_return_if_fail (FK_IS_PRINTER (self));
  self->timeout = MAX (seconds, 1);
}

static http_t *
connect_cups (GError **error)
{
  http_t *http =
    httpConnect2 (cupsServer (), ippPort (), NULL, AF_UNSPEC, cupsEncryption (), 1, 5000, NULL);

  if (http == NULL)
    g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_PRINTER_NO_SERVICE,
                 _ ("The print service (CUPS) does not answer at %s: start it, then print "
                    "again."),
                 cupsServer ());
  return http;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (http_t, httpClose)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ipp_t, ippDelete)

static char *
attr_string (ipp_t *ipp, const char *name)
{
  ipp_attribute_t *attr = ippFindAttribute (ipp, name, IPP_TAG_ZERO);
  const char *value = attr != NULL ? ippGetString (attr, 0, NULL) : NULL;

  return g_strdup (value);
}

static GStrv
attr_strings (ipp_t *ipp, const char *name)
{
  ipp_attribute_t *attr = ippFindAttribute (ipp, name, IPP_TAG_ZERO);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (int i = 0; attr != NULL && i < ippGetCount (attr); i++)
    if (ippGetString (attr, i, NULL) != NULL)
      g_strv_builder_add (builder, ippGetString (attr, i, NULL));
  return g_strv_builder_end (builder);
}

static int
attr_int (ipp_t *ipp, const char *name, int fallback)
{
  ipp_attribute_t *attr = ippFindAttribute (ipp, name, IPP_TAG_ZERO);

  return attr != NULL ? ippGetInteger (attr, 0) : fallback;
}

static const char *const queue_attrs[] = {
  "printer-name",          "device-uri",
  "printer-state",         "printer-state-reasons",
  "printer-state-message", "printer-is-accepting-jobs",
};

/* One queue from a group of attributes of a CUPS-Get-Printers answer. */
static Queue *
queue_from_group (ipp_t *group)
{
  Queue *queue = g_new0 (Queue, 1);
  ipp_attribute_t *accepting =
    ippFindAttribute (group, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN);

  queue->name = attr_string (group, "printer-name");
  queue->device_uri = attr_string (group, "device-uri");
  queue->state = attr_int (group, "printer-state", IPP_PSTATE_IDLE);
  queue->reasons = attr_strings (group, "printer-state-reasons");
  queue->message = attr_string (group, "printer-state-message");
  queue->accepting = accepting == NULL || ippGetBoolean (accepting, 0);
  return queue;
}

static char *
default_name (http_t *http)
{
  g_autoptr (ipp_t) response = cupsDoRequest (http, ippNewRequest (IPP_OP_CUPS_GET_DEFAULT), "/");

  return response != NULL ? attr_string (response, "printer-name") : NULL;
}

/* (element-type Queue): every queue of the print service, the default first. */
static GPtrArray *
list_queues (http_t *http, GError **error)
{
  ipp_t *request = ippNewRequest (IPP_OP_CUPS_GET_PRINTERS);
  g_autoptr (ipp_t) response = NULL;
  g_autoptr (GPtrArray) queues = g_ptr_array_new_with_free_func ((GDestroyNotify) queue_free);
  g_autofree char *def = NULL;

  ippAddStrings (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                 G_N_ELEMENTS (queue_attrs), NULL, queue_attrs);
  response = cupsDoRequest (http, request, "/");
  if (response == NULL && cupsLastError () != IPP_STATUS_ERROR_NOT_FOUND)
    {
      g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_PRINTER_NO_SERVICE,
                   _ ("The print service (CUPS) did not list its printers: %s"),
                   cupsLastErrorString ());
      return NULL;
    }
  def = default_name (http);
  for (ipp_attribute_t *attr = response != NULL ? ippFirstAttribute (response) : NULL; attr != NULL;
       attr = ippNextAttribute (response))
    {
      g_autoptr (ipp_t) group = ippNew ();
      Queue *queue;

      /* Each printer is a group of attributes, the groups apart by a separator. */
      while (attr != NULL && ippGetGroupTag (attr) != IPP_TAG_PRINTER)
        attr = ippNextAttribute (response);
      for (; attr != NULL && ippGetGroupTag (attr) == IPP_TAG_PRINTER;
           attr = ippNextAttribute (response))
        ippCopyAttribute (group, attr, 0);
      queue = queue_from_group (group);
      if (queue->name == NULL)
        {
          queue_free (queue);
          break;
        }
      queue->is_default = g_strcmp0 (queue->name, def) == 0;
      g_ptr_array_insert (queues, queue->is_default ? 0 : -1, queue);
      if (attr == NULL)
        break;
    }
  return g_steal_pointer (&queues);
}

static gboolean
is_sim_queue (const Queue *queue)
{
  return queue->device_uri != NULL && g_str_has_prefix (queue->device_uri, FK_PRINTER_SIM_SCHEME);
}

/* The queue to print on: the one named, else the backend's default or first. */
static Queue *
choose_queue (GPtrArray *queues, gboolean simulated, const char *name, GError **error)
{
  for (guint i = 0; i < queues->len; i++)
    {
      Queue *queue = g_ptr_array_index (queues, i);

      if (name != NULL ? g_str_equal (queue->name, name) : is_sim_queue (queue) == simulated)
        return g_ptr_array_steal_index (queues, i);
    }
  if (name != NULL)
    g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_PRINTER_NOT_FOUND,
                 _ ("There is no printer “%s”: check its name in the settings, or plug it in "
                    "and add it to the print service."),
                 name);
  else
    g_set_error_literal (error, FK_HW_ERROR, FK_HW_ERROR_PRINTER_NOT_FOUND,
                         simulated ? _ ("No simulated printer (a cups-pdf queue) is set up.")
                                   : _ ("No printer is set up: plug in the receipt printer and "
                                        "add it to the print service."));
  return NULL;
}

/* Whether @reasons hold @reason, with or without its -error, -warning,
 * -report suffix. */
static gboolean
has_reason (const char *const *reasons, const char *reason)
{
  gsize len = strlen (reason);

  for (guint i = 0; reasons != NULL && reasons[i] != NULL; i++)
    if (g_str_has_prefix (reasons[i], reason) &&
        (reasons[i][len] == '\0' || reasons[i][len] == '-'))
      return TRUE;
  return FALSE;
}

static const char *
message_of (const Queue *queue)
{
  return queue->message != NULL && *queue->message != '\0' ? queue->message : "—";
}

/* The problem @queue reports now, as an error; FALSE when it can print. */
static gboolean
check_queue (const Queue *queue, GError **error)
{
  if (has_reason ((const char *const *) queue->reasons, "media-empty") ||
      has_reason ((const char *const *) queue->reasons, "media-needed") ||
      has_reason ((const char *const *) queue->reasons, "media-jam"))
    g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_PRINTER_NO_PAPER,
                 _ ("The printer “%s” is out of paper or the paper is jammed: load a roll, close "
                    "the cover, then print again."),
                 queue->name);
  else if (queue->state == IPP_PSTATE_STOPPED || !queue->accepting)
    g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_PRINTER_STOPPED,
                 _ ("The printer “%s” is stopped (%s): turn it on and resume it in the print "
                    "service, then print again."),
                 queue->name, message_of (queue));
  else if (has_reason ((const char *const *) queue->reasons, "offline") ||
           has_reason ((const char *const *) queue->reasons, "shutdown"))
    g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_PRINTER_OFFLINE,
                 _ ("The printer “%s” is off or unplugged (%s): turn it on, then print again."),
                 queue->name, message_of (queue));
  else
    return TRUE;
  return FALSE;
}

/* The queue's state now, or NULL when it is gone. */
static Queue *
get_queue (http_t *http, const char *name)
{
  ipp_t *request = ippNewRequest (IPP_OP_GET_PRINTER_ATTRIBUTES);
  g_autoptr (ipp_t) response = NULL;
  char uri[HTTP_MAX_URI];
  Queue *queue;

  httpAssembleURIf (HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", NULL, "localhost", ippPort (),
                    "/printers/%s", name);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
  ippAddStrings (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                 G_N_ELEMENTS (queue_attrs), NULL, queue_attrs);
  response = cupsDoRequest (http, request, "/");
  if (response == NULL || cupsLastError () > IPP_STATUS_OK_CONFLICTING)
    return NULL;
  queue = queue_from_group (response);
  if (queue->name == NULL)
    queue->name = g_strdup (name);
  return queue;
}

static int
job_state (http_t *http, int job_id, char **out_message)
{
  ipp_t *request = ippNewRequest (IPP_OP_GET_JOB_ATTRIBUTES);
  g_autoptr (ipp_t) response = NULL;
  const char *attrs[] = { "job-state", "job-printer-state-message" };
  char uri[HTTP_MAX_URI];

  httpAssembleURIf (HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", NULL, "localhost", ippPort (),
                    "/jobs/%d", job_id);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", NULL, uri);
  ippAddStrings (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                 G_N_ELEMENTS (attrs), NULL, attrs);
  response = cupsDoRequest (http, request, "/");
  *out_message = response != NULL ? attr_string (response, "job-printer-state-message") : NULL;
  return response != NULL ? attr_int (response, "job-state", IPP_JSTATE_PENDING)
                          : IPP_JSTATE_ABORTED;
}

/* Waits for job @job_id on @name to complete; FALSE (the job left to the
 * caller to cancel) when the printer reports a problem, the job ends
 * otherwise, the time is up or @cancellable is cancelled. */
static gboolean
wait_job (http_t *http, const char *name, int job_id, guint timeout, GCancellable *cancellable,
          GError **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *message = NULL;
      int state = job_state (http, job_id, &message);
      g_autoptr (Queue) queue = NULL;

      if (state == IPP_JSTATE_COMPLETED)
        return TRUE;
      /* What the printer says first: a job it aborted for want of paper is
       * better told as "out of paper". */
      queue = get_queue (http, name);
      if (queue != NULL && !check_queue (queue, error))
        return FALSE;
      if (state == IPP_JSTATE_CANCELED || state == IPP_JSTATE_ABORTED)
        {
          g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_PRINTER_FAILED,
                       _ ("The printer “%s” gave the receipt up (%s): print again."), name,
                       message != NULL && *message != '\0' ? message : "—");
          return FALSE;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_PRINTER_OFFLINE,
                       _ ("The printer “%s” did not print within %u s (%s): check that it is on "
                          "and plugged in, then print again."),
                       name, timeout, queue != NULL ? message_of (queue) : "—");
          return FALSE;
        }
      g_usleep (POLL_INTERVAL_US);
    }
}

typedef struct
{
  gboolean simulated;
  char *name;
  guint timeout;
  char *path;
  char *title;
  double width_mm, height_mm;
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_free (job->name);
  g_free (job->path);
  g_free (job->title);
  g_free (job);
}

/* In the worker thread: the whole print. Returns the printer's name. */
static char *
print_file (PrintJob *job, GCancellable *cancellable, GError **error)
{
  g_autoptr (http_t) http = connect_cups (error);
  g_autoptr (GPtrArray) queues = NULL;
  g_autoptr (Queue) queue = NULL;
  g_autofree char *media = NULL;
  cups_option_t *options = NULL;
  int n_options = 0;
  int job_id;

  if (http == NULL || (queues = list_queues (http, error)) == NULL ||
      (queue = choose_queue (queues, job->simulated, job->name, error)) == NULL ||
      !check_queue (queue, error))
    return NULL;
  if (job->width_mm > 0 && job->height_mm > 0)
    {
      char width[G_ASCII_DTOSTR_BUF_SIZE], height[G_ASCII_DTOSTR_BUF_SIZE];

      /* The page as it is: a roll's receipt is as long as itself, and a
       * printer left to its default paper would shrink it onto A4. */
      g_ascii_formatd (width, sizeof width, "%.1f", job->width_mm);
      g_ascii_formatd (height, sizeof height, "%.1f", job->height_mm);
      media = g_strdup_printf ("Custom.%sx%smm", width, height);
      n_options = cupsAddOption ("media", media, n_options, &options);
    }
  job_id = cupsPrintFile2 (http, queue->name, job->path, job->title, n_options, options);
  cupsFreeOptions (n_options, options);
  if (job_id == 0)
    {
      g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_PRINTER_FAILED,
                   _ ("The printer “%s” refused the receipt: %s"), queue->name,
                   cupsLastErrorString ());
      return NULL;
    }
  g_debug ("printing %s as job %d on %s", job->title, job_id, queue->name);
  if (!wait_job (http, queue->name, job_id, job->timeout, cancellable, error))
    {
      /* Never let it come out later, once the officer was told it failed. */
      cupsCancelJob2 (http, queue->name, job_id, 0);
      return NULL;
    }
  return g_strdup (queue->name);
}

static void
print_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  char *name = print_file (task_data, cancellable, &error);

  if (name == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, name, g_free);
}

/**
 * fk_printer_print_file_async:
 * @pdf_path: the PDF to print, as it is (its pages' size is the paper's)
 * @title: the job's title, seen in the print service (no personal data)
 * @width_mm: the paper's width, 0 for the printer's default paper
 * @height_mm: the page's length (a roll's receipt is as long as itself)
 *
 * Sends the PDF to the printer and waits until it is printed, in a worker
 * thread. Cancelling cancels the job.
 */
void
fk_printer_print_file_async (FkPrinter *self, const char *pdf_path, const char *title,
                             double width_mm, double height_mm, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  PrintJob *job;

  g_return_if_fail (FK_IS_PRINTER (self));
  g_return_if_fail (pdf_path != NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_printer_print_file_async);
  job = g_new0 (PrintJob, 1);
  job->simulated = self->simulated;
  job->name = g_strdup (self->name);
  job->timeout = self->timeout;
  job->path = g_strdup (pdf_path);
  job->title = g_strdup (title != NULL ? title : "FieldKit");
  job->width_mm = width_mm;
  job->height_mm = height_mm;
  g_task_set_task_data (task, job, (GDestroyNotify) print_job_free);
  g_task_run_in_thread (task, print_thread);
}

/**
 * fk_printer_print_file_finish:
 *
 * Returns: (transfer full) (nullable): the name of the printer that printed
 *   it, or %NULL with an FK_HW_ERROR_PRINTER_* error or
 *   %G_IO_ERROR_CANCELLED
 */
char *
fk_printer_print_file_finish (FkPrinter *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_printer_print_file_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * fk_printer_list_names:
 *
 * Returns: (transfer full): the backend's printers, CUPS's default first;
 *   %NULL with %FK_HW_ERROR_PRINTER_NO_SERVICE when CUPS does not answer
 */
GStrv
fk_printer_list_names (gboolean simulated, GError **error)
{
  g_autoptr (http_t) http = connect_cups (error);
  g_autoptr (GPtrArray) queues = http != NULL ? list_queues (http, error) : NULL;
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();

  if (queues == NULL)
    return NULL;
  for (guint i = 0; i < queues->len; i++)
    {
      Queue *queue = g_ptr_array_index (queues, i);

      if (is_sim_queue (queue) == simulated)
        g_strv_builder_add (names, queue->name);
    }
  return g_strv_builder_end (names);
}
