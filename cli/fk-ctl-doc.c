/* fk-ctl-doc.c: fieldkit-ctl doc check, doc compress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "fk-ctl.h"
#include "fk-doc.h"

static JsonNode *
quality_to_json (const FkDocQuality *q)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  fk_ctl_json_bool (b, "ok", q->issues == FK_DOC_ISSUE_NONE);
  json_builder_set_member_name (b, "issues");
  json_builder_begin_array (b);
  for (guint bit = 1; bit <= FK_DOC_ISSUE_NO_PAGE; bit <<= 1)
    if (q->issues & bit)
      {
        json_builder_begin_object (b);
        fk_ctl_json_string (b, "code", fk_doc_issue_to_string (bit));
        fk_ctl_json_string (b, "advice", fk_doc_issue_get_advice (bit));
        json_builder_end_object (b);
      }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "scores");
  json_builder_begin_object (b);
  fk_ctl_json_double (b, "sharpness", q->sharpness);
  fk_ctl_json_double (b, "brightness", q->brightness);
  fk_ctl_json_double (b, "glare", q->glare);
  fk_ctl_json_double (b, "page_fill", q->page_fill);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "thresholds");
  json_builder_begin_object (b);
  fk_ctl_json_double (b, "min_sharpness", FK_DOC_MIN_SHARPNESS);
  fk_ctl_json_double (b, "min_brightness", FK_DOC_MIN_BRIGHTNESS);
  fk_ctl_json_double (b, "max_glare", FK_DOC_MAX_GLARE);
  fk_ctl_json_double (b, "min_page_fill", FK_DOC_MIN_PAGE_FILL);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "page");
  if (q->page_found)
    {
      json_builder_begin_array (b);
      for (int i = 0; i < 4; i++)
        {
          json_builder_begin_array (b);
          json_builder_add_double_value (b, q->page[2 * i]);
          json_builder_add_double_value (b, q->page[2 * i + 1]);
          json_builder_end_array (b);
        }
      json_builder_end_array (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

int
fk_ctl_doc_check (FkCtl *ctl, int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the scores and issues as JSON"), NULL },
    { NULL },
  };
  g_autoptr (FkGrayImage) image = NULL;
  int status;
  FkDocQuality q;

  if (!fk_ctl_parse (ctl, entries, NULL, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  image = fk_ctl_load_image_argument (ctl, argc, argv, &status);
  if (image == NULL)
    return status;

  fk_doc_quality_check (image, &q);
  if (json)
    {
      g_autoptr (JsonNode) node = quality_to_json (&q);

      fk_ctl_print_json (node);
    }
  else if (q.issues == FK_DOC_ISSUE_NONE)
    g_print ("%s\n", fk_doc_issue_get_advice (FK_DOC_ISSUE_NONE));
  else
    for (guint bit = 1; bit <= FK_DOC_ISSUE_NO_PAGE; bit <<= 1)
      if (q.issues & bit)
        g_print ("%s\n", fk_doc_issue_get_advice (bit));
  return q.issues == FK_DOC_ISSUE_NONE ? FK_CTL_EXIT_OK : FK_CTL_EXIT_NEGATIVE;
}

int
fk_ctl_doc_compress (FkCtl *ctl, int argc, char **argv)
{
  g_autofree char *out = NULL;
  gboolean no_crop = FALSE;
  int max_kb = FK_DOC_MAX_UPLOAD_BYTES / 1024;
  GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_ ("Where to write the JPEG"), N_ ("FILE") },
    { "no-crop", 0, 0, G_OPTION_ARG_NONE, &no_crop,
      N_ ("Keep the whole photo, do not crop to the page"), NULL },
    { "max-kb", 0, 0, G_OPTION_ARG_INT, &max_kb, N_ ("Largest file size in KB (default 150)"),
      N_ ("KB") },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (FkGrayImage) image = NULL;
  int status;
  g_autoptr (FkGrayImage) page = NULL;
  g_autoptr (FkDocCompressed) c = NULL;
  FkDocQuality q;

  if (!fk_ctl_parse (ctl, entries, NULL, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (out == NULL)
    return fk_ctl_usage_error (ctl, _ ("Give the output file with --out FILE."));
  if (max_kb < 16)
    return fk_ctl_usage_error (ctl, _ ("--max-kb must be at least 16."));
  image = fk_ctl_load_image_argument (ctl, argc, argv, &status);
  if (image == NULL)
    return status;

  fk_doc_quality_check (image, &q);
  if (!no_crop && q.page_found)
    page = fk_doc_crop_page (image, q.page);
  c = fk_doc_compress (page != NULL ? page : image, (gsize) max_kb * 1024, &error);
  if (c == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  /* g_file_set_contents writes a temporary file and renames it: an
   * interrupted run never leaves half a JPEG under the final name */
  if (!g_file_set_contents (out, g_bytes_get_data (c->jpeg, NULL), g_bytes_get_size (c->jpeg),
                            &error))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  /* Translators: "%s: 1200×1600, JPEG quality 75, 120 KB" */
  g_print (_ ("%s: %d×%d, JPEG quality %d, %u KB\n"), out, c->width, c->height, c->quality,
           (guint) ((g_bytes_get_size (c->jpeg) + 1023) / 1024));
  return FK_CTL_EXIT_OK;
}
