/* fk-receipt-print.h: a dossier's receipt printed from the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void fk_receipt_print_async (GtkWidget *widget, const char *dossier_id, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
char *fk_receipt_print_finish (GAsyncResult *result, GError **error);
char *fk_receipt_print_explain (const GError *error);

G_END_DECLS
