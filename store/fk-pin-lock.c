/* fk-pin-lock.c: the operator PIN that unlocks the device master key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The master key is wrapped with an Argon2id key from the PIN and, for the
 * administrator, with one from a random recovery code. Every PIN try is
 * written to disk (synchronous=FULL) *before* the PIN is checked, so killing
 * the process or pulling the battery mid-check still counts the try.
 */
#include "fk-store-private.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#define PIN_AD         "FKPIN1"
#define RECOVERY_AD    "FKREC1"
#define RECOVERY_BYTES 16
#define RECOVERY_SHOWN (RECOVERY_BYTES * 2 + RECOVERY_BYTES / 2)
#define MAX_DELAY      3600
#define PIN_MIN_CHARS  4
#define PIN_MAX_CHARS  64

gboolean
fk_pin_check_acceptable (const char *pin, GError **error)
{
  glong len = pin != NULL && g_utf8_validate (pin, -1, NULL) ? g_utf8_strlen (pin, -1) : 0;

  if (len < PIN_MIN_CHARS || len > PIN_MAX_CHARS)
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                   _ ("The PIN must have %d to %d characters."), PIN_MIN_CHARS, PIN_MAX_CHARS);
      return FALSE;
    }
  return TRUE;
}

static gboolean
wrap_master (FkStore *self, const FkVaultKey *master, const char *secret, const char *prefix,
             const char *ad, guint64 ops, gsize mem, GError **error)
{
  guint8 salt[FK_VAULT_SALT_BYTES];
  g_autoptr (FkVaultKey) key = NULL;
  g_autoptr (GBytes) wrapped = NULL;
  g_autofree char *salt_key = g_strconcat (prefix, ".salt", NULL);
  g_autofree char *ops_key = g_strconcat (prefix, ".opslimit", NULL);
  g_autofree char *mem_key = g_strconcat (prefix, ".memlimit", NULL);
  g_autofree char *wrapped_key = g_strconcat (prefix, ".wrapped", NULL);
  g_autoptr (GError) local = NULL;

  randombytes_buf (salt, sizeof salt);
  key = fk_vault_key_derive_from_pin (secret, salt, sizeof salt, ops, mem, &local);
  if (key == NULL)
    {
      fk_store_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  wrapped =
    fk_vault_wrap (key, fk_vault_key_get_data (master), FK_VAULT_KEY_BYTES, ad, strlen (ad));
  return fk_store_put_setting_bytes (self, salt_key, salt, sizeof salt, error) &&
         fk_store_put_setting_int (self, ops_key, (gint64) ops, error) &&
         fk_store_put_setting_int (self, mem_key, (gint64) mem, error) &&
         fk_store_put_setting_bytes (self, wrapped_key, g_bytes_get_data (wrapped, NULL),
                                     g_bytes_get_size (wrapped), error);
}

char *
fk_secret_dup (const char *secret)
{
  gsize len = secret != NULL ? strlen (secret) : 0;
  char *copy = sodium_malloc (len + 1);

  if (copy == NULL)
    g_error ("out of memory for a secret");
  if (len > 0)
    memcpy (copy, secret, len);
  copy[len] = '\0';
  return copy;
}

void
fk_secret_free (char *secret)
{
  /* sodium_free wipes the memory before unmapping it. */
  if (secret != NULL)
    sodium_free (secret);
}

/* The recovery code as shown: 32 hex digits in groups of four, into
 * @out (RECOVERY_SHOWN bytes). */
static void
format_recovery_code (const guint8 *bytes, char *out)
{
  char *p = out;

  for (gsize i = 0; i < RECOVERY_BYTES; i += 2)
    {
      if (i > 0)
        *p++ = '-';
      sodium_bin2hex (p, 5, bytes + i, 2);
      p += 4;
    }
  *p = '\0';
}

/* Accepts the code with or without dashes and spaces, any case; (transfer
 * full): free with fk_secret_free(). */
static char *
normalize_recovery_code (const char *code)
{
  char *out = fk_secret_dup (code);
  char *q = out;

  for (const char *p = code; *p != '\0'; p++)
    if (g_ascii_isxdigit (*p))
      *q++ = g_ascii_tolower (*p);
  *q = '\0';
  return out;
}

gboolean
fk_pin_lock_setup (FkStore *self, const FkVaultKey *master, const char *pin, guint64 opslimit,
                   gsize memlimit, char **out_recovery_code, GError **error)
{
  guint8 code[RECOVERY_BYTES];
  char shown[RECOVERY_SHOWN];
  char *normal;
  gboolean ok;

  randombytes_buf (code, sizeof code);
  format_recovery_code (code, shown);
  sodium_memzero (code, sizeof code);
  normal = normalize_recovery_code (shown);
  ok = wrap_master (self, master, pin, "pin", PIN_AD, opslimit, memlimit, error) &&
       wrap_master (self, master, normal, "recovery", RECOVERY_AD, opslimit, memlimit, error) &&
       fk_store_put_setting_int (self, "pin.failures", 0, error) &&
       fk_store_put_setting_int (self, "pin.last_try", 0, error);
  fk_secret_free (normal);
  if (ok && out_recovery_code != NULL)
    *out_recovery_code = g_strdup (shown);
  sodium_memzero (shown, sizeof shown);
  return ok;
}

static FkVaultKey *
unwrap_master (FkStore *self, const char *secret, const char *prefix, const char *ad,
               GError **error)
{
  g_autofree char *salt_key = g_strconcat (prefix, ".salt", NULL);
  g_autofree char *ops_key = g_strconcat (prefix, ".opslimit", NULL);
  g_autofree char *mem_key = g_strconcat (prefix, ".memlimit", NULL);
  g_autofree char *wrapped_key = g_strconcat (prefix, ".wrapped", NULL);
  g_autoptr (GBytes) salt = fk_store_get_setting_bytes (self, salt_key);
  g_autoptr (GBytes) wrapped = fk_store_get_setting_bytes (self, wrapped_key);
  gint64 ops = fk_store_get_setting_int (self, ops_key, 0);
  gint64 mem = fk_store_get_setting_int (self, mem_key, 0);
  g_autoptr (FkVaultKey) key = NULL;
  g_autoptr (GBytes) master = NULL;
  g_autoptr (GError) local = NULL;
  FkVaultKey *result;

  if (salt == NULL || wrapped == NULL || ops <= 0 || mem <= 0)
    {
      g_set_error_literal (error, FK_STORE_ERROR, FK_STORE_ERROR_CORRUPT,
                           _ ("The vault settings of the store are missing or damaged."));
      return NULL;
    }
  key = fk_vault_key_derive_from_pin (secret, g_bytes_get_data (salt, NULL),
                                      g_bytes_get_size (salt), (guint64) ops, (gsize) mem, &local);
  if (key == NULL)
    {
      fk_store_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  master = fk_vault_unwrap (key, g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped), ad,
                            strlen (ad), NULL);
  if (master == NULL)
    return NULL;
  result =
    fk_vault_key_new_from_data (g_bytes_get_data (master, NULL), g_bytes_get_size (master), &local);
  fk_store_wipe_bytes (master);
  if (result == NULL)
    fk_store_propagate_error (error, g_steal_pointer (&local));
  return result;
}

typedef struct
{
  gint64 failures;
  gint64 last_try;
  gint64 max_attempts;
  gint64 free_attempts;
  gint64 delay;
} PinState;

static void
read_state (FkStore *self, PinState *s)
{
  s->failures = fk_store_get_setting_int (self, "pin.failures", 0);
  s->last_try = fk_store_get_setting_int (self, "pin.last_try", 0);
  s->max_attempts =
    fk_store_get_setting_int (self, "pin.max_attempts", FK_STORE_PIN_MAX_ATTEMPTS_DEFAULT);
  s->free_attempts =
    fk_store_get_setting_int (self, "pin.free_attempts", FK_STORE_PIN_FREE_ATTEMPTS_DEFAULT);
  s->delay = fk_store_get_setting_int (self, "pin.delay", FK_STORE_PIN_DELAY_DEFAULT);
}

/* Delay owed after @failures wrong PINs: none for the first free ones,
 * then doubling from the base delay, at most an hour. */
static gint64
delay_after (const PinState *s, gint64 failures)
{
  gint64 d;

  if (failures < s->free_attempts || s->delay <= 0)
    return 0;
  d = s->delay;
  for (gint64 i = s->free_attempts; i < failures && d < MAX_DELAY; i++)
    d *= 2;
  return MIN (d, MAX_DELAY);
}

static gint64
wait_for (const PinState *s)
{
  gint64 now = fk_store_now ();
  gint64 elapsed = now >= s->last_try ? now - s->last_try : 0;
  gint64 owed = delay_after (s, s->failures);

  if (s->failures >= s->max_attempts)
    return G_MAXINT64;
  return owed > elapsed ? owed - elapsed : 0;
}

static void
set_locked_error (GError **error)
{
  g_set_error_literal (error, FK_STORE_ERROR, FK_STORE_ERROR_PIN_LOCKED,
                       _ ("Too many wrong PINs: the vault is locked. An administrator must reset "
                          "the PIN with the recovery code (fieldkit-ctl admin reset-pin)."));
}

static void
set_delay_error (GError **error, gint64 wait)
{
  g_set_error (
    error, FK_STORE_ERROR, FK_STORE_ERROR_PIN_DELAY,
    g_dngettext (GETTEXT_PACKAGE, "Too many wrong PINs: wait %lld second before trying again.",
                 "Too many wrong PINs: wait %lld seconds before trying again.", (gulong) wait),
    (long long) wait);
}

gint64
fk_store_get_pin_wait (FkStore *self, GError **error)
{
  PinState s;

  g_return_val_if_fail (FK_IS_STORE (self), 0);
  read_state (self, &s);
  return wait_for (&s);
}

guint
fk_store_get_pin_failures (FkStore *self, GError **error)
{
  g_return_val_if_fail (FK_IS_STORE (self), 0);
  return (guint) fk_store_get_setting_int (self, "pin.failures", 0);
}

gboolean
fk_store_set_pin_policy (FkStore *self, guint max_attempts, guint free_attempts,
                         guint delay_seconds, GError **error)
{
  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  if (max_attempts == 0)
    {
      g_set_error_literal (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                           _ ("At least one PIN attempt must be allowed."));
      return FALSE;
    }
  if (!fk_store_begin (self, error))
    return FALSE;
  if (!fk_store_put_setting_int (self, "pin.max_attempts", max_attempts, error) ||
      !fk_store_put_setting_int (self, "pin.free_attempts", free_attempts, error) ||
      !fk_store_put_setting_int (self, "pin.delay", delay_seconds, error) ||
      !fk_audit_append (self, NULL, "pin-policy", "", error))
    {
      fk_store_rollback (self);
      return FALSE;
    }
  return fk_store_commit (self, error);
}

/* Checks the delay and lock-out, then records the try on disk. */
static gboolean
count_try (FkStore *self, PinState *s, GError **error)
{
  gint64 wait;

  if (!fk_store_begin (self, error))
    return FALSE;
  read_state (self, s);
  wait = wait_for (s);
  if (wait == G_MAXINT64)
    {
      fk_store_rollback (self);
      set_locked_error (error);
      return FALSE;
    }
  if (wait > 0)
    {
      fk_store_rollback (self);
      set_delay_error (error, wait);
      return FALSE;
    }
  if (!fk_store_put_setting_int (self, "pin.failures", s->failures + 1, error) ||
      !fk_store_put_setting_int (self, "pin.last_try", fk_store_now (), error))
    {
      fk_store_rollback (self);
      return FALSE;
    }
  return fk_store_commit (self, error);
}

/* After a wrong PIN: the audit entry, and the error saying what is left. */
static void
record_wrong_pin (FkStore *self, const PinState *s, GError **error)
{
  gint64 failures = s->failures + 1;
  gint64 left = s->max_attempts - failures;
  gint64 next = delay_after (s, failures);
  g_autoptr (GString) msg = NULL;

  if (!fk_store_begin (self, error))
    return;
  if (!fk_audit_append (self, NULL, "pin-wrong", "", error))
    {
      fk_store_rollback (self);
      return;
    }
  if (!fk_store_commit (self, error))
    return;
  if (left <= 0)
    {
      set_locked_error (error);
      return;
    }
  msg = g_string_new (_ ("Wrong PIN."));
  g_string_append_c (msg, ' ');
  g_string_append_printf (msg,
                          g_dngettext (GETTEXT_PACKAGE, "%lld try left before the vault locks.",
                                       "%lld tries left before the vault locks.", (gulong) left),
                          (long long) left);
  if (next > 0)
    {
      g_string_append_c (msg, ' ');
      g_string_append_printf (msg,
                              g_dngettext (GETTEXT_PACKAGE, "Wait %lld second before the next try.",
                                           "Wait %lld seconds before the next try.", (gulong) next),
                              (long long) next);
    }
  g_set_error_literal (error, FK_STORE_ERROR, FK_STORE_ERROR_WRONG_PIN, msg->str);
}

gboolean
fk_store_unlock (FkStore *self, const char *pin, GError **error)
{
  g_autoptr (FkVaultKey) master = NULL;
  g_autoptr (GError) local = NULL;
  PinState s;

  g_return_val_if_fail (FK_IS_STORE (self), FALSE);

  /* Count the try durably first. */
  if (!count_try (self, &s, &local))
    {
      if (!g_error_matches (local, FK_STORE_ERROR, FK_STORE_ERROR_DISK_FULL) ||
          !fk_store_release_reserve (self))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      g_clear_error (&local);
      if (!count_try (self, &s, error))
        return FALSE;
    }

  master = unwrap_master (self, pin != NULL ? pin : "", "pin", PIN_AD, &local);
  if (master == NULL)
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        record_wrong_pin (self, &s, error);
      return FALSE;
    }

  if (!fk_store_begin (self, error))
    return FALSE;
  if (!fk_store_put_setting_int (self, "pin.failures", 0, error))
    {
      fk_store_rollback (self);
      return FALSE;
    }
  if (!fk_store_commit (self, error))
    return FALSE;
  fk_store_set_master_key (self, master);
  return TRUE;
}

/* The recovery code has 128 random bits: guessing it is hopeless, so its
 * tries are not rate-limited. */
static FkVaultKey *
unwrap_recovery (FkStore *self, const char *recovery_code, GError **error)
{
  char *normal = normalize_recovery_code (recovery_code != NULL ? recovery_code : "");
  g_autoptr (GError) local = NULL;
  FkVaultKey *master = unwrap_master (self, normal, "recovery", RECOVERY_AD, &local);

  fk_secret_free (normal);
  if (master == NULL)
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error_literal (error, FK_STORE_ERROR, FK_STORE_ERROR_WRONG_PIN,
                             _ ("The recovery code is wrong: nothing was changed."));
    }
  return master;
}

gboolean
fk_store_check_recovery_code (FkStore *self, const char *recovery_code, GError **error)
{
  g_autoptr (FkVaultKey) master = NULL;

  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  master = unwrap_recovery (self, recovery_code, error);
  return master != NULL;
}

gboolean
fk_store_reset_pin (FkStore *self, const char *recovery_code, const char *new_pin, GError **error)
{
  g_autoptr (FkVaultKey) master = NULL;
  gint64 ops, mem;

  g_return_val_if_fail (FK_IS_STORE (self), FALSE);
  if (!fk_pin_check_acceptable (new_pin, error))
    return FALSE;
  master = unwrap_recovery (self, recovery_code, error);
  if (master == NULL)
    return FALSE;
  ops = fk_store_get_setting_int (self, "pin.opslimit", FK_STORE_PIN_OPSLIMIT_DEFAULT);
  mem = fk_store_get_setting_int (self, "pin.memlimit", FK_STORE_PIN_MEMLIMIT_DEFAULT);
  if (!fk_store_begin (self, error))
    return FALSE;
  if (!wrap_master (self, master, new_pin, "pin", PIN_AD, (guint64) ops, (gsize) mem, error) ||
      !fk_store_put_setting_int (self, "pin.failures", 0, error) ||
      !fk_store_put_setting_int (self, "pin.last_try", 0, error) ||
      !fk_audit_append (self, NULL, "pin-reset", "", error))
    {
      fk_store_rollback (self);
      return FALSE;
    }
  if (!fk_store_commit (self, error))
    return FALSE;
  fk_store_set_master_key (self, master);
  return TRUE;
}

static void
unlock_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (fk_store_unlock (source, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
fk_store_unlock_async (FkStore *self, const char *pin, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (FK_IS_STORE (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_store_unlock_async);
  g_task_set_task_data (task, fk_secret_dup (pin), (GDestroyNotify) fk_secret_free);
  g_task_run_in_thread (task, unlock_thread);
}

gboolean
fk_store_unlock_finish (FkStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_store_unlock_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
