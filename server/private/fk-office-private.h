/* fk-office-private.h: what the office's files share
 *
 * fk-office.c routes a request under /office/ to a page: it reads the
 * session cookie, refuses a page to a role it is not for, checks the CSRF
 * token of every POST but the login, and adds the security headers to
 * every answer (fk-server.c adds them to refusals made before a page runs,
 * too). Each page is a file fk-office-<page>.c with its handlers; the
 * route table and the navigation are in fk-office.c. A page writes HTML
 * with fk_html(), which escapes every value it is given unless told not
 * to, and wraps it in the shell (assets/office/shell.html) with
 * fk_office_page().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-office.h"
#include "fk-server-db-private.h"
#include "fk-server-private.h"

G_BEGIN_DECLS

#define FK_OFFICE_PREFIX      "/office"
#define FK_OFFICE_TOKEN_BYTES 32
/* Argon2id runs at most this many at a time: each takes 64 MiB. */
#define FK_OFFICE_MAX_KDF 2

typedef enum
{
  FK_OFFICE_LANG_VI,
  FK_OFFICE_LANG_EN,
} FkOfficeLang;

struct _FkOffice
{
  FkServerDb *db;
  FkServerKeys *keys;
  FkServerConfig *config;
  gboolean tls;
  GHashTable *messages; /* Vietnamese: msgid → msgstr */
  GTimeZone *tz;        /* times are shown in Vietnam's time */
  char *dummy_hash;     /* verified for unknown names, so they take as long */
  gsize dummy_ready;
  GMutex kdf_lock;
  GCond kdf_cond;
  guint kdf_running;
  FkVaultKey *search_key; /* keyed hashes of ID numbers and name words */
  FkVaultKey *names_key;  /* the names the inbox shows, sealed */
  GMutex catalog_lock;
  FkCatalog *catalog; /* the newest published whole catalog, or the built-in one */
  gint64 catalog_seq;
};

/* A dossier as the inbox knows it (fk-office-index.c). */
typedef struct
{
  char *dossier;
  char *commune;
  char *device;      /* its key */
  char *device_name; /* enrolled name */
  char *procedure;
  char *visit_id;
  char *visit_date; /* YYYY-MM-DD, "" when the device did not say */
  char *hamlet;
  gint64 created_at;  /* on the device */
  gint64 received_at; /* by the server */
  char *state;        /* new, in-progress, ready, rejected, needs-documents, handed-over,
                       * unreadable */
  gint64 state_at;
  char *name; /* the citizen's, opened in memory; NULL if none */
  gint64 purged_at;
  gint64 handed_over_at;
  char *handed_over_by; /* the device's name */
} FkOfficeRow;

void fk_office_row_free (FkOfficeRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkOfficeRow, fk_office_row_free)

typedef struct
{
  const char *commune; /* NULL or "": every commune */
  const char *visit_id;
  const char *procedure;
  const char *state;
  const char *id_hash;
  char **name_tokens; /* every one must match */
  guint limit;
  guint offset;
} FkOfficeFilter;

typedef struct
{
  char *token; /* what the database keeps: the SHA-256 of the cookie's value */
  char *csrf;
  gint64 created;
  gint64 last_seen;
} FkOfficeSession;

void fk_office_session_free (FkOfficeSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkOfficeSession, fk_office_session_free)

typedef struct
{
  FkOffice *office;
  FkServerRequest *req;
  FkOfficeLang lang;
  GHashTable *query; /* decoded; never NULL */
  GHashTable *form;  /* a POST's fields (url-encoded or multipart); never NULL */
  GHashTable *files; /* a multipart POST's files that are not empty: name -> GBytes */
  FkOfficeSession *session;
  FkOfficeUser *user; /* the session's account, NULL without one */
  const char *route_path;
  GPtrArray *keep; /* strings that live as long as the request */
} FkOfficeContext;

typedef FkServerResponse *(*FkOfficeHandler) (FkOfficeContext *ctx);

/* fk-office-multipart.c */
gboolean fk_office_multipart_parse (const char *content_type, const guint8 *body, gsize len,
                                    GHashTable *fields, GHashTable *files);

/* fk-office-qr.c */
typedef enum
{
  FK_OFFICE_QR_NOT_IMAGE, /* neither a JPEG nor a PNG that can be read */
  FK_OFFICE_QR_NONE,      /* a picture without a QR code in it */
  FK_OFFICE_QR_TOO_LARGE, /* more pixels than the server decodes */
} FkOfficeQrProblem;

char *fk_office_qr_read (GBytes *image, FkOfficeQrProblem *problem);

/* fk-office-i18n.c */
GHashTable *fk_office_messages_parse (GBytes *bytes);
GHashTable *fk_office_messages_load (void);
const char *fk_office_t (const FkOfficeContext *ctx, const char *msgid) G_GNUC_FORMAT (2);

/* fk-office-html.c: HTML that escapes what it is given.
 *
 * fk_html (out, format, value…, NULL): @format is HTML in which each "{}"
 * takes the next value, escaped, and each "{!}" the next value as it is
 * (HTML this code made). Values are strings; NULL ends them. */
void fk_html (GString *out, const char *format, ...) G_GNUC_NULL_TERMINATED;
void fk_html_escape (GString *out, const char *text);
/* Keeps @text (transfer full) until the request ends, and returns it. */
const char *fk_office_keep (FkOfficeContext *ctx, char *text);
const char *fk_office_printf (FkOfficeContext *ctx, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* "03/12/2026 14:05" in Vietnam's time; "" for 0. */
const char *fk_office_time (FkOfficeContext *ctx, gint64 unix_time);
/* A whole page: the shell with the navigation for ctx->user, @title and
 * @body (HTML). @active: the navigation entry to mark. */
FkServerResponse *fk_office_page (FkOfficeContext *ctx, guint status, const char *title,
                                  const char *active, GString *body);
/* A page that says why something was refused or not found. */
FkServerResponse *fk_office_message_page (FkOfficeContext *ctx, guint status, const char *title,
                                          const char *message);
FkServerResponse *fk_office_redirect (FkOfficeContext *ctx, const char *location);
/* The hidden field every form that changes something carries. */
void fk_office_csrf_field (FkOfficeContext *ctx, GString *out);

/* fk-office.c */
/* The top of every page: the centre's name, the navigation of the user's
 * role (@active marked), the language switch and the logout button. */
void fk_office_header (FkOfficeContext *ctx, const char *active, GString *out);
gboolean fk_office_user_has (FkOfficeContext *ctx, guint roles);
/* The safe local target of a "next" parameter, else "/office/". */
const char *fk_office_local_target (const char *next);
const char *fk_office_form (FkOfficeContext *ctx, const char *name);
const char *fk_office_query (FkOfficeContext *ctx, const char *name);

/* fk-office-session.c: sessions, passwords and failed logins */
void fk_office_kdf_enter (FkOffice *self);
void fk_office_kdf_leave (FkOffice *self);
/* A new session for @user: the cookie's value (transfer full) in @cookie. */
FkOfficeSession *fk_office_session_create (FkOffice *self, const char *user, char **cookie,
                                           GError **error);
/* The live session of a cookie's value, touched; NULL when there is none
 * (@expired: it had been idle too long, and is removed). */
FkOfficeSession *fk_office_session_resolve (FkOffice *self, const char *cookie, char **user,
                                            gboolean *expired, GError **error);
gboolean fk_office_session_end (FkOffice *self, const char *token, GError **error);
/* Ends every session of @user but @keep (nullable). */
gboolean fk_office_sessions_end_for (FkServerDb *db, const char *user, const char *keep,
                                     GError **error);
char *fk_office_session_cookie (FkOffice *self, const char *value);
const char *fk_office_session_cookie_name (FkOffice *self);

typedef enum
{
  FK_OFFICE_LOGIN_OK,
  FK_OFFICE_LOGIN_WRONG,          /* wrong name or password (or a disabled account) */
  FK_OFFICE_LOGIN_TOO_SOON,       /* slowed down: try again after @retry seconds */
  FK_OFFICE_LOGIN_LOCKED,         /* the account is locked for @retry seconds */
  FK_OFFICE_LOGIN_ADDRESS_LOCKED, /* this address is, for @retry seconds */
} FkOfficeLoginResult;

FkOfficeLoginResult fk_office_login (FkOffice *self, const char *name, const char *password,
                                     const char *address, gint64 *retry, GError **error);
gboolean fk_office_password_verify (FkOffice *self, const char *hash, const char *password);
char *fk_office_user_password_hash (FkServerDb *db, const char *name, GError **error);

/* fk-office-index.c */
void fk_office_index_init (FkOffice *self);
char *fk_office_id_hash (FkOffice *self, const char *id_number);
char **fk_office_name_tokens (FkOffice *self, const char *name);
GBytes *fk_office_seal_name (FkOffice *self, const char *name);
char *fk_office_open_name (FkOffice *self, GBytes *sealed);

/* fk-office-dossiers.c */
GPtrArray *fk_office_dossiers_list (FkOffice *self, const FkOfficeFilter *filter, guint *total,
                                    GError **error);
FkOfficeRow *fk_office_dossier_row (FkOffice *self, const char *dossier, GError **error);
GPtrArray *fk_office_dossiers_values (FkOffice *self, const char *commune, const char *columns,
                                      GError **error);
gboolean fk_office_history_add (FkOffice *self, FkDbConn *conn, const char *dossier,
                                const char *user, const char *event, const char *detail,
                                GError **error);
gboolean fk_office_dossier_start (FkOffice *self, const char *dossier, const char *user,
                                  GError **error);
GPtrArray *fk_office_dossier_history (FkOffice *self, const char *dossier, GError **error);
FkCatalog *fk_office_catalog (FkOffice *self);
const char *fk_office_procedure_title (FkOfficeContext *ctx, FkCatalog *catalog, const char *code);

/* fk-office-files.c: a dossier opened for an account */
typedef struct
{
  FkOfficeRow *row;
  FkServerCommit *commit;
  FkSyncManifest *manifest;
  FkDossier *dossier;
  FkVaultKey *data_key;
} FkOfficeOpened;

void fk_office_opened_free (FkOfficeOpened *o);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FkOfficeOpened, fk_office_opened_free)
FkServerResponse *fk_office_dossier_access (FkOfficeContext *ctx, const char *uuid,
                                            FkOfficeRow **out);
FkServerResponse *fk_office_open_dossier (FkOfficeContext *ctx, const char *uuid,
                                          const char *action, const char *detail,
                                          FkOfficeOpened **out);
GBytes *fk_office_attachment_bytes (FkOfficeContext *ctx, FkOfficeOpened *o, guint index,
                                    GError **error);
FkServerResponse *fk_office_file (FkOfficeContext *ctx, const char *rest);
FkServerResponse *fk_office_photo (FkOfficeContext *ctx, const char *rest);

/* fk-office-inbox.c: labels the pages share */
const char *fk_office_state_label (FkOfficeContext *ctx, const char *state);
const char *fk_office_commune_name (FkOfficeContext *ctx, const char *code);
const char *fk_office_date (FkOfficeContext *ctx, const char *iso);

/* fk-office-retention.c: photos and fingerprints of dossiers handed over
 * office-retention-days ago leave the database. */
gboolean fk_office_purge_handed_over (FkOffice *self, guint *n_purged, GError **error);

/* fk-office-audit.c: who opened or changed what, when */
gboolean fk_office_audit (FkOffice *self, const char *user, const char *action, const char *dossier,
                          const char *detail, GError **error);

/* The pages: fk-office-<page>.c */
FkServerResponse *fk_office_static (FkOfficeContext *ctx);
FkServerResponse *fk_office_login_page (FkOfficeContext *ctx);
FkServerResponse *fk_office_login_post (FkOfficeContext *ctx);
FkServerResponse *fk_office_logout_post (FkOfficeContext *ctx);
FkServerResponse *fk_office_language (FkOfficeContext *ctx);
FkServerResponse *fk_office_account_page (FkOfficeContext *ctx);
FkServerResponse *fk_office_account_password_post (FkOfficeContext *ctx);
FkServerResponse *fk_office_inbox_page (FkOfficeContext *ctx);
FkServerResponse *fk_office_dossier_get (FkOfficeContext *ctx);
FkServerResponse *fk_office_result_post (FkOfficeContext *ctx);
FkServerResponse *fk_office_reports_page (FkOfficeContext *ctx);
FkServerResponse *fk_office_reports_csv (FkOfficeContext *ctx);
FkServerResponse *fk_office_audit_page (FkOfficeContext *ctx);
FkServerResponse *fk_office_devices_page (FkOfficeContext *ctx);
FkServerResponse *fk_office_catalog_page (FkOfficeContext *ctx);
FkServerResponse *fk_office_users_page (FkOfficeContext *ctx);
FkServerResponse *fk_office_users_add_post (FkOfficeContext *ctx);
FkServerResponse *fk_office_users_disable_post (FkOfficeContext *ctx);
FkServerResponse *fk_office_users_password_post (FkOfficeContext *ctx);
FkServerResponse *fk_office_catalog_check_post (FkOfficeContext *ctx);
FkServerResponse *fk_office_catalog_publish_post (FkOfficeContext *ctx);
FkServerResponse *fk_office_devices_enroll_post (FkOfficeContext *ctx);
FkServerResponse *fk_office_devices_revoke_post (FkOfficeContext *ctx);
void fk_office_result_form (FkOfficeContext *ctx, GString *out, FkOfficeRow *row);
FkServerResponse *fk_office_invitations_page (FkOfficeContext *ctx);
FkServerResponse *fk_office_invitations_post (FkOfficeContext *ctx);

G_END_DECLS
