/* fk-office-page.h: included by the office's pages (and only by them)
 *
 * In a page, _() translates into the language of the request being
 * answered (fk_office_t() with the page's FkOfficeContext, which is
 * always called ctx), not into the process's language: the office
 * answers Vietnamese and English at the same time. xgettext finds the
 * strings as it finds every other _() in the tree.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-office-private.h"

#undef _
#define _(s) fk_office_t (ctx, (s))
#undef N_
#define N_(s) (s)
