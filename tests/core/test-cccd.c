/* test-cccd.c: every rule of the CCCD QR payload, on real payload shapes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-core.h"

#define ADDRESS "Số 5, ngõ 10, phố Huế, Phường Hai Bà Trưng, Hà Nội"
#define CARD_7  "001089012345|123456789|Nguyễn Văn An|15081989|Nam|" ADDRESS "|20042021"
/* A card issued since 2024: more fields, mostly empty. */
#define CARD_11 \
  "012196001234||Lò Thị Hoa|08031996|Nữ|Bản Nậm Củm, Xã Mường Tè, Tỉnh Lai Châu|15072024||||"

static GDate *
today (void)
{
  return g_date_new_dmy (23, G_DATE_NOVEMBER, 2026);
}

static FkCccdCard *
parse_len (const char *payload, gsize len)
{
  g_autoptr (GDate) now = today ();

  return fk_cccd_parse_full ((const guint8 *) payload, len, now);
}

static FkCccdCard *
parse (const char *payload)
{
  return parse_len (payload, strlen (payload));
}

/* The errors must be exactly @expected (comma-separated codes, "" for none). */
static void
assert_errors (FkCccdCard *card, const char *expected)
{
  const GArray *errors = fk_cccd_card_get_errors (card);
  g_autoptr (GString) got = g_string_new (NULL);

  for (guint i = 0; i < errors->len; i++)
    {
      if (i > 0)
        g_string_append_c (got, ',');
      g_string_append (got, fk_cccd_problem_to_string (g_array_index (errors, FkCccdProblem, i)));
    }
  g_assert_cmpstr (got->str, ==, expected);
  g_assert_cmpint (fk_cccd_card_is_valid (card), ==, *expected == '\0');
}

static char *
replace_field (const char *payload, guint index, const char *value)
{
  g_auto (GStrv) fields = g_strsplit (payload, "|", -1);

  g_free (fields[index]);
  fields[index] = g_strdup (value);
  return g_strjoinv ("|", fields);
}

static void
test_seven_fields (void)
{
  g_autoptr (FkCccdCard) card = parse (CARD_7);
  GBytes *raw = fk_cccd_card_get_raw (card);

  assert_errors (card, "");
  g_assert_cmpuint (fk_cccd_card_get_warnings (card)->len, ==, 0);
  g_assert_cmpstr (fk_cccd_card_get_id_number (card), ==, "001089012345");
  g_assert_cmpstr (fk_cccd_card_get_old_id (card), ==, "123456789");
  g_assert_cmpstr (fk_cccd_card_get_full_name (card), ==, "Nguyễn Văn An");
  g_assert_cmpstr (fk_cccd_card_get_birth_date_iso (card), ==, "1989-08-15");
  g_assert_cmpuint (g_date_get_year (fk_cccd_card_get_birth_date (card)), ==, 1989);
  g_assert_cmpint (fk_cccd_card_get_sex (card), ==, FK_SEX_MALE);
  g_assert_cmpstr (fk_cccd_card_get_address (card), ==, ADDRESS);
  g_assert_cmpstr (fk_cccd_card_get_issue_date_iso (card), ==, "2021-04-20");
  g_assert_cmpstr (fk_cccd_card_get_birth_province_code (card), ==, "001");
  g_assert_cmpstr (fk_cccd_card_get_birth_province_name (card), ==, "Hà Nội");
  g_assert_cmpuint (g_strv_length ((char **) fk_cccd_card_get_extra_fields (card)), ==, 0);
  g_assert_cmpmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), CARD_7, strlen (CARD_7));
}

static void
test_eleven_fields (void)
{
  g_autoptr (FkCccdCard) card = parse (CARD_11);
  g_autofree char *with_extra = g_strconcat (CARD_7, "|DL|||", NULL);
  g_autoptr (FkCccdCard) extra = parse (with_extra);
  const char *const *fields = fk_cccd_card_get_extra_fields (card);

  assert_errors (card, "");
  g_assert_cmpuint (fk_cccd_card_get_warnings (card)->len, ==, 0);
  g_assert_cmpstr (fk_cccd_card_get_old_id (card), ==, "");
  g_assert_cmpint (fk_cccd_card_get_sex (card), ==, FK_SEX_FEMALE);
  g_assert_cmpstr (fk_cccd_card_get_birth_province_name (card), ==, "Lai Châu");
  g_assert_cmpuint (g_strv_length ((char **) fields), ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpstr (fields[i], ==, "");

  /* Extra fields with content are kept and pointed out, not refused. */
  assert_errors (extra, "");
  g_assert_true (fk_cccd_card_has_problem (extra, FK_CCCD_PROBLEM_EXTRA_FIELDS));
  g_assert_cmpstr (fk_cccd_card_get_extra_fields (extra)[0], ==, "DL");
}

static void
test_trailing_newline (void)
{
  const char *endings[] = { "\n", "\r\n", "\r", "\r\n\r\n" };

  for (guint i = 0; i < G_N_ELEMENTS (endings); i++)
    {
      g_autofree char *payload = g_strconcat (CARD_7, endings[i], NULL);
      g_autoptr (FkCccdCard) card = parse (payload);
      GBytes *raw = fk_cccd_card_get_raw (card);

      assert_errors (card, "");
      g_assert_cmpstr (fk_cccd_card_get_issue_date_iso (card), ==, "2021-04-20");
      /* The raw payload is kept exactly as scanned. */
      g_assert_cmpuint (g_bytes_get_size (raw), ==, strlen (payload));
    }
}

static void
test_decomposed_name (void)
{
  /* "Nguyễn Văn An" and "Hà Nội" as some scanners and keyboards send them:
   * base letters followed by combining marks. */
  const char *nfd = "001089012345|123456789|Nguye\xcc\x82\xcc\x83n Va\xcc\x86n  An |15081989|Nam|"
                    "Pho\xcc\x82\xcc\x81 Hue\xcc\x82\xcc\x81, Ha\xcc\x80 No\xcc\x82\xcc\xa3i|"
                    "20042021";
  g_autoptr (FkCccdCard) card = parse (nfd);
  g_autoptr (FkCccdCard) sex_nfd =
    parse ("012196001234||Lò Thị Hoa|08031996|Nu\xcc\x9b\xcc\x83|Lai Châu|15072024");

  assert_errors (card, "");
  g_assert_cmpstr (fk_cccd_card_get_full_name (card), ==, "Nguyễn Văn An");
  g_assert_cmpstr (fk_cccd_card_get_address (card), ==, "Phố Huế, Hà Nội");
  assert_errors (sex_nfd, "");
  g_assert_cmpint (fk_cccd_card_get_sex (sex_nfd), ==, FK_SEX_FEMALE);
}

static void
test_garbled (void)
{
  /* Cut inside a multi-byte sequence */
  g_autoptr (FkCccdCard) cut =
    parse ("001089012345|123456789|Nguy\xe1\xbb|15081989|Nam|HN|20042021");
  /* The card's text encoded as Latin-1 bytes ("Lê Văn" is not even representable) */
  g_autoptr (FkCccdCard) latin1 =
    parse ("001089012345||L\xea V\xe3n An|15081989|Nam|H\xe0 N\xf4i|20042021");
  /* A NUL in the middle */
  g_autoptr (FkCccdCard) nul = parse_len ("001089012345|\0|A|15081989|Nam|HN|20042021", 40);
  g_autoptr (FkCccdCard) replacement =
    parse ("001089012345||Nguy\xef\xbf\xbdn V\xef\xbf\xbdn An|15081989|Nam|HN|20042021");
  g_autofree char *mojibake = g_convert (CARD_7, -1, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
  g_autoptr (FkCccdCard) double_encoded = NULL;
  g_autofree char *cp1252 = NULL;
  g_autoptr (FkCccdCard) double_cp1252 = NULL;

  assert_errors (cut, "not-utf8");
  assert_errors (latin1, "not-utf8");
  assert_errors (nul, "not-utf8");
  g_assert_null (fk_cccd_card_get_id_number (latin1));
  assert_errors (replacement, "garbled-text");
  {
    g_autoptr (FkCccdCard) mixed =
      parse ("001089012345||Nguyễn V\xef\xbf\xbdn An|15081989|Nam|Hà Nội|20042021");

    assert_errors (mixed, "garbled-text");
  }

  /* UTF-8 read as Latin-1 and written out again: valid UTF-8, unreadable. */
  g_assert_nonnull (mojibake);
  double_encoded = parse (mojibake);
  assert_errors (double_encoded, "garbled-text");

  /* The same through Windows-1252 ("Nguyá»…n"). */
  cp1252 = g_convert ("001089012345||Nguyễn Văn An|15081989|Nam|Huế|20042021", -1, "UTF-8",
                      "WINDOWS-1252", NULL, NULL, NULL);
  g_assert_nonnull (cp1252);
  double_cp1252 = parse (cp1252);
  assert_errors (double_cp1252, "garbled-text");
}

static void
test_too_few_fields (void)
{
  g_autoptr (FkCccdCard) three = parse ("001089012345|123456789|Nguyễn Văn An");
  g_autoptr (FkCccdCard) six = parse ("001089012345|123456789|Nguyễn Văn An|15081989|Nam|HN");
  g_autoptr (FkCccdCard) empty = parse_len ("", 0);
  g_autoptr (FkCccdCard) url = parse ("https://dichvucong.gov.vn/");
  g_autoptr (FkCccdCard) null = fk_cccd_parse (NULL, 0);
  g_autoptr (FkCccdCard) newline = parse ("\r\n");

  assert_errors (three, "too-few-fields");
  assert_errors (six, "too-few-fields");
  assert_errors (empty, "too-few-fields");
  assert_errors (url, "too-few-fields");
  assert_errors (null, "too-few-fields");
  assert_errors (newline, "too-few-fields");
}

static void
check_field (guint index, const char *value, const char *expected)
{
  g_autofree char *payload = replace_field (CARD_7, index, value);
  g_autoptr (FkCccdCard) card = parse (payload);

  g_test_message ("field %u = “%s”", index, value);
  assert_errors (card, expected);
}

static void
test_id_number (void)
{
  check_field (0, "00108901234", "id-format");
  check_field (0, "0010890123456", "id-format");
  check_field (0, "00108901234X", "id-format");
  check_field (0, "", "id-format");
  check_field (0, " 001089012345 ", "");
  /* Province codes: 000 and 099 do not exist; 096 (Cà Mau) does. */
  check_field (0, "000089012345", "unknown-province");
  check_field (0, "099089012345", "unknown-province");
  check_field (0, "003089012345", "unknown-province");
  check_field (0, "096089012345", "");
  /* Digits 5–6 are the birth year's last two. */
  check_field (0, "001090012345", "birth-year-mismatch");
}

static void
test_century_and_sex (void)
{
  struct
  {
    const char *id;
    const char *birth;
    const char *sex;
    const char *expected;
  } cases[] = {
    { "001089012345", "15081989", "Nam", "" },
    { "001189012345", "15081989", "Nữ", "" },
    { "001189012345", "15081989", "Nam", "sex-digit-mismatch" },
    { "001089012345", "15081989", "Nữ", "sex-digit-mismatch" },
    /* Born in the 2000s: 2 (male) or 3 (female) */
    { "001205012345", "01012005", "Nam", "" },
    { "001305012345", "01012005", "Nữ", "" },
    { "001005012345", "01012005", "Nam", "century-digit-mismatch" },
    { "001105012345", "01012005", "Nữ", "century-digit-mismatch" },
    { "001105012345", "01012005", "Nam", "sex-digit-mismatch,century-digit-mismatch" },
    { "001289012345", "15081989", "Nam", "century-digit-mismatch" },
    { "001305012345", "01012005", "Nam", "sex-digit-mismatch" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *payload = g_strdup_printf ("%s||Nguyễn Văn An|%s|%s|Hà Nội|20042021",
                                                  cases[i].id, cases[i].birth, cases[i].sex);
      g_autoptr (FkCccdCard) card = parse (payload);

      g_test_message ("%s", payload);
      assert_errors (card, cases[i].expected);
    }
}

static void
test_dates (void)
{
  check_field (3, "1508198", "birth-date-invalid");
  check_field (3, "32081989", "birth-date-invalid");
  check_field (3, "15131989", "birth-date-invalid");
  check_field (3, "1989-08-15", "birth-date-invalid");
  check_field (6, "31042021", "issue-date-invalid");
  check_field (6, "", "issue-date-invalid");
  /* Issued before birth */
  check_field (6, "01011980", "issue-before-birth");
  /* Issued after "today" (23 Nov 2026): the day after is refused, today is fine */
  check_field (6, "24112026", "issue-date-future");
  check_field (6, "23112026", "");

  /* 29 February only in leap years */
  {
    g_autoptr (FkCccdCard) leap =
      parse ("001200012345||Trần Bảo Ngọc|29022000|Nam|Hà Nội|10052021");
    g_autoptr (FkCccdCard) not_leap =
      parse ("001201012345||Trần Bảo Ngọc|29022001|Nam|Hà Nội|10052021");
    g_autoptr (FkCccdCard) issue_not_leap =
      parse ("001089012345||Nguyễn Văn An|15081989|Nam|Hà Nội|29022023");

    assert_errors (leap, "");
    g_assert_cmpstr (fk_cccd_card_get_birth_date_iso (leap), ==, "2000-02-29");
    assert_errors (not_leap, "birth-date-invalid");
    assert_errors (issue_not_leap, "issue-date-invalid");
  }

  /* Born after "today" */
  {
    g_autoptr (FkCccdCard) unborn =
      parse ("001227012345||Nguyễn Văn An|01012027|Nam|Hà Nội|02012027");

    assert_errors (unborn, "birth-date-future,issue-date-future");
  }
}

static void
test_old_id (void)
{
  check_field (1, "", "");
  check_field (1, "123456789", "");
  check_field (1, "001089012345", "");
  check_field (1, "12345678", "old-id-format");
  check_field (1, "1234567890", "old-id-format");
  check_field (1, "12345678a", "old-id-format");
}

static void
test_sex_and_name (void)
{
  g_autofree char *lower = NULL;
  g_autofree char *digits = NULL;
  g_autofree char *no_address = NULL;

  check_field (4, "Male", "sex-invalid");
  check_field (4, "nam", "sex-invalid");
  check_field (4, "", "sex-invalid");
  check_field (4, " Nam ", "");
  check_field (2, "", "name-empty");
  {
    g_autofree char *long_name = g_strnfill (101, 'A');
    g_autofree char *long_address = g_strnfill (501, 'x');

    check_field (2, long_name, "field-too-long");
    check_field (5, long_address, "field-too-long");
  }
  check_field (2, "   ", "name-empty");

  lower = replace_field (CARD_7, 2, "nguyễn văn an");
  {
    g_autoptr (FkCccdCard) card = parse (lower);

    assert_errors (card, "");
    g_assert_true (fk_cccd_card_has_problem (card, FK_CCCD_PROBLEM_NAME_LOWERCASE));
  }
  digits = replace_field (CARD_7, 2, "Nguyễn Văn An 2");
  {
    g_autoptr (FkCccdCard) card = parse (digits);

    assert_errors (card, "");
    g_assert_true (fk_cccd_card_has_problem (card, FK_CCCD_PROBLEM_NAME_HAS_DIGITS));
  }
  no_address = replace_field (CARD_7, 5, "");
  {
    g_autoptr (FkCccdCard) card = parse (no_address);

    assert_errors (card, "");
    g_assert_true (fk_cccd_card_has_problem (card, FK_CCCD_PROBLEM_ADDRESS_EMPTY));
  }
}

static void
test_many_errors_at_once (void)
{
  g_autoptr (FkCccdCard) card = parse ("000189012345|1234|  |31021989|Male|HN|01011900");

  assert_errors (card, "name-empty,sex-invalid,birth-date-invalid,unknown-province,old-id-format");
}

static void
test_json (void)
{
  g_autoptr (FkCccdCard) card = parse (CARD_11);
  g_autoptr (FkCccdCard) bad =
    parse ("001089012345|12345678|Nguyễn Văn An|15081989|Male|HN|20042021");
  g_autoptr (FkCccdCard) garbled = parse ("\xff\xfe");
  g_autoptr (JsonNode) node = fk_cccd_card_to_json (card);
  g_autoptr (JsonNode) bad_node = NULL;
  g_autoptr (JsonNode) garbled_node = NULL;
  JsonObject *obj = json_node_get_object (node);
  JsonObject *province;
  JsonArray *errors;

  g_assert_true (json_object_get_boolean_member (obj, "valid"));
  g_assert_cmpstr (json_object_get_string_member (obj, "id_number"), ==, "012196001234");
  g_assert_cmpstr (json_object_get_string_member (obj, "old_id"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (obj, "full_name"), ==, "Lò Thị Hoa");
  g_assert_cmpstr (json_object_get_string_member (obj, "birth_date"), ==, "1996-03-08");
  g_assert_cmpstr (json_object_get_string_member (obj, "sex"), ==, "female");
  g_assert_cmpstr (json_object_get_string_member (obj, "address"), ==,
                   "Bản Nậm Củm, Xã Mường Tè, Tỉnh Lai Châu");
  g_assert_cmpstr (json_object_get_string_member (obj, "issue_date"), ==, "2024-07-15");
  province = json_object_get_object_member (obj, "birth_province");
  g_assert_cmpstr (json_object_get_string_member (province, "code"), ==, "012");
  g_assert_cmpstr (json_object_get_string_member (province, "name"), ==, "Lai Châu");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "extra_fields")), ==,
                    4);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "errors")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "warnings")), ==, 0);

  fk_i18n_init ("vi");
  bad_node = fk_cccd_card_to_json (bad);
  obj = json_node_get_object (bad_node);
  g_assert_false (json_object_get_boolean_member (obj, "valid"));
  g_assert_true (json_object_get_null_member (obj, "sex"));
  errors = json_object_get_array_member (obj, "errors");
  g_assert_cmpuint (json_array_get_length (errors), ==, 2);
  {
    JsonObject *e = json_array_get_object_element (errors, 0);

    g_assert_cmpstr (json_object_get_string_member (e, "code"), ==, "sex-invalid");
    g_assert_cmpstr (json_object_get_string_member (e, "message_en"), ==,
                     "The sex must be “Nam” or “Nữ”.");
    g_assert_cmpstr (json_object_get_string_member (e, "message"), ==,
                     "Giới tính phải là “Nam” hoặc “Nữ”.");
  }

  garbled_node = fk_cccd_card_to_json (garbled);
  obj = json_node_get_object (garbled_node);
  g_assert_false (json_object_get_boolean_member (obj, "valid"));
  g_assert_true (json_object_get_null_member (obj, "id_number"));
  g_assert_true (json_object_get_null_member (obj, "birth_province"));
  errors = json_object_get_array_member (obj, "errors");
  g_assert_cmpstr (
    json_object_get_string_member (json_array_get_object_element (errors, 0), "code"), ==,
    "not-utf8");
  g_assert_nonnull (
    strstr (json_object_get_string_member (json_array_get_object_element (errors, 0), "message"),
            "quét lại"));
}

static void
test_every_problem_has_text (void)
{
  for (FkCccdProblem p = 0; p < FK_CCCD_PROBLEM_LAST; p++)
    {
      g_assert_nonnull (fk_cccd_problem_to_string (p));
      g_assert_nonnull (fk_cccd_problem_get_message_en (p));
      g_assert_cmpstr (fk_cccd_problem_get_message (p), !=, fk_cccd_problem_get_message_en (p));
    }
}

int
main (int argc, char **argv)
{
  fk_i18n_init ("vi");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cccd/seven-fields", test_seven_fields);
  g_test_add_func ("/cccd/eleven-fields", test_eleven_fields);
  g_test_add_func ("/cccd/trailing-newline", test_trailing_newline);
  g_test_add_func ("/cccd/decomposed-name", test_decomposed_name);
  g_test_add_func ("/cccd/garbled", test_garbled);
  g_test_add_func ("/cccd/too-few-fields", test_too_few_fields);
  g_test_add_func ("/cccd/id-number", test_id_number);
  g_test_add_func ("/cccd/century-and-sex", test_century_and_sex);
  g_test_add_func ("/cccd/dates", test_dates);
  g_test_add_func ("/cccd/old-id", test_old_id);
  g_test_add_func ("/cccd/sex-and-name", test_sex_and_name);
  g_test_add_func ("/cccd/many-errors", test_many_errors_at_once);
  g_test_add_func ("/cccd/json", test_json);
  g_test_add_func ("/cccd/every-problem-has-text", test_every_problem_has_text);
  return g_test_run ();
}
