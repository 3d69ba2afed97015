/* fk-ctl-access.c: how fieldkit-ctl reaches the device store
 *
 * The store's folder comes from --data DIR. The PIN comes from
 * FIELDKIT_PIN or is asked on the terminal without echo. The
 * administrator's recovery code (printed once by init) comes from
 * FIELDKIT_RECOVERY_CODE or the terminal; a new PIN from FIELDKIT_NEW_PIN
 * or the terminal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "fk-ctl.h"
#include "fk-store-error.h"

const char *
fk_ctl_require_data_dir (FkCtl *ctl, GError **error)
{
  if (ctl->data_dir == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _ ("This command needs the data directory: give --data DIR before the "
                              "command."));
      return NULL;
    }
  return ctl->data_dir;
}

FkStore *
fk_ctl_open_store (FkCtl *ctl, FkStoreOpenFlags flags, GError **error)
{
  const char *dir = fk_ctl_require_data_dir (ctl, error);

  if (dir == NULL)
    return NULL;
  return fk_store_open (dir, flags, error);
}

#define SECRET_MAX 256 /* bytes of a typed PIN or recovery code */

void
fk_ctl_secret_free (FkCtlSecret *secret)
{
  if (secret == NULL)
    return;
  sodium_memzero (secret, strlen (secret));
  g_free (secret);
}

/* Reads a line from the terminal with echo off, into a buffer that never
 * moves (a growing string would leave copies behind). */
static FkCtlSecret *
ask_secret (const char *prompt, GError **error)
{
  struct termios old, quiet;
  char line[SECRET_MAX];
  gsize len = 0;
  gboolean restore;
  int fd = g_open ("/dev/tty", O_RDWR | O_CLOEXEC, 0);
  char c = 0;
  FkCtlSecret *secret;

  if (fd < 0)
    {
      g_set_error_literal (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                           _ ("No terminal to ask for the PIN: set FIELDKIT_PIN."));
      return NULL;
    }
  restore = tcgetattr (fd, &old) == 0;
  if (restore)
    {
      quiet = old;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (fd, TCSAFLUSH, &quiet);
    }
  if (write (fd, prompt, strlen (prompt)) < 0)
    g_debug ("Could not write the prompt: %s", g_strerror (errno));
  while (read (fd, &c, 1) == 1 && c != '\n')
    if (len + 1 < sizeof line)
      line[len++] = c;
  line[len] = '\0';
  if (restore)
    tcsetattr (fd, TCSAFLUSH, &old);
  if (write (fd, "\n", 1) < 0)
    g_debug ("Could not end the prompt: %s", g_strerror (errno));
  close (fd);
  secret = g_strndup (line, len);
  sodium_memzero (line, sizeof line);
  sodium_memzero (&c, sizeof c);
  return secret;
}

FkCtlSecret *
fk_ctl_get_secret (const char *env, const char *prompt, GError **error)
{
  const char *value = g_getenv (env);

  if (value != NULL)
    return g_strdup (value);
  return ask_secret (prompt, error);
}

/* A new secret, asked twice on a terminal. */
FkCtlSecret *
fk_ctl_get_new_secret (const char *env, const char *prompt, const char *again, GError **error)
{
  g_autoptr (FkCtlSecret) first = NULL;
  g_autoptr (FkCtlSecret) second = NULL;

  if (g_getenv (env) != NULL)
    return g_strdup (g_getenv (env));
  first = ask_secret (prompt, error);
  if (first == NULL)
    return NULL;
  second = ask_secret (again, error);
  if (second == NULL)
    return NULL;
  if (!g_str_equal (first, second))
    {
      g_set_error_literal (error, FK_STORE_ERROR, FK_STORE_ERROR_INVALID_ARGUMENT,
                           _ ("The two PINs differ: nothing was changed."));
      return NULL;
    }
  return g_steal_pointer (&first);
}

gboolean
fk_ctl_unlock_store (FkStore *store, GError **error)
{
  g_autoptr (FkCtlSecret) pin = fk_ctl_get_secret ("FIELDKIT_PIN", _ ("Operator PIN: "), error);

  return pin != NULL && fk_store_unlock (store, pin, error);
}

/* What an administrator's change needs: the recovery code printed by init. */
gboolean
fk_ctl_check_recovery_code (FkStore *store, GError **error)
{
  g_autoptr (FkCtlSecret) code =
    fk_ctl_get_secret ("FIELDKIT_RECOVERY_CODE", _ ("Recovery code: "), error);

  return code != NULL && fk_store_check_recovery_code (store, code, error);
}
