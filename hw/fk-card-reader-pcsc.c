/* fk-card-reader-pcsc.c: card readers through pcsc-lite
 *
 * Every operation runs in a worker thread with its own PC/SC context
 * (contexts are not shared between threads). Waiting uses
 * SCardGetStatusChange on the readers and on the "\\?PnP?\Notification"
 * pseudo-reader, so readers plugged in during the wait are seen; a
 * cancellable stops it through SCardCancel, the one call PC/SC allows
 * from another thread. A read connects exclusively (another program on
 * the reader gives "busy") and resets the card when done, so the chip's
 * secure-messaging session never outlives the read.
 *
 * The "virtual only" flag is the simulated backend: only readers whose
 * name starts with FK_CARD_READER_SIM_PREFIX, vsmartcard's vpcd; the real
 * backend skips those. A reader asked for by name is used whatever its
 * backend.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <PCSC/winscard.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "fk-card-reader-pcsc.h"
#include "fk-hw-error.h"

#define PNP_READER   "\\\\?PnP?\\Notification"
#define MAX_READERS  16
#define WAIT_TIMEOUT 1000 /* ms: a reader list changing without PnP support is seen this soon */
#define MAX_RESPONSE (256 + 2)

struct _FkCardReaderPcsc
{
  GObject parent_instance;

  char *name;
  gboolean virtual_only;
  gint busy; /* one read or wait at a time */
};

static void fk_card_reader_pcsc_iface_init (FkCardReaderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FkCardReaderPcsc, fk_card_reader_pcsc, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (FK_TYPE_CARD_READER,
                                                      fk_card_reader_pcsc_iface_init))

static GError *
pcsc_error (LONG rv, gboolean card_was_there)
{
  switch (rv)
    {
      case SCARD_E_NO_SERVICE:
      case SCARD_E_SERVICE_STOPPED:
        return g_error_new_literal (FK_HW_ERROR, FK_HW_ERROR_CARD_NO_SERVICE,
                                    _ ("The smart-card service (pcscd) is not running. Start it "
                                       "and try again."));
      case SCARD_E_NO_READERS_AVAILABLE:
      case SCARD_E_UNKNOWN_READER:
      case SCARD_E_READER_UNAVAILABLE:
        return g_error_new_literal (FK_HW_ERROR, FK_HW_ERROR_CARD_NO_READER,
                                    _ ("No card reader was found. Plug in the reader and try "
                                       "again."));
      case SCARD_E_NO_SMARTCARD:
      case SCARD_W_REMOVED_CARD:
      case SCARD_W_UNPOWERED_CARD:
      case SCARD_W_UNRESPONSIVE_CARD:
        if (card_was_there)
          return g_error_new_literal (FK_HW_ERROR, FK_HW_ERROR_CARD_REMOVED,
                                      _ ("The card was taken off the reader before the read "
                                         "finished. Put it back, hold it still, and read again."));
        return g_error_new_literal (FK_HW_ERROR, FK_HW_ERROR_CARD_NO_CARD,
                                    _ ("There is no card on the reader. Touch the card to the "
                                       "reader and hold it still."));
      case SCARD_E_SHARING_VIOLATION:
        return g_error_new_literal (FK_HW_ERROR, FK_HW_ERROR_CARD_BUSY,
                                    _ ("The card reader is busy with another program. Close it "
                                       "and try again."));
      case SCARD_E_CANCELLED:
        return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("Cancelled."));
      default:
        return g_error_new (FK_HW_ERROR, FK_HW_ERROR_CARD_FAILED,
                            _ ("The card reader failed (%s). Take the card off, then try again."),
                            pcsc_stringify_error (rv));
    }
}

static gboolean
name_matches (gboolean virtual_only, const char *reader)
{
  return g_str_has_prefix (reader, FK_CARD_READER_SIM_PREFIX) == virtual_only;
}

/* The backend's readers; an empty list when none (not an error). */
static GStrv
list_readers (SCARDCONTEXT ctx, gboolean any, gboolean virtual_only, GError **error)
{
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();
  char *buffer = NULL;
  DWORD len = SCARD_AUTOALLOCATE;
  LONG rv = SCardListReaders (ctx, NULL, (LPSTR) &buffer, &len);

  if (rv == SCARD_E_NO_READERS_AVAILABLE)
    return g_strv_builder_end (names);
  if (rv != SCARD_S_SUCCESS)
    {
      g_propagate_error (error, pcsc_error (rv, FALSE));
      return NULL;
    }
  for (const char *p = buffer; *p != '\0'; p += strlen (p) + 1)
    if (any || name_matches (virtual_only, p))
      g_strv_builder_add (names, p);
  SCardFreeMemory (ctx, buffer);
  return g_strv_builder_end (names);
}

static gboolean
establish (SCARDCONTEXT *ctx, GError **error)
{
  LONG rv = SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, ctx);

  if (rv != SCARD_S_SUCCESS)
    {
      g_propagate_error (error, pcsc_error (rv, FALSE));
      return FALSE;
    }
  return TRUE;
}

/**
 * fk_card_reader_pcsc_list_names:
 *
 * Returns: (transfer full): the names, possibly none; %NULL with @error
 *   when pcscd does not answer
 */
GStrv
fk_card_reader_pcsc_list_names (gboolean virtual_only, GError **error)
{
  SCARDCONTEXT ctx;
  GStrv names;

  if (!establish (&ctx, error))
    return NULL;
  names = list_readers (ctx, FALSE, virtual_only, error);
  SCardReleaseContext (ctx);
  return names;
}

static void
fk_card_reader_pcsc_finalize (GObject *object)
{
  FkCardReaderPcsc *self = FK_CARD_READER_PCSC (object);

  g_free (self->name);
  G_OBJECT_CLASS (fk_card_reader_pcsc_parent_class)->finalize (object);
}

static void
fk_card_reader_pcsc_class_init (FkCardReaderPcscClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fk_card_reader_pcsc_finalize;
}

static void
fk_card_reader_pcsc_init (FkCardReaderPcsc *self)
{
}

/**
 * fk_card_reader_pcsc_new:
 * @name: (nullable): one reader, or %NULL for any of the backend's
 */
FkCardReaderPcsc *
fk_card_reader_pcsc_new (gboolean virtual_only, const char *name)
{
  FkCardReaderPcsc *self = g_object_new (FK_TYPE_CARD_READER_PCSC, NULL);

  self->virtual_only = virtual_only;
  self->name = g_strdup (name);
  return self;
}

static const char *
get_name (FkCardReader *reader)
{
  return FK_CARD_READER_PCSC (reader)->name;
}

/* Cancellation of a blocking PC/SC call: SCardCancel on its context. */
typedef struct
{
  SCARDCONTEXT ctx;
} CancelData;

static void
on_cancelled (GCancellable *cancellable, CancelData *data)
{
  SCardCancel (data->ctx);
}

/* The name of a reader among @states with a card on it, or NULL. */
static char *
card_present (SCARD_READERSTATE *states, DWORD n)
{
  for (DWORD i = 0; i < n; i++)
    {
      DWORD s = states[i].dwEventState;

      if ((s & SCARD_STATE_PRESENT) && !(s & SCARD_STATE_MUTE) && states[i].szReader != NULL &&
          !g_str_equal (states[i].szReader, PNP_READER))
        return g_strdup (states[i].szReader);
    }
  return NULL;
}

/* One round: the readers there now (or only PnP while the named one is
 * not plugged in), their state, then a change or the timeout. */
static gboolean
wait_round (FkCardReaderPcsc *self, SCARDCONTEXT ctx, gboolean *seen, char **found, GError **error)
{
  /* a reader named is used whatever its backend */
  g_auto (GStrv) names = list_readers (ctx, self->name != NULL, self->virtual_only, error);
  SCARD_READERSTATE states[MAX_READERS + 1] = { 0 };
  DWORD n = 0;
  LONG rv;

  if (names == NULL)
    return FALSE;
  for (int i = 0; names[i] != NULL && n < MAX_READERS; i++)
    if (self->name == NULL || g_str_equal (names[i], self->name))
      states[n++].szReader = names[i];
  if (self->name != NULL && n == 0 && *seen)
    {
      g_propagate_error (error, pcsc_error (SCARD_E_UNKNOWN_READER, FALSE));
      return FALSE; /* the named reader was unplugged */
    }
  *seen = *seen || n > 0;
  states[n++].szReader = PNP_READER;
  for (DWORD i = 0; i < n; i++)
    states[i].dwCurrentState = SCARD_STATE_UNAWARE;
  rv = SCardGetStatusChange (ctx, 0, states, n);
  if (rv == SCARD_S_SUCCESS && (*found = card_present (states, n - 1)) != NULL)
    return TRUE;
  if (rv == SCARD_S_SUCCESS)
    {
      for (DWORD i = 0; i < n; i++)
        states[i].dwCurrentState = states[i].dwEventState & ~SCARD_STATE_CHANGED;
      rv = SCardGetStatusChange (ctx, WAIT_TIMEOUT, states, n);
      if (rv == SCARD_S_SUCCESS && (*found = card_present (states, n - 1)) != NULL)
        return TRUE;
    }
  switch (rv)
    {
      case SCARD_S_SUCCESS:
      case SCARD_E_TIMEOUT:
      case SCARD_E_UNKNOWN_READER: /* a reader went away meanwhile: list again */
        return TRUE;
      default:
        g_propagate_error (error, pcsc_error (rv, FALSE));
        return FALSE;
    }
}

static gboolean
wait_for_card (FkCardReaderPcsc *self, GCancellable *cancellable, char **found, GError **error)
{
  SCARDCONTEXT ctx;
  CancelData data;
  gulong handler = 0;
  gboolean seen = FALSE;

  *found = NULL;
  if (!establish (&ctx, error))
    return FALSE;
  data.ctx = ctx;
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), &data, NULL);
  while (*found == NULL && !g_cancellable_set_error_if_cancelled (cancellable, error))
    if (!wait_round (self, ctx, &seen, found, error))
      break;
  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);
  SCardReleaseContext (ctx);
  return *found != NULL;
}

static void
wait_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  FkCardReaderPcsc *self = source;
  GError *error = NULL;
  char *found = NULL;

  if (wait_for_card (self, cancellable, &found, &error))
    g_task_return_pointer (task, found, g_free);
  else
    g_task_return_error (task, error);
  g_atomic_int_set (&self->busy, 0);
}

static GError *
busy_error (void)
{
  return g_error_new_literal (FK_HW_ERROR, FK_HW_ERROR_CARD_BUSY,
                              _ ("The card reader is already reading a card. Wait for it to "
                                 "finish."));
}

static void
wait_for_card_async (FkCardReader *reader, GCancellable *cancellable, GAsyncReadyCallback callback,
                     gpointer user_data)
{
  FkCardReaderPcsc *self = FK_CARD_READER_PCSC (reader);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, wait_for_card_async);
  if (!g_atomic_int_compare_and_exchange (&self->busy, 0, 1))
    {
      g_task_return_error (task, busy_error ());
      return;
    }
  g_task_run_in_thread (task, wait_thread);
}

static char *
wait_for_card_finish (FkCardReader *reader, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, reader), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wait_for_card_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The connection a read transmits on. */
typedef struct
{
  SCARDCONTEXT ctx;
  SCARDHANDLE card;
  DWORD protocol;
  FkCardReadStats stats;
  FkCardRequest *request;
} ReadData;

static void
read_data_free (ReadData *data)
{
  fk_card_request_free (data->request);
  g_free (data);
}

/* Whether the card has left, asking the reader for up to a second. */
static gboolean
card_gone (ReadData *data)
{
  for (int i = 0; i < 10; i++)
    {
      DWORD state = 0, proto = 0, atr_len = 0, name_len = 0;
      LONG rv = SCardStatus (data->card, NULL, &name_len, &state, &proto, NULL, &atr_len);

      if (rv != SCARD_S_SUCCESS || !(state & SCARD_PRESENT))
        return TRUE;
      g_usleep (100 * 1000);
    }
  return FALSE;
}

static GBytes *
transmit (gpointer user_data, GBytes *apdu, GCancellable *cancellable, GError **error)
{
  ReadData *data = user_data;
  const SCARD_IO_REQUEST *pci = data->protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
  guint8 response[MAX_RESPONSE];
  DWORD len = sizeof response;
  LONG rv;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  rv = SCardTransmit (data->card, pci, g_bytes_get_data (apdu, NULL),
                      (DWORD) g_bytes_get_size (apdu), NULL, response, &len);
  if (rv != SCARD_S_SUCCESS || len < 2)
    {
      /* a card that left shows as a failed or empty exchange first, and
       * as absent only once the reader has looked again */
      if (rv == SCARD_S_SUCCESS && !card_gone (data))
        return g_bytes_new (response, len);
      if (rv == SCARD_S_SUCCESS || card_gone (data))
        rv = SCARD_W_REMOVED_CARD;
      g_propagate_error (error, pcsc_error (rv, TRUE));
      return NULL;
    }
  /* 61xx: more data waits (T=0); get it */
  if (len == 2 && response[0] == 0x61)
    {
      guint8 get_response[] = { 0x00, 0xC0, 0x00, 0x00, response[1] };
      g_autoptr (GBytes) again = g_bytes_new (get_response, sizeof get_response);

      return transmit (user_data, again, cancellable, error);
    }
  return g_bytes_new (response, len);
}

/* The reader with a card on it now, without waiting. */
static char *
find_card_now (FkCardReaderPcsc *self, SCARDCONTEXT ctx, GError **error)
{
  /* a reader named is used whatever its backend */
  g_auto (GStrv) names = list_readers (ctx, self->name != NULL, self->virtual_only, error);
  SCARD_READERSTATE states[MAX_READERS] = { 0 };
  DWORD n = 0;

  if (names == NULL)
    return NULL;
  for (int i = 0; names[i] != NULL && n < MAX_READERS; i++)
    if (self->name == NULL || g_str_equal (names[i], self->name))
      {
        states[n].szReader = names[i];
        states[n++].dwCurrentState = SCARD_STATE_UNAWARE;
      }
  if (n == 0)
    {
      g_propagate_error (error, pcsc_error (SCARD_E_UNKNOWN_READER, FALSE));
      return NULL;
    }
  if (SCardGetStatusChange (ctx, 0, states, n) == SCARD_S_SUCCESS)
    for (DWORD i = 0; i < n; i++)
      if ((states[i].dwEventState & SCARD_STATE_PRESENT) &&
          !(states[i].dwEventState & SCARD_STATE_MUTE))
        return g_strdup (states[i].szReader);
  g_propagate_error (error, pcsc_error (SCARD_E_NO_SMARTCARD, FALSE));
  return NULL;
}

static FkChipData *
read_card (FkCardReaderPcsc *self, ReadData *data, GCancellable *cancellable, GError **error)
{
  g_autofree char *name = NULL;
  FkChipData *result = NULL;
  gint64 start = g_get_monotonic_time ();
  LONG rv;

  if (!establish (&data->ctx, error))
    return NULL;
  name = find_card_now (self, data->ctx, error);
  if (name == NULL)
    {
      SCardReleaseContext (data->ctx);
      return NULL;
    }
  rv = SCardConnect (data->ctx, name, SCARD_SHARE_EXCLUSIVE, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
                     &data->card, &data->protocol);
  if (rv != SCARD_S_SUCCESS)
    g_propagate_error (error, pcsc_error (rv, FALSE));
  else
    {
      result = fk_chip_read (transmit, data, data->request, cancellable, &data->stats, error);
      /* from the card found on the reader to the data checked */
      data->stats.elapsed_us = g_get_monotonic_time () - start;
      SCardDisconnect (data->card, SCARD_RESET_CARD);
    }
  SCardReleaseContext (data->ctx);
  return result;
}

static void
read_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  FkCardReaderPcsc *self = source;
  ReadData *data = task_data;
  GError *error = NULL;
  FkChipData *result = read_card (self, data, cancellable, &error);

  if (result != NULL)
    g_task_return_pointer (task, result, g_object_unref);
  else
    g_task_return_error (task, error);
  g_atomic_int_set (&self->busy, 0);
}

static void
read_async (FkCardReader *reader, const FkCardRequest *request, GCancellable *cancellable,
            GAsyncReadyCallback callback, gpointer user_data)
{
  FkCardReaderPcsc *self = FK_CARD_READER_PCSC (reader);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  ReadData *data = g_new0 (ReadData, 1);

  g_task_set_source_tag (task, read_async);
  data->request = fk_card_request_copy (request);
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  if (!g_atomic_int_compare_and_exchange (&self->busy, 0, 1))
    {
      g_task_return_error (task, busy_error ());
      return;
    }
  g_task_run_in_thread (task, read_thread);
}

static FkChipData *
read_finish (FkCardReader *reader, GAsyncResult *result, FkCardReadStats *stats, GError **error)
{
  ReadData *data;

  g_return_val_if_fail (g_task_is_valid (result, reader), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == read_async, NULL);
  data = g_task_get_task_data (G_TASK (result));
  if (stats != NULL)
    *stats = data->stats;
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
fk_card_reader_pcsc_iface_init (FkCardReaderInterface *iface)
{
  iface->get_name = get_name;
  iface->wait_for_card_async = wait_for_card_async;
  iface->wait_for_card_finish = wait_for_card_finish;
  iface->read_async = read_async;
  iface->read_finish = read_finish;
}
