/* fk-test-intake.h: what the intake model's tests share
 *
 * An intake on a real store in a temporary directory, unlocked, with the
 * shipped catalog and a visit to Bản Nậm Củm; and the waits for its draft
 * and for an asynchronous result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-intake.h"
#include "fk-test-store.h"

G_BEGIN_DECLS

typedef struct
{
  char *dir;
  guint8 server_pk[FK_VAULT_PUBLIC_KEY_BYTES];
  guint8 server_sk[FK_VAULT_SECRET_KEY_BYTES];
  FkStore *store;
  FkCatalog *catalog;
  FkVisit *visit;
  FkIntake *intake;
} FkTestIntake;

/* @dir_template: for g_dir_make_tmp(), e.g. "fk-intake-XXXXXX". */
void fk_test_intake_set_up (FkTestIntake *f, const char *dir_template);
/* Waits for the draft being written, then asserts the intake is finalized
 * and removes the directory. */
void fk_test_intake_tear_down (FkTestIntake *f);

/* Runs the main context until @intake's draft is no longer being saved. */
void fk_test_wait_for_draft (FkIntake *intake);
/* A GAsyncReadyCallback keeping a reference to the result in the
 * (GAsyncResult **) @user_data; fk_test_wait_result() waits for it. */
void fk_test_got_result (GObject *source, GAsyncResult *result, gpointer user_data);
GAsyncResult *fk_test_wait_result (GAsyncResult **slot);

G_END_DECLS
