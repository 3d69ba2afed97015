/* fk-procedure-form.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "fk-catalog.h"

G_BEGIN_DECLS

#define FK_TYPE_PROCEDURE_FORM (fk_procedure_form_get_type ())

G_DECLARE_FINAL_TYPE (FkProcedureForm, fk_procedure_form, FK, PROCEDURE_FORM, AdwBin)

FkProcedureForm *fk_procedure_form_new (FkProcedure *procedure);
FkProcedure *fk_procedure_form_get_procedure (FkProcedureForm *self);
void fk_procedure_form_prefill (FkProcedureForm *self, const char *name, const char *text);
JsonObject *fk_procedure_form_save_state (FkProcedureForm *self);
void fk_procedure_form_load_state (FkProcedureForm *self, JsonObject *state);
JsonObject *fk_procedure_form_collect (FkProcedureForm *self, GError **error);

G_END_DECLS
