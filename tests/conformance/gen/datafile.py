"""
datafile.py - read a conformance test file (.data) into a dict:

  {'comments': [...], 'asm': str or None, 'raw': [u64] or None,
   'mem': bytes or None, 'result': int or None, 'error': str or None}
"""

SECTIONS = ('asm', 'raw', 'mem', 'result', 'error', 'no register offset')


def parse(text):
    t = {'comments': [], 'asm': None, 'raw': None, 'mem': None, 'result': None, 'error': None}
    cur, body = None, {}
    for line in text.splitlines():
        s = line.strip()
        if s.startswith('-- '):
            cur = s[3:].strip()
            if cur not in SECTIONS:
                raise ValueError('unknown section %r' % cur)
            body[cur] = []
            continue
        if s.startswith('#'):
            if cur is None:
                t['comments'].append(s[1:].strip())
            continue
        if cur is None:
            if s:
                raise ValueError('text before the first section: %r' % s)
            continue
        body[cur].append(line)
    if 'asm' in body:
        t['asm'] = '\n'.join(body['asm'])
    if 'raw' in body:
        t['raw'] = [int(x, 16) for x in ' '.join(body['raw']).split()]
    if 'mem' in body:
        t['mem'] = bytes(int(x, 16) for x in ' '.join(body['mem']).split())
    if 'result' in body:
        t['result'] = int(' '.join(body['result']).strip(), 16)
    if 'error' in body:
        t['error'] = ' '.join(x.strip() for x in body['error']).strip()
    if (t['asm'] is None) == (t['raw'] is None):
        raise ValueError('need exactly one of -- asm / -- raw')
    if (t['result'] is None) == (t['error'] is None):
        raise ValueError('need exactly one of -- result / -- error')
    return t
