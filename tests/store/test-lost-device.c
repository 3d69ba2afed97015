/* test-lost-device.c: a lost device's data directory reveals nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Dossiers with known names, ID numbers, addresses and document photos are
 * committed, read back, moved through the outbox and purged; then every byte
 * of every file under the data directory (database, WAL, shared memory,
 * sealed parts, keys) and every file name is searched for them, in UTF-8
 * (NFC and NFD) and UTF-16.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "fk-outbox.h"
#include "fk-store.h"
#include "fk-test-store.h"

typedef struct
{
  char *what;
  GBytes *needle;
} Secret;

static void
secret_free (Secret *s)
{
  g_free (s->what);
  g_bytes_unref (s->needle);
  g_free (s);
}

static void
add_secret (GPtrArray *secrets, const char *what, const void *data, gsize len)
{
  Secret *s = g_new0 (Secret, 1);

  s->what = g_strdup (what);
  s->needle = g_bytes_new (data, len);
  g_ptr_array_add (secrets, s);
}

/* The text as UTF-8 NFC, UTF-8 NFD and UTF-16LE/BE. */
static void
add_text (GPtrArray *secrets, const char *text)
{
  g_autofree char *nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  g_autofree char *nfd = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  g_autofree gunichar2 *utf16 = g_utf8_to_utf16 (nfc, -1, NULL, NULL, NULL);
  glong n16 = 0;
  g_autofree guint8 *be = NULL;

  add_secret (secrets, nfc, nfc, strlen (nfc));
  add_secret (secrets, nfd, nfd, strlen (nfd));
  while (utf16[n16] != 0)
    n16++;
  add_secret (secrets, text, utf16, n16 * 2);
  be = g_malloc (n16 * 2);
  for (glong i = 0; i < n16; i++)
    {
      be[2 * i] = utf16[i] >> 8;
      be[2 * i + 1] = utf16[i] & 0xff;
    }
  add_secret (secrets, text, be, n16 * 2);
}

static void
scan (const char *path, GPtrArray *secrets, guint *n_files)
{
  g_autofree char *base = g_path_get_basename (path);

  for (guint i = 0; i < secrets->len; i++)
    {
      Secret *s = secrets->pdata[i];
      gsize len;
      const void *needle = g_bytes_get_data (s->needle, &len);

      if (memmem (base, strlen (base), needle, len) != NULL)
        g_error ("file name %s holds “%s”", path, s->what);
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          scan (child, secrets, n_files);
        }
      return;
    }
  {
    g_autofree char *contents = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
    (*n_files)++;
    for (guint i = 0; i < secrets->len; i++)
      {
        Secret *s = secrets->pdata[i];
        gsize nlen;
        const void *needle = g_bytes_get_data (s->needle, &nlen);

        if (memmem (contents, len, needle, nlen) != NULL)
          g_error ("%s holds “%s” in clear", path, s->what);
      }
  }
}

static void
test_lost_device (void)
{
  const char *texts[] = { FK_TEST_NAME,
                          FK_TEST_ID_NUMBER,
                          FK_TEST_ADDRESS,
                          "Lò Văn Khánh",
                          "Trạm y tế xã Bằng Thành",
                          "Hoàng Văn Sử",
                          "038185000123",
                          "Bản Pác Ngòi, xã Nam Mẫu",
                          "1999-03-14",
                          FK_TEST_TEAM_MEMBER,
                          "Bản Nậm Củm" };
  g_autofree char *dir = g_dir_make_tmp ("fk-lost-XXXXXX", NULL);
  g_autoptr (GPtrArray) secrets = g_ptr_array_new_with_free_func ((GDestroyNotify) secret_free);
  guint8 pk[FK_VAULT_PUBLIC_KEY_BYTES], sk[FK_VAULT_SECRET_KEY_BYTES];
  g_autoptr (FkStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *recovery = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autoptr (GBytes) receipt = g_bytes_new_static ("receipt", 7);
  const char *other = "{\"procedure\": \"" FK_TEST_PROCEDURE "\", \"citizen\": {\"id_number\": "
                      "\"038185000123\", \"full_name\": \"Hoàng Văn Sử\", \"address\": \"Bản Pác "
                      "Ngòi, xã Nam Mẫu\"}, " FK_TEST_FIELDS_JSON "}";
  guint n_files = 0;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    add_text (secrets, texts[i]);
  /* Pieces of each document photo, from its start, middle and end. */
  for (guint p = 0; p < 3; p++)
    {
      g_autofree guint8 *photo = fk_test_photo_bytes (p, 200000);
      const gsize offsets[] = { 0, 24, 65530, 100000, 199968 };

      for (guint k = 0; k < G_N_ELEMENTS (offsets); k++)
        add_secret (secrets, "document photo bytes", photo + offsets[k], 32);
    }

  store = fk_test_store_create (dir, pk, sk, &recovery);
  g_assert_true (fk_store_unlock (store, FK_TEST_PIN, &error));
  a = fk_test_commit (store, dir, FK_TEST_DOSSIER_JSON, 3, 200000, NULL, &error);
  g_assert_no_error (error);
  b = fk_test_commit (store, dir, other, 2, 200000, NULL, &error);
  g_assert_no_error (error);
  c = fk_test_commit (store, dir, FK_TEST_DOSSIER_JSON, 1, 200000, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr (JsonNode) visit_json = json_from_string (FK_TEST_VISIT_JSON, NULL);
    g_autoptr (FkVisit) visit = fk_visit_new_from_json (visit_json, NULL);
    g_autoptr (FkDossier) draft =
      fk_test_dossier ("{\"procedure\": \"" FK_TEST_PROCEDURE "\", " FK_TEST_CITIZEN_JSON "}");
    g_autoptr (GPtrArray) draft_photos = fk_store_attachments_new ();
    g_autoptr (GBytes) photo = g_bytes_new_take (fk_test_photo_bytes (0, 200000), 200000);

    /* A draft's photo is as sealed on disk as a committed one. */
    g_ptr_array_add (draft_photos,
                     fk_store_attachment_new_for_bytes (FK_ATTACHMENT_DOCUMENT, "birth", photo));
    g_assert_true (fk_store_save_visit (store, visit, &error));
    g_assert_true (fk_store_save_draft (
      store, draft, draft_photos, g_variant_new_parsed ("{'step': <'photos'>}"), NULL, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr (FkDossier) node = fk_store_read_dossier (store, a, &error);
    g_autoptr (GPtrArray) found = fk_store_find_by_id_number (store, FK_TEST_ID_NUMBER, &error);

    g_assert_no_error (error);
    g_assert_nonnull (node);
    g_assert_cmpuint (found->len, ==, 2);
  }
  g_assert_true (fk_outbox_transition (store, b, FK_OUTBOX_UPLOADING, NULL, NULL, &error));
  g_assert_true (fk_outbox_transition (store, b, FK_OUTBOX_DELIVERED, NULL, receipt, &error));
  g_assert_true (fk_store_purge_delivered (store, 0, NULL, &error));
  g_assert_no_error (error);

  /* While open (WAL and shared memory present) and after closing. */
  scan (dir, secrets, &n_files);
  g_assert_cmpuint (n_files, >=, 8);
  g_clear_object (&store);
  n_files = 0;
  scan (dir, secrets, &n_files);
  g_assert_cmpuint (n_files, >=, 5);

  fk_test_rm_rf (dir);
}

/* The scanner itself must fail on data in clear. */
static void
test_scanner_finds_plain (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = g_dir_make_tmp ("fk-plain-XXXXXX", NULL);
      g_autofree char *path = g_build_filename (dir, "note", NULL);
      g_autoptr (GPtrArray) secrets = g_ptr_array_new_with_free_func ((GDestroyNotify) secret_free);
      g_autofree char *nfd = g_utf8_normalize (FK_TEST_NAME, -1, G_NORMALIZE_NFD);
      guint n = 0;

      add_text (secrets, FK_TEST_NAME);
      g_assert_true (g_file_set_contents (path, nfd, -1, NULL));
      scan (dir, secrets, &n);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*in clear*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/lost-device", test_lost_device);
  g_test_add_func ("/store/lost-device/scanner-finds-plain", test_scanner_finds_plain);
  return g_test_run ();
}
