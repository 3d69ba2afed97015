/* bench-sync.c: uploads 20 dossiers of about 1 MB over an emulated
 * 1 Mbit/s uplink that drops every 30 s (the fault proxy), with the
 * resumable chunked upload and with a naive one-request-per-part upload,
 * and prints goodput as a fraction of the link, bytes resent per cut and
 * the speed-up. Prints figures and a JSON line; never fails on a time.
 *
 * FK_BENCH_DOSSIERS (default 20), FK_BENCH_LINK_BPS (bytes/s, default
 * 125000), FK_BENCH_DROP_S (default 30) and FK_BENCH_LIMIT_S (a run stops
 * after this long, default 900) change the set-up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <stdio.h>
#include <string.h>

#include "fk-outbox.h"
#include "fk-test-device.h"
#include "fk-test-server.h"
#include "fk-test-store.h"

typedef struct
{
  double seconds;
  guint64 payload;
  guint64 sent;
  guint64 acked;
  guint cuts;
  guint delivered;
  guint runs;
} Result;

static guint
env_uint (const char *name, guint fallback)
{
  const char *text = g_getenv (name);

  return text != NULL ? (guint) g_ascii_strtoull (text, NULL, 10) : fallback;
}

static Result
run (const char *label, guint n, guint link_bps, guint drop_s, guint limit_s, const char *chunk_kib)
{
  g_autofree char *base = g_dir_make_tmp ("fk-bench-sync-XXXXXX", NULL);
  g_autofree char *server_dir = g_build_filename (base, "server", NULL);
  g_autofree char *device_dir = g_build_filename (base, "device", NULL);
  g_autoptr (FkTestServer) server = fk_test_server_new (server_dir, NULL);
  g_autofree char *server_pub = g_build_filename (server->keys_dir, "server.pub", NULL);
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (FkTestProxy) proxy = NULL;
  g_autofree char *key = NULL;
  g_autofree char *out = NULL;
  Result r = { 0 };
  gint64 start;
  guint cuts_before;

  /* One photo of 1 MB (random, incompressible) per dossier. */
  ids = fk_test_device_new (device_dir, server->box_key, n, 1, 1000 * 1000);
  key = fk_test_device_key (device_dir);
  out = fk_test_server_ctl (server, 0, "device", "add", "--pubkey", key, "--name", "b", NULL);
  fk_test_server_start (server, "--rate-limit=0", NULL);
  {
    g_autoptr (FkStore) store = fk_store_open (device_dir, FK_STORE_OPEN_SHARED, NULL);
    g_autoptr (GPtrArray) list = fk_outbox_list (store, FK_OUTBOX_QUEUED, NULL);

    for (guint i = 0; i < list->len; i++)
      r.payload += ((FkOutboxEntry *) list->pdata[i])->bytes;
  }
  proxy = fk_test_proxy_new (server->port);
  g_free (fk_test_proxy_command (proxy, "throttle %u", link_bps));
  g_free (fk_test_proxy_command (proxy, "drop-every %u", drop_s));
  cuts_before = fk_test_proxy_stat (proxy, "drops");

  start = g_get_monotonic_time ();
  while ((g_get_monotonic_time () - start) / G_USEC_PER_SEC < limit_s)
    {
      g_autoptr (GSubprocess) p =
        fk_test_sync_start (device_dir, proxy->url, r.runs == 0 ? server_pub : NULL, "--chunk-kib",
                            chunk_kib, "--timeout", "20", "--retries", "30", NULL);
      int status = -1;
      g_autoptr (JsonObject) summary = fk_test_sync_finish (p, &status);

      r.runs++;
      if (summary != NULL)
        {
          r.sent += (guint64) json_object_get_int_member (summary, "bytes_sent");
          r.acked += (guint64) json_object_get_int_member (summary, "bytes_acked");
        }
      if (status == 0)
        break;
    }
  r.seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  r.cuts = fk_test_proxy_stat (proxy, "drops") - cuts_before;
  r.delivered = fk_test_count_state (device_dir, FK_OUTBOX_DELIVERED);
  fk_test_server_stop (server, FALSE);
  fk_test_rm_rf (base);
  printf ("%-8s %u/%u dossiers delivered in %.1f s, %u cuts, %u run(s)\n", label, r.delivered, n,
          r.seconds, r.cuts, r.runs);
  fflush (stdout);
  return r;
}

/* Payload of the delivered dossiers (all about the same size) per second,
 * as a fraction of the link. */
static double
goodput (const Result *r, guint n, guint link_bps)
{
  double delivered = (double) r->payload * r->delivered / MAX (n, 1);

  return r->seconds > 0 ? delivered / (r->seconds * link_bps) : 0;
}

int
main (int argc, char **argv)
{
  guint n = env_uint ("FK_BENCH_DOSSIERS", 20);
  guint link_bps = env_uint ("FK_BENCH_LINK_BPS", 125000);
  guint drop_s = env_uint ("FK_BENCH_DROP_S", 30);
  guint limit_s = env_uint ("FK_BENCH_LIMIT_S", 900);
  g_autofree char *tmp = g_dir_make_tmp ("fk-bench-XXXXXX", NULL);
  Result chunked, naive;
  double chunked_goodput, naive_goodput;

  g_setenv ("FK_SOURCE_ROOT", FK_SOURCE_ROOT, FALSE);
  g_setenv ("FK_BUILD_ROOT", FK_BENCH_BUILD_ROOT, FALSE);
  g_setenv ("TMPDIR", tmp, TRUE);
  printf ("bench-sync: %u dossiers of ~1 MB, link %u bytes/s, dropped every %u s\n", n, link_bps,
          drop_s);
  chunked = run ("chunked", n, link_bps, drop_s, limit_s, "64");
  /* Naive: each part in one request; a cut loses the whole part. */
  naive = run ("naive", n, link_bps, drop_s, limit_s, "1024");

  chunked_goodput = goodput (&chunked, n, link_bps);
  naive_goodput = goodput (&naive, n, link_bps);
  printf ("chunked: goodput %.1f%% of the link, %.0f bytes resent per cut (chunk 65536)\n",
          100.0 * chunked_goodput,
          chunked.cuts ? (double) (chunked.sent - chunked.acked) / chunked.cuts : 0.0);
  printf ("naive:   goodput %.1f%% of the link, %.0f bytes resent per cut\n", 100.0 * naive_goodput,
          naive.cuts ? (double) (naive.sent - naive.acked) / naive.cuts : 0.0);
  printf ("chunked is %.2fx faster than naive (per delivered byte)\n",
          naive_goodput > 0 ? chunked_goodput / naive_goodput : 0.0);
  printf ("{\"bench\":\"sync\",\"dossiers\":%u,\"link_bps\":%u,\"drop_s\":%u,"
          "\"chunked\":{\"seconds\":%.1f,\"delivered\":%u,\"payload\":%" G_GUINT64_FORMAT
          ",\"goodput\":%.4f,\"cuts\":%u,\"resent\":%" G_GUINT64_FORMAT "},"
          "\"naive\":{\"seconds\":%.1f,\"delivered\":%u,\"goodput\":%.4f,\"cuts\":%u,\"resent\":"
          "%" G_GUINT64_FORMAT "},"
          "\"speedup\":%.2f}\n",
          n, link_bps, drop_s, chunked.seconds, chunked.delivered, chunked.payload, chunked_goodput,
          chunked.cuts, chunked.sent - chunked.acked, naive.seconds, naive.delivered, naive_goodput,
          naive.cuts, naive.sent - naive.acked,
          naive_goodput > 0 ? chunked_goodput / naive_goodput : 0.0);
  fk_test_rm_rf (tmp);
  return 0;
}
