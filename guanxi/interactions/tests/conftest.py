"""The timeline here holds this app's sources only: other apps test their own (and may still be
half-built in a shared tree)."""

import pytest

from guanxi.core import timeline

OWN_KINDS = ("interaction", "change")


@pytest.fixture(autouse=True)
def only_own_timeline_sources(monkeypatch):
    own = {
        label: {kind: source for kind, source in sources.items() if kind in OWN_KINDS}
        for label, sources in timeline._SOURCES.items()
    }
    monkeypatch.setattr(timeline, "_SOURCES", own)
