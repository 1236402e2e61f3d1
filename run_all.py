"""Run the citylinks pipeline: python run_all.py [--corpus DIR] [--out DIR] [--work DIR] [-p NAME VALUE]."""

import sys

from citylinks.pipeline import run

if __name__ == "__main__":
    sys.exit(run())
