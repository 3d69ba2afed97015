/* fk-card-reader.h: a reader of chip ID cards (CCCD), real or simulated
 *
 * Both backends go through pcsc-lite: "real" is any reader but the vsmartcard
 * virtual one, "sim" is only the virtual reader (vpcd), where our card
 * emulator sits in tests and demonstrations. A reader asked for by name is
 * used whatever the backend. The chip protocol is the
 * same code for both (fk-chip.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fk-chip.h"

G_BEGIN_DECLS

/* The name prefix of vsmartcard's vpcd readers, the simulated backend's. */
#define FK_CARD_READER_SIM_PREFIX "Virtual PCD"

#define FK_TYPE_CARD_READER (fk_card_reader_get_type ())
G_DECLARE_INTERFACE (FkCardReader, fk_card_reader, FK, CARD_READER, GObject)

/**
 * FkCardReaderInterface:
 * @get_name: the reader's name, or %NULL for "the first one with a card"
 * @wait_for_card_async: completes once a card lies on the reader (or on
 *   any reader of the backend when the name is %NULL); a reader plugged in
 *   meanwhile counts, one unplugged ends the wait with
 *   %FK_HW_ERROR_CARD_NO_READER only when it was named
 * @read_async: reads the card on the reader with @request
 */
struct _FkCardReaderInterface
{
  GTypeInterface g_iface;

  const char *(*get_name) (FkCardReader *self);

  void (*wait_for_card_async) (FkCardReader *self, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data);
  char *(*wait_for_card_finish) (FkCardReader *self, GAsyncResult *result, GError **error);

  void (*read_async) (FkCardReader *self, const FkCardRequest *request, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data);
  FkChipData *(*read_finish) (FkCardReader *self, GAsyncResult *result, FkCardReadStats *stats,
                              GError **error);
};

const char *fk_card_reader_get_name (FkCardReader *self);
void fk_card_reader_wait_for_card_async (FkCardReader *self, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
char *fk_card_reader_wait_for_card_finish (FkCardReader *self, GAsyncResult *result,
                                           GError **error);
void fk_card_reader_read_async (FkCardReader *self, const FkCardRequest *request,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data);
FkChipData *fk_card_reader_read_finish (FkCardReader *self, GAsyncResult *result,
                                        FkCardReadStats *stats, GError **error);

/* The backends, for the device factory (fk-devices.h): @simulated keeps to
 * vpcd's readers, otherwise every reader but those. */
GStrv fk_card_reader_list_names (gboolean simulated, GError **error);
FkCardReader *fk_card_reader_new (gboolean simulated, const char *name);

G_END_DECLS
