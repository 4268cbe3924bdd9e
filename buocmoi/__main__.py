import sys

from buocmoi.cli import main

sys.exit(main())
