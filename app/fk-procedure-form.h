/* fk-procedure-form.h: a procedure's form, generated from the catalog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fk-intake.h"

G_BEGIN_DECLS

#define FK_TYPE_PROCEDURE_FORM (fk_procedure_form_get_type ())

G_DECLARE_FINAL_TYPE (FkProcedureForm, fk_procedure_form, FK, PROCEDURE_FORM, AdwBin)

FkProcedureForm *fk_procedure_form_new (FkIntake *intake);
FkProcedure *fk_procedure_form_get_procedure (FkProcedureForm *self);

G_END_DECLS
