/* test-catalog-guide.c: what the procedure guide tells, and finding a
 * procedure without accents: the shipped catalog answers every question
 * the guide asks of every procedure the mobile team meets most; the new
 * members are checked as strictly as the form; versions compare as
 * numbers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-core.h"

static FkCatalog *
default_catalog (void)
{
  g_autoptr (GError) error = NULL;
  FkCatalog *catalog = fk_catalog_new_default (&error);

  g_assert_no_error (error);
  return catalog;
}

/* The commune procedures a mobile team meets most (the list). */
static const char *const team_procedures[] = {
  "birth-registration",
  "birth-registration-linked",
  "late-birth-registration",
  "marriage-registration",
  "death-registration",
  "marital-status-certificate",
  "certified-copies",
  "signature-certification",
  "permanent-residence-registration",
  "temporary-residence-registration",
  "residence-confirmation",
  "civil-status-extract",
  "social-allowance",
};

static void
test_shipped_complete (void)
{
  g_autoptr (FkCatalog) catalog = default_catalog ();
  g_autoptr (GPtrArray) procedures = fk_catalog_get_procedures (catalog);

  for (guint i = 0; i < G_N_ELEMENTS (team_procedures); i++)
    g_assert_nonnull (fk_catalog_lookup (catalog, team_procedures[i]));
  for (guint i = 0; i < procedures->len; i++)
    {
      FkProcedure *p = g_ptr_array_index (procedures, i);
      GPtrArray *documents = fk_procedure_get_documents (p);
      const char *const *keywords = fk_procedure_get_keywords (p);
      gint64 amount = -1;

      g_test_message ("%s", fk_procedure_get_code (p));
      g_assert_nonnull (fk_procedure_get_description (p));
      g_assert_nonnull (fk_procedure_get_legal_basis (p));
      g_assert_nonnull (fk_procedure_get_authority (p));
      g_assert_nonnull (fk_procedure_get_fee (p));
      if (fk_procedure_get_fee_amount (p, &amount))
        g_assert_cmpint (amount, >=, 0);
      g_assert_cmpint (fk_procedure_get_time_limit_days (p), >=, 0);
      g_assert_true (fk_procedure_has_online_info (p));
      g_assert_nonnull (keywords);
      g_assert_nonnull (keywords[0]);
      g_assert_cmpuint (documents->len, >, 0);
      for (guint k = 0; k < documents->len; k++)
        g_assert_cmpint (fk_procedure_document_get_handling (g_ptr_array_index (documents, k)), !=,
                         FK_DOCUMENT_UNSPECIFIED);
    }
  /* A few facts as the legal texts set them. */
  {
    FkProcedure *copies = fk_catalog_lookup (catalog, "certified-copies");
    FkProcedure *signature = fk_catalog_lookup (catalog, "signature-certification");
    FkProcedure *birth = fk_catalog_lookup (catalog, "birth-registration");
    gint64 amount = -1;
    gboolean full = FALSE;

    g_assert_false (fk_procedure_get_online (copies, NULL));
    g_assert_true (fk_procedure_get_fee_amount (signature, &amount));
    g_assert_cmpint (amount, ==, 10000);
    g_assert_true (fk_procedure_get_fee_amount (birth, &amount));
    g_assert_cmpint (amount, ==, 0);
    g_assert_true (fk_procedure_get_online (birth, &full));
    g_assert_true (full);
    g_assert_cmpstr (fk_procedure_get_portal_code (birth), ==, "1.001193");
    g_assert_cmpint (fk_procedure_document_get_handling (
                       g_ptr_array_index (fk_procedure_get_documents (copies), 0)),
                     ==, FK_DOCUMENT_ORIGINAL_SHOWN);
  }
}

static char *
codes (GPtrArray *found)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < found->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? " " : "",
                            fk_procedure_get_code (g_ptr_array_index (found, i)));
  return g_string_free (out, FALSE);
}

static char *
search (FkCatalog *catalog, const char *query)
{
  g_autoptr (GPtrArray) found = fk_catalog_search (catalog, query, NULL);

  return codes (found);
}

static void
test_search (void)
{
  g_autoptr (FkCatalog) catalog = default_catalog ();
  const char *births = "birth-registration birth-registration-linked late-birth-registration";
  g_autofree char *plain = search (catalog, "khai sinh");
  g_autofree char *upper = search (catalog, "KHAI SINH");
  g_autofree char *accented = search (catalog, "Khai Sinh");
  g_autofree char *linked = search (catalog, "khai sinh lien thong");
  g_autofree char *linked_accents = search (catalog, "  khai sinh  LIÊN THÔNG ");
  g_autofree char *bhyt = search (catalog, "bhyt");
  g_autofree char *notary = search (catalog, "cong chung");
  g_autofree char *code = search (catalog, "1.004222");
  g_autofree char *fee = search (catalog, "10.000 dong");
  g_autofree char *nothing = search (catalog, "xyzzy");

  /* The three birth procedures hold the words in their titles: first. */
  g_assert_true (g_str_has_prefix (plain, births));
  g_assert_cmpstr (upper, ==, plain);
  g_assert_cmpstr (accented, ==, plain);
  g_assert_null (strstr (plain, "marriage"));
  /* First the one that says it in its title; then those whose guide
   * mentions it (birth registration points to the linked procedure). */
  g_assert_true (g_str_has_prefix (linked, "birth-registration-linked"));
  g_assert_null (strstr (linked, "late-birth-registration"));
  g_assert_cmpstr (linked_accents, ==, linked);
  g_assert_true (g_str_has_prefix (bhyt, "birth-registration-linked"));
  g_assert_true (g_str_has_prefix (notary, "certified-copies"));
  /* Found by what the guide tells: the portal's code, a fee. */
  g_assert_cmpstr (code, ==, "permanent-residence-registration");
  g_assert_nonnull (strstr (fee, "signature-certification"));
  g_assert_cmpstr (nothing, ==, "");
  /* The ones named so come first, counted. */
  {
    guint n_best = 0;
    g_autoptr (GPtrArray) found = fk_catalog_search (catalog, "chung thuc", &n_best);

    g_assert_cmpuint (n_best, ==, 2);
    g_assert_cmpuint (found->len, >, n_best);
    g_assert_cmpstr (fk_procedure_get_code (g_ptr_array_index (found, 0)), ==, "certified-copies");
  }
  {
    g_autoptr (GPtrArray) everything = fk_catalog_search (catalog, "", NULL);
    g_autoptr (GPtrArray) procedures = fk_catalog_get_procedures (catalog);

    g_assert_cmpuint (everything->len, ==, procedures->len);
  }
}

static void
test_bad_guide_members (void)
{
  struct
  {
    const char *procedure_json; /* members added to {"code": "a", "title": "A", "fields": []} */
    const char *expect;
  } cases[] = {
    { "\"fees\": {\"text\": \"x\"}", "fees" },
    { "\"fee\": \"free\"", "fee" },
    { "\"fee\": {\"amount\": 0}", "fee" },
    { "\"fee\": {\"text\": \"x\", \"amount\": -5}", "amount" },
    { "\"fee\": {\"text\": \"x\", \"amount\": \"5\"}", "amount" },
    { "\"fee\": {\"text\": \"x\", \"currency\": \"VND\"}", "currency" },
    { "\"time_limit_days\": 400", "time_limit_days" },
    { "\"time_limit_days\": \"3\"", "time_limit_days" },
    { "\"time_limit_note\": 3", "time_limit_note" },
    { "\"online\": true", "online" },
    { "\"online\": {\"full\": true}", "available" },
    { "\"online\": {\"available\": true, \"portal_code\": \"1001193\"}", "portal_code" },
    { "\"online\": {\"available\": true, \"url\": \"http://x\"}", "url" },
    { "\"authority\": [\"x\"]", "authority" },
    { "\"keywords\": \"x\"", "keywords" },
    { "\"keywords\": [\"\"]", "keywords" },
    { "\"documents\": [{\"code\": \"d\", \"title\": \"D\", \"original\": \"yes\"}]", "original" },
    { "\"documents\": [{\"code\": \"d\", \"title\": \"D\", \"copy\": true}]", "copy" },
  };

  fk_i18n_init ("en");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"schema\": 1, \"version\": \"1\", \"procedures\": [{\"code\": \"a\", \"title\": "
        "\"A\", \"fields\": [], %s}]}",
        cases[i].procedure_json);
      g_autoptr (GBytes) bytes = g_bytes_new (json, strlen (json));
      g_autoptr (GError) error = NULL;
      g_autoptr (FkCatalog) catalog = fk_catalog_new_from_bytes (bytes, &error);

      g_test_message ("%s", json);
      g_assert_null (catalog);
      g_assert_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, cases[i].expect));
    }
  /* A member the format does not have, at the top. */
  {
    const char *json = "{\"schema\": 1, \"version\": \"1\", \"verison\": \"2\", \"procedures\": "
                       "[{\"code\": \"a\", \"title\": \"A\", \"fields\": []}]}";
    g_autoptr (GBytes) bytes = g_bytes_new_static (json, strlen (json));
    g_autoptr (GError) error = NULL;
    g_autoptr (FkCatalog) catalog = fk_catalog_new_from_bytes (bytes, &error);

    g_assert_null (catalog);
    g_assert_nonnull (strstr (error->message, "verison"));
  }
  fk_i18n_init ("vi");
}

static void
test_versions (void)
{
  g_assert_true (fk_catalog_version_is_valid ("2026.11.1"));
  g_assert_true (fk_catalog_version_is_valid ("7"));
  g_assert_false (fk_catalog_version_is_valid (""));
  g_assert_false (fk_catalog_version_is_valid (NULL));
  g_assert_false (fk_catalog_version_is_valid ("2026.11."));
  g_assert_false (fk_catalog_version_is_valid ("2026..1"));
  g_assert_false (fk_catalog_version_is_valid ("v2"));
  g_assert_false (fk_catalog_version_is_valid ("2026-11-01"));
  g_assert_false (fk_catalog_version_is_valid ("1234567890.1"));
  g_assert_false (fk_catalog_version_is_valid ("1.2.3.4.5.6.7.8.9"));
  g_assert_cmpint (fk_catalog_version_compare ("2026.12.1", "2026.9.3"), >, 0);
  g_assert_cmpint (fk_catalog_version_compare ("2026.9.3", "2026.12.1"), <, 0);
  g_assert_cmpint (fk_catalog_version_compare ("2026.11", "2026.11.1"), <, 0);
  g_assert_cmpint (fk_catalog_version_compare ("2026.11.0", "2026.11"), >, 0);
  g_assert_cmpint (fk_catalog_version_compare ("2026.11.1", "2026.11.1"), ==, 0);
  g_assert_cmpint (fk_catalog_version_compare ("10", "9"), >, 0);
}

int
main (int argc, char **argv)
{
  fk_i18n_init ("vi");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/catalog/guide/shipped-complete", test_shipped_complete);
  g_test_add_func ("/catalog/guide/search", test_search);
  g_test_add_func ("/catalog/guide/bad-members", test_bad_guide_members);
  g_test_add_func ("/catalog/versions", test_versions);
  return g_test_run ();
}
