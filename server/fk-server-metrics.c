/* fk-server-metrics.c: counters and a latency histogram
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-metrics.h"

#include <stdlib.h>
#include <string.h>

static const double buckets[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                  0.1,    0.25,  0.5,    1.0,   2.5,  5.0,   10.0 };

struct _FkServerMetrics
{
  GMutex lock;
  GHashTable *requests; /* "route\tmethod\tstatus" → guint64* */
  GHashTable *timeouts; /* phase → guint64* */
  guint64 bytes;
  guint64 commits;
  guint64 duplicates;
  guint64 db_buckets[G_N_ELEMENTS (buckets)];
  guint64 db_count;
  double db_sum;
};

FkServerMetrics *
fk_server_metrics_new (void)
{
  FkServerMetrics *self = g_new0 (FkServerMetrics, 1);

  g_mutex_init (&self->lock);
  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->timeouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
fk_server_metrics_free (FkServerMetrics *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->requests);
  g_hash_table_unref (self->timeouts);
  g_mutex_clear (&self->lock);
  g_free (self);
}

static void
count (GHashTable *table, const char *key)
{
  guint64 *n = g_hash_table_lookup (table, key);

  if (n == NULL)
    {
      n = g_new0 (guint64, 1);
      g_hash_table_insert (table, g_strdup (key), n);
    }
  (*n)++;
}

void
fk_server_metrics_request (FkServerMetrics *self, const char *route, const char *method,
                           guint status)
{
  g_autofree char *key = g_strdup_printf ("%s\t%s\t%u", route, method, status);

  g_mutex_lock (&self->lock);
  count (self->requests, key);
  g_mutex_unlock (&self->lock);
}

void
fk_server_metrics_add_bytes (FkServerMetrics *self, guint64 bytes)
{
  g_mutex_lock (&self->lock);
  self->bytes += bytes;
  g_mutex_unlock (&self->lock);
}

void
fk_server_metrics_commit (FkServerMetrics *self, gboolean duplicate)
{
  g_mutex_lock (&self->lock);
  if (duplicate)
    self->duplicates++;
  else
    self->commits++;
  g_mutex_unlock (&self->lock);
}

void
fk_server_metrics_db_call (FkServerMetrics *self, double seconds)
{
  g_mutex_lock (&self->lock);
  for (gsize i = 0; i < G_N_ELEMENTS (buckets); i++)
    if (seconds <= buckets[i])
      self->db_buckets[i]++;
  self->db_count++;
  self->db_sum += seconds;
  g_mutex_unlock (&self->lock);
}

void
fk_server_metrics_timeout (FkServerMetrics *self, const char *phase)
{
  g_mutex_lock (&self->lock);
  count (self->timeouts, phase);
  g_mutex_unlock (&self->lock);
}

char *
fk_server_metrics_escape (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\\' || *p == '"')
        g_string_append_c (out, '\\');
      if (*p == '\n')
        g_string_append (out, "\\n");
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static int
compare_keys (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
render_requests (FkServerMetrics *self, GString *out)
{
  g_autofree gpointer *keys = NULL;
  guint n = 0;

  g_string_append (out, "# HELP fieldkit_requests_total Requests answered, by route pattern, "
                        "method and status.\n"
                        "# TYPE fieldkit_requests_total counter\n");
  keys = g_hash_table_get_keys_as_array (self->requests, &n);
  qsort (keys, n, sizeof (gpointer), compare_keys);
  for (guint i = 0; i < n; i++)
    {
      g_auto (GStrv) parts = g_strsplit (keys[i], "\t", 3);
      guint64 *value = g_hash_table_lookup (self->requests, keys[i]);

      g_string_append_printf (out,
                              "fieldkit_requests_total{route=\"%s\",method=\"%s\",status=\"%s\"} "
                              "%" G_GUINT64_FORMAT "\n",
                              parts[0], parts[1], parts[2], *value);
    }
}

void
fk_server_metrics_render (FkServerMetrics *self, GString *out)
{
  GHashTableIter iter;
  gpointer key, value;
  guint64 cumulative = 0;

  g_mutex_lock (&self->lock);
  render_requests (self, out);
  g_string_append_printf (out,
                          "# HELP fieldkit_received_bytes_total Request body bytes received.\n"
                          "# TYPE fieldkit_received_bytes_total counter\n"
                          "fieldkit_received_bytes_total %" G_GUINT64_FORMAT "\n"
                          "# HELP fieldkit_commits_total Dossiers stored (first commits).\n"
                          "# TYPE fieldkit_commits_total counter\n"
                          "fieldkit_commits_total %" G_GUINT64_FORMAT "\n"
                          "# HELP fieldkit_duplicate_commits_total Repeated commits answered "
                          "with the stored receipt.\n"
                          "# TYPE fieldkit_duplicate_commits_total counter\n"
                          "fieldkit_duplicate_commits_total %" G_GUINT64_FORMAT "\n",
                          self->bytes, self->commits, self->duplicates);
  g_string_append (out, "# HELP fieldkit_connection_timeouts_total Connections closed because "
                        "headers or body came too slowly.\n"
                        "# TYPE fieldkit_connection_timeouts_total counter\n");
  g_hash_table_iter_init (&iter, self->timeouts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_string_append_printf (
      out, "fieldkit_connection_timeouts_total{phase=\"%s\"} %" G_GUINT64_FORMAT "\n",
      (const char *) key, *(guint64 *) value);
  g_string_append (out, "# HELP fieldkit_db_call_seconds Duration of database calls.\n"
                        "# TYPE fieldkit_db_call_seconds histogram\n");
  for (gsize i = 0; i < G_N_ELEMENTS (buckets); i++)
    {
      char le[G_ASCII_DTOSTR_BUF_SIZE];

      cumulative = self->db_buckets[i];
      g_ascii_formatd (le, sizeof le, "%g", buckets[i]);
      g_string_append_printf (
        out, "fieldkit_db_call_seconds_bucket{le=\"%s\"} %" G_GUINT64_FORMAT "\n", le, cumulative);
    }
  {
    char sum[G_ASCII_DTOSTR_BUF_SIZE];

    g_ascii_formatd (sum, sizeof sum, "%.6f", self->db_sum);
    g_string_append_printf (out,
                            "fieldkit_db_call_seconds_bucket{le=\"+Inf\"} %" G_GUINT64_FORMAT "\n"
                            "fieldkit_db_call_seconds_sum %s\n"
                            "fieldkit_db_call_seconds_count %" G_GUINT64_FORMAT "\n",
                            self->db_count, sum, self->db_count);
  }
  g_mutex_unlock (&self->lock);
}
