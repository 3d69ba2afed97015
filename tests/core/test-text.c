/* test-text.c: normalising and folding Vietnamese text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-core.h"

static void
test_normalize (void)
{
  struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "Nguyễn Văn An", "Nguyễn Văn An" },
    /* decomposed: e + circumflex + tilde */
    { "Nguye\xcc\x82\xcc\x83n Va\xcc\x86n An", "Nguyễn Văn An" },
    { "  Lò   Thị\tHoa \r\n", "Lò Thị Hoa" },
    { "Hà\xc2\xa0Nội", "Hà Nội" },
    { "", "" },
    { " \t ", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = fk_text_normalize (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
  g_assert_null (fk_text_normalize ("Nguy\xe1\xbb"));
  g_assert_null (fk_text_normalize ("L\xf2 Th\xef"));
}

static void
test_fold (void)
{
  struct
  {
    const char *a;
    const char *b;
  } same[] = {
    { "Lai Châu", "lai chau" },
    { "Thanh Hoá", "Thanh Hóa" },
    { "Thanh Hoá", "THANH HOA" },
    { "Khánh Hoà", "khanh hoa" },
    { "Đắk Lắk", "dak lak" },
    { "Hà Nội", "ha   noi" },
    { "Nguye\xcc\x82\xcc\x83n", "nguyen" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_autofree char *a = fk_text_fold (same[i].a);
      g_autofree char *b = fk_text_fold (same[i].b);

      g_assert_cmpstr (a, ==, b);
    }
  {
    g_autofree char *a = fk_text_fold ("Hà Nội");
    g_autofree char *b = fk_text_fold ("Hà Nam");

    g_assert_cmpstr (a, ==, "ha noi");
    g_assert_cmpstr (a, !=, b);
  }
  g_assert_null (fk_text_fold ("\xff"));
}

static void
test_digits (void)
{
  g_assert_true (fk_text_is_digits ("0123", 4));
  g_assert_false (fk_text_is_digits ("01a3", 4));
  g_assert_false (fk_text_is_digits ("", 0));
  g_assert_false (fk_text_is_digits ("12", 3));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/text/normalize", test_normalize);
  g_test_add_func ("/text/fold", test_fold);
  g_test_add_func ("/text/digits", test_digits);
  return g_test_run ();
}
