"""The printable showcard: the interview guides' five-point scale, word for word."""

from __future__ import annotations

import re

from tests import helpers


def test_the_showcard_shows_every_step_of_the_five_point_scale_in_order(app, db):
    client = helpers.signed_in(app, db, "interviewer", "kari")
    home = client.get("/intervju/").get_data(as_text=True)
    assert 'href="/intervju/svarkort"' in home
    page = client.get("/intervju/svarkort")
    assert page.status_code == 200
    labels = re.findall(r'<li lang="nb">([^<]+)</li>', page.get_data(as_text=True))
    assert labels == [
        "Ikke i det hele tatt",
        "I liten grad",
        "I noen grad",
        "I stor grad",
        "I svært stor grad",
        "Ikke aktuelt",
    ]
