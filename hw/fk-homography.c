/* fk-homography.c: the projective map between two quadrilaterals
 *
 * Used to straighten a photographed page, and by the tools that make test
 * photos to put a card or a page in perspective.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-homography.h"

#include <math.h>
#include <string.h>

/* Gauss-Jordan with partial pivoting on the 8×9 system; a degenerate
 * quadrilateral gives zeros rather than infinities. */
static void
solve8 (double a[8][9], double x[8])
{
  for (int c = 0; c < 8; c++)
    {
      int best = c;

      for (int r = c + 1; r < 8; r++)
        if (fabs (a[r][c]) > fabs (a[best][c]))
          best = r;
      for (int k = 0; k < 9; k++)
        {
          double t = a[c][k];

          a[c][k] = a[best][k];
          a[best][k] = t;
        }
      for (int r = 0; r < 8; r++)
        if (r != c && a[c][c] != 0)
          {
            double f = a[r][c] / a[c][c];

            for (int k = c; k < 9; k++)
              a[r][k] -= f * a[c][k];
          }
    }
  for (int i = 0; i < 8; i++)
    x[i] = a[i][i] != 0 ? a[i][8] / a[i][i] : 0;
}

/**
 * fk_homography:
 * @from: four points x0, y0 … x3, y3
 * @to: the four points they map to, in the same order
 * @h: (out caller-allocates): the 3×3 matrix, row-major, with h[8] = 1: a
 *   point (x, y) maps to ((h0 x + h1 y + h2) / d, (h3 x + h4 y + h5) / d)
 *   with d = h6 x + h7 y + 1
 */
void
fk_homography (const double from[8], const double to[8], double h[9])
{
  double a[8][9];

  for (int i = 0; i < 4; i++)
    {
      double x = from[2 * i], y = from[2 * i + 1], u = to[2 * i], v = to[2 * i + 1];
      double r0[9] = { x, y, 1, 0, 0, 0, -u * x, -u * y, u };
      double r1[9] = { 0, 0, 0, x, y, 1, -v * x, -v * y, v };

      memcpy (a[2 * i], r0, sizeof r0);
      memcpy (a[2 * i + 1], r1, sizeof r1);
    }
  solve8 (a, h);
  h[8] = 1;
}
