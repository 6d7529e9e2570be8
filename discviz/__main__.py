import sys

from discviz.cli import main

sys.exit(main())
