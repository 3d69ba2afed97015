/* fk-citizen.c: the person a dossier is about
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <glib/gi18n-lib.h>

#include "fk-admin-units.h"
#include "fk-citizen.h"
#include "fk-citizen-private.h"
#include "fk-core-error.h"
#include "fk-json-private.h"
#include "fk-text.h"

struct _FkCitizen
{
  GObject parent_instance;

  char *id_number;
  char *old_id;
  char *full_name;
  char *birth_date;
  FkSex sex;
  char *address;
  char *commune; /* the 2025 commune the address is in, as the officer confirmed */
  char *issue_date;
  char *phone;
  char *ethnicity;
};

G_DEFINE_FINAL_TYPE (FkCitizen, fk_citizen, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID_NUMBER,
  PROP_OLD_ID,
  PROP_FULL_NAME,
  PROP_BIRTH_DATE,
  PROP_SEX,
  PROP_ADDRESS,
  PROP_COMMUNE,
  PROP_ISSUE_DATE,
  PROP_PHONE,
  PROP_ETHNICITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The string properties: JSON member, property, where the value is. */
static const struct
{
  const char *member;
  guint prop_id;
  gsize offset;
} string_members[] = {
  { "id_number", PROP_ID_NUMBER, G_STRUCT_OFFSET (FkCitizen, id_number) },
  { "old_id", PROP_OLD_ID, G_STRUCT_OFFSET (FkCitizen, old_id) },
  { "full_name", PROP_FULL_NAME, G_STRUCT_OFFSET (FkCitizen, full_name) },
  { "birth_date", PROP_BIRTH_DATE, G_STRUCT_OFFSET (FkCitizen, birth_date) },
  { "address", PROP_ADDRESS, G_STRUCT_OFFSET (FkCitizen, address) },
  { "commune", PROP_COMMUNE, G_STRUCT_OFFSET (FkCitizen, commune) },
  { "issue_date", PROP_ISSUE_DATE, G_STRUCT_OFFSET (FkCitizen, issue_date) },
  { "phone", PROP_PHONE, G_STRUCT_OFFSET (FkCitizen, phone) },
  { "ethnicity", PROP_ETHNICITY, G_STRUCT_OFFSET (FkCitizen, ethnicity) },
};

static char **
string_slot (FkCitizen *self, guint prop_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (string_members); i++)
    if (string_members[i].prop_id == prop_id)
      return G_STRUCT_MEMBER_P (self, string_members[i].offset);
  return NULL;
}

static char **
member_slot (FkCitizen *self, guint i)
{
  return G_STRUCT_MEMBER_P (self, string_members[i].offset);
}

static void
set_string (FkCitizen *self, guint prop_id, const char *value)
{
  char **slot = string_slot (self, prop_id);
  g_autofree char *norm = NULL;

  g_return_if_fail (slot != NULL);

  /* Names and addresses are stored NFC and trimmed, whatever the keyboard sent. */
  if (value != NULL)
    norm = fk_text_normalize (value);
  if (norm != NULL && *norm == '\0')
    g_clear_pointer (&norm, g_free);
  if (g_strcmp0 (*slot, norm) == 0)
    return;
  g_free (*slot);
  *slot = g_steal_pointer (&norm);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
fk_citizen_finalize (GObject *object)
{
  FkCitizen *self = FK_CITIZEN (object);

  for (guint i = 0; i < G_N_ELEMENTS (string_members); i++)
    g_free (*member_slot (self, i));
  G_OBJECT_CLASS (fk_citizen_parent_class)->finalize (object);
}

static void
fk_citizen_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FkCitizen *self = FK_CITIZEN (object);
  char **slot;

  if (prop_id == PROP_SEX)
    g_value_set_enum (value, self->sex);
  else if ((slot = string_slot (self, prop_id)) != NULL)
    g_value_set_string (value, *slot);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
fk_citizen_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FkCitizen *self = FK_CITIZEN (object);

  if (prop_id == PROP_SEX)
    fk_citizen_set_sex (self, g_value_get_enum (value));
  else if (string_slot (self, prop_id) != NULL)
    set_string (self, prop_id, g_value_get_string (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
fk_citizen_class_init (FkCitizenClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = fk_citizen_finalize;
  object_class->get_property = fk_citizen_get_property;
  object_class->set_property = fk_citizen_set_property;

  properties[PROP_ID_NUMBER] = g_param_spec_string ("id-number", NULL, NULL, NULL, flags);
  properties[PROP_OLD_ID] = g_param_spec_string ("old-id", NULL, NULL, NULL, flags);
  properties[PROP_FULL_NAME] = g_param_spec_string ("full-name", NULL, NULL, NULL, flags);
  properties[PROP_BIRTH_DATE] = g_param_spec_string ("birth-date", NULL, NULL, NULL, flags);
  properties[PROP_SEX] = g_param_spec_enum ("sex", NULL, NULL, FK_TYPE_SEX, FK_SEX_UNKNOWN, flags);
  properties[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL, flags);
  properties[PROP_COMMUNE] = g_param_spec_string ("commune", NULL, NULL, NULL, flags);
  properties[PROP_ISSUE_DATE] = g_param_spec_string ("issue-date", NULL, NULL, NULL, flags);
  properties[PROP_PHONE] = g_param_spec_string ("phone", NULL, NULL, NULL, flags);
  properties[PROP_ETHNICITY] = g_param_spec_string ("ethnicity", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fk_citizen_init (FkCitizen *self)
{
}

FkCitizen *
fk_citizen_new (void)
{
  return g_object_new (FK_TYPE_CITIZEN, NULL);
}

/**
 * fk_citizen_new_from_cccd:
 * @card: a scanned card
 *
 * Fills a citizen from what the card says. Works on an invalid card too
 * (the officer then corrects the form); fields that could not be read stay
 * unset.
 *
 * Returns: (transfer full): a new citizen
 */
FkCitizen *
fk_citizen_new_from_cccd (FkCccdCard *card)
{
  FkCitizen *self;
  const char *old_id;

  g_return_val_if_fail (FK_IS_CCCD_CARD (card), NULL);

  old_id = fk_cccd_card_get_old_id (card);
  self = g_object_new (FK_TYPE_CITIZEN, "id-number", fk_cccd_card_get_id_number (card), "full-name",
                       fk_cccd_card_get_full_name (card), "birth-date",
                       fk_cccd_card_get_birth_date_iso (card), "sex", fk_cccd_card_get_sex (card),
                       "address", fk_cccd_card_get_address (card), "issue-date",
                       fk_cccd_card_get_issue_date_iso (card), NULL);
  if (old_id != NULL && *old_id != '\0')
    fk_citizen_set_old_id (self, old_id);
  return self;
}

#define STRING_ACCESSORS(field, PROP)                              \
  const char *fk_citizen_get_##field (FkCitizen *self)             \
  {                                                                \
    g_return_val_if_fail (FK_IS_CITIZEN (self), NULL);             \
    return self->field;                                            \
  }                                                                \
  void fk_citizen_set_##field (FkCitizen *self, const char *value) \
  {                                                                \
    g_return_if_fail (FK_IS_CITIZEN (self));                       \
    set_string (self, PROP, value);                                \
  }

STRING_ACCESSORS (id_number, PROP_ID_NUMBER)
STRING_ACCESSORS (old_id, PROP_OLD_ID)
STRING_ACCESSORS (full_name, PROP_FULL_NAME)
STRING_ACCESSORS (birth_date, PROP_BIRTH_DATE)
STRING_ACCESSORS (address, PROP_ADDRESS)
STRING_ACCESSORS (commune, PROP_COMMUNE)
STRING_ACCESSORS (issue_date, PROP_ISSUE_DATE)
STRING_ACCESSORS (phone, PROP_PHONE)
STRING_ACCESSORS (ethnicity, PROP_ETHNICITY)

FkSex
fk_citizen_get_sex (FkCitizen *self)
{
  g_return_val_if_fail (FK_IS_CITIZEN (self), FK_SEX_UNKNOWN);
  return self->sex;
}

void
fk_citizen_set_sex (FkCitizen *self, FkSex sex)
{
  g_return_if_fail (FK_IS_CITIZEN (self));
  if (self->sex == sex)
    return;
  self->sex = sex;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEX]);
}

static gboolean
commune_is_known (const char *code)
{
  FkAdminUnits *units = fk_admin_units_get_default (NULL);
  const FkAdminUnit *unit = units != NULL ? fk_admin_units_lookup (units, code) : NULL;

  return unit != NULL && unit->level == FK_ADMIN_LEVEL_COMMUNE;
}

/* The JSON member of each FkCitizenMember, for messages naming the path. */
static const char *const member_names[] = {
  [FK_CITIZEN_MEMBER_NONE] = "",
  [FK_CITIZEN_MEMBER_ID_NUMBER] = "id_number",
  [FK_CITIZEN_MEMBER_OLD_ID] = "old_id",
  [FK_CITIZEN_MEMBER_FULL_NAME] = "full_name",
  [FK_CITIZEN_MEMBER_BIRTH_DATE] = "birth_date",
  [FK_CITIZEN_MEMBER_SEX] = "sex",
  [FK_CITIZEN_MEMBER_ISSUE_DATE] = "issue_date",
  [FK_CITIZEN_MEMBER_ADDRESS] = "address",
  [FK_CITIZEN_MEMBER_COMMUNE] = "commune",
  [FK_CITIZEN_MEMBER_PHONE] = "phone",
  [FK_CITIZEN_MEMBER_ETHNICITY] = "ethnicity",
};

G_GNUC_PRINTF (4, 5)
static gboolean
rule_error (GError **error, FkCitizenMember *out_member, FkCitizenMember member, const char *format,
            ...)
{
  va_list args;
  g_autofree char *rule = NULL;

  va_start (args, format);
  rule = g_strdup_vprintf (format, args);
  va_end (args);
  if (out_member != NULL)
    *out_member = member;
  g_set_error_literal (error, FK_CORE_ERROR, FK_CORE_ERROR_INVALID_DATA, rule);
  return FALSE;
}

/**
 * fk_citizen_check:
 * @self: a citizen
 * @out_member: (out) (optional): the member that is wrong, or
 *   %FK_CITIZEN_MEMBER_NONE
 * @error: return location for an %FK_CORE_ERROR_INVALID_DATA error whose
 *   message is the rule alone ("must be …"), for a form that names the
 *   member with its own label
 *
 * The checks of fk_citizen_validate(), in the same order.
 *
 * Returns: whether the citizen can go into a dossier
 */
gboolean
fk_citizen_check (FkCitizen *self, FkCitizenMember *out_member, GError **error)
{
  GDate birth, issue;

  g_return_val_if_fail (FK_IS_CITIZEN (self), FALSE);

  if (out_member != NULL)
    *out_member = FK_CITIZEN_MEMBER_NONE;
  if (self->full_name == NULL)
    return rule_error (error, out_member, FK_CITIZEN_MEMBER_FULL_NAME, "%s",
                       _ ("the full name is missing"));
  if (g_utf8_strlen (self->full_name, -1) > FK_CCCD_MAX_NAME)
    return rule_error (error, out_member, FK_CITIZEN_MEMBER_FULL_NAME, _ ("at most %d characters"),
                       FK_CCCD_MAX_NAME);
  if (self->id_number != NULL && !fk_citizen_id_is_valid (self->id_number))
    return rule_error (error, out_member, FK_CITIZEN_MEMBER_ID_NUMBER, "%s",
                       _ ("must be 12 digits opening with a known province code"));
  if (self->old_id != NULL && !((strlen (self->old_id) == 9 || strlen (self->old_id) == 12) &&
                                fk_text_is_digits (self->old_id, strlen (self->old_id))))
    return rule_error (error, out_member, FK_CITIZEN_MEMBER_OLD_ID, "%s",
                       _ ("must be empty, 9 digits or 12 digits"));
  if (self->birth_date != NULL && !fk_iso_date_parse (self->birth_date, &birth))
    return rule_error (error, out_member, FK_CITIZEN_MEMBER_BIRTH_DATE, "%s",
                       _ ("must be a real date written YYYY-MM-DD"));
  if (self->issue_date != NULL && !fk_iso_date_parse (self->issue_date, &issue))
    return rule_error (error, out_member, FK_CITIZEN_MEMBER_ISSUE_DATE, "%s",
                       _ ("must be a real date written YYYY-MM-DD"));
  if (self->birth_date != NULL && self->issue_date != NULL && g_date_compare (&issue, &birth) < 0)
    return rule_error (error, out_member, FK_CITIZEN_MEMBER_ISSUE_DATE, "%s",
                       _ ("is before the birth date"));
  if (self->phone != NULL && !fk_phone_is_valid (self->phone))
    return rule_error (error, out_member, FK_CITIZEN_MEMBER_PHONE, "%s",
                       _ ("must be a phone number such as 0912345678"));
  if (self->ethnicity != NULL && g_utf8_strlen (self->ethnicity, -1) > 50)
    return rule_error (error, out_member, FK_CITIZEN_MEMBER_ETHNICITY, _ ("at most %d characters"),
                       50);
  if (self->address != NULL && g_utf8_strlen (self->address, -1) > FK_CCCD_MAX_ADDRESS)
    return rule_error (error, out_member, FK_CITIZEN_MEMBER_ADDRESS, _ ("at most %d characters"),
                       FK_CCCD_MAX_ADDRESS);
  if (self->commune != NULL && !commune_is_known (self->commune))
    return rule_error (error, out_member, FK_CITIZEN_MEMBER_COMMUNE, "%s",
                       _ ("must be the code of a commune or ward since 1 July 2025"));
  return TRUE;
}

/* fk_citizen_check() with the member's path in the message; @path names
 * the object ("citizen"). */
static gboolean
validate (FkCitizen *self, const char *path, GError **error)
{
  FkCitizenMember member;
  g_autoptr (GError) local = NULL;
  g_autofree char *where = NULL;

  if (fk_citizen_check (self, &member, &local))
    return TRUE;
  where = g_strdup_printf ("%s.%s", path, member_names[member]);
  return fk_json_error (error, where, "%s", local->message);
}

/**
 * fk_citizen_validate:
 * @self: a citizen
 * @error: return location for an %FK_CORE_ERROR_INVALID_DATA error naming
 *   the member
 *
 * Returns: whether the citizen can go into a dossier
 */
gboolean
fk_citizen_validate (FkCitizen *self, GError **error)
{
  g_return_val_if_fail (FK_IS_CITIZEN (self), FALSE);
  return validate (self, "citizen", error);
}

static const char *const members[] = {
  "schema",     "id_number", "old_id",  "full_name", "birth_date", "sex",
  "issue_date", "address",   "commune", "phone",     "ethnicity",  NULL,
};

/* The parser behind fk_citizen_new_from_json(), with the member path used
 * in messages, so a dossier can say "citizen.phone". */
FkCitizen *
fk_citizen_new_from_json_at (JsonNode *node, const char *path, gboolean check, GError **error)
{
  g_autoptr (FkCitizen) self = fk_citizen_new ();
  JsonObject *obj;
  const char *sex;

  if (!fk_json_expect_object (node, path, &obj, error) ||
      !fk_json_check_schema (obj, path, FK_CITIZEN_SCHEMA, error) ||
      !fk_json_check_members (obj, path, members, error))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (string_members); i++)
    {
      const char *value;

      if (!fk_json_get_string (obj, path, string_members[i].member, &value, error))
        return NULL;
      set_string (self, string_members[i].prop_id, value);
    }

  if (!fk_json_get_string (obj, path, "sex", &sex, error))
    return NULL;
  if (sex != NULL)
    {
      self->sex = fk_sex_from_string (sex);
      if (self->sex == FK_SEX_UNKNOWN)
        {
          g_autofree char *where = g_strdup_printf ("%s.sex", path);

          fk_json_error (error, where, _ ("must be “male” or “female”"));
          return NULL;
        }
    }

  if (check && !validate (self, path, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * fk_citizen_new_from_json:
 * @node: a JSON object as fk_citizen_to_json() writes it
 * @error: return location for an error naming the member that is wrong
 *
 * Returns: (transfer full) (nullable): the citizen
 */
FkCitizen *
fk_citizen_new_from_json (JsonNode *node, GError **error)
{
  return fk_citizen_new_from_json_at (node, "citizen", TRUE, error);
}

/**
 * fk_citizen_to_json:
 *
 * Returns: (transfer full): a JSON object; unset members are left out
 */
JsonNode *
fk_citizen_to_json (FkCitizen *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (FK_IS_CITIZEN (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, FK_CITIZEN_SCHEMA);
  for (guint i = 0; i < G_N_ELEMENTS (string_members); i++)
    {
      const char *value = *member_slot (self, i);

      if (value == NULL)
        continue;
      json_builder_set_member_name (builder, string_members[i].member);
      json_builder_add_string_value (builder, value);
    }
  if (self->sex != FK_SEX_UNKNOWN)
    {
      json_builder_set_member_name (builder, "sex");
      json_builder_add_string_value (builder, fk_sex_to_string (self->sex));
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
