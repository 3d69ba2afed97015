/* test-ctl.c: the real fieldkit-ctl binary: id parse, units search, catalog list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>

#include "fk-core.h"

#define CARD_7                                                                                            \
  "001089012345|123456789|Nguyễn Văn An|15081989|Nam|Số 5, ngõ 10, phố Huế, Phường Hai Bà " \
  "Trưng, Hà Nội|20042021"

typedef struct
{
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs fieldkit-ctl with @args, feeding @input (may be NULL) as raw bytes. */
static void
run_ctl (Run *run, const guint8 *input, gsize input_len, const char *const *args)
{
  const char *build_root = g_getenv ("FK_BUILD_ROOT");
  g_autofree char *ctl = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GBytes) in = NULL;
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GBytes) err = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (build_root);
  ctl = g_build_filename (build_root, "cli", "fieldkit-ctl", NULL);
  g_ptr_array_add (argv, ctl);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* The command line follows the locale: English here, catalog titles
   * included. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  in = g_bytes_new (input, input_len);
  g_subprocess_communicate (proc, in, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  run->status = g_subprocess_get_exit_status (proc);
  /* Empty output comes as a NULL buffer. */
  run->out = g_strndup (g_bytes_get_size (out) > 0 ? g_bytes_get_data (out, NULL) : "",
                        g_bytes_get_size (out));
  run->err = g_strndup (g_bytes_get_size (err) > 0 ? g_bytes_get_data (err, NULL) : "",
                        g_bytes_get_size (err));
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static const char *
first_error_code (JsonObject *obj)
{
  JsonArray *errors = json_object_get_array_member (obj, "errors");

  g_assert_cmpuint (json_array_get_length (errors), >, 0);
  return json_object_get_string_member (json_array_get_object_element (errors, 0), "code");
}

static void
test_id_parse_argument (void)
{
  const char *valid[] = { "id", "parse", CARD_7, NULL };
  const char *invalid[] = { "id", "parse",
                            "001089012345|123456789|Nguyễn Văn An|15081989|Male|HN|20042021",
                            NULL };
  g_auto (Run) ok = { 0 };
  g_auto (Run) bad = { 0 };
  g_autoptr (JsonObject) obj = NULL;
  g_autoptr (JsonObject) bad_obj = NULL;

  run_ctl (&ok, NULL, 0, valid);
  g_assert_cmpint (ok.status, ==, 0);
  obj = parse_object (ok.out);
  g_assert_true (json_object_get_boolean_member (obj, "valid"));
  g_assert_cmpstr (json_object_get_string_member (obj, "full_name"), ==, "Nguyễn Văn An");
  g_assert_cmpstr (json_object_get_string_member (obj, "birth_date"), ==, "1989-08-15");
  g_assert_cmpstr (json_object_get_string_member (obj, "sex"), ==, "male");
  g_assert_cmpstr (
    json_object_get_string_member (json_object_get_object_member (obj, "birth_province"), "name"),
    ==, "Hà Nội");

  run_ctl (&bad, NULL, 0, invalid);
  g_assert_cmpint (bad.status, ==, 1);
  bad_obj = parse_object (bad.out);
  g_assert_false (json_object_get_boolean_member (bad_obj, "valid"));
  g_assert_cmpstr (first_error_code (bad_obj), ==, "sex-invalid");
}

static void
test_id_parse_stdin (void)
{
  const char *args[] = { "id", "parse", NULL };
  g_autofree char *crlf = g_strconcat (CARD_7, "||||\r\n", NULL);
  const guint8 garbled[] = "001089012345||L\xea V\xe3n An|15081989|Nam|HN|20042021\n";
  g_auto (Run) ok = { 0 };
  g_auto (Run) bad = { 0 };
  g_auto (Run) nul = { 0 };
  g_autoptr (JsonObject) obj = NULL;
  g_autoptr (JsonObject) bad_obj = NULL;
  g_autoptr (JsonObject) nul_obj = NULL;

  run_ctl (&ok, (const guint8 *) crlf, strlen (crlf), args);
  g_assert_cmpint (ok.status, ==, 0);
  obj = parse_object (ok.out);
  g_assert_true (json_object_get_boolean_member (obj, "valid"));
  g_assert_cmpstr (json_object_get_string_member (obj, "issue_date"), ==, "2021-04-20");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "extra_fields")), ==,
                    4);

  /* Latin-1 bytes arrive unchanged and are reported as garbled. */
  run_ctl (&bad, garbled, sizeof garbled - 1, args);
  g_assert_cmpint (bad.status, ==, 1);
  bad_obj = parse_object (bad.out);
  g_assert_cmpstr (first_error_code (bad_obj), ==, "not-utf8");
  g_assert_nonnull (
    strstr (json_object_get_string_member (
              json_array_get_object_element (json_object_get_array_member (bad_obj, "errors"), 0),
              "message"),
            "garbled"));

  /* A NUL byte is not the end of the input. */
  run_ctl (&nul, (const guint8 *) "001089012345|\0|A|15081989|Nam|HN|20042021", 40, args);
  g_assert_cmpint (nul.status, ==, 1);
  nul_obj = parse_object (nul.out);
  g_assert_cmpstr (first_error_code (nul_obj), ==, "not-utf8");
}

static void
test_id_parse_usage (void)
{
  const char *two[] = { "id", "parse", "a", "b", NULL };
  const char *option[] = { "id", "parse", "--no-such-option", NULL };
  g_auto (Run) a = { 0 };
  g_auto (Run) b = { 0 };

  run_ctl (&a, NULL, 0, two);
  g_assert_cmpint (a.status, ==, 2);
  g_assert_cmpstr (a.out, ==, "");
  g_assert_cmpstr (a.err, !=, "");
  run_ctl (&b, NULL, 0, option);
  g_assert_cmpint (b.status, ==, 2);
}

static void
test_units_from_old (void)
{
  const char *found[] = { "units", "from-old", "P. Trúc Bạch, Q. Ba Đình, TP Hà Nội", NULL };
  const char *none[] = { "units", "from-old", "Số 12, Đường Lê Lợi", NULL };
  const char *missing[] = { "units", "from-old", NULL };
  g_auto (Run) a = { 0 };
  g_auto (Run) b = { 0 };
  g_auto (Run) c = { 0 };
  g_autoptr (JsonObject) obj = NULL;
  g_autoptr (JsonObject) empty = NULL;
  JsonArray *communes;

  run_ctl (&a, NULL, 0, found);
  g_assert_cmpint (a.status, ==, 0);
  obj = parse_object (a.out);
  g_assert_cmpstr (json_object_get_string_member (obj, "old_ward"), ==, "Phường Trúc Bạch");
  g_assert_cmpstr (json_object_get_string_member (obj, "old_district"), ==, "Quận Ba Đình");
  g_assert_cmpstr (json_object_get_string_member (obj, "old_province"), ==, "Thành phố Hà Nội");
  g_assert_true (json_object_get_boolean_member (obj, "whole"));
  g_assert_false (json_object_get_boolean_member (obj, "current"));
  communes = json_object_get_array_member (obj, "communes");
  g_assert_cmpuint (json_array_get_length (communes), ==, 1);
  g_assert_cmpstr (
    json_object_get_string_member (json_array_get_object_element (communes, 0), "code"), ==,
    "00004");
  g_assert_cmpstr (
    json_object_get_string_member (json_array_get_object_element (communes, 0), "name"), ==,
    "Phường Ba Đình");

  run_ctl (&b, NULL, 0, none);
  g_assert_cmpint (b.status, ==, 1);
  empty = parse_object (b.out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (empty, "communes")), ==,
                    0);

  run_ctl (&c, NULL, 0, missing);
  g_assert_cmpint (c.status, ==, 2);
  g_assert_cmpstr (c.err, !=, "");
}

static void
test_units_search (void)
{
  const char *text[] = { "units", "search", "lai", "chau", NULL };
  const char *json[] = { "units", "search", "Thanh Hóa", "--limit", "3", "--json", NULL };
  const char *none[] = { "units", "search", "zzqx", NULL };
  const char *bad_province[] = { "units", "search", "ba", "--province", "99", NULL };
  g_auto (Run) t = { 0 };
  g_auto (Run) j = { 0 };
  g_auto (Run) n = { 0 };
  g_auto (Run) p = { 0 };
  g_autoptr (JsonNode) node = NULL;
  JsonArray *array;

  run_ctl (&t, NULL, 0, text);
  g_assert_cmpint (t.status, ==, 0);
  g_assert_true (g_str_has_prefix (t.out, "12"));
  g_assert_nonnull (strstr (t.out, "Lai Châu"));

  run_ctl (&j, NULL, 0, json);
  g_assert_cmpint (j.status, ==, 0);
  node = json_from_string (j.out, NULL);
  g_assert_nonnull (node);
  array = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "name"),
                   ==, "Thanh Hoá");

  run_ctl (&n, NULL, 0, none);
  g_assert_cmpint (n.status, ==, 1);
  run_ctl (&p, NULL, 0, bad_province);
  g_assert_cmpint (p.status, ==, 2);
}

static void
test_catalog_list (void)
{
  const char *text[] = { "catalog", "list", NULL };
  const char *json[] = { "catalog", "list", "--json", NULL };
  g_auto (Run) t = { 0 };
  g_auto (Run) j = { 0 };
  g_autoptr (JsonObject) obj = NULL;

  run_ctl (&t, NULL, 0, text);
  g_assert_cmpint (t.status, ==, 0);
  g_assert_nonnull (strstr (t.out, "birth-registration"));
  g_assert_nonnull (strstr (t.out, "Birth registration"));

  run_ctl (&j, NULL, 0, json);
  g_assert_cmpint (j.status, ==, 0);
  obj = parse_object (j.out);

  /* --help names the command once and nothing of the message catalog's header. */
  {
    const char *help[] = { "catalog", "list", "--help", NULL };
    g_auto (Run) h = { 0 };

    run_ctl (&h, NULL, 0, help);
    g_assert_cmpint (h.status, ==, 0);
    g_assert_nonnull (strstr (h.out, "fieldkit-ctl catalog list [OPTION"));
    g_assert_null (strstr (h.out, "catalog list catalog list"));
    g_assert_null (strstr (h.out, "Project-Id-Version"));
  }
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "procedures")), >=,
                    9);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ctl/id-parse/argument", test_id_parse_argument);
  g_test_add_func ("/ctl/id-parse/stdin", test_id_parse_stdin);
  g_test_add_func ("/ctl/id-parse/usage", test_id_parse_usage);
  g_test_add_func ("/ctl/units-search", test_units_search);
  g_test_add_func ("/ctl/units-from-old", test_units_from_old);
  g_test_add_func ("/ctl/catalog-list", test_catalog_list);
  return g_test_run ();
}
