/* fk-server-metrics.h: counters and a latency histogram, shown at
 * /metrics in the Prometheus text format
 *
 * Labels take values from small fixed sets (route patterns, methods,
 * statuses) or devices' enrolled names, never from a request's content.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _FkServerMetrics FkServerMetrics;

FkServerMetrics *fk_server_metrics_new (void);
void fk_server_metrics_free (FkServerMetrics *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkServerMetrics, fk_server_metrics_free)

/* Thread-safe, from any thread. */
void fk_server_metrics_request (FkServerMetrics *self, const char *route, const char *method,
                                guint status);
void fk_server_metrics_add_bytes (FkServerMetrics *self, guint64 bytes);
void fk_server_metrics_commit (FkServerMetrics *self, gboolean duplicate);
void fk_server_metrics_db_call (FkServerMetrics *self, double seconds);
/* A connection closed by the server for a timeout: "header" or "body". */
void fk_server_metrics_timeout (FkServerMetrics *self, const char *phase);
/* Appends every counter and the histogram to @out. */
void fk_server_metrics_render (FkServerMetrics *self, GString *out);
/* A Prometheus label value: backslash, quote and newline escaped. */
char *fk_server_metrics_escape (const char *value);

G_END_DECLS
