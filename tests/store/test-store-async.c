/* test-store-async.c: the store's typed seams and its _async calls, as the
 * intake wizard and the pages use them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fk-outbox.h"
#include "fk-store.h"
#include "fk-test-store.h"

typedef struct
{
  char *dir;
  guint8 server_pk[FK_VAULT_PUBLIC_KEY_BYTES];
  guint8 server_sk[FK_VAULT_SECRET_KEY_BYTES];
  char *recovery;
  FkStore *store;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("fk-store-async-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = fk_test_store_create (f->dir, f->server_pk, f->server_sk, &f->recovery);
  g_assert_true (fk_store_unlock (f->store, FK_TEST_PIN, &error));
  g_assert_no_error (error);
}

static void release (FkStore **store);

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  release (&f->store);
  fk_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->recovery);
}

static void
mark_gone (gpointer data)
{
  g_atomic_int_set ((gint *) data, 1);
}

/* Drops the store; a worker thread may hold the last reference of a
 * finished task a moment longer, so wait until the store is finalized
 * (its writer lock released). Its data is cleared after its finalize. */
static void
release (FkStore **store)
{
  gint gone = 0;

  if (*store == NULL)
    return;
  g_object_set_data_full (G_OBJECT (*store), "fk-test-gone", &gone, mark_gone);
  g_clear_object (store);
  while (!g_atomic_int_get (&gone))
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* A restart: the store is opened again and must be unlocked again. */
static void
restart (Fixture *f)
{
  g_autoptr (GError) error = NULL;

  release (&f->store);
  f->store = fk_store_open (f->dir, FK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_false (fk_store_is_unlocked (f->store));
  g_assert_true (fk_store_unlock (f->store, FK_TEST_PIN, &error));
}

static void
got_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

/* Runs the main loop until the _async call handing &@result finished. */
static GAsyncResult *
await (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static GBytes *
photo (guint index, gsize size)
{
  return g_bytes_new_take (fk_test_photo_bytes (index, size), size);
}

static char *
dossier_text (FkDossier *dossier)
{
  g_autoptr (JsonNode) json = fk_dossier_to_json (dossier);

  return json_to_string (json, FALSE);
}

static gboolean
bytes_equal_attachment (FkStoreAttachment *a, FkAttachmentKind kind, const char *name,
                        GBytes *bytes)
{
  return fk_store_attachment_get_kind (a) == kind &&
         g_strcmp0 (fk_store_attachment_get_name (a), name) == 0 &&
         fk_store_attachment_get_bytes (a) != NULL &&
         g_bytes_equal (fk_store_attachment_get_bytes (a), bytes);
}

/* A draft with photos (as bytes and as a stream), a fingerprint template
 * and the wizard's progress comes back byte for byte after a restart, and
 * is sealed under its own id. */
static void
test_draft_resumes_byte_identical (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkDossier) draft = fk_dossier_new (NULL, NULL);
  g_autoptr (FkCitizen) typing = fk_citizen_new ();
  g_autoptr (GBytes) birth = photo (0, 300000);
  g_autoptr (GBytes) household = photo (1, 70000);
  g_autoptr (GBytes) print = photo (2, 4096);
  g_autoptr (GBytes) card =
    g_bytes_new_static ("001099012345||" FK_TEST_NAME, strlen ("001099012345||" FK_TEST_NAME));
  g_autoptr (GInputStream) household_in = g_memory_input_stream_new_from_bytes (household);
  g_autoptr (GPtrArray) attachments = fk_store_attachments_new ();
  g_autoptr (GVariant) progress = NULL;
  g_autoptr (GAsyncResult) saved = NULL;
  g_autoptr (GAsyncResult) resumed = NULL;
  g_autoptr (FkDossier) back = NULL;
  g_autoptr (GPtrArray) back_attachments = NULL;
  g_autoptr (GVariant) back_progress = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *id = g_strdup (fk_dossier_get_id (draft));

  /* Still being typed: a birth date half written, no procedure yet. */
  fk_citizen_set_full_name (typing, FK_TEST_NAME);
  fk_citizen_set_birth_date (typing, "14/03");
  fk_dossier_set_citizen (draft, typing);
  g_ptr_array_add (attachments,
                   fk_store_attachment_new_for_bytes (FK_ATTACHMENT_DOCUMENT, "birth", birth));
  g_ptr_array_add (attachments, fk_store_attachment_new_for_stream (FK_ATTACHMENT_DOCUMENT,
                                                                    "household", household_in));
  g_ptr_array_add (attachments, fk_store_attachment_new_for_bytes (
                                  FK_ATTACHMENT_FINGERPRINT_TEMPLATE, "fingerprint", print));
  progress = g_variant_ref_sink (
    g_variant_new_parsed ("{'step': <'photos'>, 'card': <%@ay>}",
                          g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, card, TRUE)));
  fk_store_save_draft_async (f->store, draft, attachments, progress, NULL, got_result, &saved);
  /* The call took its copies: the caller's array may go at once. */
  g_clear_pointer (&attachments, g_ptr_array_unref);
  g_assert_true (fk_store_save_draft_finish (f->store, await (&saved), &error));
  g_assert_no_error (error);
  before = dossier_text (draft);
  /* A result holds its source: let go of it before the restart. */
  g_clear_object (&saved);

  restart (f);
  fk_store_resume_draft_async (f->store, id, NULL, got_result, &resumed);
  back = fk_store_resume_draft_finish (f->store, await (&resumed), &back_attachments,
                                       &back_progress, &error);
  g_assert_no_error (error);
  after = dossier_text (back);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpstr (fk_dossier_get_id (back), ==, id);
  g_assert_cmpstr (fk_citizen_get_birth_date (fk_dossier_get_citizen (back)), ==, "14/03");
  g_assert_cmpuint (back_attachments->len, ==, 3);
  g_assert_true (
    bytes_equal_attachment (back_attachments->pdata[0], FK_ATTACHMENT_DOCUMENT, "birth", birth));
  g_assert_true (bytes_equal_attachment (back_attachments->pdata[1], FK_ATTACHMENT_DOCUMENT,
                                         "household", household));
  g_assert_true (bytes_equal_attachment (back_attachments->pdata[2],
                                         FK_ATTACHMENT_FINGERPRINT_TEMPLATE, "fingerprint", print));
  g_assert_true (g_variant_equal (back_progress, progress));

  /* Completed and sealed: the same id, one entry, the photo as drafted. */
  {
    g_autoptr (FkDossier) full = fk_test_dossier (FK_TEST_DOSSIER_JSON);
    g_autoptr (GAsyncResult) committed = NULL;
    g_autoptr (GPtrArray) list = NULL;
    g_autoptr (GAsyncResult) loaded = NULL;
    g_autoptr (GBytes) sealed_photo = NULL;
    g_autofree char *sealed = NULL;
    gboolean existed = TRUE;

    fk_dossier_set_procedure (back, fk_dossier_get_procedure (full));
    fk_dossier_set_citizen (back, fk_dossier_get_citizen (full));
    fk_dossier_set_fields (back, fk_dossier_get_fields (full));
    fk_store_commit_dossier_async (f->store, back, back_attachments, TRUE, NULL, got_result,
                                   &committed);
    sealed = fk_store_commit_dossier_finish (f->store, await (&committed), &existed, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (sealed, ==, id);
    g_assert_false (existed);
    list = fk_outbox_list (f->store, FK_OUTBOX_ANY_STATE, &error);
    g_assert_cmpuint (list->len, ==, 1);
    g_assert_cmpint (((FkOutboxEntry *) list->pdata[0])->state, ==, FK_OUTBOX_QUEUED);
    fk_store_load_attachment_async (f->store, id, 0, NULL, got_result, &loaded);
    sealed_photo = fk_store_load_attachment_finish (f->store, await (&loaded), &error);
    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (sealed_photo, birth));
  }

  /* A sealed dossier is no draft any more. */
  g_assert_null (fk_store_resume_draft (f->store, id, NULL, NULL, NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_TRANSITION);
}

/* Saving again replaces the draft whole: fewer photos, other progress. */
static void
test_draft_saved_again (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkDossier) draft = fk_dossier_new ("birth-registration", NULL);
  g_autoptr (GBytes) first = photo (3, 5000);
  g_autoptr (GBytes) second = photo (4, 6000);
  g_autoptr (GPtrArray) attachments = fk_store_attachments_new ();
  g_autoptr (GPtrArray) back_attachments = NULL;
  g_autoptr (GVariant) back_progress = NULL;
  g_autoptr (FkDossier) back = NULL;
  g_autoptr (FkOutboxEntry) entry = NULL;

  g_ptr_array_add (attachments,
                   fk_store_attachment_new_for_bytes (FK_ATTACHMENT_DOCUMENT, "a", first));
  g_ptr_array_add (attachments,
                   fk_store_attachment_new_for_bytes (FK_ATTACHMENT_DOCUMENT, "b", second));
  g_assert_true (fk_store_save_draft (f->store, draft, attachments,
                                      g_variant_new_parsed ("{'step': <'photos'>}"), NULL, &error));
  g_ptr_array_remove_index (attachments, 0);
  g_assert_true (fk_store_save_draft (f->store, draft, attachments, NULL, NULL, &error));
  g_assert_no_error (error);
  back = fk_store_resume_draft (f->store, fk_dossier_get_id (draft), &back_attachments,
                                &back_progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back_attachments->len, ==, 1);
  g_assert_true (
    bytes_equal_attachment (back_attachments->pdata[0], FK_ATTACHMENT_DOCUMENT, "b", second));
  g_assert_null (back_progress);
  entry = fk_outbox_get (f->store, fk_dossier_get_id (draft), &error);
  g_assert_cmpint (entry->state, ==, FK_OUTBOX_DRAFT);
  g_assert_cmpstr (entry->procedure, ==, "birth-registration");

  /* Unknown ids are said so. */
  g_assert_null (fk_store_resume_draft (f->store, FK_TEST_DOSSIER_ID, NULL, NULL, NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_FOUND);
}

/* Attachments as a stream and as bytes are sealed like files; the caller's
 * dossier is left as it was; the same dossier twice is one. */
static void
test_commit_from_stream (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkDossier) dossier = fk_test_dossier (FK_TEST_DOSSIER_JSON);
  g_autoptr (GBytes) page = photo (5, 200000);
  g_autoptr (GBytes) print = photo (6, 3000);
  g_autoptr (GInputStream) in = g_memory_input_stream_new_from_bytes (page);
  g_autoptr (GPtrArray) attachments = fk_store_attachments_new ();
  g_autoptr (GAsyncResult) committed = NULL;
  g_autoptr (GAsyncResult) again = NULL;
  g_autoptr (GAsyncResult) read = NULL;
  g_autoptr (FkDossier) back = NULL;
  g_autofree char *id = NULL;
  g_autofree char *second = NULL;
  g_autofree char *before = dossier_text (dossier);
  g_autofree char *after = NULL;
  gboolean existed = TRUE;

  g_ptr_array_add (attachments,
                   fk_store_attachment_new_for_stream (FK_ATTACHMENT_DOCUMENT, "page", in));
  g_ptr_array_add (attachments,
                   fk_store_attachment_new_for_bytes (FK_ATTACHMENT_FINGERPRINT, NULL, print));
  fk_store_commit_dossier_async (f->store, dossier, attachments, FALSE, NULL, got_result,
                                 &committed);
  id = fk_store_commit_dossier_finish (f->store, await (&committed), &existed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, fk_dossier_get_id (dossier));
  g_assert_false (existed);
  after = dossier_text (dossier);
  g_assert_cmpstr (after, ==, before);

  fk_store_read_dossier_async (f->store, id, NULL, got_result, &read);
  back = fk_store_read_dossier_finish (f->store, await (&read), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fk_dossier_get_attachments (back)->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      FkAttachment *a = g_ptr_array_index (fk_dossier_get_attachments (back), i);
      GBytes *expected = i == 0 ? page : print;
      g_autoptr (GAsyncResult) loaded = NULL;
      g_autoptr (GBytes) bytes = NULL;
      g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, expected);

      g_assert_cmpint (a->kind, ==, i == 0 ? FK_ATTACHMENT_DOCUMENT : FK_ATTACHMENT_FINGERPRINT);
      g_assert_cmpint (a->size, ==, (gint64) g_bytes_get_size (expected));
      g_assert_cmpstr (a->sha256, ==, sum);
      /* Named by its part file, as the upload manifest names it. */
      g_assert_true (g_str_has_suffix (a->name, ".fkf"));
      fk_store_load_attachment_async (f->store, id, i, NULL, got_result, &loaded);
      bytes = fk_store_load_attachment_finish (f->store, await (&loaded), &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (bytes, expected));
    }

  fk_store_commit_dossier_async (f->store, dossier, NULL, FALSE, NULL, got_result, &again);
  second = fk_store_commit_dossier_finish (f->store, await (&again), &existed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second, ==, id);
  g_assert_true (existed);
  g_assert_cmpuint (fk_test_count_parts (f->dir), ==, 3);
}

static char *
commit_named (Fixture *f, const char *name, const char *id_number)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkDossier) dossier = fk_test_dossier (FK_TEST_DOSSIER_JSON);
  g_autoptr (FkCitizen) citizen = fk_citizen_new ();
  char *id;

  fk_citizen_set_full_name (citizen, name);
  fk_citizen_set_id_number (citizen, id_number);
  fk_dossier_set_citizen (dossier, citizen);
  id = fk_store_commit_dossier (f->store, dossier, NULL, TRUE, NULL, NULL, &error);
  g_assert_no_error (error);
  return id;
}

static GPtrArray *
find (Fixture *f, const char *query, GCancellable *cancellable, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  fk_store_find_dossiers_async (f->store, query, cancellable, got_result, &result);
  return fk_store_find_dossiers_finish (f->store, await (&result), error);
}

/* The handover page's search: a name without accents or case finds the
 * citizen's sealed dossiers, decrypted in the store's worker thread;
 * drafts and purged dossiers are not found; digits go by the ID number. */
static void
test_find_by_name_async (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) receipt = g_bytes_new_static ("r", 1);
  g_autofree char *a = commit_named (f, "Phạm Minh Nga", "001099012345");
  g_autofree char *other = commit_named (f, "Lò Văn Khánh", "011195866217");
  g_autofree char *b = commit_named (f, "Phạm Minh Ngà", "001099012345");
  g_autofree char *gone = commit_named (f, "Phạm Minh Nga", "001099012345");
  g_autoptr (FkDossier) draft = fk_test_dossier (FK_TEST_DOSSIER_JSON);
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GCancellable) cancelled = g_cancellable_new ();

  fk_citizen_set_full_name (fk_dossier_get_citizen (draft), "Phạm Minh Nga");
  g_assert_true (fk_store_save_draft (f->store, draft, NULL, NULL, NULL, &error));
  g_assert_true (fk_outbox_transition (f->store, gone, FK_OUTBOX_UPLOADING, NULL, NULL, &error));
  g_assert_true (fk_outbox_transition (f->store, gone, FK_OUTBOX_DELIVERED, NULL, receipt, &error));
  g_assert_true (fk_store_purge_delivered (f->store, 0, NULL, &error));
  g_assert_no_error (error);

  found = find (f, "pham minh NGA", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (fk_dossier_get_id (found->pdata[0]), ==, a);
  g_assert_cmpstr (fk_dossier_get_id (found->pdata[1]), ==, b);
  g_assert_cmpstr (fk_citizen_get_full_name (fk_dossier_get_citizen (found->pdata[1])), ==,
                   "Phạm Minh Ngà");
  g_clear_pointer (&found, g_ptr_array_unref);

  found = find (f, "0111 9586 6217", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (fk_dossier_get_id (found->pdata[0]), ==, other);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = find (f, "nobody", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  g_cancellable_cancel (cancelled);
  g_assert_null (find (f, "pham", cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  fk_store_lock (f->store);
  g_assert_null (find (f, "pham", NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_LOCKED);
}

static GError *
unlock_async (Fixture *f, const char *pin)
{
  g_autoptr (GAsyncResult) result = NULL;
  GError *error = NULL;

  fk_store_unlock_async (f->store, pin, NULL, got_result, &result);
  if (fk_store_unlock_finish (f->store, await (&result), &error))
    g_assert_null (error);
  return error;
}

/* What the unlock page decides on: the store's domain and codes for a
 * wrong PIN, a wait and the lock-out, never the message. */
static void
test_pin_errors_async (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  /* 3 tries, 1 without delay, then 600 s. */
  g_assert_true (fk_store_set_pin_policy (f->store, 3, 1, 600, &error));
  restart (f);
  fk_store_lock (f->store);
  error = unlock_async (f, "0000");
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_WRONG_PIN);
  g_clear_error (&error);
  fk_test_rewind_pin_clock (f->store);
  error = unlock_async (f, "0001");
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_WRONG_PIN);
  g_clear_error (&error);
  error = unlock_async (f, FK_TEST_PIN);
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_PIN_DELAY);
  g_clear_error (&error);
  g_assert_false (fk_store_is_unlocked (f->store));
  fk_test_rewind_pin_clock (f->store);
  error = unlock_async (f, "0002");
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_PIN_LOCKED);
  g_clear_error (&error);
  error = unlock_async (f, FK_TEST_PIN);
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_PIN_LOCKED);
  g_clear_error (&error);
  g_assert_false (fk_store_is_unlocked (f->store));

  /* The recovery code reopens it. */
  g_assert_true (fk_store_reset_pin (f->store, f->recovery, "9753", &error));
  g_assert_no_error (error);
  fk_store_lock (f->store);
  error = unlock_async (f, "9753");
  g_assert_no_error (error);
  g_assert_true (fk_store_is_unlocked (f->store));
}

/* The set-up page's creation: in a worker thread, unlocked at once, with
 * the recovery code once; never over an existing store. */
static void
test_create_async (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fk-create-XXXXXX", NULL);
  guint8 pk[FK_VAULT_PUBLIC_KEY_BYTES], sk[FK_VAULT_SECRET_KEY_BYTES];
  FkStoreInitOptions options = { pk, NULL, 1, 8192 };
  g_autofree char *pin = g_strdup (FK_TEST_PIN);
  g_autoptr (GAsyncResult) created = NULL;
  g_autoptr (GAsyncResult) again = NULL;
  g_autoptr (FkStore) store = NULL;
  g_autofree char *recovery = NULL;
  g_autofree char *id = NULL;

  fk_vault_server_keypair_new (pk, sk);
  options.pin = pin;
  fk_store_create_async (dir, &options, NULL, got_result, &created);
  /* Copied before the call returned. */
  memset (pin, 'x', strlen (pin));
  store = fk_store_create_finish (await (&created), &recovery, &error);
  g_assert_no_error (error);
  g_assert_true (fk_store_is_unlocked (store));
  g_assert_true (g_regex_match_simple ("^[0-9a-f]{4}(-[0-9a-f]{4}){7}$", recovery, 0, 0));
  id = fk_test_commit (store, dir, FK_TEST_DOSSIER_JSON, 1, 1000, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&created);
  release (&store);

  store = fk_store_open (dir, FK_STORE_OPEN_DEFAULT, &error);
  g_assert_true (fk_store_unlock (store, FK_TEST_PIN, &error));
  g_assert_true (fk_store_check_recovery_code (store, recovery, &error));
  g_assert_no_error (error);
  release (&store);

  fk_store_create_async (dir, &options, NULL, got_result, &again);
  g_assert_null (fk_store_create_finish (await (&again), NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_FAILED);
  fk_test_rm_rf (dir);
}

/* The day's visit, read back in a worker thread after a restart. */
static void
test_visit_async (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkVisit) visit = fk_visit_new ("2026-11-24", "00004", "Bản Nậm Củm");
  g_autoptr (GAsyncResult) loaded = NULL;
  g_autoptr (GAsyncResult) missing = NULL;
  g_autoptr (FkVisit) back = NULL;
  g_autoptr (JsonNode) before = NULL;
  g_autoptr (JsonNode) after = NULL;

  fk_visit_add_team_member (visit, FK_TEST_TEAM_MEMBER);
  g_assert_true (fk_store_save_visit (f->store, visit, &error));
  restart (f);
  fk_store_load_visit_async (f->store, fk_visit_get_id (visit), NULL, got_result, &loaded);
  back = fk_store_load_visit_finish (f->store, await (&loaded), &error);
  g_assert_no_error (error);
  before = fk_visit_to_json (visit);
  after = fk_visit_to_json (back);
  g_assert_true (json_node_equal (before, after));

  fk_store_load_visit_async (f->store, FK_TEST_VISIT_ID, NULL, got_result, &missing);
  g_assert_null (fk_store_load_visit_finish (f->store, await (&missing), &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_FOUND);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store-async/draft-resumes-byte-identical", test_draft_resumes_byte_identical);
  ADD ("/store-async/draft-saved-again", test_draft_saved_again);
  ADD ("/store-async/commit-from-stream", test_commit_from_stream);
  ADD ("/store-async/find-by-name", test_find_by_name_async);
  ADD ("/store-async/pin-errors", test_pin_errors_async);
  ADD ("/store-async/visit", test_visit_async);
  g_test_add_func ("/store-async/create", test_create_async);
  return g_test_run ();
}
