"""`stemdag export counts` on the demo database."""

import csv
import io

from typer.testing import CliRunner

from etl.cli import _register, app

runner = CliRunner()
_register()


def test_export_counts_csv_nl_and_plain(demo_db_url, app_env, tmp_path):
    app_env(demo_db_url)
    out = tmp_path / "counts.csv"
    args = ["export", "counts", "--election", "GR2026", "--municipality", "GM0668", "--out", str(out)]
    result = runner.invoke(app, [*args, "--format", "csv-nl"])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header[:8] == [
        "election_id",
        "municipality_code",
        "station_number",
        "station_name",
        "poll_card_count",
        "proxy_certificate_count",
        "voter_card_count",
        "total_admitted_voters_count",
    ]
    assert header[-6:] == [
        "blank_votes_count",
        "invalid_votes_count",
        "total_votes_cast_count",
        "more_ballots_count",
        "fewer_ballots_count",
        "status",
    ]
    assert len(header) > 14  # one column per list
    assert {r[1] for r in rows[1:]} == {"GM0668"} and {r[-1] for r in rows[1:]} == {"not_counted"}
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("election_id,municipality_code,")
    everything = tmp_path / "all.csv"
    result = runner.invoke(app, ["export", "counts", "--election", "gr2026", "--out", str(everything)])
    assert result.exit_code == 0, result.output
    codes = {r["municipality_code"] for r in csv.DictReader(everything.open(encoding="utf-8"))}
    assert codes == {"GM0392", "GM0268", "GM0668"}


def test_export_counts_bad_input_is_one_clear_line(demo_db_url, app_env, tmp_path):
    app_env(demo_db_url)
    out = str(tmp_path / "x.csv")
    for args, expected in (
        (["--election", "GR2026", "--out", out, "--format", "xlsx"], "--format xlsx"),
        (["--election", "GR2026", "--municipality", "GMXX", "--out", out], "--municipality GMXX"),
        (["--election", "XX1999", "--out", out], "--election XX1999"),
        (["--election", "GR2026", "--out", str(tmp_path / "no" / "x.csv")], "does not exist"),
    ):
        result = runner.invoke(app, ["export", "counts", *args])
        assert result.exit_code == 2, result.output
        assert expected in " ".join(result.output.split()) and "Traceback" not in result.output
