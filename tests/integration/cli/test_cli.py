import os
import subprocess
import sys
from pathlib import Path

from openpcn.cli.main import main

ROOT = Path(__file__).resolve().parents[3]


def test_cli_without_a_command_prints_help(capsys):
    assert main([]) == 2
    assert "usage: openpcn" in capsys.readouterr().out


def test_cli_demo_no_serve_prepares_a_fresh_database(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "OPENPCN_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "openpcn.cli.main",
            "demo",
            "--no-serve",
            "--no-rota",
            "--no-population",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Loaded the synthetic demo alliance" in result.stdout
    for username in (
        "admin",
        "analyst",
        "board",
        "pcn.manager",
        "clinical.director",
        "practice.manager",
        "finance",
        "clinician",
    ):
        assert username in result.stdout
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "openpcn.cli.main",
            "demo",
            "--no-serve",
            "--no-rota",
            "--no-population",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0 and "already loaded" in again.stdout


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "OPENPCN_ENV": "production",
        "SECRET_KEY": "k3J9v!q2Lm#8xZ0pW4rT6yU1iO5aS7dF9gH2jK4lZ6xC8vB0nM",
        "ALLOWED_HOSTS": "openpcn.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings",
            "openpcn.config.settings",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
