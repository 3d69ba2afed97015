/* test-server-enroll.c: POST /v1/enroll against the real fieldkit-server,
 * on SQLite or (--postgresql) on a PostgreSQL cluster of its own: one
 * token enrolls exactly one device however many present it at once, and
 * every refusal leaves the invitation and the device table as they were
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "fk-device-key.h"
#include "fk-enroll-code.h"
#include "fk-sync-client.h"
#include "fk-test-pg.h"
#include "fk-test-server.h"

#define RACERS 6

static gboolean postgresql;

typedef struct
{
  FkTestServer *server;
  char *base;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  g_autofree char *uri = postgresql ? fk_test_pg_new_database () : NULL;
  g_autofree char *dir = NULL;

  f->base = g_dir_make_tmp ("fk-enroll-XXXXXX", NULL);
  dir = g_build_filename (f->base, "server", NULL);
  f->server = fk_test_server_new (dir, uri);
  fk_test_server_start (f->server, NULL);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->base);

  fk_test_server_free (f->server);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (f->base);
}

static FkEnrollCode *
invite (Fixture *f, const char *name)
{
  g_autofree char *out =
    fk_test_server_ctl (f->server, 0, "device", "invite", "--commune", "00004", "--name", name,
                        "--url", f->server->url, "--json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  FkEnrollCode *code;

  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  code = fk_enroll_code_parse (
    json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "code"),
    &error);
  g_assert_no_error (error);
  return code;
}

static FkDeviceKey *
new_device_key (Fixture *f, guint i)
{
  g_autofree char *name = g_strdup_printf ("device-%u", i);
  g_autofree char *dir = g_build_filename (f->base, name, NULL);
  g_autoptr (GError) error = NULL;
  FkDeviceKey *key;

  g_mkdir_with_parents (dir, 0700);
  key = fk_device_key_create (dir, &error);
  g_assert_no_error (error);
  return key;
}

static FkSyncResponse *
enroll_raw (Fixture *f, FkDeviceKey *key, const char *body)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FkSyncClient) client = fk_sync_client_new (f->server->url, key, 10, &error);
  g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

  g_assert_no_error (error);
  return fk_sync_client_send (client, "POST", FK_ENROLL_ROUTE, bytes, NULL, NULL, NULL);
}

static FkSyncResponse *
enroll (Fixture *f, FkDeviceKey *key, const FkEnrollCode *code)
{
  g_autofree char *body = fk_enroll_request_to_json (code, NULL);

  return enroll_raw (f, key, body);
}

static gint64
count (Fixture *f, const char *sql)
{
  return fk_test_server_query_int (f->server, sql);
}

/* The answer is signed by the code's server and names the device, its
 * commune and name; the device is then an enrolled device like any other. */
static void
test_enroll_once (Fixture *f, gconstpointer data)
{
  g_autoptr (FkEnrollCode) code = invite (f, "tablet-07");
  FkDeviceKey *key = new_device_key (f, 0);
  g_autofree char *device = fk_device_key_get_public_key_base64 (key);
  g_autoptr (FkSyncResponse) r = enroll (f, key, code);
  g_autoptr (FkSyncResponse) again = NULL;
  g_autoptr (FkSyncResponse) pull = NULL;
  g_autoptr (FkEnrollAnswer) answer = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FkSyncClient) client = NULL;
  gsize len = 0;
  const char *body;

  g_assert_cmpuint (r->status, ==, 200);
  body = g_bytes_get_data (r->body, &len);
  answer = fk_enroll_answer_verify (
    body, len, soup_message_headers_get_one (r->headers, "FK-Receipt-Signature"),
    f->server->verify_key, device, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (answer->commune, ==, "00004");
  g_assert_cmpstr (answer->name, ==, "tablet-07");
  g_assert_cmpint (count (f, "SELECT count(*) FROM devices WHERE name = 'tablet-07'"
                             " AND commune = '00004'"),
                   ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM invitations WHERE used_at > 0"), ==, 1);

  /* Enrolled: its signed requests are served. */
  client = fk_sync_client_new (f->server->url, key, 10, &error);
  pull = fk_sync_client_send (client, "GET", "/v1/pull", NULL, NULL, NULL, NULL);
  g_assert_cmpuint (pull->status, ==, 200);

  /* The same token again, from another device: refused, nothing added. */
  {
    FkDeviceKey *other = new_device_key (f, 1);

    again = enroll (f, other, code);
    g_assert_cmpuint (again->status, ==, 403);
    g_assert_cmpstr (again->error_code, ==, FK_ENROLL_CODE_USED);
    fk_device_key_free (other);
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM devices"), ==, 1);
  fk_device_key_free (key);
}

typedef struct
{
  Fixture *f;
  const FkEnrollCode *code;
  FkDeviceKey *key;
  guint status;
  char *error_code;
  gint *start;
} Racer;

static gpointer
race (gpointer data)
{
  Racer *racer = data;
  g_autoptr (FkSyncResponse) r = NULL;

  while (!g_atomic_int_get (racer->start))
    g_thread_yield ();
  r = enroll (racer->f, racer->key, racer->code);
  racer->status = r->status;
  racer->error_code = g_strdup (r->error_code);
  return NULL;
}

/* Devices presenting one token at the same moment: the database decides,
 * exactly one is enrolled and the others are told it was used. */
static void
test_race (Fixture *f, gconstpointer data)
{
  g_autoptr (FkEnrollCode) code = invite (f, "tablet-race");
  Racer racers[RACERS] = { 0 };
  GThread *threads[RACERS];
  gint start = 0;
  guint won = 0;

  for (guint i = 0; i < RACERS; i++)
    {
      racers[i].f = f;
      racers[i].code = code;
      racers[i].key = new_device_key (f, i);
      racers[i].start = &start;
      threads[i] = g_thread_new ("racer", race, &racers[i]);
    }
  g_atomic_int_set (&start, 1);
  for (guint i = 0; i < RACERS; i++)
    {
      g_thread_join (threads[i]);
      if (racers[i].status == 200)
        won++;
      else
        {
          g_assert_cmpuint (racers[i].status, ==, 403);
          g_assert_cmpstr (racers[i].error_code, ==, FK_ENROLL_CODE_USED);
        }
      g_free (racers[i].error_code);
      fk_device_key_free (racers[i].key);
    }
  g_assert_cmpuint (won, ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM devices"), ==, 1);
}

/* Expired, unknown (an altered token), another server's, a device that
 * is enrolled already: each refused with its own code, and afterwards the
 * invitation is still unused and no device was added. */
static void
test_refusals_change_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr (FkEnrollCode) code = invite (f, "tablet-08");
  FkDeviceKey *key = new_device_key (f, 0);
  FkDeviceKey *enrolled = new_device_key (f, 1);
  g_autofree char *enrolled_b64 = fk_device_key_get_public_key_base64 (enrolled);
  g_autofree char *fake_token = fk_enroll_token_new ();
  g_autofree char *verify = fk_sync_key_to_base64 (f->server->verify_key);
  guint8 other_key[32];
  g_autofree char *other_b64 = NULL;
  struct
  {
    char *body;
    guint status;
    const char *code;
  } cases[3];

  randombytes_buf (other_key, sizeof other_key);
  other_b64 = fk_sync_key_to_base64 (other_key);
  cases[0].body = g_strdup_printf ("{\"token\": \"%s\", \"server\": \"%s\"}", fake_token, verify);
  cases[0].status = 403;
  cases[0].code = FK_ENROLL_CODE_UNKNOWN;
  cases[1].body =
    g_strdup_printf ("{\"token\": \"%s\", \"server\": \"%s\"}", code->token, other_b64);
  cases[1].status = 403;
  cases[1].code = FK_ENROLL_CODE_OTHER_SERVER;
  cases[2].body = g_strdup ("{\"token\": 7}");
  cases[2].status = 400;
  cases[2].code = "malformed";
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (FkSyncResponse) r = enroll_raw (f, key, cases[i].body);

      g_assert_cmpuint (r->status, ==, cases[i].status);
      g_assert_cmpstr (r->error_code, ==, cases[i].code);
      g_free (cases[i].body);
    }

  /* Already enrolled by key: the token is rolled back, still usable. */
  g_free (fk_test_server_ctl (f->server, 0, "device", "add", "--pubkey", enrolled_b64, "--name",
                              "old", NULL));
  {
    g_autoptr (FkSyncResponse) r = enroll (f, enrolled, code);

    g_assert_cmpuint (r->status, ==, 409);
    g_assert_cmpstr (r->error_code, ==, FK_ENROLL_CODE_ENROLLED);
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM invitations WHERE used_at = 0"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM devices"), ==, 1);

  /* Past its time. */
  fk_test_server_exec (f->server, "UPDATE invitations SET expires_at = 1000");
  {
    g_autoptr (FkSyncResponse) r = enroll (f, key, code);

    g_assert_cmpuint (r->status, ==, 403);
    g_assert_cmpstr (r->error_code, ==, FK_ENROLL_CODE_EXPIRED);
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM invitations WHERE used_at = 0"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM devices"), ==, 1);

  /* Unsigned: refused before the body is read. */
  {
    g_autoptr (SoupSession) session = soup_session_new ();
    g_autofree char *url = g_strdup_printf ("%sv1/enroll", f->server->url);
    g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
    g_autoptr (GBytes) reply = NULL;
    g_autoptr (GBytes) empty = g_bytes_new_static ("{}", 2);

    soup_message_set_request_body_from_bytes (msg, "application/json", empty);
    reply = soup_session_send_and_read (session, msg, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
  }
  fk_device_key_free (key);
  fk_device_key_free (enrolled);
}

int
main (int argc, char **argv)
{
  int status;

  if (argc > 1 && strcmp (argv[argc - 1], "--postgresql") == 0)
    {
      g_autofree char *reason = NULL;

      argv[--argc] = NULL;
      postgresql = TRUE;
      if (!fk_test_pg_start (&reason))
        {
          g_print ("1..0 # SKIP %s\n", reason);
          return 77;
        }
    }
  if (sodium_init () < 0)
    return 1;
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/server/enroll/once", Fixture, NULL, setup, test_enroll_once, teardown);
  g_test_add ("/server/enroll/race", Fixture, NULL, setup, test_race, teardown);
  g_test_add ("/server/enroll/refusals-change-nothing", Fixture, NULL, setup,
              test_refusals_change_nothing, teardown);
  status = g_test_run ();
  if (postgresql)
    fk_test_pg_stop ();
  return status;
}
