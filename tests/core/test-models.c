/* test-models.c: citizen, dossier and visit through JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-core.h"

#define CARD_7                                                                                            \
  "001089012345|123456789|Nguyễn Văn An|15081989|Nam|Số 5, ngõ 10, phố Huế, Phường Hai Bà " \
  "Trưng, Hà Nội|20042021"

static JsonNode *
parse (const char *json)
{
  g_autoptr (GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static char *
to_string (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

static void
test_citizen_from_card (void)
{
  g_autoptr (FkCccdCard) card = fk_cccd_parse ((const guint8 *) CARD_7, strlen (CARD_7));
  g_autoptr (FkCitizen) citizen = fk_citizen_new_from_cccd (card);
  g_autoptr (GError) error = NULL;

  g_assert_cmpstr (fk_citizen_get_id_number (citizen), ==, "001089012345");
  g_assert_cmpstr (fk_citizen_get_old_id (citizen), ==, "123456789");
  g_assert_cmpstr (fk_citizen_get_full_name (citizen), ==, "Nguyễn Văn An");
  g_assert_cmpstr (fk_citizen_get_birth_date (citizen), ==, "1989-08-15");
  g_assert_cmpint (fk_citizen_get_sex (citizen), ==, FK_SEX_MALE);
  g_assert_cmpstr (fk_citizen_get_issue_date (citizen), ==, "2021-04-20");
  g_assert_null (fk_citizen_get_phone (citizen));
  g_assert_true (fk_citizen_validate (citizen, &error));
  g_assert_no_error (error);
}

static void
test_citizen_round_trip (void)
{
  g_autoptr (FkCitizen) citizen = fk_citizen_new ();
  g_autoptr (FkCitizen) back = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonNode) again = NULL;
  g_autoptr (GError) error = NULL;
  /* "Lò Thị Hoà" typed decomposed, with stray spaces */
  const char *nfd_name = "  Lo\xcc\x80  Thi\xcc\xa3 Hoa\xcc\x80 ";

  fk_citizen_set_full_name (citizen, nfd_name);
  fk_citizen_set_id_number (citizen, "012196001234");
  fk_citizen_set_birth_date (citizen, "1996-03-08");
  fk_citizen_set_sex (citizen, FK_SEX_FEMALE);
  fk_citizen_set_phone (citizen, "0912345678");
  fk_citizen_set_ethnicity (citizen, "Thái");
  fk_citizen_set_address (citizen, "Bản Nậm Củm, xã Mường Tè, Lai Châu");
  /* Phường Ba Đình: the 2025 commune the officer confirmed. */
  fk_citizen_set_commune (citizen, "00004");
  g_assert_cmpstr (fk_citizen_get_full_name (citizen), ==, "Lò Thị Hoà");

  node = fk_citizen_to_json (citizen);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "schema"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "sex"), ==,
                   "female");
  back = fk_citizen_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fk_citizen_get_full_name (back), ==, "Lò Thị Hoà");
  g_assert_cmpstr (fk_citizen_get_phone (back), ==, "0912345678");
  g_assert_cmpint (fk_citizen_get_sex (back), ==, FK_SEX_FEMALE);
  g_assert_cmpstr (fk_citizen_get_commune (back), ==, "00004");
  again = fk_citizen_to_json (back);
  g_assert_true (json_node_equal (node, again));
}

/* The member that is wrong, as a code, and the rule without the JSON path:
 * what a form needs to put the message by the right row. */
static void
test_citizen_check_member (void)
{
  g_autoptr (FkCitizen) citizen = fk_citizen_new ();
  g_autoptr (GError) error = NULL;
  FkCitizenMember member = FK_CITIZEN_MEMBER_PHONE;

  g_assert_false (fk_citizen_check (citizen, &member, &error));
  g_assert_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA);
  g_assert_cmpint (member, ==, FK_CITIZEN_MEMBER_FULL_NAME);
  g_assert_null (strstr (error->message, "full_name"));
  g_clear_error (&error);

  fk_citizen_set_full_name (citizen, "Lò Văn Pá");
  fk_citizen_set_id_number (citizen, "0011958662");
  g_assert_false (fk_citizen_check (citizen, &member, &error));
  g_assert_cmpint (member, ==, FK_CITIZEN_MEMBER_ID_NUMBER);
  g_assert_nonnull (strstr (error->message, "12"));
  g_assert_null (strstr (error->message, "citizen"));
  g_clear_error (&error);

  /* fk_citizen_validate() names the same rule, with the path. */
  g_assert_false (fk_citizen_validate (citizen, &error));
  g_assert_true (g_str_has_prefix (error->message, "citizen.id_number: "));
  g_clear_error (&error);

  fk_citizen_set_id_number (citizen, "001089012345");
  fk_citizen_set_phone (citizen, "09123");
  g_assert_false (fk_citizen_check (citizen, &member, &error));
  g_assert_cmpint (member, ==, FK_CITIZEN_MEMBER_PHONE);
  g_clear_error (&error);

  fk_citizen_set_phone (citizen, NULL);
  g_assert_true (fk_citizen_check (citizen, &member, &error));
  g_assert_no_error (error);
  g_assert_cmpint (member, ==, FK_CITIZEN_MEMBER_NONE);
}

static void
test_citizen_bad_json (void)
{
  struct
  {
    const char *json;
    int code;
    const char *expect;
  } cases[] = {
    { "[]", FK_CORE_ERROR_INVALID_DATA, "citizen" },
    { "{}", FK_CORE_ERROR_INVALID_DATA, "citizen.full_name" },
    { "{\"full_name\": \"   \"}", FK_CORE_ERROR_INVALID_DATA, "citizen.full_name" },
    { "{\"full_name\": 5}", FK_CORE_ERROR_INVALID_DATA, "citizen.full_name" },
    { "{\"schema\": 2, \"full_name\": \"A\"}", FK_CORE_ERROR_UNSUPPORTED_VERSION, "2" },
    { "{\"schema\": \"1\", \"full_name\": \"A\"}", FK_CORE_ERROR_INVALID_DATA, "schema" },
    { "{\"full_name\": \"A\", \"id_number\": \"00108901234\"}", FK_CORE_ERROR_INVALID_DATA,
      "citizen.id_number" },
    { "{\"full_name\": \"A\", \"id_number\": \"099089012345\"}", FK_CORE_ERROR_INVALID_DATA,
      "citizen.id_number" },
    { "{\"full_name\": \"A\", \"old_id\": \"12345678\"}", FK_CORE_ERROR_INVALID_DATA,
      "citizen.old_id" },
    { "{\"full_name\": \"A\", \"birth_date\": \"2023-02-29\"}", FK_CORE_ERROR_INVALID_DATA,
      "citizen.birth_date" },
    { "{\"full_name\": \"A\", \"birth_date\": \"15/08/1989\"}", FK_CORE_ERROR_INVALID_DATA,
      "citizen.birth_date" },
    { "{\"full_name\": \"A\", \"birth_date\": \"2000-01-01\", \"issue_date\": \"1999-01-01\"}",
      FK_CORE_ERROR_INVALID_DATA, "citizen.issue_date" },
    { "{\"full_name\": \"A\", \"sex\": \"Nam\"}", FK_CORE_ERROR_INVALID_DATA, "citizen.sex" },
    { "{\"full_name\": \"A\", \"phone\": \"12345\"}", FK_CORE_ERROR_INVALID_DATA, "citizen.phone" },
    { "{\"full_name\": \"A\", \"phone_number\": \"0912345678\"}", FK_CORE_ERROR_INVALID_DATA,
      "phone_number" },
    /* A commune that does not exist since 2025, and a province's code. */
    { "{\"full_name\": \"A\", \"commune\": \"99999\"}", FK_CORE_ERROR_INVALID_DATA,
      "citizen.commune" },
    { "{\"full_name\": \"A\", \"commune\": \"01\"}", FK_CORE_ERROR_INVALID_DATA,
      "citizen.commune" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonNode) node = parse (cases[i].json);
      g_autoptr (GError) error = NULL;
      g_autoptr (FkCitizen) citizen = fk_citizen_new_from_json (node, &error);

      g_assert_null (citizen);
      g_assert_error (error, FK_CORE_ERROR, cases[i].code);
      g_test_message ("%s → %s", cases[i].json, error->message);
      g_assert_nonnull (strstr (error->message, cases[i].expect));
    }
}

static void
test_dossier_round_trip (void)
{
  g_autoptr (FkCccdCard) card = fk_cccd_parse ((const guint8 *) CARD_7, strlen (CARD_7));
  g_autoptr (FkCitizen) citizen = fk_citizen_new_from_cccd (card);
  g_autoptr (FkDossier) dossier = fk_dossier_new ("certified-copies", citizen);
  g_autoptr (FkDossier) back = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonNode) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *visit_id = g_uuid_string_random ();
  g_autofree char *text = NULL;
  JsonObject *fields = fk_dossier_get_fields (dossier);

  g_assert_true (g_uuid_string_is_valid (fk_dossier_get_id (dossier)));
  json_object_set_string_member (fields, "document_title", "Giấy khai sinh");
  json_object_set_int_member (fields, "pages", 1);
  json_object_set_int_member (fields, "copies", 2);
  fk_dossier_add_attachment (dossier,
                             fk_attachment_new (FK_ATTACHMENT_DOCUMENT, "page-1.jpg", 123456,
                                                "9f86d081884c7d659a2feaa0c55ad015"
                                                "a3bf4f1b2b0b822cd15d6c15b0f00a08"));
  /* Which paper the photo shows, for the receipt. */
  ((FkAttachment *) g_ptr_array_index (fk_dossier_get_attachments (dossier), 0))->document =
    g_strdup ("original-document");
  fk_dossier_add_attachment (
    dossier, fk_attachment_new (FK_ATTACHMENT_FINGERPRINT_TEMPLATE, "right-index.fpt", 2048, NULL));
  fk_dossier_add_consent (dossier, fk_consent_new ("biometrics", TRUE, "2026-01"));
  fk_dossier_add_consent (dossier, fk_consent_new ("id-card-image", FALSE, "2026-01"));
  fk_dossier_add_consent (dossier, fk_consent_new ("id-card-image", TRUE, "2026-01"));
  ((FkConsent *) g_ptr_array_index (fk_dossier_get_consents (dossier), 0))->read_aloud =
    g_strdup (FK_CONSENT_READ_BY_DEVICE);
  fk_dossier_set_visit_id (dossier, visit_id);
  g_assert_cmpuint (fk_dossier_get_consents (dossier)->len, ==, 2);
  g_assert_true (fk_dossier_find_consent (dossier, "id-card-image")->granted);

  node = fk_dossier_to_json (dossier);
  text = to_string (node);
  g_test_message ("%s", text);
  back = fk_dossier_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fk_dossier_get_id (back), ==, fk_dossier_get_id (dossier));
  g_assert_cmpstr (fk_dossier_get_procedure (back), ==, "certified-copies");
  g_assert_cmpstr (fk_dossier_get_visit_id (back), ==, visit_id);
  g_assert_true (
    g_date_time_equal (fk_dossier_get_created (back), fk_dossier_get_created (dossier)));
  g_assert_cmpstr (fk_citizen_get_full_name (fk_dossier_get_citizen (back)), ==, "Nguyễn Văn An");
  g_assert_cmpint (json_object_get_int_member (fk_dossier_get_fields (back), "copies"), ==, 2);
  g_assert_cmpuint (fk_dossier_get_attachments (back)->len, ==, 2);
  {
    FkAttachment *a = g_ptr_array_index (fk_dossier_get_attachments (back), 1);

    g_assert_cmpint (a->kind, ==, FK_ATTACHMENT_FINGERPRINT_TEMPLATE);
    g_assert_cmpint (a->size, ==, 2048);
    g_assert_null (a->sha256);
    g_assert_null (a->document);
    a = g_ptr_array_index (fk_dossier_get_attachments (back), 0);
    g_assert_cmpstr (a->document, ==, "original-document");
    g_assert_cmpstr (fk_dossier_find_consent (back, "biometrics")->read_aloud, ==, "device");
    g_assert_null (fk_dossier_find_consent (back, "id-card-image")->read_aloud);
  }
  again = fk_dossier_to_json (back);
  g_assert_true (json_node_equal (node, again));

  /* The copy is independent: editing it does not change the original. */
  json_object_set_int_member (fk_dossier_get_fields (back), "copies", 9);
  g_assert_cmpint (json_object_get_int_member (fields, "copies"), ==, 2);

  /* And it still validates against the catalog. */
  {
    g_autoptr (FkCatalog) catalog = fk_catalog_new_default (&error);

    g_assert_true (fk_dossier_validate (dossier, catalog, &error));
    g_assert_no_error (error);
    /* The edited copy does not: 9 copies is fine, an unknown field is not. */
    json_object_set_string_member (fk_dossier_get_fields (back), "colour", "red");
    g_assert_false (fk_dossier_validate (back, catalog, &error));
    g_assert_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA);
    g_assert_nonnull (strstr (error->message, "colour"));
    g_clear_error (&error);
    fk_dossier_set_procedure (back, "no-such-procedure");
    g_assert_false (fk_dossier_validate (back, catalog, &error));
    g_assert_error (error, FK_CORE_ERROR, FK_CORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  g_assert_finalize_object (g_steal_pointer (&back));
}

static void
test_dossier_intake_shape (void)
{
  /* What `fieldkit-ctl intake add --json FILE` reads. */
  g_autoptr (JsonNode) node = parse (
    "{\"procedure\": \"birth-registration\", \"citizen\": {\"full_name\": \"Lò Thị Hoa\", "
    "\"id_number\": \"012196001234\", \"birth_date\": \"1996-03-08\", \"sex\": \"female\"}, "
    "\"fields\": {\"child_name\": \"Lò Văn Minh\"}, \"attachments\": [{\"kind\": \"document\", "
    "\"path\": \"/tmp/scan/giay-chung-sinh.jpg\"}]}");
  g_autoptr (GError) error = NULL;
  g_autoptr (FkDossier) dossier = fk_dossier_new_from_json (node, &error);
  FkAttachment *a;

  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (fk_dossier_get_id (dossier)));
  g_assert_nonnull (fk_dossier_get_created (dossier));
  g_assert_cmpuint (fk_dossier_get_attachments (dossier)->len, ==, 1);
  a = g_ptr_array_index (fk_dossier_get_attachments (dossier), 0);
  g_assert_cmpstr (a->name, ==, "giay-chung-sinh.jpg");
  g_assert_cmpstr (a->path, ==, "/tmp/scan/giay-chung-sinh.jpg");
  g_assert_cmpint (a->size, ==, -1);
  g_assert_cmpuint (fk_dossier_get_consents (dossier)->len, ==, 0);
}

static void
test_dossier_bad_json (void)
{
#define CIT "\"citizen\": {\"full_name\": \"A\"}"
  struct
  {
    const char *json;
    int code;
    const char *expect;
  } cases[] = {
    { "\"dossier\"", FK_CORE_ERROR_INVALID_DATA, "dossier" },
    { "{" CIT "}", FK_CORE_ERROR_INVALID_DATA, "procedure" },
    { "{\"procedure\": \"Birth Registration\", " CIT "}", FK_CORE_ERROR_INVALID_DATA, "procedure" },
    { "{\"procedure\": \"a\"}", FK_CORE_ERROR_INVALID_DATA, "citizen" },
    { "{\"procedure\": \"a\", \"citizen\": {\"full_name\": \"A\", \"phone\": \"1\"}}",
      FK_CORE_ERROR_INVALID_DATA, "citizen.phone" },
    { "{\"schema\": 99, \"procedure\": \"a\", " CIT "}", FK_CORE_ERROR_UNSUPPORTED_VERSION, "99" },
    { "{\"id\": \"not-a-uuid\", \"procedure\": \"a\", " CIT "}", FK_CORE_ERROR_INVALID_DATA, "id" },
    { "{\"procedure\": \"a\", \"created\": \"2026-11-24 08:30\", " CIT "}",
      FK_CORE_ERROR_INVALID_DATA, "created" },
    { "{\"procedure\": \"a\", \"created\": \"2026-11-24T08:30:00\", " CIT "}",
      FK_CORE_ERROR_INVALID_DATA, "created" },
    { "{\"procedure\": \"a\", \"fields\": [], " CIT "}", FK_CORE_ERROR_INVALID_DATA, "fields" },
    { "{\"procedure\": \"a\", \"attachments\": {}, " CIT "}", FK_CORE_ERROR_INVALID_DATA,
      "attachments" },
    { "{\"procedure\": \"a\", \"attachments\": [{\"kind\": \"photo\", \"name\": \"x.jpg\"}], " CIT
      "}",
      FK_CORE_ERROR_INVALID_DATA, "attachments[0].kind" },
    { "{\"procedure\": \"a\", \"attachments\": [{\"kind\": \"document\"}], " CIT "}",
      FK_CORE_ERROR_INVALID_DATA, "attachments[0]" },
    { "{\"procedure\": \"a\", \"attachments\": [{\"kind\": \"document\", \"name\": \"../x\"}], " CIT
      "}",
      FK_CORE_ERROR_INVALID_DATA, "attachments[0].name" },
    { "{\"procedure\": \"a\", \"attachments\": [{\"kind\": \"receipt\", \"name\": \"r.pdf\", "
      "\"sha256\": \"abc\"}], " CIT "}",
      FK_CORE_ERROR_INVALID_DATA, "attachments[0].sha256" },
    { "{\"procedure\": \"a\", \"attachments\": [{\"kind\": \"receipt\", \"name\": \"r.pdf\", "
      "\"size\": -1}], " CIT "}",
      FK_CORE_ERROR_INVALID_DATA, "attachments[0].size" },
    { "{\"procedure\": \"a\", \"consents\": [{\"purpose\": \"biometrics\"}], " CIT "}",
      FK_CORE_ERROR_INVALID_DATA, "consents[0].granted" },
    { "{\"procedure\": \"a\", \"consents\": [{\"purpose\": \"biometrics\", \"granted\": true, "
      "\"text_version\": \"1\", \"read_aloud\": \"radio\"}], " CIT "}",
      FK_CORE_ERROR_INVALID_DATA, "consents[0].read_aloud" },
    { "{\"procedure\": \"a\", \"attachments\": [{\"kind\": \"fingerprint\", \"name\": \"f.png\", "
      "\"document\": \"birth-certificate\"}], " CIT "}",
      FK_CORE_ERROR_INVALID_DATA, "attachments[0].document" },
    { "{\"procedure\": \"a\", \"attachments\": [{\"kind\": \"document\", \"name\": \"d.jpg\", "
      "\"document\": \"Not A Code\"}], " CIT "}",
      FK_CORE_ERROR_INVALID_DATA, "attachments[0].document" },
    { "{\"procedure\": \"a\", \"consents\": [{\"purpose\": \"biometrics\", \"granted\": true, "
      "\"text_version\": \"1\"}, {\"purpose\": \"biometrics\", \"granted\": false, "
      "\"text_version\": \"1\"}], " CIT "}",
      FK_CORE_ERROR_INVALID_DATA, "consents[1].purpose" },
    { "{\"procedure\": \"a\", \"colour\": \"red\", " CIT "}", FK_CORE_ERROR_INVALID_DATA,
      "colour" },
  };
#undef CIT

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonNode) node = parse (cases[i].json);
      g_autoptr (GError) error = NULL;
      g_autoptr (FkDossier) dossier = fk_dossier_new_from_json (node, &error);

      g_assert_null (dossier);
      g_assert_error (error, FK_CORE_ERROR, cases[i].code);
      g_test_message ("%s → %s", cases[i].json, error->message);
      g_assert_nonnull (strstr (error->message, cases[i].expect));
    }

  {
    g_autoptr (GError) error = NULL;

    g_autoptr (GString) deep = g_string_new ("{\"procedure\": \"a\", \"fields\": {\"x\": ");

    g_assert_null (fk_dossier_new_from_data ("{\"procedure\": ", -1, &error));
    g_assert_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA);
    g_clear_error (&error);

    /* Nesting is refused before it reaches the recursive parser. */
    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, '[');
    g_assert_null (fk_dossier_new_from_data (deep->str, (gssize) deep->len, &error));
    g_assert_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA);
    g_assert_nonnull (strstr (error->message, "64"));
  }
}

/* A dossier still being filled in: no procedure or citizen yet, values as
 * typed; it reads back as it was written and does not validate. */
static void
test_dossier_incomplete (void)
{
  g_autoptr (FkDossier) dossier = fk_dossier_new (NULL, NULL);
  g_autoptr (FkCitizen) typing = fk_citizen_new ();
  g_autoptr (FkCatalog) catalog = NULL;
  g_autoptr (FkDossier) back = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonNode) again = NULL;
  g_autoptr (GError) error = NULL;

  catalog = fk_catalog_new_default (&error);
  g_assert_no_error (error);
  g_assert_false (fk_dossier_validate (dossier, catalog, &error));
  g_assert_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "procedure"));
  g_clear_error (&error);

  fk_citizen_set_full_name (typing, "Lò Thị Mai");
  fk_citizen_set_birth_date (typing, "14/03");
  fk_citizen_set_phone (typing, "09");
  fk_dossier_set_citizen (dossier, typing);
  fk_dossier_set_visit_id (dossier, "not-yet");
  node = fk_dossier_to_json (dossier);
  /* Strict reading refuses what is still being typed… */
  g_assert_null (fk_dossier_new_from_json (node, &error));
  g_assert_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA);
  g_clear_error (&error);
  /* …the reading of a draft keeps it as it was. */
  back = fk_dossier_new_incomplete_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fk_dossier_get_id (back), ==, fk_dossier_get_id (dossier));
  g_assert_null (fk_dossier_get_procedure (back));
  g_assert_cmpstr (fk_dossier_get_visit_id (back), ==, "not-yet");
  g_assert_cmpstr (fk_citizen_get_birth_date (fk_dossier_get_citizen (back)), ==, "14/03");
  again = fk_dossier_to_json (back);
  g_assert_true (json_node_equal (node, again));
  g_assert_false (fk_dossier_validate (back, catalog, &error));
  g_assert_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA);
  g_clear_error (&error);

  /* The structure is still checked. */
  g_clear_pointer (&node, json_node_unref);
  node = json_from_string ("{\"id\": \"nope\"}", NULL);
  g_assert_null (fk_dossier_new_incomplete_from_json (node, &error));
  g_assert_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA);
}

static void
test_visit_round_trip (void)
{
  g_autoptr (FkVisit) visit = fk_visit_new ("2026-11-24", "00004", " Bản  Nậm Củm ");
  g_autoptr (FkVisit) back = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonNode) again = NULL;
  g_autoptr (GError) error = NULL;

  fk_visit_add_team_member (visit, "Trần Thị Mai");
  fk_visit_add_team_member (visit, "Vàng A Sử");
  g_assert_cmpstr (fk_visit_get_hamlet (visit), ==, "Bản Nậm Củm");
  node = fk_visit_to_json (visit);
  back = fk_visit_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fk_visit_get_id (back), ==, fk_visit_get_id (visit));
  g_assert_cmpstr (fk_visit_get_date (back), ==, "2026-11-24");
  g_assert_cmpuint (g_strv_length ((char **) fk_visit_get_team (back)), ==, 2);
  g_assert_cmpstr (fk_visit_get_team (back)[1], ==, "Vàng A Sử");
  again = fk_visit_to_json (back);
  g_assert_true (json_node_equal (node, again));
}

static void
test_visit_bad_json (void)
{
  struct
  {
    const char *json;
    int code;
    const char *expect;
  } cases[] = {
    { "{\"date\": \"2026-11-31\", \"commune_code\": \"00004\", \"hamlet\": \"Bản A\"}",
      FK_CORE_ERROR_INVALID_DATA, "visit.date" },
    { "{\"date\": \"2026-11-24\", \"commune_code\": \"99999\", \"hamlet\": \"Bản A\"}",
      FK_CORE_ERROR_INVALID_DATA, "visit.commune_code" },
    { "{\"date\": \"2026-11-24\", \"commune_code\": \"01\", \"hamlet\": \"Bản A\"}",
      FK_CORE_ERROR_INVALID_DATA, "visit.commune_code" },
    { "{\"date\": \"2026-11-24\", \"commune_code\": \"00004\"}", FK_CORE_ERROR_INVALID_DATA,
      "visit.hamlet" },
    { "{\"date\": \"2026-11-24\", \"commune_code\": \"00004\", \"hamlet\": \"A\", \"team\": [1]}",
      FK_CORE_ERROR_INVALID_DATA, "visit.team[0]" },
    { "{\"schema\": 3, \"date\": \"2026-11-24\"}", FK_CORE_ERROR_UNSUPPORTED_VERSION, "3" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonNode) node = parse (cases[i].json);
      g_autoptr (GError) error = NULL;
      g_autoptr (FkVisit) visit = fk_visit_new_from_json (node, &error);

      g_assert_null (visit);
      g_assert_error (error, FK_CORE_ERROR, cases[i].code);
      g_test_message ("%s → %s", cases[i].json, error->message);
      g_assert_nonnull (strstr (error->message, cases[i].expect));
    }
}

int
main (int argc, char **argv)
{
  fk_i18n_init ("en");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/citizen/from-card", test_citizen_from_card);
  g_test_add_func ("/citizen/round-trip", test_citizen_round_trip);
  g_test_add_func ("/citizen/bad-json", test_citizen_bad_json);
  g_test_add_func ("/citizen/check-member", test_citizen_check_member);
  g_test_add_func ("/dossier/round-trip", test_dossier_round_trip);
  g_test_add_func ("/dossier/intake-shape", test_dossier_intake_shape);
  g_test_add_func ("/dossier/bad-json", test_dossier_bad_json);
  g_test_add_func ("/dossier/incomplete", test_dossier_incomplete);
  g_test_add_func ("/visit/round-trip", test_visit_round_trip);
  g_test_add_func ("/visit/bad-json", test_visit_bad_json);
  return g_test_run ();
}
