"""``python -m nbb_filing.cli``: the ``nbb-filing`` command without its console script."""

from nbb_filing.cli import main

main()
