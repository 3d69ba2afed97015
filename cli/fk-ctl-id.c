/* fk-ctl-id.c: fieldkit-ctl id parse
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "fk-core.h"
#include "fk-ctl.h"

/* A CCCD QR code holds well under 1 KiB; anything much larger is not one. */
#define MAX_PAYLOAD (64 * 1024)

/* Reads standard input as bytes: a scanner's output may be anything, and
 * must reach the parser unchanged for the garbled-text check. */
static GBytes *
read_stdin (GError **error)
{
  g_autoptr (GByteArray) data = g_byte_array_new ();
  guint8 buffer[4096];

  for (;;)
    {
      ssize_t n = read (STDIN_FILENO, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _ ("Could not read standard input: %s"), g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      if (data->len + (gsize) n > MAX_PAYLOAD)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       _ ("Standard input is larger than %d KiB: this is not a CCCD QR payload."),
                       MAX_PAYLOAD / 1024);
          return NULL;
        }
      g_byte_array_append (data, buffer, (guint) n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

int
fk_ctl_id_parse (FkCtl *ctl, int argc, char **argv)
{
  g_autofree char *today_arg = NULL;
  const GOptionEntry entries[] = {
    { "today", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &today_arg,
      N_ ("Date the “not in the future” rules compare with"), N_ ("YYYY-MM-DD") },
    { NULL },
  };
  g_autoptr (GBytes) payload = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkCccdCard) card = NULL;
  g_autoptr (JsonNode) json = NULL;
  g_autoptr (GDate) today = NULL;

  if (!fk_ctl_parse (
        ctl, entries,
        _ ("Without PAYLOAD, the raw bytes of standard input are checked, e.g.\n"
           "  zbarimg --raw -Sbinary card.jpg | fieldkit-ctl id parse\n\n"
           "Prints the card as JSON. Exit status: 0 valid, 1 invalid (the JSON lists the "
           "errors), 2 bad usage."),
        &argc, &argv))
    return FK_CTL_EXIT_USAGE;
  if (argc > 2)
    return fk_ctl_usage_error (ctl, _ ("Give one PAYLOAD (quote it), or none to read standard "
                                       "input."));

  if (today_arg != NULL)
    {
      today = g_date_new ();
      g_date_set_parse (today, today_arg);
      if (!g_date_valid (today))
        return fk_ctl_usage_error (ctl, _ ("“%s” is not a date."), today_arg);
    }

  if (argc == 2)
    payload = g_bytes_new (argv[1], strlen (argv[1]));
  else
    {
      if (isatty (STDIN_FILENO))
        return fk_ctl_usage_error (ctl, _ ("Give the PAYLOAD, or pipe the scanner's output into "
                                           "this command."));
      payload = read_stdin (&error);
      if (payload == NULL)
        return fk_ctl_fail (ctl, FK_CTL_EXIT_USAGE, error);
    }

  card = fk_cccd_parse_full (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), today);
  json = fk_cccd_card_to_json (card);
  fk_ctl_print_json (json);
  return fk_cccd_card_is_valid (card) ? FK_CTL_EXIT_OK : FK_CTL_EXIT_NEGATIVE;
}
