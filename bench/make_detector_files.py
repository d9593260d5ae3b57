#!/usr/bin/env python3
"""Writes ~0.5–1 GB detector files for the read-speed table of docs/input-formats.md.

Needs numpy, h5py, lz4 and zstandard (for the Dectris chunks). Usage:
    python3 bench/make_detector_files.py /tmp/detector-bench
then, from the repository:
    java -cp "$(cat fivedstem-io/target/test-classpath.txt)" org.fivedstem.io.FormatReadBenchmark /tmp/detector-bench

Counts are Poisson with a mean of 2 per pixel (sparse counting-detector data), so compressed
sizes are realistic. The Dectris chunks are encoded as in the fixture generator
fivedstem-io/src/test/resources/org/fivedstem/io/fixtures/dectris/make_dectris.py.
"""
import os
import sys
import datetime

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'fivedstem-io', 'src', 'test', 'resources',
                                'org', 'fivedstem', 'io', 'fixtures', 'dectris'))

out = sys.argv[1] if len(sys.argv) > 1 else '/tmp/detector-bench'
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(1)
NY, NX, NT = 64, 64, 2


def merlin(path, k=256):
    t0 = datetime.datetime(2024, 5, 18, 16, 51, 49)
    frame = rng.poisson(2.0, (64, k, k)).astype('>u2')
    with open(path, 'wb') as f:
        for n in range(NY * NX * NT):
            ts = (t0 + datetime.timedelta(milliseconds=n)).strftime('%Y-%m-%d %H:%M:%S.%f')
            h = ('MQ1,%06d,00384,01,%04d,%04d,U16,   1x1,01,%s,0.001000,0,0,0' % (n + 1, k, k, ts)).encode()
            f.write(h + b'\0' * (384 - len(h)))
            f.write(frame[n % 64].tobytes())


def empad(path):
    frame = rng.poisson(2.0, (64, 130, 128)).astype('<f4')
    with open(path + '.raw', 'wb') as f:
        for n in range(NY * NX * NT):
            f.write(frame[n % 64].tobytes())
    with open(path + '.xml', 'w') as f:
        f.write('<root name="acquisition_1"><type>scan</type><pix_x>%d</pix_x><pix_y>%d</pix_y>'
                '<raw_file filename="%s"/></root>' % (NX, NY * NT, os.path.basename(path) + '.raw'))


def dectris(prefix, codec, k=192, per_file=2048):
    import make_dectris as md
    import h5py
    frames = NY * NX * NT
    pool = [rng.poisson(2.0, (k, k)).astype(np.uint16) for _ in range(16)]
    with h5py.File(prefix + '_master.h5', 'w') as m:
        data = m.create_group('entry/data')
        first = 0
        part = 1
        while first < frames:
            count = min(per_file, frames - first)
            name = '%s_data_%06d.h5' % (prefix, part)
            with h5py.File(name, 'w') as f:
                opts = (0, 3, 2, 0, 2 if codec == 'lz4' else 3)
                d = f.create_dataset('entry/data/data', shape=(count, k, k), dtype=np.uint16, chunks=(1, k, k),
                                     compression=32008, compression_opts=opts, allow_unknown_filter=True)
                for j in range(count):
                    d.id.write_direct_chunk((j, 0, 0), md.bitshuffle_encode(pool[(first + j) % 16], opts[4]), filter_mask=0)
            data['data_%06d' % part] = h5py.ExternalLink(os.path.basename(name), '/entry/data/data')
            first += count
            part += 1


merlin(os.path.join(out, 'scan.mib'))
empad(os.path.join(out, 'empad'))
dectris(os.path.join(out, 'arina_lz4'), 'lz4')
dectris(os.path.join(out, 'arina_zstd'), 'zstd')
print('written to', out)
