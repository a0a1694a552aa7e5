"""Vendors the web pages' front-end assets from the npm registry into the package.

Run by ``make web-assets`` (needs ``npm``); the results are committed, so neither
``pip install .`` nor a server ever fetches them. What it copies:

- ``govuk-frontend`` (its CSS and ES module) into ``infra/web/static/govuk/``. The CSS is
  rewritten as ``$govuk-font-family: arial, sans-serif`` and ``$govuk-include-default-font-face:
  false`` would compile it: the GDS Transport font is licensed for GOV.UK only, and this
  service is not on GOV.UK, so the font files are not shipped and never requested.
- ``accessible-autocomplete`` (its minified script and stylesheet) into
  ``infra/web/static/autocomplete/``.
- ``axe-core`` (``axe.min.js``) into ``tests/e2e/vendor/`` for the accessibility scan.

Each with its licence.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "infra" / "web" / "static"
TEST_VENDOR = ROOT / "tests" / "e2e" / "vendor"
# govuk-frontend-jinja 4.1 ports the macros of govuk-frontend 6.3.0 exactly.
PACKAGES = ("govuk-frontend@6.3.0", "accessible-autocomplete@3.0.1", "axe-core@4.14.1")
MIT_GOVUK = """The MIT License (MIT)

Copyright (c) 2016 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of this software
and associated documentation files (the "Software"), to deal in the Software without
restriction, including without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def without_gds_transport(css: str) -> str:
    """The stylesheet with no ``@font-face`` for GDS Transport and Arial in its place."""
    css = re.sub(r"@font-face\{font-family:GDS Transport;[^}]*\}", "", css)
    css = css.replace("font-family:GDS Transport,arial,sans-serif", "font-family:arial,sans-serif")
    if "GDS Transport" in css or "/assets/fonts/" in css:
        raise SystemExit("govuk-frontend's CSS still names GDS Transport: check the rewrite")
    return css


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(["npm", "init", "-y"], cwd=work, check=True, capture_output=True)
        subprocess.run(["npm", "install", "--silent", *PACKAGES], cwd=work, check=True)
        modules = Path(work) / "node_modules"
        govuk = modules / "govuk-frontend" / "dist" / "govuk"
        target = STATIC / "govuk"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        css = (govuk / "govuk-frontend.min.css").read_text()
        css = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", css)
        (target / "govuk-frontend.min.css").write_text(without_gds_transport(css))
        js = (govuk / "govuk-frontend.min.js").read_text()
        (target / "govuk-frontend.min.js").write_text(re.sub(r"//# sourceMappingURL=.*", "", js))
        (target / "LICENSE.txt").write_text(MIT_GOVUK)
        autocomplete = modules / "accessible-autocomplete"
        target = STATIC / "autocomplete"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for name in ("accessible-autocomplete.min.js", "accessible-autocomplete.min.css"):
            text = (autocomplete / "dist" / name).read_text()
            text = re.sub(r"(//|/\*)# sourceMappingURL=\S*( \*/)?", "", text)
            (target / name).write_text(text)
        shutil.copy(autocomplete / "LICENSE.txt", target / "LICENSE.txt")
        TEST_VENDOR.mkdir(parents=True, exist_ok=True)
        shutil.copy(modules / "axe-core" / "axe.min.js", TEST_VENDOR / "axe.min.js")
        shutil.copy(modules / "axe-core" / "LICENSE", TEST_VENDOR / "axe-core-LICENSE.txt")
    print(f"vendored {', '.join(PACKAGES)}", file=sys.stderr)


if __name__ == "__main__":
    main()
