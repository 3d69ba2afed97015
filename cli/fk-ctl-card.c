/* fk-ctl-card.c: fieldkit-ctl card read, the chip of an ID card from a shell
 *
 * Exit status: 0 read and verified; 1 any other outcome (no reader or card,
 * access refused, card removed, data unverified or forged: the JSON says
 * which); 2 bad usage.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "fk-card-reader.h"
#include "fk-ctl.h"
#include "fk-devices.h"
#include "fk-hw-error.h"

static const char *
error_code (const GError *error)
{
  if (error->domain == G_IO_ERROR && error->code == G_IO_ERROR_CANCELLED)
    return "cancelled";
  if (error->domain != FK_HW_ERROR)
    return "card_error";
  switch (error->code)
    {
      case FK_HW_ERROR_CARD_NO_SERVICE:
        return "no_service";
      case FK_HW_ERROR_CARD_NO_READER:
        return "no_reader";
      case FK_HW_ERROR_CARD_NO_CARD:
        return "no_card";
      case FK_HW_ERROR_CARD_REMOVED:
        return "card_removed";
      case FK_HW_ERROR_CARD_BUSY:
        return "reader_busy";
      case FK_HW_ERROR_CARD_NOT_ID:
        return "not_id_card";
      case FK_HW_ERROR_CARD_ACCESS_DENIED:
        return "access_refused";
      case FK_HW_ERROR_CARD_UNREADABLE_DATA:
        return "unreadable_data";
      default:
        return "card_error";
    }
}

static gboolean
parse_date (const char *text, GDate *date)
{
  int y, m, d;
  char end;

  g_date_clear (date, 1);
  if (text == NULL || sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 ||
      !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  g_date_set_dmy (date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

static gboolean
on_timeout (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Waits up to @seconds for a card; a timeout is no error: the read then
 * says there is no card. */
static gboolean
wait_for_card (FkCardReader *reader, FkCtlWait *wait, int seconds, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *found = NULL;
  guint timeout = g_timeout_add_seconds ((guint) seconds, on_timeout, wait->cancellable);

  fk_card_reader_wait_for_card_async (reader, wait->cancellable, fk_ctl_wait_done, wait);
  found = fk_card_reader_wait_for_card_finish (reader, fk_ctl_wait_result (wait), &local);
  if (found == NULL && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (wait->cancellable);
      wait->cancellable = g_cancellable_new ();
      return TRUE;
    }
  g_source_remove (timeout);
  if (found == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
result_to_json (FkChipData *data, const FkCardReadStats *stats, const GError *error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  fk_chip_data_add_json_members (data, b);
  json_builder_set_member_name (b, "error");
  if (error != NULL)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, error_code (error));
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, error->message);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "bac_tries");
  json_builder_add_int_value (b, stats->n_bac_tries);
  json_builder_set_member_name (b, "apdus");
  json_builder_add_int_value (b, stats->n_apdus);
  json_builder_set_member_name (b, "elapsed_ms");
  json_builder_add_double_value (b, stats->elapsed_us / 1000.0);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
print_text (FkChipData *data)
{
  static const struct
  {
    const char *label;
    FkChipField field;
  } rows[] = {
    { N_ ("ID number"), FK_CHIP_FIELD_ID_NUMBER },
    { N_ ("Full name"), FK_CHIP_FIELD_FULL_NAME },
    { N_ ("Nationality"), FK_CHIP_FIELD_NATIONALITY },
    { N_ ("Ethnicity"), FK_CHIP_FIELD_ETHNICITY },
    { N_ ("Religion"), FK_CHIP_FIELD_RELIGION },
    { N_ ("Place of origin"), FK_CHIP_FIELD_PLACE_OF_ORIGIN },
    { N_ ("Place of residence"), FK_CHIP_FIELD_PLACE_OF_RESIDENCE },
    { N_ ("Father"), FK_CHIP_FIELD_FATHER_NAME },
    { N_ ("Mother"), FK_CHIP_FIELD_MOTHER_NAME },
    { N_ ("Spouse"), FK_CHIP_FIELD_SPOUSE_NAME },
    { N_ ("Old ID number"), FK_CHIP_FIELD_OLD_ID_NUMBER },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const char *value = fk_chip_data_get_text (data, rows[i].field);

      if (value != NULL)
        g_print ("%s: %s\n", _ (rows[i].label), value);
    }
  g_print ("%s: %s\n", _ ("Passive authentication"),
           fk_chip_pa_to_string (fk_chip_data_get_pa (data)));
  if (fk_chip_pa_reason_get_message (fk_chip_data_get_pa_reason (data)) != NULL)
    g_print ("%s\n", fk_chip_pa_reason_get_message (fk_chip_data_get_pa_reason (data)));
}

/* The portrait as PNG or JPEG by the file's extension, else as the chip
 * stores it. */
static gboolean
save_photo (FkChipData *data, const char *path, GError **error)
{
  const char *mime = NULL;
  GBytes *encoded = fk_chip_data_get_portrait (data, &mime);
  const char *type = g_str_has_suffix (path, ".png")                                       ? "png"
                     : g_str_has_suffix (path, ".jpg") || g_str_has_suffix (path, ".jpeg") ? "jpeg"
                                                                                           : NULL;
  g_autoptr (GdkPixbuf) pixbuf = NULL;

  if (encoded == NULL)
    {
      g_set_error_literal (error, FK_HW_ERROR, FK_HW_ERROR_PORTRAIT_INVALID,
                           _ ("The card has no portrait."));
      return FALSE;
    }
  if (type == NULL)
    return g_file_set_contents (path, g_bytes_get_data (encoded, NULL),
                                (gssize) g_bytes_get_size (encoded), error);
  pixbuf = fk_chip_portrait_decode (encoded, mime, error);
  return pixbuf != NULL && gdk_pixbuf_save (pixbuf, path, type, error, NULL);
}

static FkCardRequest *
request_from_options (FkCtl *ctl, const char *id, const char *birth, const char *issued,
                      const char *expiry, const char *csca, int *status)
{
  g_autoptr (FkCardRequest) request = NULL;
  g_autoptr (GError) error = NULL;
  GDate date;

  *status = FK_CTL_EXIT_USAGE;
  if (id == NULL || birth == NULL)
    {
      fk_ctl_usage_error (ctl, _ ("Give the card's --id and --birth."));
      return NULL;
    }
  if (!parse_date (birth, &date))
    {
      fk_ctl_usage_error (ctl, _ ("“%s” is not a date (YYYY-MM-DD)."), birth);
      return NULL;
    }
  request = fk_card_request_new (id, &date);
  if (issued != NULL)
    {
      if (!parse_date (issued, &date))
        {
          fk_ctl_usage_error (ctl, _ ("“%s” is not a date (YYYY-MM-DD)."), issued);
          return NULL;
        }
      fk_card_request_set_issued (request, &date);
    }
  if (expiry != NULL)
    {
      /* "none": a card printed "Không thời hạn" */
      if (g_str_equal (expiry, "none"))
        fk_card_request_set_expiry (request, NULL, TRUE);
      else if (parse_date (expiry, &date))
        fk_card_request_set_expiry (request, &date, FALSE);
      else
        {
          fk_ctl_usage_error (ctl, _ ("“%s” is not a date (YYYY-MM-DD, or “none”)."), expiry);
          return NULL;
        }
    }
  if (csca != NULL && !g_file_test (csca, G_FILE_TEST_EXISTS))
    {
      fk_ctl_usage_error (ctl, _ ("“%s” does not exist."), csca);
      return NULL;
    }
  fk_card_request_set_trust (request, csca);
  if (!fk_card_request_is_valid (request, &error))
    {
      fk_ctl_usage_error (ctl, "%s", error->message);
      return NULL;
    }
  *status = FK_CTL_EXIT_OK;
  return g_steal_pointer (&request);
}

int
fk_ctl_card_read (FkCtl *ctl, int argc, char **argv)
{
  g_autofree char *reader_name = NULL, *id = NULL, *birth = NULL, *issued = NULL;
  g_autofree char *expiry = NULL, *csca = NULL, *photo = NULL;
  gboolean json = FALSE;
  int wait_seconds = 0;
  GOptionEntry entries[] = {
    { "wait", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &wait_seconds,
      N_ ("Wait this long for a card to be put on the reader"), N_ ("SECONDS") },
    { "reader", 0, 0, G_OPTION_ARG_STRING, &reader_name, N_ ("The reader to use"), N_ ("NAME") },
    { "id", 0, 0, G_OPTION_ARG_STRING, &id, N_ ("The 12-digit ID number"), N_ ("ID") },
    { "birth", 0, 0, G_OPTION_ARG_STRING, &birth, N_ ("Birth date"), N_ ("YYYY-MM-DD") },
    { "issued", 0, 0, G_OPTION_ARG_STRING, &issued, N_ ("Issue date (predicts the expiry)"),
      N_ ("YYYY-MM-DD") },
    { "expiry", 0, 0, G_OPTION_ARG_STRING, &expiry, N_ ("Expiry printed on the card, or “none”"),
      N_ ("YYYY-MM-DD") },
    { "csca", 0, 0, G_OPTION_ARG_FILENAME, &csca,
      N_ ("Trusted CSCA certificate, or a folder of them"), N_ ("FILE_OR_DIR") },
    { "photo", 0, 0, G_OPTION_ARG_FILENAME, &photo,
      N_ ("Save the portrait (.png or .jpg decode it; other names keep the chip's format)"),
      N_ ("OUT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the card as JSON"), NULL },
    { NULL },
  };
  g_autoptr (FkDevices) devices = NULL;
  g_autoptr (FkCardRequest) request = NULL;
  g_autoptr (FkCardReader) reader = NULL;
  g_autoptr (FkChipData) data = NULL;
  g_autoptr (GError) error = NULL;
  FkCardReadStats stats = { 0 };
  g_auto (FkCtlWait) wait = FK_CTL_WAIT_INIT;
  int status;

  if (!fk_ctl_parse (ctl, entries,
                     _ ("Exit status: 0 read and verified, 1 any other outcome (the JSON says "
                        "which), 2 bad usage."),
                     &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (argc != 1)
    return fk_ctl_usage_error (ctl, _ ("Unexpected argument “%s”."), argv[1]);
  request = request_from_options (ctl, id, birth, issued, expiry, csca, &status);
  if (request == NULL)
    return status;
  fk_card_request_set_read_portrait (request, TRUE);

  devices = fk_devices_new (FK_HW_BACKEND_DEFAULT);
  reader = fk_devices_open_card_reader (devices, reader_name);
  if (wait_seconds <= 0 || wait_for_card (reader, &wait, wait_seconds, &error))
    {
      fk_card_reader_read_async (reader, request, wait.cancellable, fk_ctl_wait_done, &wait);
      data = fk_card_reader_read_finish (reader, fk_ctl_wait_result (&wait), &stats, &error);
    }

  if (data != NULL && photo != NULL && !save_photo (data, photo, &error))
    return fk_ctl_fail (ctl, FK_CTL_EXIT_NEGATIVE, error);
  if (json)
    {
      g_autoptr (JsonNode) node = result_to_json (data, &stats, error);

      fk_ctl_print_json (node);
    }
  else if (data != NULL)
    print_text (data);
  if (data == NULL)
    {
      if (!json)
        g_printerr ("fieldkit-ctl %s: %s\n", ctl->command, error->message);
      return FK_CTL_EXIT_NEGATIVE;
    }
  return fk_chip_data_get_pa (data) == FK_CHIP_PA_VERIFIED ? FK_CTL_EXIT_OK : FK_CTL_EXIT_NEGATIVE;
}
