/* fk-qr-scanner.c: QR codes from luminance images, with zbar and
 * preprocessing passes for real-world photos
 *
 * zbar is the first decoder, with its inverted test on for stills
 * (light-on-dark codes). When zbar finds nothing on the image as it is,
 * zxing-cpp reads it (and its negative), before zbar's preprocessing
 * passes; each preprocessed image zbar cannot read goes to zxing-cpp too. Payloads are the code's
 * bytes unchanged in both: zbar in binary mode, zxing's raw bytes; a Shift_JIS payload stays
 * Shift_JIS. Where a photo holds several codes, the largest wins (a code printed inside the card's
 * code gives the card's).
 *
 * One scanner is used from one thread at a time (zbar's scanner keeps
 * state); make one per thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <math.h>
#include <string.h>
#include <zbar.h>

#include <gio/gio.h>

#include "fk-qr-scanner-private.h"
#include "fk-qr-scanner.h"
#include "fk-qr-zxing.h"

/* Cropped codes are scaled so that a module is about this many pixels,
 * where zbar's finder and sampling grid are most reliable. */
#define TARGET_MODULE_PX 4.0
#define MAX_FINDER_CROPS 4
/* Live frames are scanned at most 720 px wide, on every 2nd row and
 * column: about 6.5 ms of CPU at 720p, where 960 px cost 13 ms; the whole
 * easy corpus (960×720 photos) still decodes, and the hard set loses one
 * of 17; at 640 px a card lit by the torch no longer reads (measured with
 * bench/qr, the corpus and the camera test). Density 3 instead loses most
 * of the easy corpus. */
#define LIVE_DENSITY   2
#define LIVE_MAX_WIDTH 720
/* Stills larger than this (phone photos of 8 megapixels and more) are
 * scanned at this size: a code that fills such a photo has modules of
 * 20–40 pixels, which zbar reads slowly or not at all, and every pass
 * costs in proportion to the pixels. Small codes in them are still found
 * by the finder pass, which crops from the full image. */
#define STILL_MAX_SIDE 1600

struct _FkQrScanner
{
  GObject parent_instance;

  zbar_image_scanner_t *zbar;
  guint passes;
};

G_DEFINE_FINAL_TYPE (FkQrScanner, fk_qr_scanner, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (FkQrResult, fk_qr_result, fk_qr_result_copy, fk_qr_result_free)

FkQrResult *
fk_qr_result_copy (const FkQrResult *result)
{
  FkQrResult *copy = g_memdup2 (result, sizeof *result);

  copy->payload = g_bytes_ref (result->payload);
  return copy;
}

void
fk_qr_result_free (FkQrResult *result)
{
  if (result == NULL)
    return;
  g_bytes_unref (result->payload);
  g_free (result);
}

const char *
fk_qr_pass_to_string (FkQrPass pass)
{
  switch (pass)
    {
      case FK_QR_PASS_PLAIN:
        return "plain";
      case FK_QR_PASS_HALF:
        return "half";
      case FK_QR_PASS_THRESHOLD:
        return "threshold";
      case FK_QR_PASS_SHARPEN:
        return "sharpen";
      case FK_QR_PASS_FINDER:
        return "finder";
      case FK_QR_PASS_DENOISE:
        return "denoise";
      case FK_QR_PASS_ZXING:
        return "zxing";
      case FK_QR_PASS_DEBLUR:
        return "deblur";
      default:
        return "unknown";
    }
}

static void
fk_qr_scanner_finalize (GObject *object)
{
  FkQrScanner *self = FK_QR_SCANNER (object);

  zbar_image_scanner_destroy (self->zbar);
  G_OBJECT_CLASS (fk_qr_scanner_parent_class)->finalize (object);
}

static void
fk_qr_scanner_class_init (FkQrScannerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fk_qr_scanner_finalize;
}

static void
fk_qr_scanner_init (FkQrScanner *self)
{
  self->zbar = zbar_image_scanner_create ();
  /* QR only: every other symbology off, so nothing else is mistaken for
   * a card, and zbar spends no time on linear barcodes. */
  zbar_image_scanner_set_config (self->zbar, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
  zbar_image_scanner_set_config (self->zbar, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  /* Raw bytes: zbar's text-mode guessing garbles short Vietnamese UTF-8. */
  zbar_image_scanner_set_config (self->zbar, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
  zbar_image_scanner_enable_cache (self->zbar, 0);
  self->passes = FK_QR_PASS_ALL;
}

FkQrScanner *
fk_qr_scanner_new (void)
{
  return g_object_new (FK_TYPE_QR_SCANNER, NULL);
}

/**
 * fk_qr_scanner_set_passes:
 * @passes: a mask of #FkQrPass
 *
 * Restricts the passes a scan may use; for measurements.
 */
void
fk_qr_scanner_set_passes (FkQrScanner *self, guint passes)
{
  g_return_if_fail (FK_IS_QR_SCANNER (self));
  self->passes = passes;
}

guint
fk_qr_scanner_get_passes (FkQrScanner *self)
{
  g_return_val_if_fail (FK_IS_QR_SCANNER (self), 0);
  return self->passes;
}

/* Maps the pixels of a derived image back to the caller's image. */
typedef struct
{
  double scale_x, scale_y;
  double off_x, off_y;
} Transform;

static const Transform identity = { 1, 1, 0, 0 };

/* Scan every @density-th row and column: zbar's cost is in proportion. */
static void
set_density (FkQrScanner *self, int density)
{
  zbar_image_scanner_set_config (self->zbar, ZBAR_NONE, ZBAR_CFG_X_DENSITY, density);
  zbar_image_scanner_set_config (self->zbar, ZBAR_NONE, ZBAR_CFG_Y_DENSITY, density);
}

static double
corner_area (const FkQrResult *r)
{
  double a = 0;

  for (guint i = 0; i < r->n_corners; i++)
    {
      guint j = (i + 1) % r->n_corners;

      a += r->corners[2 * i] * r->corners[2 * j + 1] - r->corners[2 * j] * r->corners[2 * i + 1];
    }
  return fabs (a) / 2;
}

static FkQrResult *
run_zbar (FkQrScanner *self, const FkGrayImage *image, const Transform *t, FkQrPass pass)
{
  zbar_image_t *zimage = zbar_image_create ();
  g_autoptr (FkGrayImage) packed = NULL;
  const zbar_symbol_t *symbol;
  FkQrResult *result = NULL;

  /* zbar wants rows back to back; camera frames usually are already. */
  if (image->stride != image->width)
    image = packed = fk_gray_image_copy (image);

  zbar_image_set_format (zimage, zbar_fourcc ('Y', '8', '0', '0'));
  zbar_image_set_size (zimage, image->width, image->height);
  zbar_image_set_data (zimage, image->data, (unsigned long) image->width * image->height, NULL);

  if (zbar_scan_image (self->zbar, zimage) > 0)
    for (symbol = zbar_image_first_symbol (zimage); symbol != NULL;
         symbol = zbar_symbol_next (symbol))
      {
        FkQrResult *candidate;
        guint n;

        if (zbar_symbol_get_type (symbol) != ZBAR_QRCODE)
          continue;
        candidate = g_new0 (FkQrResult, 1);
        candidate->payload =
          g_bytes_new (zbar_symbol_get_data (symbol), zbar_symbol_get_data_length (symbol));
        n = MIN (zbar_symbol_get_loc_size (symbol), 4);
        candidate->n_corners = n;
        for (guint i = 0; i < n; i++)
          {
            candidate->corners[2 * i] = zbar_symbol_get_loc_x (symbol, i) * t->scale_x + t->off_x;
            candidate->corners[2 * i + 1] =
              zbar_symbol_get_loc_y (symbol, i) * t->scale_y + t->off_y;
          }
        candidate->pass = fk_qr_pass_to_string (pass);
        /* several codes: the largest is the card's */
        if (result == NULL || corner_area (candidate) > corner_area (result))
          {
            fk_qr_result_free (result);
            result = candidate;
          }
        else
          fk_qr_result_free (candidate);
      }
  zbar_image_destroy (zimage);
  return result;
}

static FkGrayImage *
downscale (const FkGrayImage *image, int factor, Transform *t)
{
  int w = image->width / factor;
  int h = image->height / factor;

  t->scale_x = (double) image->width / w;
  t->scale_y = (double) image->height / h;
  t->off_x = t->off_y = 0;
  return fk_gray_image_scale (image, w, h);
}

/* Finder patterns: dark-light-dark-light-dark runs in the ratio 1:1:3:1:1,
 * found on rows of a binarised image and confirmed on the column. */
typedef struct
{
  double x, y;
  double module;
  int votes;
} Finder;

static gboolean
ratio_ok (const int c[5], double *module)
{
  int total = c[0] + c[1] + c[2] + c[3] + c[4];
  double m = total / 7.0;
  static const double expect[5] = { 1, 1, 3, 1, 1 };

  if (total < 7)
    return FALSE;
  for (int i = 0; i < 5; i++)
    if (ABS (c[i] - m * expect[i]) > m * expect[i] * 0.6 + 0.5)
      return FALSE;
  *module = m;
  return TRUE;
}

/* Counts the runs through (x, y) along the column; returns the centre row. */
static gboolean
check_column (const FkGrayImage *bin, int x, int y, double module, double *cy)
{
  const guint8 *col = bin->data + x;
  int c[5] = { 0 };
  int limit = (int) (module * 7);
  int yy = y;

  if (col[(gsize) y * bin->stride] != 0)
    return FALSE;
  /* up from the centre: centre half, light ring, outer dark ring */
  while (yy >= 0 && col[(gsize) yy * bin->stride] == 0 && c[2] <= limit)
    c[2]++, yy--;
  while (yy >= 0 && col[(gsize) yy * bin->stride] != 0 && c[1] <= limit)
    c[1]++, yy--;
  while (yy >= 0 && col[(gsize) yy * bin->stride] == 0 && c[0] <= limit)
    c[0]++, yy--;
  yy = y + 1;
  {
    int down = 0;

    while (yy < bin->height && col[(gsize) yy * bin->stride] == 0 && down <= limit)
      down++, yy++;
    c[2] += down;
    *cy = y - (c[2] - down) + c[2] / 2.0 + 0.5;
  }
  while (yy < bin->height && col[(gsize) yy * bin->stride] != 0 && c[3] <= limit)
    c[3]++, yy++;
  while (yy < bin->height && col[(gsize) yy * bin->stride] == 0 && c[4] <= limit)
    c[4]++, yy++;
  {
    double m;

    if (!ratio_ok (c, &m))
      return FALSE;
    return m > module * 0.5 && m < module * 2.0;
  }
}

static void
add_finder (GArray *finders, double x, double y, double module)
{
  for (guint i = 0; i < finders->len; i++)
    {
      Finder *f = &g_array_index (finders, Finder, i);

      if (fabs (f->x - x) < f->module * 3 && fabs (f->y - y) < f->module * 3)
        {
          f->x = (f->x * f->votes + x) / (f->votes + 1);
          f->y = (f->y * f->votes + y) / (f->votes + 1);
          f->module = (f->module * f->votes + module) / (f->votes + 1);
          f->votes++;
          return;
        }
    }
  g_array_append_val (finders, ((Finder){ x, y, module, 1 }));
}

static GArray *
find_finders (const FkGrayImage *bin)
{
  GArray *finders = g_array_new (FALSE, FALSE, sizeof (Finder));
  g_autofree int *runs = g_new (int, bin->width + 1);

  for (int y = 0; y < bin->height; y++)
    {
      const guint8 *row = bin->data + (gsize) y * bin->stride;
      int n = 0, start = 0;
      int first_dark;

      /* run lengths of the row; runs[0] is dark when first_dark */
      first_dark = row[0] == 0;
      for (int x = 1; x <= bin->width; x++)
        if (x == bin->width || (row[x] == 0) != (row[x - 1] == 0))
          {
            runs[n++] = x - start;
            start = x;
          }
      for (int i = first_dark ? 0 : 1, pos = first_dark ? 0 : runs[0]; i + 4 < n;
           pos += runs[i] + runs[i + 1], i += 2)
        {
          double module, cy;
          int cx = pos + runs[i] + runs[i + 1] + runs[i + 2] / 2;

          if (!ratio_ok (runs + i, &module))
            continue;
          if (check_column (bin, cx, y, module, &cy))
            add_finder (finders, cx + 0.5, cy, module);
        }
    }
  /* a real finder is crossed by several rows */
  for (guint i = finders->len; i-- > 0;)
    if (g_array_index (finders, Finder, i).votes < 2)
      g_array_remove_index_fast (finders, i);
  return finders;
}

typedef struct
{
  double x0, y0, x1, y1;
  double module;
  int count;
} Cluster;

static int
cluster_cmp (gconstpointer a, gconstpointer b)
{
  const Cluster *ca = a, *cb = b;

  return cb->count - ca->count;
}

/* Groups finders that can belong to one code: similar module size, and no
 * farther apart than the largest code (version 40: 170 modules). */
static GArray *
cluster_finders (GArray *finders)
{
  GArray *clusters = g_array_new (FALSE, FALSE, sizeof (Cluster));
  g_autofree int *owner = g_new (int, finders->len);

  for (guint i = 0; i < finders->len; i++)
    owner[i] = -1;
  for (guint i = 0; i < finders->len; i++)
    {
      const Finder *a = &g_array_index (finders, Finder, i);
      Cluster c = { a->x, a->y, a->x, a->y, a->module, 1 };

      if (owner[i] >= 0)
        continue;
      owner[i] = (int) clusters->len;
      for (guint j = i + 1; j < finders->len; j++)
        {
          const Finder *b = &g_array_index (finders, Finder, j);
          double ratio = a->module / b->module;

          if (owner[j] >= 0 || ratio < 0.6 || ratio > 1.66)
            continue;
          if (hypot (a->x - b->x, a->y - b->y) > a->module * 170)
            continue;
          owner[j] = (int) clusters->len;
          c.x0 = MIN (c.x0, b->x);
          c.y0 = MIN (c.y0, b->y);
          c.x1 = MAX (c.x1, b->x);
          c.y1 = MAX (c.y1, b->y);
          c.module = (c.module * c.count + b->module) / (c.count + 1);
          c.count++;
        }
      if (c.count >= 2)
        g_array_append_val (clusters, c);
    }
  g_array_sort (clusters, cluster_cmp);
  return clusters;
}

static FkQrResult *
scan_crop (FkQrScanner *self, const FkGrayImage *image, const Cluster *c, double to_src)
{
  double extent = MAX (c->x1 - c->x0, c->y1 - c->y0);
  /* with two finders the third may lie on either side of them */
  double margin = (c->count >= 3 ? 0.25 * extent : extent) + c->module * 8;
  int x = (int) (c->x0 * to_src - margin * to_src);
  int y = (int) (c->y0 * to_src - margin * to_src);
  int w = (int) ((c->x1 - c->x0 + 2 * margin) * to_src);
  int h = (int) ((c->y1 - c->y0 + 2 * margin) * to_src);
  double module = c->module * to_src;
  double zoom = CLAMP (TARGET_MODULE_PX / module, 0.5, 4.0);
  g_autoptr (FkGrayImage) crop = NULL;
  g_autoptr (FkGrayImage) scaled = NULL;
  g_autoptr (FkGrayImage) stretched = NULL;
  g_autoptr (FkGrayImage) bin = NULL;
  g_autoptr (FkGrayImage) sharp = NULL;
  Transform t;
  FkQrResult *result;

  x = MAX (x, 0);
  y = MAX (y, 0);
  crop = fk_gray_image_crop (image, x, y, w, h);
  if (crop->width < 21 || crop->height < 21)
    return NULL;
  scaled = fk_gray_image_scale (crop, MAX ((int) (crop->width * zoom), 21),
                                MAX ((int) (crop->height * zoom), 21));
  t.scale_x = (double) crop->width / scaled->width;
  t.scale_y = (double) crop->height / scaled->height;
  t.off_x = x;
  t.off_y = y;
  if ((result = run_zbar (self, scaled, &t, FK_QR_PASS_FINDER)) != NULL)
    return result;
  stretched = fk_qr_contrast_stretch (scaled);
  if ((result = run_zbar (self, stretched, &t, FK_QR_PASS_FINDER)) != NULL)
    return result;
  bin = fk_qr_adaptive_threshold (stretched, MAX ((int) (TARGET_MODULE_PX * 4), 8));
  if ((result = run_zbar (self, bin, &t, FK_QR_PASS_FINDER)) != NULL)
    return result;
  sharp = fk_qr_unsharp (stretched, 3, 3);
  return run_zbar (self, sharp, &t, FK_QR_PASS_FINDER);
}

/* The finder search runs on a copy about 1000 px wide: big enough for
 * small codes, cheap enough for a still. */
static FkQrResult *
finder_pass (FkQrScanner *self, const FkGrayImage *image)
{
  int longest = MAX (image->width, image->height);
  double to_work = longest > 1400 ? 1000.0 / longest : 1.0;
  g_autoptr (FkGrayImage) work = NULL;
  g_autoptr (FkGrayImage) bin = NULL;
  g_autoptr (GArray) finders = NULL;
  g_autoptr (GArray) clusters = NULL;

  if (to_work < 1.0)
    work =
      fk_gray_image_scale (image, (int) (image->width * to_work), (int) (image->height * to_work));
  else
    work = fk_gray_image_copy (image);
  bin = fk_qr_adaptive_threshold (work, MAX (MIN (work->width, work->height) / 40, 4));
  finders = find_finders (bin);
  clusters = cluster_finders (finders);
  for (guint i = 0; i < MIN (clusters->len, MAX_FINDER_CROPS); i++)
    {
      FkQrResult *result = scan_crop (self, image, &g_array_index (clusters, Cluster, i),
                                      (double) image->width / work->width);

      if (result != NULL)
        return result;
    }
  return NULL;
}

static FkQrResult *
zxing_result (const FkQrZxingResult *z)
{
  FkQrResult *result = g_new0 (FkQrResult, 1);

  result->payload = z->payload;
  memcpy (result->corners, z->corners, sizeof result->corners);
  result->n_corners = 4;
  result->pass = fk_qr_pass_to_string (FK_QR_PASS_ZXING);
  return result;
}

/* zxing-cpp on the image, then on its negative (1.4 has no inverted
 * mode of its own). */
static FkQrResult *
zxing_pass (const FkGrayImage *image)
{
  g_autoptr (FkGrayImage) negative = NULL;
  FkQrZxingResult z = { 0 };

  if (fk_qr_zxing_decode (image->data, image->width, image->height, image->stride, TRUE, &z))
    return zxing_result (&z);
  negative = fk_qr_invert (image);
  if (fk_qr_zxing_decode (negative->data, negative->width, negative->height, negative->stride, TRUE,
                          &z))
    return zxing_result (&z);
  return NULL;
}

/* Shakes of 7 and 9 pixels along the rows (half-lengths 3, 4), looked at
 * after 20 and 30 iterations: a 5-pixel box, 10 or 40 iterations, and
 * zxing-cpp on the estimate read nothing more on the corpus. */
static const int deblur_radii[] = { 3, 4 };
static const int deblur_looks[] = { 20, 30 };

/* Hand shake: zbar on the estimate, binarised. */
static FkQrResult *
deblur_pass (FkQrScanner *self, const FkGrayImage *image, GCancellable *cancellable)
{
  for (gsize r = 0; r < G_N_ELEMENTS (deblur_radii); r++)
    {
      g_autoptr (FkQrDeblur) deblur = fk_qr_deblur_new (image, deblur_radii[r]);
      int done = 0;

      for (gsize k = 0; k < G_N_ELEMENTS (deblur_looks); k++)
        {
          g_autoptr (FkGrayImage) sharp = NULL;
          g_autoptr (FkGrayImage) stretched = NULL;
          g_autoptr (FkGrayImage) bin = NULL;
          FkQrResult *result;

          if (g_cancellable_is_cancelled (cancellable))
            return NULL;
          sharp = fk_qr_deblur_run (deblur, deblur_looks[k] - done);
          done = deblur_looks[k];
          stretched = fk_qr_contrast_stretch (sharp);
          bin = fk_qr_adaptive_threshold (stretched, 12);
          if ((result = run_zbar (self, bin, &identity, FK_QR_PASS_DEBLUR)) != NULL)
            return result;
        }
    }
  return NULL;
}

static FkQrResult *
run_pass (FkQrScanner *self, const FkGrayImage *image, FkQrPass pass, GCancellable *cancellable)
{
  g_autoptr (FkGrayImage) derived = NULL;
  Transform t = identity;

  switch (pass)
    {
      case FK_QR_PASS_PLAIN:
        return run_zbar (self, image, &t, pass);
      case FK_QR_PASS_HALF:
        if (MIN (image->width, image->height) < 200)
          return NULL;
        derived = downscale (image, 2, &t);
        break;
      case FK_QR_PASS_THRESHOLD:
        derived = fk_qr_adaptive_threshold (image, MAX (MIN (image->width, image->height) / 24, 8));
        break;
      case FK_QR_PASS_SHARPEN:
        {
          g_autoptr (FkGrayImage) mild = fk_qr_unsharp (image, 2, 2);
          FkQrResult *result = run_zbar (self, mild, &t, pass);

          if (result != NULL)
            return result;
          derived = fk_qr_unsharp (image, 4, 3);
        }
        break;
      case FK_QR_PASS_DENOISE:
        {
          g_autoptr (FkGrayImage) smoothed = fk_qr_smooth (image);

          derived = fk_qr_contrast_stretch (smoothed);
        }
        break;
      case FK_QR_PASS_FINDER:
        return finder_pass (self, image);
      case FK_QR_PASS_ZXING:
        return zxing_pass (image);
      case FK_QR_PASS_DEBLUR:
        return deblur_pass (self, image, cancellable);
      default:
        g_return_val_if_reached (NULL);
    }
  {
    FkQrResult *result = run_zbar (self, derived, &t, pass);
    FkQrZxingResult z = { 0 };

    if (result == NULL && (self->passes & FK_QR_PASS_ZXING) &&
        fk_qr_zxing_decode (derived->data, derived->width, derived->height, derived->stride, TRUE,
                            &z))
      {
        result = zxing_result (&z);
        for (guint c = 0; c < 4; c++)
          {
            result->corners[2 * c] = result->corners[2 * c] * t.scale_x + t.off_x;
            result->corners[2 * c + 1] = result->corners[2 * c + 1] * t.scale_y + t.off_y;
          }
        result->pass = fk_qr_pass_to_string (pass);
      }
    return result;
  }
}

static FkQrResult *
scan (FkQrScanner *self, const FkGrayImage *image, FkQrMode mode, GCancellable *cancellable)
{
  static const FkQrPass order[] = {
    FK_QR_PASS_PLAIN,   FK_QR_PASS_ZXING,   FK_QR_PASS_HALF,   FK_QR_PASS_THRESHOLD,
    FK_QR_PASS_DENOISE, FK_QR_PASS_SHARPEN, FK_QR_PASS_FINDER, FK_QR_PASS_DEBLUR,
  };

  if (mode == FK_QR_MODE_LIVE)
    {
      FkQrResult *result;
      g_autoptr (FkGrayImage) reduced = NULL;
      Transform t = identity;

      if (image->width > LIVE_MAX_WIDTH)
        {
          t.scale_x = t.scale_y = (double) image->width / LIVE_MAX_WIDTH;
          reduced =
            fk_gray_image_scale (image, LIVE_MAX_WIDTH, MAX ((int) (image->height / t.scale_y), 1));
          t.scale_y = (double) image->height / reduced->height;
        }
      set_density (self, LIVE_DENSITY);
      result = run_zbar (self, reduced != NULL ? reduced : image, &t, FK_QR_PASS_PLAIN);
      set_density (self, 1);
      return result;
    }

  /* stills: zbar also tries the negative of what it could not read */
  zbar_image_scanner_set_config (self->zbar, ZBAR_NONE, ZBAR_CFG_TEST_INVERTED, 1);
  {
    int longest = MAX (image->width, image->height);
    g_autoptr (FkGrayImage) reduced = NULL;
    double k = 1.0;
    FkQrResult *result = NULL;

    if (longest > STILL_MAX_SIDE)
      {
        k = (double) STILL_MAX_SIDE / longest;
        reduced = fk_gray_image_scale (image, MAX ((int) (image->width * k), 1),
                                       MAX ((int) (image->height * k), 1));
      }
    for (gsize i = 0; i < G_N_ELEMENTS (order) && result == NULL; i++)
      {
        gboolean full = reduced == NULL || order[i] == FK_QR_PASS_FINDER;

        if (!(self->passes & order[i]))
          continue;
        if (g_cancellable_is_cancelled (cancellable))
          break;
        result = run_pass (self, full ? image : reduced, order[i], cancellable);
        if (result != NULL && !full)
          for (guint c = 0; c < result->n_corners; c++)
            {
              result->corners[2 * c] = result->corners[2 * c] * image->width / reduced->width;
              result->corners[2 * c + 1] =
                result->corners[2 * c + 1] * image->height / reduced->height;
            }
      }
    zbar_image_scanner_set_config (self->zbar, ZBAR_NONE, ZBAR_CFG_TEST_INVERTED, 0);
    /* zxing extrapolates corners, a little past the edge at times */
    for (guint c = 0; result != NULL && c < result->n_corners; c++)
      {
        result->corners[2 * c] = CLAMP (result->corners[2 * c], 0, image->width);
        result->corners[2 * c + 1] = CLAMP (result->corners[2 * c + 1], 0, image->height);
      }
    return result;
  }
}

/**
 * fk_qr_scanner_scan:
 * @image: luminance; not modified, not copied unless its rows have padding
 *
 * Looks for a QR code. %FK_QR_MODE_LIVE tries one cheap pass (a camera
 * frame, a few milliseconds); %FK_QR_MODE_STILL tries every enabled pass in
 * turn until one decodes, which can take a second on a hard photo: from
 * the UI use fk_qr_scanner_scan_async().
 *
 * Returns: (transfer full) (nullable): the first code found, or %NULL.
 */
FkQrResult *
fk_qr_scanner_scan (FkQrScanner *self, const FkGrayImage *image, FkQrMode mode)
{
  g_return_val_if_fail (FK_IS_QR_SCANNER (self), NULL);
  g_return_val_if_fail (image != NULL, NULL);

  return scan (self, image, mode, NULL);
}

typedef struct
{
  FkGrayImage *image;
  FkQrMode mode;
} ScanData;

static void
scan_data_free (ScanData *data)
{
  fk_gray_image_free (data->image);
  g_free (data);
}

static void
scan_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ScanData *data = task_data;
  FkQrResult *result = scan (source, data->image, data->mode, cancellable);

  if (g_task_return_error_if_cancelled (task))
    fk_qr_result_free (result);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) fk_qr_result_free);
}

/**
 * fk_qr_scanner_scan_async:
 * @image: shared with the worker thread (its pixels are referenced, not
 *   copied) and must not be changed until the scan finishes
 *
 * Scans in a worker thread; cancelling stops it between passes. The
 * scanner runs one scan at a time: do not start another before this one
 * finishes.
 */
void
fk_qr_scanner_scan_async (FkQrScanner *self, const FkGrayImage *image, FkQrMode mode,
                          GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  ScanData *data;

  g_return_if_fail (FK_IS_QR_SCANNER (self));
  g_return_if_fail (image != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_qr_scanner_scan_async);
  data = g_new0 (ScanData, 1);
  data->image =
    fk_gray_image_new_for_bytes (image->owner, image->width, image->height, image->stride);
  data->mode = mode;
  g_task_set_task_data (task, data, (GDestroyNotify) scan_data_free);
  g_task_run_in_thread (task, scan_thread);
}

/**
 * fk_qr_scanner_scan_finish:
 *
 * Returns: (transfer full) (nullable): the code, or %NULL when none was
 *   found (@error unset) or the scan was cancelled (@error set).
 */
FkQrResult *
fk_qr_scanner_scan_finish (FkQrScanner *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_qr_scanner_scan_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
