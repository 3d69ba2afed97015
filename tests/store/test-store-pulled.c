/* test-store-pulled.c: what the server sends back, kept by the store: a
 * catalog version applied only with the server's signature and core's
 * approval, its cursor moved with it, checked again at every load; the
 * results kept with their cursor, and the handover recorded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sodium.h>
#include <sqlite3.h>

#include "fk-outbox.h"
#include "fk-sync-protocol.h"
#include "fk-test-store.h"

#define BROKEN "{\"schema\": 1, \"version\": \"2099.2\"}"

typedef struct
{
  char *dir;
  guint8 server_pk[FK_VAULT_PUBLIC_KEY_BYTES];
  guint8 server_sk[FK_VAULT_SECRET_KEY_BYTES];
  guint8 sign_pk[FK_SYNC_KEY_BYTES];
  guint8 sign_sk[FK_SYNC_SECRET_BYTES];
  FkStore *store;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *verify = NULL;

  f->dir = g_dir_make_tmp ("fk-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = fk_test_store_create (f->dir, f->server_pk, f->server_sk, NULL);
  /* The server's receipt key, as set-up writes it from server.pub. */
  crypto_sign_keypair (f->sign_pk, f->sign_sk);
  verify = fk_sync_key_to_base64 (f->sign_pk);
  g_assert_true (
    fk_store_set_setting (f->store, FK_STORE_SETTING_SERVER_VERIFY_KEY, verify, &error));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  fk_test_rm_rf (f->dir);
  g_free (f->dir);
}

/* The shipped catalog with @version and @title for birth registration. */
static GBytes *
catalog_bytes (const char *version, const char *title)
{
  g_autoptr (FkCatalog) shipped = fk_catalog_new_default (NULL);
  g_autoptr (GBytes) resource = g_resources_lookup_data ("/vn/fieldkit/core/data/catalog.json",
                                                         G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autofree char *text =
    g_strndup (g_bytes_get_data (resource, NULL), g_bytes_get_size (resource));
  g_autofree char *old_version = g_strdup_printf ("\"%s\"", fk_catalog_get_version (shipped));
  g_autofree char *new_version = g_strdup_printf ("\"%s\"", version);
  g_auto (GStrv) parts = g_strsplit (text, old_version, 2);
  g_autofree char *joined = g_strjoinv (new_version, parts);
  g_auto (GStrv) titled = g_strsplit (joined, "\"Đăng ký khai sinh\"", 2);
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", title);
  char *out = g_strjoinv (quoted, titled);

  return g_bytes_new_take (out, strlen (out));
}

static char *
sign (Fixture *f, GBytes *bytes)
{
  return fk_sync_catalog_sign (f->sign_sk, bytes);
}

static const char *
birth_title (FkCatalog *catalog)
{
  return fk_procedure_get_title (fk_catalog_lookup (catalog, "birth-registration"));
}

static void
test_apply (Fixture *f, gconstpointer data)
{
  g_autoptr (FkCatalog) shipped = fk_catalog_new_default (NULL);
  g_autoptr (FkCatalog) in_use = NULL;
  g_autoptr (GBytes) v2 = catalog_bytes ("2099.1.1", "Khai sinh (v2)");
  g_autofree char *sig = sign (f, v2);
  g_autoptr (GError) error = NULL;
  gboolean applied = FALSE;

  in_use = fk_store_get_catalog (f->store, &error);
  g_assert_cmpstr (fk_catalog_get_version (in_use), ==, fk_catalog_get_version (shipped));
  g_assert_cmpint (fk_store_get_catalog_cursor (f->store), ==, 0);

  g_assert_true (fk_store_apply_catalog (f->store, 7, v2, sig, &applied, &error));
  g_assert_no_error (error);
  g_assert_true (applied);
  g_assert_cmpint (fk_store_get_catalog_cursor (f->store), ==, 7);
  g_clear_object (&in_use);
  in_use = fk_store_get_catalog (f->store, &error);
  g_assert_cmpstr (fk_catalog_get_version (in_use), ==, "2099.1.1");
  g_assert_cmpstr (birth_title (in_use), ==, "Khai sinh (v2)");

  /* Another process (the scheduler's store) sees it, and after a restart. */
  {
    g_autoptr (FkStore) other = fk_store_open (f->dir, FK_STORE_OPEN_SHARED, &error);
    g_autoptr (FkCatalog) seen = fk_store_get_catalog (other, &error);

    g_assert_cmpstr (fk_catalog_get_version (seen), ==, "2099.1.1");
    g_assert_null (fk_store_get_catalog_problem (other));
  }

  /* Not newer: passed over, the cursor moves, nothing else changes. */
  {
    g_autoptr (GBytes) old = catalog_bytes ("2026.1.1", "Khai sinh (old)");
    g_autofree char *old_sig = sign (f, old);
    g_autoptr (FkCatalog) still = NULL;

    g_assert_true (fk_store_apply_catalog (f->store, 9, old, old_sig, &applied, &error));
    g_assert_false (applied);
    g_assert_cmpint (fk_store_get_catalog_cursor (f->store), ==, 9);
    still = fk_store_get_catalog (f->store, &error);
    g_assert_cmpstr (birth_title (still), ==, "Khai sinh (v2)");
  }
  g_assert_true (fk_store_verify_audit (f->store, NULL, NULL, &error));
}

static void
test_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) v2 = catalog_bytes ("2099.1.1", "Khai sinh (v2)");
  g_autofree char *sig = sign (f, v2);
  g_autoptr (GBytes) broken = g_bytes_new_static (BROKEN, strlen (BROKEN));
  g_autofree char *broken_sig = sign (f, broken);
  g_autoptr (GBytes) changed = catalog_bytes ("2099.1.1", "Khai sinh (v3)");
  g_autoptr (GError) error = NULL;
  g_autoptr (FkCatalog) in_use = NULL;
  guint8 other_pk[FK_SYNC_KEY_BYTES], other_sk[FK_SYNC_SECRET_BYTES];
  g_autofree char *other_sig = NULL;
  gboolean applied = TRUE;

  /* No signature, another's, or bytes changed after signing. */
  g_assert_false (fk_store_apply_catalog (f->store, 3, v2, NULL, &applied, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_UNTRUSTED);
  g_assert_false (applied);
  g_clear_error (&error);
  crypto_sign_keypair (other_pk, other_sk);
  other_sig = fk_sync_catalog_sign (other_sk, v2);
  g_assert_false (fk_store_apply_catalog (f->store, 3, v2, other_sig, NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_UNTRUSTED);
  g_clear_error (&error);
  g_assert_false (fk_store_apply_catalog (f->store, 3, changed, sig, NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_UNTRUSTED);
  g_clear_error (&error);
  /* Signed, but not a catalog the device can use: core's message. */
  g_assert_false (fk_store_apply_catalog (f->store, 3, broken, broken_sig, NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "procedures"));
  g_clear_error (&error);
  /* None of them moved anything. */
  g_assert_cmpint (fk_store_get_catalog_cursor (f->store), ==, 0);
  in_use = fk_store_get_catalog (f->store, &error);
  g_assert_cmpstr (birth_title (in_use), ==, "Đăng ký khai sinh");

  /* Without the server's key nothing can be checked: refused. */
  {
    g_autofree char *db_path = g_build_filename (f->dir, FK_STORE_DB_FILE, NULL);
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
    g_assert_cmpint (
      sqlite3_exec (db, "DELETE FROM settings WHERE key = 'server_verify_key'", NULL, NULL, NULL),
      ==, SQLITE_OK);
    sqlite3_close (db);
    g_assert_false (fk_store_apply_catalog (f->store, 3, v2, sig, NULL, &error));
    g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_UNTRUSTED);
    g_assert_nonnull (strstr (error->message, "server.pub"));
  }
}

/* A stored version changed at rest is dropped at load, with its cursor. */
static void
test_damaged_at_rest (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) v2 = catalog_bytes ("2099.1.1", "Khai sinh (v2)");
  g_autofree char *sig = sign (f, v2);
  g_autofree char *db_path = g_build_filename (f->dir, FK_STORE_DB_FILE, NULL);
  g_autoptr (FkStore) other = NULL;
  g_autoptr (FkCatalog) in_use = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *problem = NULL;
  sqlite3 *db = NULL;

  g_assert_true (fk_store_apply_catalog (f->store, 4, v2, sig, NULL, &error));
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "UPDATE catalog SET body = CAST(replace(CAST(body AS TEXT), "
                                 "'Khai sinh (v2)', 'Khai sinh (v9)') AS BLOB)",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  other = fk_store_open (f->dir, FK_STORE_OPEN_SHARED, &error);
  in_use = fk_store_get_catalog (other, &error);
  g_assert_cmpstr (birth_title (in_use), ==, "Đăng ký khai sinh");
  problem = fk_store_get_catalog_problem (other);
  g_assert_nonnull (strstr (problem, "2099.1.1"));
  g_assert_cmpint (fk_store_get_catalog_cursor (other), ==, 0);
  g_assert_true (fk_store_verify_audit (other, NULL, NULL, &error));
}

static void
test_results (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) results =
    g_ptr_array_new_with_free_func ((GDestroyNotify) fk_store_result_free);
  g_autoptr (GPtrArray) listed = NULL;
  g_autoptr (FkStoreResult) one = NULL;
  g_autoptr (GError) error = NULL;

  /* What the protocol does not allow is not a result. */
  g_assert_null (fk_store_result_new ("not-a-uuid", "ready", NULL));
  g_assert_null (fk_store_result_new (FK_TEST_DOSSIER_ID, "Ready; DROP", NULL));
  g_ptr_array_add (results, fk_store_result_new ("5F0C8A57-93D1-4C5E-8F0E-2A3B4C5D6E7F", "ready",
                                                 "2026-11-30T08:00:00Z"));
  g_ptr_array_add (
    results, fk_store_result_new ("6a0c8a57-93d1-4c5e-8f0e-2a3b4c5d6e70", "needs-documents", NULL));
  g_assert_true (fk_store_save_results (f->store, results, 12, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fk_store_get_results_cursor (f->store), ==, 12);
  listed = fk_store_list_results (f->store, &error);
  g_assert_cmpuint (listed->len, ==, 2);
  one = fk_store_get_result (f->store, FK_TEST_DOSSIER_ID);
  g_assert_nonnull (one);
  g_assert_cmpstr (one->status, ==, "ready");
  g_assert_cmpint (one->handed_over, ==, 0);
  g_clear_pointer (&one, fk_store_result_free);

  g_assert_true (fk_store_record_handover (f->store, FK_TEST_DOSSIER_ID, &error));
  one = fk_store_get_result (f->store, FK_TEST_DOSSIER_ID);
  g_assert_cmpint (one->handed_over, >, 0);
  g_assert_false (
    fk_store_record_handover (f->store, "7b0c8a57-93d1-4c5e-8f0e-2a3b4c5d6e71", &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (fk_store_verify_audit (f->store, NULL, NULL, &error));
}

/* Results waiting in a hamlet: the dossiers of that hamlet's visits, not
 * yet handed over; another device's dossiers do not count. */
static void
test_to_hand_over_by_hamlet (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonNode) json = json_from_string (FK_TEST_VISIT_JSON, NULL);
  g_autoptr (FkVisit) visit = fk_visit_new_from_json (json, NULL);
  g_autoptr (FkVisit) other = fk_visit_new ("2026-11-26", "00004", "Bản Khác");
  g_autoptr (GPtrArray) results =
    g_ptr_array_new_with_free_func ((GDestroyNotify) fk_store_result_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *there = NULL;
  g_autofree char *elsewhere = NULL;
  g_autofree char *json_there = NULL;
  g_autofree char *json_elsewhere = NULL;

  g_assert_true (fk_store_unlock (f->store, FK_TEST_PIN, &error));
  g_assert_true (fk_store_save_visit (f->store, visit, &error));
  g_assert_true (fk_store_save_visit (f->store, other, &error));
  json_there =
    g_strdup_printf ("{\"procedure\": \"" FK_TEST_PROCEDURE
                     "\", \"visit_id\": \"%s\", " FK_TEST_CITIZEN_JSON ", " FK_TEST_FIELDS_JSON "}",
                     fk_visit_get_id (visit));
  json_elsewhere =
    g_strdup_printf ("{\"procedure\": \"" FK_TEST_PROCEDURE
                     "\", \"visit_id\": \"%s\", " FK_TEST_CITIZEN_JSON ", " FK_TEST_FIELDS_JSON "}",
                     fk_visit_get_id (other));
  there = fk_test_commit (f->store, f->dir, json_there, 0, 0, NULL, &error);
  g_assert_no_error (error);
  elsewhere = fk_test_commit (f->store, f->dir, json_elsewhere, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_ptr_array_add (results, fk_store_result_new (there, "ready", NULL));
  g_ptr_array_add (results, fk_store_result_new (elsewhere, "ready", NULL));
  g_ptr_array_add (results,
                   fk_store_result_new ("7b0c8a57-93d1-4c5e-8f0e-2a3b4c5d6e71", "ready", NULL));
  g_assert_true (fk_store_save_results (f->store, results, 3, &error));

  /* The hamlet without accents or case, as typed on another day. */
  g_assert_cmpuint (fk_store_count_results_to_hand_over (f->store, "00004", "ban nam cum", &error),
                    ==, 1);
  g_assert_cmpuint (fk_store_count_results_to_hand_over (f->store, "00004", "Bản Khác", &error), ==,
                    1);
  g_assert_cmpuint (fk_store_count_results_to_hand_over (f->store, "00007", "Bản Nậm Củm", &error),
                    ==, 0);
  g_assert_cmpuint (fk_store_count_results_to_hand_over (f->store, NULL, NULL, &error), ==, 2);
  g_assert_true (fk_store_record_handover (f->store, there, &error));
  g_assert_cmpuint (fk_store_count_results_to_hand_over (f->store, "00004", "Bản Nậm Củm", &error),
                    ==, 0);
  g_assert_no_error (error);
  /* The visits are encrypted: locked, a hamlet cannot be told. */
  fk_store_lock (f->store);
  fk_store_count_results_to_hand_over (f->store, "00004", "Bản Khác", &error);
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_LOCKED);
}

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);
  ADD ("/store/pulled/catalog-apply", test_apply);
  ADD ("/store/pulled/catalog-refused", test_refused);
  ADD ("/store/pulled/catalog-damaged-at-rest", test_damaged_at_rest);
  ADD ("/store/pulled/results", test_results);
  ADD ("/store/pulled/to-hand-over-by-hamlet", test_to_hand_over_by_hamlet);
  return g_test_run ();
}
