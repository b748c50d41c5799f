"""`stemdag codes issue|revoke|letters` on the demo database."""

import csv
import io

from typer.testing import CliRunner

from app.services import auth
from etl.cli import _register, app

runner = CliRunner()
_register()


def test_codes_issue_letters_and_revoke(demo_db_url, app_env, tmp_path, demo_db):
    app_env(demo_db_url)
    result = runner.invoke(
        app, ["codes", "issue", "--election", "GR2026", "--municipality", "GM0268", "--station", "2"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["station", "name", "code"] and len(rows) == 2
    number, code = rows[1][0], rows[1][2]
    assert number == "2"
    assert auth.sign_in_chair(demo_db, code).station_number == 2
    pdf = tmp_path / "letters.pdf"
    result = runner.invoke(
        app,
        [
            "codes",
            "letters",
            "--election",
            "GR2026",
            "--municipality",
            "268",
            "--station",
            "1",
            "--station",
            "2",
            "--base-url",
            "https://stemdag.example",
            "--out",
            str(pdf),
        ],
    )
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF-")
    result = runner.invoke(
        app, ["codes", "revoke", "--election", "GR2026", "--municipality", "GM0268", "--all"]
    )
    assert result.exit_code == 0, result.output


def test_codes_bad_input_is_one_clear_line(demo_db_url, app_env):
    app_env(demo_db_url)
    result = runner.invoke(app, ["codes", "issue", "--election", "GR2026", "--municipality", "XX12"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "--municipality XX12" in result.output
    result = runner.invoke(
        app, ["codes", "revoke", "--election", "GR2026", "--municipality", "GM0392", "--station", "999"]
    )
    assert result.exit_code == 2 and "no station 999" in result.output
