"""The import_vs_lxml benchmark (bench/imports.py) on a smaller file, so that it cannot rot: the
generated 510b is consistent, imports, and the ratio to a bare lxml iterparse is reported."""

from __future__ import annotations

from bench import imports as bench


def test_import_vs_lxml_small(db_url, pg_admin_uri, template_db, tmp_path):
    path = tmp_path / "510b.eml.xml"
    copies, stations = bench.make_510(path, target_bytes=5_000_000)
    assert copies >= 5 and stations == 21 * copies
    ratio, details = bench.compare(lambda: db_url, path, rounds=1)
    print(f"\nimport_vs_lxml (small): ratio {ratio:.2f} {details}")
    assert details["valid_votes"] == 9350 * copies
    assert ratio < 6  # the real target (<= 2x on ~50 MB) is measured by `make bench`
