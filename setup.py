"""Build hook: ship the top-level ``mappings/`` and ``taxonomies/`` folders inside the wheel.

Their documented home is the top of the repository; a wheel only carries the ``nbb_filing`` package,
so the build copies them into it as ``nbb_filing/mappings/`` and ``nbb_filing/taxonomies/`` (package
data).  An editable install does not need the copy: :mod:`nbb_filing.core.shipped` finds them in the source
tree.  Everything else is configured in ``pyproject.toml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: (source folder, file patterns) copied into the package at build time.
SHIPPED = {"mappings": ("*.yaml", "*.json", "README.md"), "taxonomies": ("*.zip", "*.yaml", "README.md")}


class BuildWithShippedFolders(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the source tree is used as it is
        for folder, patterns in SHIPPED.items():
            target = Path(self.build_lib) / "nbb_filing" / folder
            target.mkdir(parents=True, exist_ok=True)
            for pattern in patterns:
                for src in sorted((ROOT / folder).glob(pattern)):
                    shutil.copyfile(src, target / src.name)


setup(cmdclass={"build_py": BuildWithShippedFolders})
