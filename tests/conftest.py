from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _empty_template_library(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests never see templates a developer added to their own library (var/kiemdiem)."""
    home: Path = tmp_path_factory.mktemp("kiemdiem-home")
    monkeypatch.setenv("KIEMDIEM_HOME", str(home))
