/* fk-json-private.h: what the core's JSON models share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean fk_json_error (GError **error, const char *path, const char *format, ...)
  G_GNUC_PRINTF (3, 4);
gboolean fk_json_expect_object (JsonNode *node, const char *path, JsonObject **obj, GError **error);
gboolean fk_json_check_schema (JsonObject *obj, const char *path, gint64 newest, GError **error);
gboolean fk_json_check_members (JsonObject *obj, const char *path, const char *const *allowed,
                                GError **error);
gboolean fk_json_get_string (JsonObject *obj, const char *path, const char *name,
                             const char **value, GError **error);
gboolean fk_json_get_bool (JsonObject *obj, const char *path, const char *name, gboolean *value,
                           gboolean *present, GError **error);
gboolean fk_json_get_int (JsonObject *obj, const char *path, const char *name, gint64 *value,
                          gboolean *present, GError **error);

JsonNode *fk_json_deep_copy (JsonNode *node);

gboolean fk_iso_date_parse (const char *s, GDate *date);
gboolean fk_phone_is_valid (const char *s);
gboolean fk_citizen_id_is_valid (const char *s);

G_END_DECLS
