/* fk-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fk-catalog.h"
#include "fk-devices.h"
#include "fk-network-monitor.h"
#include "fk-sync-scheduler.h"
#include "fk-store.h"
#include "fk-visit.h"

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
FkVisit *fk_application_get_visit (FkApplication *self);
void fk_application_set_visit (FkApplication *self, FkVisit *visit);
guint fk_application_get_counter (FkApplication *self, const char *counter);
void fk_application_add_to_counter (FkApplication *self, const char *counter);
guint fk_application_get_month_counter (FkApplication *self, const char *month,
                                        const char *counter);
FkApplication *fk_application_get_default (void);
void fk_application_start_sync (FkApplication *self);
FkSyncScheduler *fk_application_get_scheduler (FkApplication *self);
FkNetworkMonitor *fk_application_get_network (FkApplication *self);

G_END_DECLS
