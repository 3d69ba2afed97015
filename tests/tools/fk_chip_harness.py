"""fk_chip_harness: what the chip tests share besides pcscd (fk_pcscd).

A test PKI made with openssl (a CSCA, a document signer it issued, another
CSCA, an expired signer), portraits in JPEG and JPEG 2000, and our card
emulator (fk_chip_card.py) behind vpcd, started with a card description.
Used by tests/hw/test-card-reader.py, tests/app/test_intake_chip.py and
bench/bench-chip.py.
"""

# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import subprocess

import fk_pcscd

EMULATOR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fk_chip_card.py')
PY = '/usr/bin/python3'


def run(*args, cwd=None):
    r = subprocess.run(args, capture_output=True, text=True, cwd=cwd)
    if r.returncode != 0:
        raise AssertionError('%s: %s' % (' '.join(args), r.stderr))
    return r


def make_pki(tmp):
    '''A CSCA, a document signer it issued, another CSCA, an expired DS.'''
    d = os.path.join(tmp, 'pki')
    os.makedirs(os.path.join(d, 'trust'))
    os.makedirs(os.path.join(d, 'wrong'))
    os.makedirs(os.path.join(d, 'newcerts'))
    ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']
    ca_ext = ['-addext', 'basicConstraints=critical,CA:TRUE',
              '-addext', 'keyUsage=critical,keyCertSign,cRLSign']
    for name, cn in (('csca', 'Test CSCA'), ('wrong-csca', 'Other CSCA')):
        run('openssl', 'req', '-x509', *ec, '-keyout', f'{d}/{name}.key', '-out',
            f'{d}/{name}.pem', '-days', '3650', '-subj', f'/C=VN/O=FieldKit test/CN={cn}',
            *ca_ext)
    run('openssl', 'req', '-new', *ec, '-keyout', f'{d}/ds.key', '-out', f'{d}/ds.csr',
        '-subj', '/C=VN/O=FieldKit test/CN=Test DS')
    with open(f'{d}/ca.cnf', 'w') as f:
        f.write(f'''[ca]
default_ca = ca_default
[ca_default]
database = {d}/index.txt
new_certs_dir = {d}/newcerts
serial = {d}/serial
default_md = sha256
policy = policy_any
x509_extensions = ds_ext
unique_subject = no
[policy_any]
commonName = supplied
[ds_ext]
keyUsage = critical,digitalSignature
''')
    open(f'{d}/index.txt', 'w').close()
    with open(f'{d}/serial', 'w') as f:
        f.write('1000\n')
    ca = ['openssl', 'ca', '-batch', '-notext', '-config', f'{d}/ca.cnf', '-cert',
          f'{d}/csca.pem', '-keyfile', f'{d}/csca.key', '-in', f'{d}/ds.csr']
    run(*ca, '-out', f'{d}/ds.pem', '-days', '365')
    run(*ca, '-out', f'{d}/ds-expired.pem', '-startdate', '20200101000000Z', '-enddate',
        '20210101000000Z')
    os.link(f'{d}/csca.pem', f'{d}/trust/csca.pem')
    os.link(f'{d}/wrong-csca.pem', f'{d}/wrong/other.pem')
    return d


def make_portraits(tmp):
    '''A JPEG and a JPEG 2000 portrait, 240×320.'''
    import gi
    gi.require_version('GdkPixbuf', '2.0')
    from gi.repository import GdkPixbuf, GLib
    w, h = 240, 320
    pixels = bytearray()
    for y in range(h):
        for x in range(w):
            pixels += bytes(((x * 255) // w, (y * 255) // h, 128))
    pb = GdkPixbuf.Pixbuf.new_from_bytes(GLib.Bytes.new(bytes(pixels)),
                                         GdkPixbuf.Colorspace.RGB, False, 8, w, h, w * 3)
    jpeg = os.path.join(tmp, 'portrait.jpg')
    png = os.path.join(tmp, 'portrait.png')
    jp2 = os.path.join(tmp, 'portrait.jp2')
    pb.savev(jpeg, 'jpeg', ['quality'], ['80'])
    pb.savev(png, 'png', [], [])
    run('opj_compress', '-i', png, '-o', jp2, '-r', '20')
    return jpeg, jp2


class Emulator:
    def __init__(self, pcscd, pki, card, portrait, tmp, ds='ds.pem', extra=()):
        self.stats = os.path.join(tmp, 'card-stats.json')
        spec = os.path.join(tmp, 'card.json')
        with open(spec, 'w', encoding='utf-8') as f:
            json.dump(card, f, ensure_ascii=False)
        if os.path.exists(self.stats):
            os.unlink(self.stats)
        self.proc = subprocess.Popen(
            [PY, EMULATOR, '--port', str(pcscd.port), '--card', spec, '--portrait', portrait,
             '--ds-cert', os.path.join(pki, ds), '--ds-key', os.path.join(pki, 'ds.key'),
             '--stats', self.stats, *extra])

    def read_stats(self):
        with open(self.stats) as f:
            return json.load(f)

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        fk_pcscd.wait_card(present=False)
