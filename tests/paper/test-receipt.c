/* test-receipt.c: what a citizen's receipt says, and its pages
 *
 * The receipt is made from a real sealed dossier in a real store, with
 * visits planned in it; its text must never hold the citizen's name, ID
 * number, address or birth date.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gstdio.h>
#include <sodium.h>

#include "fk-core.h"
#include "fk-receipt.h"
#include "fk-test-store.h"

/* Wednesday 2 December 2026, 09:41 in Viet Nam. */
#define CREATED "2026-12-02T09:41:00+07:00"

static GDate *
day (int d, int m, int y)
{
  return g_date_new_dmy (d, m, y);
}

static void
assert_day (const GDate *date, int d, int m, int y)
{
  g_assert_nonnull (date);
  g_assert_cmpint (g_date_get_day (date), ==, d);
  g_assert_cmpint (g_date_get_month (date), ==, m);
  g_assert_cmpint (g_date_get_year (date), ==, y);
}

static void
test_working_days (void)
{
  struct
  {
    int d, m, y;
    guint days;
    int ed, em, ey;
  } cases[] = {
    { 4, 12, 2026, 1, 7, 12, 2026 },  /* Friday + 1: Monday */
    { 5, 12, 2026, 0, 7, 12, 2026 },  /* Saturday, same day: Monday */
    { 6, 12, 2026, 1, 8, 12, 2026 },  /* Sunday + 1: Tuesday */
    { 2, 12, 2026, 3, 7, 12, 2026 },  /* Wednesday + 3: Monday */
    { 7, 12, 2026, 7, 16, 12, 2026 }, /* Monday + 7: Wednesday next week */
    { 31, 12, 2026, 1, 1, 1, 2027 },  /* Thursday + 1: Friday, next year */
    { 2, 12, 2026, 0, 2, 12, 2026 },  /* Wednesday, same day */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GDate) from = day (cases[i].d, cases[i].m, cases[i].y);
      g_autoptr (GDate) to = fk_receipt_add_working_days (from, cases[i].days);

      assert_day (to, cases[i].ed, cases[i].em, cases[i].ey);
    }
}

static void
test_paper_names (void)
{
  g_autoptr (GError) error = NULL;
  FkPaper paper;

  g_assert_true (fk_paper_from_string ("58mm", &paper, NULL));
  g_assert_cmpint (paper, ==, FK_PAPER_58MM);
  g_assert_true (fk_paper_from_string ("A5", &paper, NULL));
  g_assert_cmpint (paper, ==, FK_PAPER_A5);
  g_assert_cmpstr (fk_paper_to_string (FK_PAPER_80MM), ==, "80mm");
  g_assert_true (fk_paper_is_roll (FK_PAPER_58MM));
  g_assert_false (fk_paper_is_roll (FK_PAPER_A4));
  g_assert_false (fk_paper_from_string ("letter", &paper, &error));
  g_assert_error (error, FK_PAPER_ERROR, FK_PAPER_ERROR_INVALID_PAPER);
  g_assert_nonnull (strstr (error->message, "letter"));
}

typedef struct
{
  char *dir;
  FkStore *store;
  FkCatalog *catalog;
  char *id;
} Fixture;

static void
save_visit (Fixture *f, const char *date, const char *commune, const char *hamlet)
{
  g_autoptr (FkVisit) visit = fk_visit_new (date, commune, hamlet);
  g_autoptr (GError) error = NULL;

  g_assert_true (fk_store_save_visit (f->store, visit, &error));
  g_assert_no_error (error);
}

/* A birth registration taken on FK_TEST_VISIT_JSON's visit (Bản Nậm Củm,
 * commune 00004), with the birth certificate photographed. */
static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (FkVisit) visit = NULL;
  g_autoptr (FkDossier) dossier = NULL;
  g_autoptr (GPtrArray) attachments = fk_store_attachments_new ();
  g_autoptr (GBytes) photo = NULL;
  guint8 pk[32], sk[32];

  f->dir = g_dir_make_tmp ("fk-receipt-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = fk_test_store_create (f->dir, pk, sk, NULL);
  f->catalog = fk_catalog_new_default (&error);
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, FK_TEST_VISIT_JSON, -1, &error));
  visit = fk_visit_new_from_json (json_parser_get_root (parser), &error);
  g_assert_no_error (error);
  g_assert_true (fk_store_save_visit (f->store, visit, &error));
  dossier = fk_test_dossier ("{\"procedure\": \"" FK_TEST_PROCEDURE "\", \"created\": \"" CREATED
                             "\", \"visit_id\": \"" FK_TEST_VISIT_ID "\", " FK_TEST_CITIZEN_JSON
                             ", " FK_TEST_FIELDS_JSON "}");
  photo = g_bytes_new_take (fk_test_photo_bytes (0, 4096), 4096);
  /* Named by their document codes, as the intake wizard names its photos;
   * a name that is no document of the procedure records none. */
  g_ptr_array_add (attachments, fk_store_attachment_new_for_bytes (FK_ATTACHMENT_DOCUMENT,
                                                                   "birth-certificate", photo));
  g_ptr_array_add (attachments,
                   fk_store_attachment_new_for_bytes (FK_ATTACHMENT_DOCUMENT, "page-2.jpg", photo));
  f->id = fk_store_commit_dossier (f->store, dossier, attachments, TRUE, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_free (f->id);
  g_clear_object (&f->catalog);
  g_clear_object (&f->store);
  fk_test_rm_rf (f->dir);
  g_free (f->dir);
}

static const char *
line_value (FkReceipt *receipt, const char *label)
{
  GPtrArray *lines = fk_receipt_get_lines (receipt);

  for (guint i = 0; i < lines->len; i++)
    {
      FkReceiptLine *line = g_ptr_array_index (lines, i);

      if (g_str_equal (line->label, label))
        return line->value;
    }
  return NULL;
}

static void
assert_no_personal_data (const char *text)
{
  const char *personal[] = { FK_TEST_NAME, FK_TEST_ID_NUMBER, FK_TEST_ADDRESS, "1999",
                             "14/03",      "Nà Phặc",         "Lò Văn Khánh" };

  for (guint i = 0; i < G_N_ELEMENTS (personal); i++)
    if (strstr (text, personal[i]) != NULL)
      g_error ("the receipt holds “%s”:\n%s", personal[i], text);
}

static void
test_receipt_content (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkReceipt) receipt = NULL;
  g_autofree char *text = NULL;
  g_autofree char *upper = NULL;

  fk_i18n_init ("en");
  receipt = fk_receipt_load (f->store, f->catalog, f->id, &error);
  g_assert_no_error (error);
  upper = g_ascii_strup (f->id, 8);
  g_assert_cmpstr (fk_receipt_get_dossier_id (receipt), ==, f->id);
  g_assert_cmpstr (fk_receipt_get_number (receipt), ==, upper);
  g_assert_cmpstr (fk_receipt_get_centre (receipt), ==,
                   "Public Administrative Service Centre of phường Ba Đình");
  g_assert_cmpstr (line_value (receipt, "Procedure"), ==, "Birth registration");
  g_assert_cmpstr (line_value (receipt, "Where"), ==, "Bản Nậm Củm, phường Ba Đình");
  g_assert_cmpstr (line_value (receipt, "Team"), ==, FK_TEST_TEAM_MEMBER ", Vàng A Sử");
  /* Only the photo named after a document of the procedure is listed. */
  g_assert_nonnull (strstr (line_value (receipt, "Papers taken"), "Birth certificate"));
  g_assert_null (strchr (line_value (receipt, "Papers taken"), '\n'));
  /* Birth registration: 1 working day after Wednesday 2 December. */
  assert_day (fk_receipt_get_expected_date (receipt), 3, 12, 2026);
  g_assert_cmpstr (line_value (receipt, "Result expected"), ==,
                   "Thursday 03/12/2026 (1 working day)");
  /* No visit planned: the centre. */
  g_assert_null (fk_receipt_get_handover_visit (receipt));
  g_assert_nonnull (strstr (line_value (receipt, "Result handed over"),
                            "Public Administrative Service Centre of phường Ba Đình"));
  g_assert_false (fk_receipt_get_practice (receipt));
  text = fk_receipt_to_text (receipt);
  g_test_message ("%s", text);
  assert_no_personal_data (text);
  /* The number spoken in two groups of four, then once more at the end. */
  {
    const char *n = fk_receipt_get_number (receipt);
    g_autofree char *grouped = g_strdup_printf ("Dossier number: %c %c %c %c, %c %c %c %c.", n[0],
                                                n[1], n[2], n[3], n[4], n[5], n[6], n[7]);
    g_autofree char *again =
      g_strdup_printf ("Once more, the dossier number: %c %c %c %c, %c %c %c %c.", n[0], n[1], n[2],
                       n[3], n[4], n[5], n[6], n[7]);

    g_assert_nonnull (strstr (text, grouped));
    g_assert_nonnull (strstr (text, again));
  }
  fk_i18n_init ("vi");
}

static void
test_receipt_handover (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkReceipt) receipt = NULL;
  FkVisit *handover;

  fk_i18n_init ("en");
  /* The dossier's own visit, even dated after it (a visit started ahead
   * of its day), is not the handover. */
  {
    g_autoptr (JsonParser) parser = json_parser_new ();
    g_autoptr (FkVisit) own = NULL;
    g_autofree char *json = g_strdup (FK_TEST_VISIT_JSON);

    memcpy (strstr (json, "2026-11-24"), "2026-12-10", 10);
    g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
    own = fk_visit_new_from_json (json_parser_get_root (parser), &error);
    g_assert_no_error (error);
    g_assert_true (fk_store_save_visit (f->store, own, &error));
  }
  /* Another hamlet, another commune, the same day as the dossier and a
   * visit before the result is due: none is the handover. */
  save_visit (f, "2026-12-08", "00004", "Bản Khác");
  save_visit (f, "2026-12-08", "16171", "Bản Nậm Củm");
  save_visit (f, "2026-12-02", "00004", "Bản Nậm Củm");
  save_visit (f, "2026-11-30", "00004", "Bản Nậm Củm");
  receipt = fk_receipt_load (f->store, f->catalog, f->id, &error);
  g_assert_no_error (error);
  g_assert_null (fk_receipt_get_handover_visit (receipt));
  g_clear_object (&receipt);

  /* The first visit on or after the expected date, the hamlet written
   * without accents or in another case; the receipt spells it as the
   * dossier's visit does. */
  save_visit (f, "2026-12-17", "00004", "Bản Nậm Củm");
  save_visit (f, "2026-12-10", "00004", "BAN NAM CUM");
  save_visit (f, "2026-12-15", "00004", "Bản Nậm Củm");
  receipt = fk_receipt_load (f->store, f->catalog, f->id, &error);
  g_assert_no_error (error);
  handover = fk_receipt_get_handover_visit (receipt);
  g_assert_nonnull (handover);
  g_assert_cmpstr (fk_visit_get_date (handover), ==, "2026-12-10");
  g_assert_cmpstr (line_value (receipt, "Result handed over"), ==,
                   "Thursday 10/12/2026, morning, when the team comes to Bản Nậm Củm, phường "
                   "Ba Đình");
  fk_i18n_init ("vi");
}

static void
test_receipt_errors (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkReceipt) receipt = NULL;
  g_autofree char *path = g_build_filename (f->dir, "missing", "r.pdf", NULL);
  g_autofree char *unknown = g_uuid_string_random ();

  g_assert_null (fk_receipt_load (f->store, f->catalog, unknown, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* A locked store gives nothing away. */
  fk_store_lock (f->store);
  g_assert_null (fk_receipt_load (f->store, f->catalog, f->id, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_true (fk_store_unlock (f->store, FK_TEST_PIN, &error));

  receipt = fk_receipt_load (f->store, f->catalog, f->id, &error);
  g_assert_no_error (error);
  g_assert_false (fk_receipt_write_pdf (receipt, FK_PAPER_58MM, 1, path, &error));
  g_assert_error (error, FK_PAPER_ERROR, FK_PAPER_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_receipt_pages (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkReceipt) receipt = fk_receipt_load (f->store, f->catalog, f->id, &error);
  g_autofree char *path = g_build_filename (f->dir, "r.pdf", NULL);
  double width, height, roll_58, roll_80;
  g_autofree char *pdf = NULL;
  gsize length;

  g_assert_no_error (error);
  fk_receipt_get_page_size (receipt, FK_PAPER_A5, &width, &height);
  g_assert_cmpfloat_with_epsilon (width, 148 * 72 / 25.4, 0.01);
  g_assert_cmpfloat_with_epsilon (height, 210 * 72 / 25.4, 0.01);
  fk_receipt_get_page_size (receipt, FK_PAPER_A4, &width, &height);
  g_assert_cmpfloat_with_epsilon (width, 210 * 72 / 25.4, 0.01);
  g_assert_cmpfloat_with_epsilon (height, 297 * 72 / 25.4, 0.01);
  /* A roll is as long as the receipt, longer with the practice band. */
  fk_receipt_get_page_size (receipt, FK_PAPER_58MM, &width, &roll_58);
  g_assert_cmpfloat_with_epsilon (width, 58 * 72 / 25.4, 0.01);
  fk_receipt_get_page_size (receipt, FK_PAPER_80MM, &width, &roll_80);
  g_assert_cmpfloat_with_epsilon (width, 80 * 72 / 25.4, 0.01);
  g_assert_cmpfloat (roll_58, >, 100 * 72 / 25.4);
  g_assert_cmpfloat (roll_80, >, 100 * 72 / 25.4);
  g_assert_cmpfloat (roll_58, <, 300 * 72 / 25.4);
  fk_receipt_set_practice (receipt, TRUE);
  fk_receipt_get_page_size (receipt, FK_PAPER_58MM, &width, &height);
  g_assert_cmpfloat (height, >, roll_58);

  /* Two copies, two pages. */
  g_assert_true (fk_receipt_write_pdf (receipt, FK_PAPER_58MM, 2, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &pdf, &length, &error));
  g_assert_true (g_str_has_prefix (pdf, "%PDF-"));
  g_assert_nonnull (memmem (pdf, length, "/Count 2", strlen ("/Count 2")));
}

/* A practice store (its setting) makes practice receipts. */
static void
test_receipt_practice (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkReceipt) receipt = NULL;
  g_autofree char *text = NULL;

  fk_i18n_init ("vi");
  g_assert_true (fk_store_set_setting (f->store, FK_RECEIPT_PRACTICE_SETTING, "1", &error));
  receipt = fk_receipt_load (f->store, f->catalog, f->id, &error);
  g_assert_no_error (error);
  g_assert_true (fk_receipt_get_practice (receipt));
  text = fk_receipt_to_text (receipt);
  g_assert_true (g_str_has_prefix (text, "LUYỆN TẬP — KHÔNG CÓ GIÁ TRỊ"));
  g_assert_nonnull (strstr (text, "Giấy biên nhận hồ sơ"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);
  fk_i18n_init ("vi");
  g_test_add_func ("/receipt/working-days", test_working_days);
  g_test_add_func ("/receipt/paper-names", test_paper_names);
  g_test_add ("/receipt/content", Fixture, NULL, fixture_set_up, test_receipt_content,
              fixture_tear_down);
  g_test_add ("/receipt/handover", Fixture, NULL, fixture_set_up, test_receipt_handover,
              fixture_tear_down);
  g_test_add ("/receipt/errors", Fixture, NULL, fixture_set_up, test_receipt_errors,
              fixture_tear_down);
  g_test_add ("/receipt/pages", Fixture, NULL, fixture_set_up, test_receipt_pages,
              fixture_tear_down);
  g_test_add ("/receipt/practice", Fixture, NULL, fixture_set_up, test_receipt_practice,
              fixture_tear_down);
  return g_test_run ();
}
