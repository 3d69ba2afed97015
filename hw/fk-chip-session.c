/* fk-chip-session.c: commands to the chip, plain or under secure messaging
 *
 * Files are selected by identifier (SELECT 00 A4 02 0C) and read with READ
 * BINARY in pieces small enough that a protected answer fits in 256 bytes
 * with AES padding (223 bytes of data). Their length comes from the first
 * TLV header, so a file is read exactly, never past its end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fk-chip-private.h"
#include "fk-hw-error.h"

#define READ_CHUNK 0xDF

/**
 * fk_chip_protocol_error:
 *
 * Returns: (transfer full): %FK_HW_ERROR_CARD_FAILED naming the step
 */
GError *
fk_chip_protocol_error (const char *what, guint16 sw)
{
  return g_error_new (FK_HW_ERROR, FK_HW_ERROR_CARD_FAILED,
                      _ ("The card refused a step of the read (%s, status %04X). Take the card "
                         "off the reader and try again."),
                      what, sw);
}

/**
 * fk_chip_command:
 * @sw: (out): the status word
 *
 * Sends @apdu, through secure messaging once access control has set it
 * up.
 *
 * Returns: (transfer full): the response data without the status word,
 *   or %NULL with @error set when the card could not be reached or its
 *   protected answer was wrong.
 */
GBytes *
fk_chip_command (FkChipSession *s, const guint8 *apdu, gsize len, guint16 *sw, GError **error)
{
  g_autoptr (GBytes) command = NULL;
  g_autoptr (GBytes) response = NULL;
  const guint8 *r;
  gsize rlen = 0;

  if (g_cancellable_set_error_if_cancelled (s->cancellable, error))
    return NULL;
  if (s->sm != NULL)
    command = fk_chip_sm_wrap (s->sm, apdu, len, error);
  else
    command = g_bytes_new (apdu, len);
  if (command == NULL)
    return NULL;
  s->n_apdus++;
  response = s->transmit (s->transmit_data, command, s->cancellable, error);
  if (response == NULL)
    return NULL;
  r = g_bytes_get_data (response, &rlen);
  if (rlen < 2)
    {
      g_set_error_literal (error, FK_HW_ERROR, FK_HW_ERROR_CARD_FAILED,
                           _ ("The card gave an empty answer. Hold it still on the reader and try "
                              "again."));
      return NULL;
    }
  if (s->sm != NULL)
    return fk_chip_sm_unwrap (s->sm, r, rlen, sw, error);
  *sw = (guint16) (r[rlen - 2] << 8 | r[rlen - 1]);
  return g_bytes_new (r, rlen - 2);
}

static gboolean
select_file (FkChipSession *s, guint16 fid, guint16 *sw, GError **error)
{
  guint8 apdu[] = { 0x00, 0xA4, 0x02, 0x0C, 0x02, fid >> 8, fid & 0xFF };
  g_autoptr (GBytes) r = fk_chip_command (s, apdu, sizeof apdu, sw, error);

  return r != NULL;
}

static GBytes *
read_binary (FkChipSession *s, gsize offset, guint8 n, guint16 *sw, GError **error)
{
  guint8 apdu[] = { 0x00, 0xB0, (offset >> 8) & 0x7F, offset & 0xFF, n };

  return fk_chip_command (s, apdu, sizeof apdu, sw, error);
}

/* The whole length of a file from its first bytes: tag, length, value. */
static gboolean
file_length (const guint8 *head, gsize n, gsize *total)
{
  gsize i = 1, len = 0;

  if (n < 2)
    return FALSE;
  if ((head[0] & 0x1F) == 0x1F)
    i++;
  if (i >= n)
    return FALSE;
  if (head[i] < 0x80)
    len = head[i++];
  else
    {
      int k = head[i++] & 0x7F;

      if (k == 0 || k > 3 || i + (gsize) k > n)
        return FALSE;
      while (k-- > 0)
        len = (len << 8) | head[i++];
    }
  *total = i + len;
  return TRUE;
}

/**
 * fk_chip_read_file:
 * @fid: the file identifier: 0x0101 for DG1 … 0x011D for EF.SOD
 * @max_size: the largest file accepted
 * @contents: (out) (transfer full): the file, or %NULL when the card has
 *   no such file (the function still returns %TRUE)
 *
 * Returns: %FALSE with @error set when the card could not be read.
 */
gboolean
fk_chip_read_file (FkChipSession *s, guint16 fid, gsize max_size, GBytes **contents, GError **error)
{
  g_autoptr (GByteArray) data = g_byte_array_new ();
  g_autoptr (GBytes) head = NULL;
  guint16 sw = 0;
  gsize total = 0;

  *contents = NULL;
  if (!select_file (s, fid, &sw, error))
    return FALSE;
  if (sw == 0x6A82)
    return TRUE; /* file not found */
  if (sw != FK_CHIP_SW_OK)
    {
      g_propagate_error (error, fk_chip_protocol_error ("SELECT", sw));
      return FALSE;
    }
  head = read_binary (s, 0, 8, &sw, error);
  if (head == NULL)
    return FALSE;
  if ((sw != FK_CHIP_SW_OK && sw != 0x6282) ||
      !file_length (g_bytes_get_data (head, NULL), g_bytes_get_size (head), &total))
    {
      g_propagate_error (error, fk_chip_protocol_error ("READ BINARY", sw));
      return FALSE;
    }
  if (total > max_size || total > 0x7FFF)
    {
      g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_CARD_UNREADABLE_DATA,
                   _ ("A file on the card is larger (%u bytes) than an ID card's can be."),
                   (guint) total);
      return FALSE;
    }
  g_byte_array_append (data, g_bytes_get_data (head, NULL),
                       (guint) MIN (g_bytes_get_size (head), total));
  while (data->len < total)
    {
      guint8 n = (guint8) MIN (READ_CHUNK, total - data->len);
      g_autoptr (GBytes) piece = read_binary (s, data->len, n, &sw, error);

      if (piece == NULL)
        return FALSE;
      if (sw != FK_CHIP_SW_OK || g_bytes_get_size (piece) == 0)
        {
          g_propagate_error (error, fk_chip_protocol_error ("READ BINARY", sw));
          return FALSE;
        }
      g_byte_array_append (data, g_bytes_get_data (piece, NULL),
                           (guint) MIN (g_bytes_get_size (piece), total - data->len));
    }
  *contents = g_byte_array_free_to_bytes (g_steal_pointer (&data));
  return TRUE;
}
