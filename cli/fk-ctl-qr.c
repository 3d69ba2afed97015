/* fk-ctl-qr.c: fieldkit-ctl qr decode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "fk-ctl.h"
#include "fk-qr-scanner.h"

static JsonNode *
result_to_json (const FkQrResult *result, double elapsed_ms, int width, int height)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  fk_ctl_json_bool (b, "found", result != NULL);
  if (result != NULL)
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (result->payload, &size);
      g_autofree char *b64 = g_base64_encode ((const guchar *) data, size);

      json_builder_set_member_name (b, "payload");
      if (g_utf8_validate_len (data, size, NULL))
        {
          g_autofree char *text = g_strndup (data, size);

          json_builder_add_string_value (b, text);
        }
      else
        json_builder_add_null_value (b);
      fk_ctl_json_string (b, "payload_base64", b64);
      json_builder_set_member_name (b, "corners");
      json_builder_begin_array (b);
      for (guint i = 0; i < result->n_corners; i++)
        {
          json_builder_begin_array (b);
          json_builder_add_double_value (b, result->corners[2 * i]);
          json_builder_add_double_value (b, result->corners[2 * i + 1]);
          json_builder_end_array (b);
        }
      json_builder_end_array (b);
      fk_ctl_json_string (b, "pass", result->pass);
    }
  fk_ctl_json_int (b, "width", width);
  fk_ctl_json_int (b, "height", height);
  fk_ctl_json_double (b, "elapsed_ms", elapsed_ms);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Prints exactly the payload bytes: no newline, nothing else, so that
 * `fieldkit-ctl qr decode photo.jpg | …` passes the card data on intact. */
int
fk_ctl_qr_decode (FkCtl *ctl, int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_ ("Print a JSON object with the corners and timing"), NULL },
    { NULL },
  };
  g_autoptr (FkGrayImage) image = NULL;
  int status;
  g_autoptr (FkQrScanner) scanner = NULL;
  g_autoptr (FkQrResult) result = NULL;
  gint64 start;
  double elapsed_ms;

  if (!fk_ctl_parse (ctl, entries, NULL, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  image = fk_ctl_load_image_argument (ctl, argc, argv, &status);
  if (image == NULL)
    return status;

  scanner = fk_qr_scanner_new ();
  start = g_get_monotonic_time ();
  result = fk_qr_scanner_scan (scanner, image, FK_QR_MODE_STILL);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000.0;

  if (json)
    {
      g_autoptr (JsonNode) node = result_to_json (result, elapsed_ms, image->width, image->height);

      fk_ctl_print_json (node);
    }
  else if (result != NULL)
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (result->payload, &size);

      if (fwrite (data, 1, size, stdout) != size || fflush (stdout) != 0)
        {
          g_printerr ("fieldkit-ctl %s: %s\n", ctl->command, _ ("Cannot write to the output."));
          return FK_CTL_EXIT_USAGE;
        }
    }
  else
    g_printerr ("fieldkit-ctl %s: %s\n", ctl->command,
                _ ("No QR code found. Hold the card flat and close, out of direct light, and try "
                   "again."));
  return result != NULL ? FK_CTL_EXIT_OK : FK_CTL_EXIT_NEGATIVE;
}
