/* fk-card-reader-pcsc.h: card readers through pcsc-lite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-card-reader.h"

G_BEGIN_DECLS

#define FK_TYPE_CARD_READER_PCSC (fk_card_reader_pcsc_get_type ())
G_DECLARE_FINAL_TYPE (FkCardReaderPcsc, fk_card_reader_pcsc, FK, CARD_READER_PCSC, GObject)

FkCardReaderPcsc *fk_card_reader_pcsc_new (gboolean virtual_only, const char *name);
GStrv fk_card_reader_pcsc_list_names (gboolean virtual_only, GError **error);

G_END_DECLS
