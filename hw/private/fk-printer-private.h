/* fk-printer-private.h: the printer's constructor, for the device factory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-printer.h"

G_BEGIN_DECLS

FkPrinter *fk_printer_new (gboolean simulated, const char *name);
GStrv fk_printer_list_names (gboolean simulated, GError **error);

G_END_DECLS
