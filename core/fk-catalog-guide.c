/* fk-catalog-guide.c: what the procedure guide tells a citizen
 *
 * Beside its form, a procedure may say what it costs ("fee": a text and,
 * when it is set nationally, the amount in đồng), how long the result
 * takes ("time_limit_days", working days, 0 for the same day, with a
 * "time_limit_note"), who decides ("authority"), whether the citizen can
 * do it on the national public service portal ("online": "available",
 * "full" when the whole procedure is online, the portal's "portal_code"
 * and a "note"), and words it is searched by ("keywords"). Every member is
 * optional; one that is there is checked as strictly as the form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>

#include "fk-catalog-private.h"
#include "fk-json-private.h"

#define MAX_TIME_LIMIT_DAYS 365
#define MAX_FEE             100000000 /* đồng */
#define MAX_KEYWORDS        32
#define MAX_KEYWORD_CHARS   60

void
fk_procedure_guide_clear (FkProcedureGuide *guide)
{
  g_clear_pointer (&guide->fee_text, json_node_unref);
  g_clear_pointer (&guide->time_limit_note, json_node_unref);
  g_clear_pointer (&guide->portal_code, g_free);
  g_clear_pointer (&guide->online_note, json_node_unref);
  g_clear_pointer (&guide->authority, json_node_unref);
  g_clear_pointer (&guide->keywords, g_strfreev);
}

/* An optional text member: a string or an object of strings by language. */
static gboolean
read_text (JsonObject *obj, const char *name, JsonNode **out, const char *where, GError **error)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL)
    return TRUE;
  if (!fk_catalog_is_text_node (node))
    return fk_catalog_error (error, where, _ ("“%s” must be a text, or texts by language"), name);
  *out = json_node_ref (node);
  return TRUE;
}

/* "fee": {"text": …, "amount": đồng} */
static gboolean
read_fee (FkProcedureGuide *guide, JsonObject *obj, const char *where, GError **error)
{
  JsonNode *node = json_object_get_member (obj, "fee");
  g_autoptr (GList) names = NULL;
  JsonObject *fee;

  if (node == NULL)
    return TRUE;
  fee = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  if (fee == NULL || !fk_catalog_is_text_node (json_object_get_member (fee, "text")))
    return fk_catalog_error (error, where, _ ("“fee” needs a “text”"));
  if (!fk_json_get_int (fee, where, "amount", &guide->fee_amount, &guide->has_fee_amount, NULL) ||
      (guide->has_fee_amount && (guide->fee_amount < 0 || guide->fee_amount > MAX_FEE)))
    return fk_catalog_error (error, where, _ ("“fee”: “amount” must be a whole number of đồng"));
  names = json_object_get_members (fee);
  for (GList *l = names; l != NULL; l = l->next)
    if (g_strcmp0 (l->data, "text") != 0 && g_strcmp0 (l->data, "amount") != 0)
      return fk_catalog_error (error, where, _ ("unknown member “%s”"), (const char *) l->data);
  guide->fee_text = json_node_ref (json_object_get_member (fee, "text"));
  return TRUE;
}

static gboolean
read_time_limit (FkProcedureGuide *guide, JsonObject *obj, const char *where, GError **error)
{
  gboolean has;
  gint64 days = -1;

  if (!fk_json_get_int (obj, where, "time_limit_days", &days, &has, NULL) ||
      (has && (days < 0 || days > MAX_TIME_LIMIT_DAYS)))
    return fk_catalog_error (error, where,
                             _ ("“time_limit_days” must be a number of working days from 0 (the "
                                "same day) to %d"),
                             MAX_TIME_LIMIT_DAYS);
  guide->time_limit_days = has ? days : -1;
  return read_text (obj, "time_limit_note", &guide->time_limit_note, where, error);
}

/* A code of the national database of procedures: "1.001193". */
static gboolean
is_portal_code (const char *code)
{
  return code != NULL && g_ascii_isdigit (code[0]) && code[1] == '.' && strlen (code) == 8 &&
         strspn (code + 2, "0123456789") == 6;
}

/* "online": {"available": …, "full": …, "portal_code": …, "note": …} */
static gboolean
read_online (FkProcedureGuide *guide, JsonObject *obj, const char *where, GError **error)
{
  static const char *const members[] = { "available", "full", "portal_code", "note", NULL };
  JsonNode *node = json_object_get_member (obj, "online");
  g_autoptr (GList) names = NULL;
  const char *code = NULL;
  JsonObject *online;
  gboolean has;

  if (node == NULL)
    return TRUE;
  online = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  if (online == NULL ||
      !fk_json_get_bool (online, where, "available", &guide->online_available, &has, NULL) || !has)
    return fk_catalog_error (error, where, _ ("“online” needs “available”, true or false"));
  if (!fk_json_get_bool (online, where, "full", &guide->online_full, NULL, NULL))
    return fk_catalog_error (error, where, _ ("“online”: “full” must be true or false"));
  names = json_object_get_members (online);
  for (GList *l = names; l != NULL; l = l->next)
    if (!g_strv_contains (members, l->data))
      return fk_catalog_error (error, where, _ ("unknown member “%s”"), (const char *) l->data);
  if (!fk_json_get_string (online, where, "portal_code", &code, NULL) ||
      (code != NULL && !is_portal_code (code)))
    return fk_catalog_error (error, where,
                             _ ("“online”: “portal_code” must be a code of the national "
                                "database of procedures, such as 1.001193"));
  guide->has_online = TRUE;
  guide->portal_code = g_strdup (code);
  return read_text (online, "note", &guide->online_note, where, error);
}

static gboolean
read_keywords (FkProcedureGuide *guide, JsonObject *obj, const char *where, GError **error)
{
  JsonNode *node = json_object_get_member (obj, "keywords");
  JsonArray *array;
  guint n;

  if (node == NULL)
    return TRUE;
  array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  n = array != NULL ? json_array_get_length (array) : 0;
  if (array == NULL || n > MAX_KEYWORDS)
    return fk_catalog_error (error, where, _ ("“keywords” must be a list of at most %d words"),
                             MAX_KEYWORDS);
  guide->keywords = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *word = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (word) || json_node_get_value_type (word) != G_TYPE_STRING ||
          *json_node_get_string (word) == '\0' ||
          g_utf8_strlen (json_node_get_string (word), -1) > MAX_KEYWORD_CHARS)
        return fk_catalog_error (error, where, _ ("“keywords” must be a list of short texts"));
      guide->keywords[i] = g_strdup (json_node_get_string (word));
    }
  return TRUE;
}

gboolean
fk_procedure_guide_read (FkProcedureGuide *guide, JsonObject *obj, const char *where,
                         GError **error)
{
  return read_fee (guide, obj, where, error) && read_time_limit (guide, obj, where, error) &&
         read_online (guide, obj, where, error) &&
         read_text (obj, "authority", &guide->authority, where, error) &&
         read_keywords (guide, obj, where, error);
}

/**
 * fk_procedure_get_fee:
 *
 * Returns: (nullable): the fee or the exemption, in the user's language
 */
const char *
fk_procedure_get_fee (FkProcedure *self)
{
  g_return_val_if_fail (FK_IS_PROCEDURE (self), NULL);
  return fk_catalog_pick_language (self->guide.fee_text);
}

/**
 * fk_procedure_get_fee_amount:
 * @amount: (out): the fee in đồng, 0 when free
 *
 * Returns: %TRUE when the amount is set nationally (else the province sets
 *   it, and only fk_procedure_get_fee() tells)
 */
gboolean
fk_procedure_get_fee_amount (FkProcedure *self, gint64 *amount)
{
  g_return_val_if_fail (FK_IS_PROCEDURE (self), FALSE);
  if (self->guide.has_fee_amount && amount != NULL)
    *amount = self->guide.fee_amount;
  return self->guide.has_fee_amount;
}

/* Returns: working days until the result, 0 for the same day, -1 when the
 * catalog does not say. */
int
fk_procedure_get_time_limit_days (FkProcedure *self)
{
  g_return_val_if_fail (FK_IS_PROCEDURE (self), -1);
  return (int) self->guide.time_limit_days;
}

/**
 * fk_procedure_format_time_limit:
 *
 * Returns: (transfer full): the time limit as an officer says it: "3 working
 *   days", "the same day" or "not stated", in the UI's language
 */
char *
fk_procedure_format_time_limit (FkProcedure *self)
{
  int days;

  g_return_val_if_fail (FK_IS_PROCEDURE (self), NULL);
  days = fk_procedure_get_time_limit_days (self);
  if (days < 0)
    return g_strdup (_ ("not stated"));
  if (days == 0)
    return g_strdup (_ ("the same day"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d working day", "%d working days", days),
                          days);
}

const char *
fk_procedure_get_time_limit_note (FkProcedure *self)
{
  g_return_val_if_fail (FK_IS_PROCEDURE (self), NULL);
  return fk_catalog_pick_language (self->guide.time_limit_note);
}

gboolean
fk_procedure_has_online_info (FkProcedure *self)
{
  g_return_val_if_fail (FK_IS_PROCEDURE (self), FALSE);
  return self->guide.has_online;
}

/**
 * fk_procedure_get_online:
 * @full: (out) (optional): whether the whole procedure is done online
 *
 * Returns: whether the citizen can submit it on the national public
 *   service portal
 */
gboolean
fk_procedure_get_online (FkProcedure *self, gboolean *full)
{
  g_return_val_if_fail (FK_IS_PROCEDURE (self), FALSE);
  if (full != NULL)
    *full = self->guide.online_full;
  return self->guide.online_available;
}

/* Returns: (nullable): its code in the national database of procedures */
const char *
fk_procedure_get_portal_code (FkProcedure *self)
{
  g_return_val_if_fail (FK_IS_PROCEDURE (self), NULL);
  return self->guide.portal_code;
}

const char *
fk_procedure_get_online_note (FkProcedure *self)
{
  g_return_val_if_fail (FK_IS_PROCEDURE (self), NULL);
  return fk_catalog_pick_language (self->guide.online_note);
}

/* Returns: (nullable): who decides, in the user's language */
const char *
fk_procedure_get_authority (FkProcedure *self)
{
  g_return_val_if_fail (FK_IS_PROCEDURE (self), NULL);
  return fk_catalog_pick_language (self->guide.authority);
}

/* Returns: (nullable) (transfer none): words it is also searched by */
const char *const *
fk_procedure_get_keywords (FkProcedure *self)
{
  g_return_val_if_fail (FK_IS_PROCEDURE (self), NULL);
  return (const char *const *) self->guide.keywords;
}
