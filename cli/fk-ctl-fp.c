/* fk-ctl-fp.c: fieldkit-ctl fp …, the fingerprint reader from a shell
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-ctl.h"
#include "fk-devices.h"

static void
on_finger_needed (FkFingerprint *reader, gpointer user_data)
{
  g_printerr ("%s\n", _ ("Place the finger on the reader."));
}

/* The reader the device factory hands out: with --sim IMAGE the simulated
 * one pressed with IMAGE, else as FIELDKIT_HW and the app's setting say. A
 * simulated reader with no finger to press would wait for ever. The
 * prompts for the finger go to standard error. */
static FkFingerprint *
open_reader (const char *sim_image, GError **error)
{
  g_autoptr (FkDevices) devices =
    fk_devices_new (sim_image != NULL ? FK_HW_BACKEND_SIM : FK_HW_BACKEND_DEFAULT);
  FkFingerprint *reader;

  fk_devices_set_sim_finger (devices, sim_image);
  if (fk_devices_is_simulated (devices) && fk_devices_get_sim_finger (devices) == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _ ("The fingerprint reader is simulated: give the finger image with "
                              "--sim IMAGE."));
      return NULL;
    }
  reader = fk_devices_open_fingerprint (devices, error);
  if (reader != NULL)
    g_signal_connect (reader, "finger-needed", G_CALLBACK (on_finger_needed), NULL);
  return reader;
}

static void
on_enroll_progress (FkFingerprint *reader, int stage, int n_stages, const char *retry,
                    gpointer user_data)
{
  if (retry != NULL)
    g_printerr ("%s\n", retry);
  else
    g_printerr (_ ("Press %d of %d done.\n"), stage, n_stages);
}

static gboolean
write_out (const char *path, GBytes *bytes, GError **error)
{
  return g_file_set_contents_full (path, g_bytes_get_data (bytes, NULL),
                                   (gssize) g_bytes_get_size (bytes),
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

int
fk_ctl_fp_enroll (FkCtl *ctl, int argc, char **argv)
{
  g_autofree char *sim_image = NULL;
  g_autofree char *out = NULL;
  const GOptionEntry entries[] = {
    { "sim", 0, 0, G_OPTION_ARG_FILENAME, &sim_image,
      N_ ("Simulated reader, pressed with this finger image"), N_ ("IMAGE") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_ ("Write the template to FILE"), N_ ("FILE") },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (FkFingerprint) reader = NULL;
  g_autoptr (GBytes) template = NULL;
  g_auto (FkCtlWait) wait = FK_CTL_WAIT_INIT;

  if (!fk_ctl_parse (ctl, entries, NULL, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (out == NULL)
    return fk_ctl_usage_error (ctl, "%s", _ ("Give the template file with --out FILE."));

  reader = open_reader (sim_image, &error);
  if (reader == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  g_signal_connect (reader, "enroll-progress", G_CALLBACK (on_enroll_progress), NULL);

  fk_fingerprint_enroll_async (reader, wait.cancellable, fk_ctl_wait_done, &wait);
  template = fk_fingerprint_enroll_finish (reader, fk_ctl_wait_result (&wait), &error);
  if (template == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  if (!write_out (out, template, &error))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  g_printerr (_ ("Enrolled; template written to %s.\n"), out);
  return FK_CTL_EXIT_OK;
}

int
fk_ctl_fp_verify (FkCtl *ctl, int argc, char **argv)
{
  g_autofree char *sim_image = NULL;
  g_autofree char *template_path = NULL;
  const GOptionEntry entries[] = {
    { "template", 't', 0, G_OPTION_ARG_FILENAME, &template_path, N_ ("Template from “fp enroll”"),
      N_ ("FILE") },
    { "sim", 0, 0, G_OPTION_ARG_FILENAME, &sim_image,
      N_ ("Simulated reader, pressed with this finger image"), N_ ("IMAGE") },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (FkFingerprint) reader = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GBytes) template = NULL;
  gboolean match = FALSE;
  gboolean ok;
  g_auto (FkCtlWait) wait = FK_CTL_WAIT_INIT;

  if (!fk_ctl_parse (ctl, entries, NULL, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (template_path == NULL)
    return fk_ctl_usage_error (ctl, "%s", _ ("Give the template file with --template FILE."));
  if (!g_file_get_contents (template_path, &data, &len, &error))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  template = g_bytes_new_take (g_steal_pointer (&data), len);

  reader = open_reader (sim_image, &error);
  if (reader == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);

  fk_fingerprint_verify_async (reader, template, wait.cancellable, fk_ctl_wait_done, &wait);
  ok = fk_fingerprint_verify_finish (reader, fk_ctl_wait_result (&wait), &match, &error);
  if (!ok)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  g_print ("%s\n", match ? _ ("The fingerprint matches.") : _ ("The fingerprint does not match."));
  return match ? FK_CTL_EXIT_OK : FK_CTL_EXIT_NEGATIVE;
}

int
fk_ctl_fp_capture (FkCtl *ctl, int argc, char **argv)
{
  g_autofree char *sim_image = NULL;
  g_autofree char *out = NULL;
  const GOptionEntry entries[] = {
    { "sim", 0, 0, G_OPTION_ARG_FILENAME, &sim_image,
      N_ ("Simulated reader, pressed with this finger image"), N_ ("IMAGE") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_ ("Write the image to FILE as PNG"),
      N_ ("FILE") },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (FkFingerprint) reader = NULL;
  g_autoptr (GBytes) grey = NULL;
  g_autoptr (GBytes) png = NULL;
  int width = 0, height = 0;
  g_auto (FkCtlWait) wait = FK_CTL_WAIT_INIT;

  if (!fk_ctl_parse (ctl, entries, NULL, &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (out == NULL)
    return fk_ctl_usage_error (ctl, "%s", _ ("Give the image file with --out FILE."));

  reader = open_reader (sim_image, &error);
  if (reader == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);

  fk_fingerprint_capture_async (reader, wait.cancellable, fk_ctl_wait_done, &wait);
  grey =
    fk_fingerprint_capture_finish (reader, fk_ctl_wait_result (&wait), &width, &height, &error);
  if (grey == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  png = fk_fingerprint_image_to_png (grey, width, height, &error);
  if (png == NULL || !write_out (out, png, &error))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
  g_printerr (_ ("Fingerprint image (%d × %d) written to %s.\n"), width, height, out);
  return FK_CTL_EXIT_OK;
}

int
fk_ctl_fp_list (FkCtl *ctl, int argc, char **argv)
{
  gboolean sim = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "sim", 0, 0, G_OPTION_ARG_NONE, &sim, N_ ("List the simulated reader"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (FkDevices) devices = NULL;
  g_autoptr (GPtrArray) readers = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  if (!fk_ctl_parse (ctl, entries, NULL, &argc, &argv))
    return FK_CTL_EXIT_USAGE;

  devices = fk_devices_new (sim ? FK_HW_BACKEND_SIM : FK_HW_BACKEND_DEFAULT);
  readers = fk_devices_list_fingerprint_readers (devices, &error);
  if (readers == NULL)
    return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);

  json_builder_begin_array (builder);
  for (guint i = 0; i < readers->len; i++)
    {
      FkFingerprint *reader = g_ptr_array_index (readers, i);

      if (json)
        {
          json_builder_begin_object (builder);
          fk_ctl_json_string (builder, "driver", fk_fingerprint_get_driver (reader));
          fk_ctl_json_string (builder, "name", fk_fingerprint_get_name (reader));
          fk_ctl_json_int (builder, "enroll_stages", fk_fingerprint_get_enroll_stages (reader));
          json_builder_end_object (builder);
        }
      else
        g_print (_ ("%s\t%s\t%d presses to enrol\n"), fk_fingerprint_get_driver (reader),
                 fk_fingerprint_get_name (reader), fk_fingerprint_get_enroll_stages (reader));
    }
  json_builder_end_array (builder);

  if (json)
    {
      g_autoptr (JsonNode) root = json_builder_get_root (builder);

      fk_ctl_print_json (root);
    }
  else if (readers->len == 0)
    g_printerr ("%s\n", _ ("No fingerprint reader was found."));
  return readers->len > 0 ? FK_CTL_EXIT_OK : FK_CTL_EXIT_NEGATIVE;
}
