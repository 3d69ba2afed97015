/* fk-card-scanner.h: the live camera reading the QR code of a chip ID card
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FK_TYPE_CARD_SCANNER (fk_card_scanner_get_type ())

G_DECLARE_FINAL_TYPE (FkCardScanner, fk_card_scanner, FK, CARD_SCANNER, AdwBin)

void fk_card_scanner_start (FkCardScanner *self);
void fk_card_scanner_stop (FkCardScanner *self);
void fk_card_scanner_reset (FkCardScanner *self);

G_END_DECLS
