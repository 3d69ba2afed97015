/* fk-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FK_APPLICATION_ID   "vn.fieldkit.FieldKit"
#define FK_TYPE_APPLICATION (fk_application_get_type ())

G_DECLARE_FINAL_TYPE (FkApplication, fk_application, FK, APPLICATION, AdwApplication)

FkApplication *fk_application_new (void);
GSettings *fk_application_get_settings (FkApplication *self);

G_END_DECLS
