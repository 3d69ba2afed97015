/* fk-doc-scene.c: photographs of a rendered Vietnamese form page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "fk-doc-scene.h"
#include "fk-homography.h"

/* A4 at 150 dpi */
#define PAGE_W 1240
#define PAGE_H 1754

/* Made-up people and places. */
static const char page_text[] =
  "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
  "Độc lập - Tự do - Hạnh phúc\n"
  "\n"
  "TỜ KHAI ĐĂNG KÝ KHAI SINH\n"
  "\n"
  "Kính gửi: Ủy ban nhân dân xã Nà Hẩu, tỉnh Lào Cai\n"
  "Họ, chữ đệm, tên người yêu cầu: Hoàng Thị Mỷ\n"
  "Nơi cư trú: thôn Khe Vằn, xã Nà Hẩu, tỉnh Lào Cai\n"
  "Giấy tờ tùy thân: Căn cước công dân số 010190000000\n"
  "Quan hệ với người được khai sinh: mẹ đẻ\n"
  "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:\n"
  "Họ, chữ đệm, tên: Hoàng Văn Phúc\n"
  "Ngày, tháng, năm sinh: mười hai tháng ba năm hai nghìn không trăm hai mươi sáu\n"
  "Giới tính: Nam. Dân tộc: Dao. Quốc tịch: Việt Nam\n"
  "Nơi sinh: Trạm y tế xã Nà Hẩu, tỉnh Lào Cai\n"
  "Quê quán: xã Mỏ Vàng, tỉnh Lào Cai\n"
  "Họ, chữ đệm, tên người mẹ: Hoàng Thị Mỷ, năm sinh 1998, dân tộc Dao\n"
  "Họ, chữ đệm, tên người cha: Triệu Văn Sử, năm sinh 1995, dân tộc Dao\n"
  "Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật,\n"
  "được sự thỏa thuận nhất trí của các bên liên quan theo quy định pháp luật.\n"
  "Tôi chịu hoàn toàn trách nhiệm trước pháp luật về nội dung cam đoan của mình.\n"
  "Đề nghị cấp bản sao trích lục khai sinh: có, số lượng: hai bản.\n"
  "Làm tại: xã Nà Hẩu, ngày mười bốn tháng ba năm hai nghìn không trăm hai mươi sáu.\n"
  "Người yêu cầu ký, ghi rõ họ, chữ đệm, tên: Hoàng Thị Mỷ\n";

/**
 * fk_doc_scene_render_page:
 * @text: (out) (optional): the text printed on the page, for OCR checks
 */
FkGrayImage *
fk_doc_scene_render_page (char **text)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, PAGE_W, PAGE_H);
  cairo_t *cr = cairo_create (surface);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("DejaVu Serif");
  FkGrayImage *page = fk_gray_image_new (PAGE_W, PAGE_H);
  const guint8 *px;
  int stride;

  cairo_set_source_rgb (cr, 0.95, 0.95, 0.93);
  cairo_paint (cr);
  /* 12 pt at 150 dpi */
  pango_font_description_set_absolute_size (font, 25 * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (PAGE_W - 220) * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_set_spacing (layout, 14 * PANGO_SCALE);
  pango_layout_set_text (layout, page_text, -1);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.12);
  cairo_move_to (cr, 110, 130);
  pango_cairo_show_layout (cr, layout);
  cairo_surface_flush (surface);

  px = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < PAGE_H; y++)
    for (int x = 0; x < PAGE_W; x++)
      {
        const guint8 *p = px + (gsize) y * stride + x * 4;

        page->data[(gsize) y * page->stride + x] =
          (guint8) ((p[2] * 77 + p[1] * 150 + p[0] * 29) >> 8);
      }
  pango_font_description_free (font);
  g_object_unref (layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  if (text != NULL)
    *text = g_strdup (page_text);
  return page;
}

static void
box_blur (float *px, int w, int h, int r)
{
  g_autofree float *tmp = g_new (float, (gsize) w *h);

  for (int pass = 0; pass < 2; pass++)
    {
      gboolean horiz = pass == 0;
      int n = horiz ? w : h, lines = horiz ? h : w;

      for (int l = 0; l < lines; l++)
        {
          float sum = 0;
          int count = 0;

#define AT(i) (horiz ? ((gsize) l * w + (i)) : ((gsize) (i) *w + l))
          for (int i = 0; i <= r && i < n; i++)
            sum += px[AT (i)], count++;
          for (int i = 0; i < n; i++)
            {
              tmp[AT (i)] = sum / count;
              if (i - r >= 0)
                sum -= px[AT (i - r)], count--;
              if (i + r + 1 < n)
                sum += px[AT (i + r + 1)], count++;
            }
#undef AT
        }
      memcpy (px, tmp, sizeof (float) * w * h);
    }
}

/**
 * fk_doc_scene_photograph:
 *
 * Returns: (transfer full): a 1200×1600 photo of @page on a dark table.
 */
FkGrayImage *
fk_doc_scene_photograph (const FkGrayImage *page, const FkDocShot *shot, guint32 seed)
{
  const int w = 1200, h = 1600;
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autofree float *px = g_new (float, (gsize) w *h);
  FkGrayImage *out = fk_gray_image_new (w, h);
  double ph = shot->page_height * h, pw = ph * page->width / page->height;
  double turn = shot->turn * G_PI / 180, tilt = shot->tilt * G_PI / 180, f = w * 1.3;
  double corners[4][2] = { { -0.5, -0.5 }, { 0.5, -0.5 }, { 0.5, 0.5 }, { -0.5, 0.5 } };
  double src[8] = { 0, 0, page->width, 0, page->width, page->height, 0, page->height };
  double dst[8], hm[9];
  double gx = w * 0.55, gy = h * 0.4;

  for (int i = 0; i < 4; i++)
    {
      double x = corners[i][0] * pw, y = corners[i][1] * ph, z;
      double t;

      z = y * sin (tilt);
      y = y * cos (tilt);
      t = x * cos (turn) - y * sin (turn);
      y = x * sin (turn) + y * cos (turn);
      x = t;
      dst[2 * i] = w / 2.0 + f * x / (f + z);
      dst[2 * i + 1] = h / 2.0 + f * y / (f + z);
    }
  /* from the photo back to the page, so each pixel samples the page */
  fk_homography (dst, src, hm);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        double acc = 0;

        for (int s = 0; s < 4; s++)
          {
            double sx = x + 0.25 + 0.5 * (s % 2), sy = y + 0.25 + 0.5 * (s / 2);
            double d = hm[6] * sx + hm[7] * sy + 1;
            double u = (hm[0] * sx + hm[1] * sy + hm[2]) / d;
            double v = (hm[3] * sx + hm[4] * sy + hm[5]) / d;

            if (u >= 0 && v >= 0 && u < page->width && v < page->height)
              acc += page->data[(gsize) (int) v * page->stride + (int) u];
            else
              acc += 60 + 10 * sin (x / 37.0) * cos (y / 53.0);
          }
        px[(gsize) y * w + x] = (float) (acc / 4);
      }
  for (int i = 0; i < 3 && shot->blur > 0; i++)
    box_blur (px, w, h, shot->blur);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        double v = px[(gsize) y * w + x] * shot->light;
        double d2 = ((x - gx) * (x - gx) + (y - gy) * (y - gy)) / (w * 0.12 * w * 0.12);
        double u1 = g_rand_double_range (rand, 1e-9, 1), u2 = g_rand_double (rand);

        v += shot->glare * 300 * exp (-d2);
        v += shot->noise * sqrt (-2 * log (u1)) * cos (2 * G_PI * u2);
        out->data[(gsize) y * out->stride + x] = (guint8) CLAMP (v, 0, 255);
      }
  return out;
}
