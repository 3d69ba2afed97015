/* fk-make-qr-corpus.c: writes the labelled QR test corpus
 *
 * CCCD-style payloads of made-up people are encoded with libqrencode,
 * drawn on a card-like background with cairo, and "photographed": the card
 * is projected into a scene (rotation, perspective, distance) and the
 * photo degraded (blur, motion, noise, low light, glare on the laminate,
 * JPEG artefacts). Deterministic: the same seed gives the same corpus.
 *
 *   fk-make-qr-corpus OUTDIR
 *
 * writes images (OUTDIR/easy-NNN.png, hard-NNN.jpg …) and OUTDIR/labels.tsv:
 *   file <TAB> set (easy|hard|none) <TAB> conditions <TAB> payload
 * where the payload is UTF-8 text, "base64:" and the bytes of a payload
 * that is not UTF-8 (Shift_JIS), or "-" for none.
 *
 * After the first 92 images come hard cases of one kind each (kind= in
 * the conditions): light-on-dark codes, very high-resolution close-ups
 * with large modules, strong perspective, a code inside another, and
 * Shift_JIS payloads in Kanji mode. QR Model 1 is missing: libqrencode
 * only writes Model 2.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <qrencode.h>
#include <stdio.h>
#include <string.h>

#include "fk-homography.h"

#define CARD_W 1712
#define CARD_H 1080

static const char *const family[] = { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng",
                                      "Bùi",    "Đỗ",   "Hồ", "Ngô",  "Dương", "Lý", "Hà" };
static const char *const middle_m[] = { "Văn", "Đức", "Hữu", "Quang", "Minh", "Công", "Tiến" };
static const char *const middle_f[] = { "Thị", "Ngọc", "Thu", "Minh", "Thanh", "Diệu", "Hồng" };
static const char *const given_m[] = { "An",   "Bình", "Cường", "Dũng",  "Hải",  "Khải", "Nam",
                                       "Phúc", "Sơn",  "Tuấn",  "Thắng", "Vĩnh", "Ảnh",  "Ổn" };
static const char *const given_f[] = { "Hà",   "Hạnh", "Hương", "Lan", "Mai", "Nga", "Quỳnh",
                                       "Thảo", "Yến",  "Xuân",  "Ánh", "Ỷ",   "Nhữ", "Ỳ" };
static const char *const hamlets[] = { "Thôn Nà Hẩu", "Bản Phìn Hồ", "Thôn Khe Vằn",
                                       "Xóm Đồng Mỏ", "Bản Nậm Củm", "Thôn Làng Mười" };
static const char *const communes[] = { "Xã Nà Hẩu",          "Xã Mỏ Vàng",    "Xã Tà Xùa",
                                        "Xã Châu Quế Thượng", "Xã Ngọc Chiến", "Xã Phúc Lợi" };
static const char *const districts[] = { "Huyện Văn Yên", "Huyện Bắc Yên", "Huyện Mù Cang Chải",
                                         "Huyện Lục Yên", "Huyện Mường La" };
static const char *const provinces[] = { "Yên Bái", "Sơn La", "Lào Cai", "Hà Giang", "Điện Biên" };
static const char *const codes[] = { "015", "014", "010", "002", "011" };

#define PICK(rand, array) (array[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

static char *
make_payload (GRand *rand, int fields, gboolean short_name)
{
  gboolean female = g_rand_boolean (rand);
  int year = g_rand_int_range (rand, 1935, 2008);
  int p = g_rand_int_range (rand, 0, G_N_ELEMENTS (provinces));
  int century_sex = (year >= 2000 ? 2 : 0) + (female ? 1 : 0);
  g_autofree char *name = NULL;
  g_autofree char *cmnd = NULL;
  g_autofree char *address = NULL;
  GString *s = g_string_new (NULL);

  if (short_name)
    name = g_strdup_printf ("%s %s", PICK (rand, family), female ? "Ỷ" : "Ổn");
  else
    name = g_strdup_printf ("%s %s %s", PICK (rand, family),
                            female ? PICK (rand, middle_f) : PICK (rand, middle_m),
                            female ? PICK (rand, given_f) : PICK (rand, given_m));
  cmnd = short_name || g_rand_int_range (rand, 0, 3) == 0
           ? g_strdup ("")
           : g_strdup_printf ("%09d", g_rand_int_range (rand, 10000000, 999999999));
  address = short_name
              ? g_strdup (provinces[p])
              : g_strdup_printf ("%s, %s, %s, %s", PICK (rand, hamlets), PICK (rand, communes),
                                 PICK (rand, districts), provinces[p]);
  g_string_append_printf (s, "%s%d%02d%06d|%s|%s|%02d%02d%04d|%s|%s|%02d%02d%04d", codes[p],
                          century_sex, year % 100, g_rand_int_range (rand, 0, 1000000), cmnd, name,
                          g_rand_int_range (rand, 1, 29), g_rand_int_range (rand, 1, 13), year,
                          female ? "Nữ" : "Nam", address, g_rand_int_range (rand, 1, 29),
                          g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 2016, 2026));
  /* cards issued since 2024: more fields, mostly empty */
  for (int i = 7; i < fields; i++)
    {
      g_string_append_c (s, '|');
      if (i == 8 && g_rand_boolean (rand))
        g_string_append_printf (s, "%s %s %s", PICK (rand, family), PICK (rand, middle_m),
                                PICK (rand, given_m));
    }
  return g_string_free (s, FALSE);
}

/* ---- the card ---- */

static void
draw_text (cairo_t *cr, double x, double y, double size, gboolean bold, const char *text)
{
  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, size);
  cairo_move_to (cr, x, y);
  cairo_show_text (cr, text);
}

typedef enum
{
  KIND_NONE,
  KIND_INVERTED,    /* light modules on a dark ground */
  KIND_HIRES,       /* an 8-megapixel close-up: modules of 20–40 pixels */
  KIND_PERSPECTIVE, /* tilted 50–65° away from the camera */
  KIND_NESTED,      /* a second, small code in the middle of the card's */
  KIND_SJIS,        /* a Shift_JIS payload in Kanji mode */
  KIND_LAST,
} Kind;

static const char *const kind_names[] = {
  "", "inverted", "hires", "perspective", "nested", "sjis"
};

static QRcode *
encode (const char *payload, Kind kind)
{
  if (kind == KIND_SJIS)
    return QRcode_encodeString (payload, 0, QR_ECLEVEL_M, QR_MODE_KANJI, 1);
  /* the card's code survives the one drawn over its middle at level H */
  return QRcode_encodeData ((int) strlen (payload), (const unsigned char *) payload, 0,
                            kind == KIND_NESTED ? QR_ECLEVEL_H : QR_ECLEVEL_M);
}

static void
draw_code (cairo_t *cr, QRcode *code, double x0, double y0, double size, gboolean inverted)
{
  double m = size / code->width;

  if (inverted)
    {
      /* a dark ground with a quiet zone of its own, light modules */
      cairo_set_source_rgb (cr, 0.08, 0.08, 0.12);
      cairo_rectangle (cr, x0 - 4 * m, y0 - 4 * m, size + 8 * m, size + 8 * m);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.93, 0.94, 0.90);
    }
  else
    cairo_set_source_rgb (cr, 0.08, 0.08, 0.12);
  for (int y = 0; y < code->width; y++)
    for (int x = 0; x < code->width; x++)
      if (code->data[y * code->width + x] & 1)
        cairo_rectangle (cr, x0 + x * m, y0 + y * m, m, m);
  cairo_fill (cr);
}

/* Returns the card as RGB24; @payload NULL draws a card without a code. */
static cairo_surface_t *
render_card (GRand *rand, const char *payload, gboolean fake_code, Kind kind)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, CARD_W, CARD_H);
  cairo_t *cr = cairo_create (surface);
  cairo_pattern_t *bg = cairo_pattern_create_linear (0, 0, CARD_W, CARD_H);
  double qr_size = 360;
  double qx = CARD_W - qr_size - 90, qy = 90;

  cairo_pattern_add_color_stop_rgb (bg, 0, 0.86, 0.93, 0.95);
  cairo_pattern_add_color_stop_rgb (bg, 0.5, 0.95, 0.95, 0.88);
  cairo_pattern_add_color_stop_rgb (bg, 1, 0.84, 0.90, 0.96);
  cairo_set_source (cr, bg);
  cairo_paint (cr);
  cairo_pattern_destroy (bg);

  /* guilloche-like security lines */
  cairo_set_line_width (cr, 2);
  for (int k = 0; k < 40; k++)
    {
      cairo_set_source_rgba (cr, 0.55, 0.70, 0.80, 0.35);
      for (int x = 0; x <= CARD_W; x += 8)
        {
          double y = 60 + k * 26 + 18 * sin (x / 70.0 + k * 0.7);

          if (x == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      cairo_stroke (cr);
    }

  cairo_set_source_rgb (cr, 0.75, 0.15, 0.12);
  draw_text (cr, 420, 95, 40, TRUE, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM");
  cairo_set_source_rgb (cr, 0.1, 0.15, 0.35);
  draw_text (cr, 560, 150, 34, FALSE, "Độc lập - Tự do - Hạnh phúc");
  cairo_set_source_rgb (cr, 0.72, 0.1, 0.1);
  draw_text (cr, 470, 260, 58, TRUE, "CĂN CƯỚC CÔNG DÂN");

  /* photo */
  {
    cairo_pattern_t *ph = cairo_pattern_create_radial (240, 560, 20, 240, 560, 220);

    cairo_pattern_add_color_stop_rgb (ph, 0, 0.80, 0.70, 0.62);
    cairo_pattern_add_color_stop_rgb (ph, 1, 0.35, 0.40, 0.55);
    cairo_rectangle (cr, 70, 330, 340, 450);
    cairo_set_source (cr, ph);
    cairo_fill (cr);
    cairo_pattern_destroy (ph);
  }

  /* personal lines (not the payload: the card shows them, the test needs
   * only the code) */
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.15);
  draw_text (cr, 470, 360, 34, FALSE, "Số / No.:");
  draw_text (cr, 470, 450, 34, FALSE, "Họ và tên / Full name:");
  draw_text (cr, 470, 560, 34, FALSE, "Ngày sinh / Date of birth:");
  draw_text (cr, 470, 640, 34, FALSE, "Giới tính / Sex:");
  draw_text (cr, 470, 720, 34, FALSE, "Quê quán / Place of origin:");
  draw_text (cr, 470, 870, 34, FALSE, "Nơi thường trú / Place of residence:");
  draw_text (cr, 470, 500, 44, TRUE, "XXXXX XXXX XXX");
  draw_text (cr, 760, 360, 44, TRUE, "0000 0000 0000");

  if (payload != NULL)
    {
      QRcode *code = encode (payload, kind);

      draw_code (cr, code, qx, qy + 170, qr_size, kind == KIND_INVERTED);
      if (kind == KIND_NESTED)
        {
          /* a service's link code, with its own white quiet zone, over the
           * middle fifth of the card's code */
          const char *link = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html";
          QRcode *inner =
            QRcode_encodeData ((int) strlen (link), (const unsigned char *) link, 0, QR_ECLEVEL_L);
          double inner_size = qr_size * 0.22;
          double ix = qx + (qr_size - inner_size) / 2, iy = qy + 170 + (qr_size - inner_size) / 2;
          double im = inner_size / inner->width;

          cairo_set_source_rgb (cr, 0.97, 0.97, 0.95);
          cairo_rectangle (cr, ix - 2 * im, iy - 2 * im, inner_size + 4 * im, inner_size + 4 * im);
          cairo_fill (cr);
          draw_code (cr, inner, ix, iy, inner_size, FALSE);
          QRcode_free (inner);
        }
      QRcode_free (code);
    }
  else if (fake_code)
    {
      /* random modules without finder patterns: must not decode */
      double m = qr_size / 45;

      cairo_set_source_rgb (cr, 0.08, 0.08, 0.12);
      for (int y = 0; y < 45; y++)
        for (int x = 0; x < 45; x++)
          if (g_rand_boolean (rand))
            cairo_rectangle (cr, qx + x * m, qy + 170 + y * m, m, m);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* ---- the photograph ---- */

typedef struct
{
  int w, h;
  float *px; /* RGB, 0–255 */
} Scene;

typedef struct
{
  double card_frac;    /* card width / scene width */
  double rz, rx, ry;   /* degrees */
  double blur, motion; /* box radii in pixels */
  double noise, light, glare, jpeg_quality;
  gboolean png;
  gboolean on_code; /* aim at the code, not the card: close-ups */
  Kind kind;
} Shot;

/* The code's centre on the card, in card pixels (see render_card). */
#define CODE_CX (CARD_W - 360 / 2.0 - 90)
#define CODE_CY (90 + 170 + 360 / 2.0)

static Scene *
photograph (GRand *rand, cairo_surface_t *card, int w, int h, const Shot *shot)
{
  Scene *scene = g_new0 (Scene, 1);
  const guint8 *cp = cairo_image_surface_get_data (card);
  int cs = cairo_image_surface_get_stride (card);
  double corners3[4][2] = { { -0.5, -0.5 }, { 0.5, -0.5 }, { 0.5, 0.5 }, { -0.5, 0.5 } };
  double dst[8], src[8] = { 0, 0, CARD_W, 0, CARD_W, CARD_H, 0, CARD_H };
  double hm[9];
  double rz = shot->rz * G_PI / 180, rx = shot->rx * G_PI / 180, ry = shot->ry * G_PI / 180;
  double card_w = shot->card_frac * w, card_h = card_w * CARD_H / CARD_W;
  double cx = w / 2.0 + g_rand_double_range (rand, -0.5, 0.5) * (w - card_w) * 0.6;
  double cy = h / 2.0 + g_rand_double_range (rand, -0.5, 0.5) * MAX (h - card_h, 0) * 0.6;

  double f = w * 1.2;
  float tr = g_rand_double_range (rand, 90, 170), tg = tr * 0.8, tb = tr * 0.6;

  if (shot->on_code)
    {
      cx = w / 2.0 - (CODE_CX / CARD_W - 0.5) * card_w;
      cy = h / 2.0 - (CODE_CY / CARD_H - 0.5) * card_h;
    }

  scene->w = w;
  scene->h = h;
  scene->px = g_new (float, (gsize) w *h * 3);

  for (int i = 0; i < 4; i++)
    {
      double x = corners3[i][0] * card_w, y = corners3[i][1] * card_h, z = 0;
      double t;

      /* tilt about y, then x, then turn in plane; project with focal f */
      t = x * cos (ry) + z * sin (ry);
      z = -x * sin (ry) + z * cos (ry);
      x = t;
      t = y * cos (rx) - z * sin (rx);
      z = y * sin (rx) + z * cos (rx);
      y = t;
      t = x * cos (rz) - y * sin (rz);
      y = x * sin (rz) + y * cos (rz);
      x = t;
      dst[2 * i] = cx + f * x / (f + z);
      dst[2 * i + 1] = cy + f * y / (f + z);
    }
  /* dst[i] to src[i], so each scene pixel samples the card */
  fk_homography (dst, src, hm);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        float acc[3] = { 0, 0, 0 };
        float grain = (float) g_rand_double_range (rand, -12, 12);

        /* 3×3 supersampling: the card is shrunk a lot into small scenes */
        for (int sy = 0; sy < 3; sy++)
          for (int sx = 0; sx < 3; sx++)
            {
              double px = x + (sx + 0.5) / 3, py = y + (sy + 0.5) / 3;
              double d = hm[6] * px + hm[7] * py + 1;
              double u = (hm[0] * px + hm[1] * py + hm[2]) / d;
              double v = (hm[3] * px + hm[4] * py + hm[5]) / d;

              if (u >= 0 && v >= 0 && u < CARD_W - 1 && v < CARD_H - 1)
                {
                  const guint8 *p = cp + (gsize) (int) v * cs + (int) u * 4;

                  /* cairo RGB24 is native-endian xRGB */
                  acc[0] += p[2];
                  acc[1] += p[1];
                  acc[2] += p[0];
                }
              else
                {
                  acc[0] += tr + grain;
                  acc[1] += tg + grain;
                  acc[2] += tb + grain;
                }
            }
        for (int c = 0; c < 3; c++)
          scene->px[((gsize) y * w + x) * 3 + c] = acc[c] / 9;
      }
  return scene;
}

static void
box_blur (Scene *s, int r, gboolean horizontal_only)
{
  g_autofree float *tmp = g_new (float, (gsize) s->w * s->h * 3);

  if (r <= 0)
    return;
  for (int pass = 0; pass < (horizontal_only ? 1 : 2); pass++)
    {
      gboolean horiz = pass == 0;
      int n = horiz ? s->w : s->h, lines = horiz ? s->h : s->w;

      for (int l = 0; l < lines; l++)
        for (int c = 0; c < 3; c++)
          {
            float sum = 0;
            int count = 0;

#define AT(i) (horiz ? ((gsize) l * s->w + (i)) : ((gsize) (i) *s->w + l))
            for (int i = -r; i <= r; i++)
              if (i >= 0 && i < n)
                sum += s->px[AT (i) * 3 + c], count++;
            for (int i = 0; i < n; i++)
              {
                tmp[AT (i) * 3 + c] = sum / count;
                if (i - r >= 0)
                  sum -= s->px[AT (i - r) * 3 + c], count--;
                if (i + r + 1 < n)
                  sum += s->px[AT (i + r + 1) * 3 + c], count++;
              }
#undef AT
          }
      memcpy (s->px, tmp, sizeof (float) * s->w * s->h * 3);
    }
}

static double
gauss (GRand *rand)
{
  double u = g_rand_double_range (rand, 1e-9, 1), v = g_rand_double (rand);

  return sqrt (-2 * log (u)) * cos (2 * G_PI * v);
}

static void
degrade (GRand *rand, Scene *s, const Shot *shot)
{
  /* gaussian blur as three box blurs */
  if (shot->blur > 0)
    for (int i = 0; i < 3; i++)
      box_blur (s, (int) shot->blur, FALSE);
  if (shot->motion > 0)
    box_blur (s, (int) shot->motion, TRUE);

  /* glare: a bright specular blob and streak on the laminate */
  if (shot->glare > 0)
    {
      double gx = s->w * g_rand_double_range (rand, 0.45, 0.85);
      double gy = s->h * g_rand_double_range (rand, 0.15, 0.55);
      double r = s->w * g_rand_double_range (rand, 0.06, 0.12);

      for (int y = 0; y < s->h; y++)
        for (int x = 0; x < s->w; x++)
          {
            double d2 = ((x - gx) * (x - gx) + (y - gy) * (y - gy) * 2) / (r * r);
            double streak = exp (-pow ((x - gx) * 0.5 + (y - gy) * 0.9, 2) / (r * r * 0.08));
            double add = shot->glare * (255 * exp (-d2) + 90 * streak);

            for (int c = 0; c < 3; c++)
              s->px[((gsize) y * s->w + x) * 3 + c] += add;
          }
    }

  /* low light: gain, a vignette, then sensor noise that grows as light drops */
  for (gsize i = 0; i < (gsize) s->w * s->h; i++)
    {
      int x = i % s->w, y = i / s->w;
      double vx = (x - s->w / 2.0) / s->w, vy = (y - s->h / 2.0) / s->h;
      double vignette = 1 - 0.6 * (vx * vx + vy * vy);
      double n = shot->noise > 0 ? gauss (rand) * shot->noise : 0;

      for (int c = 0; c < 3; c++)
        {
          double v = s->px[i * 3 + c] * shot->light * vignette + n;

          s->px[i * 3 + c] = (float) CLAMP (v, 0, 255);
        }
    }
}

static gboolean
save_scene (Scene *s, const char *path, const Shot *shot, GError **error)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, s->w, s->h);
  guint8 *d = gdk_pixbuf_get_pixels (pixbuf);
  int rs = gdk_pixbuf_get_rowstride (pixbuf);
  g_autofree char *q = g_strdup_printf ("%d", (int) shot->jpeg_quality);

  for (int y = 0; y < s->h; y++)
    for (int x = 0; x < s->w * 3; x++)
      d[(gsize) y * rs + x] = (guint8) lrintf (s->px[(gsize) y * s->w * 3 + x]);
  if (shot->png)
    return gdk_pixbuf_save (pixbuf, path, "png", error, "compression", "9", NULL);
  return gdk_pixbuf_save (pixbuf, path, "jpeg", error, "quality", q, NULL);
}

static char *
describe (const Shot *s)
{
  GString *d = g_string_new (NULL);

  if (s->kind != KIND_NONE)
    g_string_append_printf (d, "kind=%s ", kind_names[s->kind]);
  g_string_append_printf (d, "card=%.2f rot=%.0f tilt=%.0f/%.0f", s->card_frac, s->rz, s->rx,
                          s->ry);
  if (s->blur > 0)
    g_string_append_printf (d, " blur=%.0f", s->blur);
  if (s->motion > 0)
    g_string_append_printf (d, " motion=%.0f", s->motion);
  if (s->noise > 0)
    g_string_append_printf (d, " noise=%.0f", s->noise);
  if (s->light < 1)
    g_string_append_printf (d, " light=%.2f", s->light);
  if (s->glare > 0)
    g_string_append_printf (d, " glare=%.2f", s->glare);
  g_string_append_printf (d, s->png ? " png" : " jpeg=%.0f", s->jpeg_quality);
  return g_string_free (d, FALSE);
}

typedef enum
{
  SET_EASY,
  SET_HARD,
  SET_NONE,
  SET_KINDS, /* hard cases of one kind each, numbered after the others */
} Set;

static Shot
easy_shot (GRand *rand)
{
  Shot s = { 0 };

  s.card_frac = g_rand_double_range (rand, 0.78, 0.92);
  s.rz = g_rand_double_range (rand, -8, 8);
  s.rx = g_rand_double_range (rand, -8, 8);
  s.ry = g_rand_double_range (rand, -8, 8);
  s.blur = 0;
  s.noise = g_rand_double_range (rand, 1, 4);
  s.light = g_rand_double_range (rand, 0.85, 1.0);
  s.jpeg_quality = 90;
  return s;
}

/* Each hard shot combines two or three conditions, each drawn from a range
 * reaching past what any decoder manages, so the rate means something. */
static Shot
hard_shot (GRand *rand, int i)
{
  Shot s = easy_shot (rand);
  int conditions[3] = { i % 7, (i / 7 + i) % 7, -1 };

  if (i % 3 == 0)
    conditions[2] = (i * 5 + 3) % 7;
  s.jpeg_quality = g_rand_double_range (rand, 45, 85);
  for (int k = 0; k < 3; k++)
    switch (conditions[k])
      {
        case 0: /* small in frame */
          s.card_frac = g_rand_double_range (rand, 0.28, 0.45);
          break;
        case 1: /* strong tilt and turn */
          s.rz = g_rand_double_range (rand, -180, 180);
          s.rx = g_rand_double_range (rand, -40, 40);
          s.ry = g_rand_double_range (rand, -40, 40);
          break;
        case 2: /* defocus */
          s.blur = g_rand_int_range (rand, 1, 3);
          break;
        case 3: /* hand shake */
          s.motion = g_rand_int_range (rand, 1, 5);
          break;
        case 4: /* low light and its noise */
          s.light = g_rand_double_range (rand, 0.15, 0.4);
          s.noise = g_rand_double_range (rand, 4, 12);
          break;
        case 5: /* glare on the laminate */
          s.glare = g_rand_double_range (rand, 0.4, 1.0);
          break;
        case 6: /* sensor noise and heavy compression */
          s.noise = g_rand_double_range (rand, 6, 18);
          s.jpeg_quality = g_rand_double_range (rand, 20, 45);
          break;
        default:
          break;
      }
  return s;
}

/* One hard case of @kind, otherwise mild. */
static Shot
kind_shot (GRand *rand, Kind kind, int *w, int *h)
{
  Shot s = easy_shot (rand);

  s.kind = kind;
  s.jpeg_quality = g_rand_double_range (rand, 70, 88);
  switch (kind)
    {
      case KIND_HIRES:
        *w = 3264, *h = 2448;
        s.card_frac = g_rand_double_range (rand, 1.5, 2.3);
        s.on_code = TRUE;
        s.noise = g_rand_double_range (rand, 2, 5);
        break;
      case KIND_PERSPECTIVE:
        s.card_frac = g_rand_double_range (rand, 0.75, 0.95);
        s.rz = g_rand_double_range (rand, -30, 30);
        s.rx = g_rand_double_range (rand, 50, 62) * (g_rand_boolean (rand) ? 1 : -1);
        s.ry = g_rand_double_range (rand, 20, 45) * (g_rand_boolean (rand) ? 1 : -1);
        break;
      case KIND_INVERTED:
      case KIND_NESTED:
      case KIND_SJIS:
        s.rz = g_rand_double_range (rand, -25, 25);
        s.rx = g_rand_double_range (rand, -20, 20);
        break;
      default:
        break;
    }
  return s;
}

/* A Japanese name and address in Shift_JIS, as a foreign resident's card
 * or a parcel label might carry. */
static char *
sjis_payload (GRand *rand)
{
  static const char *const names[] = { "山田太郎", "佐藤花子", "鈴木一郎", "田中美咲" };
  static const char *const places[] = { "東京都千代田区霞が関", "大阪府大阪市北区梅田",
                                        "北海道札幌市中央区", "福岡県福岡市博多区" };
  g_autofree char *text = g_strdup_printf ("%s|%s|%04d", PICK (rand, names), PICK (rand, places),
                                           g_rand_int_range (rand, 1000, 9999));

  return g_convert (text, -1, "SHIFT_JIS", "UTF-8", NULL, NULL, NULL);
}

static char *
label_payload (const char *payload)
{
  if (payload == NULL)
    return g_strdup ("-");
  if (g_utf8_validate (payload, -1, NULL))
    return g_strdup (payload);
  {
    g_autofree char *b64 = g_base64_encode ((const guchar *) payload, strlen (payload));

    return g_strconcat ("base64:", b64, NULL);
  }
}

int
main (int argc, char **argv)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261123);
  g_autoptr (GString) labels = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *labels_path = NULL;
  const char *outdir;
  struct
  {
    Set set;
    int count;
  } plan[] = { { SET_EASY, 16 }, { SET_HARD, 70 }, { SET_NONE, 6 }, { SET_KINDS, 20 } };

  if (argc != 2)
    {
      g_printerr ("Usage: %s OUTDIR\n", argv[0]);
      return 2;
    }
  outdir = argv[1];
  g_mkdir_with_parents (outdir, 0755);

  for (gsize p = 0; p < G_N_ELEMENTS (plan); p++)
    for (int i = 0; i < plan[p].count; i++)
      {
        Set set = plan[p].set;
        Kind kind = set == SET_KINDS ? (Kind) (1 + i % (KIND_LAST - 1)) : KIND_NONE;
        int w = 960, h = 720;
        Shot shot = set == SET_EASY    ? easy_shot (rand)
                    : set == SET_HARD  ? hard_shot (rand, i)
                    : set == SET_KINDS ? kind_shot (rand, kind, &w, &h)
                                       : easy_shot (rand);
        int fields = i % 2 == 0 ? 7 : 11;
        gboolean short_name = set != SET_NONE && i % 5 == 1;
        g_autofree char *payload = set == SET_NONE     ? NULL
                                   : kind == KIND_SJIS ? sjis_payload (rand)
                                                       : make_payload (rand, fields, short_name);
        cairo_surface_t *card = render_card (rand, payload, set == SET_NONE && i % 2 == 0, kind);
        Scene *scene;
        g_autofree char *name = NULL;
        g_autofree char *path = NULL;
        g_autofree char *desc = NULL;
        g_autofree char *label = NULL;

        if (set == SET_EASY && i % 8 == 0)
          {
            /* a few PNGs, small: noise makes them large */
            shot.png = TRUE;
            shot.noise = 0.5;
            w = 800, h = 600;
          }
        if (set == SET_HARD && shot.card_frac < 0.5)
          w = 1280, h = 960;
        name = g_strdup_printf ("%s-%03d.%s",
                                set == SET_EASY   ? "easy"
                                : set == SET_NONE ? "none"
                                                  : "hard",
                                set == SET_KINDS ? 71 + i : i + 1, shot.png ? "png" : "jpg");
        path = g_build_filename (outdir, name, NULL);
        scene = photograph (rand, card, w, h, &shot);
        degrade (rand, scene, &shot);
        if (!save_scene (scene, path, &shot, &error))
          {
            g_printerr ("%s: %s\n", path, error->message);
            return 1;
          }
        desc = describe (&shot);
        label = label_payload (payload);
        g_string_append_printf (labels, "%s\t%s\t%s\t%s\n", name,
                                set == SET_EASY   ? "easy"
                                : set == SET_NONE ? "none"
                                                  : "hard",
                                desc, label);
        g_free (scene->px);
        g_free (scene);
        cairo_surface_destroy (card);
      }

  labels_path = g_build_filename (outdir, "labels.tsv", NULL);
  if (!g_file_set_contents (labels_path, labels->str, labels->len, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}
