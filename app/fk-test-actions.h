/* fk-test-actions.h: actions that let a test drive and photograph the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void fk_test_actions_install (GtkApplication *app);

G_END_DECLS
