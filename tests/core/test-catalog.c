/* test-catalog.c: the procedure catalog and form validation
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
  g_assert_nonnull (catalog);
  return catalog;
}

static JsonObject *
object_from (const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static void
test_default_procedures (void)
{
  g_autoptr (FkCatalog) catalog = default_catalog ();
  g_autoptr (GPtrArray) procedures = fk_catalog_get_procedures (catalog);
  const char *required[] = {
    "birth-registration",
    "birth-re-registration",
    "marriage-registration",
    "death-registration",
    "marital-status-certificate",
    "certified-copies",
    "permanent-residence-registration",
    "temporary-residence-registration",
    "residence-confirmation",
    "civil-status-extract",
  };

  g_assert_nonnull (fk_catalog_get_version (catalog));
  g_assert_cmpstr (fk_catalog_get_version (catalog), !=, "");
  g_assert_cmpuint (procedures->len, >=, G_N_ELEMENTS (required));
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      FkProcedure *procedure = fk_catalog_lookup (catalog, required[i]);

      g_assert_nonnull (procedure);
      g_assert_cmpstr (fk_procedure_get_code (procedure), ==, required[i]);
      g_assert_cmpuint (fk_procedure_get_fields (procedure)->len, >, 0);
      g_assert_cmpuint (fk_procedure_get_documents (procedure)->len, >, 0);
      /* Every shipped procedure says when its result is due (receipts). */
      g_assert_cmpint (fk_procedure_get_time_limit_days (procedure), >=, 0);
      {
        g_autoptr (GPtrArray) submitters = fk_procedure_get_submitters (procedure);

        g_assert_cmpuint (submitters->len, >, 0);
      }
    }
  g_assert_null (fk_catalog_lookup (catalog, "no-such-procedure"));
  g_assert_null (fk_catalog_lookup (catalog, NULL));
}

static void
test_titles_follow_language (void)
{
  g_autoptr (FkCatalog) catalog = default_catalog ();
  FkProcedure *birth = fk_catalog_lookup (catalog, "birth-registration");
  const FkProcedureField *name = fk_procedure_find_field (birth, "child_name");

  g_setenv ("LANGUAGE", "vi", TRUE);
  g_assert_cmpstr (fk_procedure_get_title (birth), ==, "Đăng ký khai sinh");
  g_assert_cmpstr (fk_procedure_field_get_label (name), ==, "Họ, chữ đệm và tên của trẻ");
  g_setenv ("LANGUAGE", "en", TRUE);
  g_assert_cmpstr (fk_procedure_get_title (birth), ==, "Birth registration");
  g_assert_cmpstr (fk_procedure_field_get_label (name), ==, "Child's full name");
  g_setenv ("LANGUAGE", "vi", TRUE);
}

static void
assert_both_languages (JsonNode *text, const char *where)
{
  JsonObject *obj;

  g_test_message ("%s", where);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (text));
  obj = json_node_get_object (text);
  g_assert_cmpstr (json_object_get_string_member_with_default (obj, "vi", ""), !=, "");
  g_assert_cmpstr (json_object_get_string_member_with_default (obj, "en", ""), !=, "");
}

/* Every text the officer sees exists in Vietnamese and in English. */
static void
walk_texts (JsonNode *node, const char *where)
{
  static const char *const text_members[] = { "title", "label", "description", NULL };

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *at = g_strdup_printf ("%s[%u]", where, i);

          if (g_str_has_suffix (where, "submitters"))
            assert_both_languages (json_array_get_element (array, i), at);
          else
            walk_texts (json_array_get_element (array, i), at);
        }
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *obj = json_node_get_object (node);
      g_autoptr (GList) members = json_object_get_members (obj);

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *at = g_strdup_printf ("%s.%s", where, (const char *) l->data);
          JsonNode *member = json_object_get_member (obj, l->data);

          if (g_strv_contains (text_members, l->data) && !g_str_equal (where, "catalog"))
            assert_both_languages (member, at);
          else
            walk_texts (member, at);
        }
    }
}

static void
test_texts_in_both_languages (void)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;

  fk_core_ensure_resources ();
  bytes = g_resources_lookup_data ("/vn/fieldkit/core/data/catalog.json", 0, &error);
  g_assert_no_error (error);
  root = json_from_string (g_bytes_get_data (bytes, NULL), &error);
  g_assert_no_error (error);
  walk_texts (root, "catalog");
}

static void
test_validate_birth (void)
{
  g_autoptr (FkCatalog) catalog = default_catalog ();
  FkProcedure *birth = fk_catalog_lookup (catalog, "birth-registration");
  g_autoptr (JsonObject) good =
    object_from ("{\"child_name\": \"Lò Văn Minh\", \"child_birth_date\": \"2026-10-02\", "
                 "\"child_sex\": \"male\", \"child_birth_place\": \"Trạm y tế xã Mường Tè\", "
                 "\"child_ethnicity\": \"Thái\", \"child_nationality\": \"Việt Nam\", "
                 "\"mother_name\": \"Lò Thị Hoa\", \"mother_id\": \"012196001234\", "
                 "\"submitter_relation\": \"mother\"}");
  g_autoptr (GError) error = NULL;

  g_assert_true (fk_procedure_validate_fields (birth, good, &error));
  g_assert_no_error (error);

  /* Each broken rule is named with the field. */
  {
    struct
    {
      const char *member;
      const char *json_value; /* NULL: remove */
      const char *expect;
    } cases[] = {
      { "child_name", NULL, "child_name" },
      { "child_name", "\"\"", "child_name" },
      { "child_birth_date", "\"2026-02-29\"", "child_birth_date" },
      { "child_birth_date", "\"02/10/2026\"", "child_birth_date" },
      { "child_birth_date", "\"2999-01-01\"", "child_birth_date" },
      { "child_sex", "\"boy\"", "child_sex" },
      { "mother_id", "\"12345\"", "mother_id" },
      { "mother_id", "\"000196001234\"", "mother_id" },
      { "child_name", "42", "child_name" },
      { "nickname", "\"Bé\"", "nickname" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr (JsonObject) fields =
          object_from ("{\"child_name\": \"Lò Văn Minh\", \"child_birth_date\": \"2026-10-02\", "
                       "\"child_sex\": \"male\", \"child_birth_place\": \"Trạm y tế\", "
                       "\"child_ethnicity\": \"Thái\", \"child_nationality\": \"Việt Nam\", "
                       "\"mother_id\": \"012196001234\", \"submitter_relation\": \"mother\"}");
        g_autoptr (GError) case_error = NULL;

        if (cases[i].json_value == NULL)
          json_object_remove_member (fields, cases[i].member);
        else
          json_object_set_member (fields, cases[i].member,
                                  json_from_string (cases[i].json_value, NULL));
        g_assert_false (fk_procedure_validate_fields (birth, fields, &case_error));
        g_assert_error (case_error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA);
        g_test_message ("%s: %s", cases[i].member, case_error->message);
        g_assert_nonnull (strstr (case_error->message, cases[i].expect));
      }
  }
}

static void
test_validate_rules (void)
{
  g_autoptr (FkCatalog) catalog = default_catalog ();
  FkProcedure *copies = fk_catalog_lookup (catalog, "certified-copies");
  FkProcedure *temp = fk_catalog_lookup (catalog, "temporary-residence-registration");
  g_autoptr (JsonObject) ok =
    object_from ("{\"document_title\": \"Bằng tốt nghiệp THPT\", \"pages\": 1, \"copies\": 3}");
  g_autoptr (JsonObject) too_many =
    object_from ("{\"document_title\": \"Bằng\", \"pages\": 1, \"copies\": 51}");
  g_autoptr (JsonObject) text_number =
    object_from ("{\"document_title\": \"Bằng\", \"pages\": \"1\", \"copies\": 1}");
  g_autoptr (JsonObject) bad_commune = object_from (
    "{\"address\": \"Số 3\", \"hamlet\": \"Bản Nậm Củm\", \"commune_code\": \"123\", "
    "\"from_date\": \"2026-11-01\", \"months\": 6, \"reason\": \"work\", \"basis\": \"rented\"}");
  g_autoptr (GError) error = NULL;
  g_autofree char *long_title = NULL;

  g_assert_true (fk_procedure_validate_fields (copies, ok, &error));
  g_assert_no_error (error);

  g_assert_false (fk_procedure_validate_fields (copies, too_many, &error));
  g_assert_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "copies"));
  g_assert_nonnull (strstr (error->message, "50"));
  g_clear_error (&error);

  g_assert_false (fk_procedure_validate_fields (copies, text_number, &error));
  g_assert_nonnull (strstr (error->message, "pages"));
  g_clear_error (&error);

  long_title = g_strnfill (201, 'a');
  json_object_set_string_member (ok, "document_title", long_title);
  g_assert_false (fk_procedure_validate_fields (copies, ok, &error));
  g_assert_nonnull (strstr (error->message, "document_title"));
  g_clear_error (&error);

  g_assert_false (fk_procedure_validate_fields (temp, bad_commune, &error));
  g_assert_nonnull (strstr (error->message, "commune_code"));
  g_clear_error (&error);
  /* Five digits, but no such commune */
  json_object_set_string_member (bad_commune, "commune_code", "99999");
  g_assert_false (fk_procedure_validate_fields (temp, bad_commune, &error));
  g_assert_nonnull (strstr (error->message, "commune_code"));
  g_clear_error (&error);
  json_object_set_string_member (bad_commune, "commune_code", "00004");
  g_assert_true (fk_procedure_validate_fields (temp, bad_commune, &error));
  g_assert_no_error (error);
}

static void
test_message_translated (void)
{
  g_autoptr (FkCatalog) catalog = default_catalog ();
  FkProcedure *death = fk_catalog_lookup (catalog, "death-registration");
  g_autoptr (JsonObject) empty = json_object_new ();
  g_autoptr (GError) error = NULL;

  fk_i18n_init ("vi");
  g_assert_false (fk_procedure_validate_fields (death, empty, &error));
  g_assert_cmpstr (error->message, ==,
                   "Thiếu trường bắt buộc “Họ và tên người chết” (deceased_name).");
  g_clear_error (&error);
  fk_i18n_init ("en");
  g_assert_false (fk_procedure_validate_fields (death, empty, &error));
  g_assert_cmpstr (error->message, ==,
                   "Missing required field “Full name of the deceased” (deceased_name).");
  fk_i18n_init ("vi");
}

static void
test_bad_catalogs (void)
{
  struct
  {
    const char *json;
    int code;
    const char *expect;
  } cases[] = {
    { "not json", FK_CORE_ERROR_INVALID_DATA, "JSON" },
    { "[]", FK_CORE_ERROR_INVALID_DATA, "object" },
    { "{\"schema\": 2, \"version\": \"x\", \"procedures\": []}", FK_CORE_ERROR_UNSUPPORTED_VERSION,
      "2" },
    { "{\"schema\": 1, \"procedures\": []}", FK_CORE_ERROR_INVALID_DATA, "version" },
    { "{\"schema\": 1, \"version\": \"1\", \"procedures\": []}", FK_CORE_ERROR_INVALID_DATA,
      "procedures" },
    { "{\"schema\": 1, \"version\": \"1\", \"procedures\": [{\"code\": \"Bad Code\"}]}",
      FK_CORE_ERROR_INVALID_DATA, "procedures[0]" },
    { "{\"schema\": 1, \"version\": \"1\", \"procedures\": [{\"code\": \"a\", \"title\": \"A\", "
      "\"fields\": [{\"name\": \"x\", \"type\": \"colour\", \"label\": \"X\"}]}]}",
      FK_CORE_ERROR_INVALID_DATA, "colour" },
    { "{\"schema\": 1, \"version\": \"1\", \"procedures\": [{\"code\": \"a\", \"title\": \"A\", "
      "\"fields\": [{\"name\": \"x\", \"type\": \"text\", \"label\": \"X\", \"pattern\": "
      "\"[\"}]}]}",
      FK_CORE_ERROR_INVALID_DATA, "pattern" },
    { "{\"schema\": 1, \"version\": \"1\", \"procedures\": [{\"code\": \"a\", \"title\": \"A\", "
      "\"fields\": [{\"name\": \"x\", \"type\": \"choice\", \"label\": \"X\"}]}]}",
      FK_CORE_ERROR_INVALID_DATA, "x" },
    { "{\"schema\": 1, \"version\": \"1\", \"procedures\": [{\"code\": \"a\", \"title\": \"A\", "
      "\"fields\": []}, {\"code\": \"a\", \"title\": \"B\", \"fields\": []}]}",
      FK_CORE_ERROR_INVALID_DATA, "a" },
    { "{\"schema\": 1, \"version\": \"1\", \"procedures\": [{\"code\": \"a\", \"title\": \"A\", "
      "\"time_limit_days\": -1, \"fields\": []}]}",
      FK_CORE_ERROR_INVALID_DATA, "time_limit_days" },
    { "{\"schema\": 1, \"version\": \"1\", \"procedures\": [{\"code\": \"a\", \"title\": \"A\", "
      "\"time_limit_days\": \"3\", \"fields\": []}]}",
      FK_CORE_ERROR_INVALID_DATA, "time_limit_days" },
    { "{\"schema\": 1, \"version\": \"1\", \"procedures\": [{\"code\": \"a\", \"title\": \"A\", "
      "\"time_limit_days\": 2.5, \"fields\": []}]}",
      FK_CORE_ERROR_INVALID_DATA, "time_limit_days" },
    /* a chip member that does not exist, or does not fit the field */
    { "{\"schema\": 1, \"version\": \"1\", \"procedures\": [{\"code\": \"a\", \"title\": \"A\", "
      "\"fields\": [{\"name\": \"x\", \"type\": \"text\", \"label\": \"X\", \"from_card\": "
      "\"blood_group\"}]}]}",
      FK_CORE_ERROR_INVALID_DATA, "from_card" },
    { "{\"schema\": 1, \"version\": \"1\", \"procedures\": [{\"code\": \"a\", \"title\": \"A\", "
      "\"fields\": [{\"name\": \"x\", \"type\": \"text\", \"label\": \"X\", \"from_card\": "
      "7}]}]}",
      FK_CORE_ERROR_INVALID_DATA, "from_card" },
    { "{\"schema\": 1, \"version\": \"1\", \"procedures\": [{\"code\": \"a\", \"title\": \"A\", "
      "\"fields\": [{\"name\": \"x\", \"type\": \"integer\", \"label\": \"X\", \"from_card\": "
      "\"birth_date\"}]}]}",
      FK_CORE_ERROR_INVALID_DATA, "birth_date" },
    { "{\"schema\": 1, \"version\": \"1\", \"procedures\": [{\"code\": \"a\", \"title\": \"A\", "
      "\"fields\": [{\"name\": \"x\", \"type\": \"choice\", \"label\": \"X\", \"from_card\": "
      "\"sex\", \"choices\": [{\"value\": \"boy\", \"label\": \"B\"}]}]}]}",
      FK_CORE_ERROR_INVALID_DATA, "sex" },
  };

  fk_i18n_init ("en");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) bytes = g_bytes_new_static (cases[i].json, strlen (cases[i].json));
      g_autoptr (GError) error = NULL;
      g_autoptr (FkCatalog) catalog = fk_catalog_new_from_bytes (bytes, &error);

      g_assert_null (catalog);
      g_assert_error (error, FK_CORE_ERROR, cases[i].code);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].expect));
    }
  fk_i18n_init ("vi");
}

/* The fields a chip fills: members that exist and fit the field, and a
 * procedure whose form asks for the ethnicity and the parents. */
static void
test_from_card (void)
{
  g_autoptr (FkCatalog) catalog = default_catalog ();
  g_autoptr (GPtrArray) procedures = fk_catalog_get_procedures (catalog);
  FkProcedure *again = fk_catalog_lookup (catalog, "birth-re-registration");
  FkProcedure *birth = fk_catalog_lookup (catalog, "birth-registration");
  const char *sensitive = NULL;

  g_assert_nonnull (again);
  g_assert_cmpstr (fk_procedure_field_get_from_card (fk_procedure_find_field (again, "ethnicity")),
                   ==, "ethnicity");
  g_assert_cmpstr (
    fk_procedure_field_get_from_card (fk_procedure_find_field (again, "father_name")), ==,
    "father_name");
  g_assert_cmpstr (fk_procedure_field_get_from_card (fk_procedure_find_field (again, "sex")), ==,
                   "sex");
  g_assert_null (fk_procedure_field_get_from_card (fk_procedure_find_field (again, "birth_place")));
  /* the child's ethnicity is not the applicant's: no chip value there */
  g_assert_null (
    fk_procedure_field_get_from_card (fk_procedure_find_field (birth, "child_ethnicity")));
  for (guint i = 0; i < procedures->len; i++)
    {
      GPtrArray *fields = fk_procedure_get_fields (g_ptr_array_index (procedures, i));

      for (guint j = 0; j < fields->len; j++)
        {
          const char *member = fk_procedure_field_get_from_card (g_ptr_array_index (fields, j));

          if (member != NULL)
            g_assert_cmpint (fk_chip_member_get_kind (member), !=, FK_CHIP_MEMBER_UNKNOWN);
          if (member != NULL && fk_chip_member_is_sensitive (member))
            sensitive = member;
        }
    }
  g_assert_cmpstr (sensitive, ==, "ethnicity");
}

static void
test_minimal_catalog (void)
{
  const char *json = "{\"schema\": 1, \"version\": \"7\", \"procedures\": [{\"code\": \"a\", "
                     "\"title\": \"Thủ tục A\", \"fields\": [{\"name\": \"n\", \"type\": "
                     "\"digits\", \"label\": \"N\", \"required\": true, \"pattern\": "
                     "\"[0-9]{3}\"}]}]}";
  g_autoptr (GBytes) bytes = g_bytes_new_static (json, strlen (json));
  g_autoptr (GError) error = NULL;
  g_autoptr (FkCatalog) catalog = fk_catalog_new_from_bytes (bytes, &error);
  g_autoptr (JsonObject) fields = object_from ("{\"n\": \"123\"}");
  FkProcedure *a;

  g_assert_no_error (error);
  g_assert_cmpstr (fk_catalog_get_version (catalog), ==, "7");
  a = fk_catalog_lookup (catalog, "a");
  g_assert_cmpstr (fk_procedure_get_title (a), ==, "Thủ tục A");
  /* No time limit given: a receipt says the centre will tell. */
  g_assert_cmpint (fk_procedure_get_time_limit_days (a), ==, -1);
  g_assert_true (fk_procedure_validate_fields (a, fields, &error));
  json_object_set_string_member (fields, "n", "1234");
  g_assert_false (fk_procedure_validate_fields (a, fields, &error));
  g_assert_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA);
  g_clear_error (&error);
  json_object_set_string_member (fields, "n", "12a");
  g_assert_false (fk_procedure_validate_fields (a, fields, &error));
  g_assert_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA);
  g_assert_finalize_object (g_steal_pointer (&catalog));
}

int
main (int argc, char **argv)
{
  fk_i18n_init ("vi");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/catalog/default-procedures", test_default_procedures);
  g_test_add_func ("/catalog/titles-follow-language", test_titles_follow_language);
  g_test_add_func ("/catalog/texts-in-both-languages", test_texts_in_both_languages);
  g_test_add_func ("/catalog/validate-birth", test_validate_birth);
  g_test_add_func ("/catalog/validate-rules", test_validate_rules);
  g_test_add_func ("/catalog/message-translated", test_message_translated);
  g_test_add_func ("/catalog/bad-catalogs", test_bad_catalogs);
  g_test_add_func ("/catalog/minimal", test_minimal_catalog);
  g_test_add_func ("/catalog/from-card", test_from_card);
  return g_test_run ();
}
