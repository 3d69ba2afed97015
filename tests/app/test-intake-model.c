/* test-intake-model.c: the intake wizard's model, without a display
 *
 * A real store in a temporary directory: each step's checks and their error
 * codes, the draft written on every step and read back after a restart
 * (attachments byte for byte), the commit sealing that draft, the discard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-core-init.h"
#include "fk-intake.h"
#include "fk-outbox.h"
#include "fk-test-intake.h"

/* A card issued in Hà Nội, with its old 9-digit ID. */
#define CARD                                                                                          \
  "001089012345|123456789|Nguyễn Văn An|15081989|Nam|Số 5, ngõ 10, phố Huế, Phường Hai " \
  "Bà Trưng, Hà Nội|20042021"
#define PROCEDURE "temporary-residence-registration"

typedef FkTestIntake Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  fk_test_intake_set_up (f, "fk-intake-XXXXXX");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  fk_test_intake_tear_down (f);
}

static void
mark_gone (gpointer data)
{
  g_atomic_int_set ((gint *) data, TRUE);
}

/* Drops the store and waits until it is finalized (its writer's lock
 * released): the worker thread that wrote a draft may hold it a moment
 * longer. Object data is cleared after finalize. */
static void
release_store (FkStore **store)
{
  gint gone = FALSE;

  g_object_set_data_full (G_OBJECT (*store), "fk-test-gone", &gone, mark_gone);
  g_clear_object (store);
  while (!g_atomic_int_get (&gone))
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static GBytes *
bytes_of (const char *text, guint n)
{
  GString *s = g_string_new (NULL);

  /* Every byte value, so base64 and sealing round trips are tested. */
  for (guint i = 0; i < n; i++)
    g_string_append_c (s, (char) ((i * 7 + strlen (text)) & 0xff));
  g_string_append (s, text);
  return g_string_free_to_bytes (s);
}

static void
assert_step_error (FkIntake *intake, FkIntakeStep step, FkIntakeError code)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (fk_intake_validate_step (intake, step, &error));
  g_assert_error (error, FK_INTAKE_ERROR, (gint) code);
  g_assert_cmpstr (error->message, !=, "");
}

static void
fill_identity (FkIntake *intake)
{
  g_autoptr (FkCccdCard) card = fk_cccd_parse ((const guint8 *) CARD, strlen (CARD));

  fk_intake_read_card (intake, card);
  fk_citizen_set_phone (fk_intake_get_citizen (intake), "0912345678");
}

static void
fill_form (FkIntake *intake)
{
  g_assert_true (fk_intake_set_procedure (intake, PROCEDURE));
  fk_intake_set_answer (intake, "address", "Nhà 12, Bản Nậm Củm");
  fk_intake_set_answer (intake, "from_date", "01/11/2026");
  fk_intake_set_answer (intake, "months", "6");
  fk_intake_set_answer (intake, "reason", "work");
  fk_intake_set_answer (intake, "basis", "rented");
}

/* Each step's checks, with the code a page turns into its message. */
static void
test_steps (Fixture *f, gconstpointer data)
{
  FkIntake *intake = f->intake;
  FkCitizen *citizen;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) fields = NULL;
  g_autoptr (GBytes) photo = bytes_of ("page", 300);

  g_assert_cmpint (fk_intake_get_step (intake), ==, FK_INTAKE_STEP_SCAN);
  g_assert_false (fk_intake_previous (intake));
  fk_intake_type_in (intake);
  g_assert_cmpint (fk_intake_get_step (intake), ==, FK_INTAKE_STEP_IDENTITY);

  /* Identity: the member that is wrong, as a code; the rule alone. */
  citizen = fk_intake_get_citizen (intake);
  assert_step_error (intake, FK_INTAKE_STEP_IDENTITY, FK_INTAKE_ERROR_FULL_NAME);
  fk_citizen_set_full_name (citizen, "Lò Văn Pá");
  fk_citizen_set_id_number (citizen, "0011958662");
  g_assert_false (fk_intake_next (intake, &error));
  g_assert_error (error, FK_INTAKE_ERROR, FK_INTAKE_ERROR_ID_NUMBER);
  g_assert_nonnull (strstr (error->message, "12"));
  g_assert_null (strstr (error->message, "id_number"));
  g_clear_error (&error);
  g_assert_cmpint (fk_intake_get_step (intake), ==, FK_INTAKE_STEP_IDENTITY);
  fk_citizen_set_id_number (citizen, "001089012345");
  fk_citizen_set_phone (citizen, "09123");
  assert_step_error (intake, FK_INTAKE_STEP_IDENTITY, FK_INTAKE_ERROR_PHONE);
  fk_citizen_set_birth_date (citizen, "1989-02-30");
  assert_step_error (intake, FK_INTAKE_STEP_IDENTITY, FK_INTAKE_ERROR_BIRTH_DATE);
  fk_citizen_set_birth_date (citizen, "1989-03-12");
  fk_citizen_set_phone (citizen, NULL);
  g_assert_true (fk_intake_next (intake, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fk_intake_get_step (intake), ==, FK_INTAKE_STEP_PROCEDURE);

  /* Procedure */
  assert_step_error (intake, FK_INTAKE_STEP_PROCEDURE, FK_INTAKE_ERROR_NO_PROCEDURE);
  assert_step_error (intake, FK_INTAKE_STEP_FORM, FK_INTAKE_ERROR_NO_PROCEDURE);
  g_assert_false (fk_intake_set_procedure (intake, "no-such-procedure"));
  g_assert_true (fk_intake_set_procedure (intake, PROCEDURE));
  g_assert_true (fk_intake_next (intake, NULL));
  g_assert_cmpint (fk_intake_get_step (intake), ==, FK_INTAKE_STEP_FORM);

  /* Form: the visit's hamlet and commune are filled in; the rest is named
   * when missing or wrong. */
  g_assert_cmpstr (fk_intake_get_answer (intake, "hamlet"), ==, "Bản Nậm Củm");
  g_assert_cmpstr (fk_intake_get_answer (intake, "commune_code"), ==, "00004");
  assert_step_error (intake, FK_INTAKE_STEP_FORM, FK_INTAKE_ERROR_FORM);
  fill_form (intake);
  fk_intake_set_answer (intake, "months", "sáu");
  g_assert_false (fk_intake_next (intake, &error));
  g_assert_error (error, FK_INTAKE_ERROR, FK_INTAKE_ERROR_FORM);
  g_assert_nonnull (strstr (error->message, "Duration (months)"));
  g_clear_error (&error);
  fk_intake_set_answer (intake, "months", "6");
  fields = fk_intake_collect_fields (intake, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (fields, "from_date"), ==, "2026-11-01");
  g_assert_cmpint (json_object_get_int_member (fields, "months"), ==, 6);
  g_assert_cmpstr (json_object_get_string_member (fields, "reason"), ==, "work");
  g_assert_false (json_object_has_member (fields, "host_name"));
  g_assert_true (fk_intake_next (intake, NULL));

  /* Papers: the required ones first. */
  g_assert_cmpint (fk_intake_get_step (intake), ==, FK_INTAKE_STEP_PHOTOS);
  assert_step_error (intake, FK_INTAKE_STEP_PHOTOS, FK_INTAKE_ERROR_PHOTO_MISSING);
  fk_intake_set_photo (intake, "ct01-form", photo, FK_DOC_ISSUE_NONE);
  fk_intake_set_photo (intake, "residence-proof", photo, FK_DOC_ISSUE_DARK);
  assert_step_error (intake, FK_INTAKE_STEP_PHOTOS, FK_INTAKE_ERROR_PHOTO_MISSING);
  fk_intake_set_photo (intake, "applicant-id", photo, FK_DOC_ISSUE_NONE);
  g_assert_true (fk_intake_next (intake, NULL));

  /* No fingerprint is fine; the processing consent is required. */
  g_assert_true (fk_intake_next (intake, NULL));
  g_assert_cmpint (fk_intake_get_step (intake), ==, FK_INTAKE_STEP_CONSENT);
  fk_intake_set_consent (intake, "biometrics", TRUE);
  assert_step_error (intake, FK_INTAKE_STEP_CONSENT, FK_INTAKE_ERROR_CONSENT_MISSING);
  fk_intake_set_consent (intake, "personal-data", TRUE);
  g_assert_true (fk_intake_next (intake, NULL));
  g_assert_cmpint (fk_intake_get_step (intake), ==, FK_INTAKE_STEP_REVIEW);
  /* The receipt comes from the commit, not from "next". */
  g_assert_true (fk_intake_next (intake, NULL));
  g_assert_cmpint (fk_intake_get_step (intake), ==, FK_INTAKE_STEP_REVIEW);

  /* Back and forth keeps every answer. */
  for (guint i = 0; i < 4; i++)
    g_assert_true (fk_intake_previous (intake));
  g_assert_cmpint (fk_intake_get_step (intake), ==, FK_INTAKE_STEP_FORM);
  g_assert_cmpstr (fk_intake_get_answer (intake, "months"), ==, "6");
  /* The same procedure again keeps its form; another one starts afresh. */
  g_assert_true (fk_intake_set_procedure (intake, PROCEDURE));
  g_assert_cmpuint (fk_intake_get_n_photos (intake), ==, 3);
  g_assert_true (fk_intake_set_procedure (intake, "certified-copies"));
  g_assert_null (fk_intake_get_answer (intake, "months"));
  g_assert_cmpuint (fk_intake_get_n_photos (intake), ==, 0);
  fk_test_wait_for_draft (intake);
}

static guint notified;

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  notified++;
}

/* Pages follow the model through notify. */
static void
test_notify (Fixture *f, gconstpointer data)
{
  g_autoptr (FkCccdCard) card = fk_cccd_parse ((const guint8 *) CARD, strlen (CARD));
  g_autoptr (GBytes) tpl = bytes_of ("template", 10);
  g_auto (GStrv) granted = NULL;
  const char *const some[] = { "biometrics", NULL };

  g_signal_connect (f->intake, "notify::citizen", G_CALLBACK (count_notify), NULL);
  g_signal_connect (f->intake, "notify::step", G_CALLBACK (count_notify), NULL);
  g_signal_connect (f->intake, "notify::consents", G_CALLBACK (count_notify), NULL);
  g_signal_connect (f->intake, "notify::fingerprint-template", G_CALLBACK (count_notify), NULL);
  notified = 0;
  fk_intake_read_card (f->intake, card);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpstr (fk_citizen_get_full_name (fk_intake_get_citizen (f->intake)), ==,
                   "Nguyễn Văn An");
  g_assert_cmpstr (fk_citizen_get_old_id (fk_intake_get_citizen (f->intake)), ==, "123456789");
  /* Typed in instead: what only the card gives goes, the rest stays. */
  fk_intake_type_in (f->intake);
  g_assert_null (fk_intake_get_card (f->intake));
  g_assert_null (fk_citizen_get_old_id (fk_intake_get_citizen (f->intake)));
  g_assert_cmpstr (fk_citizen_get_full_name (fk_intake_get_citizen (f->intake)), ==,
                   "Nguyễn Văn An");
  notified = 0;
  g_object_set (f->intake, "consents", some, NULL);
  g_assert_cmpuint (notified, ==, 1);
  g_object_get (f->intake, "consents", &granted, NULL);
  g_assert_cmpstrv (granted, some);
  fk_intake_set_consent (f->intake, "biometrics", TRUE);
  fk_intake_set_consent (f->intake, "no-such-purpose", TRUE);
  g_assert_cmpuint (notified, ==, 1);
  fk_intake_set_fingerprint (f->intake, tpl, NULL);
  g_assert_cmpuint (notified, ==, 2);
  /* Who read a text aloud: one reader per text, the last one recorded. */
  g_assert_null (fk_intake_get_consent_read_aloud (f->intake, "biometrics"));
  fk_intake_set_consent_read_aloud (f->intake, "biometrics", FK_CONSENT_READ_BY_DEVICE);
  g_assert_cmpuint (notified, ==, 3);
  fk_intake_set_consent_read_aloud (f->intake, "biometrics", FK_CONSENT_READ_BY_DEVICE);
  fk_intake_set_consent_read_aloud (f->intake, "no-such-purpose", FK_CONSENT_READ_BY_DEVICE);
  g_assert_cmpuint (notified, ==, 3);
  fk_intake_set_consent_read_aloud (f->intake, "biometrics", FK_CONSENT_READ_BY_OFFICER);
  g_assert_cmpstr (fk_intake_get_consent_read_aloud (f->intake, "biometrics"), ==, "officer");
  fk_intake_set_consent_read_aloud (f->intake, "biometrics", NULL);
  g_assert_null (fk_intake_get_consent_read_aloud (f->intake, "biometrics"));
  g_assert_cmpuint (notified, ==, 5);
  fk_intake_set_consent_read_aloud (f->intake, "personal-data", FK_CONSENT_READ_BY_DEVICE);
  fk_intake_reset (f->intake);
  g_assert_null (fk_intake_get_consent_read_aloud (f->intake, "personal-data"));
  g_assert_null (fk_intake_get_fingerprint_template (f->intake));
  g_assert_false (fk_intake_get_consent (f->intake, "biometrics"));
  g_assert_null (fk_citizen_get_full_name (fk_intake_get_citizen (f->intake)));
  g_assert_cmpint (fk_intake_get_step (f->intake), ==, FK_INTAKE_STEP_SCAN);
  fk_test_wait_for_draft (f->intake);
}

/* The model as far as the consent step, as the test of the resume wants
 * it back. */
static void
walk_to_consent (FkIntake *intake, GBytes *photo, GBytes *tpl, GBytes *image)
{
  fill_identity (intake);
  g_assert_true (fk_intake_next (intake, NULL));
  fill_form (intake);
  fk_intake_set_answer (intake, "host_name", "  Lò Thị Xuân  ");
  g_assert_true (fk_intake_next (intake, NULL));
  g_assert_true (fk_intake_next (intake, NULL));
  fk_intake_set_photo (intake, "ct01-form", photo, FK_DOC_ISSUE_NONE);
  fk_intake_set_photo (intake, "residence-proof", photo, FK_DOC_ISSUE_BLURRED | FK_DOC_ISSUE_GLARE);
  fk_intake_set_photo (intake, "applicant-id", image, FK_DOC_ISSUE_NONE);
  g_assert_true (fk_intake_next (intake, NULL));
  fk_intake_set_fingerprint (intake, tpl, image);
  g_assert_true (fk_intake_next (intake, NULL));
  fk_intake_set_consent (intake, "biometrics", TRUE);
  g_assert_cmpint (fk_intake_get_step (intake), ==, FK_INTAKE_STEP_CONSENT);
}

static FkIntake *
resume_with (Fixture *f, FkCatalog *catalog)
{
  FkIntake *back = fk_intake_new (f->store, catalog);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  fk_intake_resume_async (back, NULL, fk_test_got_result, &result);
  g_assert_true (fk_intake_resume_finish (back, fk_test_wait_result (&result), &error));
  g_assert_no_error (error);
  return back;
}

static FkIntake *
resume (Fixture *f)
{
  return resume_with (f, f->catalog);
}

static void
assert_same_photo (FkIntake *a, FkIntake *b, const char *document)
{
  FkDocIssue issues_a, issues_b;
  GBytes *photo_a = fk_intake_get_photo (a, document, &issues_a);
  GBytes *photo_b = fk_intake_get_photo (b, document, &issues_b);

  g_assert_nonnull (photo_a);
  g_assert_nonnull (photo_b);
  g_assert_true (g_bytes_equal (photo_a, photo_b));
  g_assert_cmpint (issues_a, ==, issues_b);
}

/* Draft save, then a restart: the same model comes back. */
static void
test_draft_resume (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) photo = bytes_of ("page", 5000);
  g_autoptr (GBytes) tpl = bytes_of ("template", 800);
  g_autoptr (GBytes) image = bytes_of ("print", 3000);
  g_autoptr (FkIntake) back = NULL;
  g_autoptr (GPtrArray) drafts = NULL;
  g_autoptr (JsonObject) fields = NULL;
  g_autoptr (JsonObject) fields_back = NULL;
  g_autoptr (JsonNode) a = NULL;
  g_autoptr (JsonNode) b = NULL;
  g_autoptr (GError) error = NULL;
  FkCitizen *citizen;

  walk_to_consent (f->intake, photo, tpl, image);
  fk_intake_set_consent_read_aloud (f->intake, "biometrics", FK_CONSENT_READ_BY_OFFICER);
  /* A change within a step is written on request (or with the next step). */
  fk_intake_save_draft (f->intake);
  /* Every step entered wrote the same draft. */
  fk_test_wait_for_draft (f->intake);
  g_assert_cmpint (fk_intake_get_draft_state (f->intake), ==, FK_INTAKE_DRAFT_SAVED);
  g_assert_nonnull (fk_intake_get_draft_id (f->intake));
  drafts = fk_outbox_list (f->store, FK_OUTBOX_DRAFT, NULL);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_cmpstr (((FkOutboxEntry *) drafts->pdata[0])->procedure, ==, PROCEDURE);

  /* A restart: the store is closed, opened again and unlocked. */
  fk_intake_set_store (f->intake, NULL);
  release_store (&f->store);
  f->store = fk_store_open (f->dir, FK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (fk_store_unlock (f->store, FK_TEST_PIN, NULL));
  back = resume (f);

  g_assert_true (fk_intake_get_consent (back, "biometrics"));
  g_assert_false (fk_intake_get_consent (back, "personal-data"));
  g_assert_cmpstr (fk_intake_get_consent_read_aloud (back, "biometrics"), ==, "officer");
  g_assert_null (fk_intake_get_consent_read_aloud (back, "personal-data"));
  g_assert_cmpint (fk_intake_get_step (back), ==, FK_INTAKE_STEP_CONSENT);
  g_assert_cmpstr (fk_intake_get_draft_id (back), ==, fk_intake_get_draft_id (f->intake));
  g_assert_true (fk_intake_get_procedure (back) == fk_intake_get_procedure (f->intake));
  citizen = fk_intake_get_citizen (back);
  a = fk_citizen_to_json (fk_intake_get_citizen (f->intake));
  b = fk_citizen_to_json (citizen);
  g_assert_true (json_node_equal (a, b));
  g_assert_cmpstr (fk_citizen_get_phone (citizen), ==, "0912345678");
  g_assert_nonnull (fk_intake_get_card (back));
  g_assert_true (g_bytes_equal (fk_cccd_card_get_raw (fk_intake_get_card (back)),
                                fk_cccd_card_get_raw (fk_intake_get_card (f->intake))));
  /* Answers as entered, not as collected. */
  g_assert_cmpstr (fk_intake_get_answer (back, "host_name"), ==, "  Lò Thị Xuân  ");
  g_assert_cmpstr (fk_intake_get_answer (back, "from_date"), ==, "01/11/2026");
  fields = fk_intake_collect_fields (f->intake, NULL);
  fields_back = fk_intake_collect_fields (back, NULL);
  g_assert_true (json_object_equal (fields, fields_back));
  /* Attachments byte for byte, with their quality checks. */
  g_assert_cmpuint (fk_intake_get_n_photos (back), ==, 3);
  assert_same_photo (f->intake, back, "ct01-form");
  assert_same_photo (f->intake, back, "residence-proof");
  assert_same_photo (f->intake, back, "applicant-id");
  g_assert_true (g_bytes_equal (fk_intake_get_fingerprint_template (back), tpl));
  g_assert_true (g_bytes_equal (fk_intake_get_fingerprint_image (back), image));

  /* Resuming wrote the draft again, under the same id. */
  fk_test_wait_for_draft (back);
  g_clear_pointer (&drafts, g_ptr_array_unref);
  drafts = fk_outbox_list (f->store, FK_OUTBOX_DRAFT, NULL);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_finalize_object (g_steal_pointer (&back));
}

/* A draft saved before the procedure was chosen comes back at the
 * procedure; one whose identity is no longer complete, at the identity. */
static void
test_resume_earlier_step (Fixture *f, gconstpointer data)
{
  g_autoptr (FkIntake) back = NULL;
  g_autoptr (FkIntake) other = NULL;

  fill_identity (f->intake);
  g_assert_true (fk_intake_next (f->intake, NULL));
  fk_test_wait_for_draft (f->intake);
  back = resume (f);
  g_assert_cmpint (fk_intake_get_step (back), ==, FK_INTAKE_STEP_PROCEDURE);
  g_assert_null (fk_intake_get_procedure (back));
  fk_test_wait_for_draft (back);

  /* Saved at the procedure with the name cleared meanwhile. */
  fk_citizen_set_full_name (fk_intake_get_citizen (back), NULL);
  fk_intake_save_draft (back);
  fk_test_wait_for_draft (back);
  other = resume (f);
  g_assert_cmpint (fk_intake_get_step (other), ==, FK_INTAKE_STEP_IDENTITY);
  fk_test_wait_for_draft (other);
}

/* The shipped catalog as a newer version, without the field @field of
 * PROCEDURE (or without PROCEDURE at all when @field is NULL). */
static FkCatalog *
newer_catalog (const char *version, const char *field)
{
  g_autoptr (GBytes) shipped = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  JsonArray *procedures;
  FkCatalog *catalog;
  gsize length;

  fk_core_ensure_resources ();
  shipped = g_resources_lookup_data ("/vn/fieldkit/core/data/catalog.json",
                                     G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (shipped, NULL),
                                             g_bytes_get_size (shipped), &error));
  json_object_set_string_member (json_node_get_object (json_parser_get_root (parser)), "version",
                                 version);
  procedures = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                             "procedures");
  for (guint i = 0; i < json_array_get_length (procedures); i++)
    {
      JsonObject *p = json_array_get_object_element (procedures, i);
      JsonArray *fields = json_object_get_array_member (p, "fields");

      if (g_strcmp0 (json_object_get_string_member (p, "code"), PROCEDURE) != 0)
        continue;
      if (field == NULL)
        {
          json_array_remove_element (procedures, i);
          break;
        }
      for (guint k = 0; k < json_array_get_length (fields); k++)
        if (g_strcmp0 (
              json_object_get_string_member (json_array_get_object_element (fields, k), "name"),
              field) == 0)
          json_array_remove_element (fields, k--);
    }
  json_generator_set_root (gen, json_parser_get_root (parser));
  text = json_generator_to_data (gen, &length);
  bytes = g_bytes_new_take (g_steal_pointer (&text), length);
  catalog = fk_catalog_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  return catalog;
}

/* A draft begun under one catalog opens under a newer one: what the newer
 * one no longer has is left out and named, nothing else is lost. */
static void
test_draft_under_older_catalog (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) photo = bytes_of ("page", 5000);
  g_autoptr (GBytes) tpl = bytes_of ("template", 800);
  g_autoptr (GBytes) image = bytes_of ("print", 3000);
  g_autoptr (FkCatalog) no_host = newer_catalog ("2099.1.1", "host_name");
  g_autoptr (FkCatalog) no_procedure = newer_catalog ("2099.1.2", NULL);
  g_autoptr (FkDossier) draft = NULL;
  g_autoptr (FkIntake) back = NULL;
  g_autoptr (FkIntake) other = NULL;
  g_autoptr (GError) error = NULL;
  const char *notice;

  walk_to_consent (f->intake, photo, tpl, image);
  fk_intake_save_draft (f->intake);
  fk_test_wait_for_draft (f->intake);
  /* The draft says which catalog it was filled against. */
  draft =
    fk_store_resume_draft (f->store, fk_intake_get_draft_id (f->intake), NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fk_dossier_get_catalog_version (draft), ==, fk_catalog_get_version (f->catalog));
  g_assert_null (fk_intake_get_resume_notice (f->intake));

  /* A field gone: its answer left out and named, the rest as entered. */
  back = resume_with (f, no_host);
  notice = fk_intake_get_resume_notice (back);
  g_assert_nonnull (notice);
  g_assert_nonnull (strstr (notice, "host_name"));
  g_assert_nonnull (strstr (notice, "2099.1.1"));
  g_assert_null (fk_intake_get_answer (back, "host_name"));
  g_assert_cmpstr (fk_intake_get_answer (back, "address"), ==, "Nhà 12, Bản Nậm Củm");
  g_assert_cmpint (fk_intake_get_step (back), ==, FK_INTAKE_STEP_CONSENT);
  g_assert_cmpuint (fk_intake_get_n_photos (back), ==, 3);
  fk_test_wait_for_draft (back);
  /* Written again: the draft now says the newer catalog. */
  g_clear_object (&draft);
  draft = fk_store_resume_draft (f->store, fk_intake_get_draft_id (back), NULL, NULL, NULL, &error);
  g_assert_cmpstr (fk_dossier_get_catalog_version (draft), ==, "2099.1.1");
  fk_intake_reset (back);
  g_assert_null (fk_intake_get_resume_notice (back));
  g_assert_finalize_object (g_steal_pointer (&back));

  /* The procedure gone: the identity, photos and consents come back, the
   * procedure is to be chosen again. */
  other = resume_with (f, no_procedure);
  notice = fk_intake_get_resume_notice (other);
  g_assert_nonnull (notice);
  g_assert_nonnull (strstr (notice, PROCEDURE));
  g_assert_cmpint (fk_intake_get_step (other), ==, FK_INTAKE_STEP_PROCEDURE);
  g_assert_null (fk_intake_get_procedure (other));
  g_assert_cmpstr (fk_citizen_get_phone (fk_intake_get_citizen (other)), ==, "0912345678");
  g_assert_true (fk_intake_get_consent (other, "biometrics"));
  fk_test_wait_for_draft (other);
  g_assert_finalize_object (g_steal_pointer (&other));
}

static GBytes *
read_part (FkStore *store, const char *id, guint index)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;

  g_assert_true (fk_store_read_attachment (store, id, index, out, NULL, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* The commit seals the draft: one dossier, its parts as consented. */
static void
test_commit (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) photo = bytes_of ("page", 5000);
  g_autoptr (GBytes) tpl = bytes_of ("template", 800);
  g_autoptr (GBytes) image = bytes_of ("print", 3000);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (FkDossier) sealed = NULL;
  g_autofree char *id = NULL;
  g_autofree char *draft_id = NULL;

  walk_to_consent (f->intake, photo, tpl, image);
  fk_intake_set_consent (f->intake, "personal-data", TRUE);
  fk_intake_set_consent_read_aloud (f->intake, "personal-data", FK_CONSENT_READ_BY_DEVICE);
  fk_intake_set_consent_read_aloud (f->intake, "biometrics", FK_CONSENT_READ_BY_OFFICER);
  g_assert_true (fk_intake_next (f->intake, NULL));
  /* Committed while the review's draft is still being written: it waits. */
  g_assert_cmpint (fk_intake_get_draft_state (f->intake), ==, FK_INTAKE_DRAFT_SAVING);
  fk_intake_commit_async (f->intake, NULL, fk_test_got_result, &result);
  g_assert_true (fk_intake_get_committing (f->intake));
  id = fk_intake_commit_finish (f->intake, fk_test_wait_result (&result), &error);
  g_assert_no_error (error);
  draft_id = g_strdup (fk_intake_get_draft_id (f->intake));
  g_assert_cmpstr (id, ==, draft_id);
  g_assert_cmpstr (fk_intake_get_dossier_id (f->intake), ==, id);
  g_assert_false (fk_intake_get_committing (f->intake));
  g_assert_cmpint (fk_intake_get_step (f->intake), ==, FK_INTAKE_STEP_RECEIPT);

  all = fk_outbox_list (f->store, FK_OUTBOX_ANY_STATE, NULL);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpint (((FkOutboxEntry *) all->pdata[0])->state, ==, FK_OUTBOX_QUEUED);
  sealed = fk_store_read_dossier (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fk_dossier_get_procedure (sealed), ==, PROCEDURE);
  g_assert_cmpstr (fk_dossier_get_visit_id (sealed), ==, fk_visit_get_id (f->visit));
  g_assert_cmpint (json_object_get_int_member (fk_dossier_get_fields (sealed), "months"), ==, 6);
  g_assert_true (fk_dossier_find_consent (sealed, "biometrics")->granted);
  g_assert_false (fk_dossier_find_consent (sealed, "id-card-image")->granted);
  g_assert_cmpstr (fk_dossier_find_consent (sealed, "personal-data")->read_aloud, ==, "device");
  g_assert_cmpstr (fk_dossier_find_consent (sealed, "biometrics")->read_aloud, ==, "officer");
  g_assert_null (fk_dossier_find_consent (sealed, "id-card-image")->read_aloud);
  /* Without "id-card-image" the ID card's photo stays out: two papers,
   * then the template and the print. */
  g_assert_cmpuint (fk_dossier_get_attachments (sealed)->len, ==, 4);
  {
    g_autoptr (GBytes) first = read_part (f->store, id, 0);
    g_autoptr (GBytes) third = read_part (f->store, id, 2);

    g_assert_true (g_bytes_equal (first, photo));
    g_assert_true (g_bytes_equal (third, tpl));
  }

  /* A second commit is refused: the dossier is sealed. */
  g_clear_object (&result);
  fk_intake_reset (f->intake);
  fk_intake_commit_async (f->intake, NULL, fk_test_got_result, &result);
  g_assert_null (fk_intake_commit_finish (f->intake, fk_test_wait_result (&result), &error));
  g_assert_error (error, FK_INTAKE_ERROR, FK_INTAKE_ERROR_FULL_NAME);
}

static void
test_commit_errors (Fixture *f, gconstpointer data)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) photo = bytes_of ("page", 100);
  g_autoptr (GPtrArray) all = NULL;

  /* A step not complete: its code. */
  walk_to_consent (f->intake, photo, photo, photo);
  fk_test_wait_for_draft (f->intake);
  fk_intake_commit_async (f->intake, NULL, fk_test_got_result, &result);
  g_assert_null (fk_intake_commit_finish (f->intake, fk_test_wait_result (&result), &error));
  g_assert_error (error, FK_INTAKE_ERROR, FK_INTAKE_ERROR_CONSENT_MISSING);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Locked: nothing is written. */
  fk_intake_set_consent (f->intake, "personal-data", TRUE);
  fk_store_lock (f->store);
  fk_intake_commit_async (f->intake, NULL, fk_test_got_result, &result);
  g_assert_null (fk_intake_commit_finish (f->intake, fk_test_wait_result (&result), &error));
  g_assert_error (error, FK_INTAKE_ERROR, FK_INTAKE_ERROR_NOT_READY);
  g_clear_error (&error);
  g_clear_object (&result);
  all = fk_outbox_list (f->store, FK_OUTBOX_ANY_STATE, NULL);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpint (((FkOutboxEntry *) all->pdata[0])->state, ==, FK_OUTBOX_DRAFT);
}

/* Discard: the draft is deleted for good and the model starts over. */
static void
test_discard (Fixture *f, gconstpointer data)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = NULL;

  fill_identity (f->intake);
  g_assert_true (fk_intake_next (f->intake, NULL));
  /* While the draft is being written: the discard waits for its id. */
  g_assert_cmpint (fk_intake_get_draft_state (f->intake), ==, FK_INTAKE_DRAFT_SAVING);
  fk_intake_discard_async (f->intake, NULL, fk_test_got_result, &result);
  g_assert_true (fk_intake_discard_finish (f->intake, fk_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_null (fk_intake_get_draft_id (f->intake));
  g_assert_cmpint (fk_intake_get_step (f->intake), ==, FK_INTAKE_STEP_SCAN);
  all = fk_outbox_list (f->store, FK_OUTBOX_ANY_STATE, NULL);
  g_assert_cmpuint (all->len, ==, 0);

  /* Nothing left to resume. */
  g_clear_object (&result);
  fk_intake_resume_async (f->intake, NULL, fk_test_got_result, &result);
  g_assert_false (fk_intake_resume_finish (f->intake, fk_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

/* A photo goes through the quality check and the compression off the main
 * loop; a blank frame is kept, with the check's advice. */
static void
test_add_photo (Fixture *f, gconstpointer data)
{
  g_autoptr (FkGrayImage) blank = fk_gray_image_new (640, 480);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  FkDocIssue issues = FK_DOC_ISSUE_NONE, kept = FK_DOC_ISSUE_NONE;
  GBytes *jpeg;

  g_assert_true (fk_intake_set_procedure (f->intake, "certified-copies"));
  fk_intake_add_photo_async (f->intake, "original-document", blank, NULL, fk_test_got_result,
                             &result);
  g_assert_true (
    fk_intake_add_photo_finish (f->intake, fk_test_wait_result (&result), &issues, &error));
  g_assert_no_error (error);
  g_assert_true (issues & FK_DOC_ISSUE_NO_PAGE);
  jpeg = fk_intake_get_photo (f->intake, "original-document", &kept);
  g_assert_nonnull (jpeg);
  g_assert_cmpint (kept, ==, issues);
  /* JPEG's start of image */
  g_assert_cmpmem (g_bytes_get_data (jpeg, NULL), 2, "\xff\xd8", 2);
}

int
main (int argc, char **argv)
{
  /* The catalog's labels in English, whatever the machine's locale. */
  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);
  fk_core_ensure_resources ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/intake/steps", test_steps);
  ADD ("/intake/notify", test_notify);
  ADD ("/intake/draft-resume", test_draft_resume);
  ADD ("/intake/draft-under-older-catalog", test_draft_under_older_catalog);
  ADD ("/intake/resume-earlier-step", test_resume_earlier_step);
  ADD ("/intake/commit", test_commit);
  ADD ("/intake/commit-errors", test_commit_errors);
  ADD ("/intake/discard", test_discard);
  ADD ("/intake/add-photo", test_add_photo);
#undef ADD
  return g_test_run ();
}
