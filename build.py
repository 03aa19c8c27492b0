#!/usr/bin/env python3
"""Partner Atlas: build dossiers, packs, handouts and the yearly edition. See README.md."""

import sys

from reports.cli import main

if __name__ == "__main__":
    sys.exit(main())
