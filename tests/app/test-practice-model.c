/* test-practice-model.c: the practice profile's store and invented
 * citizens, without a display
 *
 * The practice store is made in `practice/store/` of the data folder with
 * its own device key, the practice setting and its known PIN, and opened
 * again the next time; the shipped citizens parse, their cards say what
 * each case teaches; a damaged file is refused with its name and fault.
 * With the practice server's program (the one built here), the store
 * seals to that server's key; a store made without it is moved aside.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-cccd.h"
#include "fk-practice-server.h"
#include "fk-practice.h"
#include "fk-test-store.h"
#include "fk-uploader.h"

static void
ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static FkStore *
open_practice (void)
{
  g_autoptr (GMainContext) context = g_main_context_ref_thread_default ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  FkStore *store;

  fk_practice_open_store_async (NULL, ready, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  store = fk_practice_open_store_finish (result, &error);
  g_assert_no_error (error);
  return store;
}

static void
test_store (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data = g_dir_make_tmp ("fk-practice-XXXXXX", &error);
  g_autofree char *real_dir = g_build_filename (data, "real", NULL);
  g_autofree char *key = NULL;
  g_autofree char *real_key = NULL;
  g_autofree char *expected_dir = g_build_filename (data, "practice", "store", NULL);
  guint8 pk[FK_VAULT_PUBLIC_KEY_BYTES], sk[FK_VAULT_SECRET_KEY_BYTES];
  g_autoptr (FkStore) real = fk_test_store_create (real_dir, pk, sk, NULL);
  FkStore *store;

  g_setenv ("FIELDKIT_DATA_DIR", data, TRUE);
  store = open_practice ();
  g_assert_cmpstr (fk_store_get_dir (store), ==, expected_dir);
  g_assert_true (fk_store_is_practice (store));
  g_assert_false (fk_store_is_practice (real));
  g_assert_false (fk_store_is_unlocked (store));
  /* Its own key, not the real store's */
  key = fk_device_key_get_public_key_base64 (fk_store_get_device_key (store));
  real_key = fk_device_key_get_public_key_base64 (fk_store_get_device_key (real));
  g_assert_cmpstr (key, !=, real_key);
  /* A wrong PIN is only a wrong PIN; the known one opens it. */
  g_assert_false (fk_store_unlock (store, "9999", &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_WRONG_PIN);
  g_clear_error (&error);
  g_assert_true (fk_store_unlock (store, FK_PRACTICE_PIN, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  /* The next time, the same store. */
  store = open_practice ();
  g_assert_true (fk_store_is_practice (store));
  {
    g_autofree char *again = fk_device_key_get_public_key_base64 (fk_store_get_device_key (store));

    g_assert_cmpstr (again, ==, key);
  }
  g_clear_object (&store);
  g_unsetenv ("FIELDKIT_DATA_DIR");
  g_clear_object (&real);
  fk_test_rm_rf (data);
}

static GPtrArray *
shipped (void)
{
  g_autofree char *path =
    g_test_build_filename (G_TEST_DIST, "..", "assets", "data", "practice", "citizens.json", NULL);
  g_autoptr (GError) error = NULL;
  GPtrArray *citizens;

  g_setenv ("FIELDKIT_PRACTICE_CITIZENS", path, TRUE);
  citizens = fk_practice_load_citizens (&error);
  g_unsetenv ("FIELDKIT_PRACTICE_CITIZENS");
  g_assert_no_error (error);
  return citizens;
}

/* Every path can be practised: valid cards, ethnic-minority names, the
 * elderly, a card that contradicts itself and a garbled code. */
static void
test_shipped_citizens (void)
{
  g_autoptr (GPtrArray) citizens = shipped ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fk-practice-XXXXXX", &error);
  guint valid = 0, elderly = 0, garbled = 0, mismatch = 0;

  g_assert_cmpuint (citizens->len, >=, 8);
  g_assert_cmpuint (citizens->len, <=, 12);
  for (guint i = 0; i < citizens->len; i++)
    {
      const FkPracticeCitizen *c = citizens->pdata[i];
      g_autoptr (FkCccdCard) card =
        fk_cccd_parse ((const guint8 *) c->payload, strlen (c->payload));
      g_autofree char *finger = fk_practice_write_finger (c, dir, &error);

      g_assert_no_error (error);
      g_assert_true (g_file_test (finger, G_FILE_TEST_IS_REGULAR));
      g_assert_nonnull (c->note);
      if (fk_cccd_card_is_valid (card))
        {
          valid++;
          g_assert_cmpstr (fk_cccd_card_get_full_name (card), ==, c->name);
          if (g_date_get_year (fk_cccd_card_get_birth_date (card)) < 1960)
            elderly++;
          continue;
        }
      garbled += fk_cccd_card_has_problem (card, FK_CCCD_PROBLEM_GARBLED_TEXT);
      mismatch += fk_cccd_card_has_problem (card, FK_CCCD_PROBLEM_SEX_DIGIT_MISMATCH);
    }
  g_assert_cmpuint (valid, ==, citizens->len - 2);
  g_assert_cmpuint (elderly, >=, 2);
  g_assert_cmpuint (garbled, ==, 1);
  g_assert_cmpuint (mismatch, ==, 1);
  fk_test_rm_rf (dir);
}

static void
expect_damaged (const char *json, const char *fault)
{
  g_autoptr (GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) citizens = fk_practice_parse_citizens (bytes, "/data/team.json", &error);

  g_assert_null (citizens);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "/data/team.json"));
  g_assert_nonnull (strstr (error->message, fault));
}

static void
test_damaged (void)
{
  g_autoptr (GError) error = NULL;
  FkPracticeCitizen missing = { "Lò Thị Ơn", "x", "file:///nonexistent/print.png", NULL };
  g_autofree char *dir = g_dir_make_tmp ("fk-practice-XXXXXX", &error);
  g_autofree char *written = NULL;

  expect_damaged ("{\"citizens\": [", "");
  expect_damaged ("\xff\xfe", "UTF-8");
  expect_damaged ("[]", "1 to 100");
  expect_damaged ("{\"citizens\": []}", "1 to 100");
  expect_damaged ("{\"citizens\": [42]}", "citizen 1");
  expect_damaged ("{\"citizens\": [{\"name\": \"A\", \"finger\": \"a.png\"}]}", "citizen 1");
  expect_damaged ("{\"citizens\": [{\"name\": \"A\", \"payload\": \"p\", \"finger\": \"a.png\"},"
                  " {\"name\": \"B\", \"payload\": \"p\", \"finger\": \"../../etc/x\"}]}",
                  "citizen 2");
  /* A print that is not there: named in the message. */
  written = fk_practice_write_finger (&missing, dir, &error);
  g_assert_null (written);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Lò Thị Ơn"));
  fk_test_rm_rf (dir);
}

/* Without fieldkit-server, a key nobody holds; with it, its key (made by
 * keygen the first time), its receipt key learnt, and the store sealed to
 * the other key kept aside. */
static void
test_server_key (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data = g_dir_make_tmp ("fk-practice-XXXXXX", &error);
  g_autofree char *program =
    g_build_filename (g_getenv ("FK_BUILD_ROOT"), "server", "fieldkit-server", NULL);
  g_autofree char *pub_path =
    g_build_filename (data, "practice", "server", "keys", "server.pub", NULL);
  g_autofree char *practice = g_build_filename (data, "practice", NULL);
  g_autofree char *pub = NULL;
  g_autofree char *verify_b64 = NULL;
  g_autofree char *learnt = NULL;
  guint8 thrown[FK_SYNC_KEY_BYTES], box[FK_SYNC_KEY_BYTES], verify[FK_SYNC_KEY_BYTES];
  g_autoptr (GDir) dir = NULL;
  const char *name;
  guint aside = 0;
  FkStore *store;

  g_setenv ("FIELDKIT_DATA_DIR", data, TRUE);
  g_setenv (FK_PRACTICE_SERVER_ENV, "/nonexistent/fieldkit-server", TRUE);
  g_assert_false (fk_practice_server_prepare (box, verify, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/fieldkit-server"));
  g_clear_error (&error);
  store = open_practice ();
  memcpy (thrown, fk_store_get_server_public_key (store), sizeof thrown);
  g_assert_false (g_file_test (pub_path, G_FILE_TEST_EXISTS));
  g_clear_object (&store);

  g_setenv (FK_PRACTICE_SERVER_ENV, program, TRUE);
  store = open_practice ();
  g_assert_true (g_file_get_contents (pub_path, &pub, NULL, &error));
  g_assert_true (fk_sync_server_pub_parse (pub, box, verify, &error));
  g_assert_no_error (error);
  g_assert_true (fk_store_is_practice (store));
  g_assert_cmpmem (fk_store_get_server_public_key (store), FK_SYNC_KEY_BYTES, box, sizeof box);
  g_assert_true (memcmp (box, thrown, sizeof box) != 0);
  verify_b64 = fk_sync_key_to_base64 (verify);
  learnt = fk_store_get_setting (store, FK_SYNC_SETTING_SERVER_VERIFY_KEY);
  g_assert_cmpstr (learnt, ==, verify_b64);
  g_clear_object (&store);
  dir = g_dir_open (practice, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    aside += g_str_has_prefix (name, "store-");
  g_assert_cmpuint (aside, ==, 1);

  /* The next time, the same store and keys. */
  store = open_practice ();
  g_assert_cmpmem (fk_store_get_server_public_key (store), FK_SYNC_KEY_BYTES, box, sizeof box);
  g_clear_object (&store);
  g_unsetenv (FK_PRACTICE_SERVER_ENV);
  g_unsetenv ("FIELDKIT_DATA_DIR");
  fk_test_rm_rf (data);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/practice/store", test_store);
  g_test_add_func ("/practice/server-key", test_server_key);
  g_test_add_func ("/practice/shipped-citizens", test_shipped_citizens);
  g_test_add_func ("/practice/damaged-citizens", test_damaged);
  return g_test_run ();
}
