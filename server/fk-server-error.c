/* fk-server-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-error.h"

G_DEFINE_QUARK (fk - server - error - quark, fk_server_error)
