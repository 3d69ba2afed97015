/* fk-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fk-catalog.h"
#include "fk-devices.h"
#include "fk-session.h"
#include "fk-store.h"

G_BEGIN_DECLS

#define FK_APPLICATION_ID   "vn.fieldkit.FieldKit"
#define FK_TYPE_APPLICATION (fk_application_get_type ())

G_DECLARE_FINAL_TYPE (FkApplication, fk_application, FK, APPLICATION, AdwApplication)

FkApplication *fk_application_new (void);
GSettings *fk_application_get_settings (FkApplication *self);
FkDevices *fk_application_get_devices (FkApplication *self);
FkStore *fk_application_get_store (FkApplication *self);
void fk_application_set_store (FkApplication *self, FkStore *store);
const char *fk_application_get_store_problem (FkApplication *self);
FkCatalog *fk_application_get_catalog (FkApplication *self);
FkSession *fk_application_get_session (FkApplication *self);
FkApplication *fk_application_get_default (void);

gboolean fk_application_get_practice (FkApplication *self);
void fk_application_set_practice_async (FkApplication *self, gboolean practice,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
gboolean fk_application_set_practice_finish (FkApplication *self, GAsyncResult *result,
                                             GError **error);
const char *fk_application_get_practice_citizen (FkApplication *self);
gboolean fk_application_next_practice_citizen (FkApplication *self, GError **error);

G_END_DECLS
