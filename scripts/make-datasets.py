#!/usr/bin/env python3
"""Write data/iris.csv and data/digits.csv from scikit-learn's bundled copies.

Backprop Lab's real data sets (`builtin:iris`, `builtin:digits`) are small CSV files shipped in
data/. This script regenerates them from the copies that ship inside scikit-learn (on Debian:
`apt-get install python3-sklearn`), so nothing is downloaded.

    python3 scripts/make-datasets.py            # writes data/iris.csv and data/digits.csv
    python3 scripts/make-datasets.py --check    # exits 1 when the committed files differ

See data/README.md for the sources and licences.
"""

import argparse
import sys
from pathlib import Path

from sklearn.datasets import load_digits, load_iris

DATA_DIR = Path(__file__).resolve().parent.parent / 'data'


def fmt_float(value):
    """The shortest text that reads back as the same number (5.1, not 5.0999999)."""
    return repr(float(value))


def iris_csv():
    iris = load_iris()
    names = [str(n) for n in iris.target_names]
    lines = ['sepal_length,sepal_width,petal_length,petal_width,species']
    for row, target in zip(iris.data, iris.target):
        lines.append(','.join([fmt_float(v) for v in row] + [names[int(target)]]))
    return '\n'.join(lines) + '\n'


def digits_csv():
    digits = load_digits()
    lines = [','.join([f'p{i}' for i in range(64)] + ['digit'])]
    for row, target in zip(digits.data, digits.target):
        pixels = [int(v) for v in row]
        assert all(0 <= p <= 16 and p == v for p, v in zip(pixels, row)), 'pixels must be 0..16'
        lines.append(','.join([str(p) for p in pixels] + [str(int(target))]))
    return '\n'.join(lines) + '\n'


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--check', action='store_true', help='compare instead of writing')
    args = parser.parse_args()

    outputs = {'iris.csv': iris_csv(), 'digits.csv': digits_csv()}
    stale = []
    for name, text in outputs.items():
        path = DATA_DIR / name
        if args.check:
            if not path.exists() or path.read_text(encoding='utf-8') != text:
                stale.append(name)
        else:
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding='utf-8', newline='\n')
            print(f'wrote {path} ({text.count(chr(10)) - 1} rows)')
    if stale:
        print('out of date: ' + ', '.join(stale) + ' (run scripts/make-datasets.py)', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
