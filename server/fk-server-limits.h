/* fk-server-limits.h: token buckets keyed by a device or an address, and
 * the key that stands for a client address
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sys/socket.h>

G_BEGIN_DECLS

#define FK_SERVER_ADDRESS_KEY_SIZE 64

typedef struct _FkServerBuckets FkServerBuckets;

/* @rate tokens a second up to @burst; @rate 0: never limited. At most
 * @max_keys buckets are kept apart; past that, new keys share one. */
FkServerBuckets *fk_server_buckets_new (double rate, double burst, guint max_keys);
void fk_server_buckets_free (FkServerBuckets *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkServerBuckets, fk_server_buckets_free)
/* Takes a token for @key: 0 if there was one, else the whole seconds until
 * there will be (for Retry-After). Thread-safe. */
guint fk_server_buckets_take (FkServerBuckets *self, const char *key);
guint fk_server_buckets_size (FkServerBuckets *self);

/* The text that identifies a client for limits: its IPv4 address, or the
 * /64 network of an IPv6 one (one subscriber's prefix). */
void fk_server_address_key (const struct sockaddr *addr, char key[FK_SERVER_ADDRESS_KEY_SIZE]);

G_END_DECLS
