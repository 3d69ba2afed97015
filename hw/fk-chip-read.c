/* fk-chip-read.c: one tap of a CCCD on the reader, from the first command
 * to the card's data
 *
 * Order (ICAO 9303 part 11 §4.2 for the access part): EF.CardAccess from
 * the master file; PACE with the CAN when it offers a variant we run
 * (else, or when PACE fails, BAC); SELECT of the eMRTD application
 * A0000002471001; BAC with the expiry candidates, at most
 * FK_CARD_EXPIRY_MAX_TRIES; DG1, DG13, DG2, EF.SOD; passive
 * authentication. Any error returns no data at all: a card lifted
 * mid-read leaves nothing half-filled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fk-chip-private.h"
#include "fk-hw-error.h"
#include "fk-tlv.h"

#define MAX_SMALL_FILE 16384
#define MAX_DG2        32767

struct _FkCardRequest
{
  char *id_number;
  GDate birth;
  GDate issued;
  GDate expiry;
  gboolean expiry_given;
  gboolean expiry_none;
  char *trust;
  gboolean read_portrait;
};

G_DEFINE_BOXED_TYPE (FkCardRequest, fk_card_request, fk_card_request_copy, fk_card_request_free)

/**
 * fk_card_request_new:
 * @id_number: the 12-digit ID from the QR code or typed
 * @birth: the birth date
 */
FkCardRequest *
fk_card_request_new (const char *id_number, const GDate *birth)
{
  FkCardRequest *r = g_new0 (FkCardRequest, 1);

  r->id_number = g_strdup (id_number);
  g_date_clear (&r->birth, 1);
  g_date_clear (&r->issued, 1);
  g_date_clear (&r->expiry, 1);
  if (birth != NULL && g_date_valid (birth))
    r->birth = *birth;
  r->read_portrait = TRUE;
  return r;
}

FkCardRequest *
fk_card_request_copy (const FkCardRequest *request)
{
  FkCardRequest *r = g_memdup2 (request, sizeof *request);

  r->id_number = g_strdup (request->id_number);
  r->trust = g_strdup (request->trust);
  return r;
}

void
fk_card_request_free (FkCardRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->id_number);
  g_free (request->trust);
  g_free (request);
}

void
fk_card_request_set_issued (FkCardRequest *request, const GDate *issued)
{
  g_date_clear (&request->issued, 1);
  if (issued != NULL && g_date_valid (issued))
    request->issued = *issued;
}

/**
 * fk_card_request_set_expiry:
 * @expiry: (nullable): the expiry printed on the card
 * @none: the card says "Không thời hạn" (no expiry)
 *
 * With an expiry given, BAC tries that one only.
 */
void
fk_card_request_set_expiry (FkCardRequest *request, const GDate *expiry, gboolean none)
{
  g_date_clear (&request->expiry, 1);
  request->expiry_none = none;
  request->expiry_given = none || (expiry != NULL && g_date_valid (expiry));
  if (expiry != NULL && g_date_valid (expiry))
    request->expiry = *expiry;
}

/**
 * fk_card_request_set_trust:
 * @path: (nullable): a CSCA certificate, or a folder of them
 */
void
fk_card_request_set_trust (FkCardRequest *request, const char *path)
{
  g_free (request->trust);
  request->trust = g_strdup (path);
}

void
fk_card_request_set_read_portrait (FkCardRequest *request, gboolean read_portrait)
{
  request->read_portrait = read_portrait;
}

/**
 * fk_card_request_is_valid:
 *
 * Returns: %TRUE when the ID is 12 digits and the birth date is set;
 *   else %FALSE with %G_IO_ERROR_INVALID_ARGUMENT
 */
gboolean
fk_card_request_is_valid (const FkCardRequest *request, GError **error)
{
  g_autofree char *number = fk_mrz_cccd_document_number (request->id_number);

  if (number == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _ ("The ID number must be the 12 digits printed on the card."));
      return FALSE;
    }
  if (!g_date_valid (&request->birth))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _ ("The birth date is needed to open the card's chip."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
select_application (FkChipSession *s, GError **error)
{
  static const guint8 select[] = { 0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0,
                                   0x00, 0x00, 0x02, 0x47, 0x10, 0x01 };
  guint16 sw = 0;
  g_autoptr (GBytes) r = fk_chip_command (s, select, sizeof select, &sw, error);

  if (r == NULL)
    return FALSE;
  if (sw != FK_CHIP_SW_OK)
    {
      g_set_error_literal (error, FK_HW_ERROR, FK_HW_ERROR_CARD_NOT_ID,
                           _ ("This card has no ID-card chip application. Put the citizen's ID "
                              "card (CCCD) on the reader."));
      return FALSE;
    }
  return TRUE;
}

/* BAC with each candidate expiry in turn; @n_tries counts the attempts. */
static gboolean
run_bac (FkChipSession *s, const FkCardRequest *request, guint *n_tries, GError **error)
{
  g_autofree char *number = fk_mrz_cccd_document_number (request->id_number);
  g_autofree char *birth = fk_mrz_format_date (&request->birth);
  g_autoptr (GArray) candidates = NULL;
  g_autoptr (GDate) today = g_date_new ();

  g_date_set_time_t (today, time (NULL));
  if (request->expiry_given)
    {
      FkCardExpiry e = { .date = request->expiry, .none = request->expiry_none };

      candidates = g_array_new (FALSE, TRUE, sizeof (FkCardExpiry));
      g_array_append_val (candidates, e);
    }
  else
    candidates = fk_card_expiry_candidates (
      &request->birth, g_date_valid (&request->issued) ? &request->issued : NULL, today,
      FK_CARD_EXPIRY_MAX_TRIES);

  for (guint i = 0; i < candidates->len && i < FK_CARD_EXPIRY_MAX_TRIES; i++)
    {
      const FkCardExpiry *e = &g_array_index (candidates, FkCardExpiry, i);
      g_autofree char *expiry = fk_mrz_format_date (e->none ? NULL : &e->date);
      g_autofree char *seed = fk_mrz_bac_key_seed_text (number, birth, expiry);
      g_autoptr (GError) local = NULL;
      gboolean refused = FALSE;

      (*n_tries)++;
      if (fk_chip_bac (s, seed, &refused, &local))
        return TRUE;
      if (!refused)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_CARD_ACCESS_DENIED,
               request->expiry_given
                 ? _ ("The card refused the ID number, birth date and expiry date. Check them "
                      "against the card.")
                 : g_dngettext (GETTEXT_PACKAGE,
                                "The card refused the ID number and birth date with the expiry "
                                "date tried. Type the expiry date printed on the card.",
                                "The card refused the ID number and birth date with the %u "
                                "expiry dates tried. Type the expiry date printed on the card.",
                                *n_tries),
               *n_tries);
  return FALSE;
}

/* PACE when EF.CardAccess offers it; %FALSE without error means "use BAC". */
static gboolean
try_pace (FkChipSession *s, const FkCardRequest *request, gboolean *done, GError **error)
{
  g_autoptr (GBytes) card_access = NULL;
  g_autoptr (GError) local = NULL;
  gboolean refused = FALSE;

  *done = FALSE;
  if (!fk_chip_read_file (s, 0x011C, MAX_SMALL_FILE, &card_access, &local))
    {
      /* a card without the file may answer anything; only a lost card stops us */
      if (g_error_matches (local, FK_HW_ERROR, FK_HW_ERROR_CARD_FAILED) ||
          g_error_matches (local, FK_HW_ERROR, FK_HW_ERROR_CARD_UNREADABLE_DATA))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!fk_chip_pace_supported (card_access))
    return TRUE;
  if (fk_chip_pace (s, card_access, request->id_number + 6, &refused, &local))
    {
      *done = TRUE;
      return TRUE;
    }
  if (g_error_matches (local, FK_HW_ERROR, FK_HW_ERROR_CARD_REMOVED) ||
      g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (local, FK_HW_ERROR, FK_HW_ERROR_CARD_NO_READER))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_debug ("PACE did not open the card (%s); trying BAC", local->message);
  return TRUE;
}

/* The image inside DG2's biometric data block (ISO/IEC 19794-5). */
static GBytes *
extract_portrait (GBytes *dg2, const char **mime)
{
  static const guint8 jpeg[] = { 0xFF, 0xD8, 0xFF };
  static const guint8 jp2[] = { 0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20 };
  static const guint8 j2k[] = { 0xFF, 0x4F, 0xFF, 0x51 };
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (dg2, &len);
  FkTlv t75, group, bit, block;

  if (!fk_tlv_find (data, len, 0x75, &t75) ||
      !fk_tlv_find (t75.value, t75.length, 0x7F61, &group) ||
      !fk_tlv_find (group.value, group.length, 0x7F60, &bit) ||
      (!fk_tlv_find (bit.value, bit.length, 0x5F2E, &block) &&
       !fk_tlv_find (bit.value, bit.length, 0x7F2E, &block)))
    return NULL;
  for (gsize i = 0; i + 8 <= block.length; i++)
    {
      const guint8 *p = block.value + i;

      if (memcmp (p, jpeg, 3) == 0)
        *mime = "image/jpeg";
      else if (memcmp (p, jp2, 8) == 0 || memcmp (p, j2k, 4) == 0)
        *mime = "image/jp2";
      else
        continue;
      return g_bytes_new (p, block.length - i);
    }
  return NULL;
}

static gboolean
read_groups (FkChipSession *s, const FkCardRequest *request, GBytes *dgs[17], GBytes **sod,
             GError **error)
{
  if (!fk_chip_read_file (s, 0x0101, MAX_SMALL_FILE, &dgs[1], error) ||
      !fk_chip_read_file (s, 0x010D, MAX_SMALL_FILE, &dgs[13], error) ||
      (request->read_portrait && !fk_chip_read_file (s, 0x0102, MAX_DG2, &dgs[2], error)) ||
      !fk_chip_read_file (s, 0x011D, MAX_SMALL_FILE, sod, error))
    return FALSE;
  if (dgs[13] == NULL)
    {
      g_set_error_literal (error, FK_HW_ERROR, FK_HW_ERROR_CARD_NOT_ID,
                           _ ("This chip has no Vietnamese ID data (DG13): it is not a CCCD."));
      return FALSE;
    }
  return TRUE;
}

static FkChipData *
read_card (FkChipSession *s, const FkCardRequest *request, FkCardReadStats *stats, GError **error)
{
  GBytes *dgs[17] = { NULL };
  g_autoptr (GBytes) sod = NULL;
  g_autoptr (FkChipData) data = NULL;
  g_autoptr (GError) local = NULL;
  gboolean pace = FALSE;
  FkChipPaReason reason = FK_CHIP_PA_REASON_NONE;
  FkChipPa pa;

  if (!try_pace (s, request, &pace, error))
    return NULL;
  if (!select_application (s, error))
    return NULL;
  if (!pace && !run_bac (s, request, &stats->n_bac_tries, error))
    return NULL;
  if (!read_groups (s, request, dgs, &sod, error))
    goto out;
  data = fk_chip_data_new_from_files (dgs[1], dgs[13], &local);
  if (data == NULL)
    {
      g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_CARD_UNREADABLE_DATA, "%s", local->message);
      goto out;
    }
  fk_chip_data_set_access (data, pace ? FK_CHIP_ACCESS_PACE : FK_CHIP_ACCESS_BAC);
  if (dgs[2] != NULL)
    {
      const char *mime = NULL;
      g_autoptr (GBytes) portrait = extract_portrait (dgs[2], &mime);

      fk_chip_data_set_portrait (data, portrait, mime);
    }
  pa = fk_chip_passive_auth (sod, dgs, request->trust, &reason);
  fk_chip_data_set_pa (data, pa, reason);

out:
  for (int i = 0; i < 17; i++)
    g_clear_pointer (&dgs[i], g_bytes_unref);
  return g_steal_pointer (&data);
}

/**
 * fk_chip_read:
 * @stats: (out) (optional): what the read cost
 *
 * Reads the card; blocks until done, cancelled or failed.
 *
 * Returns: (transfer full): the card's data, or %NULL with @error set
 *   (%FK_HW_ERROR_CARD_ACCESS_DENIED when every key was refused, the
 *   transmit function's errors when the card left or the reader went).
 */
FkChipData *
fk_chip_read (FkChipTransmitFunc transmit, gpointer transmit_data, const FkCardRequest *request,
              GCancellable *cancellable, FkCardReadStats *stats, GError **error)
{
  FkChipSession s = { transmit, transmit_data, cancellable, NULL, 0 };
  FkCardReadStats local_stats = { 0 };
  gint64 start = g_get_monotonic_time ();
  FkChipData *data;

  g_return_val_if_fail (transmit != NULL, NULL);
  g_return_val_if_fail (request != NULL, NULL);

  if (!fk_card_request_is_valid (request, error))
    return NULL;
  data = read_card (&s, request, &local_stats, error);
  local_stats.n_apdus = s.n_apdus;
  local_stats.elapsed_us = g_get_monotonic_time () - start;
  if (stats != NULL)
    *stats = local_stats;
  g_free (s.sm);
  return data;
}
