/* fk-server-limits.c: token buckets and client address keys
 *
 * A bucket that has filled up again is the same as no bucket, so those
 * are dropped whenever the table has grown by half since the last sweep:
 * many clients cost memory only while they are actually being limited.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-limits.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#define OVERFLOW_KEY "\001overflow"

typedef struct
{
  double tokens;
  gint64 last_us;
} Bucket;

struct _FkServerBuckets
{
  GMutex lock;
  double rate;
  double burst;
  guint max_keys;
  guint swept_size; /* table size after the last sweep */
  GHashTable *table;
};

FkServerBuckets *
fk_server_buckets_new (double rate, double burst, guint max_keys)
{
  FkServerBuckets *self = g_new0 (FkServerBuckets, 1);

  g_mutex_init (&self->lock);
  self->rate = rate;
  self->burst = MAX (burst, 1.0);
  self->max_keys = MAX (max_keys, 16);
  self->swept_size = 64;
  self->table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
fk_server_buckets_free (FkServerBuckets *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->table);
  g_mutex_clear (&self->lock);
  g_free (self);
}

static double
refill (FkServerBuckets *self, Bucket *bucket, gint64 now)
{
  return MIN (self->burst,
              bucket->tokens + (double) (now - bucket->last_us) / G_USEC_PER_SEC * self->rate);
}

static void
sweep (FkServerBuckets *self, gint64 now)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->table);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (refill (self, value, now) >= self->burst)
      g_hash_table_iter_remove (&iter);
  self->swept_size = MAX (g_hash_table_size (self->table), 64);
}

guint
fk_server_buckets_take (FkServerBuckets *self, const char *key)
{
  gint64 now = g_get_monotonic_time ();
  Bucket *bucket;
  guint wait = 0;

  if (self->rate <= 0)
    return 0;
  g_mutex_lock (&self->lock);
  if (g_hash_table_size (self->table) >= self->swept_size + self->swept_size / 2)
    sweep (self, now);
  bucket = g_hash_table_lookup (self->table, key);
  if (bucket == NULL)
    {
      if (g_hash_table_size (self->table) >= self->max_keys)
        key = OVERFLOW_KEY;
      bucket = g_hash_table_lookup (self->table, key);
    }
  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->tokens = self->burst;
      bucket->last_us = now;
      g_hash_table_insert (self->table, g_strdup (key), bucket);
    }
  bucket->tokens = refill (self, bucket, now);
  bucket->last_us = now;
  if (bucket->tokens >= 1.0)
    bucket->tokens -= 1.0;
  else
    wait = (guint) ((1.0 - bucket->tokens) / self->rate) + 1;
  g_mutex_unlock (&self->lock);
  return wait;
}

guint
fk_server_buckets_size (FkServerBuckets *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = g_hash_table_size (self->table);
  g_mutex_unlock (&self->lock);
  return n;
}

void
fk_server_address_key (const struct sockaddr *addr, char key[FK_SERVER_ADDRESS_KEY_SIZE])
{
  key[0] = '\0';
  if (addr == NULL)
    g_strlcpy (key, "unknown", FK_SERVER_ADDRESS_KEY_SIZE);
  else if (addr->sa_family == AF_INET)
    inet_ntop (AF_INET, &((const struct sockaddr_in *) addr)->sin_addr, key,
               FK_SERVER_ADDRESS_KEY_SIZE);
  else if (addr->sa_family == AF_INET6)
    {
      const struct in6_addr *a6 = &((const struct sockaddr_in6 *) addr)->sin6_addr;
      struct in6_addr prefix;

      if (IN6_IS_ADDR_V4MAPPED (a6))
        {
          inet_ntop (AF_INET, &a6->s6_addr[12], key, FK_SERVER_ADDRESS_KEY_SIZE);
          return;
        }
      memset (&prefix, 0, sizeof prefix);
      memcpy (&prefix, a6, 8);
      inet_ntop (AF_INET6, &prefix, key, FK_SERVER_ADDRESS_KEY_SIZE - 4);
      g_strlcat (key, "/64", FK_SERVER_ADDRESS_KEY_SIZE);
    }
  else
    g_strlcpy (key, "unknown", FK_SERVER_ADDRESS_KEY_SIZE);
}
