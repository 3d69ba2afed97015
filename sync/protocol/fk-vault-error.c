/* fk-vault-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-vault-error.h"

G_DEFINE_QUARK (fk - vault - error - quark, fk_vault_error)
