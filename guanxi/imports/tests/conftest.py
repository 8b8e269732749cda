import pytest


@pytest.fixture(autouse=True)
def import_files_in_tmp(settings, tmp_path):
    """Uploaded and exported files go to a temporary directory, not var/."""
    settings.GUANXI_IMPORT_DIR = tmp_path / "imports"
