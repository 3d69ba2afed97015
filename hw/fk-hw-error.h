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
} FkHwError;

GQuark fk_hw_error_quark (void);

G_END_DECLS
