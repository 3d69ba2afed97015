/* fk-fingerprint-sim.h: libfprint's virtual_image reader, fed by us
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-fingerprint.h"

G_BEGIN_DECLS

#define FK_TYPE_FINGERPRINT_SIM (fk_fingerprint_sim_get_type ())
G_DECLARE_FINAL_TYPE (FkFingerprintSim, fk_fingerprint_sim, FK, FINGERPRINT_SIM, GObject)

FkFingerprintSim *fk_fingerprint_sim_new (GError **error);
void fk_fingerprint_sim_set_finger (FkFingerprintSim *self, GBytes *grey, int width, int height);
gboolean fk_fingerprint_sim_set_finger_file (FkFingerprintSim *self, const char *path,
                                             GError **error);

G_END_DECLS
