/* test-address-reform.c: 2025 communes suggested for addresses written with
 * the old units
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>

#include "fk-core.h"

/* Measured: see whole_data. A regression that loses wards fails here. */
#define MIN_WARDS_PLACED 10015

static FkReformSuggestion *
suggest (const char *address)
{
  g_autoptr (GError) error = NULL;
  FkReformSuggestion *s = fk_address_reform_suggest (address, &error);

  g_assert_no_error (error);
  g_assert_nonnull (s);
  g_assert_nonnull (s->communes);
  return s;
}

static const FkAdminUnit *
commune (FkReformSuggestion *s, guint i)
{
  g_assert_cmpuint (i, <, s->communes->len);
  return g_ptr_array_index (s->communes, i);
}

static gboolean
has_commune (FkReformSuggestion *s, const char *code)
{
  for (guint i = 0; i < s->communes->len; i++)
    if (g_str_equal (commune (s, i)->code, code))
      return TRUE;
  return FALSE;
}

static GBytes *
old_list (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("FK_SOURCE_ROOT"), "assets", "data",
                                            "admin-units", "vn-units-pre2025.csv", NULL);
  g_autoptr (GMappedFile) file = g_mapped_file_new (path, FALSE, &error);

  g_assert_no_error (error);
  return g_mapped_file_get_bytes (file);
}

/* Every old ward, written "Ward, District, Province", gets a suggestion. */
static void
test_whole_data (void)
{
  g_autoptr (GBytes) bytes = old_list ();
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint wards = 0, placed = 0, whole = 0, own_district = 0;

  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
      g_autofree char *address = NULL;
      g_autoptr (FkReformSuggestion) s = NULL;

      if (g_strv_length (f) != 6 || *f[5] == '\0')
        continue;
      wards++;
      address = g_strdup_printf ("%s, %s, %s", f[5], f[3], f[1]);
      s = suggest (address);
      if (s->communes->len > 0)
        placed++;
      else
        g_test_message ("not placed: %s", address);
      whole += s->whole;
      if (g_strcmp0 (s->old_ward, f[5]) == 0 && g_strcmp0 (s->old_district, f[3]) == 0)
        own_district++;
      else
        g_test_message ("read as %s / %s: %s", s->old_ward, s->old_district, address);
    }
  g_test_message ("%u of %u wards placed, %u whole, %u read back exactly", placed, wards, whole,
                  own_district);
  g_assert_cmpuint (wards, ==, 10035);
  g_assert_cmpuint (placed, >=, MIN_WARDS_PLACED);
  g_assert_cmpuint (own_district, ==, wards);
}

typedef struct
{
  const char *address;
  const char *first;        /* code of communes[0] */
  const char *also;         /* another code in the list, or NULL */
  const char *old_ward;     /* NULL: not checked */
  const char *old_district; /* NULL: not checked */
  gboolean whole;
  gboolean current;
} Case;

/* Real wards of the pre-2025 list and the communes the 2025 resolutions
 * formed from them. */
static const Case cases[] = {
  /* Merged whole. */
  { "Thôn Nà Lầu, Xã Hồng Ngài, Huyện Bắc Yên, Tỉnh Sơn La", "03856", NULL, "Xã Hồng Ngài",
    "Huyện Bắc Yên", TRUE, FALSE },
  { "Thị trấn Phùng, Huyện Đan Phượng, Thành phố Hà Nội", "09784", NULL, "Thị trấn Phùng",
    "Huyện Đan Phượng", TRUE, FALSE },
  { "Khóm 2, Phường 8, Thành phố Cà Mau, Tỉnh Cà Mau", "32014", NULL, "Phường 8",
    "Thành phố Cà Mau", TRUE, FALSE },
  { "Xã Mường Và, Huyện Sốp Cộp, Tỉnh Sơn La", "04231", NULL, "Xã Mường Và", "Huyện Sốp Cộp", TRUE,
    FALSE },
  /* An old province that went into another 2025 province. */
  { "Thôn 3, Xã Quyết Tiến, Huyện Quản Bạ, Tỉnh Hà Giang", "00874", NULL, "Xã Quyết Tiến",
    "Huyện Quản Bạ", TRUE, FALSE },
  /* Split: part to one commune, the rest to another. */
  { "Xã Tân Xã, Huyện Thạch Thất, Thành phố Hà Nội", "09988", "09982", "Xã Tân Xã",
    "Huyện Thạch Thất", FALSE, FALSE },
  { "Phường Cửa Nam, Quận Hoàn Kiếm, Hà Nội", "00070", "00082", "Phường Cửa Nam", "Quận Hoàn Kiếm",
    FALSE, FALSE },
  /* One name in two districts of a province: the district decides. */
  { "Phường 1, Quận Gò Vấp, Thành phố Hồ Chí Minh", "26890", NULL, "Phường 1", "Quận Gò Vấp", TRUE,
    FALSE },
  { "Phường 1, Quận Tân Bình, Thành phố Hồ Chí Minh", "26977", NULL, "Phường 1", "Quận Tân Bình",
    TRUE, FALSE },
  { "Xã Kim Chung, Huyện Đông Anh, Hà Nội", "00508", "00493", "Xã Kim Chung", "Huyện Đông Anh",
    FALSE, FALSE },
  { "Xã Kim Chung, Huyện Hoài Đức, Hà Nội", "09832", "00613", "Xã Kim Chung", "Huyện Hoài Đức",
    FALSE, FALSE },
  /* Abbreviations. */
  { "P. Trúc Bạch, Q. Ba Đình, TP Hà Nội", "00004", NULL, "Phường Trúc Bạch", "Quận Ba Đình", TRUE,
    FALSE },
  { "X. Hồng Ngài, H. Bắc Yên, T. Sơn La", "03856", NULL, "Xã Hồng Ngài", "Huyện Bắc Yên", TRUE,
    FALSE },
  { "TT. Phùng, H. Đan Phượng, TP Hà Nội", "09784", NULL, "Thị trấn Phùng", "Huyện Đan Phượng",
    TRUE, FALSE },
  { "P.1, Q.Gò Vấp, TP.HCM", "26890", NULL, "Phường 1", "Quận Gò Vấp", TRUE, FALSE },
  { "Phường 01, Quận Tân Bình, Tp. HCM", "26977", NULL, "Phường 1", "Quận Tân Bình", TRUE, FALSE },
  /* No accents, other tone placement, other spellings. */
  { "Xa Hong Ngai, Huyen Bac Yen, Tinh Son La", "03856", NULL, "Xã Hồng Ngài", "Huyện Bắc Yên",
    TRUE, FALSE },
  { "Phường Yên Hòa, Quận Cầu Giấy, Thành phố Hà Nội", "00166", "00175", "Phường Yên Hoà",
    "Quận Cầu Giấy", FALSE, FALSE },
  { "Xã Ea Bar, Huyện Sông Hinh, Tỉnh Phú Yên", NULL, NULL, "Xã EaBar", "Huyện Sông Hinh", FALSE,
    FALSE },
  /* Roman and Arabic numbers alike; the country at the end. */
  { "Xã Hòa Tú 2, Huyện Mỹ Xuyên, Sóc Trăng", "31717", NULL, "Xã Hòa Tú II", "Huyện Mỹ Xuyên", TRUE,
    FALSE },
  { "Ấp 3, Xã Tân Thạnh Đông, Huyện Củ Chi, TP HCM, Việt Nam", "27541", NULL, "Xã Tân Thạnh Đông",
    "Huyện Củ Chi", TRUE, FALSE },
  /* No commas at all. */
  { "phuong ben nghe quan 1 tphcm", "26740", NULL, "Phường Bến Nghé", "Quận 1", TRUE, FALSE },
  { "Phường Trúc Bạch Quận Ba Đình Hà Nội", "00004", NULL, "Phường Trúc Bạch", "Quận Ba Đình", TRUE,
    FALSE },
  /* Province left out; a province name that is also a district's. */
  { "Xã Hồng Ngài, Huyện Bắc Yên", "03856", NULL, "Xã Hồng Ngài", "Huyện Bắc Yên", TRUE, FALSE },
  { "Phường 5, Thành phố Vĩnh Long", "29590", NULL, "Phường 5", "Thành phố Vĩnh Long", TRUE,
    FALSE },
  /* An island district without wards. */
  { "Huyện Côn Đảo, Tỉnh Bà Rịa - Vũng Tàu", "26732", NULL, NULL, "Huyện Côn Đảo", TRUE, FALSE },
  /* Already a 2025 address. */
  { "Phường Ba Đình, Thành phố Hà Nội", "00004", NULL, NULL, NULL, FALSE, TRUE },
  { "Thôn Nà Lầu, Xã Quản Bạ, Tỉnh Tuyên Quang", "00874", NULL, NULL, NULL, FALSE, TRUE },
};

static void
test_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autoptr (FkReformSuggestion) s = suggest (c->address);

      g_test_message ("%s", c->address);
      g_assert_cmpuint (s->communes->len, >, 0);
      if (c->first != NULL)
        g_assert_cmpstr (commune (s, 0)->code, ==, c->first);
      if (c->also != NULL)
        g_assert_true (has_commune (s, c->also));
      if (c->old_ward != NULL)
        g_assert_cmpstr (s->old_ward, ==, c->old_ward);
      if (c->old_district != NULL)
        g_assert_cmpstr (s->old_district, ==, c->old_district);
      g_assert_cmpint (s->whole, ==, c->whole);
      g_assert_cmpint (s->current, ==, c->current);
      if (c->current)
        g_assert_null (s->old_district);
    }
}

/* A whole ward's commune is unique; a split ward lists every part, the
 * communes that took a whole or the rest before those that took a part. */
static void
test_split_ranked (void)
{
  g_autoptr (FkReformSuggestion) s = suggest ("Xã Tân Xã, Huyện Thạch Thất, Thành phố Hà Nội");

  g_assert_cmpuint (s->communes->len, ==, 2);
  /* "phần còn lại" went to Hoà Lạc, "một phần" to Hạ Bằng. */
  g_assert_cmpstr (commune (s, 0)->code, ==, "09988");
  g_assert_cmpstr (commune (s, 1)->code, ==, "09982");
  g_assert_false (s->whole);
}

/* District left out and the ward's name in two districts: every
 * candidate, and no district claimed. */
static void
test_district_left_out (void)
{
  g_autoptr (FkReformSuggestion) s = suggest ("Xã Kim Chung, Hà Nội");

  g_assert_cmpstr (s->old_ward, ==, "Xã Kim Chung");
  g_assert_null (s->old_district);
  g_assert_cmpstr (s->old_province, ==, "Thành phố Hà Nội");
  g_assert_true (has_commune (s, "00508")); /* from Huyện Đông Anh */
  g_assert_true (has_commune (s, "09832")); /* from Huyện Hoài Đức */
  g_assert_false (s->whole);
  g_assert_false (s->current);
}

static void
test_nothing_recognisable (void)
{
  const char *inputs[] = {
    "",
    ",,,,,,",
    "   ",
    "asdf qwerty",
    "12345",
    "Số 12, Đường Lê Lợi",
    "Phường, Quận, Tỉnh",
    "Việt Nam",
    "Phường 1",
    "(((((",
    "Xã Không Có, Huyện Không Có, Tỉnh Không Có",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr (FkReformSuggestion) s = suggest (inputs[i]);

      g_test_message ("%s", inputs[i]);
      g_assert_cmpuint (s->communes->len, ==, 0);
      g_assert_null (s->old_ward);
      g_assert_false (s->whole);
      g_assert_false (s->current);
    }
  {
    g_autoptr (FkReformSuggestion) s = suggest (NULL);

    g_assert_cmpuint (s->communes->len, ==, 0);
  }
}

static void
test_hostile (void)
{
  /* Invalid UTF-8 anywhere: nothing, not a crash. */
  const char invalid[] = "Ph\xc6\xb0\xe1\xbb\x9dng Tr\xff\xfe"
                         "c, Qu\xe1\xba\xadn Ba \xc4\x90"
                         "inh, H\xc3\xa0 N\xe1\xbb\x99"
                         "i";
  g_autoptr (FkReformSuggestion) bad = suggest (invalid);
  g_autoptr (GString) big = g_string_new (NULL);
  g_autoptr (FkReformSuggestion) commas = NULL;
  g_autoptr (FkReformSuggestion) long_tail = NULL;
  g_autoptr (FkReformSuggestion) junk = NULL;

  g_assert_cmpuint (bad->communes->len, ==, 0);

  /* 100 KB of commas, then 100 KB of words, then a real address at the
   * end: the end is what is read. */
  for (guint i = 0; i < 100 * 1024; i++)
    g_string_append_c (big, ',');
  commas = suggest (big->str);
  g_assert_cmpuint (commas->communes->len, ==, 0);
  g_string_truncate (big, 0);
  while (big->len < 100 * 1024)
    g_string_append (big, "Xã Xã Xã Phường ");
  junk = suggest (big->str);
  g_assert_cmpuint (junk->communes->len, ==, 0);
  g_string_append (big, ", Phường Trúc Bạch, Quận Ba Đình, Thành phố Hà Nội");
  long_tail = suggest (big->str);
  g_assert_cmpuint (long_tail->communes->len, ==, 1);
  g_assert_cmpstr (commune (long_tail, 0)->code, ==, "00004");
}

/* Callable from several threads at once, the first call included. */
static gpointer
suggest_in_thread (gpointer data)
{
  g_autoptr (FkReformSuggestion) s = suggest ("P. Trúc Bạch, Q. Ba Đình, TP Hà Nội");

  return GINT_TO_POINTER (s->communes->len == 1);
}

static void
test_threads (void)
{
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("suggest", suggest_in_thread, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
}

static void
test_merged_whole (void)
{
  g_autoptr (FkReformSuggestion) s =
    suggest ("Số 12, Phường Trúc Bạch, Quận Ba Đình, Thành phố Hà Nội");

  g_assert_cmpstr (s->old_ward, ==, "Phường Trúc Bạch");
  g_assert_cmpstr (s->old_district, ==, "Quận Ba Đình");
  g_assert_cmpstr (s->old_province, ==, "Thành phố Hà Nội");
  g_assert_true (has_commune (s, "00004"));
  g_assert_cmpstr (commune (s, 0)->code, ==, "00004"); /* Phường Ba Đình */
  g_assert_true (s->whole);
  g_assert_false (s->current);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/address-reform/threads", test_threads);
  g_test_add_func ("/address-reform/merged-whole", test_merged_whole);
  g_test_add_func ("/address-reform/cases", test_cases);
  g_test_add_func ("/address-reform/split-ranked", test_split_ranked);
  g_test_add_func ("/address-reform/district-left-out", test_district_left_out);
  g_test_add_func ("/address-reform/nothing", test_nothing_recognisable);
  g_test_add_func ("/address-reform/hostile", test_hostile);
  g_test_add_func ("/address-reform/whole-data", test_whole_data);
  return g_test_run ();
}
