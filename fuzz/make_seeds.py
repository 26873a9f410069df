#!/usr/bin/python3
"""Regenerates the seed corpora in fuzz/corpus/<target>/ from the project's test packs.

  pack_loader    every audit.toml of the bad-input corpus (tests/bad/cases; {{sha:FILE}} is kept, the
                 target fills it in), the NPK pack, and the base pack of the pack-loader unit tests
  expression     every expression in those packs (universe, scope, assert, event, when, expression)
                 and every quoted expression of tests/unit/pack/expression_test.cpp
  table_loader   one mode byte (bit 0: crosswalk, else reference; 1: dash = zero; 2: measure = share;
                 3: .tsv; 4: a band column too) + a reference or crosswalk CSV of the corpus or the
                 NPK pack
  counts_loader  counts tables of the corpus and of the NPK pack, and tables in the counts target's
                 own shape (sex, age, occupation, count)

Files are named by the sha1 of their content, as libFuzzer names its own. Run from anywhere:
  /usr/bin/python3 fuzz/make_seeds.py
"""
import hashlib
import os
import re
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'fuzz', 'corpus')
MAX_SEED = 64 * 1024


def read_case(path):
    """The files of a .case file: {path: bytes}, with its `escapes` and `crlf` flags applied."""
    files, current, flags = {}, None, ''
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    for line in lines:
        if line.startswith('--- '):
            current = None
            kind, _, rest = line[4:].partition(':')
            if kind == 'file':
                rest = rest.strip()
                if rest.startswith('"'):
                    end = rest.rfind('"')
                    current, flags = rest[1:end].replace('\\"', '"'), rest[end + 1:]
                else:
                    current, _, flags = rest.partition(' ')
                files[current] = []
            continue
        if current is not None:
            files[current].append(line)
    out = {}
    for name, body in files.items():
        text = '\n'.join(body)
        if '{{repeat' in text:
            continue  # generated content: too large to be a useful seed
        data = text.encode('utf-8')
        out[name] = data
    return out


def seeds():
    s = {'pack_loader': [], 'expression': [], 'table_loader': [], 'counts_loader': []}
    cases = os.path.join(ROOT, 'tests', 'bad', 'cases')
    tomls = []
    for name in sorted(os.listdir(cases)):
        if not name.endswith('.case'):
            continue
        files = read_case(os.path.join(cases, name))
        for path, data in files.items():
            base = os.path.basename(path)
            if base == 'audit.toml':
                tomls.append(data)
            elif path.startswith('refs/') or base.startswith('outside'):
                s['table_loader'].append(bytes([16 if b'band' in data.split(b'\n')[0] else 0]) + data)
                s['table_loader'].append(bytes([2 | 4]) + data)
            elif base.startswith('cw'):
                s['table_loader'].append(bytes([1]) + data)
            elif 'counts' in base:
                s['counts_loader'].append(data)
    npk = os.path.join(ROOT, 'examples', 'npk')
    with open(os.path.join(npk, 'audit.toml'), 'rb') as f:
        tomls.append(f.read())
    unit = os.path.join(ROOT, 'tests', 'unit', 'pack', 'pack_errors_test.cpp')
    with open(unit, encoding='utf-8') as f:
        m = re.search(r'kBaseToml = R"toml\((.*?)\)toml"', f.read(), re.S)
        if m:
            tomls.append(m.group(1).encode('utf-8'))
    s['pack_loader'] = tomls

    key = re.compile(rb'\b(universe|scope|assert|event|when|expression)\s*=\s*"((?:[^"\\\n]|\\.)*)"')
    for t in tomls:
        for m in key.finditer(t):
            s['expression'].append(m.group(2).replace(b'\\"', b'"').replace(b'\\\\', b'\\'))
    with open(os.path.join(ROOT, 'tests', 'unit', 'pack', 'expression_test.cpp'), 'rb') as f:
        text = f.read()
    for m in re.finditer(rb'(?:canon|parse_error|parse_expression|eval\w*|types?\w*)\(\s*"((?:[^"\\\n]|\\.)*)"', text):
        s['expression'].append(m.group(1).replace(b'\\"', b'"').replace(b'\\\\', b'\\'))

    for sub, modes in (('references', (0, 2, 4)), ('crosswalks', (1,))):
        d = os.path.join(npk, sub)
        for name in sorted(os.listdir(d)):
            p = os.path.join(d, name)
            if name.endswith('.csv') and os.path.getsize(p) < 20000:
                with open(p, 'rb') as f:
                    data = f.read()
                for mode in modes:
                    s['table_loader'].append(bytes([mode]) + data)
    d = os.path.join(npk, 'counts')
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), 'rb') as f:
            s['counts_loader'].append(f.read())
    s['counts_loader'] += [
        b'sex,age,occupation,count\nM,30,clerk,10\nF,50,soldier,5\nM,22,soldier,3\nF,70,clerk,8\n',
        b'sex,age,occupation,count\nM,30,clerk,1e300\nF,,soldier,0\n,50,,2.5\n',
        b'sex,age,occupation,count\nM,30,clerk,0\nF,50,soldier,0\n',
        b'sex,band,occupation,count\nM,young,clerk,4\nF,old,soldier,4\n',
        b'sex,age,occupation,soldier,count\nM,30,clerk,false,4\nF,20,soldier,true,4\n',
    ]
    return s


def main():
    for target, items in seeds().items():
        d = os.path.join(OUT, target)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        for data in items:
            if 0 < len(data) <= MAX_SEED:
                with open(os.path.join(d, hashlib.sha1(data).hexdigest()), 'wb') as f:
                    f.write(data)
        print(target, len(os.listdir(d)), 'seeds')


if __name__ == '__main__':
    main()
