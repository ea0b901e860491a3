"""`python -m latm_qa.cli`: the latm-qa command."""

import sys

from . import main

sys.exit(main())
