/* fk-chip-private.h: what the files of the chip protocol share
 *
 * The protocol runs in one worker thread per read, over a transmit
 * function the reader backend gives it; nothing here touches PC/SC.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-chip.h"

G_BEGIN_DECLS

#define FK_CHIP_SW_OK 0x9000

typedef enum
{
  FK_CHIP_CIPHER_3DES,
  FK_CHIP_CIPHER_AES128,
} FkChipCipher;

/* Secure messaging keys and send sequence counter (ICAO 9303 part 11 §9.8). */
typedef struct
{
  FkChipCipher cipher;
  guint8 k_enc[16];
  guint8 k_mac[16];
  guint8 ssc[16];
  gsize block; /* 8 for 3DES, 16 for AES */
} FkChipSm;

typedef struct
{
  FkChipTransmitFunc transmit;
  gpointer transmit_data;
  GCancellable *cancellable;
  FkChipSm *sm; /* NULL until BAC or PACE succeeded */
  guint n_apdus;
} FkChipSession;

/* fk-chip-sm.c: primitives */
void fk_chip_kdf (FkChipCipher cipher, const guint8 *secret, gsize len, guint32 counter,
                  guint8 key[16]);
gboolean fk_chip_cbc (FkChipCipher cipher, gboolean encrypt, const guint8 *key, const guint8 *iv,
                      const guint8 *in, gsize len, guint8 *out);
void fk_chip_mac (FkChipCipher cipher, const guint8 *key, const guint8 *data, gsize len,
                  guint8 mac[8]);
gsize fk_chip_pad (const guint8 *in, gsize len, gsize block, guint8 *out);
FkChipSm *fk_chip_sm_new (FkChipCipher cipher, const guint8 k_enc[16], const guint8 k_mac[16],
                          const guint8 *ssc);
GBytes *fk_chip_sm_wrap (FkChipSm *sm, const guint8 *apdu, gsize len, GError **error);
GBytes *fk_chip_sm_unwrap (FkChipSm *sm, const guint8 *response, gsize len, guint16 *sw,
                           GError **error);

/* fk-chip-session.c: commands */
GBytes *fk_chip_command (FkChipSession *s, const guint8 *apdu, gsize len, guint16 *sw,
                         GError **error);
gboolean fk_chip_read_file (FkChipSession *s, guint16 fid, gsize max_size, GBytes **contents,
                            GError **error);

/* fk-chip-bac.c, fk-chip-pace.c: access control */
gboolean fk_chip_bac (FkChipSession *s, const char *key_seed_text, gboolean *refused,
                      GError **error);
gboolean fk_chip_pace_supported (GBytes *card_access);
gboolean fk_chip_pace (FkChipSession *s, GBytes *card_access, const char *can, gboolean *refused,
                       GError **error);

/* fk-chip-pa.c: passive authentication */
FkChipPa fk_chip_passive_auth (GBytes *sod, GBytes *const dgs[17], const char *trust_path,
                               FkChipPaReason *reason);

GError *fk_chip_protocol_error (const char *what, guint16 sw);

G_END_DECLS
