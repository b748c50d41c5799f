"""All 330 GR2022 osv4-3 files of ../shared/data import in one command (COPY); the test prints the time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from etl.cli import _register, app

GR2022 = Path(__file__).resolve().parents[3] / "shared" / "data" / "official" / "gr2022_osv4-3"
runner = CliRunner()
_register()


@pytest.mark.slow
@pytest.mark.skipif(not GR2022.is_dir(), reason="../shared/data not present")
def test_all_330_gr2022_files_import_in_one_command(db, db_url, app_env):
    app_env(db_url)
    start = time.perf_counter()
    result = runner.invoke(app, ["import", str(GR2022)])
    elapsed = time.perf_counter() - start
    assert result.exit_code == 0, result.output[-2000:]
    stations, valid = db.execute(
        text("SELECT count(*), sum(valid_votes_count) FROM official_count_current WHERE level = 'station'")
    ).one()
    files, munis = db.execute(
        text("SELECT count(*), count(DISTINCT municipality_code) FROM import_file")
    ).one()
    list_votes = db.execute(
        text("SELECT sum(votes) FROM official_list_votes_current WHERE level = 'station'")
    ).scalar_one()
    candidate_rows = db.execute(text("SELECT count(*) FROM official_candidate_votes")).scalar_one()
    print(
        f"\nimported 330 GR2022 files in {elapsed:.1f} s: {stations} stations, {valid} valid votes, "
        f"{candidate_rows} candidate rows"
    )
    assert (files, munis) == (330, 330)
    assert stations == 11_986 and valid == list_votes == 6_659_794
    assert "330 of 330 files imported" in result.output
