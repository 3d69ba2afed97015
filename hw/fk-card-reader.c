/* fk-card-reader.c: the card reader interface and the choice of backend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-card-reader-pcsc.h"
#include "fk-card-reader.h"

G_DEFINE_INTERFACE (FkCardReader, fk_card_reader, G_TYPE_OBJECT)

static void
fk_card_reader_default_init (FkCardReaderInterface *iface)
{
}

/**
 * fk_card_reader_get_name:
 *
 * Returns: (nullable): the reader's PC/SC name, or %NULL when the object
 *   stands for whichever reader of its backend has a card
 */
const char *
fk_card_reader_get_name (FkCardReader *self)
{
  g_return_val_if_fail (FK_IS_CARD_READER (self), NULL);
  return FK_CARD_READER_GET_IFACE (self)->get_name (self);
}

/**
 * fk_card_reader_wait_for_card_async:
 *
 * Waits until a card lies on the reader ("touch the card to the reader");
 * cancel it to stop waiting.
 */
void
fk_card_reader_wait_for_card_async (FkCardReader *self, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (FK_IS_CARD_READER (self));
  FK_CARD_READER_GET_IFACE (self)->wait_for_card_async (self, cancellable, callback, user_data);
}

/**
 * fk_card_reader_wait_for_card_finish:
 *
 * Returns: (transfer full): the name of the reader the card lies on, or
 *   %NULL with @error set (%FK_HW_ERROR_CARD_NO_SERVICE,
 *   %FK_HW_ERROR_CARD_NO_READER, %G_IO_ERROR_CANCELLED)
 */
char *
fk_card_reader_wait_for_card_finish (FkCardReader *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (FK_IS_CARD_READER (self), NULL);
  return FK_CARD_READER_GET_IFACE (self)->wait_for_card_finish (self, result, error);
}

/**
 * fk_card_reader_read_async:
 * @request: the ID number, dates and trust folder; copied
 *
 * Reads the card on the reader: access control, DG1, DG13, DG2, EF.SOD and
 * passive authentication. One read at a time per reader.
 */
void
fk_card_reader_read_async (FkCardReader *self, const FkCardRequest *request,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_return_if_fail (FK_IS_CARD_READER (self));
  g_return_if_fail (request != NULL);
  FK_CARD_READER_GET_IFACE (self)->read_async (self, request, cancellable, callback, user_data);
}

/**
 * fk_card_reader_read_finish:
 * @stats: (out) (optional): APDUs, BAC tries and time of the read, also
 *   filled when the read failed
 *
 * Returns: (transfer full): the card's data with the access method, the
 *   passive-authentication outcome and the portrait; %NULL with @error
 *   set and nothing read otherwise (%FK_HW_ERROR_CARD_NO_CARD,
 *   %FK_HW_ERROR_CARD_REMOVED, %FK_HW_ERROR_CARD_BUSY,
 *   %FK_HW_ERROR_CARD_ACCESS_DENIED, …)
 */
FkChipData *
fk_card_reader_read_finish (FkCardReader *self, GAsyncResult *result, FkCardReadStats *stats,
                            GError **error)
{
  g_return_val_if_fail (FK_IS_CARD_READER (self), NULL);
  return FK_CARD_READER_GET_IFACE (self)->read_finish (self, result, stats, error);
}

/**
 * fk_card_reader_list_names:
 *
 * Returns: (transfer full): the names of the backend's readers plugged in
 *   now, possibly none; %NULL with %FK_HW_ERROR_CARD_NO_SERVICE when the
 *   smart-card service does not run
 */
GStrv
fk_card_reader_list_names (gboolean simulated, GError **error)
{
  return fk_card_reader_pcsc_list_names (simulated, error);
}

/**
 * fk_card_reader_new:
 * @name: (nullable): a reader's name from fk_card_reader_list_names(), or
 *   %NULL for whichever reader of the backend has a card
 *
 * Creating a reader does not talk to it: a reader plugged in later, or a
 * smart-card service started later, is found when the reader is used.
 *
 * Returns: (transfer full): the reader
 */
FkCardReader *
fk_card_reader_new (gboolean simulated, const char *name)
{
  return FK_CARD_READER (fk_card_reader_pcsc_new (simulated, name));
}
