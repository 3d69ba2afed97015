/* fk-when.c: a moment of the working day as the officer reads it
 *
 * "today 09:42", "yesterday 16:10", "24/11 08:30": the last sync and the
 * last pull are told this way on the home and queue pages, in local time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n.h>

#include "fk-when.h"

/**
 * fk_when_format:
 * @unix_time: the moment (Unix time), 0 for never
 * @now: the present (Unix time), to say "today"
 *
 * Returns: (transfer full): the moment, translated; "never" for 0
 */
char *
fk_when_format (gint64 unix_time, gint64 now)
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
