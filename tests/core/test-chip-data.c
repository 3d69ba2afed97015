/* test-chip-data.c: the chip's data groups (DG1, DG13), MRZ check digits
 * and the expiry a card most likely carries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-core.h"

/* DER, built by hand the way the card's issuer writes it. */
static GByteArray *
der (guint tag, const guint8 *value, gsize len)
{
  GByteArray *out = g_byte_array_new ();
  guint8 head[8];
  gsize n = 0;

  if (tag > 0xFF)
    head[n++] = (guint8) (tag >> 8);
  head[n++] = (guint8) tag;
  n += fk_tlv_encode_length (len, head + n);
  g_byte_array_append (out, head, (guint) n);
  g_byte_array_append (out, value, (guint) len);
  return out;
}

static GByteArray *
der_take (guint tag, GByteArray *content)
{
  GByteArray *out = der (tag, content->data, content->len);

  g_byte_array_unref (content);
  return out;
}

static GByteArray *
cat (GByteArray *a, GByteArray *b)
{
  g_byte_array_append (a, b->data, b->len);
  g_byte_array_unref (b);
  return a;
}

static GByteArray *
utf8 (const char *s)
{
  return der (0x0C, (const guint8 *) s, strlen (s));
}

static GByteArray *
entry (int n, GByteArray *value)
{
  guint8 number = (guint8) n;

  return der_take (0x30, cat (der (0x02, &number, 1), value));
}

static GByteArray *
entry_text (int n, const char *s)
{
  return entry (n, utf8 (s));
}

typedef struct
{
  gboolean extra_sequence;   /* one more SEQUENCE around the content */
  const char *birth;         /* "15/08/1989" or "15081989" */
  const char *expiry;        /* a date or "Không thời hạn" */
  int old_id_entry;          /* 15 or 16, 0 for none */
  gboolean spouse_bare;      /* the spouse as a bare string, not a SEQUENCE of one */
  gboolean printable_string; /* nationality as PrintableString */
} Dg13Shape;

static GBytes *
make_dg13 (const Dg13Shape *shape)
{
  static const guint8 oid[] = { 0x28, 0xCF, 0x06, 0x01, 0x00, 0x08 }; /* 1.0.10646.1.0.8 */
  guint8 one = 1;
  GByteArray *set = g_byte_array_new ();
  GByteArray *content, *root;
  GByteArray *parents;

  set = cat (set, entry_text (1, "001089012345"));
  set = cat (set, entry_text (2, "Nguyễn Văn An"));
  set = cat (set, entry_text (3, shape->birth != NULL ? shape->birth : "15/08/1989"));
  set = cat (set, entry_text (4, "Nam"));
  set = cat (set, shape->printable_string ? entry (5, der (0x13, (const guint8 *) "Viet Nam", 8))
                                          : entry_text (5, "Việt Nam"));
  set = cat (set, entry_text (6, "Kinh"));
  set = cat (set, entry_text (7, "Không"));
  set = cat (set, entry_text (8, "Xã Tân Hội, Đan Phượng, Hà Nội"));
  set = cat (set, entry_text (9, "Số 5, ngõ 10, phố Huế, Hai Bà Trưng, Hà Nội"));
  set = cat (set, entry_text (10, "Nốt ruồi C:1cm dưới trước mép phải"));
  set = cat (set, entry_text (11, "20/04/2021"));
  set = cat (set, entry_text (12, shape->expiry != NULL ? shape->expiry : "15/08/2029"));
  parents = cat (utf8 ("Nguyễn Văn Bình"), utf8 ("Trần Thị Cúc"));
  set = cat (set, entry (13, der_take (0x30, parents)));
  set = cat (set, shape->spouse_bare ? entry_text (14, "Lê Thị Dung")
                                     : entry (14, der_take (0x30, utf8 ("Lê Thị Dung"))));
  if (shape->old_id_entry == 16)
    set = cat (set, entry_text (16, "123456789"));
  else if (shape->old_id_entry == 15)
    set = cat (set, cat (entry_text (15, "123456789"), entry_text (16, "0A1B2C3D4E5F6071")));
  else
    set = cat (set, entry_text (16, "0A1B2C3D4E5F6071"));

  content = cat (cat (der (0x02, &one, 1), der (0x06, oid, sizeof oid)), der_take (0x31, set));
  content = der_take (0x30, content);
  if (shape->extra_sequence)
    content = der_take (0x30, content);
  root = der_take (0x6D, content);
  return g_byte_array_free_to_bytes (root);
}

/* A CCCD's line 1 as cards show it: the last 9 digits of the ID as the
 * document number, then the whole ID, two fillers and its check digit. */
#define MRZ_LINE1 "IDVNM0890123456001089012345<<7"
#define MRZ_LINE2 "8908157M2908155VNM<<<<<<<<<<<2"
#define MRZ_LINE3 "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"

static GBytes *
make_dg1 (const char *zone)
{
  GByteArray *mrz = der (0x5F1F, (const guint8 *) zone, strlen (zone));

  return g_byte_array_free_to_bytes (der_take (0x61, mrz));
}

static void
assert_date (const GDate *date, int d, int m, int y)
{
  g_assert_nonnull (date);
  g_assert_cmpint (g_date_get_day (date), ==, d);
  g_assert_cmpint (g_date_get_month (date), ==, m);
  g_assert_cmpint (g_date_get_year (date), ==, y);
}

static void
test_check_digits (void)
{
  /* Doc 9303 part 3's worked examples */
  g_assert_cmpint (fk_mrz_check_digit ("L898902C3", 9), ==, 6);
  g_assert_cmpint (fk_mrz_check_digit ("740812", 6), ==, 2);
  g_assert_cmpint (fk_mrz_check_digit ("120415", 6), ==, 9);
  g_assert_cmpint (fk_mrz_check_digit ("<<<<<<", 6), ==, 0);
  g_assert_cmpint (fk_mrz_check_digit ("ab", 2), ==, -1);
}

static void
test_td1_icao_example (void)
{
  const char *zone = "I<UTOD231458907<<<<<<<<<<<<<<<\n"
                     "7408122F1204159UTO<<<<<<<<<<<6\n"
                     "ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
  g_autoptr (GError) error = NULL;
  g_autoptr (FkMrz) mrz = fk_mrz_parse_td1 (zone, strlen (zone), &error);
  g_autofree char *seed = NULL;

  g_assert_no_error (error);
  g_assert_true (mrz->check_digits_ok);
  g_assert_cmpstr (mrz->document_code, ==, "I");
  g_assert_cmpstr (mrz->issuing_state, ==, "UTO");
  g_assert_cmpstr (mrz->document_number, ==, "D23145890");
  g_assert_cmpstr (mrz->birth, ==, "740812");
  g_assert_cmpint (mrz->sex, ==, 'F');
  g_assert_cmpstr (mrz->expiry, ==, "120415");
  g_assert_cmpstr (mrz->name, ==, "ERIKSSON ANNA MARIA");

  /* Doc 9303 part 11 appendix D.2: the BAC key seed's text */
  seed = fk_mrz_bac_key_seed_text ("L898902C", "690806", "940623");
  g_assert_cmpstr (seed, ==, "L898902C<369080619406236");
}

static void
test_td1_broken (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkMrz) mrz = NULL;
  char zone[] = MRZ_LINE1 MRZ_LINE2 MRZ_LINE3;

  mrz = fk_mrz_parse_td1 (zone, strlen (zone), &error);
  g_assert_no_error (error);
  g_assert_true (mrz->check_digits_ok);
  g_assert_cmpstr (mrz->document_number, ==, "089012345");
  g_assert_cmpstr (mrz->optional1, ==, "001089012345<<7");
  g_clear_pointer (&mrz, fk_mrz_free);

  zone[40] = '9'; /* expiry no longer matches its check digit */
  mrz = fk_mrz_parse_td1 (zone, strlen (zone), &error);
  g_assert_no_error (error);
  g_assert_false (mrz->check_digits_ok);
  g_clear_pointer (&mrz, fk_mrz_free);

  mrz = fk_mrz_parse_td1 (zone, 60, &error);
  g_assert_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA);
  g_assert_null (mrz);
  g_clear_error (&error);
  mrz = fk_mrz_parse_td1 ("IDVNM089012345a", 15, &error);
  g_assert_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA);
}

static void
test_cccd_document_number (void)
{
  g_autofree char *number = fk_mrz_cccd_document_number ("001089012345");

  g_assert_cmpstr (number, ==, "089012345");
  g_assert_null (fk_mrz_cccd_document_number ("12345678901"));
  g_assert_null (fk_mrz_cccd_document_number ("00108901234x"));
}

static FkChipData *
parse_shape (const Dg13Shape *shape)
{
  g_autoptr (GBytes) dg13 = make_dg13 (shape);
  g_autoptr (GBytes) dg1 = make_dg1 (MRZ_LINE1 MRZ_LINE2 MRZ_LINE3);
  g_autoptr (GError) error = NULL;
  FkChipData *data = fk_chip_data_new_from_files (dg1, dg13, &error);

  g_assert_no_error (error);
  g_assert_nonnull (data);
  return data;
}

static void
test_dg13_fields (void)
{
  Dg13Shape shape = { .old_id_entry = 15 };
  g_autoptr (FkChipData) data = parse_shape (&shape);
  g_autoptr (JsonNode) json = NULL;
  JsonObject *o;

  g_assert_cmpstr (fk_chip_data_get_text (data, FK_CHIP_FIELD_ID_NUMBER), ==, "001089012345");
  g_assert_cmpstr (fk_chip_data_get_text (data, FK_CHIP_FIELD_FULL_NAME), ==, "Nguyễn Văn An");
  assert_date (fk_chip_data_get_birth_date (data), 15, 8, 1989);
  g_assert_cmpint (fk_chip_data_get_sex (data), ==, FK_SEX_MALE);
  g_assert_cmpstr (fk_chip_data_get_text (data, FK_CHIP_FIELD_NATIONALITY), ==, "Việt Nam");
  g_assert_cmpstr (fk_chip_data_get_text (data, FK_CHIP_FIELD_ETHNICITY), ==, "Kinh");
  g_assert_cmpstr (fk_chip_data_get_text (data, FK_CHIP_FIELD_RELIGION), ==, "Không");
  g_assert_cmpstr (fk_chip_data_get_text (data, FK_CHIP_FIELD_PLACE_OF_ORIGIN), ==,
                   "Xã Tân Hội, Đan Phượng, Hà Nội");
  g_assert_cmpstr (fk_chip_data_get_text (data, FK_CHIP_FIELD_IDENTIFICATION_MARKS), ==,
                   "Nốt ruồi C:1cm dưới trước mép phải");
  assert_date (fk_chip_data_get_issue_date (data), 20, 4, 2021);
  assert_date (fk_chip_data_get_expiry_date (data), 15, 8, 2029);
  g_assert_false (fk_chip_data_has_no_expiry (data));
  g_assert_cmpstr (fk_chip_data_get_text (data, FK_CHIP_FIELD_FATHER_NAME), ==, "Nguyễn Văn Bình");
  g_assert_cmpstr (fk_chip_data_get_text (data, FK_CHIP_FIELD_MOTHER_NAME), ==, "Trần Thị Cúc");
  g_assert_cmpstr (fk_chip_data_get_text (data, FK_CHIP_FIELD_SPOUSE_NAME), ==, "Lê Thị Dung");
  g_assert_cmpstr (fk_chip_data_get_text (data, FK_CHIP_FIELD_OLD_ID_NUMBER), ==, "123456789");
  g_assert_cmpstr (fk_chip_data_get_mrz (data)->document_number, ==, "089012345");

  fk_chip_data_set_access (data, FK_CHIP_ACCESS_BAC);
  fk_chip_data_set_pa (data, FK_CHIP_PA_UNVERIFIED, FK_CHIP_PA_REASON_NO_TRUSTED_CSCA);
  json = fk_chip_data_to_json (data);
  o = json_node_get_object (json);
  g_assert_cmpstr (json_object_get_string_member (o, "birth_date"), ==, "1989-08-15");
  g_assert_cmpstr (json_object_get_string_member (o, "expiry_date"), ==, "2029-08-15");
  g_assert_cmpstr (json_object_get_string_member (o, "sex"), ==, "male");
  g_assert_cmpstr (json_object_get_string_member (o, "access"), ==, "bac");
  g_assert_cmpstr (json_object_get_string_member (o, "passive_authentication"), ==, "unverified");
  g_assert_cmpstr (json_object_get_string_member (o, "reason"), ==, "no_trusted_csca");
  g_assert_cmpstr (json_object_get_string_member (o, "old_id_number"), ==, "123456789");
}

static void
test_dg13_variants (void)
{
  Dg13Shape shape = { .extra_sequence = TRUE,
                      .birth = "15081989",
                      .expiry = "Không thời hạn",
                      .old_id_entry = 16,
                      .spouse_bare = TRUE,
                      .printable_string = TRUE };
  g_autoptr (FkChipData) data = parse_shape (&shape);
  g_autoptr (FkChipData) no_old = NULL;
  Dg13Shape hex16 = { 0 };

  assert_date (fk_chip_data_get_birth_date (data), 15, 8, 1989);
  g_assert_true (fk_chip_data_has_no_expiry (data));
  g_assert_null (fk_chip_data_get_expiry_date (data));
  g_assert_cmpstr (fk_chip_data_get_text (data, FK_CHIP_FIELD_OLD_ID_NUMBER), ==, "123456789");
  g_assert_cmpstr (fk_chip_data_get_text (data, FK_CHIP_FIELD_SPOUSE_NAME), ==, "Lê Thị Dung");
  g_assert_cmpstr (fk_chip_data_get_text (data, FK_CHIP_FIELD_NATIONALITY), ==, "Viet Nam");

  /* a hex serial in entry 16 is not an old ID */
  no_old = parse_shape (&hex16);
  g_assert_null (fk_chip_data_get_text (no_old, FK_CHIP_FIELD_OLD_ID_NUMBER));
}

static void
test_dg13_garbage (void)
{
  static const guint8 not_dg13[] = { 0x6D, 0x03, 0x30, 0x01, 0x02 };
  static const guint8 truncated[] = { 0x6D, 0x82, 0xFF };
  g_autoptr (GBytes) a = g_bytes_new_static (not_dg13, sizeof not_dg13);
  g_autoptr (GBytes) b = g_bytes_new_static (truncated, sizeof truncated);
  g_autoptr (GError) error = NULL;
  Dg13Shape shape = { 0 };
  g_autoptr (GBytes) dg13 = make_dg13 (&shape);
  g_autoptr (GBytes) bad_dg1 = make_dg1 ("IDVNM");

  g_assert_null (fk_chip_data_new_from_files (NULL, a, &error));
  g_assert_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_null (fk_chip_data_new_from_files (NULL, b, &error));
  g_assert_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_null (fk_chip_data_new_from_files (bad_dg1, dg13, &error));
  g_assert_error (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA);
}

static void
test_empty_json (void)
{
  g_autoptr (JsonNode) json = fk_chip_data_to_json (NULL);
  JsonObject *o = json_node_get_object (json);
  static const char *const members[] = {
    "id_number",
    "full_name",
    "birth_date",
    "sex",
    "nationality",
    "ethnicity",
    "religion",
    "place_of_origin",
    "place_of_residence",
    "identification_marks",
    "issue_date",
    "expiry_date",
    "father_name",
    "mother_name",
    "spouse_name",
    "old_id_number",
    "access",
    "passive_authentication",
    "reason",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_assert_true (json_object_has_member (o, members[i]));
      g_assert_true (json_object_get_null_member (o, members[i]));
    }
}

static void
test_compare_qr (void)
{
  Dg13Shape shape = { 0 };
  g_autoptr (FkChipData) data = parse_shape (&shape);
  const char *same = "001089012345||NGUYỄN VĂN AN|15081989|Nam|Hà Nội|20042021";
  const char *other = "001089012345||Nguyễn Văn Ân|15081988|Nam|Hà Nội|20042021";
  g_autoptr (FkCccdCard) a = fk_cccd_parse ((const guint8 *) same, strlen (same));
  g_autoptr (FkCccdCard) b = fk_cccd_parse ((const guint8 *) other, strlen (other));
  g_autoptr (GPtrArray) none = fk_chip_data_compare_qr (data, a);
  g_autoptr (GPtrArray) two = fk_chip_data_compare_qr (data, b);

  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (two->len, ==, 1); /* the name folds to the same; the birth year differs */
  g_assert_cmpstr (g_ptr_array_index (two, 0), ==, "birth_date");
}

/* Each member by its JSON name, as a form takes it. */
static void
test_members (void)
{
  Dg13Shape shape = { .old_id_entry = 15 };
  g_autoptr (FkChipData) data = parse_shape (&shape);
  static const struct
  {
    const char *member;
    const char *value;
    FkChipMemberKind kind;
  } cases[] = {
    { "id_number", "001089012345", FK_CHIP_MEMBER_ID_NUMBER },
    { "full_name", "Nguyễn Văn An", FK_CHIP_MEMBER_TEXT },
    { "birth_date", "1989-08-15", FK_CHIP_MEMBER_DATE },
    { "sex", "male", FK_CHIP_MEMBER_SEX },
    { "ethnicity", "Kinh", FK_CHIP_MEMBER_TEXT },
    { "religion", "Không", FK_CHIP_MEMBER_TEXT },
    { "place_of_origin", "Xã Tân Hội, Đan Phượng, Hà Nội", FK_CHIP_MEMBER_TEXT },
    { "issue_date", "2021-04-20", FK_CHIP_MEMBER_DATE },
    { "expiry_date", "2029-08-15", FK_CHIP_MEMBER_DATE },
    { "father_name", "Nguyễn Văn Bình", FK_CHIP_MEMBER_TEXT },
    { "mother_name", "Trần Thị Cúc", FK_CHIP_MEMBER_TEXT },
    { "spouse_name", "Lê Thị Dung", FK_CHIP_MEMBER_TEXT },
    { "old_id_number", "123456789", FK_CHIP_MEMBER_OLD_ID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *value = fk_chip_data_dup_member (data, cases[i].member);

      g_assert_cmpstr (value, ==, cases[i].value);
      g_assert_cmpint (fk_chip_member_get_kind (cases[i].member), ==, cases[i].kind);
    }
  g_assert_null (fk_chip_data_dup_member (data, "blood_group"));
  g_assert_cmpint (fk_chip_member_get_kind ("blood_group"), ==, FK_CHIP_MEMBER_UNKNOWN);
  g_assert_cmpint (fk_chip_member_get_kind (NULL), ==, FK_CHIP_MEMBER_UNKNOWN);
  g_assert_true (fk_chip_member_is_sensitive ("ethnicity"));
  g_assert_true (fk_chip_member_is_sensitive ("religion"));
  g_assert_false (fk_chip_member_is_sensitive ("father_name"));
}

/* Expiry prediction */

static GDate *
dmy (int d, int m, int y)
{
  return g_date_new_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

typedef struct
{
  int birth[3];
  int issued[3];
  int expect_age; /* 0: no expiry */
} ExpiryCase;

static void
test_expiry_predict (void)
{
  static const ExpiryCase cases[] = {
    { { 15, 8, 1989 }, { 20, 4, 2021 }, 40 }, /* issued at 31 */
    { { 15, 8, 1999 }, { 1, 3, 2016 }, 25 },  /* issued at 16 */
    { { 15, 8, 1999 }, { 16, 8, 2022 }, 40 }, /* issued at 23: within two years of 25 */
    { { 15, 8, 1999 }, { 14, 8, 2022 }, 25 }, /* one day more than two years before 25 */
    { { 10, 1, 1984 }, { 10, 1, 2024 }, 60 }, /* issued on the 40th birthday */
    { { 10, 1, 1964 }, { 5, 5, 2021 }, 60 },  /* issued at 57: more than two years before 60 */
    { { 10, 1, 1964 }, { 5, 5, 2022 }, 0 },   /* issued at 58: within two years of 60 */
    { { 10, 1, 1955 }, { 5, 5, 2021 }, 0 },   /* issued at 66 */
    { { 1, 6, 2014 }, { 1, 9, 2024 }, 14 },   /* a child's card under the 2023 law */
    { { 1, 6, 2011 }, { 1, 9, 2024 }, 25 },   /* issued at 13: within two years of 14 */
    { { 1, 6, 2009 }, { 1, 9, 2023 }, 25 },   /* issued at 14 under the 2014 law */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ExpiryCase *c = &cases[i];
      g_autoptr (GDate) birth = dmy (c->birth[0], c->birth[1], c->birth[2]);
      g_autoptr (GDate) issued = dmy (c->issued[0], c->issued[1], c->issued[2]);
      FkCardExpiry e;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_true (fk_card_expiry_predict (birth, issued, &e));
      g_assert_cmpuint (e.age, ==, (guint) c->expect_age);
      g_assert_cmpint (e.none, ==, c->expect_age == 0);
      if (c->expect_age != 0)
        assert_date (&e.date, c->birth[0], c->birth[1], c->birth[2] + c->expect_age);
    }
}

static void
test_expiry_leap_day (void)
{
  g_autoptr (GDate) birth = dmy (29, 2, 2000);
  g_autoptr (GDate) issued = dmy (1, 3, 2016);
  FkCardExpiry e;

  g_assert_true (fk_card_expiry_predict (birth, issued, &e));
  assert_date (&e.date, 28, 2, 2025);
  g_assert_false (fk_card_expiry_predict (issued, birth, &e)); /* issued before birth */
}

static void
test_expiry_candidates (void)
{
  g_autoptr (GDate) birth = dmy (15, 8, 1999);
  g_autoptr (GDate) issued = dmy (16, 8, 2022);
  g_autoptr (GDate) today = dmy (23, 11, 2026);
  g_autoptr (GArray) with_issue = fk_card_expiry_candidates (birth, issued, NULL, 4);
  g_autoptr (GArray) without = fk_card_expiry_candidates (birth, NULL, today, 4);
  g_autoptr (GArray) one = fk_card_expiry_candidates (birth, issued, NULL, 1);
  g_autoptr (GDate) old_birth = dmy (10, 1, 1955);
  g_autoptr (GArray) lifetime = fk_card_expiry_candidates (old_birth, issued, NULL, 4);

  /* predicted 40, then 60 after it, 25 before it, then no expiry */
  g_assert_cmpuint (with_issue->len, ==, 4);
  g_assert_cmpuint (g_array_index (with_issue, FkCardExpiry, 0).age, ==, 40);
  g_assert_cmpuint (g_array_index (with_issue, FkCardExpiry, 1).age, ==, 60);
  g_assert_cmpuint (g_array_index (with_issue, FkCardExpiry, 2).age, ==, 25);
  g_assert_true (g_array_index (with_issue, FkCardExpiry, 3).none);
  /* without the issue date: the first milestone still ahead, 40 */
  g_assert_cmpuint (g_array_index (without, FkCardExpiry, 0).age, ==, 40);
  g_assert_cmpuint (without->len, ==, 4);
  g_assert_cmpuint (one->len, ==, 1);
  /* a card issued at 66: no expiry first, then 60 */
  g_assert_true (g_array_index (lifetime, FkCardExpiry, 0).none);
  g_assert_cmpuint (g_array_index (lifetime, FkCardExpiry, 1).age, ==, 60);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mrz/check-digits", test_check_digits);
  g_test_add_func ("/mrz/td1-icao-example", test_td1_icao_example);
  g_test_add_func ("/mrz/td1-broken", test_td1_broken);
  g_test_add_func ("/mrz/cccd-document-number", test_cccd_document_number);
  g_test_add_func ("/chip-data/dg13-fields", test_dg13_fields);
  g_test_add_func ("/chip-data/dg13-variants", test_dg13_variants);
  g_test_add_func ("/chip-data/dg13-garbage", test_dg13_garbage);
  g_test_add_func ("/chip-data/empty-json", test_empty_json);
  g_test_add_func ("/chip-data/compare-qr", test_compare_qr);
  g_test_add_func ("/chip-data/members", test_members);
  g_test_add_func ("/card-expiry/predict", test_expiry_predict);
  g_test_add_func ("/card-expiry/leap-day", test_expiry_leap_day);
  g_test_add_func ("/card-expiry/candidates", test_expiry_candidates);
  return g_test_run ();
}
