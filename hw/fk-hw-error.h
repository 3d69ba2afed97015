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
  /* camera, QR and document capture */
  FK_HW_ERROR_UNREADABLE_IMAGE,
  FK_HW_ERROR_IMAGE_WRITE,
  FK_HW_ERROR_CAMERA_MISSING,
  FK_HW_ERROR_CAMERA_BUSY,
  FK_HW_ERROR_CAMERA_DISCONNECTED,
  FK_HW_ERROR_CAMERA_FAILED,
  FK_HW_ERROR_CAMERA_NO_FRAME,
} FkHwError;

GQuark fk_hw_error_quark (void);

G_END_DECLS
