/* fk-doc-quality.c: quality of a document photo, and the page in it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "fk-doc.h"
#include "fk-homography.h"

/* Metrics are taken at a fixed scale so that thresholds do not depend on
 * the camera's resolution. */
#define MEASURE_LONG_SIDE 1000
#define SEGMENT_LONG_SIDE 320
#define CLIPPED_LEVEL     250

const char *
fk_doc_issue_to_string (FkDocIssue issue)
{
  switch (issue)
    {
      case FK_DOC_ISSUE_BLURRED:
        return "blurred";
      case FK_DOC_ISSUE_DARK:
        return "dark";
      case FK_DOC_ISSUE_GLARE:
        return "glare";
      case FK_DOC_ISSUE_PAGE_SMALL:
        return "page-small";
      case FK_DOC_ISSUE_NO_PAGE:
        return "no-page";
      default:
        return "none";
    }
}

/**
 * fk_doc_issue_get_advice:
 *
 * Returns: (transfer none): what the user should do about @issue, translated.
 */
const char *
fk_doc_issue_get_advice (FkDocIssue issue)
{
  switch (issue)
    {
      case FK_DOC_ISSUE_BLURRED:
        return _ ("The photo is blurred. Hold the tablet still, let the camera focus, and take "
                  "it again.");
      case FK_DOC_ISSUE_DARK:
        return _ ("The photo is too dark. Move to the light or turn on more light, and take it "
                  "again.");
      case FK_DOC_ISSUE_GLARE:
        return _ ("Light is reflecting off the page. Tilt the page or move away from the lamp "
                  "or window, and take it again.");
      case FK_DOC_ISSUE_PAGE_SMALL:
        return _ ("The page is too small in the photo. Move closer so the page fills the frame.");
      case FK_DOC_ISSUE_NO_PAGE:
        return _ ("No page found in the photo. Put the page on a darker surface and frame all "
                  "four corners.");
      default:
        return _ ("The photo is good.");
    }
}

static FkGrayImage *
scaled_to (const FkGrayImage *image, int long_side, double *factor)
{
  int longest = MAX (image->width, image->height);

  *factor = longest > long_side ? (double) long_side / longest : 1.0;
  if (*factor >= 1.0)
    return fk_gray_image_copy (image);
  return fk_gray_image_scale (image, MAX ((int) (image->width * *factor), 1),
                              MAX ((int) (image->height * *factor), 1));
}

static int
otsu (const FkGrayImage *image)
{
  double hist[256] = { 0 };
  double total = (double) image->width * image->height, sum = 0, sum_b = 0, w_b = 0, best = -1;
  int threshold = 128;

  for (int y = 0; y < image->height; y++)
    for (int x = 0; x < image->width; x++)
      hist[image->data[(gsize) y * image->stride + x]]++;
  for (int i = 0; i < 256; i++)
    sum += i * hist[i];
  for (int t = 0; t < 256; t++)
    {
      double w_f, m_b, m_f, between;

      w_b += hist[t];
      if (w_b == 0)
        continue;
      w_f = total - w_b;
      if (w_f == 0)
        break;
      sum_b += t * hist[t];
      m_b = sum_b / w_b;
      m_f = (sum - sum_b) / w_f;
      between = w_b * w_f * (m_b - m_f) * (m_b - m_f);
      if (between > best)
        {
          best = between;
          threshold = t;
        }
    }
  return threshold;
}

/* The page is the largest bright connected region; its corners are the
 * extreme points along the two diagonals. Returns FALSE without a page. */
static gboolean
find_page (const FkGrayImage *small, double corners[8], double *fill)
{
  int w = small->width, h = small->height;
  int threshold = otsu (small);
  g_autofree int *label = g_new0 (int, (gsize) w *h);
  g_autofree int *stack = g_new (int, (gsize) w *h);
  int best_label = 0, best_size = 0, next = 0;

  for (int start = 0; start < w * h; start++)
    {
      int top = 0, size = 0;

      if (label[start] != 0 ||
          small->data[(gsize) (start / w) * small->stride + start % w] <= threshold)
        continue;
      next++;
      label[start] = next;
      stack[top++] = start;
      while (top > 0)
        {
          int p = stack[--top], x = p % w, y = p / w;
          int nb[4] = { x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1,
                        y < h - 1 ? p + w : -1 };

          size++;
          for (int k = 0; k < 4; k++)
            if (nb[k] >= 0 && label[nb[k]] == 0 &&
                small->data[(gsize) (nb[k] / w) * small->stride + nb[k] % w] > threshold)
              {
                label[nb[k]] = next;
                stack[top++] = nb[k];
              }
        }
      if (size > best_size)
        {
          best_size = size;
          best_label = next;
        }
    }
  if (best_size < w * h / 20)
    return FALSE;

  {
    double best[4] = { G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE, G_MAXDOUBLE };
    double area = 0;

    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++)
        {
          double s = x + y, d = x - y;

          if (label[y * w + x] != best_label)
            continue;
          if (s < best[0])
            best[0] = s, corners[0] = x, corners[1] = y; /* top left */
          if (d > best[1])
            best[1] = d, corners[2] = x + 1, corners[3] = y; /* top right */
          if (s > best[2])
            best[2] = s, corners[4] = x + 1, corners[5] = y + 1; /* bottom right */
          if (d < best[3])
            best[3] = d, corners[6] = x, corners[7] = y + 1; /* bottom left */
        }
    for (int i = 0; i < 4; i++)
      {
        int j = (i + 1) % 4;

        area += corners[2 * i] * corners[2 * j + 1] - corners[2 * j] * corners[2 * i + 1];
      }
    *fill = fabs (area) / 2 / ((double) w * h);
  }
  return TRUE;
}

/**
 * fk_doc_quality_check:
 *
 * Measures sharpness, brightness, glare and how much of the frame the page
 * fills, and sets @quality->issues to what the user should fix.
 */
void
fk_doc_quality_check (const FkGrayImage *image, FkDocQuality *quality)
{
  double mf, sf;
  g_autoptr (FkGrayImage) work = scaled_to (image, MEASURE_LONG_SIDE, &mf);
  g_autoptr (FkGrayImage) small = scaled_to (image, SEGMENT_LONG_SIDE, &sf);
  int x0 = 0, y0 = 0, x1 = work->width, y1 = work->height;
  double sum = 0, lsum = 0, lsum2 = 0;
  gsize n = 0, nl = 0, clipped = 0;

  memset (quality, 0, sizeof *quality);
  quality->page_found = find_page (small, quality->page, &quality->page_fill);
  if (quality->page_found)
    {
      double minx = G_MAXDOUBLE, miny = G_MAXDOUBLE, maxx = 0, maxy = 0;

      for (int i = 0; i < 4; i++)
        {
          quality->page[2 * i] /= sf;
          quality->page[2 * i + 1] /= sf;
          minx = MIN (minx, quality->page[2 * i]);
          maxx = MAX (maxx, quality->page[2 * i]);
          miny = MIN (miny, quality->page[2 * i + 1]);
          maxy = MAX (maxy, quality->page[2 * i + 1]);
        }
      /* measure inside the page, away from its edges and the table */
      x0 = (int) ((minx + (maxx - minx) * 0.1) * mf);
      x1 = (int) ((maxx - (maxx - minx) * 0.1) * mf);
      y0 = (int) ((miny + (maxy - miny) * 0.1) * mf);
      y1 = (int) ((maxy - (maxy - miny) * 0.1) * mf);
      x0 = CLAMP (x0, 0, work->width - 1);
      y0 = CLAMP (y0, 0, work->height - 1);
      x1 = CLAMP (x1, x0 + 1, work->width);
      y1 = CLAMP (y1, y0 + 1, work->height);
    }

  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        const guint8 *p = work->data + (gsize) y * work->stride + x;

        sum += *p;
        n++;
        clipped += *p >= CLIPPED_LEVEL;
        if (x > 0 && y > 0 && x < work->width - 1 && y < work->height - 1)
          {
            double lap = 4.0 * p[0] - p[-1] - p[1] - p[-work->stride] - p[work->stride];

            lsum += lap;
            lsum2 += lap * lap;
            nl++;
          }
      }
  quality->brightness = n > 0 ? sum / n : 0;
  quality->glare = n > 0 ? (double) clipped / n : 0;
  quality->sharpness = nl > 0 ? lsum2 / nl - (lsum / nl) * (lsum / nl) : 0;

  if (!quality->page_found)
    quality->issues |= FK_DOC_ISSUE_NO_PAGE;
  else if (quality->page_fill < FK_DOC_MIN_PAGE_FILL)
    quality->issues |= FK_DOC_ISSUE_PAGE_SMALL;
  if (quality->brightness < FK_DOC_MIN_BRIGHTNESS)
    quality->issues |= FK_DOC_ISSUE_DARK;
  else if (quality->sharpness < FK_DOC_MIN_SHARPNESS)
    quality->issues |= FK_DOC_ISSUE_BLURRED;
  if (quality->glare > FK_DOC_MAX_GLARE)
    quality->issues |= FK_DOC_ISSUE_GLARE;
}

/**
 * fk_doc_crop_page:
 * @page: corners TL, TR, BR, BL, as found by fk_doc_quality_check()
 *
 * Returns: (transfer full): the page, straightened: the quadrilateral is
 *   mapped onto a rectangle (perspective correction).
 */
FkGrayImage *
fk_doc_crop_page (const FkGrayImage *image, const double page[8])
{
  double top = hypot (page[2] - page[0], page[3] - page[1]);
  double bottom = hypot (page[4] - page[6], page[5] - page[7]);
  double left = hypot (page[6] - page[0], page[7] - page[1]);
  double right = hypot (page[4] - page[2], page[5] - page[3]);
  int w = MAX ((int) MAX (top, bottom), 16), h = MAX ((int) MAX (left, right), 16);
  double dst[8] = { 0, 0, w, 0, w, h, 0, h };
  double hm[9];
  FkGrayImage *out = fk_gray_image_new (w, h);

  /* from the output rectangle to the photo */
  fk_homography (dst, page, hm);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        double px = x + 0.5, py = y + 0.5;
        double d = hm[6] * px + hm[7] * py + hm[8];
        double u = (hm[0] * px + hm[1] * py + hm[2]) / d - 0.5;
        double v = (hm[3] * px + hm[4] * py + hm[5]) / d - 0.5;
        int iu = (int) floor (u), iv = (int) floor (v);
        double fu = u - iu, fv = v - iv;
        int u0 = CLAMP (iu, 0, image->width - 1), u1 = CLAMP (iu + 1, 0, image->width - 1);
        int v0 = CLAMP (iv, 0, image->height - 1), v1 = CLAMP (iv + 1, 0, image->height - 1);
        const guint8 *r0 = image->data + (gsize) v0 * image->stride;
        const guint8 *r1 = image->data + (gsize) v1 * image->stride;
        double val =
          (r0[u0] * (1 - fu) + r0[u1] * fu) * (1 - fv) + (r1[u0] * (1 - fu) + r1[u1] * fu) * fv;

        out->data[(gsize) y * out->stride + x] = (guint8) CLAMP (val + 0.5, 0, 255);
      }
  return out;
}
