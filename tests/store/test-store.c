/* test-store.c: the sealed store as the team uses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
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

  f->dir = g_dir_make_tmp ("fk-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = fk_test_store_create (f->dir, f->server_pk, f->server_sk, &f->recovery);
  g_assert_true (fk_store_unlock (f->store, FK_TEST_PIN, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  fk_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->recovery);
}

static void
reopen (Fixture *f)
{
  g_autoptr (GError) error = NULL;

  g_clear_object (&f->store);
  f->store = fk_store_open (f->dir, FK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
}

static char *
commit (Fixture *f, const char *json, guint n_photos, gboolean *existed)
{
  g_autoptr (GError) error = NULL;
  char *id = fk_test_commit (f->store, f->dir, json, n_photos, 4096, existed, &error);

  g_assert_no_error (error);
  return id;
}

/* (transfer full): a dossier still being filled in, as a draft holds it. */
static FkDossier *
partial_dossier (const char *json)
{
  g_autoptr (JsonNode) node = json_from_string (json, NULL);
  g_autoptr (GError) error = NULL;
  FkDossier *dossier = fk_dossier_new_incomplete_from_json (node, &error);

  g_assert_no_error (error);
  return dossier;
}

static void
test_commit_and_read (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = commit (f, FK_TEST_DOSSIER_JSON, 2, NULL);
  g_autoptr (FkDossier) dossier = NULL;
  g_autoptr (GPtrArray) parts = NULL;
  GPtrArray *attachments;

  g_assert_true (g_uuid_string_is_valid (id));
  reopen (f);
  /* Reading needs the PIN again after a restart. */
  g_assert_null (fk_store_read_dossier (f->store, id, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_true (fk_store_unlock (f->store, FK_TEST_PIN, &error));

  dossier = fk_store_read_dossier (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fk_dossier_get_id (dossier), ==, id);
  g_assert_cmpstr (fk_citizen_get_full_name (fk_dossier_get_citizen (dossier)), ==, FK_TEST_NAME);
  attachments = fk_dossier_get_attachments (dossier);
  g_assert_cmpuint (attachments->len, ==, 2);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
      g_autoptr (GBytes) bytes = NULL;
      g_autofree guint8 *expected = fk_test_photo_bytes (i, 4096);
      FkAttachment *a = g_ptr_array_index (attachments, i);
      FkVaultFileInfo info;

      g_assert_true (fk_store_read_attachment (f->store, id, i, out, &info, NULL, &error));
      g_assert_no_error (error);
      g_output_stream_close (out, NULL, NULL);
      bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
      g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected, 4096);
      g_assert_cmpstr (a->sha256, ==, info.plain_sha256);
    }

  parts = fk_outbox_list_parts (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parts->len, ==, 3);
  g_assert_cmpstr (((FkOutboxPart *) parts->pdata[0])->kind, ==, FK_OUTBOX_PART_DOSSIER);
  g_assert_cmpstr (((FkOutboxPart *) parts->pdata[1])->kind, ==, "document");
  for (guint i = 0; i < parts->len; i++)
    {
      FkOutboxPart *part = parts->pdata[i];
      g_autofree char *contents = NULL;
      g_autofree char *sum = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (part->path, &contents, &len, NULL));
      g_assert_cmpuint (len, ==, part->size);
      sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
      g_assert_cmpstr (sum, ==, part->sha256);
    }

  /* The server opens the dossier blob with its secret key. */
  {
    FkOutboxPart *blob_part = parts->pdata[0];
    g_autofree char *contents = NULL;
    gsize len;
    g_autoptr (GBytes) blob = NULL;
    g_autoptr (GBytes) plain = NULL;

    g_assert_true (g_file_get_contents (blob_part->path, &contents, &len, NULL));
    blob = g_bytes_new (contents, len);
    plain =
      fk_vault_open_dossier_with_server_key (blob, id, f->server_pk, f->server_sk, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (g_bytes_get_data (plain, NULL), FK_TEST_NAME));
  }
}

static void
test_same_id_twice (Fixture *f, gconstpointer data)
{
  gboolean existed = TRUE;
  g_autofree char *a = commit (f, FK_TEST_DOSSIER_JSON_WITH_ID, 1, &existed);
  g_autofree char *b = NULL;
  g_autoptr (GPtrArray) list = NULL;

  g_assert_false (existed);
  g_assert_cmpstr (a, ==, FK_TEST_DOSSIER_ID);
  reopen (f);
  g_assert_true (fk_store_unlock (f->store, FK_TEST_PIN, NULL));
  b = commit (f, FK_TEST_DOSSIER_JSON_WITH_ID, 1, &existed);
  g_assert_true (existed);
  g_assert_cmpstr (a, ==, b);
  list = fk_outbox_list (f->store, FK_OUTBOX_ANY_STATE, NULL);
  g_assert_cmpuint (list->len, ==, 1);
  /* The second try left no sealed files behind. */
  g_assert_cmpuint (fk_test_count_parts (f->dir), ==, 2);
}

static void
test_bad_input (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (FkDossier) dossier = fk_test_dossier (FK_TEST_DOSSIER_JSON);
  g_autoptr (GPtrArray) attachments = fk_store_attachments_new ();
  g_autoptr (GFile) missing = g_file_new_for_path ("/nonexistent/photo.jpg");
  char *id;

  g_ptr_array_add (attachments,
                   fk_store_attachment_new_for_file (FK_ATTACHMENT_DOCUMENT, NULL, missing));
  id = fk_store_commit_dossier (f->store, dossier, attachments, TRUE, NULL, NULL, &error);
  g_assert_null (id);
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "/nonexistent/photo.jpg"));
  g_clear_error (&error);

  fk_dossier_set_procedure (dossier, NULL);
  g_assert_null (fk_store_commit_dossier (f->store, dossier, NULL, TRUE, NULL, NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT);

  list = fk_outbox_list (f->store, FK_OUTBOX_ANY_STATE, NULL);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_cmpuint (fk_test_count_parts (f->dir), ==, 0);
}

static void
test_outbox_state_machine (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = commit (f, FK_TEST_DOSSIER_JSON, 0, NULL);
  g_autoptr (GBytes) receipt = g_bytes_new_static ("signed-receipt", 14);
  g_autoptr (GBytes) got = NULL;
  g_autoptr (FkOutboxEntry) entry = NULL;
  g_autoptr (GPtrArray) queued = NULL;
  g_autoptr (GPtrArray) quarantined = NULL;

  queued = fk_outbox_list (f->store, FK_OUTBOX_QUEUED, &error);
  g_assert_cmpuint (queued->len, ==, 1);

  /* Not allowed: skipping uploading, delivering without a receipt,
   * quarantine without a reason. */
  g_assert_false (fk_outbox_transition (f->store, id, FK_OUTBOX_DELIVERED, NULL, receipt, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  g_assert_true (fk_outbox_transition (f->store, id, FK_OUTBOX_UPLOADING, NULL, NULL, &error));
  g_assert_false (fk_outbox_transition (f->store, id, FK_OUTBOX_DELIVERED, NULL, NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (fk_outbox_transition (f->store, id, FK_OUTBOX_QUARANTINED, NULL, NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* A failed attempt goes back to the queue, a rejection to quarantine,
   * a retry back to the queue, then delivery. */
  g_assert_true (fk_outbox_transition (f->store, id, FK_OUTBOX_QUEUED, NULL, NULL, &error));
  g_assert_true (fk_outbox_transition (f->store, id, FK_OUTBOX_UPLOADING, NULL, NULL, &error));
  g_assert_true (
    fk_outbox_transition (f->store, id, FK_OUTBOX_QUARANTINED, "bad-signature", NULL, &error));
  quarantined = fk_outbox_list (f->store, FK_OUTBOX_QUARANTINED, &error);
  g_assert_cmpuint (quarantined->len, ==, 1);
  g_assert_cmpstr (((FkOutboxEntry *) quarantined->pdata[0])->reason, ==, "bad-signature");
  g_assert_true (fk_outbox_transition (f->store, id, FK_OUTBOX_QUEUED, NULL, NULL, &error));
  g_assert_true (fk_outbox_transition (f->store, id, FK_OUTBOX_UPLOADING, NULL, NULL, &error));
  g_assert_true (fk_outbox_transition (f->store, id, FK_OUTBOX_DELIVERED, NULL, receipt, &error));
  g_assert_no_error (error);
  g_assert_false (fk_outbox_transition (f->store, id, FK_OUTBOX_QUEUED, NULL, NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  entry = fk_outbox_get (f->store, id, &error);
  g_assert_cmpint (entry->state, ==, FK_OUTBOX_DELIVERED);
  g_assert_cmpuint (entry->attempts, ==, 3);
  g_assert_null (entry->reason);
  got = fk_outbox_get_receipt (f->store, id, &error);
  g_assert_true (g_bytes_equal (got, receipt));
  g_assert_true (fk_store_verify_audit (f->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* A quarantined dossier given up: only from quarantine, audited, and
 * nothing of its content is left on disk. */
static void
test_discard_quarantined (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = commit (f, FK_TEST_DOSSIER_JSON, 2, NULL);
  g_autofree char *other = commit (f, FK_TEST_DOSSIER_JSON, 1, NULL);
  g_autoptr (GPtrArray) parts = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (FkOutboxEntry) entry = NULL;
  g_autofree char *audit = NULL;
  g_autofree char *citizen = NULL;
  g_autofree char *key = NULL;

  /* Not from queued, uploading or delivered. */
  g_assert_false (fk_outbox_transition (f->store, id, FK_OUTBOX_DISCARDED, NULL, NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  g_assert_true (fk_outbox_transition (f->store, id, FK_OUTBOX_UPLOADING, NULL, NULL, &error));
  g_assert_false (fk_outbox_transition (f->store, id, FK_OUTBOX_DISCARDED, NULL, NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  g_assert_true (
    fk_outbox_transition (f->store, id, FK_OUTBOX_QUARANTINED, "bad-signature", NULL, &error));
  parts = fk_outbox_list_parts (f->store, id, &error);
  g_assert_cmpuint (parts->len, ==, 3);
  g_assert_cmpuint (fk_test_count_parts (f->dir), ==, 5);

  g_assert_true (fk_outbox_transition (f->store, id, FK_OUTBOX_DISCARDED, NULL, NULL, &error));
  g_assert_no_error (error);
  /* Its three files are gone, the other dossier's two stay. */
  g_assert_cmpuint (fk_test_count_parts (f->dir), ==, 2);
  for (guint i = 0; i < parts->len; i++)
    g_assert_false (
      g_file_test (((FkOutboxPart *) g_ptr_array_index (parts, i))->path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&parts, g_ptr_array_unref);
  parts = fk_outbox_list_parts (f->store, id, &error);
  g_assert_cmpuint (parts->len, ==, 0);
  g_assert_null (fk_store_read_dossier (f->store, id, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Kept: id, procedure, dates, reason; the ID-number link is gone. */
  entry = fk_outbox_get (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (entry->state, ==, FK_OUTBOX_DISCARDED);
  g_assert_cmpstr (entry->procedure, ==, FK_TEST_PROCEDURE);
  g_assert_cmpstr (entry->reason, ==, "bad-signature");
  found = fk_store_find_by_id_number (f->store, FK_TEST_ID_NUMBER, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (found->pdata[0], ==, other);

  /* An end state: no retry, no second discard. */
  g_assert_false (fk_outbox_transition (f->store, id, FK_OUTBOX_QUEUED, NULL, NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  g_assert_false (fk_outbox_transition (f->store, id, FK_OUTBOX_DISCARDED, NULL, NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  g_assert_true (fk_store_verify_audit (f->store, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&f->store);
  audit = fk_test_sql_string (
    f->dir, "SELECT detail FROM audit WHERE action = 'state' ORDER BY seq DESC LIMIT 1");
  g_assert_cmpstr (audit, ==, "quarantined>discarded");
  key = fk_test_sql_string (f->dir, "SELECT count(*) FROM dossiers WHERE wrapped_key IS NULL "
                                    "AND blob_name IS NULL AND citizen_id IS NULL");
  g_assert_cmpstr (key, ==, "1");
  citizen = fk_test_sql_string (f->dir, "SELECT count(*) FROM citizens");
  g_assert_cmpstr (citizen, ==, "1");
  reopen (f);
}

/* The identity is saved before the procedure is chosen; an abandoned draft
 * can be deleted, a sealed dossier cannot. */
static void
test_draft_without_procedure (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkDossier) partial =
    partial_dossier ("{\"citizen\": {\"full_name\": \"" FK_TEST_NAME "\"}}");
  g_autoptr (FkDossier) read = NULL;
  g_autoptr (FkOutboxEntry) entry = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autofree char *id = g_strdup (fk_dossier_get_id (partial));
  g_autofree char *sealed = NULL;
  g_autofree char *audit = NULL;

  g_assert_true (fk_store_save_draft (f->store, partial, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  entry = fk_outbox_get (f->store, id, &error);
  g_assert_cmpint (entry->state, ==, FK_OUTBOX_DRAFT);
  g_assert_cmpstr (entry->procedure, ==, "");
  reopen (f);
  g_assert_true (fk_store_unlock (f->store, FK_TEST_PIN, NULL));
  read = fk_store_read_dossier (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fk_citizen_get_full_name (fk_dossier_get_citizen (read)), ==, FK_TEST_NAME);
  /* Sealing still needs the procedure. */
  g_assert_null (fk_store_commit_dossier (f->store, read, NULL, TRUE, NULL, NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_true (fk_store_delete_draft (f->store, id, &error));
  g_assert_no_error (error);
  all = fk_outbox_list (f->store, FK_OUTBOX_ANY_STATE, &error);
  g_assert_cmpuint (all->len, ==, 0);
  g_assert_false (fk_store_delete_draft (f->store, id, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  sealed = commit (f, FK_TEST_DOSSIER_JSON, 0, NULL);
  g_assert_false (fk_store_delete_draft (f->store, sealed, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  g_assert_true (fk_store_verify_audit (f->store, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&f->store);
  audit = fk_test_sql_string (f->dir, "SELECT count(*) FROM audit WHERE action = 'delete-draft'");
  g_assert_cmpstr (audit, ==, "1");
  reopen (f);
}

static void
test_purge_keeps_handover (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = commit (f, FK_TEST_DOSSIER_JSON, 2, NULL);
  g_autofree char *other = commit (f, FK_TEST_DOSSIER_JSON, 1, NULL);
  g_autoptr (GBytes) receipt = g_bytes_new_static ("r", 1);
  g_autoptr (GBytes) kept = NULL;
  g_autoptr (GPtrArray) parts = NULL;
  g_autoptr (GPtrArray) found = NULL;
  guint purged = 99;

  g_assert_true (fk_outbox_transition (f->store, id, FK_OUTBOX_UPLOADING, NULL, NULL, &error));
  g_assert_true (fk_outbox_transition (f->store, id, FK_OUTBOX_DELIVERED, NULL, receipt, &error));
  /* Not yet old enough. */
  g_assert_true (fk_store_purge_delivered (f->store, 3600, &purged, &error));
  g_assert_cmpuint (purged, ==, 0);
  g_assert_cmpuint (fk_test_count_parts (f->dir), ==, 5);

  g_assert_true (fk_store_purge_delivered (f->store, 0, &purged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (purged, ==, 1);
  g_assert_cmpuint (fk_test_count_parts (f->dir), ==, 2);
  parts = fk_outbox_list_parts (f->store, id, &error);
  g_assert_cmpuint (parts->len, ==, 0);
  g_assert_null (fk_store_read_dossier (f->store, id, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Handover still finds both dossiers by ID number, with the receipt. */
  found = fk_store_find_by_id_number (f->store, "001 099 012 345", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (found->pdata[0], ==, id);
  g_assert_cmpstr (found->pdata[1], ==, other);
  kept = fk_outbox_get_receipt (f->store, id, &error);
  g_assert_true (g_bytes_equal (kept, receipt));
  g_assert_true (fk_store_verify_audit (f->store, NULL, NULL, &error));
}

static void
test_orphans_cleaned (Fixture *f, gconstpointer data)
{
  g_autofree char *id = commit (f, FK_TEST_DOSSIER_JSON, 1, NULL);
  g_autofree char *tmp = g_build_filename (f->dir, "parts", ".tmp-0123", NULL);
  g_autofree char *orphan = g_build_filename (f->dir, "parts", "00ff.fkf", NULL);
  g_autoptr (FkDossier) node = NULL;

  g_assert_true (g_file_set_contents (tmp, "x", 1, NULL));
  g_assert_true (g_file_set_contents (orphan, "y", 1, NULL));
  g_assert_cmpuint (fk_test_count_parts (f->dir), ==, 4);
  reopen (f);
  g_assert_cmpuint (fk_test_count_parts (f->dir), ==, 2);
  g_assert_true (fk_store_unlock (f->store, FK_TEST_PIN, NULL));
  node = fk_store_read_dossier (f->store, id, NULL);
  g_assert_nonnull (node);
}

static void
test_one_writer (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkStore) second = fk_store_open (f->dir, FK_STORE_OPEN_DEFAULT, &error);
  g_autoptr (FkStore) shared = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autofree char *id = NULL;

  g_assert_null (second);
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_BUSY);
  g_clear_error (&error);
  shared = fk_store_open (f->dir, FK_STORE_OPEN_SHARED, &error);
  g_assert_no_error (error);
  id = commit (f, FK_TEST_DOSSIER_JSON, 0, NULL);
  list = fk_outbox_list (shared, FK_OUTBOX_ANY_STATE, &error);
  g_assert_cmpuint (list->len, ==, 1);
  /* The shared opener reads and moves the outbox, but never saves dossiers. */
  g_assert_true (fk_store_unlock (shared, FK_TEST_PIN, &error));
  g_assert_null (fk_test_commit (shared, f->dir, FK_TEST_DOSSIER_JSON, 0, 0, NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_true (fk_outbox_transition (shared, id, FK_OUTBOX_UPLOADING, NULL, NULL, &error));
}

static void
test_not_initialized (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fk-empty-XXXXXX", NULL);
  g_autoptr (FkStore) store = fk_store_open (dir, FK_STORE_OPEN_DEFAULT, &error);

  g_assert_null (store);
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_NOT_INITIALIZED);
  g_assert_nonnull (strstr (error->message, "init"));
  fk_test_rm_rf (dir);
}

static void
test_init_twice (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FkStoreInitOptions options = { f->server_pk, "9999", 1, 8192 };
  g_autoptr (FkStore) again = NULL;

  g_clear_object (&f->store);
  again = fk_store_create (f->dir, &options, NULL, &error);
  g_assert_null (again);
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_FAILED);
  g_clear_error (&error);
  reopen (f);
  g_assert_true (fk_store_unlock (f->store, FK_TEST_PIN, NULL));

  /* Not even a store this FieldKit cannot read is overwritten. */
  g_clear_object (&f->store);
  fk_test_sql (f->dir, "PRAGMA user_version = 99");
  g_assert_null (fk_store_create (f->dir, &options, NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_FAILED);
  g_clear_error (&error);
  fk_test_sql (f->dir, "PRAGMA user_version = 5");
  reopen (f);
}

/* A set-up killed before its commit left a database without keys: init
 * may simply run again. */
static void
test_init_after_cut (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fk-cut-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, FK_STORE_DB_FILE, NULL);
  guint8 pk[FK_VAULT_PUBLIC_KEY_BYTES], sk[FK_VAULT_SECRET_KEY_BYTES];
  FkStoreInitOptions options = { pk, FK_TEST_PIN, 1, 8192 };
  g_autoptr (FkStore) store = NULL;

  fk_vault_server_keypair_new (pk, sk);
  g_assert_true (g_file_set_contents (db, "", 0, NULL));
  store = fk_store_create (dir, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (fk_store_unlock (store, FK_TEST_PIN, &error));
  g_clear_object (&store);
  fk_test_rm_rf (dir);
}

/* PIN lock-out and delays survive restarts; the recovery code resets. */
static void
test_pin_lockout (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = commit (f, FK_TEST_DOSSIER_JSON, 0, NULL);
  g_autoptr (FkDossier) node = NULL;

  /* 5 tries, 2 without delay, then 600 s doubling. */
  g_assert_true (fk_store_set_pin_policy (f->store, 5, 2, 600, &error));
  reopen (f);
  g_assert_false (fk_store_unlock (f->store, "0000", &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_WRONG_PIN);
  g_clear_error (&error);
  g_assert_false (fk_store_unlock (f->store, "0001", &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_WRONG_PIN);
  g_assert_nonnull (strstr (error->message, "600"));
  g_clear_error (&error);

  /* A restart does not clear the delay: even the right PIN must wait. */
  reopen (f);
  g_assert_cmpuint (fk_store_get_pin_failures (f->store, NULL), ==, 2);
  g_assert_cmpint (fk_store_get_pin_wait (f->store, NULL), >, 500);
  g_assert_false (fk_store_unlock (f->store, FK_TEST_PIN, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_PIN_DELAY);
  g_clear_error (&error);
  g_assert_false (fk_store_is_unlocked (f->store));

  /* Three more wrong PINs (waits skipped by rewinding the clock record)
   * lock the vault until the administrator resets it. */
  for (int i = 0; i < 3; i++)
    {
      fk_test_rewind_pin_clock (f->store);
      g_assert_false (fk_store_unlock (f->store, "1111", &error));
      g_assert_true (error->code == FK_STORE_ERROR_WRONG_PIN ||
                     error->code == FK_STORE_ERROR_PIN_LOCKED);
      g_clear_error (&error);
    }
  reopen (f);
  fk_test_rewind_pin_clock (f->store);
  g_assert_cmpint (fk_store_get_pin_wait (f->store, NULL), ==, G_MAXINT64);
  g_assert_false (fk_store_unlock (f->store, FK_TEST_PIN, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_PIN_LOCKED);
  g_clear_error (&error);

  g_assert_false (fk_store_reset_pin (f->store, "0000-1111", "4321", &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_WRONG_PIN);
  g_clear_error (&error);
  g_assert_true (fk_store_reset_pin (f->store, f->recovery, "4321", &error));
  g_assert_no_error (error);
  reopen (f);
  g_assert_false (fk_store_unlock (f->store, FK_TEST_PIN, &error));
  g_clear_error (&error);
  g_assert_true (fk_store_unlock (f->store, "4321", &error));
  g_assert_no_error (error);
  /* The data sealed before the reset is still readable. */
  node = fk_store_read_dossier (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_true (fk_store_verify_audit (f->store, NULL, NULL, &error));
}

static void
test_tamper_audit (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *a = commit (f, FK_TEST_DOSSIER_JSON, 0, NULL);
  g_autofree char *b = commit (f, FK_TEST_DOSSIER_JSON, 0, NULL);
  guint64 n = 0;
  gint64 bad = 0;

  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_true (fk_store_verify_audit (f->store, &bad, &n, &error));
  g_assert_cmpuint (n, ==, 5); /* init, create + queue twice */
  g_clear_object (&f->store);

  fk_test_sql (f->dir, "UPDATE audit SET detail = 'other' WHERE seq = 4");
  reopen (f);
  g_assert_false (fk_store_verify_audit (f->store, &bad, NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_CORRUPT);
  g_assert_cmpint (bad, ==, 4);
  g_assert_nonnull (strstr (error->message, "4"));
  g_clear_error (&error);
  g_clear_object (&f->store);

  /* Removing an entry is found too. */
  fk_test_sql (f->dir, "UPDATE audit SET detail = (SELECT detail FROM audit WHERE seq = 2) "
                       "WHERE seq = 4;"
                       "DELETE FROM audit WHERE seq = 2");
  reopen (f);
  g_assert_false (fk_store_verify_audit (f->store, &bad, NULL, &error));
  g_assert_cmpint (bad, ==, 2);
}

static void
test_tamper_sealed (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = commit (f, FK_TEST_DOSSIER_JSON, 1, NULL);
  g_autoptr (GPtrArray) parts = fk_outbox_list_parts (f->store, id, &error);
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();

  fk_test_flip_byte (((FkOutboxPart *) parts->pdata[0])->path, 200);
  fk_test_flip_byte (((FkOutboxPart *) parts->pdata[1])->path, 300);
  g_assert_null (fk_store_read_dossier (f->store, id, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_false (fk_store_read_attachment (f->store, id, 0, out, NULL, NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_CORRUPT);
}

static void
commit_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  char **out = user_data;
  g_autoptr (GError) error = NULL;

  *out = fk_store_commit_dossier_finish (FK_STORE (source), result, NULL, &error);
  g_assert_no_error (error);
}

static void
test_commit_async (Fixture *f, gconstpointer data)
{
  g_autoptr (FkDossier) dossier = fk_test_dossier (FK_TEST_DOSSIER_JSON);
  g_autofree char *id = NULL;
  g_autoptr (FkOutboxEntry) entry = NULL;

  fk_store_commit_dossier_async (f->store, dossier, NULL, FALSE, NULL, commit_done, &id);
  while (id == NULL)
    g_main_context_iteration (NULL, TRUE);
  entry = fk_outbox_get (f->store, id, NULL);
  g_assert_cmpint (entry->state, ==, FK_OUTBOX_SEALED);
}

static void
test_draft_then_seal (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkDossier) partial = partial_dossier (
    "{\"id\": \"" FK_TEST_DOSSIER_ID "\", \"procedure\": \"" FK_TEST_PROCEDURE "\", "
    "\"citizen\": {\"full_name\": \"" FK_TEST_NAME "\"}}");
  g_autofree char *id = g_strdup (fk_dossier_get_id (partial));
  g_autofree char *sealed = NULL;
  g_autoptr (FkOutboxEntry) entry = NULL;
  g_autoptr (FkOutboxEntry) after = NULL;
  g_autoptr (GPtrArray) parts = NULL;
  g_autoptr (FkDossier) read = NULL;
  g_autoptr (FkDossier) read_sealed = NULL;
  gboolean existed = TRUE;

  g_assert_true (fk_store_save_draft (f->store, partial, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, FK_TEST_DOSSIER_ID);
  entry = fk_outbox_get (f->store, id, &error);
  g_assert_cmpint (entry->state, ==, FK_OUTBOX_DRAFT);
  parts = fk_outbox_list_parts (f->store, id, &error);
  g_assert_cmpuint (parts->len, ==, 0);
  /* A draft cannot jump the queue. */
  g_assert_false (fk_outbox_transition (f->store, id, FK_OUTBOX_QUEUED, NULL, NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  fk_dossier_set_visit_id (partial, "x");
  g_assert_true (fk_store_save_draft (f->store, partial, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  read = fk_store_read_dossier (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fk_dossier_get_visit_id (read), ==, "x");

  sealed =
    fk_test_commit (f->store, f->dir, FK_TEST_DOSSIER_JSON_WITH_ID, 2, 4096, &existed, &error);
  g_assert_no_error (error);
  g_assert_false (existed);
  g_assert_cmpstr (sealed, ==, id);
  after = fk_outbox_get (f->store, id, &error);
  g_assert_cmpint (after->state, ==, FK_OUTBOX_QUEUED);
  read_sealed = fk_store_read_dossier (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fk_dossier_get_attachments (read_sealed)->len, ==, 2);
  g_assert_false (fk_store_save_draft (f->store, partial, NULL, NULL, NULL, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  g_assert_true (fk_store_verify_audit (f->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_visit (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) json = json_from_string (FK_TEST_VISIT_JSON, NULL);
  g_autoptr (FkVisit) visit = fk_visit_new_from_json (json, NULL);
  g_autoptr (FkVisit) back = NULL;
  g_autoptr (FkDossier) dossier = NULL;
  g_autofree char *id = NULL;

  g_assert_true (fk_store_save_visit (f->store, visit, &error));
  g_assert_no_error (error);
  reopen (f);
  g_assert_null (fk_store_load_visit (f->store, FK_TEST_VISIT_ID, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_true (fk_store_unlock (f->store, FK_TEST_PIN, NULL));
  back = fk_store_load_visit (f->store, FK_TEST_VISIT_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fk_visit_get_hamlet (back), ==, "Bản Nậm Củm");

  /* A dossier taken in on the visit points at it. */
  dossier = fk_test_dossier (FK_TEST_DOSSIER_JSON);
  fk_dossier_set_visit_id (dossier, FK_TEST_VISIT_ID);
  id = fk_store_commit_dossier (f->store, dossier, NULL, TRUE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&f->store);
  {
    g_autofree char *visit_id = fk_test_sql_string (f->dir, "SELECT visit_id FROM dossiers");

    g_assert_cmpstr (visit_id, ==, FK_TEST_VISIT_ID);
  }
  reopen (f);
}

/* A store written by the first schema is migrated when opened; one from a
 * newer FieldKit is refused, untouched. */
static void
test_migrations (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = commit (f, FK_TEST_DOSSIER_JSON, 1, NULL);
  g_autoptr (FkDossier) partial = partial_dossier ("{\"procedure\": \"" FK_TEST_PROCEDURE "\"}");
  g_autofree char *version = NULL;
  g_autoptr (FkDossier) node = NULL;

  g_clear_object (&f->store);
  fk_test_sql (f->dir, "ALTER TABLE dossiers DROP COLUMN draft; DROP TABLE catalog; "
                       "DROP TABLE results; PRAGMA user_version = 1");
  reopen (f);
  g_assert_true (fk_store_unlock (f->store, FK_TEST_PIN, NULL));
  node = fk_store_read_dossier (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_true (fk_store_save_draft (f->store, partial, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&f->store);
  version = fk_test_sql_string (f->dir, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "5");

  fk_test_sql (f->dir, "PRAGMA user_version = 99");
  f->store = fk_store_open (f->dir, FK_STORE_OPEN_DEFAULT, &error);
  g_assert_null (f->store);
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_VERSION_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "update FieldKit"));
  g_clear_error (&error);
  fk_test_sql (f->dir, "PRAGMA user_version = 5");
  reopen (f);
}

static void
unlock_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **out = user_data;

  if (!fk_store_unlock_finish (FK_STORE (source), result, out))
    g_assert_nonnull (*out);
  else
    *out = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "unlocked");
}

static void
test_unlock_async_and_retention (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) result = NULL;
  g_autoptr (GBytes) receipt = g_bytes_new_static ("r", 1);
  g_autofree char *id = commit (f, FK_TEST_DOSSIER_JSON, 1, NULL);
  guint purged = 9;

  reopen (f);
  fk_store_unlock_async (f->store, "9999", NULL, unlock_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (result, FK_STORE_ERROR, FK_STORE_ERROR_WRONG_PIN);
  g_clear_error (&result);
  fk_store_unlock_async (f->store, FK_TEST_PIN, NULL, unlock_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (result, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_true (fk_store_is_unlocked (f->store));

  g_assert_cmpint (fk_store_get_retention (f->store), ==, FK_STORE_RETENTION_DEFAULT);
  g_assert_true (fk_outbox_transition (f->store, id, FK_OUTBOX_UPLOADING, NULL, NULL, &error));
  g_assert_true (fk_outbox_transition (f->store, id, FK_OUTBOX_DELIVERED, NULL, receipt, &error));
  g_assert_true (fk_store_purge_expired (f->store, &purged, &error));
  g_assert_cmpuint (purged, ==, 0);
  g_assert_false (fk_store_set_retention (f->store, -1, &error));
  g_assert_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (fk_store_set_retention (f->store, 0, &error));
  g_assert_cmpint (fk_store_get_retention (f->store), ==, 0);
  g_assert_true (fk_store_purge_expired (f->store, &purged, &error));
  g_assert_cmpuint (purged, ==, 1);
  g_assert_cmpuint (fk_test_count_parts (f->dir), ==, 0);

  /* The writer applies retention when it opens the store. */
  {
    g_autofree char *other = commit (f, FK_TEST_DOSSIER_JSON, 1, NULL);

    g_assert_true (fk_outbox_transition (f->store, other, FK_OUTBOX_UPLOADING, NULL, NULL, &error));
    g_assert_true (
      fk_outbox_transition (f->store, other, FK_OUTBOX_DELIVERED, NULL, receipt, &error));
    g_assert_cmpuint (fk_test_count_parts (f->dir), ==, 2);
    reopen (f);
    g_assert_cmpuint (fk_test_count_parts (f->dir), ==, 0);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/commit-and-read", test_commit_and_read);
  ADD ("/store/same-id-twice", test_same_id_twice);
  ADD ("/store/bad-input", test_bad_input);
  ADD ("/store/outbox-state-machine", test_outbox_state_machine);
  ADD ("/store/purge-keeps-handover", test_purge_keeps_handover);
  ADD ("/store/orphans-cleaned", test_orphans_cleaned);
  ADD ("/store/one-writer", test_one_writer);
  ADD ("/store/init-twice", test_init_twice);
  ADD ("/store/pin-lockout", test_pin_lockout);
  ADD ("/store/tamper-audit", test_tamper_audit);
  ADD ("/store/tamper-sealed", test_tamper_sealed);
  ADD ("/store/commit-async", test_commit_async);
  ADD ("/store/draft-then-seal", test_draft_then_seal);
  ADD ("/store/discard-quarantined", test_discard_quarantined);
  ADD ("/store/draft-without-procedure", test_draft_without_procedure);
  ADD ("/store/visit", test_visit);
  ADD ("/store/migrations", test_migrations);
  ADD ("/store/unlock-async-and-retention", test_unlock_async_and_retention);
  g_test_add_func ("/store/not-initialized", test_not_initialized);
  g_test_add_func ("/store/init-after-cut", test_init_after_cut);
  return g_test_run ();
}
