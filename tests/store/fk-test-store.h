/* fk-test-store.h: what the store tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-store.h"

G_BEGIN_DECLS

#define FK_TEST_PIN        "2580"
#define FK_TEST_NAME       "Nguyễn Thị Hoà Bình"
#define FK_TEST_ID_NUMBER  "001099012345"
#define FK_TEST_ADDRESS    "Thôn Nà Phặc, xã Bằng Thành"
#define FK_TEST_DOSSIER_ID "5f0c8a57-93d1-4c5e-8f0e-2a3b4c5d6e7f"
#define FK_TEST_PROCEDURE  "birth-registration"

#define FK_TEST_CITIZEN_JSON                                                               \
  "\"citizen\": {\"id_number\": \"" FK_TEST_ID_NUMBER "\", \"full_name\": \"" FK_TEST_NAME \
  "\", \"birth_date\": \"1999-03-14\", \"sex\": \"female\", \"address\": \"" FK_TEST_ADDRESS "\"}"
#define FK_TEST_FIELDS_JSON                                                                  \
  "\"fields\": {\"child_name\": \"Lò Văn Khánh\", \"child_birth_date\": \"2026-10-02\", " \
  "\"child_sex\": \"male\", \"child_birth_place\": \"Trạm y tế xã Bằng Thành\", "    \
  "\"child_ethnicity\": \"Tày\", \"child_nationality\": \"Việt Nam\", "                   \
  "\"submitter_relation\": \"mother\"}"
#define FK_TEST_DOSSIER_JSON \
  "{\"procedure\": \"" FK_TEST_PROCEDURE "\", " FK_TEST_CITIZEN_JSON ", " FK_TEST_FIELDS_JSON "}"
#define FK_TEST_DOSSIER_JSON_WITH_ID                                         \
  "{\"id\": \"" FK_TEST_DOSSIER_ID "\", \"procedure\": \"" FK_TEST_PROCEDURE \
  "\", " FK_TEST_CITIZEN_JSON ", " FK_TEST_FIELDS_JSON "}"

#define FK_TEST_VISIT_ID    "3d6f1a2b-4c5d-4e6f-8a9b-0c1d2e3f4a5b"
#define FK_TEST_TEAM_MEMBER "Trần Thị Mai"
#define FK_TEST_VISIT_JSON                                                                      \
  "{\"schema\": 1, \"id\": \"" FK_TEST_VISIT_ID "\", \"date\": \"2026-11-24\", "                \
  "\"commune_code\": \"00004\", \"hamlet\": \"Bản Nậm Củm\", \"team\": [\"" FK_TEST_TEAM_MEMBER \
  "\", \"Vàng A Sử\"]}"

/* A new store with cheap Argon2id parameters (tests only). */
FkStore *fk_test_store_create (const char *dir, guint8 *server_pk, guint8 *server_sk,
                               char **recovery);
/* Document photo @index: recognisable, incompressible bytes. */
guint8 *fk_test_photo_bytes (guint index, gsize size);
/* (transfer full): the dossier @json describes; asserts it parses. */
FkDossier *fk_test_dossier (const char *json);
/* Commits @json with @n_photos photos written outside @data_dir: files
 * handed to the store, photo 1 as a fingerprint, the others documents. */
char *fk_test_commit (FkStore *store, const char *data_dir, const char *json, guint n_photos,
                      gsize photo_size, gboolean *existed, GError **error);
guint fk_test_count_parts (const char *data_dir);
void fk_test_rm_rf (const char *dir);
void fk_test_flip_byte (const char *path, gsize offset);
/* Runs SQL on the store's database through a connection of its own. */
void fk_test_sql (const char *data_dir, const char *sql);
/* (transfer full): the first column of the first row of @sql, or NULL. */
char *fk_test_sql_string (const char *data_dir, const char *sql);
/* Makes the last PIN try look long ago, so the next one is not delayed. */
void fk_test_rewind_pin_clock (FkStore *store);

G_END_DECLS
