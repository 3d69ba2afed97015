/* fk-gray-image.h: an 8-bit luminance image, the common currency of the
 * QR scanner and the document checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  /*< public >*/
  int width;
  int height;
  int stride;
  guint8 *data; /* row y starts at data + y * stride */
  /*< private >*/
  GBytes *owner; /* holds the pixels, from data on: ours, or a caller's buffer */
} FkGrayImage;

#define FK_GRAY_IMAGE_MAX_PIXELS (64 * 1024 * 1024)

#define FK_TYPE_GRAY_IMAGE (fk_gray_image_get_type ())
GType fk_gray_image_get_type (void);

FkGrayImage *fk_gray_image_new (int width, int height);
FkGrayImage *fk_gray_image_new_for_bytes (GBytes *bytes, int width, int height, int stride);
FkGrayImage *fk_gray_image_new_from_pixbuf (GdkPixbuf *pixbuf);
FkGrayImage *fk_gray_image_new_from_file (const char *path, GError **error);
FkGrayImage *fk_gray_image_copy (const FkGrayImage *image);
void fk_gray_image_free (FkGrayImage *image);

FkGrayImage *fk_gray_image_scale (const FkGrayImage *image, int width, int height);
FkGrayImage *fk_gray_image_crop (const FkGrayImage *image, int x, int y, int width, int height);
GdkPixbuf *fk_gray_image_to_pixbuf (const FkGrayImage *image);
GBytes *fk_gray_image_save_jpeg (const FkGrayImage *image, int quality, GError **error);
gboolean fk_gray_image_save (const FkGrayImage *image, const char *path, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkGrayImage, fk_gray_image_free)

G_END_DECLS
