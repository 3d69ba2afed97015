/* fk-tlv.h: BER-TLV reading for the data groups of an ID card chip
 *
 * Reads tags of one to three bytes and definite lengths of up to four
 * bytes, never past the buffer it is given: the bytes come from a card.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint tag;            /* the tag bytes as a number: 0x5F1F, 0x6D, 0x30 */
  gboolean constructed; /* bit 6 of the first tag byte */
  const guint8 *value;
  gsize length;
} FkTlv;

gboolean fk_tlv_next (const guint8 **cursor, const guint8 *end, FkTlv *tlv);
gboolean fk_tlv_find (const guint8 *data, gsize len, guint tag, FkTlv *tlv);
gsize fk_tlv_encode_length (gsize length, guint8 out[5]);
gboolean fk_tlv_read_int (const FkTlv *tlv, gint64 *value);

G_END_DECLS
