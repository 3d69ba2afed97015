#!/usr/bin/python3
# The office's accounts and sessions over HTTP, against the real
# fieldkit-server on SQLite and on PostgreSQL: `user add/list/disable/
# reset-password`, the login form, the session cookie, CSRF refusals that
# change nothing, lockout of an account and of an address, an expired
# session, and the security headers of every answer under /office/.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fkserver  # noqa: E402
from fkoffice import (PASSWORD, Browser, PostgreSQL, add_user, sqlite_query,  # noqa: E402
                      text_of)
from fkserver import SERVER, Server, run  # noqa: E402

PG = PostgreSQL()


def check_security_headers(test, response, where):
    csp = response.header("content-security-policy") or ""
    test.assertIn("frame-ancestors 'none'", csp, where)
    test.assertIn("script-src 'self'", csp, where)
    test.assertIn("default-src 'none'", csp, where)
    test.assertNotIn("unsafe-inline", csp, where)
    test.assertNotIn("unsafe-eval", csp, where)
    test.assertEqual(response.header("x-content-type-options"), "nosniff", where)
    test.assertEqual(response.header("referrer-policy"), "no-referrer", where)


class Accounts:
    """The tests, run on SQLite (Sqlite below) and PostgreSQL (Postgres)."""

    def setUp(self):
        self.tmp = fkserver.temp_dir()
        self.servers = []
        self.db = self.new_db()

    def tearDown(self):
        for server in self.servers:
            server.stop()
        self.tmp.cleanup()

    def serve(self, *args):
        server = Server(self.tmp.name, "--log-requests=false", "--address-rate-limit=0", *args,
                        db=self.db)
        self.servers.append(server)
        return server

    def ctl(self, *args, password=None, status=0):
        env = {"FIELDKIT_PASSWORD": password} if password is not None else {}
        r = run(SERVER, "--db", self.db, *args, env=env)
        self.assertEqual(r.returncode, status, r.stderr)
        return r

    def users(self):
        return {u["name"]: u for u in json.loads(self.ctl("user", "list", "--json").stdout)}

    def test_user_commands(self):
        add_user(self.db, "tiepnhan", "receiver", "00004")
        add_user(self.db, "giamsat", "supervisor")
        # A receiver without a commune, a short password, a name taken, a
        # bad role, a name that is not an account name: refused, with why.
        r = self.ctl("user", "add", "--name", "x1", "--role", "receiver", password=PASSWORD,
                     status=1)
        self.assertIn("--commune", r.stderr)
        r = self.ctl("user", "add", "--name", "x2", "--role", "admin", password="short",
                     status=1)
        self.assertIn("10", r.stderr)
        r = self.ctl("user", "add", "--name", "tiepnhan", "--role", "admin", password=PASSWORD,
                     status=1)
        self.assertIn("tiepnhan", r.stderr)
        self.ctl("user", "add", "--name", "x3", "--role", "boss", password=PASSWORD, status=2)
        self.ctl("user", "add", "--name", "Nguyễn", "--role", "admin", password=PASSWORD,
                 status=1)
        # No terminal and no FIELDKIT_PASSWORD: a clear refusal.
        r = run("setsid", SERVER, "--db", self.db, "user", "add", "--name", "x4", "--role",
                "admin")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("FIELDKIT_PASSWORD", r.stderr)
        users = self.users()
        self.assertEqual(sorted(users), ["giamsat", "tiepnhan"])
        self.assertEqual(users["tiepnhan"]["role"], "receiver")
        self.assertEqual(users["tiepnhan"]["commune"], "00004")
        self.assertEqual(users["giamsat"]["commune"], "")
        # Only an Argon2id hash is stored.
        stored = self.query("SELECT password FROM office_users WHERE name = 'tiepnhan'")
        self.assertTrue(stored.startswith("$argon2id$"), stored)
        self.assertNotIn(PASSWORD, stored)
        self.ctl("user", "disable", "--name", "nobody", status=1)
        self.ctl("user", "reset-password", "--name", "nobody", password=PASSWORD, status=1)

    def test_login_form_and_cookie(self):
        add_user(self.db, "tiepnhan", "receiver", "00004")
        server = self.serve()
        b = Browser(server)
        r = b.get("/office/account")
        self.assertEqual(r.status, 303)
        self.assertTrue(r.location().startswith("/office/login?next="), r.location())
        r = b.get("/office/login")
        self.assertEqual(r.status, 200)
        self.assertIn('lang="vi"', r.text)
        self.assertIn("Đăng nhập", text_of(r.text))
        # Exactly name and password: anything else is refused.
        r = b.request("POST", "/office/login",
                      fields={"name": "tiepnhan", "password": PASSWORD, "extra": "1"})
        self.assertEqual(r.status, 400)
        r = b.login("tiepnhan", "wrong password")
        self.assertEqual(r.status, 401)
        self.assertNotIn("set-cookie", r.headers)
        r = b.login("nobody-here", PASSWORD)
        self.assertEqual(r.status, 401)
        r = b.login("tiepnhan")
        self.assertEqual(r.status, 303)
        cookie = r.headers["set-cookie"][0]
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)
        self.assertNotIn("Secure", cookie)  # plain HTTP on loopback
        r = b.get("/office/account")
        self.assertEqual(r.status, 200)
        self.assertIn("tiepnhan", r.text)
        # A login's "next" never leaves the office.
        r = Browser(server).request("POST", "/office/login?next=https://evil.example/",
                                    fields={"name": "tiepnhan", "password": PASSWORD})
        self.assertEqual(r.location(), "/office/")
        r = Browser(server).request("POST", "/office/login?next=//evil.example/office/",
                                    fields={"name": "tiepnhan", "password": PASSWORD})
        self.assertEqual(r.location(), "/office/")
        # The cookie is Secure when asked to be (a TLS proxy in front).
        secure = self.serve("--office-secure-cookie=true")
        r = Browser(secure).login("tiepnhan")
        self.assertIn("Secure", r.headers["set-cookie"][0])
        self.assertTrue(r.headers["set-cookie"][0].startswith("__Host-fk_session="))

    def test_csrf_refusals_change_nothing(self):
        add_user(self.db, "tiepnhan", "receiver", "00004")
        server = self.serve()
        b = Browser(server)
        self.assertEqual(b.login("tiepnhan").status, 303)
        self.assertEqual(b.get("/office/account").status, 200)
        self.assertIsNotNone(b.csrf)
        change = {"current": PASSWORD, "new": "another-password-2", "again": "another-password-2"}
        # No token, a wrong one, a right one from another site: 403.
        r = b.post("/office/account/password", change, csrf=False)
        self.assertEqual(r.status, 403)
        r = b.post("/office/account/password", dict(change, csrf="x" * len(b.csrf)), csrf=False)
        self.assertEqual(r.status, 403)
        r = b.post("/office/account/password", change,
                   headers={"Origin": "http://evil.example"})
        self.assertEqual(r.status, 403)
        r = b.post("/office/account/password", change, headers={"Sec-Fetch-Site": "cross-site"})
        self.assertEqual(r.status, 403)
        r = b.post("/office/logout", csrf=False)
        self.assertEqual(r.status, 403)
        check_security_headers(self, r, "403")
        # Nothing changed: the session lives, the old password still works.
        self.assertEqual(b.get("/office/account").status, 200)
        self.assertEqual(Browser(server).login("tiepnhan").status, 303)
        # With the token the change is made, and every session ends.
        r = b.post("/office/account/password", change)
        self.assertEqual(r.status, 303)
        self.assertEqual(b.get("/office/account").status, 303)
        self.assertEqual(Browser(server).login("tiepnhan").status, 401)
        self.assertEqual(Browser(server).login("tiepnhan", "another-password-2").status, 303)
        # Logout with the token ends the session and clears the cookie.
        b = Browser(server)
        b.login("tiepnhan", "another-password-2")
        b.get("/office/account")
        sessions = int(self.query("SELECT count(*) FROM office_sessions"))
        r = b.post("/office/logout")
        self.assertEqual(r.status, 303)
        self.assertIn("Max-Age=0", r.headers["set-cookie"][0])
        self.assertEqual(int(self.query("SELECT count(*) FROM office_sessions")), sessions - 1)
        self.assertEqual(b.get("/office/account").status, 303)
        actions = self.query("SELECT action FROM office_audit ORDER BY id").split()
        self.assertEqual(actions.count("login"), 4)
        self.assertIn("logout", actions)
        self.assertIn("password", actions)

    def test_account_lockout(self):
        add_user(self.db, "tiepnhan", "receiver", "00004")
        server = self.serve("--office-lockout-failures=4", "--office-lockout-minutes=60")
        b = Browser(server)
        for _ in range(3):
            self.assertEqual(b.login("tiepnhan", "wrong-password").status, 401)
        # Slowed: the next attempt too soon is refused unread.
        r = b.login("tiepnhan")
        self.assertEqual(r.status, 429)
        retry = int(r.header("retry-after"))
        self.assertGreaterEqual(retry, 1)
        time.sleep(retry + 0.2)
        self.assertEqual(b.login("tiepnhan", "wrong-password").status, 401)
        # Locked now, even with the right password.
        r = b.login("tiepnhan")
        self.assertEqual(r.status, 429)
        self.assertGreater(int(r.header("retry-after")), 3000)
        self.assertIn("60", text_of(r.text))
        self.assertTrue(self.users()["tiepnhan"]["locked"])
        # An administrator's new password unlocks it.
        self.ctl("user", "reset-password", "--name", "tiepnhan", password="new-password-123")
        self.assertFalse(self.users()["tiepnhan"]["locked"])
        self.assertEqual(b.login("tiepnhan", "new-password-123").status, 303)

    def test_address_lockout(self):
        add_user(self.db, "tiepnhan", "receiver", "00004")
        server = self.serve("--office-address-failures=3", "--office-lockout-minutes=60")
        attacker = Browser(server, source="127.0.0.2")
        for name in ("a1", "a2", "a3"):
            self.assertEqual(attacker.login(name, "guess-guess").status, 401)
        # Any account, from that address: refused; from another: fine.
        r = attacker.login("tiepnhan")
        self.assertEqual(r.status, 429)
        self.assertIsNotNone(r.header("retry-after"))
        self.assertEqual(Browser(server, source="127.0.0.3").login("tiepnhan").status, 303)

    def test_expired_session(self):
        add_user(self.db, "tiepnhan", "receiver", "00004")
        server = self.serve("--office-session-idle-minutes=0.05")  # 3 s
        b = Browser(server)
        self.assertEqual(b.login("tiepnhan").status, 303)
        self.assertEqual(b.get("/office/account").status, 200)
        time.sleep(4)
        r = b.get("/office/account")
        self.assertEqual(r.status, 303)
        self.assertIn("expired=1", r.location())
        r = b.get(r.location())
        self.assertIn("lâu không dùng", text_of(r.text))
        self.assertEqual(self.query("SELECT count(*) FROM office_sessions"), "0")
        # A form sent after the session ended changes nothing.
        r = b.post("/office/logout")
        self.assertEqual(r.status, 403)
        self.assertIn("đăng nhập", text_of(r.text).lower())
        b2 = Browser(server)
        b2.login("tiepnhan")
        b2.get("/office/account")
        time.sleep(4)
        r = b2.post("/office/account/password",
                    {"current": PASSWORD, "new": "another-password-2",
                     "again": "another-password-2"})
        self.assertEqual(r.status, 403)
        self.assertIn("lâu không dùng", text_of(r.text))
        self.assertEqual(Browser(server).login("tiepnhan").status, 303)

    def test_disabled_account(self):
        add_user(self.db, "tiepnhan", "receiver", "00004")
        server = self.serve()
        b = Browser(server)
        b.login("tiepnhan")
        self.assertEqual(b.get("/office/account").status, 200)
        self.ctl("user", "disable", "--name", "tiepnhan")
        self.assertTrue(self.users()["tiepnhan"]["disabled"])
        self.assertEqual(b.get("/office/account").status, 303)
        self.assertEqual(Browser(server).login("tiepnhan").status, 401)

    def test_security_headers_everywhere(self):
        add_user(self.db, "tiepnhan", "receiver", "00004")
        server = self.serve()
        b = Browser(server)
        pages = [("GET", "/office"), ("GET", "/office/"), ("GET", "/office/login"),
                 ("GET", "/office/static/office.css"), ("GET", "/office/static/office.js"),
                 ("GET", "/office/static/../../etc/passwd"), ("GET", "/office/no-such-page"),
                 ("PUT", "/office/login"), ("HEAD", "/office/login"), ("DELETE", "/office/")]
        for method, path in pages:
            r = b.request(method, path)
            check_security_headers(self, r, "%s %s -> %d" % (method, path, r.status))
        self.assertEqual(b.get("/office/static/office.css").header("content-type"),
                         "text/css; charset=utf-8")
        b.login("tiepnhan")
        for path in ("/office/account", "/office/"):
            r = b.get(path)
            check_security_headers(self, r, path)
            self.assertEqual(r.header("cache-control"), "no-store")
        # No inline script or style anywhere in a page: the CSP would block it.
        page = b.get("/office/account").text
        self.assertNotRegex(page, r"<script(?![^>]*\bsrc=)")
        self.assertNotIn("style=", page)
        self.assertNotRegex(page, r"\son[a-z]+=")
        # English on request, kept in the browser.
        r = b.get("/office/lang?to=en&back=/office/account")
        self.assertEqual(r.location(), "/office/account")
        r = b.get("/office/account")
        self.assertIn('lang="en"', r.text)
        self.assertIn("My account", r.text)
        self.assertEqual(b.get("/office/lang?to=vi&back=https://evil.example").location(),
                         "/office/")


class Sqlite(Accounts, unittest.TestCase):
    def new_db(self):
        return os.path.join(self.tmp.name, "server.sqlite")

    def query(self, sql):
        return sqlite_query(self.db, sql)


@unittest.skipUnless(PG.available(), "needs root and the PostgreSQL server binaries")
class Postgres(Accounts, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        PG.start()

    @classmethod
    def tearDownClass(cls):
        PG.stop()

    def new_db(self):
        return PG.new_database()

    def query(self, sql):
        return PG.query(self.db, sql)


if __name__ == "__main__":
    unittest.main(verbosity=2)
