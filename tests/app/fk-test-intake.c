/* fk-test-intake.c: what the intake model's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-test-intake.h"

void
fk_test_intake_set_up (FkTestIntake *f, const char *dir_template)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp (dir_template, &error);
  g_assert_no_error (error);
  f->store = fk_test_store_create (f->dir, f->server_pk, f->server_sk, NULL);
  if (!fk_store_is_unlocked (f->store))
    g_assert_true (fk_store_unlock (f->store, FK_TEST_PIN, NULL));
  f->catalog = fk_catalog_new_default (&error);
  g_assert_no_error (error);
  /* Phường Ba Đình */
  f->visit = fk_visit_new ("2026-11-24", "00004", "Bản Nậm Củm");
  f->intake = fk_intake_new (f->store, f->catalog);
  fk_intake_set_visit (f->intake, f->visit);
}

void
fk_test_intake_tear_down (FkTestIntake *f)
{
  fk_test_wait_for_draft (f->intake);
  g_assert_finalize_object (f->intake);
  g_clear_object (&f->visit);
  g_clear_object (&f->catalog);
  g_clear_object (&f->store);
  fk_test_rm_rf (f->dir);
  g_free (f->dir);
}

void
fk_test_wait_for_draft (FkIntake *intake)
{
  while (fk_intake_get_draft_state (intake) == FK_INTAKE_DRAFT_SAVING)
    g_main_context_iteration (NULL, TRUE);
}

void
fk_test_got_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

GAsyncResult *
fk_test_wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}
