/* fk-card-expiry.c: which expiry a CCCD most likely carries
 *
 * Law on Citizen Identification 2014 (art. 21) and Law on Identification
 * 2023 (26/2023/QH15, art. 21, in force 1 July 2024): a card is renewed
 * when its holder turns 25, 40 and 60, and since the 2023 law also 14 (the
 * card may be issued before 14 from then on). A card issued or renewed
 * less than two years before a milestone stays valid until the next one;
 * with no milestone left the card has no expiry (issued at 58 or later).
 * The expiry is the holder's birthday at the milestone age; for a 29
 * February birthday in a common year, 28 February.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-card-expiry.h"

static const guint milestones[] = { 14, 25, 40, 60 };

/* The 2023 law's first day: cards issued from it on have the 14 milestone. */
static gboolean
under_2023_law (const GDate *issued)
{
  GDate start;

  g_date_clear (&start, 1);
  g_date_set_dmy (&start, 1, G_DATE_JULY, 2024);
  return issued == NULL || g_date_compare (issued, &start) >= 0;
}

static void
birthday_at (const GDate *birth, guint age, GDate *out)
{
  GDateYear year = (GDateYear) (g_date_get_year (birth) + age);
  GDateMonth month = g_date_get_month (birth);
  GDateDay day = g_date_get_day (birth);

  g_date_clear (out, 1);
  if (!g_date_valid_dmy (day, month, year))
    day = 28; /* 29 February in a common year */
  g_date_set_dmy (out, day, month, year);
}

static void
set_milestone (FkCardExpiry *e, const GDate *birth, guint age)
{
  e->none = FALSE;
  e->age = age;
  birthday_at (birth, age, &e->date);
}

static void
set_none (FkCardExpiry *e)
{
  g_date_clear (&e->date, 1);
  e->none = TRUE;
  e->age = 0;
}

/**
 * fk_card_expiry_predict:
 * @issued: the issue date from the QR code
 *
 * Returns: %TRUE with @out set; %FALSE when a date is invalid or the card
 *   was issued before its holder was born.
 */
gboolean
fk_card_expiry_predict (const GDate *birth, const GDate *issued, FkCardExpiry *out)
{
  gboolean new_law;

  g_return_val_if_fail (out != NULL, FALSE);
  if (birth == NULL || issued == NULL || !g_date_valid (birth) || !g_date_valid (issued) ||
      g_date_compare (issued, birth) < 0)
    return FALSE;
  new_law = under_2023_law (issued);
  for (gsize i = 0; i < G_N_ELEMENTS (milestones); i++)
    {
      GDate due, grace;

      if (milestones[i] == 14 && !new_law)
        continue;
      birthday_at (birth, milestones[i], &due);
      if (g_date_compare (issued, &due) >= 0)
        continue; /* issued after this milestone */
      grace = due;
      g_date_subtract_years (&grace, 2);
      if (g_date_compare (issued, &grace) > 0)
        continue; /* less than two years before it: valid to the next one */
      set_milestone (out, birth, milestones[i]);
      return TRUE;
    }
  set_none (out);
  return TRUE;
}

static gboolean
contains (GArray *list, const FkCardExpiry *e)
{
  for (guint i = 0; i < list->len; i++)
    {
      const FkCardExpiry *c = &g_array_index (list, FkCardExpiry, i);

      if (c->none == e->none && c->age == e->age)
        return TRUE;
    }
  return FALSE;
}

static void
add (GArray *list, const FkCardExpiry *e, guint max)
{
  if (list->len < max && !contains (list, e))
    g_array_append_val (list, *e);
}

/**
 * fk_card_expiry_candidates:
 * @issued: (nullable): the issue date, when the QR code gave one
 * @today: (nullable): today, for a card whose issue date is unknown
 * @max: how many to return at most (%FK_CARD_EXPIRY_MAX_TRIES per tap)
 *
 * The expiries to try with BAC, the most likely first: the predicted one,
 * then the milestones around it, nearest first (the two-year rule may
 * have been applied or not, the card renewed since the QR's issue date),
 * then no expiry. Without an issue date, the milestones still ahead
 * today, nearest first.
 *
 * Returns: (transfer full) (element-type FkCardExpiry): the candidates,
 *   possibly empty when @birth is invalid.
 */
GArray *
fk_card_expiry_candidates (const GDate *birth, const GDate *issued, const GDate *today, guint max)
{
  GArray *list = g_array_new (FALSE, TRUE, sizeof (FkCardExpiry));
  FkCardExpiry predicted, e;
  gboolean new_law = under_2023_law (issued);
  int first = -1;

  if (birth == NULL || !g_date_valid (birth) || max == 0)
    return list;

  if (fk_card_expiry_predict (birth, issued, &predicted))
    {
      add (list, &predicted, max);
      for (gsize i = 0; i < G_N_ELEMENTS (milestones); i++)
        if (milestones[i] == predicted.age)
          first = (int) i;
      if (predicted.none)
        first = G_N_ELEMENTS (milestones);
    }
  else if (today != NULL && g_date_valid (today))
    {
      /* the first milestone still ahead: the card in hand is not expired */
      first = G_N_ELEMENTS (milestones);
      for (gsize i = 0; i < G_N_ELEMENTS (milestones); i++)
        {
          GDate due;

          birthday_at (birth, milestones[i], &due);
          if (g_date_compare (&due, today) > 0 && (milestones[i] != 14 || new_law))
            {
              first = (int) i;
              break;
            }
        }
    }
  else
    first = 0;

  /* outwards from the first: one after, one before, two after … */
  for (int step = 0; step <= (int) G_N_ELEMENTS (milestones) * 2 + 1; step++)
    {
      int i = first + (step % 2 == 1 ? (step + 1) / 2 : -(step / 2));

      if (i == (int) G_N_ELEMENTS (milestones))
        {
          set_none (&e);
          add (list, &e, max);
        }
      else if (i >= 0 && i < (int) G_N_ELEMENTS (milestones) && (milestones[i] != 14 || new_law))
        {
          set_milestone (&e, birth, milestones[i]);
          add (list, &e, max);
        }
    }
  return list;
}
