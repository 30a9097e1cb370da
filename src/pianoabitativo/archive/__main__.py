"""python -m pianoabitativo.archive verify|diff ...: see `cli`."""

import sys

from .cli import main

sys.exit(main())
