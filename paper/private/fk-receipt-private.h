/* fk-receipt-private.h: what the receipt's files share
 *
 * fk-receipt.c          what the receipt says, from a dossier and the visits
 * fk-receipt-layout.c   how it is laid out on a roll or a sheet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-receipt.h"

G_BEGIN_DECLS

struct _FkReceipt
{
  GObject parent_instance;

  char *dossier_id;
  char *number;      /* the UUID's first eight hex digits, upper case */
  char *centre;      /* the commune centre's name */
  GPtrArray *lines;  /* FkReceiptLine */
  GDate *expected;   /* NULL: the catalog gives no time limit */
  FkVisit *handover; /* the visit planned for the handover, or NULL */
  gboolean practice;
};

G_END_DECLS
