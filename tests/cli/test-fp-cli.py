#!/usr/bin/python3
'''fieldkit-ctl fp … on libfprint's virtual_image reader: exit codes 0 match,
1 no match, 2 error, with messages a user can act on.'''

# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import stat
import struct
import subprocess
import sys
import traceback
import zlib

CTL = os.path.join(os.environ['FK_BUILD_ROOT'], 'cli', 'fieldkit-ctl')
PRINTS = os.path.join(os.environ['FK_SOURCE_ROOT'], 'tests', 'data', 'fingerprints')
TMP = os.environ.get('FK_TEST_TMPDIR') or os.environ.get('TMPDIR', '/tmp')


def white_png(width=64, height=64):
    '''A blank RGB PNG: a press that leaves no ridges'''
    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data
                + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff))
    rows = b''.join(b'\x00' + b'\xff' * (width * 3) for _ in range(height))
    return (b'\x89PNG\r\n\x1a\n'
            + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))


def finger(name):
    return os.path.join(PRINTS, name + '.png')


# The command line follows the locale (LANGUAGE in a UTF-8 locale).
LOCALES = {lang: {'LC_ALL': 'C.UTF-8', 'LANGUAGE': lang} for lang in ('en', 'vi')}


def ctl(*args, lang='en', env=None):
    environ = dict(os.environ, **LOCALES[lang])
    environ.update(env or {})
    return subprocess.run([CTL, *args], capture_output=True, text=True, env=environ,
                          timeout=120)


def enroll(name, out):
    r = ctl('fp', 'enroll', '--sim', finger(name), '--out', out)
    assert r.returncode == 0, r.stderr
    return out


def test_list():
    r = ctl('fp', 'list', '--sim', '--json')
    assert r.returncode == 0, r.stderr
    readers = json.loads(r.stdout)
    assert readers == [{'driver': 'virtual_image', 'name': readers[0]['name'],
                        'enroll_stages': 5}], readers


def test_enroll_verify():
    template = enroll('whorl', os.path.join(TMP, 'whorl.tpl'))
    # A template is biometric data: only its owner may read the file.
    assert stat.S_IMODE(os.stat(template).st_mode) == 0o600
    r = ctl('fp', 'enroll', '--sim', finger('whorl'), '--out', os.path.join(TMP, 'x.tpl'))
    assert r.stderr.count('of 5 done') == 5, r.stderr

    r = ctl('fp', 'verify', '--template', template, '--sim', finger('whorl'))
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
    assert 'matches' in r.stdout, r.stdout
    for other in ('arch', 'loop-right', 'tented_arch'):
        r = ctl('fp', 'verify', '--template', template, '--sim', finger(other))
        assert r.returncode == 1, (other, r.returncode, r.stdout, r.stderr)
        assert 'does not match' in r.stdout, r.stdout


def test_damaged_template():
    template = enroll('loop-right', os.path.join(TMP, 'loop.tpl'))
    data = open(template, 'rb').read()
    cases = {
        'truncated': data[:len(data) // 2],
        'empty': b'',
        'garbage': b'hello, this is not a template\n',
        'header only': b'FP3',
    }
    for label, content in cases.items():
        path = os.path.join(TMP, 'damaged.tpl')
        with open(path, 'wb') as f:
            f.write(content)
        r = ctl('fp', 'verify', '--template', path, '--sim', finger('loop-right'))
        assert r.returncode == 2, (label, r.returncode, r.stderr)
        assert 'template is damaged' in r.stderr and 'Enrol the finger again' in r.stderr, \
            (label, r.stderr)

    # The same message in Vietnamese.
    r = ctl('fp', 'verify', '--template', path, '--sim', finger('loop-right'), lang='vi')
    assert r.returncode == 2 and 'template is damaged' not in r.stderr and r.stderr.strip(), \
        r.stderr

    r = ctl('fp', 'verify', '--template', os.path.join(TMP, 'missing.tpl'),
            '--sim', finger('whorl'))
    assert r.returncode == 2 and 'missing.tpl' in r.stderr, r.stderr


def test_bad_input():
    template = enroll('arch', os.path.join(TMP, 'arch.tpl'))
    not_image = os.path.join(TMP, 'not-an-image.png')
    with open(not_image, 'w', encoding='utf-8') as f:
        f.write('text')
    r = ctl('fp', 'verify', '--template', template, '--sim', not_image)
    assert r.returncode == 2 and 'not-an-image.png' in r.stderr, r.stderr

    r = ctl('fp', 'enroll', '--sim', finger('arch'))
    assert r.returncode == 2 and '--out' in r.stderr, r.stderr

    r = ctl('fp', 'verify', '--sim', finger('arch'))
    assert r.returncode == 2 and '--template' in r.stderr, r.stderr

    r = ctl('fp', 'enroll', '--out', os.path.join(TMP, 'y.tpl'), env={'FIELDKIT_HW': 'sim'})
    assert r.returncode == 2 and '--sim' in r.stderr, r.stderr


def test_unreadable_print():
    '''A press with no ridges at all: the reader asks again, then gives up'''
    blank = os.path.join(TMP, 'blank.png')
    with open(blank, 'wb') as f:
        f.write(white_png())
    # libfprint itself warns "No minutiae found" on such a press.
    quiet = {'G_DEBUG': ''}
    r = ctl('fp', 'enroll', '--sim', blank, '--out', os.path.join(TMP, 'blank.tpl'), env=quiet)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert 'Wipe the finger' in r.stderr and 'could not be read after' in r.stderr, r.stderr
    assert not os.path.exists(os.path.join(TMP, 'blank.tpl'))

    template = enroll('whorl', os.path.join(TMP, 'w.tpl'))
    r = ctl('fp', 'verify', '--template', template, '--sim', blank, env=quiet)
    assert r.returncode == 2 and 'could not be read well' in r.stderr, (r.returncode, r.stderr)


def test_capture():
    out = os.path.join(TMP, 'print.png')
    r = ctl('fp', 'capture', '--sim', finger('tented_arch'), '--out', out)
    assert r.returncode == 0, r.stderr
    with open(out, 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


TESTS = [test_list, test_enroll_verify, test_damaged_template, test_bad_input,
         test_unreadable_print, test_capture]


def main():
    print(f'1..{len(TESTS)}')
    failed = 0
    for number, test in enumerate(TESTS, 1):
        try:
            test()
            print(f'ok {number} {test.__name__}')
        except Exception:  # pylint: disable=broad-except
            failed += 1
            for line in traceback.format_exc().splitlines():
                print(f'# {line}')
            print(f'not ok {number} {test.__name__}')
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
