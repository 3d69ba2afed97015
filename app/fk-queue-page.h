/* fk-queue-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FK_TYPE_QUEUE_PAGE (fk_queue_page_get_type ())

G_DECLARE_FINAL_TYPE (FkQueuePage, fk_queue_page, FK, QUEUE_PAGE, AdwBin)

G_END_DECLS
