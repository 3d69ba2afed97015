/* fk-tlv.c: BER-TLV reading
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-tlv.h"

/**
 * fk_tlv_next:
 * @cursor: (inout): where the next TLV starts; moved past it on success
 * @end: the end of the buffer
 * @tlv: (out caller-allocates): the TLV read
 *
 * Returns: %TRUE when a whole TLV lies between @cursor and @end; %FALSE on
 *   a truncated or malformed one (indefinite lengths included), leaving
 *   @cursor where it was.
 */
gboolean
fk_tlv_next (const guint8 **cursor, const guint8 *end, FkTlv *tlv)
{
  const guint8 *p = *cursor;
  guint tag;
  gsize length = 0;

  if (p >= end)
    return FALSE;
  tag = *p++;
  tlv->constructed = (tag & 0x20) != 0;
  if ((tag & 0x1f) == 0x1f)
    {
      /* subsequent bytes while bit 8 is set; at most two more */
      for (int i = 0;; i++)
        {
          if (p >= end || i == 2)
            return FALSE;
          tag = (tag << 8) | *p;
          if ((*p++ & 0x80) == 0)
            break;
        }
    }
  if (p >= end)
    return FALSE;
  if (*p < 0x80)
    length = *p++;
  else
    {
      int n = *p++ & 0x7f;

      if (n == 0 || n > 4 || end - p < n)
        return FALSE;
      while (n-- > 0)
        length = (length << 8) | *p++;
    }
  if ((gsize) (end - p) < length)
    return FALSE;
  tlv->tag = tag;
  tlv->value = p;
  tlv->length = length;
  *cursor = p + length;
  return TRUE;
}

/**
 * fk_tlv_find:
 *
 * Looks for @tag among the TLVs that follow each other in @data (one
 * level, no descent).
 */
gboolean
fk_tlv_find (const guint8 *data, gsize len, guint tag, FkTlv *tlv)
{
  const guint8 *p = data;
  const guint8 *end = data + len;

  while (fk_tlv_next (&p, end, tlv))
    if (tlv->tag == tag)
      return TRUE;
  return FALSE;
}

/**
 * fk_tlv_encode_length:
 *
 * Returns: how many bytes of @out the DER length of @length took.
 */
gsize
fk_tlv_encode_length (gsize length, guint8 out[5])
{
  gsize n = 0;

  if (length < 0x80)
    {
      out[0] = (guint8) length;
      return 1;
    }
  for (gsize v = length; v > 0; v >>= 8)
    n++;
  out[0] = (guint8) (0x80 | n);
  for (gsize i = 0; i < n; i++)
    out[n - i] = (guint8) (length >> (8 * i));
  return n + 1;
}

/**
 * fk_tlv_read_int:
 *
 * Reads a small non-negative INTEGER (at most 7 bytes of value).
 */
gboolean
fk_tlv_read_int (const FkTlv *tlv, gint64 *value)
{
  gint64 v = 0;

  if (tlv->tag != 0x02 || tlv->length == 0 || tlv->length > 7 || (tlv->value[0] & 0x80) != 0)
    return FALSE;
  for (gsize i = 0; i < tlv->length; i++)
    v = (v << 8) | tlv->value[i];
  *value = v;
  return TRUE;
}
