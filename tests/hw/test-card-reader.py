#!/usr/bin/python3
'''The chip ID card path end to end: fieldkit-ctl card read through the real
pcscd, vsmartcard's vpcd reader and our card emulator (tests/tools/
fk_chip_card.py), with a CSCA and document signer made here with openssl.

Checks the outcomes a user sees: read and verified; unverified with a wrong
or no CSCA, or an expired chain; failed when a data group was altered after
signing; access refused after at most 4 BAC tries (counted by the card);
a card taken off mid-read gives a clear error and no data; the expiry
prediction's tries; PACE-CAN with a JPEG 2000 portrait; no card; usage.'''

# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import signal
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.path.join(os.environ['FK_SOURCE_ROOT'], 'tests', 'tools'))
import fk_chip_harness  # noqa: E402
import fk_pcscd  # noqa: E402

CTL = os.path.join(os.environ['FK_BUILD_ROOT'], 'cli', 'fieldkit-ctl')
TMP = os.environ.get('FK_TEST_TMPDIR') or os.environ.get('TMPDIR', '/tmp')

IDENTITY = ['id_number', 'full_name', 'birth_date', 'sex', 'nationality', 'ethnicity',
            'religion', 'place_of_origin', 'place_of_residence', 'identification_marks',
            'issue_date', 'expiry_date', 'father_name', 'mother_name', 'spouse_name',
            'old_id_number', 'access', 'passive_authentication', 'reason']

# A made-up citizen.
CARD = {
    'id': '001089012345', 'birth': '1989-08-15', 'issued': '2021-04-20',
    'expiry': '2029-08-15', 'sex_mrz': 'M', 'name_mrz': 'NGUYEN<<VAN<AN',
    'dg13': {
        'full_name': 'Nguyễn Văn An', 'sex': 'Nam', 'nationality': 'Việt Nam',
        'ethnicity': 'Kinh', 'religion': 'Không',
        'place_of_origin': 'Xã Tân Hội, Đan Phượng, Hà Nội',
        'place_of_residence': 'Số 5, ngõ 10, phố Huế, Hai Bà Trưng, Hà Nội',
        'identification_marks': 'Nốt ruồi C:1cm dưới trước mép phải',
        'father_name': 'Nguyễn Văn Bình', 'mother_name': 'Trần Thị Cúc',
        'spouse_name': 'Lê Thị Dung', 'old_id_number': '123456789',
    },
}


def make_pki():
    '''A CSCA, a document signer it issued, another CSCA, an expired DS.'''
    return fk_chip_harness.make_pki(TMP)


def make_portraits():
    '''A JPEG and a JPEG 2000 portrait, 240×320.'''
    return fk_chip_harness.make_portraits(TMP)


def Emulator(pcscd, pki, card, portrait, **kw):
    return fk_chip_harness.Emulator(pcscd, pki, card, portrait, TMP, **kw)


def card_read(*extra, card=CARD, expect_exit=None, hw='sim'):
    args = [CTL, 'card', 'read', '--reader', fk_pcscd.READER, '--id', card['id'], '--birth',
            card['birth'], '--json', '--wait', '20', *extra]
    r = subprocess.run(args, capture_output=True, text=True, timeout=180, cwd=TMP,
                       env=dict(os.environ, FIELDKIT_LANG='en', FIELDKIT_HW=hw))
    if expect_exit is not None:
        assert r.returncode == expect_exit, (r.returncode, r.stdout, r.stderr)
    return json.loads(r.stdout), r


def assert_nothing_read(out):
    for member in IDENTITY:
        assert out[member] is None, (member, out[member])


class Suite:
    def __init__(self, pcscd, pki, jpeg, jp2):
        self.pcscd, self.pki, self.jpeg, self.jp2 = pcscd, pki, jpeg, jp2

    def emulator(self, card=CARD, portrait=None, **kw):
        return Emulator(self.pcscd, self.pki, card, portrait or self.jpeg, **kw)

    def test_read_verified(self):
        emu = self.emulator()
        try:
            photo = os.path.join(TMP, 'out.png')
            out, _ = card_read('--issued', CARD['issued'], '--csca',
                               os.path.join(self.pki, 'trust'), '--photo', photo, expect_exit=0)
            stats = emu.read_stats()
        finally:
            emu.close()
        d = CARD['dg13']
        assert out['passive_authentication'] == 'verified', out
        assert out['reason'] == 'trusted_chain'
        assert out['access'] == 'bac'
        assert out['error'] is None
        assert out['id_number'] == CARD['id']
        assert out['full_name'] == d['full_name']
        assert out['birth_date'] == '1989-08-15' and out['sex'] == 'male'
        assert out['issue_date'] == '2021-04-20' and out['expiry_date'] == '2029-08-15'
        for member in ('nationality', 'ethnicity', 'religion', 'place_of_origin',
                       'place_of_residence', 'identification_marks', 'father_name',
                       'mother_name', 'spouse_name', 'old_id_number'):
            assert out[member] == d[member], (member, out[member])
        # the predicted expiry opened the card at once
        assert stats['bac_failures'] == 0 and stats['bac_successes'] == 1, stats
        assert out['bac_tries'] == 1 and out['apdus'] == stats['apdus'], (out, stats)
        with open(photo, 'rb') as f:
            assert f.read(8) == b'\x89PNG\r\n\x1a\n'

    def test_pace_jpeg2000(self):
        emu = self.emulator(portrait=self.jp2, extra=['--pace'])
        try:
            photo = os.path.join(TMP, 'out-jp2.png')
            out, _ = card_read('--issued', CARD['issued'], '--csca',
                               os.path.join(self.pki, 'trust', 'csca.pem'), '--photo', photo,
                               expect_exit=0)
            stats = emu.read_stats()
        finally:
            emu.close()
        assert out['access'] == 'pace' and out['passive_authentication'] == 'verified', out
        assert stats['pace_successes'] == 1 and stats['bac_successes'] == 0, stats
        import gi
        gi.require_version('GdkPixbuf', '2.0')
        from gi.repository import GdkPixbuf
        pb = GdkPixbuf.Pixbuf.new_from_file(photo)
        assert (pb.get_width(), pb.get_height()) == (240, 320)

    def test_wrong_csca(self):
        for trust in (['--csca', os.path.join(self.pki, 'wrong')], []):
            emu = self.emulator()
            try:
                out, _ = card_read('--issued', CARD['issued'], *trust, expect_exit=1)
            finally:
                emu.close()
            assert out['passive_authentication'] == 'unverified', out
            assert out['reason'] == 'no_trusted_csca', out
            assert out['full_name'] == CARD['dg13']['full_name']

    def test_expired_chain(self):
        emu = self.emulator(ds='ds-expired.pem')
        try:
            out, _ = card_read('--issued', CARD['issued'], '--csca',
                               os.path.join(self.pki, 'trust'), expect_exit=1)
        finally:
            emu.close()
        assert out['passive_authentication'] == 'unverified', out
        assert out['reason'] == 'chain_expired', out

    def test_altered_after_signing(self):
        emu = self.emulator(extra=['--tamper'])
        try:
            out, _ = card_read('--issued', CARD['issued'], '--csca',
                               os.path.join(self.pki, 'trust'), expect_exit=1)
        finally:
            emu.close()
        assert out['passive_authentication'] == 'failed', out
        assert out['reason'] == 'hash_mismatch', out

    def test_wrong_birth_refused(self):
        emu = self.emulator()
        try:
            out, r = card_read('--issued', CARD['issued'], '--birth', '1989-08-16',
                               expect_exit=1)
            stats = emu.read_stats()
        finally:
            emu.close()
        assert out['error']['code'] == 'access_refused', out
        assert 'expiry date printed on the card' in out['error']['message']
        assert_nothing_read(out)
        # the card saw at most four attempts, and this one four
        assert stats['bac_failures'] == 4 and out['bac_tries'] == 4, (stats, out)
        assert stats['files_read'] == []

    def test_removed_mid_read(self):
        emu = self.emulator(extra=['--remove-after', '12'])
        try:
            out, _ = card_read('--issued', CARD['issued'], expect_exit=1)
        finally:
            emu.close()
        assert out['error']['code'] == 'card_removed', out
        assert 'taken off the reader' in out['error']['message']
        assert_nothing_read(out)

    def test_expiry_prediction(self):
        # issued at 23, within two years of 25: predicted 40; this card says 60
        card = dict(CARD, id='001099012346', birth='1999-08-15', issued='2022-08-16',
                    expiry='2059-08-15', name_mrz='TRAN<<THI<BE')
        emu = self.emulator(card=card)
        try:
            out, _ = card_read('--issued', card['issued'], card=card)
            stats = emu.read_stats()
        finally:
            emu.close()
        assert out['error'] is None and out['expiry_date'] == '2059-08-15', out
        assert stats['bac_failures'] == 1 and out['bac_tries'] == 2, (stats, out)

        # issued at 66: no expiry, first try
        card = dict(CARD, id='001055012347', birth='1955-01-10', issued='2021-05-05',
                    expiry=None, name_mrz='LE<<VAN<CU')
        emu = self.emulator(card=card)
        try:
            out, _ = card_read('--issued', card['issued'], card=card)
            stats = emu.read_stats()
        finally:
            emu.close()
        assert out['error'] is None and out['expiry_date'] is None and out['no_expiry'], out
        assert stats['bac_failures'] == 0, stats

        # the expiry typed from the card: exactly one try (and a reader named
        # is used whatever the backend)
        emu = self.emulator()
        try:
            out, _ = card_read('--expiry', CARD['expiry'], hw='real')
            stats = emu.read_stats()
        finally:
            emu.close()
        assert out['error'] is None and stats['bac_failures'] == 0 and out['bac_tries'] == 1

        emu = self.emulator()
        try:
            out, _ = card_read('--expiry', '2030-01-01', expect_exit=1)
            stats = emu.read_stats()
        finally:
            emu.close()
        assert out['error']['code'] == 'access_refused' and stats['bac_failures'] == 1

    def test_no_card(self):
        out, _ = card_read('--wait', '1', expect_exit=1)
        assert out['error']['code'] == 'no_card', out
        assert_nothing_read(out)

    def test_busy_and_cancelled(self):
        # a slow card: a second read while the first holds the reader is told so
        emu = self.emulator(extra=['--delay', '100'])
        try:
            args = [CTL, 'card', 'read', '--reader', fk_pcscd.READER, '--id', CARD['id'],
                    '--birth', CARD['birth'], '--issued', CARD['issued'], '--json', '--wait',
                    '20']
            first = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, cwd=TMP,
                                     env=dict(os.environ, FIELDKIT_LANG='en'))
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                if os.path.exists(emu.stats) and emu.read_stats()['apdus'] >= 3:
                    break
                time.sleep(0.05)
            second, _ = card_read('--issued', CARD['issued'], expect_exit=1)
            assert second['error']['code'] == 'reader_busy', second
            assert_nothing_read(second)
            # Ctrl-C stops the first between two commands
            first.send_signal(signal.SIGINT)
            out = json.loads(first.communicate(timeout=30)[0])
            assert first.returncode == 1, first.returncode
            assert out['error']['code'] == 'cancelled', out
            assert_nothing_read(out)
        finally:
            emu.close()

    def test_no_reader(self):
        # waiting for a reader not plugged in ends at the timeout, then says so
        r = subprocess.run([CTL, 'card', 'read', '--reader', 'No Such Reader 00 00', '--id',
                            CARD['id'], '--birth', CARD['birth'], '--json', '--wait', '2'],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 1, (r.returncode, r.stderr)
        out = json.loads(r.stdout)
        assert out['error']['code'] == 'no_reader', out

    def test_usage(self):
        for args in (['--birth', '1989-08-15'], ['--id', '12345', '--birth', '1989-08-15'],
                     ['--id', CARD['id'], '--birth', '15/08/1989'],
                     ['--id', CARD['id'], '--birth', '1989-08-15', '--csca', '/nonexistent']):
            r = subprocess.run([CTL, 'card', 'read', *args], capture_output=True, text=True)
            assert r.returncode == 2, (args, r.returncode, r.stderr)
            assert r.stderr.strip(), args


def main():
    reason = fk_pcscd.cannot_run()
    if reason:
        print('1..0 # SKIP ' + reason)
        return 77
    pki = make_pki()
    jpeg, jp2 = make_portraits()
    tests = [n for n in dir(Suite) if n.startswith("test_") and (len(sys.argv) < 2 or n in sys.argv[1:])]
    print('1..%d' % len(tests))
    failed = 0
    with fk_pcscd.PcscdWithVpcd(TMP) as pcscd:
        suite = Suite(pcscd, pki, jpeg, jp2)
        for i, name in enumerate(tests, 1):
            try:
                getattr(suite, name)()
                print('ok %d - %s' % (i, name))
            except Exception:
                failed += 1
                print('not ok %d - %s' % (i, name))
                for line in traceback.format_exc().splitlines():
                    print('# ' + line)
            sys.stdout.flush()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
