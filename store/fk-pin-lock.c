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

#include "fk-sync-error.h"

#define PIN_AD         "FKPIN1"
#define RECOVERY_AD    "FKREC1"
#define RECOVERY_BYTES 16
#define MAX_DELAY      3600
#define PIN_MIN_CHARS  4
#define PIN_MAX_CHARS  64

gboolean
fk_pin_check_acceptable (const char *pin, GError **error)
{
  glong len = pin != NULL && g_utf8_validate (pin, -1, NULL) ? g_utf8_strlen (pin, -1) : 0;

  if (len < PIN_MIN_CHARS || len > PIN_MAX_CHARS)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
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

  randombytes_buf (salt, sizeof salt);
  key = fk_vault_key_derive_from_pin (secret, salt, sizeof salt, ops, mem, error);
  if (key == NULL)
    return FALSE;
  wrapped =
    fk_vault_wrap (key, fk_vault_key_get_data (master), FK_VAULT_KEY_BYTES, ad, strlen (ad));
  return fk_store_put_setting_bytes (self, salt_key, salt, sizeof salt, error) &&
         fk_store_put_setting_int (self, ops_key, (gint64) ops, error) &&
         fk_store_put_setting_int (self, mem_key, (gint64) mem, error) &&
         fk_store_put_setting_bytes (self, wrapped_key, g_bytes_get_data (wrapped, NULL),
                                     g_bytes_get_size (wrapped), error);
}

/* The recovery code as shown: 32 hex digits in groups of four. */
static char *
format_recovery_code (const guint8 *bytes)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < RECOVERY_BYTES; i += 2)
    g_string_append_printf (out, "%s%02x%02x", i > 0 ? "-" : "", bytes[i], bytes[i + 1]);
  return g_string_free (out, FALSE);
}

/* Accepts the code with or without dashes and spaces, any case. */
static char *
normalize_recovery_code (const char *code)
{
  GString *out = g_string_new (NULL);

  for (const char *p = code; *p != '\0'; p++)
    if (g_ascii_isxdigit (*p))
      g_string_append_c (out, g_ascii_tolower (*p));
  return g_string_free (out, FALSE);
}

gboolean
fk_pin_lock_setup (FkStore *self, const FkVaultKey *master, const char *pin, guint64 opslimit,
                   gsize memlimit, char **out_recovery_code, GError **error)
{
  guint8 code[RECOVERY_BYTES];
  g_autofree char *shown = NULL;
  g_autofree char *normal = NULL;

  randombytes_buf (code, sizeof code);
  shown = format_recovery_code (code);
  normal = normalize_recovery_code (shown);
  sodium_memzero (code, sizeof code);
  if (!wrap_master (self, master, pin, "pin", PIN_AD, opslimit, memlimit, error) ||
      !wrap_master (self, master, normal, "recovery", RECOVERY_AD, opslimit, memlimit, error) ||
      !fk_store_put_setting_int (self, "pin.failures", 0, error) ||
      !fk_store_put_setting_int (self, "pin.last_try", 0, error))
    return FALSE;
  if (out_recovery_code != NULL)
    *out_recovery_code = g_steal_pointer (&shown);
  return TRUE;
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

  if (salt == NULL || wrapped == NULL || ops <= 0 || mem <= 0)
    {
      g_set_error_literal (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CORRUPT,
                           _ ("The vault settings of the store are missing or damaged."));
      return NULL;
    }
  key = fk_vault_key_derive_from_pin (secret, g_bytes_get_data (salt, NULL),
                                      g_bytes_get_size (salt), (guint64) ops, (gsize) mem, error);
  if (key == NULL)
    return NULL;
  master = fk_vault_unwrap (key, g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped), ad,
                            strlen (ad), NULL);
  if (master == NULL)
    return NULL;
  {
    FkVaultKey *result = fk_vault_key_new_from_data (g_bytes_get_data (master, NULL),
                                                     g_bytes_get_size (master), error);

    sodium_memzero ((void *) g_bytes_get_data (master, NULL), g_bytes_get_size (master));
    return result;
  }
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
  g_set_error_literal (error, FK_SYNC_ERROR, FK_SYNC_ERROR_PIN_LOCKED,
                       _ ("Too many wrong PINs: the vault is locked. An administrator must reset "
                          "the PIN with the recovery code (fieldkit-ctl admin reset-pin)."));
}

static void
set_delay_error (GError **error, gint64 wait)
{
  g_set_error (
    error, FK_SYNC_ERROR, FK_SYNC_ERROR_PIN_DELAY,
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
      g_set_error_literal (error, FK_SYNC_ERROR, FK_SYNC_ERROR_INVALID_ARGUMENT,
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
      if (!g_error_matches (local, FK_SYNC_ERROR, FK_SYNC_ERROR_DISK_FULL) ||
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
      gint64 failures = s.failures + 1;
      gint64 left = s.max_attempts - failures;

      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (!fk_store_begin (self, error))
        return FALSE;
      if (!fk_audit_append (self, NULL, "pin-wrong", "", error))
        {
          fk_store_rollback (self);
          return FALSE;
        }
      if (!fk_store_commit (self, error))
        return FALSE;
      if (left <= 0)
        {
          set_locked_error (error);
          return FALSE;
        }
      {
        GString *msg = g_string_new (_ ("Wrong PIN."));
        gint64 next = delay_after (&s, failures);

        g_string_append_c (msg, ' ');
        g_string_append_printf (
          msg,
          g_dngettext (GETTEXT_PACKAGE, "%lld try left before the vault locks.",
                       "%lld tries left before the vault locks.", (gulong) left),
          (long long) left);
        if (next > 0)
          {
            g_string_append_c (msg, ' ');
            g_string_append_printf (
              msg,
              g_dngettext (GETTEXT_PACKAGE, "Wait %lld second before the next try.",
                           "Wait %lld seconds before the next try.", (gulong) next),
              (long long) next);
          }
        g_set_error_literal (error, FK_SYNC_ERROR, FK_SYNC_ERROR_WRONG_PIN, msg->str);
        g_string_free (msg, TRUE);
      }
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
  g_autofree char *normal = normalize_recovery_code (recovery_code != NULL ? recovery_code : "");
  g_autoptr (GError) local = NULL;
  FkVaultKey *master = unwrap_master (self, normal, "recovery", RECOVERY_AD, &local);

  if (master == NULL)
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error_literal (error, FK_SYNC_ERROR, FK_SYNC_ERROR_WRONG_PIN,
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
pin_free (gpointer pin)
{
  sodium_memzero (pin, strlen (pin));
  g_free (pin);
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
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, fk_store_unlock_async);
  g_task_set_task_data (task, g_strdup (pin != NULL ? pin : ""), pin_free);
  g_task_run_in_thread (task, unlock_thread);
}

gboolean
fk_store_unlock_finish (FkStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
