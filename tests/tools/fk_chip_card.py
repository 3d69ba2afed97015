"""fk_chip_card: a CCCD chip for tests, behind vsmartcard's vpcd reader.

Speaks vpcd's socket protocol (2-byte big-endian length, then one control
byte: 0 off, 1 on, 2 reset, 4 ATR; or a command APDU) as the card, with:

- the eMRTD application A0000002471001, EF.COM, DG1 (TD1 zone), DG2
  (ISO/IEC 19794-5 portrait, JPEG or JPEG 2000), DG13 (Vietnamese data,
  laid out as public readers of these cards report) and EF.SOD: a CMS
  SignedData over the data-group hashes, signed with `openssl cms` by a
  document signer the test made;
- BAC with the key from the last 9 digits of the ID, the birth and the
  expiry dates (counting the failed attempts, as a real chip would);
- PACE-CAN (ECDH generic mapping on P-256, AES-128) when asked, offered
  in EF.CardAccess;
- secure messaging with 3DES (BAC) or AES (PACE).

It writes what it saw to a stats file (JSON) after each command, and can
leave the reader after a given number of commands (a card taken away).

Only /usr/bin/python3 with Debian's python3-cryptography.
"""

import argparse
import hashlib
import json
import os
import secrets
import socket
import struct
import subprocess
import sys
import tempfile
import time

from cryptography.hazmat.primitives import cmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

AID = bytes.fromhex("A0000002471001")
ATR = bytes.fromhex("3B8880014241434B4D52544414")
LDS_OID = "2.23.136.1.1.1"
PACE_AES128_OID = bytes.fromhex("04007F00070202040202")

# DER ------------------------------------------------------------------


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, value):
    t = tag.to_bytes((tag.bit_length() + 7) // 8 or 1, "big")
    return t + der_len(len(value)) + value


def der_int(n):
    b = n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big")
    return tlv(0x02, b)


def der_oid(text):
    parts = [int(p) for p in text.split(".")]
    out = bytes([parts[0] * 40 + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.insert(0, 0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(chunk)
    return tlv(0x06, out)


def utf8(s):
    return tlv(0x0C, s.encode("utf-8"))


def parse_tlvs(data):
    out, i = [], 0
    while i < len(data):
        tag = data[i]
        i += 1
        if tag & 0x1F == 0x1F:
            tag = (tag << 8) | data[i]
            i += 1
        n = data[i]
        i += 1
        if n & 0x80:
            k = n & 0x7F
            n = int.from_bytes(data[i : i + k], "big")
            i += k
        out.append((tag, data[i : i + n]))
        i += n
    return out


# MRZ and data groups --------------------------------------------------


def check_digit(s):
    def v(c):
        if c.isdigit():
            return int(c)
        if c == "<":
            return 0
        return ord(c) - 55

    return str(sum(v(c) * (7, 3, 1)[i % 3] for i, c in enumerate(s)) % 10)


def yymmdd(iso):
    if iso is None:
        return "<<<<<<"
    return iso[2:4] + iso[5:7] + iso[8:10]


def dmy(iso):
    return iso[8:10] + "/" + iso[5:7] + "/" + iso[0:4]


def make_mrz(card):
    number = card["id"][3:]
    # the whole ID, two fillers and its check digit in the optional data
    line1 = "IDVNM" + number + check_digit(number) + card["id"] + "<<" + check_digit(card["id"])
    birth, expiry = yymmdd(card["birth"]), yymmdd(card.get("expiry"))
    line2 = birth + check_digit(birth) + card["sex_mrz"] + expiry + check_digit(expiry) + "VNM"
    line2 += "<" * 11
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    line2 += check_digit(composite)
    line3 = (card["name_mrz"] + "<" * 30)[:30]
    assert len(line1) == 30 and len(line2) == 30
    return line1 + line2 + line3


def make_dg1(card):
    return tlv(0x61, tlv(0x5F1F, make_mrz(card).encode("ascii")))


def make_dg13(card):
    d = card["dg13"]
    fields = [
        (1, card["id"]), (2, d["full_name"]), (3, dmy(card["birth"])), (4, d["sex"]),
        (5, d["nationality"]), (6, d["ethnicity"]), (7, d["religion"]),
        (8, d["place_of_origin"]), (9, d["place_of_residence"]),
        (10, d["identification_marks"]), (11, dmy(card["issued"])),
        (12, dmy(card["expiry"]) if card.get("expiry") else "Không thời hạn"),
    ]
    entries = [tlv(0x30, der_int(n) + utf8(v)) for n, v in fields]
    entries.append(tlv(0x30, der_int(13) + tlv(0x30, utf8(d["father_name"]) + utf8(d["mother_name"]))))
    if d.get("spouse_name"):
        entries.append(tlv(0x30, der_int(14) + tlv(0x30, utf8(d["spouse_name"]))))
    if d.get("old_id_number"):
        entries.append(tlv(0x30, der_int(card.get("old_id_entry", 15)) + utf8(d["old_id_number"])))
    content = der_int(1) + der_oid("1.0.10646.1.0.8") + tlv(0x31, b"".join(entries))
    return tlv(0x6D, tlv(0x30, content))


def make_dg2(image, jpeg2000, width, height):
    info = bytes([1, 1 if jpeg2000 else 0]) + struct.pack(">HH", width, height) + bytes([1, 2]) + b"\0\0\0\0"
    record = struct.pack(">IH", 20 + len(info) + len(image), 0) + bytes(14) + info + image
    block = b"FAC\0" + b"010\0" + struct.pack(">IH", 14 + len(record), 1) + record
    header = tlv(0xA1, tlv(0x80, b"\x01\x01") + tlv(0x87, b"\x01\x01") + tlv(0x88, b"\x00\x08"))
    return tlv(0x75, tlv(0x7F61, der_int(1) + tlv(0x7F60, header + tlv(0x5F2E, block))))


def make_sod(groups, ds_cert, ds_key, workdir):
    hashes = b"".join(
        tlv(0x30, der_int(n) + tlv(0x04, hashlib.sha256(data).digest())) for n, data in sorted(groups.items())
    )
    lds = tlv(0x30, der_int(0) + tlv(0x30, der_oid("2.16.840.1.101.3.4.2.1")) + tlv(0x30, hashes))
    src = os.path.join(workdir, "lds.der")
    out = os.path.join(workdir, "sod.der")
    with open(src, "wb") as f:
        f.write(lds)
    subprocess.run(
        ["openssl", "cms", "-sign", "-binary", "-nodetach", "-outform", "DER", "-in", src,
         "-out", out, "-econtent_type", LDS_OID, "-md", "sha256", "-signer", ds_cert,
         "-inkey", ds_key, "-nosmimecap"],
        check=True,
    )
    with open(out, "rb") as f:
        return tlv(0x77, f.read())


# crypto ---------------------------------------------------------------


def des3(key, data, encrypt, iv=bytes(8)):
    c = Cipher(algorithms.TripleDES(key), modes.CBC(iv))
    op = c.encryptor() if encrypt else c.decryptor()
    return op.update(data) + op.finalize()


def aes(key, data, encrypt, iv=bytes(16), ecb=False):
    c = Cipher(algorithms.AES(key), modes.ECB() if ecb else modes.CBC(iv))
    op = c.encryptor() if encrypt else c.decryptor()
    return op.update(data) + op.finalize()


def pad(data, block):
    data += b"\x80"
    while len(data) % block:
        data += b"\0"
    return data


def unpad(data):
    data = data.rstrip(b"\0")
    assert data.endswith(b"\x80")
    return data[:-1]


def retail_mac(key, data):
    h = bytes(8)
    for i in range(0, len(data), 8):
        h = des3(key[:8], bytes(a ^ b for a, b in zip(data[i : i + 8], h)), True)
    h = des3(key[8:16], h, False)
    return des3(key[:8], h, True)


def aes_cmac(key, data):
    c = cmac.CMAC(algorithms.AES(key))
    c.update(data)
    return c.finalize()[:8]


def kdf(secret, counter):
    return hashlib.sha1(secret + counter.to_bytes(4, "big")).digest()[:16]


# P-256, affine, for PACE's generic mapping -----------------------------

P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
A = P - 3
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
G = (
    0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
    0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5,
)


def ec_add(p, q):
    if p is None:
        return q
    if q is None:
        return p
    if p[0] == q[0] and (p[1] + q[1]) % P == 0:
        return None
    if p == q:
        m = (3 * p[0] * p[0] + A) * pow(2 * p[1], -1, P)
    else:
        m = (q[1] - p[1]) * pow(q[0] - p[0], -1, P)
    x = (m * m - p[0] - q[0]) % P
    return (x, (m * (p[0] - x) - p[1]) % P)


def ec_mul(k, p):
    r = None
    while k:
        if k & 1:
            r = ec_add(r, p)
        p = ec_add(p, p)
        k >>= 1
    return r


def point_bytes(p):
    return b"\x04" + p[0].to_bytes(32, "big") + p[1].to_bytes(32, "big")


def point_from(b):
    assert len(b) == 65 and b[0] == 4
    return (int.from_bytes(b[1:33], "big"), int.from_bytes(b[33:], "big"))


# the card -------------------------------------------------------------


class SecureMessaging:
    def __init__(self, use_aes, k_enc, k_mac, ssc):
        self.aes, self.k_enc, self.k_mac, self.ssc = use_aes, k_enc, k_mac, ssc
        self.block = 16 if use_aes else 8

    def mac(self, data):
        data = self.ssc.to_bytes(self.block, "big") + data
        if self.aes:
            return aes_cmac(self.k_mac, pad(data, 16))
        return retail_mac(self.k_mac, pad(data, 8))

    def iv(self):
        if not self.aes:
            return bytes(8)
        return aes(self.k_enc, self.ssc.to_bytes(16, "big"), True, ecb=True)

    def crypt(self, data, encrypt):
        if self.aes:
            return aes(self.k_enc, data, encrypt, self.iv())
        return des3(self.k_enc, data, encrypt)

    def unwrap(self, apdu):
        """Returns (header, data, le) or None when the MAC is wrong."""
        self.ssc += 1
        objs = parse_tlvs(apdu[5:-1] if len(apdu) > 5 else b"")
        body, data, le, mac = b"", b"", None, None
        for tag, value in objs:
            if tag == 0x87:
                body += tlv(0x87, value)
                data = unpad(self.crypt(value[1:], False))
            elif tag == 0x97:
                body += tlv(0x97, value)
                le = value
            elif tag == 0x8E:
                mac = value
        header = pad(apdu[:4], self.block)
        if mac != self.mac(header + body):
            return None
        return apdu[:4], data, le

    def wrap(self, data, sw):
        self.ssc += 1
        body = b""
        if data:
            body += tlv(0x87, b"\x01" + self.crypt(pad(data, self.block), True))
        body += tlv(0x99, sw.to_bytes(2, "big"))
        return body + tlv(0x8E, self.mac(body)) + b"\x90\x00"


class Card:
    def __init__(self, spec, files, pace, stats_path):
        self.spec = spec
        self.files = files
        self.pace = pace
        self.stats_path = stats_path
        self.stats = {"apdus": 0, "bac_failures": 0, "bac_successes": 0, "pace_successes": 0,
                      "pace_failures": 0, "files_read": []}
        if pace:
            info = tlv(0x30, tlv(0x06, PACE_AES128_OID) + der_int(2) + der_int(12))
            self.card_access = tlv(0x31, info)
        self.reset()

    def reset(self):
        self.applet = False
        self.sm = None
        self.current = None
        self.rnd_ic = None
        self.pace_state = None

    def save_stats(self):
        if not self.stats_path:
            return
        tmp = self.stats_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.stats, f)
        os.replace(tmp, self.stats_path)

    def bac_keys(self):
        number = self.spec["id"][3:]
        birth, expiry = yymmdd(self.spec["birth"]), yymmdd(self.spec.get("expiry"))
        text = number + check_digit(number) + birth + check_digit(birth) + expiry + check_digit(expiry)
        seed = hashlib.sha1(text.encode()).digest()[:16]
        return kdf(seed, 1), kdf(seed, 2)

    def command(self, apdu):
        self.stats["apdus"] += 1
        try:
            if apdu[0] & 0x0C == 0x0C and self.sm is not None:
                return self.protected(apdu)
            self.sm = None if apdu[1] not in (0x86,) else self.sm
            return self.plain(apdu)
        finally:
            self.save_stats()

    def plain(self, apdu):
        ins, p1, p2 = apdu[1], apdu[2], apdu[3]
        if ins == 0xA4 and p1 == 0x04:
            lc = apdu[4]
            if apdu[5 : 5 + lc] == AID:
                self.applet = True
                self.sm = None
                return b"\x90\x00"
            return b"\x6A\x82"
        if ins == 0xA4 and p1 == 0x02:
            fid = int.from_bytes(apdu[5:7], "big")
            if fid == 0x011C and self.pace and not self.applet:
                self.current = self.card_access
                return b"\x90\x00"
            if self.applet:
                return b"\x69\x82"  # security status not satisfied
            return b"\x6A\x82"
        if ins == 0xB0 and self.current is not None and not self.applet:
            return self.read_binary(p1, p2, apdu[4]) + b"\x90\x00"
        if ins == 0x84:
            self.rnd_ic = secrets.token_bytes(8)
            return self.rnd_ic + b"\x90\x00"
        if ins == 0x82 and self.applet:
            return self.mutual_authenticate(apdu[5:45])
        if ins == 0x22 and self.pace:
            self.pace_state = {}
            return b"\x90\x00"
        if ins == 0x86 and self.pace and self.pace_state is not None:
            return self.general_authenticate(apdu)
        return b"\x69\x82"

    def mutual_authenticate(self, data):
        k_enc, k_mac = self.bac_keys()
        if self.rnd_ic is None or retail_mac(k_mac, pad(data[:32], 8)) != data[32:40]:
            self.stats["bac_failures"] += 1
            return b"\x63\x00"
        plain = des3(k_enc, data[:32], False)
        rnd_ifd, rnd_ic, k_ifd = plain[:8], plain[8:16], plain[16:32]
        if rnd_ic != self.rnd_ic:
            self.stats["bac_failures"] += 1
            return b"\x63\x00"
        k_ic = secrets.token_bytes(16)
        answer = des3(k_enc, rnd_ic + rnd_ifd + k_ic, True)
        answer += retail_mac(k_mac, pad(answer, 8))
        seed = bytes(a ^ b for a, b in zip(k_ifd, k_ic))
        ssc = int.from_bytes(rnd_ic[4:] + rnd_ifd[4:], "big")
        self.sm = SecureMessaging(False, kdf(seed, 1), kdf(seed, 2), ssc)
        self.stats["bac_successes"] += 1
        return answer + b"\x90\x00"

    def general_authenticate(self, apdu):
        st = self.pace_state
        dyn = dict(parse_tlvs(parse_tlvs(apdu[5 : 5 + apdu[4]])[0][1]))
        if "s" not in st:
            st["s"] = secrets.token_bytes(16)
            k_pi = kdf(self.spec["id"][6:].encode(), 3)
            return tlv(0x7C, tlv(0x80, aes(k_pi, st["s"], True))) + b"\x90\x00"
        if "g2" not in st:
            sk_map = secrets.randbelow(N - 1) + 1
            h = ec_mul(sk_map, point_from(dyn[0x81]))
            st["g2"] = ec_add(ec_mul(int.from_bytes(st["s"], "big"), G), h)
            return tlv(0x7C, tlv(0x82, point_bytes(ec_mul(sk_map, G)))) + b"\x90\x00"
        if "k" not in st:
            sk = secrets.randbelow(N - 1) + 1
            st["pk_ifd"] = dyn[0x83]
            st["pk_ic"] = point_bytes(ec_mul(sk, st["g2"]))
            shared = ec_mul(sk, point_from(dyn[0x83]))
            st["k"] = shared[0].to_bytes(32, "big")
            return tlv(0x7C, tlv(0x84, st["pk_ic"])) + b"\x90\x00"
        ks_enc, ks_mac = kdf(st["k"], 1), kdf(st["k"], 2)

        def token(point):
            return aes_cmac(ks_mac, tlv(0x7F49, tlv(0x06, PACE_AES128_OID) + tlv(0x86, point)))

        if dyn.get(0x85) != token(st["pk_ic"]):
            self.stats["pace_failures"] += 1
            self.pace_state = None
            return b"\x63\x00"
        self.sm = SecureMessaging(True, ks_enc, ks_mac, 0)
        self.stats["pace_successes"] += 1
        self.pace_state = None
        return tlv(0x7C, tlv(0x86, token(st["pk_ifd"]))) + b"\x90\x00"

    def read_binary(self, p1, p2, le):
        offset = (p1 << 8) | p2
        le = le or 256
        return self.current[offset : offset + le]

    def protected(self, apdu):
        sm = self.sm
        inner = sm.unwrap(apdu)
        if inner is None:
            self.sm = None
            return b"\x69\x88"
        header, data, le = inner
        ins = header[1]
        if ins == 0xA4 and header[2] == 0x04:
            if data == AID:
                self.applet = True
                return sm.wrap(b"", 0x9000)
            return sm.wrap(b"", 0x6A82)
        if ins == 0xA4:
            fid = int.from_bytes(data, "big")
            if fid in self.files:
                self.current = self.files[fid]
                if fid not in self.stats["files_read"]:
                    self.stats["files_read"].append(fid)
                return sm.wrap(b"", 0x9000)
            return sm.wrap(b"", 0x6A82)
        if ins == 0xB0 and self.current is not None:
            n = le[0] if le else 0
            return sm.wrap(self.read_binary(header[2], header[3], n), 0x9000)
        return sm.wrap(b"", 0x6D00)


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        # vpcd writes the length and the APDU in two segments: acknowledge at
        # once, or Nagle holds the second back for a delayed ACK (40 ms)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError
        data += chunk
    return data


def serve(card, port, remove_after, delay):
    for _ in range(200):
        try:
            sock = socket.create_connection(("127.0.0.1", port))
            break
        except OSError:
            time.sleep(0.05)
    else:
        sys.exit("vpcd is not listening on port %d" % port)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        while True:
            (n,) = struct.unpack(">H", recv_exact(sock, 2))
            msg = recv_exact(sock, n)
            if n == 1:
                if msg[0] == 4:
                    sock.sendall(struct.pack(">H", len(ATR)) + ATR)
                elif msg[0] in (0, 2):
                    card.reset()
                continue
            if remove_after and card.stats["apdus"] >= remove_after:
                break  # the card leaves the field before answering
            if delay:
                time.sleep(delay / 1000.0)  # a slow chip, or a weak field
            r = card.command(msg)
            sock.sendall(struct.pack(">H", len(r)) + r)
    except ConnectionError:
        pass
    finally:
        sock.close()


def build_files(spec, args):
    with open(args.portrait, "rb") as f:
        image = f.read()
    files = {
        0x0101: make_dg1(spec),
        0x010D: make_dg13(spec),
        0x0102: make_dg2(image, args.portrait.endswith((".jp2", ".j2k")), 240, 320),
    }
    files[0x011E] = tlv(0x60, tlv(0x5F01, b"0107") + tlv(0x5F36, b"040000") + tlv(0x5C, b"\x61\x75\x6D"))
    with tempfile.TemporaryDirectory() as tmp:
        files[0x011D] = make_sod(
            {1: files[0x0101], 2: files[0x0102], 13: files[0x010D]}, args.ds_cert, args.ds_key, tmp
        )
    if args.tamper:
        # a data group changed after the issuer signed it
        dg13 = files[0x010D]
        old = spec["dg13"]["full_name"].encode("utf-8")
        files[0x010D] = dg13.replace(old, old[:-1] + bytes([old[-1] ^ 0x01]))
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--card", required=True, help="card description (JSON)")
    ap.add_argument("--portrait", required=True, help="JPEG or JPEG 2000 (.jp2) portrait")
    ap.add_argument("--ds-cert", required=True)
    ap.add_argument("--ds-key", required=True)
    ap.add_argument("--pace", action="store_true", help="offer PACE-CAN in EF.CardAccess")
    ap.add_argument("--tamper", action="store_true", help="alter DG13 after signing")
    ap.add_argument("--remove-after", type=int, default=0, help="leave after N commands")
    ap.add_argument("--stats", help="JSON file of what the card saw")
    ap.add_argument("--delay", type=int, default=0, help="milliseconds before each answer")
    args = ap.parse_args()
    with open(args.card, encoding="utf-8") as f:
        spec = json.load(f)
    card = Card(spec, build_files(spec, args), args.pace, args.stats)
    card.save_stats()
    serve(card, args.port, args.remove_after, args.delay)


if __name__ == "__main__":
    main()
