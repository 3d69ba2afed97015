/* fk-card-expiry.h: which expiry a CCCD most likely carries
 *
 * The QR code gives the birth and issue dates but not the expiry, which
 * BAC needs. The identification laws fix it from age milestones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* BAC attempts per tap: chips may slow down or lock after failures. */
#define FK_CARD_EXPIRY_MAX_TRIES 4

/**
 * FkCardExpiry:
 * @date: the expiry, when @none is %FALSE
 * @none: a card without expiry (issued at 58 or later)
 * @age: the milestone age the expiry falls on, 0 for none
 */
typedef struct
{
  GDate date;
  gboolean none;
  guint age;
} FkCardExpiry;

gboolean fk_card_expiry_predict (const GDate *birth, const GDate *issued, FkCardExpiry *out);
GArray *fk_card_expiry_candidates (const GDate *birth, const GDate *issued, const GDate *today,
                                   guint max);

G_END_DECLS
