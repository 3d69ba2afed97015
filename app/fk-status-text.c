/* fk-status-text.c: the state of the day as the officer reads it, for the
 * home and queue pages
 *
 * Moments as "today 09:42", "yesterday 16:10", "24/11 08:30" (the last
 * sync, the last pull, in local time); the network as "Network: Wi-Fi".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-status-text.h"

/**
 * fk_status_text_when:
 * @unix_time: the moment (Unix time), 0 for never
 * @now: the present (Unix time), to say "today"
 *
 * Returns: (transfer full): the moment, translated; "never" for 0
 */
char *
fk_status_text_when (gint64 unix_time, gint64 now)
{
  g_autoptr (GDateTime) when = NULL;
  g_autoptr (GDateTime) today = NULL;
  g_autofree char *clock = NULL;
  int days;

  if (unix_time <= 0)
    return g_strdup (_ ("never"));
  when = g_date_time_new_from_unix_local (unix_time);
  today = g_date_time_new_from_unix_local (now);
  if (when == NULL || today == NULL)
    return g_strdup (_ ("never"));
  clock = g_date_time_format (when, "%H:%M");
  days = g_date_time_get_day_of_year (today) - g_date_time_get_day_of_year (when);
  if (g_date_time_get_year (when) == g_date_time_get_year (today) && days == 0)
    /* Translators: %s is a time of day, 09:42 */
    return g_strdup_printf (_ ("today %s"), clock);
  if (g_date_time_get_year (when) == g_date_time_get_year (today) && days == 1)
    /* Translators: %s is a time of day, 16:10 */
    return g_strdup_printf (_ ("yesterday %s"), clock);
  return g_date_time_format (when, "%d/%m %H:%M");
}

/**
 * fk_status_text_network:
 * @network: (nullable): the network monitor, %NULL while it starts
 *
 * Returns: (transfer full): the network as the officer reads it:
 *   "Network: Wi-Fi", "Network: no signal", …
 */
char *
fk_status_text_network (FkNetworkMonitor *network)
{
  const char *link;

  if (network == NULL)
    return g_strdup (_ ("Network: checking…"));
  switch (fk_network_monitor_get_connectivity (network))
    {
      case FK_CONNECTIVITY_UNKNOWN:
        return g_strdup (_ ("Network: unknown (no NetworkManager). Use “Send now” when there is "
                            "signal."));
      case FK_CONNECTIVITY_NONE:
        return g_strdup (_ ("Network: no signal"));
      case FK_CONNECTIVITY_PORTAL:
      case FK_CONNECTIVITY_LIMITED:
        return g_strdup (_ ("Network: connected, but no Internet (sign-in page or limited)"));
      case FK_CONNECTIVITY_FULL:
      default:
        break;
    }
  switch (fk_network_monitor_get_link_type (network))
    {
      case FK_LINK_WIFI:
        link = _ ("Wi-Fi");
        break;
      case FK_LINK_MODEM:
        link = _ ("4G");
        break;
      case FK_LINK_ETHERNET:
        link = _ ("cable");
        break;
      default:
        link = _ ("connected");
        break;
    }
  return g_strdup_printf ("%s %s%s", _ ("Network:"), link,
                          fk_network_monitor_get_metered (network) ? _ (" (metered)") : "");
}
