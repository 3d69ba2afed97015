/* fk-chip.h: reading the chip of a CCCD (ICAO 9303 eMRTD, LDS1)
 *
 * fk_chip_read() runs the whole protocol over a transmit function: PACE
 * with the CAN when EF.CardAccess offers it, else BAC with the expiry
 * candidates (at most FK_CARD_EXPIRY_MAX_TRIES per tap), secure
 * messaging, DG1, DG13, DG2 and EF.SOD, and passive authentication. It
 * blocks: reader backends call it from a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>

#include "fk-core.h"

G_BEGIN_DECLS

/**
 * FkChipTransmitFunc:
 * @apdu: one command APDU
 *
 * Sends @apdu to the card and waits for its answer.
 *
 * Returns: (transfer full): the response APDU, status word last, or %NULL
 *   with @error set (card removed, reader gone, cancelled).
 */
typedef GBytes *(*FkChipTransmitFunc) (gpointer user_data, GBytes *apdu, GCancellable *cancellable,
                                       GError **error);

/**
 * FkCardRequest:
 *
 * What opens a card and how far to trust it: the ID number and birth date
 * from the card's QR code, the issue date when known (to predict the
 * expiry), the expiry when typed from the card, and the CSCA trust folder
 * or file.
 */
typedef struct _FkCardRequest FkCardRequest;

#define FK_TYPE_CARD_REQUEST (fk_card_request_get_type ())
GType fk_card_request_get_type (void);
FkCardRequest *fk_card_request_new (const char *id_number, const GDate *birth);
FkCardRequest *fk_card_request_copy (const FkCardRequest *request);
void fk_card_request_free (FkCardRequest *request);
void fk_card_request_set_issued (FkCardRequest *request, const GDate *issued);
void fk_card_request_set_expiry (FkCardRequest *request, const GDate *expiry, gboolean none);
void fk_card_request_set_trust (FkCardRequest *request, const char *path);
void fk_card_request_set_read_portrait (FkCardRequest *request, gboolean read_portrait);
gboolean fk_card_request_is_valid (const FkCardRequest *request, GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkCardRequest, fk_card_request_free)

/**
 * FkCardReadStats:
 * @n_apdus: command APDUs sent, secure messaging included
 * @n_bac_tries: BAC attempts made (0 when PACE opened the card)
 * @elapsed_us: from the first command to the last answer
 */
typedef struct
{
  guint n_apdus;
  guint n_bac_tries;
  gint64 elapsed_us;
} FkCardReadStats;

FkChipData *fk_chip_read (FkChipTransmitFunc transmit, gpointer transmit_data,
                          const FkCardRequest *request, GCancellable *cancellable,
                          FkCardReadStats *stats, GError **error);

GdkPixbuf *fk_chip_portrait_decode (GBytes *encoded, const char *mime_type, GError **error);

G_END_DECLS
