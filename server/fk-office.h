/* fk-office.h: the commune centre's office under /office/ (docs/office.md):
 * staff accounts, what the command line does with them, and the office
 * a server serves
 *
 * Accounts have a role: a receiver works on the dossiers of one commune,
 * a supervisor sees every commune, its reports and the audit trail, an
 * administrator manages devices and the catalog. Passwords are stored as
 * Argon2id hashes (libsodium's crypto_pwhash_str), never in clear.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fk-server-config.h"
#include "fk-server-db.h"
#include "fk-server-keys.h"

G_BEGIN_DECLS

typedef enum
{
  FK_OFFICE_ROLE_RECEIVER = 1 << 0,
  FK_OFFICE_ROLE_SUPERVISOR = 1 << 1,
  FK_OFFICE_ROLE_ADMIN = 1 << 2,
} FkOfficeRole;

#define FK_OFFICE_ROLES_ALL \
  (FK_OFFICE_ROLE_RECEIVER | FK_OFFICE_ROLE_SUPERVISOR | FK_OFFICE_ROLE_ADMIN)

/* Passwords shorter than this are refused. */
#define FK_OFFICE_MIN_PASSWORD 10

const char *fk_office_role_to_string (FkOfficeRole role);
gboolean fk_office_role_from_string (const char *text, FkOfficeRole *role);

typedef struct
{
  char *name;
  FkOfficeRole role;
  char *commune; /* receivers: the commune whose dossiers they see; else "" */
  gboolean disabled;
  gint64 created_at;   /* Unix time */
  gint64 last_login;   /* 0: never */
  gint64 locked_until; /* Unix time; 0 or past: not locked */
  guint failures;
} FkOfficeUser;

void fk_office_user_free (FkOfficeUser *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkOfficeUser, fk_office_user_free)

/* A name for an account: 1–64 of [a-z0-9._-], starting with a letter
 * or digit (it shows in the audit trail, so it is never a citizen's). */
gboolean fk_office_name_is_valid (const char *name);
/* Hashes @password with Argon2id; %NULL (and an error) when it is too
 * short or the hash cannot be made (out of memory). */
char *fk_office_password_hash (const char *password, GError **error);

gboolean fk_office_user_add (FkServerDb *db, const char *name, FkOfficeRole role,
                             const char *commune, const char *password, GError **error);
/* (element-type FkOfficeUser) */
GPtrArray *fk_office_user_list (FkServerDb *db, GError **error);
FkOfficeUser *fk_office_user_get (FkServerDb *db, const char *name, GError **error);
/* Disabling an account ends its sessions at once. */
gboolean fk_office_user_disable (FkServerDb *db, const char *name, GError **error);
/* A new password: clears the lockout and ends the account's sessions. */
gboolean fk_office_user_reset_password (FkServerDb *db, const char *name, const char *password,
                                        GError **error);

G_END_DECLS
