/* fk-practice.h: the practice profile, where volunteers learn on invented
 * citizens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fk-store.h"

G_BEGIN_DECLS

/* The practice store's PIN, shown on the unlock page in practice: a
 * volunteer practises typing it (and a wrong one) without touching the
 * real store's count of wrong PINs. */
#define FK_PRACTICE_PIN "1234"

/* The shipped invented citizens, in the app's resources */
#define FK_PRACTICE_CITIZENS_RESOURCE "/vn/fieldkit/app/practice/citizens.json"

typedef struct
{
  char *name;    /* as on the card */
  char *payload; /* what the card's QR code says, as it says it */
  char *finger;  /* the print's file: in the resources, or beside the file */
  char *note;    /* what the case teaches, for the trainer */
} FkPracticeCitizen;

void fk_practice_citizen_free (FkPracticeCitizen *citizen);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkPracticeCitizen, fk_practice_citizen_free)

char *fk_practice_get_dir (void);

void fk_practice_open_store_async (GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data);
FkStore *fk_practice_open_store_finish (GAsyncResult *result, GError **error);

GPtrArray *fk_practice_load_citizens (GError **error);
GPtrArray *fk_practice_parse_citizens (GBytes *json, const char *origin, GError **error);
char *fk_practice_write_finger (const FkPracticeCitizen *citizen, const char *dir, GError **error);

G_END_DECLS
