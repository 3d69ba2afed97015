#!/usr/bin/python3
'''fieldkit-ctl and fieldkit-server speak the locale's language, like every
command-line tool: English in the C locale, Vietnamese with LANGUAGE=vi in a
UTF-8 locale or with LANG=vi_VN.UTF-8 where that locale is installed (built
here with localedef into a folder of the test). Vietnamese names stay
readable in the C locale.'''

# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import subprocess
import sys
import traceback

BUILD = os.environ['FK_BUILD_ROOT']
PROGRAMS = [os.path.join(BUILD, 'cli', 'fieldkit-ctl'),
            os.path.join(BUILD, 'server', 'fieldkit-server')]
TMP = os.environ.get('FK_TEST_TMPDIR') or os.environ.get('TMPDIR', '/tmp')
# The first line of --help, as vi.po has it.
ENGLISH, VIETNAMESE = 'Usage:', 'Cách dùng:'


class Skip(Exception):
    pass


def run(program, *args, **locale):
    env = {k: v for k, v in os.environ.items()
           if k not in ('LANG', 'LANGUAGE', 'LOCPATH') and not k.startswith('LC_')}
    env.update(locale)
    return subprocess.run([program, *args], capture_output=True, text=True, env=env, timeout=60)


def first_line(program, **locale):
    r = run(program, '--help', **locale)
    assert r.returncode == 0, (program, locale, r.stderr)
    return r.stdout.splitlines()[0]


def test_c_locale_is_english():
    for program in PROGRAMS:
        assert first_line(program, LC_ALL='C') == ENGLISH
        # POSIX: LANGUAGE does not apply in the C locale.
        assert first_line(program, LC_ALL='C', LANGUAGE='vi') == ENGLISH


def test_language_vi():
    for program in PROGRAMS:
        assert first_line(program, LC_ALL='C.UTF-8', LANGUAGE='vi') == VIETNAMESE
        assert first_line(program, LC_ALL='C.UTF-8', LANGUAGE='en') == ENGLISH


def test_lang_vi_vn():
    '''LANG=vi_VN.UTF-8, the setting of a Vietnamese desktop'''
    sources = '/usr/share/i18n/locales/vi_VN'
    if shutil.which('localedef') is None or not os.path.exists(sources):
        raise Skip('no localedef or no vi_VN locale source (Debian package locales)')
    locales = os.path.join(TMP, 'locales')
    os.makedirs(locales, exist_ok=True)
    subprocess.run(['localedef', '-i', 'vi_VN', '-f', 'UTF-8',
                    os.path.join(locales, 'vi_VN.UTF-8')], check=True, capture_output=True)
    for program in PROGRAMS:
        assert first_line(program, LOCPATH=locales, LANG='vi_VN.UTF-8') == VIETNAMESE
        assert first_line(program, LOCPATH=locales, LANG='vi_VN.UTF-8',
                          LC_MESSAGES='C') == ENGLISH


def test_names_in_c_locale():
    '''The data are Vietnamese whatever the messages' language.'''
    r = run(PROGRAMS[0], 'units', 'search', 'lai chau', LC_ALL='C')
    assert r.returncode == 0, r.stderr
    assert 'Lai Châu' in r.stdout, r.stdout


TESTS = [test_c_locale_is_english, test_language_vi, test_lang_vi_vn, test_names_in_c_locale]


def main():
    print(f'1..{len(TESTS)}')
    failed = 0
    for number, test in enumerate(TESTS, 1):
        try:
            test()
            print(f'ok {number} {test.__name__}')
        except Skip as skip:
            print(f'ok {number} {test.__name__} # SKIP {skip}')
        except Exception:  # pylint: disable=broad-except
            failed += 1
            for line in traceback.format_exc().splitlines():
                print(f'# {line}')
            print(f'not ok {number} {test.__name__}')
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
