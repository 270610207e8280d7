"""`python -m bench [names...] [--scale F] [--seed N]` (what `make bench` runs)."""

import sys

from bench import main

sys.exit(main())
