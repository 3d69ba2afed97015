/* fk-hw-error.h: the error domain of the hw layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FK_HW_ERROR (fk_hw_error_quark ())

typedef enum
{
  /* fingerprint */
  FK_HW_ERROR_FINGERPRINT_NO_READER,
  FK_HW_ERROR_FINGERPRINT_BUSY,
  FK_HW_ERROR_FINGERPRINT_RETRY,
  FK_HW_ERROR_FINGERPRINT_FAILED,
  FK_HW_ERROR_FINGERPRINT_INVALID_TEMPLATE,
  FK_HW_ERROR_FINGERPRINT_WRONG_READER,
  FK_HW_ERROR_FINGERPRINT_INVALID_IMAGE,
  /* camera, QR and document capture */
  FK_HW_ERROR_UNREADABLE_IMAGE,
  FK_HW_ERROR_IMAGE_WRITE,
  FK_HW_ERROR_CAMERA_MISSING,
  FK_HW_ERROR_CAMERA_BUSY,
  FK_HW_ERROR_CAMERA_DISCONNECTED,
  FK_HW_ERROR_CAMERA_FAILED,
  FK_HW_ERROR_CAMERA_NO_FRAME,
  /* chip ID card reader */
  FK_HW_ERROR_CARD_NO_SERVICE,      /* no smart-card service (pcscd) to talk to */
  FK_HW_ERROR_CARD_NO_READER,       /* no reader plugged in, or not the one named */
  FK_HW_ERROR_CARD_NO_CARD,         /* no card on the reader */
  FK_HW_ERROR_CARD_REMOVED,         /* the card left the reader during the read */
  FK_HW_ERROR_CARD_BUSY,            /* another program holds the reader */
  FK_HW_ERROR_CARD_NOT_ID,          /* the card is not an ID card chip */
  FK_HW_ERROR_CARD_ACCESS_DENIED,   /* BAC/PACE refused every key tried: ask for the expiry */
  FK_HW_ERROR_CARD_FAILED,          /* the chip answered outside the protocol */
  FK_HW_ERROR_CARD_UNREADABLE_DATA, /* the data groups could not be understood */
  FK_HW_ERROR_PORTRAIT_INVALID,     /* the portrait could not be decoded */
  /* printer (CUPS) */
  FK_HW_ERROR_PRINTER_NO_SERVICE, /* no print service (cupsd) to talk to */
  FK_HW_ERROR_PRINTER_NOT_FOUND,  /* no printer set up, or not the one named */
  FK_HW_ERROR_PRINTER_STOPPED,    /* the queue is stopped or refuses jobs */
  FK_HW_ERROR_PRINTER_NO_PAPER,   /* out of paper, or the paper is jammed */
  FK_HW_ERROR_PRINTER_OFFLINE,    /* the printer does not answer (off, unplugged, out of range) */
  FK_HW_ERROR_PRINTER_FAILED,     /* the job was refused or given up */
  /* speech */
  FK_HW_ERROR_SPEECH_NO_VOICE, /* espeak-ng or its Vietnamese voice is missing */
  FK_HW_ERROR_SPEECH_NO_SOUND, /* no sound output (speaker, headphones) */
  FK_HW_ERROR_SPEECH_FAILED,   /* the speech could not be made or written */
} FkHwError;

GQuark fk_hw_error_quark (void);

G_END_DECLS
