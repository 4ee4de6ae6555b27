"""scripts/link-order.txt, the layout scripts/build-release links the release binary with: the
linker skips names it does not know without a word, so a list in the wrong form (demangled names,
say) would silently give back the 10 MiB it saves an idle server. CI builds debug only; most
functions have the same symbol names there."""

import subprocess

from conftest import REPO, SESAME_BIN


def test_the_layout_list_names_functions_the_binary_has():
    names = (REPO / "scripts" / "link-order.txt").read_text().splitlines()
    assert len(names) > 5000
    assert all(name and not any(c.isspace() for c in name) for name in names)
    assert len(set(names)) == len(names)
    symbols = subprocess.run(["nm", "--defined-only", SESAME_BIN], capture_output=True, text=True, check=True).stdout
    defined = {line.split()[-1] for line in symbols.splitlines() if line.split()}
    known = sum(name in defined for name in names)
    # 86 % when the list was written; a list of demangled names would find none.
    assert known >= 0.6 * len(names), (known, len(names))

