/* fk-test-store.c: what the store tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-test-store.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

FkStore *
fk_test_store_create (const char *dir, guint8 *server_pk, guint8 *server_sk, char **recovery)
{
  g_autoptr (GError) error = NULL;
  FkStoreInitOptions options = { 0 };
  FkStore *store;

  fk_vault_server_keypair_new (server_pk, server_sk);
  options.server_public_key = server_pk;
  options.pin = FK_TEST_PIN;
  options.pin_opslimit = 1;
  options.pin_memlimit = 8192;
  store = fk_store_create (dir, &options, recovery, &error);
  g_assert_no_error (error);
  return store;
}

guint8 *
fk_test_photo_bytes (guint index, gsize size)
{
  guint8 *data = g_malloc (size);
  g_autoptr (GRand) rand = g_rand_new_with_seed (index + 1);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  g_snprintf ((char *) data, MIN (size, 24), "JPEG-DOCUMENT-PHOTO-%03u", index);
  return data;
}

FkDossier *
fk_test_dossier (const char *json)
{
  g_autoptr (GError) error = NULL;
  FkDossier *dossier = fk_dossier_new_from_data (json, -1, &error);

  g_assert_no_error (error);
  return dossier;
}

char *
fk_test_commit (FkStore *store, const char *data_dir, const char *json, guint n_photos,
                gsize photo_size, gboolean *existed, GError **error)
{
  g_autoptr (FkDossier) dossier = fk_test_dossier (json);
  g_autoptr (GPtrArray) attachments = fk_store_attachments_new ();
  g_autofree char *photo_dir = g_dir_make_tmp ("fk-photos-XXXXXX", NULL);
  char *id;

  for (guint i = 0; i < n_photos; i++)
    {
      g_autofree char *name = g_strdup_printf ("photo-%u.jpg", i);
      g_autofree char *path = g_build_filename (photo_dir, name, NULL);
      g_autofree guint8 *bytes = fk_test_photo_bytes (i, photo_size);
      g_autoptr (GFile) file = g_file_new_for_path (path);

      g_assert_true (g_file_set_contents (path, (const char *) bytes, photo_size, NULL));
      g_ptr_array_add (attachments,
                       fk_store_attachment_new_for_file (
                         i == 1 ? FK_ATTACHMENT_FINGERPRINT : FK_ATTACHMENT_DOCUMENT, NULL, file));
    }
  id = fk_store_commit_dossier (store, dossier, attachments, TRUE, existed, NULL, error);
  fk_test_rm_rf (photo_dir);
  return id;
}

guint
fk_test_count_parts (const char *data_dir)
{
  g_autofree char *parts = g_build_filename (data_dir, "parts", NULL);
  g_autoptr (GDir) dir = g_dir_open (parts, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

void
fk_test_rm_rf (const char *path)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        fk_test_rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
fk_test_flip_byte (const char *path, gsize offset)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (offset, <, len);
  contents[offset] ^= 0x01;
  g_assert_true (g_file_set_contents (path, contents, len, NULL));
}

void
fk_test_sql (const char *data_dir, const char *sql)
{
  g_autofree char *path = g_build_filename (data_dir, FK_STORE_DB_FILE, NULL);
  sqlite3 *db = NULL;
  char *msg = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
  sqlite3_close (db);
}

char *
fk_test_sql_string (const char *data_dir, const char *sql)
{
  g_autofree char *path = g_build_filename (data_dir, FK_STORE_DB_FILE, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

void
fk_test_rewind_pin_clock (FkStore *store)
{
  fk_test_sql (fk_store_get_dir (store),
               "UPDATE settings SET value = 0 WHERE key = 'pin.last_try'");
}
