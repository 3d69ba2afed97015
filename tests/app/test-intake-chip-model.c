/* test-intake-chip-model.c: the ID card's chip in the intake model, without
 * a display or a reader
 *
 * The chip's data as the reader gives them (FkChipData from DG13 bytes
 * built here): the chip step offered only with a reader, the identity and
 * the form's fields proposed and taken only on request, ethnicity and
 * religion only into a form that asks for them, forged data refused, the
 * QR code and the chip compared, the verdict and the portrait through the
 * draft, the portrait in the sealed dossier only with the consent to
 * ID-card images; and the read's own checks. The read through pcscd is
 * tests/app/test_intake_chip.py's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-core-init.h"
#include "fk-intake.h"
#include "fk-test-intake.h"
#include "fk-tlv.h"

/* The card's QR code: issued in Hà Nội, with its old 9-digit ID. */
#define CARD                                                                                          \
  "001089012345|123456789|Nguyễn Văn An|15081989|Nam|Số 5, ngõ 10, phố Huế, Phường Hai " \
  "Bà Trưng, Hà Nội|20042021"
#define CHIP_ADDRESS "Số 5, ngõ 10, phố Huế, Hai Bà Trưng, Hà Nội"

typedef FkTestIntake Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  fk_test_intake_set_up (f, "fk-intake-chip-XXXXXX");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  fk_test_intake_tear_down (f);
}

/* DG13 as the card's issuer writes it (see tests/core/test-chip-data.c). */
static GByteArray *
der (guint tag, const guint8 *value, gsize len)
{
  GByteArray *out = g_byte_array_new ();
  guint8 head[8];
  gsize n = 0;

  head[n++] = (guint8) tag;
  n += fk_tlv_encode_length (len, head + n);
  g_byte_array_append (out, head, (guint) n);
  g_byte_array_append (out, value, (guint) len);
  return out;
}

static GByteArray *
cat (GByteArray *a, GByteArray *b)
{
  g_byte_array_append (a, b->data, b->len);
  g_byte_array_unref (b);
  return a;
}

static GByteArray *
wrap (guint tag, GByteArray *content)
{
  GByteArray *out = der (tag, content->data, content->len);

  g_byte_array_unref (content);
  return out;
}

static GByteArray *
entry (int n, GByteArray *value)
{
  guint8 number = (guint8) n;

  return wrap (0x30, cat (der (0x02, &number, 1), value));
}

static GByteArray *
text (const char *s)
{
  return der (0x0C, (const guint8 *) s, strlen (s));
}

typedef struct
{
  const char *id;
  const char *name;
  FkChipPa pa;
  FkChipPaReason reason;
} Chip;

static FkChipData *
make_chip (const Chip *c)
{
  static const guint8 oid[] = { 0x28, 0xCF, 0x06, 0x01, 0x00, 0x08 };
  static const guint8 jpeg[] = { 0xFF, 0xD8, 0xFF, 0xE0, 'p', 'o', 'r', 't', 'r', 'a', 'i', 't' };
  guint8 one = 1;
  GByteArray *set = g_byte_array_new ();
  g_autoptr (GBytes) dg13 = NULL;
  g_autoptr (GBytes) portrait = g_bytes_new_static (jpeg, sizeof jpeg);
  g_autoptr (GError) error = NULL;
  FkChipData *chip;

  set = cat (set, entry (1, text (c->id != NULL ? c->id : "001089012345")));
  set = cat (set, entry (2, text (c->name != NULL ? c->name : "Nguyễn Văn An")));
  set = cat (set, entry (3, text ("15/08/1989")));
  set = cat (set, entry (4, text ("Nam")));
  set = cat (set, entry (5, text ("Việt Nam")));
  set = cat (set, entry (6, text ("Kinh")));
  set = cat (set, entry (7, text ("Phật giáo")));
  set = cat (set, entry (8, text ("Xã Tân Hội, Đan Phượng, Hà Nội")));
  set = cat (set, entry (9, text (CHIP_ADDRESS)));
  set = cat (set, entry (11, text ("20/04/2021")));
  set = cat (set, entry (12, text ("15/08/2029")));
  set = cat (set, entry (13, wrap (0x30, cat (text ("Nguyễn Văn Bình"), text ("Trần Thị Cúc")))));
  set = cat (set, entry (15, text ("123456789")));
  set = cat (cat (der (0x02, &one, 1), der (0x06, oid, sizeof oid)), wrap (0x31, set));
  dg13 = g_byte_array_free_to_bytes (wrap (0x6D, wrap (0x30, set)));
  chip = fk_chip_data_new_from_files (NULL, dg13, &error);
  g_assert_no_error (error);
  fk_chip_data_set_access (chip, FK_CHIP_ACCESS_BAC);
  fk_chip_data_set_pa (chip, c->pa, c->reason);
  fk_chip_data_set_portrait (chip, portrait, "image/jpeg");
  return chip;
}

static const Chip verified = { NULL, NULL, FK_CHIP_PA_VERIFIED, FK_CHIP_PA_REASON_TRUSTED_CHAIN };

static void
read_card (FkIntake *intake)
{
  g_autoptr (FkCccdCard) card = fk_cccd_parse ((const guint8 *) CARD, strlen (CARD));

  fk_intake_read_card (intake, card);
  fk_citizen_set_phone (fk_intake_get_citizen (intake), "0912345678");
}

/* The value proposed for @name, or NULL. */
static const FkIntakeChipValue *
find_value (GPtrArray *values, const char *name)
{
  for (guint i = 0; i < values->len; i++)
    if (g_str_equal (((FkIntakeChipValue *) values->pdata[i])->name, name))
      return values->pdata[i];
  return NULL;
}

static const char *
value_of (GPtrArray *values, const char *name)
{
  const FkIntakeChipValue *value = find_value (values, name);

  g_assert_nonnull (value);
  return value != NULL ? value->value : "";
}

static const char *
current_of (GPtrArray *values, const char *name)
{
  const FkIntakeChipValue *value = find_value (values, name);

  g_assert_nonnull (value);
  return value != NULL ? value->current : "";
}

/* The chip step comes after the QR code only with a reader plugged in. */
static void
test_steps (Fixture *f, gconstpointer data)
{
  FkIntake *intake = f->intake;

  read_card (intake);
  g_assert_cmpint (fk_intake_get_step (intake), ==, FK_INTAKE_STEP_IDENTITY);
  g_assert_true (fk_intake_previous (intake));
  g_assert_cmpint (fk_intake_get_step (intake), ==, FK_INTAKE_STEP_SCAN);

  fk_intake_set_chip_reader (intake, TRUE);
  g_assert_true (fk_intake_get_chip_reader (intake));
  read_card (intake);
  g_assert_cmpint (fk_intake_get_step (intake), ==, FK_INTAKE_STEP_CHIP);
  /* skippable: nothing to check, nothing taken */
  g_assert_true (fk_intake_validate_step (intake, FK_INTAKE_STEP_CHIP, NULL));
  g_assert_true (fk_intake_next (intake, NULL));
  g_assert_cmpint (fk_intake_get_step (intake), ==, FK_INTAKE_STEP_IDENTITY);
  g_assert_true (fk_intake_previous (intake));
  g_assert_cmpint (fk_intake_get_step (intake), ==, FK_INTAKE_STEP_CHIP);

  /* typed in, there is no card to open the chip with */
  fk_intake_type_in (intake);
  g_assert_true (fk_intake_previous (intake));
  g_assert_cmpint (fk_intake_get_step (intake), ==, FK_INTAKE_STEP_SCAN);
}

/* The identity the chip gives is proposed; taken on request only. */
static void
test_identity (Fixture *f, gconstpointer data)
{
  FkIntake *intake = f->intake;
  g_autoptr (FkChipData) chip = make_chip (&verified);
  g_autoptr (GPtrArray) values = NULL;
  FkChipPaReason reason;
  FkCitizen *citizen;
  const char *mime = NULL;

  fk_intake_set_chip_reader (intake, TRUE);
  read_card (intake);
  citizen = fk_intake_get_citizen (intake);
  fk_intake_set_chip (intake, chip);
  g_assert_true (fk_intake_get_chip (intake) == chip);
  g_assert_cmpint (fk_intake_get_chip_pa (intake, &reason), ==, FK_CHIP_PA_VERIFIED);
  g_assert_cmpint (reason, ==, FK_CHIP_PA_REASON_TRUSTED_CHAIN);
  g_assert_nonnull (fk_intake_get_portrait (intake, &mime));
  g_assert_cmpstr (mime, ==, "image/jpeg");
  g_assert_cmpuint (fk_intake_get_chip_mismatches (intake)->len, ==, 0);

  /* proposed, with what the QR code gave; nothing changed yet */
  values = fk_intake_dup_chip_identity (intake);
  g_assert_cmpstr (value_of (values, "full_name"), ==, "Nguyễn Văn An");
  g_assert_cmpstr (value_of (values, "birth_date"), ==, "1989-08-15");
  g_assert_cmpstr (value_of (values, "sex"), ==, "male");
  g_assert_cmpstr (value_of (values, "old_id"), ==, "123456789");
  g_assert_cmpstr (value_of (values, "address"), ==, CHIP_ADDRESS);
  g_assert_cmpstr (current_of (values, "address"), ==, fk_citizen_get_address (citizen));
  g_assert_cmpstr (current_of (values, "address"), !=, CHIP_ADDRESS);
  /* the sensitive and the form's values are not the identity's */
  g_assert_null (find_value (values, "ethnicity"));
  g_assert_null (find_value (values, "religion"));
  g_assert_null (find_value (values, "father_name"));
  g_assert_true (fk_intake_get_citizen (intake) == citizen);

  /* taken: a new citizen with the chip's values, the phone typed kept */
  g_assert_true (fk_intake_accept_chip_identity (intake));
  g_assert_false (fk_intake_get_citizen (intake) == citizen);
  citizen = fk_intake_get_citizen (intake);
  g_assert_cmpstr (fk_citizen_get_address (citizen), ==, CHIP_ADDRESS);
  g_assert_cmpstr (fk_citizen_get_phone (citizen), ==, "0912345678");
  g_assert_null (fk_citizen_get_ethnicity (citizen));
  g_assert_true (fk_intake_validate_step (intake, FK_INTAKE_STEP_IDENTITY, NULL));
}

/* Where the chip and the QR code disagree; case does not count, tone marks
 * do. */
static void
test_mismatch (Fixture *f, gconstpointer data)
{
  Chip other = verified;
  g_autoptr (FkChipData) same = NULL;
  g_autoptr (FkChipData) altered = NULL;
  GPtrArray *members;

  read_card (f->intake);
  other.name = "NGUYỄN VĂN AN";
  same = make_chip (&other);
  fk_intake_set_chip (f->intake, same);
  g_assert_cmpuint (fk_intake_get_chip_mismatches (f->intake)->len, ==, 0);

  other.name = "Nguyễn Văn Ân";
  other.id = "002089012345"; /* the last nine digits open the chip */
  altered = make_chip (&other);
  fk_intake_set_chip (f->intake, altered);
  members = fk_intake_get_chip_mismatches (f->intake);
  g_assert_cmpuint (members->len, ==, 2);
  g_assert_cmpstr (members->pdata[0], ==, "id_number");
  g_assert_cmpstr (members->pdata[1], ==, "full_name");
}

/* The form's fields that name a chip member: proposed, taken on request;
 * ethnicity and religion only for a form that asks for them. */
static void
test_form (Fixture *f, gconstpointer data)
{
  FkIntake *intake = f->intake;
  g_autoptr (FkChipData) chip = make_chip (&verified);
  g_autoptr (GPtrArray) none = NULL;
  g_autoptr (GPtrArray) values = NULL;
  g_autoptr (JsonObject) fields = NULL;

  read_card (intake);
  fk_intake_set_chip (intake, chip);
  g_assert_true (fk_intake_set_procedure (intake, "temporary-residence-registration"));
  none = fk_intake_dup_chip_answers (intake);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (fk_intake_accept_chip_answers (intake), ==, 0);

  g_assert_true (fk_intake_set_procedure (intake, "birth-re-registration"));
  values = fk_intake_dup_chip_answers (intake);
  g_assert_cmpstr (value_of (values, "ethnicity"), ==, "Kinh");
  g_assert_null (current_of (values, "ethnicity"));
  g_assert_cmpstr (value_of (values, "father_name"), ==, "Nguyễn Văn Bình");
  g_assert_cmpstr (value_of (values, "mother_name"), ==, "Trần Thị Cúc");
  g_assert_cmpstr (value_of (values, "birth_date"), ==, "15/08/1989");
  g_assert_cmpstr (value_of (values, "sex"), ==, "male");
  g_assert_cmpstr (value_of (values, "place_of_origin"), ==, "Xã Tân Hội, Đan Phượng, Hà Nội");
  for (guint i = 0; i < values->len; i++)
    g_assert_cmpstr (((FkIntakeChipValue *) values->pdata[i])->value, !=, "Phật giáo");
  g_assert_null (fk_intake_get_answer (intake, "ethnicity"));

  g_assert_cmpuint (fk_intake_accept_chip_answers (intake), ==, values->len);
  g_assert_cmpstr (fk_intake_get_answer (intake, "ethnicity"), ==, "Kinh");
  fk_intake_set_answer (intake, "birth_place", "Trạm y tế xã Tân Hội");
  fk_intake_set_answer (intake, "previous_registration_place", "UBND xã Tân Hội");
  fk_intake_set_answer (intake, "submitter_relation", "self");
  fk_intake_set_answer (intake, "pledge", "true");
  fields = fk_intake_collect_fields (intake, NULL);
  g_assert_nonnull (fields);
  g_assert_cmpstr (json_object_get_string_member (fields, "birth_date"), ==, "1989-08-15");
  g_assert_cmpstr (json_object_get_string_member (fields, "id_number"), ==, "001089012345");
  g_assert_false (json_object_has_member (fields, "religion"));
}

/* A form that asks for the religion gets it proposed; one that does not,
 * never. */
static void
test_religion_only_when_asked (void)
{
  const char *json =
    "{\"schema\": 1, \"version\": \"1\", \"procedures\": ["
    "{\"code\": \"asks\", \"title\": \"A\", \"fields\": ["
    "{\"name\": \"faith\", \"type\": \"text\", \"label\": \"F\", \"from_card\": \"religion\"}]},"
    "{\"code\": \"quiet\", \"title\": \"Q\", \"fields\": ["
    "{\"name\": \"origin\", \"type\": \"text\", \"label\": \"O\", \"from_card\": "
    "\"place_of_origin\"}]}]}";
  g_autoptr (GBytes) bytes = g_bytes_new_static (json, strlen (json));
  g_autoptr (GError) error = NULL;
  g_autoptr (FkCatalog) catalog = fk_catalog_new_from_bytes (bytes, &error);
  g_autoptr (FkIntake) intake = NULL;
  g_autoptr (FkChipData) chip = make_chip (&verified);
  g_autoptr (GPtrArray) quiet = NULL;
  g_autoptr (GPtrArray) asks = NULL;

  g_assert_no_error (error);
  intake = fk_intake_new (NULL, catalog);
  read_card (intake);
  fk_intake_set_chip (intake, chip);
  g_assert_true (fk_intake_set_procedure (intake, "quiet"));
  quiet = fk_intake_dup_chip_answers (intake);
  g_assert_cmpuint (quiet->len, ==, 1);
  g_assert_cmpstr (value_of (quiet, "origin"), ==, "Xã Tân Hội, Đan Phượng, Hà Nội");
  g_assert_true (fk_intake_set_procedure (intake, "asks"));
  asks = fk_intake_dup_chip_answers (intake);
  g_assert_cmpuint (asks->len, ==, 1);
  g_assert_cmpstr (value_of (asks, "faith"), ==, "Phật giáo");
  g_assert_finalize_object (g_steal_pointer (&intake));
}

/* Forged data are refused: the verdict stays, nothing else. */
static void
test_forged (Fixture *f, gconstpointer data)
{
  const Chip forged = { NULL, NULL, FK_CHIP_PA_FAILED, FK_CHIP_PA_REASON_HASH_MISMATCH };
  g_autoptr (FkChipData) chip = make_chip (&forged);
  g_autoptr (GPtrArray) identity = NULL;
  g_autoptr (GPtrArray) answers = NULL;
  FkChipPaReason reason;

  read_card (f->intake);
  fk_intake_set_chip (f->intake, chip);
  g_assert_null (fk_intake_get_chip (f->intake));
  g_assert_cmpint (fk_intake_get_chip_pa (f->intake, &reason), ==, FK_CHIP_PA_FAILED);
  g_assert_cmpint (reason, ==, FK_CHIP_PA_REASON_HASH_MISMATCH);
  g_assert_null (fk_intake_get_portrait (f->intake, NULL));
  identity = fk_intake_dup_chip_identity (f->intake);
  g_assert_cmpuint (identity->len, ==, 0);
  g_assert_false (fk_intake_accept_chip_identity (f->intake));
  g_assert_true (fk_intake_set_procedure (f->intake, "birth-re-registration"));
  answers = fk_intake_dup_chip_answers (f->intake);
  g_assert_cmpuint (answers->len, ==, 0);
}

/* A chip belongs to its card: another card, typing in or the next citizen
 * forget it. */
static void
test_forgotten (Fixture *f, gconstpointer data)
{
  g_autoptr (FkChipData) chip = make_chip (&verified);

  read_card (f->intake);
  fk_intake_set_chip (f->intake, chip);
  read_card (f->intake);
  g_assert_null (fk_intake_get_chip (f->intake));
  g_assert_null (fk_intake_get_portrait (f->intake, NULL));
  g_assert_cmpint (fk_intake_get_chip_pa (f->intake, NULL), ==, FK_CHIP_PA_NOT_CHECKED);

  fk_intake_set_chip (f->intake, chip);
  fk_intake_type_in (f->intake);
  g_assert_null (fk_intake_get_chip (f->intake));

  read_card (f->intake);
  fk_intake_set_chip (f->intake, chip);
  fk_intake_reset (f->intake);
  g_assert_null (fk_intake_get_chip (f->intake));
  g_assert_null (fk_intake_get_portrait (f->intake, NULL));
}

static void
walk_to_consent (FkIntake *intake, FkChipData *chip)
{
  g_autoptr (GBytes) photo = g_bytes_new_static ("photo", 5);

  fk_intake_set_chip_reader (intake, TRUE);
  read_card (intake);
  fk_intake_set_chip (intake, chip);
  g_assert_true (fk_intake_accept_chip_identity (intake));
  g_assert_true (fk_intake_next (intake, NULL));
  g_assert_true (fk_intake_next (intake, NULL));
  g_assert_true (fk_intake_set_procedure (intake, "certified-copies"));
  fk_intake_set_answer (intake, "document_title", "Giấy khai sinh");
  fk_intake_set_answer (intake, "pages", "1");
  fk_intake_set_answer (intake, "copies", "2");
  fk_intake_set_step (intake, FK_INTAKE_STEP_FORM);
  g_assert_true (fk_intake_next (intake, NULL));
  fk_intake_set_photo (intake, "original-document", photo, FK_DOC_ISSUE_NONE);
  g_assert_true (fk_intake_next (intake, NULL));
  g_assert_true (fk_intake_next (intake, NULL));
  fk_intake_set_consent (intake, "personal-data", TRUE);
  g_assert_cmpint (fk_intake_get_step (intake), ==, FK_INTAKE_STEP_CONSENT);
}

static guint
count_portraits (FkStore *store, const char *id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkDossier) sealed = fk_store_read_dossier (store, id, &error);
  GPtrArray *attachments;
  guint n = 0;

  g_assert_no_error (error);
  attachments = fk_dossier_get_attachments (sealed);
  for (guint i = 0; i < attachments->len; i++)
    if (((FkAttachment *) attachments->pdata[i])->kind == FK_ATTACHMENT_PORTRAIT)
      n++;
  return n;
}

static char *
commit (FkIntake *intake)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  char *id;

  g_assert_true (fk_intake_next (intake, NULL));
  fk_intake_commit_async (intake, NULL, fk_test_got_result, &result);
  id = fk_intake_commit_finish (intake, fk_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return id;
}

/* The verdict and the portrait come back with the draft, not the chip's
 * data; the portrait is sealed only with the consent to ID-card images. */
static void
test_draft_and_commit (Fixture *f, gconstpointer data)
{
  g_autoptr (FkChipData) chip = make_chip (&verified);
  g_autoptr (FkIntake) back = fk_intake_new (f->store, f->catalog);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *without = NULL;
  g_autofree char *with = NULL;
  const char *mime = NULL;

  walk_to_consent (f->intake, chip);
  fk_intake_save_draft (f->intake);
  fk_test_wait_for_draft (f->intake);
  fk_intake_resume_async (back, NULL, fk_test_got_result, &result);
  g_assert_true (fk_intake_resume_finish (back, fk_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpint (fk_intake_get_step (back), ==, FK_INTAKE_STEP_CONSENT);
  g_assert_cmpint (fk_intake_get_chip_pa (back, NULL), ==, FK_CHIP_PA_VERIFIED);
  g_assert_null (fk_intake_get_chip (back));
  g_assert_true (
    g_bytes_equal (fk_intake_get_portrait (back, &mime), fk_intake_get_portrait (f->intake, NULL)));
  g_assert_cmpstr (mime, ==, "image/jpeg");
  g_assert_cmpstr (fk_citizen_get_address (fk_intake_get_citizen (back)), ==, CHIP_ADDRESS);
  fk_test_wait_for_draft (back);
  g_clear_object (&result); /* it holds the model */
  g_assert_finalize_object (g_steal_pointer (&back));

  without = commit (f->intake);
  g_assert_cmpuint (count_portraits (f->store, without), ==, 0);

  fk_intake_reset (f->intake);
  walk_to_consent (f->intake, chip);
  fk_intake_set_consent (f->intake, "id-card-image", TRUE);
  with = commit (f->intake);
  g_assert_cmpuint (count_portraits (f->store, with), ==, 1);
}

static void
read_fails (FkIntake *intake, FkCardReader *reader, const char *expiry, FkIntakeError code)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  fk_intake_read_chip_async (intake, reader, expiry, FALSE, NULL, NULL, fk_test_got_result,
                             &result);
  g_assert_false (fk_intake_read_chip_finish (intake, fk_test_wait_result (&result), NULL, &error));
  g_assert_error (error, FK_INTAKE_ERROR, (gint) code);
  g_assert_false (fk_intake_get_reading_chip (intake));
  g_assert_cmpint (fk_intake_get_chip_pa (intake, NULL), ==, FK_CHIP_PA_NOT_CHECKED);
}

/* What the model checks before the reader is asked. */
static void
test_read_checks (Fixture *f, gconstpointer data)
{
  g_autoptr (FkCardReader) reader = fk_card_reader_new (TRUE, "No Such Reader");

  read_fails (f->intake, reader, NULL, FK_INTAKE_ERROR_NO_CARD);
  read_card (f->intake);
  read_fails (f->intake, reader, "31/02/2030", FK_INTAKE_ERROR_CARD_EXPIRY);
  read_fails (f->intake, reader, "2030", FK_INTAKE_ERROR_CARD_EXPIRY);
}

int
main (int argc, char **argv)
{
  fk_i18n_init ("en");
  g_test_init (&argc, &argv, NULL);
  fk_core_ensure_resources ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/intake-chip/steps", test_steps);
  ADD ("/intake-chip/identity", test_identity);
  ADD ("/intake-chip/mismatch", test_mismatch);
  ADD ("/intake-chip/form", test_form);
  ADD ("/intake-chip/forged", test_forged);
  ADD ("/intake-chip/forgotten", test_forgotten);
  ADD ("/intake-chip/draft-and-commit", test_draft_and_commit);
  ADD ("/intake-chip/read-checks", test_read_checks);
#undef ADD
  g_test_add_func ("/intake-chip/religion-only-when-asked", test_religion_only_when_asked);
  return g_test_run ();
}
