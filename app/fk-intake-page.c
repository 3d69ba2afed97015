/* fk-intake-page.c: the intake wizard, from the ID card to the receipt
 *
 * Steps: scan the card → identity → procedure → its form → document photos
 * → fingerprint → consent → review → receipt. Every step is a child of one
 * stack whose widgets keep what was entered, so going back and forth loses
 * nothing. Camera frames, the fingerprint reader and the sealed commit are
 * asynchronous; the main loop only draws and reacts.
 *
 * From the identity step on (before the procedure is chosen too), every
 * step change saves a draft in the store (encrypted there, like a dossier)
 * holding what the widgets hold: the dossier so far (the citizen as typed,
 * the form's inputs as its fields, the consents), the photos and the
 * fingerprint as attachments, and the step, the card and the photo advice
 * as progress; after a crash or a power cut the wizard opens that draft
 * again. The saved dossier keeps one id from the first draft to the sealed
 * commit. "Discard draft" deletes it, after a confirmation. The store does
 * the slow work (sealing, decrypting) in its own worker threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-application.h"
#include "fk-camera-texture.h"
#include "fk-camera.h"
#include "fk-card-scanner.h"
#include "fk-cccd.h"
#include "fk-citizen.h"
#include "fk-commune-row.h"
#include "fk-doc.h"
#include "fk-dossier.h"
#include "fk-fingerprint.h"
#include "fk-intake-page.h"
#include "fk-outbox.h"
#include "fk-procedure-form.h"
#include "fk-qr-texture.h"
#include "fk-settings.h"
#include "fk-text.h"
#include "fk-window.h"

#define CONSENT_TEXT_VERSION "2026-01"

static const char *const steps[] = {
  "scan", "identity", "procedure", "form", "photos", "fingerprint", "consent", "review", "receipt",
};

typedef struct
{
  const char *purpose;
  const char *title;
  const char *text;
  gboolean required;
} Consent;

/* The exact words read to the citizen; their version is recorded. */
static const Consent consents[] = {
  { "personal-data", N_ ("Personal data for this procedure"),
    N_ ("I agree that the commune's Public Administrative Service Centre collects and processes "
        "the personal data in this dossier to settle the procedure I ask for, and keeps it only "
        "as long as the law requires."),
    TRUE },
  { "id-card-image", N_ ("Photos of my ID card and papers"),
    N_ ("I agree that photos of my ID card and of my papers are taken and sent, sealed, to the "
        "commune's centre for this dossier only."),
    FALSE },
  { "biometrics", N_ ("My fingerprint"),
    N_ ("I agree that my fingerprint is taken to sign this dossier in place of a signature and "
        "to check that it is me when I collect the result. It is sealed on the device and "
        "deleted there once the server has received it."),
    FALSE },
};

struct _FkIntakePage
{
  AdwBin parent_instance;

  GtkStack *steps;
  GtkLabel *step_label;
  GtkWidget *nav_bar;
  GtkWidget *next_button;
  GtkLabel *draft_label;
  GtkWidget *discard_draft_button;
  /* scan */
  FkCardScanner *card_scanner;
  /* identity */
  AdwEntryRow *id_row;
  AdwEntryRow *name_row;
  AdwEntryRow *birth_row;
  AdwComboRow *sex_row;
  AdwEntryRow *address_row;
  FkCommuneRow *commune_row;
  AdwEntryRow *phone_row;
  GtkLabel *identity_label;
  /* procedure */
  GtkSearchEntry *procedure_search;
  GtkListBox *procedure_list;
  GtkLabel *procedure_label;
  /* form */
  AdwBin *form_holder;
  GtkLabel *form_label;
  /* photos */
  GtkPicture *photo_preview;
  GtkListBox *document_list;
  GtkLabel *photo_label;
  /* fingerprint */
  GtkProgressBar *fp_progress;
  GtkLabel *fp_label;
  /* consent */
  GtkBox *consent_box;
  GtkLabel *consent_label;
  /* review */
  GtkLabel *review_label;
  GtkLabel *save_label;
  GtkSpinner *save_spinner;
  /* receipt */
  GtkLabel *receipt_number;
  GtkPicture *receipt_qr;

  FkCamera *camera; /* for the document photos; the card scanner has its own */
  FkCccdCard *card;
  FkCitizen *citizen;
  FkProcedureForm *form;
  JsonObject *fields;
  GHashTable *photos;      /* document code → JPEG GBytes */
  GHashTable *photo_notes; /* document code → advice, or "" when fine */
  char *photo_target;      /* document being photographed */
  FkFingerprint *reader;
  GBytes *fp_template;
  GBytes *fp_image;
  GCancellable *cancellable;
  GHashTable *consent_switches; /* purpose → GtkSwitch */
  gboolean saving;
  FkDossier *dossier; /* drafted and sealed under one id; NULL before the first draft */
  char *draft_id;     /* the id of the draft in the store, once saved */
  char *saving_id;    /* the id of the draft being saved */
  gboolean draft_busy;
  gboolean draft_again;
  gboolean discard_waiting; /* confirmed while a save was being written */
  gboolean commit_waiting;
  gboolean resume_checked;
};

G_DEFINE_FINAL_TYPE (FkIntakePage, fk_intake_page, ADW_TYPE_BIN)

static FkStore *
get_store (void)
{
  return fk_application_get_store (fk_application_get_default ());
}

static void
set_message (GtkLabel *label, const char *text, gboolean error)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
}

static guint
step_index (FkIntakePage *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->steps);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (g_strcmp0 (steps[i], name) == 0)
      return i;
  return 0;
}

/* ---- camera ---------------------------------------------------------- */

static void
stop_camera (FkIntakePage *self)
{
  if (self->camera == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->camera, self);
  fk_camera_stop (self->camera);
  g_clear_object (&self->camera);
}

static void
on_preview_frame (FkCamera *camera, FkCameraFrame *frame, gpointer user_data)
{
  FkIntakePage *self = user_data;
  g_autoptr (GdkTexture) texture = fk_camera_frame_to_texture (frame);

  gtk_picture_set_paintable (self->photo_preview, GDK_PAINTABLE (texture));
}

static void fill_identity_from_card (FkIntakePage *self);
static void go_to (FkIntakePage *self, const char *step);
static void save_draft (FkIntakePage *self);
static void discard_draft (FkIntakePage *self);
static void restart_action (GtkWidget *widget, const char *action_name, GVariant *param);
static void save_action (GtkWidget *widget, const char *action_name, GVariant *param);

static void
card_read (FkIntakePage *self, FkCccdCard *card, FkCardScanner *scanner)
{
  g_set_object (&self->card, card);
  fill_identity_from_card (self);
  go_to (self, "identity");
}

static void
on_camera_state (FkCamera *camera, GParamSpec *pspec, gpointer user_data)
{
  FkIntakePage *self = user_data;
  const GError *error = fk_camera_get_error (camera);
  g_autofree char *text = NULL;

  if (fk_camera_get_state (camera) != FK_CAMERA_STATE_ERROR)
    return;
  text = g_strdup_printf (_ ("The camera stopped: %s Type the data in instead."),
                          error != NULL ? error->message : "");
  set_message (self->photo_label, text, TRUE);
}

static void
start_camera (FkIntakePage *self)
{
  GSettings *settings = fk_application_get_settings (fk_application_get_default ());
  gboolean sim = fk_settings_use_simulated_hardware (settings);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  if (self->camera != NULL)
    return;
  /* The simulated camera shows FIELDKIT_SIM_CAMERA (a photo of a page),
   * else a test pattern. */
  self->camera = fk_camera_new (sim ? FK_CAMERA_BACKEND_SIM : FK_CAMERA_BACKEND_REAL,
                                sim ? g_getenv ("FIELDKIT_SIM_CAMERA") : NULL);
  g_signal_connect (self->camera, "preview-frame", G_CALLBACK (on_preview_frame), self);
  g_signal_connect (self->camera, "notify::state", G_CALLBACK (on_camera_state), self);
  if (fk_camera_start (self->camera, &error))
    return;
  stop_camera (self);
  text = g_strdup_printf (_ ("The camera cannot start: %s"), error->message);
  set_message (self->photo_label, text, TRUE);
}

/* ---- identity -------------------------------------------------------- */

static char *
iso_to_display (const char *iso)
{
  int y, m, d;

  if (iso == NULL || sscanf (iso, "%d-%d-%d", &y, &m, &d) != 3)
    return g_strdup (iso != NULL ? iso : "");
  return g_strdup_printf ("%02d/%02d/%04d", d, m, y);
}

static char *
display_to_iso (const char *text)
{
  int y, m, d;

  if (sscanf (text, "%d/%d/%d", &d, &m, &y) == 3)
    return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
  return g_strdup (text);
}

static void
set_entry (AdwEntryRow *row, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

static void
fill_identity_from_card (FkIntakePage *self)
{
  g_autoptr (GString) problems = g_string_new (NULL);
  g_autofree char *birth = iso_to_display (fk_cccd_card_get_birth_date_iso (self->card));
  const GArray *lists[] = { fk_cccd_card_get_errors (self->card),
                            fk_cccd_card_get_warnings (self->card) };
  FkSex sex = fk_cccd_card_get_sex (self->card);

  set_entry (self->id_row, fk_cccd_card_get_id_number (self->card));
  set_entry (self->name_row, fk_cccd_card_get_full_name (self->card));
  set_entry (self->birth_row, birth);
  set_entry (self->address_row, fk_cccd_card_get_address (self->card));
  adw_combo_row_set_selected (self->sex_row, sex == FK_SEX_MALE ? 1 : sex == FK_SEX_FEMALE ? 2 : 0);
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] != NULL && i < lists[l]->len; i++)
      g_string_append_printf (
        problems, "• %s\n",
        fk_cccd_problem_get_message (g_array_index (lists[l], FkCccdProblem, i)));
  if (problems->len > 0)
    {
      g_string_prepend (problems, _ ("Check these points with the citizen:\n"));
      g_strchomp (problems->str);
      set_message (self->identity_label, problems->str, TRUE);
    }
  else
    set_message (self->identity_label, _ ("Read from the card. Check it with the citizen."), FALSE);
}

/* The 2025 commune follows the address, as read or typed. */
static void
address_changed (FkIntakePage *self, GtkEditable *address)
{
  fk_commune_row_set_address (self->commune_row, gtk_editable_get_text (address));
}

/* The model names a field by its JSON path ("citizen.id_number: …"); the
 * officer sees the label of the row instead. */
static const char *
explain (const char *message)
{
  static const struct
  {
    const char *path;
    const char *label;
  } labels[] = {
    { "id_number", N_ ("ID number") },      { "full_name", N_ ("Full name") },
    { "birth_date", N_ ("Date of birth") }, { "sex", N_ ("Sex") },
    { "address", N_ ("Address") },          { "phone", N_ ("Phone") },
    { "issue_date", N_ ("Date of issue") }, { "old_id", N_ ("Old ID number") },
  };
  static char buffer[512];
  const char *colon = strstr (message, ": ");

  if (colon == NULL)
    return message;
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      const char *at = strstr (message, labels[i].path);

      if (at != NULL && at < colon)
        {
          g_snprintf (buffer, sizeof buffer, "%s %s", _ (labels[i].label), colon + 2);
          return buffer;
        }
    }
  return message;
}

static gboolean
check_identity (FkIntakePage *self)
{
  g_autoptr (FkCitizen) citizen =
    self->card != NULL ? fk_citizen_new_from_cccd (self->card) : fk_citizen_new ();
  g_autofree char *birth = display_to_iso (gtk_editable_get_text (GTK_EDITABLE (self->birth_row)));
  const char *phone = gtk_editable_get_text (GTK_EDITABLE (self->phone_row));
  guint sex = adw_combo_row_get_selected (self->sex_row);
  g_autoptr (GError) error = NULL;

  fk_citizen_set_id_number (citizen, gtk_editable_get_text (GTK_EDITABLE (self->id_row)));
  fk_citizen_set_full_name (citizen, gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  fk_citizen_set_birth_date (citizen, birth);
  fk_citizen_set_sex (citizen, sex == 1 ? FK_SEX_MALE : sex == 2 ? FK_SEX_FEMALE : FK_SEX_UNKNOWN);
  fk_citizen_set_address (citizen, gtk_editable_get_text (GTK_EDITABLE (self->address_row)));
  fk_citizen_set_commune (citizen, fk_commune_row_get_code (self->commune_row));
  fk_citizen_set_phone (citizen, *phone != '\0' ? phone : NULL);
  if (!fk_citizen_validate (citizen, &error))
    {
      g_autofree char *text = g_strdup_printf (_ ("Please correct: %s"), explain (error->message));

      set_message (self->identity_label, text, TRUE);
      return FALSE;
    }
  g_set_object (&self->citizen, citizen);
  set_message (self->identity_label, NULL, FALSE);
  return TRUE;
}

/* ---- procedure ------------------------------------------------------- */

static guint
usage_of (const char *code)
{
  FkStore *store = get_store ();
  g_autofree char *key = g_strdup_printf ("app.usage.%s", code);
  g_autofree char *value = store != NULL ? fk_store_get_setting (store, key) : NULL;

  return value != NULL ? (guint) g_ascii_strtoull (value, NULL, 10) : 0;
}

static int
by_usage (gconstpointer a, gconstpointer b)
{
  FkProcedure *pa = *(FkProcedure **) a;
  FkProcedure *pb = *(FkProcedure **) b;
  guint ua = usage_of (fk_procedure_get_code (pa));
  guint ub = usage_of (fk_procedure_get_code (pb));

  return ua == ub ? 0 : ua > ub ? -1 : 1;
}

static void
fill_procedures (FkIntakePage *self)
{
  FkCatalog *catalog = fk_application_get_catalog (fk_application_get_default ());
  g_autofree char *query =
    fk_text_fold (gtk_editable_get_text (GTK_EDITABLE (self->procedure_search)));
  g_autoptr (GPtrArray) sorted = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->procedure_list))) != NULL)
    gtk_list_box_remove (self->procedure_list, child);
  if (catalog == NULL)
    return;
  sorted = g_ptr_array_copy (fk_catalog_get_procedures (catalog), NULL, NULL);
  /* Stable on ties: the catalog's own order. */
  g_ptr_array_sort (sorted, by_usage);
  for (guint i = 0; i < sorted->len; i++)
    {
      FkProcedure *procedure = g_ptr_array_index (sorted, i);
      g_autofree char *folded = fk_text_fold (fk_procedure_get_title (procedure));
      g_autofree char *name = g_strdup_printf ("procedure-%s", fk_procedure_get_code (procedure));
      GtkWidget *row;

      if (query != NULL && *query != '\0' && strstr (folded, query) == NULL)
        continue;
      row = adw_action_row_new ();
      gtk_widget_set_name (row, name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), fk_procedure_get_title (procedure));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), fk_procedure_get_description (procedure));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "intake.pick-procedure");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s",
                                        fk_procedure_get_code (procedure));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_append (self->procedure_list, row);
    }
}

static void
procedure_search_changed (GtkSearchEntry *entry, gpointer user_data)
{
  fill_procedures (FK_INTAKE_PAGE (user_data));
}

static void fill_documents (FkIntakePage *self);

static gboolean
set_procedure (FkIntakePage *self, const char *code)
{
  FkCatalog *catalog = fk_application_get_catalog (fk_application_get_default ());
  FkVisit *visit = fk_application_get_visit (fk_application_get_default ());
  FkProcedure *procedure = catalog != NULL ? fk_catalog_lookup (catalog, code) : NULL;

  if (procedure == NULL)
    return FALSE;
  /* The same procedure again keeps what was typed in its form. */
  if (self->form == NULL || fk_procedure_form_get_procedure (self->form) != procedure)
    {
      self->form = fk_procedure_form_new (procedure);
      adw_bin_set_child (self->form_holder, GTK_WIDGET (self->form));
      g_hash_table_remove_all (self->photos);
      g_hash_table_remove_all (self->photo_notes);
      if (visit != NULL)
        {
          fk_procedure_form_prefill (self->form, "hamlet", fk_visit_get_hamlet (visit));
          fk_procedure_form_prefill (self->form, "commune_code", fk_visit_get_commune_code (visit));
        }
      fill_documents (self);
    }
  gtk_label_set_text (self->procedure_label, fk_procedure_get_title (procedure));
  return TRUE;
}

static void
pick_procedure_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);

  if (!set_procedure (self, g_variant_get_string (param, NULL)))
    return;
  set_message (self->form_label, NULL, FALSE);
  go_to (self, "form");
}

static gboolean
check_form (FkIntakePage *self)
{
  g_autoptr (GError) error = NULL;
  JsonObject *fields;

  if (self->form == NULL)
    {
      set_message (self->form_label, _ ("Choose the procedure first."), TRUE);
      return FALSE;
    }
  fields = fk_procedure_form_collect (self->form, &error);
  if (fields == NULL)
    {
      g_autofree char *text = g_strdup_printf (_ ("Please correct: %s"), error->message);

      set_message (self->form_label, text, TRUE);
      return FALSE;
    }
  g_clear_pointer (&self->fields, json_object_unref);
  self->fields = fields;
  set_message (self->form_label, NULL, FALSE);
  return TRUE;
}

/* ---- photos ---------------------------------------------------------- */

static void
fill_documents (FkIntakePage *self)
{
  GtkWidget *child;
  GPtrArray *documents;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->document_list))) != NULL)
    gtk_list_box_remove (self->document_list, child);
  if (self->form == NULL)
    return;
  documents = fk_procedure_get_documents (fk_procedure_form_get_procedure (self->form));
  for (guint i = 0; i < documents->len; i++)
    {
      const FkProcedureDocument *doc = g_ptr_array_index (documents, i);
      const char *code = fk_procedure_document_get_code (doc);
      const char *note = g_hash_table_lookup (self->photo_notes, code);
      g_autofree char *name = g_strdup_printf ("document-%s", code);
      g_autofree char *title =
        g_strdup_printf ("%s%s", fk_procedure_document_get_title (doc),
                         fk_procedure_document_get_required (doc) ? " *" : "");
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button =
        gtk_button_new_with_label (note != NULL ? _ ("Retake") : _ ("Take photo"));

      gtk_widget_set_name (row, name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), note == NULL ? _ ("No photo yet")
                                                         : *note == '\0'
                                                           ? _ ("Photo taken, good to send")
                                                           : note);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "intake.take-photo");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", code);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->document_list, row);
    }
}

typedef struct
{
  FkGrayImage *luma;
  FkDocQuality quality;
  FkDocCompressed *compressed;
} PhotoJob;

static void
photo_job_free (PhotoJob *job)
{
  g_clear_pointer (&job->luma, fk_gray_image_free);
  g_clear_pointer (&job->compressed, fk_doc_compressed_free);
  g_free (job);
}

static void
photo_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  PhotoJob *job = task_data;
  g_autoptr (FkGrayImage) page = NULL;
  GError *error = NULL;

  fk_doc_quality_check (job->luma, &job->quality);
  if (job->quality.page_found)
    page = fk_doc_crop_page (job->luma, job->quality.page);
  job->compressed =
    fk_doc_compress (page != NULL ? page : job->luma, FK_DOC_MAX_UPLOAD_BYTES, &error);
  if (job->compressed == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static char *
advice_for (FkDocIssue issues)
{
  g_autoptr (GString) advice = g_string_new (NULL);

  for (guint bit = 1; bit <= FK_DOC_ISSUE_NO_PAGE; bit <<= 1)
    if (issues & bit)
      g_string_append_printf (advice, "%s%s", advice->len > 0 ? " " : "",
                              fk_doc_issue_get_advice ((FkDocIssue) bit));
  return g_string_free (g_steal_pointer (&advice), FALSE);
}

static void
photo_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  FkIntakePage *self = FK_INTAKE_PAGE (source);
  PhotoJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autofree char *advice = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.take-photo", TRUE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self->photo_label, error->message, TRUE);
      return;
    }
  advice = advice_for (job->quality.issues);
  g_hash_table_insert (self->photos, g_strdup (self->photo_target),
                       g_bytes_ref (job->compressed->jpeg));
  g_hash_table_insert (self->photo_notes, g_strdup (self->photo_target), g_strdup (advice));
  if (*advice != '\0')
    {
      g_autofree char *text = g_strdup_printf (_ ("Kept, but better retaken: %s"), advice);

      set_message (self->photo_label, text, TRUE);
    }
  else
    set_message (self->photo_label, _ ("The photo is sharp and readable."), FALSE);
  fill_documents (self);
}

static void
take_photo_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);
  g_autoptr (FkCameraFrame) frame = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GTask) task = NULL;
  PhotoJob *job = g_new0 (PhotoJob, 1);

  g_free (self->photo_target);
  self->photo_target = g_variant_dup_string (param, NULL);
  start_camera (self);
  task = g_task_new (self, NULL, photo_done, NULL);
  g_task_set_source_tag (task, take_photo_action);
  g_task_set_task_data (task, job, (GDestroyNotify) photo_job_free);
  if (self->camera == NULL || !fk_camera_capture_still (self->camera, &frame, &job->luma, &error))
    {
      set_message (self->photo_label,
                   error != NULL ? error->message : _ ("The camera is not ready yet. Try again."),
                   TRUE);
      return;
    }
  set_message (self->photo_label, _ ("Checking the photo…"), FALSE);
  gtk_widget_action_set_enabled (widget, "intake.take-photo", FALSE);
  g_task_run_in_thread (task, photo_thread);
}

static gboolean
check_photos (FkIntakePage *self)
{
  GPtrArray *documents = fk_procedure_get_documents (fk_procedure_form_get_procedure (self->form));

  for (guint i = 0; i < documents->len; i++)
    {
      const FkProcedureDocument *doc = g_ptr_array_index (documents, i);

      if (fk_procedure_document_get_required (doc) &&
          !g_hash_table_contains (self->photos, fk_procedure_document_get_code (doc)))
        {
          g_autofree char *text = g_strdup_printf (_ ("Take a photo of “%s” first."),
                                                   fk_procedure_document_get_title (doc));

          set_message (self->photo_label, text, TRUE);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- fingerprint ----------------------------------------------------- */

static void
on_enroll_progress (FkFingerprint *reader, int stage, int n_stages, const char *retry,
                    gpointer user_data)
{
  FkIntakePage *self = user_data;
  g_autofree char *text = NULL;

  gtk_progress_bar_set_fraction (self->fp_progress, n_stages > 0 ? (double) stage / n_stages : 0);
  text = retry != NULL
           ? g_strdup (retry)
           : g_strdup_printf (_ ("Press %d of %d done. Lift the finger and press again."), stage,
                              n_stages);
  set_message (self->fp_label, text, retry != NULL);
}

static void
on_finger_needed (FkFingerprint *reader, gpointer user_data)
{
  FkIntakePage *self = user_data;

  set_message (self->fp_label, _ ("Place the citizen's finger flat on the reader."), FALSE);
}

static void
fp_finished (FkIntakePage *self, const char *error_message)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.fingerprint", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.fingerprint-cancel", FALSE);
  if (self->reader != NULL)
    g_signal_handlers_disconnect_by_data (self->reader, self);
  if (error_message != NULL)
    {
      g_autofree char *text =
        g_strdup_printf (_ ("The fingerprint was not taken: %s"), error_message);

      gtk_progress_bar_set_fraction (self->fp_progress, 0);
      set_message (self->fp_label, text, TRUE);
    }
}

static void
capture_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkIntakePage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) grey = NULL;
  int width = 0, height = 0;

  grey = fk_fingerprint_capture_finish (FK_FINGERPRINT (source), result, &width, &height, &error);
  if (grey != NULL)
    {
      g_clear_pointer (&self->fp_image, g_bytes_unref);
      self->fp_image = fk_fingerprint_image_to_png (grey, width, height, &error);
    }
  if (self->fp_image == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fp_finished (self, error->message);
      return;
    }
  gtk_progress_bar_set_fraction (self->fp_progress, 1.0);
  set_message (self->fp_label, _ ("Fingerprint taken."), FALSE);
  fp_finished (self, NULL);
}

static void
enroll_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkIntakePage) self = user_data;
  g_autoptr (GError) error = NULL;
  GBytes *template = fk_fingerprint_enroll_finish (FK_FINGERPRINT (source), result, &error);

  if (template == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fp_finished (self, error->message);
      else
        fp_finished (self, _ ("cancelled"));
      return;
    }
  g_clear_pointer (&self->fp_template, g_bytes_unref);
  self->fp_template = template;
  /* The print on the dossier: one more press for the image. */
  set_message (self->fp_label, _ ("Once more, for the print on the dossier."), FALSE);
  fk_fingerprint_capture_async (self->reader, self->cancellable, capture_done, g_object_ref (self));
}

static void
fingerprint_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);
  GSettings *settings = fk_application_get_settings (fk_application_get_default ());
  g_autoptr (GError) error = NULL;

  if (self->reader == NULL)
    self->reader = fk_fingerprint_new_default (fk_settings_use_simulated_hardware (settings)
                                                 ? FK_FINGERPRINT_BACKEND_SIM
                                                 : FK_FINGERPRINT_BACKEND_REAL,
                                               &error);
  if (self->reader == NULL)
    {
      fp_finished (self, error->message);
      return;
    }
  g_clear_pointer (&self->fp_template, g_bytes_unref);
  g_clear_pointer (&self->fp_image, g_bytes_unref);
  g_signal_connect (self->reader, "enroll-progress", G_CALLBACK (on_enroll_progress), self);
  g_signal_connect (self->reader, "finger-needed", G_CALLBACK (on_finger_needed), self);
  gtk_progress_bar_set_fraction (self->fp_progress, 0);
  set_message (self->fp_label, _ ("Place the citizen's finger flat on the reader."), FALSE);
  gtk_widget_action_set_enabled (widget, "intake.fingerprint", FALSE);
  gtk_widget_action_set_enabled (widget, "intake.fingerprint-cancel", TRUE);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  fk_fingerprint_enroll_async (self->reader, self->cancellable, enroll_done, g_object_ref (self));
}

static void
fingerprint_cancel_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  g_cancellable_cancel (FK_INTAKE_PAGE (widget)->cancellable);
}

/* ---- consent, review, save ------------------------------------------- */

static gboolean
consent_given (FkIntakePage *self, const char *purpose)
{
  GtkSwitch *sw = g_hash_table_lookup (self->consent_switches, purpose);

  return sw != NULL && gtk_switch_get_active (sw);
}

static gboolean
check_consent (FkIntakePage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (consents); i++)
    if (consents[i].required && !consent_given (self, consents[i].purpose))
      {
        g_autofree char *text = g_strdup_printf (
          _ ("Without consent to “%s” the dossier cannot be taken."), _ (consents[i].title));

        set_message (self->consent_label, text, TRUE);
        return FALSE;
      }
  set_message (self->consent_label, NULL, FALSE);
  return TRUE;
}

static void
fill_review (FkIntakePage *self)
{
  g_autoptr (GString) text = g_string_new (NULL);
  FkProcedure *procedure = fk_procedure_form_get_procedure (self->form);
  guint n_photos = g_hash_table_size (self->photos);

  g_string_append_printf (text, _ ("Citizen: %s, ID %s\n"),
                          fk_citizen_get_full_name (self->citizen),
                          fk_citizen_get_id_number (self->citizen));
  g_string_append_printf (text, _ ("Commune or ward now: %s\n"),
                          gtk_string_object_get_string (
                            adw_combo_row_get_selected_item (ADW_COMBO_ROW (self->commune_row))));
  g_string_append_printf (text, _ ("Procedure: %s\n"), fk_procedure_get_title (procedure));
  g_string_append_printf (text, _ ("Form: %u fields filled in\n"),
                          json_object_get_size (self->fields));
  g_string_append_printf (
    text, g_dngettext (GETTEXT_PACKAGE, "Papers: %u photo\n", "Papers: %u photos\n", n_photos),
    n_photos);
  g_string_append_printf (text, "%s\n",
                          self->fp_template == NULL ? _ ("Fingerprint: not taken")
                          : consent_given (self, "biometrics")
                            ? _ ("Fingerprint: taken")
                            : _ ("Fingerprint: taken, but not kept (no consent)"));
  for (guint i = 0; i < G_N_ELEMENTS (consents); i++)
    g_string_append_printf (text, "%s: %s\n", _ (consents[i].title),
                            consent_given (self, consents[i].purpose) ? _ ("agreed")
                                                                      : _ ("refused"));
  g_strchomp (text->str);
  gtk_label_set_text (self->review_label, text->str);
}

static void
save_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkIntakePage) self = user_data;
  FkApplication *app = fk_application_get_default ();
  g_autoptr (GError) error = NULL;
  g_autofree char *id = fk_store_commit_dossier_finish (FK_STORE (source), result, NULL, &error);
  g_autofree char *number = NULL;
  g_autofree char *usage_key = NULL;
  g_autofree char *usage = NULL;
  g_autoptr (GdkTexture) qr = NULL;
  const char *code;

  self->saving = FALSE;
  gtk_spinner_stop (self->save_spinner);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.save", TRUE);
  if (id == NULL)
    {
      g_autofree char *text = g_strdup_printf (_ ("The dossier was not saved: %s"), error->message);

      set_message (self->save_label, text, TRUE);
      return;
    }
  code = fk_procedure_get_code (fk_procedure_form_get_procedure (self->form));
  usage_key = g_strdup_printf ("app.usage.%s", code);
  usage = g_strdup_printf ("%u", usage_of (code) + 1);
  fk_store_set_setting (get_store (), usage_key, usage, NULL);
  fk_application_add_to_counter (app, "dossiers");
  {
    g_autofree char *per_procedure = g_strdup_printf ("procedure-%s", code);

    fk_application_add_to_counter (app, per_procedure);
  }
  if (fk_application_get_scheduler (app) != NULL)
    fk_sync_scheduler_queue_changed (fk_application_get_scheduler (app));
  number = g_ascii_strup (id, 8);
  gtk_label_set_text (self->receipt_number, number);
  qr = fk_qr_texture_new (id, 6);
  gtk_picture_set_paintable (self->receipt_qr, GDK_PAINTABLE (qr));
  set_message (self->save_label, NULL, FALSE);
  go_to (self, "receipt");
}

/* (element-type FkStoreAttachment): the photos, named by their document
 * codes, and the fingerprint; with @consented, only what the citizen
 * agreed to. */
static GPtrArray *
collect_attachments (FkIntakePage *self, gboolean consented)
{
  GPtrArray *attachments = fk_store_attachments_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->photos);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (consented && g_str_equal (key, "applicant-id") && !consent_given (self, "id-card-image"))
        continue;
      g_ptr_array_add (attachments,
                       fk_store_attachment_new_for_bytes (FK_ATTACHMENT_DOCUMENT, key, value));
    }
  if (self->fp_template == NULL || (consented && !consent_given (self, "biometrics")))
    return attachments;
  g_ptr_array_add (attachments,
                   fk_store_attachment_new_for_bytes (FK_ATTACHMENT_FINGERPRINT_TEMPLATE,
                                                      "fingerprint-template", self->fp_template));
  if (self->fp_image != NULL)
    g_ptr_array_add (attachments, fk_store_attachment_new_for_bytes (
                                    FK_ATTACHMENT_FINGERPRINT, "fingerprint", self->fp_image));
  return attachments;
}

static void
add_consents (FkIntakePage *self, FkDossier *dossier)
{
  for (guint i = 0; i < G_N_ELEMENTS (consents); i++)
    /* (transfer full) to the dossier */
    fk_dossier_add_consent (dossier, fk_consent_new (consents[i].purpose,
                                                     consent_given (self, consents[i].purpose),
                                                     CONSENT_TEXT_VERSION));
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);
  FkApplication *app = fk_application_get_default ();
  FkStore *store = get_store ();
  FkVisit *visit = fk_application_get_visit (app);
  FkProcedure *procedure;
  g_autoptr (GPtrArray) attachments = NULL;

  if (self->saving || store == NULL || self->citizen == NULL || self->form == NULL)
    return;
  /* The commit seals the draft by its id: let a draft being written land. */
  if (self->draft_busy)
    {
      self->commit_waiting = TRUE;
      return;
    }
  procedure = fk_procedure_form_get_procedure (self->form);
  if (self->dossier == NULL)
    self->dossier = fk_dossier_new (NULL, NULL);
  fk_dossier_set_procedure (self->dossier, fk_procedure_get_code (procedure));
  fk_dossier_set_citizen (self->dossier, self->citizen);
  fk_dossier_set_fields (self->dossier, self->fields);
  fk_dossier_set_visit_id (self->dossier, visit != NULL ? fk_visit_get_id (visit) : NULL);
  add_consents (self, self->dossier);
  attachments = collect_attachments (self, TRUE);
  self->saving = TRUE;
  gtk_spinner_start (self->save_spinner);
  set_message (self->save_label, _ ("Sealing the dossier…"), FALSE);
  gtk_widget_action_set_enabled (widget, "intake.save", FALSE);
  fk_store_commit_dossier_async (store, self->dossier, attachments, TRUE, NULL, save_done,
                                 g_object_ref (self));
}

/* ---- drafts ---------------------------------------------------------- */

/* The birth date as ISO when the typed text is a whole date, else as typed. */
static char *
typed_birth_date (FkIntakePage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->birth_row));
  g_autofree char *iso = display_to_iso (text);
  g_autofree char *back = iso_to_display (iso);

  return g_strdup (g_str_equal (back, text) ? iso : text);
}

static const char *
typed (AdwEntryRow *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  return *text != '\0' ? text : NULL;
}

/* The identity as typed, valid or not, for a draft. */
static FkCitizen *
typed_citizen (FkIntakePage *self)
{
  FkCitizen *citizen = fk_citizen_new ();
  g_autofree char *birth = typed_birth_date (self);
  guint sex = adw_combo_row_get_selected (self->sex_row);

  fk_citizen_set_id_number (citizen, typed (self->id_row));
  fk_citizen_set_full_name (citizen, typed (self->name_row));
  fk_citizen_set_birth_date (citizen, *birth != '\0' ? birth : NULL);
  fk_citizen_set_sex (citizen, sex == 1 ? FK_SEX_MALE : sex == 2 ? FK_SEX_FEMALE : FK_SEX_UNKNOWN);
  fk_citizen_set_address (citizen, typed (self->address_row));
  fk_citizen_set_phone (citizen, typed (self->phone_row));
  fk_citizen_set_commune (citizen, fk_commune_row_get_code (self->commune_row));
  return citizen;
}

/* What the dossier does not hold: the step, the card, the photo advice. */
static GVariant *
draft_progress (FkIntakePage *self)
{
  g_auto (GVariantBuilder) progress = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_auto (GVariantBuilder) notes = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
  GHashTableIter iter;
  gpointer key, value;

  g_variant_builder_add (&progress, "{sv}", "step",
                         g_variant_new_string (steps[step_index (self)]));
  if (self->card != NULL)
    g_variant_builder_add (&progress, "{sv}", "card",
                           g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING,
                                                     fk_cccd_card_get_raw (self->card), TRUE));
  g_hash_table_iter_init (&iter, self->photo_notes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_variant_builder_add (&notes, "{ss}", key, value);
  g_variant_builder_add (&progress, "{sv}", "photo-notes", g_variant_builder_end (&notes));
  return g_variant_builder_end (&progress);
}

static void
draft_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkIntakePage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = g_steal_pointer (&self->saving_id);
  gboolean saved = fk_store_save_draft_finish (FK_STORE (source), result, &error);

  self->draft_busy = FALSE;
  gtk_label_set_text (self->draft_label, saved && !self->draft_again ? _ ("Draft saved") : "");
  if (!saved)
    g_warning ("The draft was not saved: %s", error->message);
  /* Restarted meanwhile: that draft is not the current dossier's. */
  else if (self->draft_id == NULL && self->dossier != NULL &&
           g_strcmp0 (id, fk_dossier_get_id (self->dossier)) == 0)
    self->draft_id = g_steal_pointer (&id);
  gtk_widget_set_visible (self->discard_draft_button, self->draft_id != NULL);
  if (self->discard_waiting)
    {
      self->discard_waiting = FALSE;
      self->draft_again = FALSE;
      discard_draft (self);
    }
  else if (self->commit_waiting)
    {
      self->commit_waiting = FALSE;
      save_action (GTK_WIDGET (self), "intake.save", NULL);
    }
  else if (self->draft_again)
    {
      self->draft_again = FALSE;
      save_draft (self);
    }
}

/* Deletes the current draft from the store and starts over. */
static void
discard_draft (FkIntakePage *self)
{
  FkStore *store = get_store ();
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), FK_TYPE_WINDOW);
  g_autoptr (GError) error = NULL;

  if (self->draft_busy)
    {
      self->discard_waiting = TRUE;
      return;
    }
  if (store != NULL && self->draft_id != NULL &&
      !fk_store_delete_draft (store, self->draft_id, &error) &&
      !g_error_matches (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_FOUND))
    {
      if (window != NULL)
        fk_window_toast (FK_WINDOW (window), error->message);
      return;
    }
  restart_action (GTK_WIDGET (self), "intake.restart", NULL);
  if (window != NULL)
    fk_window_toast (FK_WINDOW (window), _ ("The draft was discarded."));
}

static void
on_discard_draft_response (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  if (g_str_equal (response, "discard"))
    discard_draft (FK_INTAKE_PAGE (user_data));
}

/* What was entered for a citizen cannot come back: ask first. */
static void
discard_draft_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);
  GtkWidget *window = gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW);
  GtkWidget *dialog;

  if (self->draft_id == NULL || window == NULL)
    return;
  dialog = adw_message_dialog_new (
    GTK_WINDOW (window), _ ("Discard this draft?"),
    _ ("Everything entered for this citizen is deleted from this device. This cannot be undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("Keep it"), "discard",
                                    _ ("Discard draft"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  /* Part of the application, like the window it covers. */
  gtk_window_set_application (GTK_WINDOW (dialog),
                              gtk_window_get_application (GTK_WINDOW (window)));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_draft_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save_draft (FkIntakePage *self)
{
  FkStore *store = get_store ();
  g_autoptr (FkCitizen) citizen = NULL;
  g_autoptr (GPtrArray) attachments = NULL;

  /* Nothing is worth keeping before the identity step. */
  if (step_index (self) == 0 || store == NULL || !fk_store_is_unlocked (store) || self->saving)
    return;
  if (self->draft_busy)
    {
      self->draft_again = TRUE;
      return;
    }
  if (self->dossier == NULL)
    self->dossier = fk_dossier_new (NULL, NULL);
  citizen = typed_citizen (self);
  fk_dossier_set_procedure (self->dossier,
                            self->form != NULL
                              ? fk_procedure_get_code (fk_procedure_form_get_procedure (self->form))
                              : NULL);
  fk_dossier_set_citizen (self->dossier, citizen);
  /* The form's inputs as typed, valid or not. */
  if (self->form != NULL)
    {
      g_autoptr (JsonObject) state = fk_procedure_form_save_state (self->form);

      fk_dossier_set_fields (self->dossier, state);
    }
  add_consents (self, self->dossier);
  attachments = collect_attachments (self, FALSE);
  self->draft_busy = TRUE;
  g_free (self->saving_id);
  self->saving_id = g_strdup (fk_dossier_get_id (self->dossier));
  gtk_label_set_text (self->draft_label, _ ("Saving the draft…"));
  fk_store_save_draft_async (store, self->dossier, attachments, draft_progress (self), NULL,
                             draft_saved, g_object_ref (self));
}

static void
show_typed_citizen (FkIntakePage *self, FkCitizen *citizen)
{
  g_autofree char *birth = iso_to_display (fk_citizen_get_birth_date (citizen));
  FkSex sex = fk_citizen_get_sex (citizen);

  set_entry (self->id_row, fk_citizen_get_id_number (citizen));
  set_entry (self->name_row, fk_citizen_get_full_name (citizen));
  set_entry (self->birth_row, birth);
  set_entry (self->address_row, fk_citizen_get_address (citizen));
  set_entry (self->phone_row, fk_citizen_get_phone (citizen));
  adw_combo_row_set_selected (self->sex_row, sex == FK_SEX_MALE ? 1 : sex == FK_SEX_FEMALE ? 2 : 0);
  fk_commune_row_set_code (self->commune_row, fk_citizen_get_commune (citizen));
}

/* The photos by document code, with their advice, and the fingerprint. */
static void
take_attachments (FkIntakePage *self, GPtrArray *attachments, GVariant *notes)
{
  for (guint i = 0; i < attachments->len; i++)
    {
      FkStoreAttachment *a = g_ptr_array_index (attachments, i);
      GBytes *bytes = fk_store_attachment_get_bytes (a);
      const char *name = fk_store_attachment_get_name (a);
      const char *note = "";

      if (fk_store_attachment_get_kind (a) == FK_ATTACHMENT_FINGERPRINT_TEMPLATE)
        self->fp_template = g_bytes_ref (bytes);
      else if (fk_store_attachment_get_kind (a) == FK_ATTACHMENT_FINGERPRINT)
        self->fp_image = g_bytes_ref (bytes);
      else if (name != NULL)
        {
          if (notes != NULL)
            g_variant_lookup (notes, name, "&s", &note);
          g_hash_table_insert (self->photos, g_strdup (name), g_bytes_ref (bytes));
          g_hash_table_insert (self->photo_notes, g_strdup (name), g_strdup (note));
        }
    }
  fill_documents (self);
}

/* Everything the draft held, back into the widgets. */
static void
apply_draft (FkIntakePage *self, FkDossier *dossier, GPtrArray *attachments, GVariant *progress)
{
  FkCitizen *citizen = fk_dossier_get_citizen (dossier);
  const char *procedure = fk_dossier_get_procedure (dossier);
  g_autoptr (GVariant) card = NULL;
  g_autoptr (GVariant) notes = NULL;
  const char *step = "form";
  guint index = 0;
  GtkWidget *window;

  /* Saved before the procedure was chosen: the identity alone. */
  if (procedure != NULL && !set_procedure (self, procedure))
    return;
  g_set_object (&self->dossier, dossier);
  self->draft_id = g_strdup (fk_dossier_get_id (dossier));
  if (citizen != NULL)
    show_typed_citizen (self, citizen);
  if (progress != NULL)
    {
      g_variant_lookup (progress, "step", "&s", &step);
      card = g_variant_lookup_value (progress, "card", G_VARIANT_TYPE_BYTESTRING);
      notes = g_variant_lookup_value (progress, "photo-notes", G_VARIANT_TYPE ("a{ss}"));
    }
  if (card != NULL)
    self->card = fk_cccd_parse (g_variant_get_data (card), g_variant_get_size (card));
  if (self->form != NULL)
    fk_procedure_form_load_state (self->form, fk_dossier_get_fields (dossier));
  for (guint i = 0; i < G_N_ELEMENTS (consents); i++)
    {
      const FkConsent *consent = fk_dossier_find_consent (dossier, consents[i].purpose);

      gtk_switch_set_active (g_hash_table_lookup (self->consent_switches, consents[i].purpose),
                             consent != NULL && consent->granted);
    }
  take_attachments (self, attachments, notes);
  if (self->fp_template != NULL)
    {
      gtk_progress_bar_set_fraction (self->fp_progress, 1.0);
      set_message (self->fp_label, _ ("Fingerprint taken."), FALSE);
    }
  for (guint i = 0; i < G_N_ELEMENTS (steps) - 1; i++)
    if (g_str_equal (steps[i], step))
      index = i;
  /* What the later steps show was computed from the earlier ones. */
  if (index > 1 && !check_identity (self))
    index = 1;
  else if (index > 2 && self->form == NULL)
    index = 2;
  else if (index > 3 && !check_form (self))
    index = 3;
  go_to (self, steps[index]);
  window = gtk_widget_get_ancestor (GTK_WIDGET (self), FK_TYPE_WINDOW);
  if (window != NULL)
    fk_window_toast (FK_WINDOW (window), _ ("The unfinished dossier was opened again."));
}

static void
draft_resumed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FkIntakePage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) attachments = NULL;
  g_autoptr (GVariant) progress = NULL;
  g_autoptr (FkDossier) dossier =
    fk_store_resume_draft_finish (FK_STORE (source), result, &attachments, &progress, &error);

  if (dossier == NULL)
    {
      g_warning ("The unfinished dossier cannot be read: %s", error->message);
      return;
    }
  /* Gone, or the officer started another dossier while the store read. */
  if (self->photos == NULL || self->dossier != NULL || self->form != NULL)
    return;
  apply_draft (self, dossier, attachments, progress);
}

/* Opens the newest draft left by a crash or a power cut, if any. */
static void
resume_draft (FkIntakePage *self)
{
  FkStore *store = get_store ();
  g_autoptr (GPtrArray) drafts = NULL;
  g_autoptr (GError) error = NULL;
  const FkOutboxEntry *entry;

  if (self->resume_checked || self->form != NULL || store == NULL || !fk_store_is_unlocked (store))
    return;
  self->resume_checked = TRUE;
  drafts = fk_outbox_list (store, FK_OUTBOX_DRAFT, &error);
  if (drafts == NULL || drafts->len == 0)
    return;
  entry = g_ptr_array_index (drafts, drafts->len - 1);
  fk_store_resume_draft_async (store, entry->id, NULL, draft_resumed, g_object_ref (self));
}

/* ---- navigation ------------------------------------------------------ */

static void
go_to (FkIntakePage *self, const char *step)
{
  guint index = 0;
  g_autofree char *title = NULL;
  static const char *titles[] = {
    N_ ("Scan the ID card"), N_ ("Identity"), N_ ("Procedure"),      N_ ("Form"),    N_ ("Papers"),
    N_ ("Fingerprint"),      N_ ("Consent"),  N_ ("Check and save"), N_ ("Receipt"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (g_str_equal (steps[i], step))
      index = i;
  if (!g_str_equal (step, "photos"))
    stop_camera (self);
  if (!g_str_equal (step, "scan"))
    fk_card_scanner_stop (self->card_scanner);
  gtk_stack_set_visible_child_name (self->steps, step);
  if (!g_str_equal (step, "receipt"))
    save_draft (self);
  title = g_strdup_printf (_ ("Step %u of %u: %s"), index + 1, (guint) G_N_ELEMENTS (steps) - 1,
                           _ (titles[index]));
  gtk_label_set_text (self->step_label, g_str_equal (step, "receipt") ? _ (titles[index]) : title);
  gtk_widget_set_visible (self->nav_bar, !g_str_equal (step, "receipt"));
  gtk_widget_set_visible (self->next_button,
                          !g_str_equal (step, "review") && !g_str_equal (step, "procedure"));
  if (g_str_equal (step, "scan"))
    {
      fk_card_scanner_reset (self->card_scanner);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        fk_card_scanner_start (self->card_scanner);
    }
  if (g_str_equal (step, "photos") && gtk_widget_get_mapped (GTK_WIDGET (self)))
    start_camera (self);
  if (g_str_equal (step, "identity"))
    fk_commune_row_set_address (self->commune_row,
                                gtk_editable_get_text (GTK_EDITABLE (self->address_row)));
  if (g_str_equal (step, "procedure"))
    fill_procedures (self);
  if (g_str_equal (step, "review"))
    fill_review (self);
}

static void
next_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);
  const char *step = steps[step_index (self)];

  if ((g_str_equal (step, "identity") && !check_identity (self)) ||
      (g_str_equal (step, "form") && !check_form (self)) ||
      (g_str_equal (step, "photos") && !check_photos (self)) ||
      (g_str_equal (step, "consent") && !check_consent (self)))
    return;
  if (g_str_equal (step, "fingerprint"))
    g_cancellable_cancel (self->cancellable);
  if (step_index (self) + 1 < G_N_ELEMENTS (steps) - 1)
    go_to (self, steps[step_index (self) + 1]);
}

static void
previous_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);
  guint index = step_index (self);
  GtkWidget *window = gtk_widget_get_ancestor (widget, FK_TYPE_WINDOW);

  if (index == 0)
    {
      if (window != NULL)
        fk_window_navigate (FK_WINDOW (window), "home");
      return;
    }
  go_to (self, steps[index - 1]);
}

static void
manual_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);

  g_clear_object (&self->card);
  set_message (self->identity_label, _ ("Type the data from the card or from the citizen."), FALSE);
  go_to (self, "identity");
}

static void
restart_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);
  AdwEntryRow *rows[] = { self->id_row, self->name_row, self->birth_row, self->address_row,
                          self->phone_row };
  GHashTableIter iter;
  gpointer sw;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    set_entry (rows[i], "");
  adw_combo_row_set_selected (self->sex_row, 0);
  g_clear_object (&self->card);
  g_clear_object (&self->citizen);
  g_clear_pointer (&self->fields, json_object_unref);
  g_clear_pointer (&self->fp_template, g_bytes_unref);
  g_clear_pointer (&self->fp_image, g_bytes_unref);
  g_hash_table_remove_all (self->photos);
  g_hash_table_remove_all (self->photo_notes);
  self->form = NULL;
  g_clear_pointer (&self->draft_id, g_free);
  g_clear_object (&self->dossier);
  gtk_label_set_text (self->draft_label, "");
  gtk_widget_set_visible (self->discard_draft_button, FALSE);
  adw_bin_set_child (self->form_holder, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->procedure_search), "");
  g_hash_table_iter_init (&iter, self->consent_switches);
  while (g_hash_table_iter_next (&iter, NULL, &sw))
    gtk_switch_set_active (sw, FALSE);
  gtk_progress_bar_set_fraction (self->fp_progress, 0);
  set_message (self->fp_label, NULL, FALSE);
  set_message (self->photo_label, NULL, FALSE);
  set_message (self->identity_label, NULL, FALSE);
  gtk_picture_set_paintable (self->receipt_qr, NULL);
  go_to (self, "scan");
}

static void
fk_intake_page_map (GtkWidget *widget)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);
  const char *step = steps[step_index (self)];

  GTK_WIDGET_CLASS (fk_intake_page_parent_class)->map (widget);
  resume_draft (self);
  step = steps[step_index (self)];
  if (g_str_equal (step, "scan"))
    fk_card_scanner_start (self->card_scanner);
  if (g_str_equal (step, "photos"))
    start_camera (self);
}

static void
fk_intake_page_unmap (GtkWidget *widget)
{
  stop_camera (FK_INTAKE_PAGE (widget));
  GTK_WIDGET_CLASS (fk_intake_page_parent_class)->unmap (widget);
}

static void
build_consents (FkIntakePage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (consents); i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *list = gtk_list_box_new ();
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *text = gtk_label_new (_ (consents[i].text));
      GtkWidget *sw = gtk_switch_new ();
      g_autofree char *name = g_strdup_printf ("consent-%s", consents[i].purpose);

      gtk_widget_add_css_class (box, "card");
      gtk_widget_add_css_class (box, "consent");
      /* The whole title row takes the tap, not only the small switch. */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ (consents[i].title));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      gtk_label_set_wrap (GTK_LABEL (text), TRUE);
      gtk_label_set_xalign (GTK_LABEL (text), 0);
      gtk_widget_add_css_class (text, "consent-text");
      gtk_widget_set_name (sw, name);
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), list);
      gtk_box_append (GTK_BOX (box), text);
      gtk_box_append (self->consent_box, box);
      g_hash_table_insert (self->consent_switches, (gpointer) consents[i].purpose, sw);
    }
}

/* For the tests: a switch is a tap away, as on the screen. */
static void
consent_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  FkIntakePage *self = FK_INTAKE_PAGE (widget);
  const char *purpose;
  gboolean agreed;
  GtkSwitch *sw;

  g_variant_get (param, "(&sb)", &purpose, &agreed);
  sw = g_hash_table_lookup (self->consent_switches, purpose);
  if (sw != NULL)
    gtk_switch_set_active (sw, agreed);
}

static void
fk_intake_page_dispose (GObject *object)
{
  FkIntakePage *self = FK_INTAKE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  stop_camera (self);
  if (self->reader != NULL)
    g_signal_handlers_disconnect_by_data (self->reader, self);
  g_clear_object (&self->reader);
  g_clear_object (&self->card);
  g_clear_object (&self->citizen);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->fields, json_object_unref);
  g_clear_pointer (&self->fp_template, g_bytes_unref);
  g_clear_pointer (&self->fp_image, g_bytes_unref);
  g_clear_pointer (&self->photos, g_hash_table_unref);
  g_clear_pointer (&self->photo_notes, g_hash_table_unref);
  g_clear_pointer (&self->consent_switches, g_hash_table_unref);
  g_clear_pointer (&self->photo_target, g_free);
  g_clear_pointer (&self->draft_id, g_free);
  g_clear_pointer (&self->saving_id, g_free);
  g_clear_object (&self->dossier);
  gtk_widget_dispose_template (GTK_WIDGET (object), FK_TYPE_INTAKE_PAGE);
  G_OBJECT_CLASS (fk_intake_page_parent_class)->dispose (object);
}

static void
fk_intake_page_class_init (FkIntakePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fk_intake_page_dispose;
  widget_class->map = fk_intake_page_map;
  widget_class->unmap = fk_intake_page_unmap;

  g_type_ensure (FK_TYPE_CARD_SCANNER);
  g_type_ensure (FK_TYPE_COMMUNE_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/fieldkit/app/ui/fk-intake-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, FkIntakePage, name)
  BIND (steps);
  BIND (step_label);
  BIND (nav_bar);
  BIND (next_button);
  BIND (draft_label);
  BIND (discard_draft_button);
  BIND (card_scanner);
  BIND (id_row);
  BIND (name_row);
  BIND (birth_row);
  BIND (sex_row);
  BIND (address_row);
  BIND (commune_row);
  BIND (phone_row);
  BIND (identity_label);
  BIND (procedure_search);
  BIND (procedure_list);
  BIND (procedure_label);
  BIND (form_holder);
  BIND (form_label);
  BIND (photo_preview);
  BIND (document_list);
  BIND (photo_label);
  BIND (fp_progress);
  BIND (fp_label);
  BIND (consent_box);
  BIND (consent_label);
  BIND (review_label);
  BIND (save_label);
  BIND (save_spinner);
  BIND (receipt_number);
  BIND (receipt_qr);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, procedure_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, card_read);
  gtk_widget_class_bind_template_callback (widget_class, address_changed);

  gtk_widget_class_install_action (widget_class, "intake.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "intake.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "intake.manual", NULL, manual_action);
  gtk_widget_class_install_action (widget_class, "intake.pick-procedure", "s",
                                   pick_procedure_action);
  gtk_widget_class_install_action (widget_class, "intake.take-photo", "s", take_photo_action);
  gtk_widget_class_install_action (widget_class, "intake.fingerprint", NULL, fingerprint_action);
  gtk_widget_class_install_action (widget_class, "intake.fingerprint-cancel", NULL,
                                   fingerprint_cancel_action);
  gtk_widget_class_install_action (widget_class, "intake.consent", "(sb)", consent_action);
  gtk_widget_class_install_action (widget_class, "intake.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "intake.restart", NULL, restart_action);
  gtk_widget_class_install_action (widget_class, "intake.discard-draft", NULL,
                                   discard_draft_action);
}

static void
fk_intake_page_init (FkIntakePage *self)
{
  g_autoptr (GtkStringList) sexes = NULL;
  const char *sex_labels[] = { _ ("— choose —"), _ ("Male"), _ ("Female"), NULL };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->photos =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  self->photo_notes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->consent_switches = g_hash_table_new (g_str_hash, g_str_equal);
  sexes = gtk_string_list_new (sex_labels);
  adw_combo_row_set_model (self->sex_row, G_LIST_MODEL (sexes));
  build_consents (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.fingerprint-cancel", FALSE);
  go_to (self, "scan");
}
